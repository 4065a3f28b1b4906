/** Agent credentials (`agent_credentials`): stored by key hash, revoked in place, and counted per one-minute window. */

export interface AgentCredentialRow {
  id: string;
  tenant_id: string;
  name: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export async function insertAgentCredential(db: D1Database, id: string, tenantId: string, name: string, keyHash: string): Promise<AgentCredentialRow> {
  const row = await db
    .prepare('INSERT INTO agent_credentials (id, tenant_id, name, key_hash) VALUES (?1, ?2, ?3, ?4) RETURNING *')
    .bind(id, tenantId, name, keyHash)
    .first<AgentCredentialRow>();
  return row!;
}

export async function agentCredentialsOf(db: D1Database, tenantId: string): Promise<AgentCredentialRow[]> {
  return (await db.prepare('SELECT * FROM agent_credentials WHERE tenant_id = ?1 ORDER BY created_at DESC').bind(tenantId).all<AgentCredentialRow>()).results;
}

/** Sets `revoked_at` once (a second revoke keeps the first time); null when the tenant has no such credential. */
export function revokeAgentCredentialRow(db: D1Database, tenantId: string, id: string): Promise<AgentCredentialRow | null> {
  return db
    .prepare(
      `UPDATE agent_credentials SET revoked_at = coalesce(revoked_at, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        WHERE tenant_id = ?1 AND id = ?2 RETURNING *`,
    )
    .bind(tenantId, id)
    .first<AgentCredentialRow>();
}

/**
 * A live credential, whether its tenant has live tools switched on, and its rate-limit window as it stands: what every
 * `/mcp` request needs, in one read.
 */
export type LiveAgentCredentialRow = AgentCredentialRow & { live_tools: number; window_started_at: string | null; window_calls: number };

const LIVE_CREDENTIAL = `SELECT k.*, EXISTS (SELECT 1 FROM agent_live_tools l WHERE l.tenant_id = k.tenant_id) AS live_tools
  FROM agent_credentials k WHERE k.revoked_at IS NULL`;

export function liveAgentCredentialByHash(db: D1Database, keyHash: string): Promise<LiveAgentCredentialRow | null> {
  return db.prepare(`${LIVE_CREDENTIAL} AND k.key_hash = ?1`).bind(keyHash).first<LiveAgentCredentialRow>();
}

export function liveAgentCredentialById(db: D1Database, id: string): Promise<LiveAgentCredentialRow | null> {
  return db.prepare(`${LIVE_CREDENTIAL} AND k.id = ?1`).bind(id).first<LiveAgentCredentialRow>();
}

/**
 * One more call in the window starting at `windowStart` (a new window starts over at 1), and the last use, in one
 * statement so concurrent calls cannot both slip under the limit. Returns the window's count, this call included.
 */
export async function countCallInWindow(db: D1Database, credentialId: string, windowStart: string, usedAt: string): Promise<number> {
  const row = await db
    .prepare(
      `UPDATE agent_credentials
          SET window_calls = CASE WHEN window_started_at = ?2 THEN window_calls + 1 ELSE 1 END,
              window_started_at = ?2, last_used_at = ?3
        WHERE id = ?1 RETURNING window_calls`,
    )
    .bind(credentialId, windowStart, usedAt)
    .first<{ window_calls: number }>();
  return row?.window_calls ?? 0;
}
