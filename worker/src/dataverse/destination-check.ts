/**
 * The checks made before a connector may write to a Dataverse environment (on connector create/update, and by
 * `GET /api/dataverse-connections/:id/access`): the connection was tested, the team exists and can own rows, the
 * application user and the team hold the privileges, and every mapped column exists in the environment.
 */
import { AppError } from '../errors';
import { findDataverseConnection, type DataverseConnectionRow } from '../db/dataverse-connections';
import type { DataverseClient } from './client';
import { columnsNotWritable, tableColumns, type DestinationTable } from './columns';
import { openDataverseConnection } from './connection';
import { explainDataverseError } from './explain';
import { checkWriteAccess, type AccessProblem } from './teams';

export async function dataverseConnectionOf(env: Env, tenantId: string, id: string): Promise<DataverseConnectionRow> {
  const row = await findDataverseConnection(env.DB, tenantId, id);
  if (!row) throw new AppError('dataverse_connection_not_found', 404, `There is no Dataverse connection ${id} for your tenant. List them with GET /api/dataverse-connections.`);
  return row;
}

export function describeAccessProblem(problem: AccessProblem, teamId: string): { missing: string[]; message: string; code: 'dataverse_team_not_found' | 'dataverse_team_cannot_own' | 'dataverse_privilege_missing' } {
  switch (problem.kind) {
    case 'team_not_found':
      return { code: 'dataverse_team_not_found', missing: [], message: `The environment has no team ${teamId}. Pick a team from GET /api/dataverse-connections/:id/teams.` };
    case 'team_cannot_own':
      return { code: 'dataverse_team_cannot_own', missing: [], message: `"${problem.team.name}" is an access team, and access teams cannot own rows. Pick an owner team (or a Microsoft Entra group team).` };
    case 'user_missing':
      return {
        code: 'dataverse_privilege_missing',
        missing: problem.privileges,
        message: `The application user lacks ${problem.privileges.join(', ')}. Give it a security role with Create, Read, Write, Delete, Append, Append To and Assign on Contact and Account (Power Platform admin center → the environment → Application users → Edit security roles), then check again.`,
      };
    case 'team_missing':
      return {
        code: 'dataverse_privilege_missing',
        missing: problem.privileges,
        message: `The team "${problem.team.name}" lacks ${problem.privileges.join(', ')}, so it cannot own the synced rows. Give the team a security role with Read on Contact and Account, then check again.`,
      };
  }
}

export interface DestinationCheckInput {
  dataverseConnectionId: string;
  teamId: string;
  /** per table, the destination columns the mapping writes */
  tables: { table: DestinationTable; columns: string[] }[];
}

/** Throws a 4xx AppError naming what is wrong; returns the team's name when the connector may write as it. */
export async function checkDataverseDestination(env: Env, tenantId: string, input: DestinationCheckInput): Promise<{ teamName: string }> {
  const row = await dataverseConnectionOf(env, tenantId, input.dataverseConnectionId);
  if (row.status !== 'connected' || !row.application_user_id) {
    throw new AppError('validation_failed', 400, `The Dataverse connection to ${row.environment_url} has not passed Test connection yet. Test it (POST /api/dataverse-connections/${row.id}/test) and fix what it reports first.`);
  }
  const facts = { environmentUrl: row.environment_url, tenantId: row.entra_tenant_id, clientId: row.client_id };
  const client = await openDataverseConnection(env, row);
  try {
    const access = await checkWriteAccess(client, row.application_user_id, input.teamId);
    if (access.kind !== 'ok') {
      const described = describeAccessProblem(access, input.teamId);
      throw new AppError(described.code, 400, described.message);
    }
    await refuseMissingColumns(client, row.id, input.tables);
    return { teamName: access.team.name };
  } catch (error) {
    throw explainDataverseError(error, facts);
  }
}

/** Refuses a mapping that writes columns the environment does not have (or that cannot be written). */
export async function refuseMissingColumns(client: DataverseClient, connectionId: string, tables: DestinationCheckInput['tables']): Promise<void> {
  for (const { table, columns } of tables) {
    const missing = columnsNotWritable(await tableColumns(client, connectionId, table), columns);
    if (missing.length) {
      throw new AppError(
        'dataverse_column_missing',
        400,
        `The ${table} table in ${client.environmentUrl} has no writable column ${missing.join(', ')}. Map those Salesforce fields to columns that exist (the environment's columns: GET /api/dataverse-connections/${connectionId}/columns/${table}), or create the columns in Power Apps first.`,
      );
    }
  }
}
