/** The tenant's connection, which connector work needs connected; otherwise a 404 or 409 that says what to do. */
import { type ConnectionRow, findConnection } from '../db/connections';
import { AppError } from '../errors';

export async function connectedConnection(env: Env, tenantId: string, connectionId: string): Promise<ConnectionRow> {
  const connection = await findConnection(env.DB, tenantId, connectionId);
  if (!connection) throw new AppError('connection_not_found', 404, 'There is no such connection for your tenant. Turn on access in Setup first.');
  if (connection.status !== 'connected') {
    throw new AppError('connection_not_connected', 409, `The Salesforce connection is ${connection.status}. Turn access on (or fix it) in the Connectors panel first.`);
  }
  return connection;
}
