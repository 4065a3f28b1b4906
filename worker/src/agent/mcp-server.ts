/**
 * The MCP server one `/mcp` request talks to, built on the official TypeScript SDK: read-only tools over the tenant's
 * synced copy (no Salesforce call, works while Salesforce is down) and, when the admin switched them on, live tools
 * through the integration user. Every tool has a JSON schema for its input (zod), answers `structuredContent`, is
 * annotated read-only, and runs through `runToolCall`; every call is rate limited and audited by ./tool-call-audit.ts.
 * The tenant always comes from the credential, never from the arguments.
 * Tools: https://modelcontextprotocol.io/specification/2025-11-25/server/tools
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { RequestId } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { DESTINATION_TABLES } from '../../../shared/api';
import { describeTable, listTables, syncStatus } from './catalog';
import { type AgentPrincipal, agentCallsPerMinute } from './credentials';
import { getRecordLive, soqlQuery } from './live-tools';
import { type CursorScope, START_AGAIN, openCursor, signCursor } from './page-cursor';
import { getRecord, queryRecords } from './records';
import { searchRecords } from './search-records';
import { ToolCallAudit } from './tool-call-audit';
import { type ToolOutcome, runToolCall } from './tool-calls';
import { AgentToolError } from './tool-error';

export const MAX_PAGE = 50;
const table = z.enum(DESTINATION_TABLES).describe('A synced table: contact or account (Dataverse logical names).');
const includeDeleted = z.boolean().default(false).describe('Also return rows deleted in Salesforce (kept when the connector soft-deletes).');
const row = z.record(z.string(), z.unknown());
const scalar = z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]);
const readOnly = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;
const liveReadOnly = { ...readOnly, idempotentHint: false, openWorldHint: true } as const;

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
    {
      title: 'List synced tables',
      description: 'The synced tables with their row counts, last successful sync and how fresh they are.',
      inputSchema: {},
      outputSchema: { tables: z.array(z.object({ table: z.string(), label: z.string(), salesforceObject: z.string(), rows: z.number(), softDeletedRows: z.number(), lastSuccessfulSync: z.string().nullable(), freshnessSeconds: z.number().nullable() })) },
      annotations: readOnly,
    },
    (args, extra) => run('listTables', extra, async () => {
      const tables = await listTables(db, tenantId, new Date());
      return { result: { tables }, rows: tables.length };
    }),
  );

  server.registerTool(
    'describeTable',
    {
      title: 'Describe a table',
      description: 'The columns of a synced table (Dataverse names and types) and the Salesforce field each comes from. Only these columns can be filtered or sorted on.',
      inputSchema: { table },
      outputSchema: { table: z.string(), salesforceObject: z.string(), primaryKey: z.string(), columns: z.array(z.object({ name: z.string(), label: z.string(), type: z.string(), salesforceField: z.string().nullable(), references: z.string().optional() })) },
      annotations: readOnly,
    },
    (args, extra) => run('describeTable', extra, async () => {
      const described = await describeTable(db, tenantId, args.table);
      return { result: described, rows: described.columns.length };
    }),
  );

  server.registerTool(
    'search',
    {
      title: 'Search contacts and accounts',
      description: 'Full-text search over names, emails, phones and account names, best match first. Every word must match: a plain word as a prefix, an email or a phone as written in full. Page with the returned nextCursor.',
      inputSchema: {
        query: z.string().trim().min(1).max(200).describe('Words to find, e.g. "jane acme" or an email or phone number.'),
        tables: z.array(table).min(1).max(2).default([...DESTINATION_TABLES]),
        limit: z.number().int().min(1).max(MAX_PAGE).default(20),
        cursor: z.string().max(200).optional().describe('nextCursor from the previous page, unchanged, with the same query, tables and includeDeleted.'),
        includeDeleted,
      },
      outputSchema: { hits: z.array(z.object({ table: z.string(), id: z.string(), salesforceId: z.string(), name: z.string(), email: z.string().nullable(), phone: z.string().nullable(), deleted: z.boolean(), score: z.number() })), nextCursor: z.string().nullable() },
      annotations: readOnly,
    },
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
    {
      title: 'Get a record',
      description: "One contact or account by its GUID or Salesforce Id, with the contact's account or the account's contacts (up to 50).",
      inputSchema: { id: z.string().trim().min(1).max(64).describe('A GUID (contactid/accountid) or a 15/18-character Salesforce Id.'), includeDeleted },
      outputSchema: { found: z.boolean(), table: z.string().nullable(), record: row.nullable(), account: row.nullable(), contacts: z.array(row).nullable() },
      annotations: readOnly,
    },
    (args, extra) => run('getRecord', extra, async () => {
      const found = await getRecord(db, tenantId, args);
      const result: Record<string, unknown> = found ? { found: true, ...found } : { found: false, table: null, record: null, account: null, contacts: null };
      return { result, rows: found ? 1 + (found.account ? 1 : 0) + (found.contacts?.length ?? 0) : 0 };
    }),
  );

  server.registerTool(
    'queryRecords',
    {
      title: 'Query records',
      description: 'Rows of a table filtered on its mapped columns (see describeTable; also forcebridge_salesforce_id and forcebridge_modstamp): equals, prefix (case-sensitive), gt/gte/lt/lte, in. Sorted, at most 50 a page; pass nextCursor back for the next page, which starts right after the last row of this one even while the sync writes. No SQL.',
      inputSchema: {
        table,
        filters: z
          .array(z.object({ column: z.string().max(64), op: z.enum(['equals', 'prefix', 'gt', 'gte', 'lt', 'lte', 'in']), value: z.union([scalar, z.array(scalar).min(1).max(100)]) }))
          .max(10)
          .default([]),
        sort: z.object({ column: z.string().max(64), direction: z.enum(['asc', 'desc']).default('asc') }).optional(),
        limit: z.number().int().min(1).max(MAX_PAGE).default(20),
        // A keyset cursor carries the last row's sort value: up to a 2,000-character description, base64.
        cursor: z.string().max(12_000).optional().describe('nextCursor from the previous page, unchanged, with the same table, filters, sort and includeDeleted.'),
        includeDeleted,
      },
      outputSchema: { table: z.string(), records: z.array(row), nextCursor: z.string().nullable().describe('Opaque and signed; null on the last page.') },
      annotations: readOnly,
    },
    (args, extra) => run('queryRecords', extra, async () => {
      const page = await queryRecords(db, env.ENCRYPTION_KEY, tenantId, args);
      return { result: page, rows: page.records.length };
    }),
  );

  server.registerTool(
    'syncStatus',
    {
      title: 'Sync status',
      description: 'Per connector and table: first load or incremental, progress, the last run (status, counts, errors) and rejected records.',
      inputSchema: {},
      outputSchema: { connectors: z.array(row) },
      annotations: readOnly,
    },
    (args, extra) => run('syncStatus', extra, async () => {
      const connectors = await syncStatus(db, tenantId);
      return { result: { connectors }, rows: connectors.length };
    }),
  );

  if (agent.liveTools) {
    const connectionId = z.string().max(64).optional().describe('Which org, when live tools are on for more than one.');
    server.registerTool(
      'soqlQuery',
      {
        title: 'Live SOQL query',
        description: `Reads Salesforce now as the integration user. One SELECT of plain fields from one object it may read (WHERE, ORDER BY, LIMIT allowed; at most 200 rows). Costs one API call of the org's daily allowance; prefer the synced copy.`,
        inputSchema: { soql: z.string().trim().min(1).max(4000), connectionId },
        outputSchema: { connectionId: z.string(), soql: z.string(), records: z.array(row), totalSize: z.number(), truncated: z.boolean(), apiCallsSpent: z.number() },
        annotations: liveReadOnly,
      },
      (args, extra) => run('soqlQuery', extra, async () => {
        const result = await soqlQuery(env, tenantId, args);
        return { result, rows: result.records.length, salesforceApiCalls: result.apiCallsSpent };
      }),
    );
    server.registerTool(
      'getRecordLive',
      {
        title: 'Live record',
        description: 'One Contact or Account read from Salesforce now, with every field the integration user may read. Costs one API call.',
        inputSchema: { object: z.enum(['Contact', 'Account']), id: z.string().trim().min(15).max(18), connectionId },
        outputSchema: { connectionId: z.string(), object: z.string(), record: row.nullable(), apiCallsSpent: z.number() },
        annotations: liveReadOnly,
      },
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
