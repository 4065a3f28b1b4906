/**
 * The invocation's loop: read the describes the conversions need, then take steps — a Bulk job started first
 * (Salesforce prepares it meanwhile), REST tables next, then Bulk pages — until every table is done or a limit (API
 * calls, records, time, the org's allowance) stops them. Failures become truthful run outcomes here.
 */
import { TABLES } from '../../../shared/mapping/destination';
import { salesforceCode } from '../../../shared/run-outcomes';
import { describeFields } from '../connectors/describe-cache';
import { dropRequestedPage } from '../salesforce/bulk2';
import { DataverseError } from '../dataverse/errors';
import { DeadlineReached, MalformedResponse, asSalesforceError } from '../salesforce/errors';
import { budgetLeft, loadUsage, pausedMessage, saveUsage } from './budget';
import { bulkStep } from './bulk-pass';
import { pageConverter } from './convert-page';
import { readsInBulk } from './cursor';
import { settlePrefetch } from './prefetch';
import { type Invocation, charge, fail, stopAll } from './invocation';
import { restStep } from './rest-pass';

export async function runTables(inv: Invocation, clock: () => Date): Promise<void> {
  const { tables, limits } = inv;
  try {
    await loadUsage(inv);
    await readDescribes(inv);
    for (;;) {
      const pending = tables.filter((t) => !t.finished);
      if (pending.length === 0) return;
      if (!budgetLeft(inv)) return stopAll(pending, 'rate_limited', 'api_budget_reserved', pausedMessage(inv));
      const read = tables.reduce((sum, t) => sum + t.outcome.read, 0);
      if (inv.api.apiCalls >= limits.maxApiCalls || read >= limits.maxRecords || Date.now() >= inv.deadline) {
        return stopAll(pending, 'partial', null, 'Stopped at this invocation’s work limit; the next tick carries on from the last committed page.');
      }
      const rest = pending.filter((t) => !readsInBulk(t.cursor, limits.bulkThreshold));
      const bulk = pending.find((t) => readsInBulk(t.cursor, limits.bulkThreshold) && !t.cursor.bulk_job_id) ?? (rest.length === 0 ? pending[0] : undefined);
      if (bulk) await bulkStep(inv, bulk);
      else await restStep(inv, rest);
    }
  } catch (error) {
    const sf = asSalesforceError(error);
    const pending = tables.filter((t) => !t.finished);
    if (error instanceof DeadlineReached) {
      // Work committed this invocation makes it a partial run the next tick carries on; none at all is a failure.
      const progressed = tables.some((t) => t.outcome.read > 0);
      if (progressed) stopAll(pending, 'partial', null, `${error.message} The next tick carries on from the last committed page.`);
      else for (const t of pending) fail(t, 'salesforce_timeout', `${error.message} Nothing was lost: the next run tries again from the last committed page.`);
    } else if (error instanceof DataverseError) {
      // The page was not recorded in D1, so the cursor is before it: the next run sends it again (idempotent upserts).
      if (error.status === 429) stopAll(pending, 'rate_limited', 'dataverse_throttled', `Dataverse's service protection asked to wait ${error.retryAfterSeconds ?? 'a while'} s (${error.code}: ${error.message}). Nothing was lost: the next run sends the page again.`);
      else for (const t of pending) fail(t, 'dataverse_failed', `Dataverse refused the page (${error.code || `HTTP ${error.status}`}: ${error.message}). Nothing was lost: the next run carries on from the last committed page.`);
    } else if (sf?.errorCode === 'REQUEST_LIMIT_EXCEEDED') {
      stopAll(pending, 'rate_limited', salesforceCode(sf.errorCode), `Salesforce refused more API requests today (${sf.message}). The sync resumes by itself once the org's 24-hour allowance frees up.`);
    } else if (sf) {
      for (const t of pending) fail(t, salesforceCode(sf.errorCode), `${sf.message} Nothing was lost: the next run carries on from the last committed page.`);
    } else if (error instanceof MalformedResponse) {
      for (const t of pending) fail(t, 'malformed_response', `${error.message} Nothing was lost: the next run carries on from the last committed page.`);
    } else {
      throw error;
    }
  } finally {
    await settlePrefetch(inv);
    if (inv.nextBulkPage) dropRequestedPage(inv.nextBulkPage);
    await saveUsage(inv, clock());
  }
}

/** Field types for conversions, from the cached describe (taken as the integration user when there is none). */
async function readDescribes(inv: Invocation): Promise<void> {
  for (const t of inv.tables) {
    const before = inv.api.apiCalls;
    const fields = await beforeDeadline(
      describeFields(inv.env.DB, inv.connection.id, TABLES[t.table].source, async () => {
        inv.api.apiCalls++;
        return inv.api.conn;
      }),
      inv.deadline,
    );
    charge(inv, t, before);
    const target = {
      tenantId: inv.connector.tenant_id,
      connectorId: inv.connector.id,
      table: t.table,
      deleteMode: inv.connector.delete_mode,
      rewriteSameVersion: t.cursor.backfill_columns != null,
    };
    t.formulas = fields.filter((f) => f.calculated && Object.values(t.mapping).includes(f.name)).map((f) => f.name);
    t.convert = pageConverter({ target, mapping: t.mapping, fields: new Map(fields.map((f) => [f.name, f])), teamId: inv.connector.team_id });
  }
}

/** A jsforce call (which takes no abort signal) raced against the deadline, so it cannot hold the invocation past it. */
async function beforeDeadline<T>(work: Promise<T>, deadline: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineReached('Salesforce did not answer before this invocation’s time limit; the request was abandoned.')), Math.max(1, deadline - Date.now()));
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
