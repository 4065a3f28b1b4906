/**
 * What the card says about a table's Id reconciliation (the check that finds records purged in Salesforce): under
 * way, asked for and why, or how the last one went — and the schedules the admin can choose. Pure, so it is tested
 * on its own (reconciliation.test.ts).
 */
import type { Connector } from '../../../../shared/api';

type Table = Connector['tables'][number];

/** Schedules offered in the card, in days (0: only when the delete log cannot cover a pass, or on demand). */
export const RECONCILE_SCHEDULES: { days: number; label: string }[] = [
  { days: 1, label: 'Daily' },
  { days: 7, label: 'Weekly' },
  { days: 30, label: 'Monthly' },
  { days: 0, label: 'Only when needed' },
];

const REASONS: Record<string, string> = {
  requested: 'asked for',
  window_expired: 'the connector was off longer than Salesforce keeps its delete log (15 days)',
  replication_date_refused: 'Salesforce refused the delete log’s window as too old',
  deleted_log_unreadable: 'the delete log could not be read',
  scheduled: 'on schedule',
};

export interface ReconciliationLine {
  tone: 'info' | 'success' | 'warning' | 'error';
  text: string;
}

export function reconciliationLine(t: Table): ReconciliationLine {
  const r = t.reconciliation;
  const run = r?.lastRun ?? null;
  if (r?.underWay) return { tone: 'info', text: `Comparing every Id with Salesforce (${REASONS[r.reason ?? 'scheduled'] ?? r.reason}); nothing is removed until all are read.` };
  if (r?.requestedAt) return { tone: 'info', text: `Due on the next run (${REASONS[r.reason ?? 'requested'] ?? r.reason}).` };
  if (!run) return { tone: 'info', text: 'Not reconciled yet: deletes arrive through Salesforce’s delete log with each sync.' };
  const numbers = `${run.read.toLocaleString('en-US')} Ids compared, ${run.deleted.toLocaleString('en-US')} removed`;
  if (run.status === 'succeeded') return { tone: 'success', text: `Last reconciled: ${numbers}.` };
  if (run.status === 'partial' || run.status === 'running') return { tone: 'info', text: `Under way: ${numbers} so far.` };
  return { tone: run.status === 'failed' ? 'error' : 'warning', text: `The last reconciliation did not finish: ${run.errorMessage ?? run.errorCode ?? run.status}. Nothing was removed on partial evidence.` };
}
