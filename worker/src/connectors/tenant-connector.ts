/** A connector of the tenant, or a 404 that says what to do: every connector route looks it up this way. */
import { type ConnectorRow, findConnector } from '../db/connectors';
import { AppError } from '../errors';

export async function tenantConnector(env: Env, tenantId: string, id: string): Promise<ConnectorRow> {
  const row = await findConnector(env.DB, tenantId, id);
  if (!row) throw new AppError('connector_not_found', 404, 'There is no such connector for your tenant. Reload the panel to see your connectors.');
  return row;
}
