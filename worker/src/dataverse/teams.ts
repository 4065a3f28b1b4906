/**
 * The environment's teams (the owner a connector's rows get) and the privilege check made before a connector is
 * created: the application user must be able to create, read, write, delete, append and assign contacts and
 * accounts (and append to accounts, for the contact → account link), and the team must be able to own them.
 *  - team columns (teamtype: 0 Owner, 1 Access, 2 Entra security group, 3 Microsoft 365 group):
 *    https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/team
 *  - access teams do not own records: https://learn.microsoft.com/power-platform/admin/manage-teams#about-access-teams
 *  - RetrieveUserPrivileges / RetrieveTeamPrivileges (the privileges a principal holds, with depth):
 *    https://learn.microsoft.com/power-apps/developer/data-platform/security-access-coding
 *  - privilege names `prv<Verb><Table schema name>`:
 *    https://learn.microsoft.com/power-platform/admin/security-roles-privileges
 */
import { z } from 'zod';
import type { DataverseClient } from './client';
import { DataverseError } from './errors';

const TEAM_TYPES: Record<number, string> = { 0: 'owner', 1: 'access', 2: 'security_group', 3: 'office_group' };
const FORMATTED = '@OData.Community.Display.V1.FormattedValue';

const TeamRowSchema = z.object({
  teamid: z.string(),
  name: z.string(),
  teamtype: z.number(),
  _businessunitid_value: z.string().nullish(),
  [`_businessunitid_value${FORMATTED}`]: z.string().nullish(),
});
const TeamPageSchema = z.object({ value: z.array(TeamRowSchema), '@odata.nextLink': z.string().optional() });
const PrivilegesSchema = z.object({ RolePrivileges: z.array(z.object({ PrivilegeName: z.string(), Depth: z.string().optional() })) });

export interface DataverseTeam {
  id: string;
  name: string;
  teamType: string;
  businessUnitId: string | null;
  businessUnitName: string | null;
}

const TEAM_SELECT = 'teams?$select=teamid,name,teamtype,_businessunitid_value&$orderby=name';

export async function listTeams(client: DataverseClient): Promise<DataverseTeam[]> {
  const teams: DataverseTeam[] = [];
  let next: string | undefined = TEAM_SELECT;
  const headers = { Prefer: `odata.include-annotations="OData.Community.Display.V1.FormattedValue"` };
  while (next) {
    const page: z.output<typeof TeamPageSchema> = await client.request('GET', next, { schema: TeamPageSchema, headers });
    teams.push(...page.value.map(toTeam));
    next = page['@odata.nextLink'];
  }
  return teams;
}

export async function findTeam(client: DataverseClient, teamId: string): Promise<DataverseTeam | null> {
  try {
    const row = await client.request('GET', `teams(${teamId})?$select=teamid,name,teamtype,_businessunitid_value`, {
      schema: TeamRowSchema,
      headers: { Prefer: `odata.include-annotations="OData.Community.Display.V1.FormattedValue"` },
    });
    return toTeam(row);
  } catch (error) {
    if (error instanceof DataverseError && error.status === 404) return null;
    throw error;
  }
}

function toTeam(row: z.output<typeof TeamRowSchema>): DataverseTeam {
  return {
    id: row.teamid,
    name: row.name,
    teamType: TEAM_TYPES[row.teamtype] ?? String(row.teamtype),
    businessUnitId: row._businessunitid_value ?? null,
    businessUnitName: (row[`_businessunitid_value${FORMATTED}`] as string | null | undefined) ?? null,
  };
}

/** What the application user needs on each destination table, and what the owning team needs. */
export const DESTINATION_TABLE_SCHEMA_NAMES = { contact: 'Contact', account: 'Account' } as const;
const USER_VERBS = ['Create', 'Read', 'Write', 'Delete', 'Append', 'AppendTo', 'Assign'] as const;

export function requiredUserPrivileges(): string[] {
  return Object.values(DESTINATION_TABLE_SCHEMA_NAMES).flatMap((table) => USER_VERBS.map((verb) => `prv${verb}${table}`));
}

export function requiredTeamPrivileges(): string[] {
  return Object.values(DESTINATION_TABLE_SCHEMA_NAMES).map((table) => `prvRead${table}`);
}

export type AccessProblem =
  | { kind: 'team_not_found' }
  | { kind: 'team_cannot_own'; team: DataverseTeam }
  | { kind: 'user_missing'; privileges: string[] }
  | { kind: 'team_missing'; team: DataverseTeam; privileges: string[] };

/** Checks what the application user and the chosen team hold; `ok` when a connector may write as that team. */
export async function checkWriteAccess(client: DataverseClient, userId: string, teamId: string): Promise<AccessProblem | { kind: 'ok'; team: DataverseTeam }> {
  const team = await findTeam(client, teamId);
  if (!team) return { kind: 'team_not_found' };
  if (team.teamType === 'access') return { kind: 'team_cannot_own', team };
  const [user, owner] = await Promise.all([
    client.request('GET', `systemusers(${userId})/Microsoft.Dynamics.CRM.RetrieveUserPrivileges`, { schema: PrivilegesSchema }),
    client.request('GET', `teams(${teamId})/Microsoft.Dynamics.CRM.RetrieveTeamPrivileges`, { schema: PrivilegesSchema }),
  ]);
  const held = (answer: z.output<typeof PrivilegesSchema>) => new Set(answer.RolePrivileges.map((p) => p.PrivilegeName.toLowerCase()));
  const userHeld = held(user);
  const userMissing = requiredUserPrivileges().filter((p) => !userHeld.has(p.toLowerCase()));
  if (userMissing.length) return { kind: 'user_missing', privileges: userMissing };
  const teamHeld = held(owner);
  const teamMissing = requiredTeamPrivileges().filter((p) => !teamHeld.has(p.toLowerCase()));
  if (teamMissing.length) return { kind: 'team_missing', team, privileges: teamMissing };
  return { kind: 'ok', team };
}
