/**
 * The MCP server one `/mcp` request talks to, built on the official TypeScript SDK: read-only tools over the tenant's
 * synced copy (no Salesforce call, works while Salesforce is down) and, when the admin switched them on, live tools
 * through the integration user. Every tool has a JSON schema for its input (zod, in ./tool-definitions.ts), answers
 * `structuredContent`, is annotated read-only, and runs through `runToolCall`; every call is rate limited and audited
 * by ./tool-call-audit.ts.
 * The tenant always comes from the credential, never from the arguments.
 * Tools: https://modelcontextprotocol.io/specification/2025-11-25/server/tools
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { RequestId } from '@modelcontextprotocol/sdk/types.js';
import { describeTable, listTables, syncStatus } from './catalog';
import { type AgentPrincipal, agentCallsPerMinute } from './credentials';
import { getRecordLive, soqlQuery } from './live-tools';
import { type CursorScope, START_AGAIN, openCursor, signCursor } from './page-cursor';
import { getRecord, queryRecords } from './records';
import { searchRecords } from './search-records';
import { ToolCallAudit } from './tool-call-audit';
import { type ToolOutcome, runToolCall } from './tool-calls';
import { TOOLS } from './tool-definitions';
import { AgentToolError } from './tool-error';

/**
 * A server for one request, connected to `transport` with the audit between them (every tools/call is counted and
 * recorded, including those the SDK refuses before a tool runs). `defer` keeps the request alive for the audit rows
 * written after the answer (the request's `ctx.waitUntil`).
 */
export async function connectAgentMcpServer(
  env: Env,
  agent: AgentPrincipal,
  transport: Transport,
  defer: (work: Promise<unknown>) => void,
): Promise<{ server: McpServer; audit: ToolCallAudit }> {
  const audit = new ToolCallAudit(env.DB, agent, agentCallsPerMinute(env.AGENT_CALLS_PER_MINUTE), defer);
  const server = await agentMcpServer(env, agent, audit);
  await server.connect(transport);
  audit.watch(transport);
  return { server, audit };
}

async function agentMcpServer(env: Env, agent: AgentPrincipal, audit: ToolCallAudit): Promise<McpServer> {
  const run = <T extends Record<string, unknown>>(tool: string, extra: { requestId: RequestId }, body: () => Promise<ToolOutcome<T>>) =>
    runToolCall(tool, body, (stats) => audit.note(extra.requestId, stats));
  const server = new McpServer({ name: 'forcebridge', version: '0.1.0' }, { instructions: 'Read-only access to the Salesforce contacts and accounts Forcebridge copies for this team. Start with listTables and describeTable; search finds records by name, email or phone; getRecord reads one with its relations.' });
  const db = env.DB;
  const tenantId = agent.tenantId;

  server.registerTool(
    'listTables',
    TOOLS.listTables,
    (args, extra) => run('listTables', extra, async () => {
      const tables = await listTables(db, tenantId, new Date());
      return { result: { tables }, rows: tables.length };
    }),
  );

  server.registerTool(
    'describeTable',
    TOOLS.describeTable,
    (args, extra) => run('describeTable', extra, async () => {
      const described = await describeTable(db, tenantId, args.table);
      return { result: described, rows: described.columns.length };
    }),
  );

  server.registerTool(
    'search',
    TOOLS.search,
    (args, extra) => run('search', extra, async () => {
      const scope: CursorScope = { tool: 'search', tenantId, connectorIds: [], query: { query: args.query, tables: args.tables, includeDeleted: args.includeDeleted } };
      const offset = args.cursor ? searchOffset(await openCursor(env.ENCRYPTION_KEY, scope, args.cursor)) : 0;
      const hits = await searchRecords(db, tenantId, { query: args.query, tables: args.tables, limit: args.limit + 1, offset, includeDeleted: args.includeDeleted });
      const more = hits.length > args.limit;
      const page = more ? hits.slice(0, args.limit) : hits;
      return { result: { hits: page, nextCursor: more ? await signCursor(env.ENCRYPTION_KEY, scope, offset + args.limit) : null }, rows: page.length };
    }),
  );

  server.registerTool(
    'getRecord',
    TOOLS.getRecord,
    (args, extra) => run('getRecord', extra, async () => {
      const found = await getRecord(db, tenantId, args);
      const result: Record<string, unknown> = found ? { found: true, ...found } : { found: false, table: null, record: null, account: null, contacts: null };
      return { result, rows: found ? 1 + (found.account ? 1 : 0) + (found.contacts?.length ?? 0) : 0 };
    }),
  );

  server.registerTool(
    'queryRecords',
    TOOLS.queryRecords,
    (args, extra) => run('queryRecords', extra, async () => {
      const page = await queryRecords(db, env.ENCRYPTION_KEY, tenantId, args);
      return { result: page, rows: page.records.length };
    }),
  );

  server.registerTool(
    'syncStatus',
    TOOLS.syncStatus,
    (args, extra) => run('syncStatus', extra, async () => {
      const connectors = await syncStatus(db, tenantId);
      return { result: { connectors }, rows: connectors.length };
    }),
  );

  if (agent.liveTools) {
    server.registerTool(
      'soqlQuery',
      TOOLS.soqlQuery,
      (args, extra) => run('soqlQuery', extra, async () => {
        const result = await soqlQuery(env, tenantId, args);
        return { result, rows: result.records.length, salesforceApiCalls: result.apiCallsSpent };
      }),
    );
    server.registerTool(
      'getRecordLive',
      TOOLS.getRecordLive,
      (args, extra) => run('getRecordLive', extra, async () => {
        const result = await getRecordLive(env, tenantId, args);
        return { result, rows: result.record ? 1 : 0, salesforceApiCalls: result.apiCallsSpent };
      }),
    );
  }
  return server;
}

/** The offset a genuine search cursor holds. */
function searchOffset(position: unknown): number {
  if (typeof position !== 'number' || !Number.isInteger(position) || position < 0) throw new AgentToolError(`The cursor could not be read. ${START_AGAIN}`);
  return position;
}
