/**
 * Runs one tool call for an agent: counts it against the credential's rate limit, records it in `agent_calls`
 * (time, credential, tool, a summary of the arguments, outcome, rows, duration, Salesforce API calls), and turns what
 * went wrong into a tool error the agent can act on. An unexpected error is logged and answered without details.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { type AgentPrincipal, countAgentCall } from './credentials';
import { AgentToolError } from './tool-error';

export interface ToolOutcome<T extends Record<string, unknown>> {
  result: T;
  rows: number;
  salesforceApiCalls?: number;
}

const MAX_ARGUMENT_SUMMARY = 500;

/** The arguments as the audit keeps them: JSON, cut short; a SOQL text is kept, it is what the admin wants to see. */
export function summariseArguments(args: unknown): string {
  const text = JSON.stringify(args ?? {});
  return text.length > MAX_ARGUMENT_SUMMARY ? `${text.slice(0, MAX_ARGUMENT_SUMMARY - 1)}…` : text;
}

export async function runToolCall<T extends Record<string, unknown>>(
  db: D1Database,
  agent: AgentPrincipal & { callsPerMinute: number },
  tool: string,
  args: unknown,
  run: () => Promise<ToolOutcome<T>>,
): Promise<CallToolResult> {
  const started = Date.now();
  const now = new Date(started);
  const audit = (outcome: 'ok' | 'error' | 'rate_limited', rows: number, apiCalls: number, message: string | null) =>
    db
      .prepare(
        `INSERT INTO agent_calls (tenant_id, credential_id, tool, arguments, outcome, error_message, rows_returned, duration_ms, salesforce_api_calls, called_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)`,
      )
      .bind(agent.tenantId, agent.credentialId, tool, summariseArguments(args), outcome, message, rows, Date.now() - started, apiCalls, now.toISOString())
      .run();

  const window = await countAgentCall(db, agent.credentialId, now);
  if (window.calls > agent.callsPerMinute) {
    const message = `Rate limit reached: this credential may make ${agent.callsPerMinute} tool calls a minute. Wait until ${window.resetAt} and call again.`;
    await audit('rate_limited', 0, 0, message);
    return toolError(message);
  }
  try {
    const outcome = await run();
    await audit('ok', outcome.rows, outcome.salesforceApiCalls ?? 0, null);
    return { content: [{ type: 'text', text: JSON.stringify(outcome.result) }], structuredContent: outcome.result };
  } catch (error) {
    if (error instanceof AgentToolError) {
      await audit('error', 0, 0, error.message);
      return toolError(error.message);
    }
    console.error(`agent tool ${tool} failed`, error);
    const message = 'The tool failed inside the Worker. It has been logged; try again, and if it persists tell the Forcebridge admin.';
    await audit('error', 0, 0, message);
    return toolError(message);
  }
}

const toolError = (message: string): CallToolResult => ({ isError: true, content: [{ type: 'text', text: message }] });
