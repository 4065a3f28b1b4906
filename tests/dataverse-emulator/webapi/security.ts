/**
 * Who may do what: privileges (`prvCreateContact`, `prvWriteAccount`, …, always Global depth here) held by a
 * systemuser or a team, the checks writes and reads make, and the answers of the privilege functions a writer
 * calls before syncing — RetrievePrincipalAccess (`AccessRights` as one comma-separated string),
 * RetrieveUserPrivileges / RetrieveTeamPrivileges and RetrieveUserPrivilegeByPrivilegeName (`RolePrivileges`),
 * shaped as in retrieve-principal-access.http. Team variants have no published trace (GAPS §3, §4): they answer in
 * the user variants' shape.
 */
import { stableGuid } from '../ids';
import { privilegeDenied, principalPrivilegeDenied } from '../errors';
import type { TableDefinition } from './schema';

export const ACCESS_RIGHTS = [
  ['Read', 'ReadAccess'],
  ['Write', 'WriteAccess'],
  ['Append', 'AppendAccess'],
  ['AppendTo', 'AppendToAccess'],
  ['Create', 'CreateAccess'],
  ['Delete', 'DeleteAccess'],
  ['Share', 'ShareAccess'],
  ['Assign', 'AssignAccess'],
] as const;

export type PrivilegeVerb = (typeof ACCESS_RIGHTS)[number][0];

/** `prvCreateContact`: Dataverse names privileges after the table's schema name. */
export const privilegeName = (verb: PrivilegeVerb, table: string) => `prv${verb}${table.charAt(0).toUpperCase()}${table.slice(1)}`;
export const privilegeId = (name: string) => stableGuid(`privilege:${name}`);

/** Every privilege on the given tables (what a System Administrator-like application user holds). */
export function allPrivileges(tables: string[]): string[] {
  return tables.flatMap((table) => ACCESS_RIGHTS.map(([verb]) => privilegeName(verb, table)));
}

export class Privileges {
  private readonly held = new Map<string, Set<string>>();

  set(principalId: string, privileges: Iterable<string>): void {
    this.held.set(principalId.toLowerCase(), new Set(privileges));
  }

  grant(principalId: string, privileges: Iterable<string>): void {
    const set = this.held.get(principalId.toLowerCase()) ?? new Set();
    for (const p of privileges) set.add(p);
    this.held.set(principalId.toLowerCase(), set);
  }

  revoke(principalId: string, privileges: Iterable<string>): void {
    const set = this.held.get(principalId.toLowerCase());
    if (set) for (const p of privileges) set.delete(p);
  }

  of(principalId: string): string[] {
    return [...(this.held.get(principalId.toLowerCase()) ?? [])].sort();
  }

  has(principalId: string, privilege: string): boolean {
    return this.held.get(principalId.toLowerCase())?.has(privilege) ?? false;
  }

  /** Throws Dataverse's PrivilegeDenied naming the privilege the caller lacks. */
  demand(userId: string, verb: PrivilegeVerb, table: TableDefinition): void {
    const name = privilegeName(verb, table.logicalName);
    if (!this.has(userId, name)) throw privilegeDenied(userId, name, privilegeId(name), table.logicalName, table.objectTypeCode);
  }

  /** A new owner must be able to hold the row: it needs Read on the table. */
  demandOwnerCanHold(ownerId: string, table: TableDefinition): void {
    if (!this.has(ownerId, privilegeName('Read', table.logicalName))) throw principalPrivilegeDenied();
  }

  /** `"ReadAccess, WriteAccess, …"` or `"None"`. */
  accessRights(principalId: string, table: string): string {
    const rights = ACCESS_RIGHTS.filter(([verb]) => this.has(principalId, privilegeName(verb, table))).map(([, right]) => right);
    return rights.length ? rights.join(', ') : 'None';
  }

  rolePrivileges(principalId: string, businessUnitId: string, only?: string): { Depth: string; PrivilegeId: string; BusinessUnitId: string; PrivilegeName: string }[] {
    return this.of(principalId)
      .filter((name) => only === undefined || name.toLowerCase() === only.toLowerCase())
      .map((name) => ({ Depth: 'Global', PrivilegeId: privilegeId(name), BusinessUnitId: businessUnitId, PrivilegeName: name }));
  }

  clear(): void {
    this.held.clear();
  }
}
