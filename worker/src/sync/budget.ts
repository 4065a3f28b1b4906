/**
 * The org's daily API allowance, as the sync respects it: the last reading (from `Sforce-Limit-Info`), whether enough
 * is left above the connector's reserve, and — once per interval while paused — one cheap call to read it again.
 */
import { apiUsageOf, saveApiUsageStatement } from '../db/sync-runs';
import { fetchComposite, queryAllUrl } from '../salesforce/rest';
import { type Invocation, charge } from './invocation';
import { countSoql } from './plan';

/** The allowance is counted over the last 24 hours: a reading older than that says nothing about now. */
const USAGE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Nothing left is never "enough left", even with no reserve (a 0 threshold): asking would only be refused. */
export function budgetLeft(inv: Invocation): boolean {
  const usage = inv.api.usage;
  return !usage || (usage.used < usage.max && (usage.max - usage.used) / usage.max >= inv.connector.budget_threshold);
}

export function pausedMessage(inv: Invocation): string {
  const usage = inv.api.usage!;
  return `Paused: the org has ${usage.max - usage.used} of its ${usage.max} daily API requests left, below the ${Math.round(inv.connector.budget_threshold * 100)} % this connector keeps in reserve. It resumes when usage falls.`;
}

/**
 * Takes the stored reading into the session when it is recent enough. The allowance is a rolling 24 hours: a reading
 * below the reserve goes stale, and only a call can refresh it (a count answers with the current usage) — once per
 * connector interval, so a paused connector costs little.
 */
export async function loadUsage(inv: Invocation): Promise<void> {
  const stored = await apiUsageOf(inv.env.DB, inv.connection.id);
  const known = stored && Date.parse(stored.observed_at) > inv.at.getTime() - USAGE_WINDOW_MS ? stored : null;
  if (!known) return;
  inv.api.usage = { used: known.used, max: known.max };
  if (!budgetLeft(inv) && Date.parse(known.observed_at) <= inv.at.getTime() - inv.connector.interval_minutes * 60_000) {
    const first = inv.tables[0]!;
    const before = inv.api.apiCalls;
    await fetchComposite(inv.api, [{ method: 'GET', url: queryAllUrl(countSoql(first.table)), referenceId: 'usage' }]);
    charge(inv, first, before);
  }
}

/**
 * Only a reading Salesforce gave in this invocation is saved, stamped when it was given: re-saving an old reading as
 * new would keep it from ever growing old enough to be checked again.
 */
export async function saveUsage(inv: Invocation, observedAt: Date): Promise<void> {
  if (inv.api.usage && inv.api.usageAnswered) await saveApiUsageStatement(inv.env.DB, inv.connection.id, inv.api.usage, observedAt.toISOString()).run();
}
