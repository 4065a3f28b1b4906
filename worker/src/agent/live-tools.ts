/**
 * Live tools: read Salesforce now, as the integration user, when the admin switched them on for the connection.
 * A SOQL text is checked by soql-policy.ts first. Nothing runs while the org's daily API requests left are below the
 * reserve its connectors keep; every result says how many API calls it spent.
 */
import type { SourceObject } from '../../../shared/mapping/destination';
import { cachedDescribe } from '../connectors/describe-cache';
import { liveToolConnections } from '../db/agent-live-tools';
import type { ConnectionRow } from '../db/connections';
import { budgetReserveOfConnection } from '../db/connectors';
import { parseGrantedAccess } from '../db/stored-json';
import { apiUsageOf, saveApiUsageStatement } from '../db/sync-runs';
import type { Connection } from '../salesforce/api';
import { integrationSession } from '../salesforce/integration-session';
import { LIVE_ROW_CAP, checkedSoql } from './soql-policy';
import { AgentToolError } from './tool-error';

const DEFAULT_RESERVE = 0.2;

/** A connection whose live tools are on, chosen by id or, when the tenant has one, that one. */
export async function liveConnection(db: D1Database, tenantId: string, connectionId: string | undefined): Promise<ConnectionRow> {
  const results = await liveToolConnections(db, tenantId, connectionId);
  if (results.length === 0) {
    throw new AgentToolError(
      connectionId
        ? `Live tools are not switched on for connection ${connectionId}, or it is not connected. The Forcebridge admin switches them on in the panel (Agent access).`
        : 'Live tools are not switched on for any connected org of this tenant. The Forcebridge admin switches them on in the panel (Agent access); until then use the synced copy (search, queryRecords, getRecord).',
    );
  }
  if (results.length > 1) throw new AgentToolError(`Live tools are on for several orgs; pass connectionId (one of ${results.map((r) => r.id).join(', ')}).`);
  return results[0]!;
}

/** Object → the fields the integration user may read: those its permission set grants, and those no permission hides. */
export async function readableFields(db: D1Database, connection: ConnectionRow): Promise<Map<string, Map<string, string>>> {
  const plan = parseGrantedAccess(connection.granted_access) ?? { objects: [], fields: [] };
  const readable = new Map<string, Map<string, string>>();
  for (const { sobject } of plan.objects) {
    const fields = new Map<string, string>([['id', 'Id']]);
    for (const f of plan.fields) if (f.startsWith(`${sobject}.`)) fields.set(f.slice(sobject.length + 1).toLowerCase(), f.slice(sobject.length + 1));
    for (const f of (await cachedDescribe(db, connection.id, sobject as SourceObject)) ?? []) if (f.permissionable === false) fields.set(f.name.toLowerCase(), f.name);
    readable.set(sobject.toLowerCase(), fields);
  }
  return readable;
}

async function reserveKept(db: D1Database, connection: ConnectionRow) {
  const usage = await apiUsageOf(db, connection.id);
  if (!usage || usage.max <= 0) return;
  const threshold = (await budgetReserveOfConnection(db, connection.id)) ?? DEFAULT_RESERVE;
  const left = usage.max - usage.used;
  if (left / usage.max < threshold) {
    throw new AgentToolError(
      `The org has ${left} of its ${usage.max} daily API requests left (as of ${usage.observed_at}), below the ${Math.round(threshold * 100)} % Forcebridge keeps in reserve for the sync. Live tools are paused until usage falls; use the synced copy meanwhile.`,
    );
  }
}

async function noteUsage(db: D1Database, connection: ConnectionRow, conn: Connection) {
  const usage = conn.limitInfo?.apiUsage;
  if (usage) await saveApiUsageStatement(db, connection.id, { used: usage.used, max: usage.limit }, new Date().toISOString()).run();
}

const withoutAttributes = (record: Record<string, unknown>) => Object.fromEntries(Object.entries(record).filter(([k]) => k !== 'attributes'));

export async function soqlQuery(env: Env, tenantId: string, input: { soql: string; connectionId?: string }) {
  const connection = await liveConnection(env.DB, tenantId, input.connectionId);
  const checked = checkedSoql(input.soql, await readableFields(env.DB, connection));
  await reserveKept(env.DB, connection);
  const conn = await integrationSession(env, connection);
  const result = await conn.query<Record<string, unknown>>(checked.soql, { autoFetch: false, maxFetch: LIVE_ROW_CAP });
  await noteUsage(env.DB, connection, conn);
  const records = result.records.slice(0, LIVE_ROW_CAP).map(withoutAttributes);
  return { connectionId: connection.id, soql: checked.soql, records, totalSize: result.totalSize, truncated: !result.done || result.totalSize > records.length, apiCallsSpent: 1 };
}

export async function getRecordLive(env: Env, tenantId: string, input: { object: 'Contact' | 'Account'; id: string; connectionId?: string }) {
  if (!/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(input.id)) throw new AgentToolError('id must be a Salesforce Id (15 or 18 letters and digits).');
  const connection = await liveConnection(env.DB, tenantId, input.connectionId);
  const fields = (await readableFields(env.DB, connection)).get(input.object.toLowerCase());
  if (!fields) throw new AgentToolError(`The integration user may not read ${input.object}.`);
  await reserveKept(env.DB, connection);
  const conn = await integrationSession(env, connection);
  const soql = `SELECT ${[...new Set(fields.values())].join(', ')} FROM ${input.object} WHERE Id = '${input.id}' LIMIT 1`;
  const result = await conn.query<Record<string, unknown>>(soql, { autoFetch: false });
  await noteUsage(env.DB, connection, conn);
  const record = result.records[0];
  return { connectionId: connection.id, object: input.object, record: record ? withoutAttributes(record) : null, apiCallsSpent: 1 };
}
