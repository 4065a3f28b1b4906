/**
 * A connector's state in one word, decided once by the Worker and shown as-is by the panel's card and section
 * and by the popup, so they can never disagree. Pure: it reads only what the connector view already holds.
 */
import { z } from 'zod';

export const CONNECTOR_STATE_CODES = ['inactive', 'first_load', 'syncing', 'active', 'rejects', 'paused', 'needs_attention', 'error'] as const;
export type ConnectorStateCode = (typeof CONNECTOR_STATE_CODES)[number];

export const ConnectorStateSchema = z.object({
  code: z.enum(CONNECTOR_STATE_CODES),
  /** the badge text */
  label: z.string(),
  tone: z.enum(['neutral', 'info', 'success', 'warning', 'error']),
  /** one sentence on what it means, for the badge's hover text and the popup */
  detail: z.string(),
});
export type ConnectorState = z.infer<typeof ConnectorStateSchema>;

/** The facts the state depends on; the Worker's connector view has all of them. */
export interface ConnectorFacts {
  active: boolean;
  permissions: { covered: boolean; missing: string[] };
  tables: {
    table: string;
    enabled: boolean;
    phase: 'initial' | 'incremental';
    loaded: number;
    total: number | null;
    lastRun: { status: 'running' | 'succeeded' | 'partial' | 'rate_limited' | 'failed'; rejected: number } | null;
  }[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

export function connectorStateOf(c: ConnectorFacts): ConnectorState {
  const tables = c.tables.filter((t) => t.enabled);
  if (!c.active) return { code: 'inactive', label: 'Inactive', tone: 'neutral', detail: 'Not syncing. Activate it to start.' };
  const failed = tables.filter((t) => t.lastRun?.status === 'failed');
  if (failed.length > 0) {
    return { code: 'error', label: 'Error', tone: 'error', detail: `The last run of ${failed.map((t) => t.table).join(' and ')} failed.` };
  }
  if (!c.permissions.covered) {
    return { code: 'needs_attention', label: 'Needs attention', tone: 'warning', detail: `The connection cannot read ${c.permissions.missing.join(', ')}.` };
  }
  if (tables.some((t) => t.lastRun?.status === 'rate_limited')) {
    return { code: 'paused', label: 'Paused', tone: 'warning', detail: 'Waiting for the org’s daily API usage to allow more; it resumes by itself.' };
  }
  // A first load is under way only while it has rows left to load; "Syncing" is a run that is going on right now.
  const loading = tables.filter((t) => t.phase === 'initial' && (t.lastRun === null || t.lastRun.status === 'partial' || t.lastRun.status === 'running'));
  if (loading.length > 0) {
    const loaded = loading.reduce((sum, t) => sum + t.loaded, 0);
    const total = loading.every((t) => t.total !== null) ? loading.reduce((sum, t) => sum + (t.total ?? 0), 0) : null;
    return {
      code: 'first_load',
      label: 'First load',
      tone: 'info',
      detail: total !== null ? `Copying the existing records: ${loaded.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}.` : 'Copying the existing records.',
    };
  }
  if (tables.some((t) => t.lastRun?.status === 'running')) return { code: 'syncing', label: 'Syncing', tone: 'info', detail: 'A sync is running now.' };
  const rejected = tables.reduce((sum, t) => sum + (t.lastRun?.rejected ?? 0), 0);
  if (rejected > 0) {
    return { code: 'rejects', label: 'Rejects', tone: 'warning', detail: `The last run could not write ${plural(rejected, 'record')}; see Rejected records.` };
  }
  return { code: 'active', label: 'Active', tone: 'success', detail: 'Up to date; syncs on its schedule.' };
}
