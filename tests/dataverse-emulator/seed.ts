/**
 * Seed rows for tests and the demo: `accounts` accounts and `contacts` contacts (each linked to an account in turn),
 * owned by the given team, with values derived from the row number so runs are repeatable.
 */
import { stableGuid } from './ids';
import type { Environment } from './webapi/environment';

export type SeedOptions = { accounts?: number; contacts?: number };

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Margaret', 'Ken', 'Frances', 'John'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Hamilton', 'Thompson', 'Allen', 'Backus'];

export function seedRows(env: Environment, options: SeedOptions, ownerTeamId: string): void {
  const accounts = options.accounts ?? 0;
  const contacts = options.contacts ?? 0;
  const now = env.now();
  const owner = { table: 'team', id: ownerTeamId };
  const base = { statecode: 0, statuscode: 1, ownerid: owner, createdon: now, modifiedon: now };
  for (let i = 0; i < accounts; i++) {
    env.store.put('account', stableGuid(`seed:account:${i}`), { ...base, name: `Account ${String(i + 1).padStart(5, '0')}`, accountnumber: `A-${i + 1}` });
  }
  for (let i = 0; i < contacts; i++) {
    const firstname = FIRST[i % FIRST.length]!;
    const lastname = `${LAST[Math.floor(i / FIRST.length) % LAST.length]!} ${i + 1}`;
    env.store.put('contact', stableGuid(`seed:contact:${i}`), {
      ...base,
      firstname,
      lastname,
      fullname: `${firstname} ${lastname}`,
      emailaddress1: `${firstname.toLowerCase()}.${i + 1}@example.com`,
      ...(accounts ? { parentcustomerid: { table: 'account', id: stableGuid(`seed:account:${i % accounts}`) } } : {}),
    });
  }
}
