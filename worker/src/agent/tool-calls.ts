/**
 * Runs one tool call for an agent: counts it against the credential's rate limit, records it in `agent_calls`
 * (time, credential, tool, a summary of the arguments, outcome, rows, duration, Salesforce API calls), and turns what
 * went wrong into a tool error the agent can act on. An unexpected error is logged and answered without details.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { type AgentCallOutcome, insertAgentCall } from '../db/agent-calls';
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
  const audit = (outcome: AgentCallOutcome, rows: number, apiCalls: number, message: string | null) =>
    insertAgentCall(db, {
      tenant_id: agent.tenantId,
      credential_id: agent.credentialId,
      tool,
      arguments: summariseArguments(args),
      outcome,
      error_message: message,
      rows_returned: rows,
      duration_ms: Date.now() - started,
      salesforce_api_calls: apiCalls,
      called_at: now.toISOString(),
    });

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
