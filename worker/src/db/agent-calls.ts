/** The audit of agent tool calls (`agent_calls`): one row per call, and the latest calls for the panel. */

export type AgentCallOutcome = 'ok' | 'error' | 'rate_limited';

export interface AgentCallRow {
  called_at: string;
  credential_id: string;
  credential_name: string | null;
  tool: string;
  arguments: string;
  outcome: AgentCallOutcome;
  error_message: string | null;
  rows_returned: number;
  duration_ms: number;
  salesforce_api_calls: number;
}

export type NewAgentCall = Omit<AgentCallRow, 'credential_name'> & { tenant_id: string };

export async function insertAgentCall(db: D1Database, c: NewAgentCall): Promise<void> {
  await db
    .prepare(
      `INSERT INTO agent_calls (tenant_id, credential_id, tool, arguments, outcome, error_message, rows_returned, duration_ms, salesforce_api_calls, called_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)`,
    )
    .bind(c.tenant_id, c.credential_id, c.tool, c.arguments, c.outcome, c.error_message, c.rows_returned, c.duration_ms, c.salesforce_api_calls, c.called_at)
    .run();
}

/** The tenant's 50 latest calls, newest first, with the credential's name. */
export async function recentAgentCalls(db: D1Database, tenantId: string): Promise<AgentCallRow[]> {
  const { results } = await db
    .prepare(
      `SELECT a.*, k.name AS credential_name FROM agent_calls a LEFT JOIN agent_credentials k ON k.id = a.credential_id
            WHERE a.tenant_id = ?1 ORDER BY a.id DESC LIMIT 50`,
    )
    .bind(tenantId)
    .all<AgentCallRow>();
  return results;
}
