/**
 * The destination a connector's pages go to, from its stored destination: the Worker's D1 tables (the default), or
 * the Dataverse environment of one of the tenant's Dataverse connections, rows owned by the chosen team.
 */
import { ConnectorDestinationSchema } from '../../../shared/api';
import { openDataverseConnection } from '../dataverse/connection';
import { DataverseError } from '../dataverse/errors';
import type { ConnectionFacts } from '../dataverse/explain';
import type { ConnectorRow } from '../db/connectors';
import { findDataverseConnection } from '../db/dataverse-connections';
import { d1Destination } from './d1';
import { dataverseDestination } from './dataverse';
import type { Destination, DestinationFaults } from './destination';

/** A connector's destination, and for Dataverse the connection's facts, which explainDataverseError words its failures with. */
export interface ConnectorDestination {
  destination: Destination;
  /** null for D1 */
  facts: ConnectionFacts | null;
}

/**
 * Throws `dataverse_connection_not_connected` (a DataverseError, before any request) when the connector's Dataverse
 * connection has not passed Test connection or is gone; explainDataverseError(error, facts-or-null) words it.
 */
export async function destinationFor(env: Env, connector: ConnectorRow, deadline: number, faults: DestinationFaults): Promise<ConnectorDestination> {
  const destination = ConnectorDestinationSchema.parse(JSON.parse(connector.destination));
  if (destination.kind === 'd1') return { destination: d1Destination(env.DB, faults), facts: null };
  const row = await findDataverseConnection(env.DB, connector.tenant_id, destination.dataverseConnectionId);
  if (!row || row.status !== 'connected') {
    throw new DataverseError(
      'dataverse',
      row ? 409 : 404,
      'dataverse_connection_not_connected',
      row
        ? `The Dataverse connection to ${row.environment_url} has not passed Test connection (${row.last_error_message ?? 'untested'}). Test it in the Connectors panel; the sync resumes by itself.`
        : 'The connector’s Dataverse connection is gone. Choose another destination for the connector.',
    );
  }
  // No request outlives the invocation: each is given at most the time left.
  const client = await openDataverseConnection(env, row, { timeoutMs: Math.max(1_000, deadline - Date.now()) });
  return {
    destination: dataverseDestination(env.DB, client, { dataverseConnectionId: row.id, teamId: destination.teamId }, { deadline, faults }),
    facts: { environmentUrl: row.environment_url, tenantId: row.entra_tenant_id, clientId: row.client_id },
  };
}
