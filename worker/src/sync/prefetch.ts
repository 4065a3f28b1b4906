/**
 * The next Composite call, asked for while this one's pages are written. When the pages just read settle what the
 * next REST step will ask — every table either ended or goes on at its nextRecordsUrl, no Bulk job must start first,
 * and no limit (calls, records, time, the org's allowance) will stop it — that call is sent at once, so Salesforce's
 * answer travels while D1 writes. It runs on its own count of calls and usage, joined to the invocation's when it is
 * used; a prefetch the invocation ends without using is still counted (the call was made) and its answer dropped.
 * Nothing is committed from a prefetch but through the step that uses it, so crash safety is unchanged.
 */
import { type ApiSession, type CompositeSubrequest, type QueryPage, type SubrequestResult, fetchComposite, pageOf } from '../salesforce/rest';
import { budgetLeft } from './budget';
import { readsInBulk } from './cursor';
import type { Invocation, TableRun } from './invocation';
import { chainLengths, pageChain } from './plan';

export interface Prefetch {
  key: string;
  session: ApiSession;
  /** the table its call is charged to if it is never used */
  table: TableRun;
  results: Promise<Map<string, SubrequestResult>>;
}

const keyOf = (subrequests: CompositeSubrequest[]) => subrequests.map((s) => `${s.referenceId} ${s.url}`).join('\n');

/** The answer to `subrequests`: the prefetched one when it was asked for, else a call now. */
export async function composite(inv: Invocation, subrequests: CompositeSubrequest[]): Promise<Map<string, SubrequestResult>> {
  const prefetch = inv.prefetch;
  if (!prefetch || prefetch.key !== keyOf(subrequests)) return fetchComposite(inv.api, subrequests);
  inv.prefetch = undefined;
  try {
    return await prefetch.results;
  } finally {
    join(inv, prefetch);
  }
}

/** A prefetch left unused (or one of other `subrequests`): its call counted against its table, its answer dropped. */
export async function settlePrefetch(inv: Invocation, unless?: CompositeSubrequest[]): Promise<void> {
  const prefetch = inv.prefetch;
  if (!prefetch || (unless && prefetch.key === keyOf(unless))) return;
  inv.prefetch = undefined;
  await prefetch.results.catch(() => undefined);
  prefetch.table.outcome.apiCalls += prefetch.session.apiCalls;
  join(inv, prefetch);
}

function join(inv: Invocation, prefetch: Prefetch) {
  inv.api.apiCalls += prefetch.session.apiCalls;
  if (prefetch.session.usageAnswered) {
    inv.api.usage = prefetch.session.usage;
    inv.api.usageAnswered = true;
  }
}

/** Sends the next REST step's Composite call now, when `results` (this step's answer) settle what it will be. */
export function prefetchNextRestStep(inv: Invocation, pending: TableRun[], lengths: number[], results: Map<string, SubrequestResult>): void {
  const { limits } = inv;
  const others = inv.tables.filter((t) => !t.finished && !pending.includes(t));
  if (others.some((t) => readsInBulk(t.cursor, limits.bulkThreshold) && !t.cursor.bulk_job_id)) return;
  let records = 0;
  const goOn: { table: TableRun; url: string }[] = [];
  for (const [index, t] of pending.entries()) {
    let last: QueryPage | undefined;
    let total = t.cursor.total;
    let read = 0;
    for (let i = 0; i < lengths[index]!; i++) {
      const result = results.get(`${t.table}_${i}`);
      const answer = result && pageOf(result, 'a query');
      if (!answer?.ok) return;
      last = answer.page;
      total ??= last.totalSize;
      read += last.records.length;
      if (last.done || !last.nextRecordsUrl) break;
    }
    records += read;
    if (!last || last.done || !last.nextRecordsUrl) continue;
    // A first load with more than the threshold left hands the rest to Bulk API 2.0: the next step starts that job.
    if (t.cursor.phase === 'initial' && total !== null && total - (t.cursor.loaded + read) > limits.bulkThreshold) return;
    goOn.push({ table: t, url: last.nextRecordsUrl });
  }
  const read = inv.tables.reduce((sum, t) => sum + t.outcome.read, 0);
  if (goOn.length === 0 || inv.api.apiCalls >= limits.maxApiCalls || read + records >= limits.maxRecords || Date.now() >= inv.deadline || !budgetLeft(inv)) return;

  const nextLengths = chainLengths(goOn.map(() => false));
  const subrequests = goOn.flatMap(({ table, url }, i) => pageChain(table.table, url, nextLengths[i]!));
  const session: ApiSession = { ...inv.api, apiCalls: 0, usageAnswered: false };
  const answer = fetchComposite(session, subrequests);
  // Awaited by the step that uses it, or when the invocation ends; until then a failure is not unhandled.
  answer.catch(() => undefined);
  inv.prefetch = { key: keyOf(subrequests), session, table: goOn[0]!.table, results: answer };
}
