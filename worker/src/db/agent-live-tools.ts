/** Which connections have live tools switched on (`agent_live_tools`). */
import type { ConnectionRow } from './connections';

/** Every connection of the tenant that is not off, with whether its live tools are on. */
export async function liveToolsByConnection(db: D1Database, tenantId: string): Promise<{ id: string; instance_url: string; enabled: number }[]> {
  const { results } = await db
    .prepare(
      `SELECT c.id, c.instance_url, l.connection_id IS NOT NULL AS enabled FROM connections c
             LEFT JOIN agent_live_tools l ON l.connection_id = c.id WHERE c.tenant_id = ?1 AND c.status <> 'off' ORDER BY c.created_at`,
    )
    .bind(tenantId)
    .all<{ id: string; instance_url: string; enabled: number }>();
  return results;
}

export async function enableLiveTools(db: D1Database, tenantId: string, connectionId: string, at: string): Promise<void> {
  await db
    .prepare('INSERT INTO agent_live_tools (connection_id, tenant_id, enabled_at) VALUES (?1, ?2, ?3) ON CONFLICT (connection_id) DO NOTHING')
    .bind(connectionId, tenantId, at)
    .run();
}

export async function disableLiveTools(db: D1Database, connectionId: string): Promise<void> {
  await db.prepare('DELETE FROM agent_live_tools WHERE connection_id = ?1').bind(connectionId).run();
}

/** The tenant's connected connections with live tools on: the one asked for, or all of them when none is named. */
export async function liveToolConnections(db: D1Database, tenantId: string, connectionId: string | undefined): Promise<ConnectionRow[]> {
  const { results } = await db
    .prepare(
      `SELECT c.* FROM connections c JOIN agent_live_tools l ON l.connection_id = c.id
        WHERE c.tenant_id = ?1 AND c.status = 'connected' AND (?2 IS NULL OR c.id = ?2)`,
    )
    .bind(tenantId, connectionId ?? null)
    .all<ConnectionRow>();
  return results;
}
