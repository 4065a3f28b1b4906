/**
 * What an agent sees of each MCP tool: title, description, input and output schemas (zod objects, so the SDK uses them
 * as they are) and annotations. Built once per isolate: a server is made for every request (the endpoint is
 * stateless), and building these schemas for each one took most of its 2.5 ms (tests/bench/agent.ts). The handlers
 * are in ./mcp-server.ts. Tools: https://modelcontextprotocol.io/specification/2025-11-25/server/tools
 */
import { z } from 'zod';
import { DESTINATION_TABLES } from '../../../shared/api';

export const MAX_PAGE = 50;
const table = z.enum(DESTINATION_TABLES).describe('A synced table: contact or account (Dataverse logical names).');
const includeDeleted = z.boolean().default(false).describe('Also return rows deleted in Salesforce (kept when the connector soft-deletes).');
const row = z.record(z.string(), z.unknown());
const scalar = z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]);
const connectionId = z.string().max(64).optional().describe('Which org, when live tools are on for more than one.');
const readOnly = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;
const liveReadOnly = { ...readOnly, idempotentHint: false, openWorldHint: true } as const;

export const TOOLS = {
  listTables: {
    title: 'List synced tables',
    description: 'The synced tables with their row counts, last successful sync and how fresh they are.',
    inputSchema: z.object({}),
    outputSchema: z.object({ tables: z.array(z.object({ table: z.string(), label: z.string(), salesforceObject: z.string(), rows: z.number(), softDeletedRows: z.number(), lastSuccessfulSync: z.string().nullable(), freshnessSeconds: z.number().nullable() })) }),
    annotations: readOnly,
  },
  describeTable: {
    title: 'Describe a table',
    description: 'The columns of a synced table (Dataverse names and types) and the Salesforce field each comes from. Only these columns can be filtered or sorted on.',
    inputSchema: z.object({ table }),
    outputSchema: z.object({ table: z.string(), salesforceObject: z.string(), primaryKey: z.string(), columns: z.array(z.object({ name: z.string(), label: z.string(), type: z.string(), salesforceField: z.string().nullable(), references: z.string().optional() })) }),
    annotations: readOnly,
  },
  search: {
    title: 'Search contacts and accounts',
    description: 'Full-text search over names, emails, phones and account names, best match first. Every word must match: a plain word as a prefix, an email or a phone as written in full. Page with the returned nextCursor.',
    inputSchema: z.object({
      query: z.string().trim().min(1).max(200).describe('Words to find, e.g. "jane acme" or an email or phone number.'),
      tables: z.array(table).min(1).max(2).default([...DESTINATION_TABLES]),
      limit: z.number().int().min(1).max(MAX_PAGE).default(20),
      cursor: z.string().max(200).optional().describe('nextCursor from the previous page, unchanged, with the same query, tables and includeDeleted.'),
      includeDeleted,
    }),
    outputSchema: z.object({ hits: z.array(z.object({ table: z.string(), id: z.string(), salesforceId: z.string(), name: z.string(), email: z.string().nullable(), phone: z.string().nullable(), deleted: z.boolean(), score: z.number() })), nextCursor: z.string().nullable() }),
    annotations: readOnly,
  },
  getRecord: {
    title: 'Get a record',
    description: "One contact or account by its GUID or Salesforce Id, with the contact's account or the account's contacts (up to 50).",
    inputSchema: z.object({ id: z.string().trim().min(1).max(64).describe('A GUID (contactid/accountid) or a 15/18-character Salesforce Id.'), includeDeleted }),
    outputSchema: z.object({ found: z.boolean(), table: z.string().nullable(), record: row.nullable(), account: row.nullable(), contacts: z.array(row).nullable() }),
    annotations: readOnly,
  },
  queryRecords: {
    title: 'Query records',
    description: 'Rows of a table filtered on its mapped columns (see describeTable; also forcebridge_salesforce_id and forcebridge_modstamp): equals, prefix (case-sensitive), gt/gte/lt/lte, in. Sorted, at most 50 a page; pass nextCursor back for the next page, which starts right after the last row of this one even while the sync writes. No SQL.',
    inputSchema: z.object({
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
    }),
    outputSchema: z.object({ table: z.string(), records: z.array(row), nextCursor: z.string().nullable().describe('Opaque and signed; null on the last page.') }),
    annotations: readOnly,
  },
  syncStatus: {
    title: 'Sync status',
    description: 'Per connector and table: first load or incremental, progress, the last run (status, counts, errors) and rejected records.',
    inputSchema: z.object({}),
    outputSchema: z.object({ connectors: z.array(row) }),
    annotations: readOnly,
  },
  soqlQuery: {
    title: 'Live SOQL query',
    description: `Reads Salesforce now as the integration user. One SELECT of plain fields from one object it may read (WHERE, ORDER BY, LIMIT allowed; at most 200 rows). Costs one API call of the org's daily allowance; prefer the synced copy.`,
    inputSchema: z.object({ soql: z.string().trim().min(1).max(4000), connectionId }),
    outputSchema: z.object({ connectionId: z.string(), soql: z.string(), records: z.array(row), totalSize: z.number(), truncated: z.boolean(), apiCallsSpent: z.number() }),
    annotations: liveReadOnly,
  },
  getRecordLive: {
    title: 'Live record',
    description: 'One Contact or Account read from Salesforce now, with every field the integration user may read. Costs one API call.',
    inputSchema: z.object({ object: z.enum(['Contact', 'Account']), id: z.string().trim().min(15).max(18), connectionId }),
    outputSchema: z.object({ connectionId: z.string(), object: z.string(), record: row.nullable(), apiCallsSpent: z.number() }),
    annotations: liveReadOnly,
  },
};
