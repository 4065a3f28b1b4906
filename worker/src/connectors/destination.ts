/**
 * A connector's destination, checked before it is stored: D1 needs nothing; a Dataverse destination needs a tested
 * connection of the tenant, a team that exists and can own rows, the privileges, and every mapped column present in
 * the environment (worker/src/dataverse/destination-check.ts). The sync writes where it says
 * (worker/src/destinations/for-connector.ts).
 */
import type { ConnectorDestination } from '../../../shared/api';
import type { DestinationTable } from '../../../shared/mapping/destination';
import { checkDataverseDestination } from '../dataverse/destination-check';

export async function checkedDestination(
  env: Env,
  tenantId: string,
  destination: ConnectorDestination,
  tables: { table: DestinationTable; mapping: Record<string, string> }[],
): Promise<{ stored: string; describe: string }> {
  if (destination.kind === 'd1') return { stored: JSON.stringify(destination), describe: 'Writes to the Worker’s D1 tables.' };
  const { teamName } = await checkDataverseDestination(env, tenantId, {
    dataverseConnectionId: destination.dataverseConnectionId,
    teamId: destination.teamId,
    tables: tables.map((t) => ({ table: t.table, columns: Object.keys(t.mapping) })),
  });
  return { stored: JSON.stringify(destination), describe: `Writes to Dataverse, rows owned by the team ${teamName}.` };
}

