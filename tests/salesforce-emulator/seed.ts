/**
 * Seeding an org with Accounts and Contacts: deterministic (same seed, same data), about ten Contacts per Account
 * unless told otherwise, and cheap at any volume because rows are generated when read (seed-values.ts). Seeded rows
 * are stamped in the past, `spacingMs` apart, the newest at the org's "now", so SystemModstamp windows select them.
 */
import type { Org } from './org/org';
import { accountGenerator, contactGenerator } from './seed-values';

export type SeedOptions = {
  accounts?: number;
  /** Default: ten per Account. */
  contacts?: number;
  /** Same seed, same data. Default 1. */
  seed?: number;
  /** Milliseconds between consecutive rows' SystemModstamp; the newest row is stamped "now". Default 1000. */
  spacingMs?: number;
};

export function seedData(org: Org, options: SeedOptions): { accounts: number; contacts: number } {
  const accounts = Math.max(0, Math.floor(options.accounts ?? 0));
  const contacts = Math.max(0, Math.floor(options.contacts ?? accounts * 10));
  const seed = options.seed ?? 1;
  const spacing = options.spacingMs ?? 1000;
  const now = org.clock.now();
  const accountTable = org.table('Account');
  const contactTable = org.table('Contact');
  if (!accountTable || !contactTable) throw new Error('The org has no Account or Contact table.');
  if (accounts > 0) accountTable.seed(accounts, accountGenerator(seed), (i) => now - (accounts - 1 - i) * spacing);
  if (contacts > 0) {
    const generator = contactGenerator(seed, accounts, contacts, (row) => accountTable.idOf(row));
    contactTable.seed(contacts, generator, (i) => now - (contacts - 1 - i) * spacing);
  }
  return { accounts, contacts };
}
