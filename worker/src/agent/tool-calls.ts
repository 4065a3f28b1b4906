/**
 * Runs the body of one tool: answers its result as `structuredContent` (and as text, for clients that read only that),
 * reports what it returned and spent for the call's audit row (./tool-call-audit.ts, which also rate limits), and turns
 * what went wrong into a tool error the agent can act on. An unexpected error is logged and answered without details.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ToolStats } from './tool-call-audit';
import { AgentToolError } from './tool-error';

export interface ToolOutcome<T extends Record<string, unknown>> {
  result: T;
  rows: number;
  salesforceApiCalls?: number;
}

export async function runToolCall<T extends Record<string, unknown>>(tool: string, run: () => Promise<ToolOutcome<T>>, report: (stats: ToolStats) => void): Promise<CallToolResult> {
  try {
    const outcome = await run();
    report({ rows: outcome.rows, salesforceApiCalls: outcome.salesforceApiCalls ?? 0 });
    return { content: [{ type: 'text', text: JSON.stringify(outcome.result) }], structuredContent: outcome.result };
  } catch (error) {
    if (error instanceof AgentToolError) return toolError(error.message);
    console.error(`agent tool ${tool} failed`, error);
    return toolError('The tool failed inside the Worker. It has been logged; try again, and if it persists tell the Forcebridge admin.');
  }
}

const toolError = (message: string): CallToolResult => ({ isError: true, content: [{ type: 'text', text: message }] });
