/**
 * Every `tools/call` an agent sends, whatever becomes of it, counts against the credential's rate limit and leaves one
 * row in `agent_calls` (time, credential, tool, a summary of the arguments, outcome, the reason when refused, rows,
 * duration, Salesforce API calls). This sits between the transport and the SDK's server, not inside the tools,
 * because the SDK answers some calls itself before any tool runs: an unknown tool, arguments that fail the input
 * schema, malformed params. Those are audited as errors with the SDK's own message, and a credential past its limit
 * is answered here without reaching the server at all.
 * Nothing secret is kept: keys and tokens found in arguments or messages are blanked, and a page cursor (which carries
 * a value of the last row) is kept only as its length.
 * Whether a call may run is decided from the credential's window as the request's credential lookup read it (no
 * read of its own), plus the calls this request already admitted. The count and the audit row are written after
 * the answer is on its way, through `defer` (the request's `ctx.waitUntil`, which keeps the Worker running until the
 * writes settle: https://developers.cloudflare.com/workers/runtime-apis/context/#waituntil), so the agent waits for
 * no write: awaited, the count was a D1 write before every answer (about 4 ms of a 20 ms call under wrangler dev,
 * and a write goes to D1's primary in production, where reads need not). The price: calls sent at the same moment
 * each see the window before the others are counted, so a burst may pass the limit by the calls in flight at once;
 * every call is still counted (an increment in place), so the next ones are refused. A write that fails is tried
 * once more, then logged.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { type CallToolResult, type JSONRPCMessage, type RequestId, isJSONRPCErrorResponse, isJSONRPCRequest, isJSONRPCResultResponse } from '@modelcontextprotocol/sdk/types.js';
import { type AgentCallOutcome, insertAgentCall } from '../db/agent-calls';
import { type AgentPrincipal, countAgentCall, rateWindow } from './credentials';

/** What a tool that ran reports for the audit. */
export interface ToolStats {
  rows: number;
  salesforceApiCalls: number;
}

interface PendingCall {
  tool: string;
  args: unknown;
  started: number;
}

const MAX_SUMMARY = 500;
const MAX_TOOL_NAME = 64;
export const UNREAD = '(request not read)';

/** Keys (`fba_…`, `fbk_…`) and JWTs, wherever they appear in a text an agent sent or a message about it. */
export function withoutSecrets(text: string): string {
  return text
    .replace(/\b(fba|fbk)_[A-Za-z0-9_-]{8,}/g, '$1_[redacted]')
    .replace(/\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, '[token redacted]');
}

const cut = (text: string) => (text.length > MAX_SUMMARY ? `${text.slice(0, MAX_SUMMARY - 1)}…` : text);

/** The arguments as the audit keeps them: JSON without secrets or cursors, cut short. A SOQL text or search words are kept: they are what the admin wants to see. */
export function summariseArguments(args: unknown): string {
  const text = JSON.stringify(args ?? {}, (name, value: unknown) => (name === 'cursor' && typeof value === 'string' ? `[cursor, ${value.length} characters]` : value));
  return cut(withoutSecrets(text ?? '{}'));
}

export class ToolCallAudit {
  private readonly pending = new Map<RequestId, PendingCall>();
  private readonly stats = new Map<RequestId, ToolStats>();
  /** tool calls this request has counted so far (a JSON-RPC batch may hold several) */
  private admitted = 0;

  constructor(
    private readonly db: D1Database,
    private readonly agent: AgentPrincipal,
    private readonly callsPerMinute: number,
    private readonly defer: (work: Promise<unknown>) => void,
  ) {}

  /** Called by a tool that ran (`extra.requestId`): what it returned and spent, for the call's audit row. */
  note(requestId: RequestId, stats: ToolStats): void {
    this.stats.set(requestId, stats);
  }

  /** Puts the audit between `transport` and the server already connected to it. */
  watch(transport: Transport): void {
    const deliver = transport.onmessage;
    if (!deliver) throw new Error('ToolCallAudit.watch needs a transport that a server is already connected to');
    const send = transport.send.bind(transport);
    transport.onmessage = (message, extra) => {
      if (!isJSONRPCRequest(message) || message.method !== 'tools/call') return deliver(message, extra);
      void this.admit(message.id, message.params, send).then((admitted) => admitted && deliver(message, extra));
    };
    transport.send = async (message, options) => {
      this.recordAnswer(message);
      return send(message, options);
    };
  }

  /**
   * A request the transport refused before reading it (over the size limit): it may well be a tool call, so it is
   * counted and recorded, under no tool name, with why it was refused.
   */
  recordUnread(reason: string): void {
    const started = Date.now();
    this.count(started);
    this.insert({ tool: UNREAD, args: {}, started }, 'error', reason, { rows: 0, salesforceApiCalls: 0 });
  }

  /** Counts the call; past the limit, answers it here (a tool error the agent can act on) and says not to go on. */
  private async admit(id: RequestId, params: unknown, send: Transport['send']): Promise<boolean> {
    const { name, arguments: args } = (params ?? {}) as { name?: unknown; arguments?: unknown };
    const tool = typeof name === 'string' && name !== '' ? withoutSecrets(name).slice(0, MAX_TOOL_NAME) : '(no tool name)';
    const call: PendingCall = { tool, args, started: Date.now() };
    const window = rateWindow(new Date(call.started));
    const seen = this.agent.window.startedAt === window.startedAt ? this.agent.window.calls : 0;
    this.admitted++;
    this.count(call.started);
    if (seen + this.admitted <= this.callsPerMinute) {
      this.pending.set(id, call);
      return true;
    }
    const message = `Rate limit reached: this credential may make ${this.callsPerMinute} tool calls a minute. Wait until ${window.resetAt} and call again.`;
    this.insert(call, 'rate_limited', message, { rows: 0, salesforceApiCalls: 0 });
    const refused: CallToolResult = { isError: true, content: [{ type: 'text', text: message }] };
    await send({ jsonrpc: '2.0', id, result: refused });
    return false;
  }

  /** One more call in the credential's window, written after the answer (tried twice, then logged). */
  private count(started: number): void {
    const at = new Date(started);
    this.defer(
      countAgentCall(this.db, this.agent.credentialId, at)
        .catch(() => countAgentCall(this.db, this.agent.credentialId, at))
        .catch((error: unknown) => console.error('an agent tool call could not be counted', error)),
    );
  }

  private recordAnswer(message: JSONRPCMessage): void {
    if ((!isJSONRPCResultResponse(message) && !isJSONRPCErrorResponse(message)) || message.id === undefined) return;
    const call = this.pending.get(message.id);
    if (!call) return;
    this.pending.delete(message.id);
    const stats = this.stats.get(message.id) ?? { rows: 0, salesforceApiCalls: 0 };
    let outcome: { kind: AgentCallOutcome; reason: string | null };
    if (isJSONRPCErrorResponse(message)) outcome = { kind: 'error', reason: message.error.message };
    else if ((message.result as CallToolResult).isError) outcome = { kind: 'error', reason: errorText(message.result as CallToolResult) };
    else outcome = { kind: 'ok', reason: null };
    this.insert(call, outcome.kind, outcome.reason, outcome.kind === 'ok' ? stats : { rows: 0, salesforceApiCalls: stats.salesforceApiCalls });
  }

  /** Writes the call's row after the answer (see the module comment); a failed write is retried once, then logged. */
  private insert(call: PendingCall, outcome: AgentCallOutcome, reason: string | null, stats: ToolStats): void {
    const row = {
      tenant_id: this.agent.tenantId,
      credential_id: this.agent.credentialId,
      tool: call.tool,
      arguments: summariseArguments(call.args),
      outcome,
      error_message: reason === null ? null : cut(withoutSecrets(reason)),
      rows_returned: stats.rows,
      duration_ms: Date.now() - call.started,
      salesforce_api_calls: stats.salesforceApiCalls,
      called_at: new Date(call.started).toISOString(),
    };
    this.defer(
      insertAgentCall(this.db, row)
        .catch(() => insertAgentCall(this.db, row))
        // The agent still gets its answer; the failure is in the Worker's log for the admin.
        .catch((error: unknown) => console.error(`agent tool call ${call.tool} could not be audited`, error)),
    );
  }
}

function errorText(result: CallToolResult): string {
  const text = result.content.find((part) => part.type === 'text');
  return text && 'text' in text ? text.text : 'The tool answered an error without a message.';
}
