/**
 * Sends a page's operations to Dataverse in `$batch` requests of at most 1,000 operations, the documented ceiling
 * (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api#batch-requests),
 * a few at once: Microsoft recommends parallel requests for throughput
 * (https://learn.microsoft.com/power-apps/developer/data-platform/send-parallel-requests), and a handful stays far
 * under the 52 concurrent requests per user service protection allows
 * (https://learn.microsoft.com/power-apps/developer/data-platform/api-limits#service-protection-api-limits).
 *
 * First round: the operations in change sets (atomic groups), with `Prefer: odata.continue-on-error` so one failed
 * change set does not stop the others. A failed change set answers only its failing request (by `Content-ID`): that
 * operation is settled by its status, and the others of the set, rolled back, go again as independent parts, which
 * each answer for themselves. A 404 on a delete is success (the row is already gone). A 429 — for the batch or a
 * part — waits `Retry-After` when that ends before the invocation's deadline; otherwise the page stops unwritten
 * as far as the cursor is concerned, and the next tick sends it again (upserts are idempotent).
 * https://learn.microsoft.com/power-apps/developer/data-platform/api-limits#retry-operations
 */
import { DataverseError, webApiError } from '../../dataverse/errors';
import type { DataverseClient } from '../../dataverse/client';
import { batchBody, boundaryOf, readBatchAnswer } from './multipart';
import type { Operation } from './operations';

export interface SendOptions {
  /** operations per `$batch` (≤ 1,000) */
  batchOperations: number;
  /** operations per change set (≤ batchOperations) */
  changeSetOperations: number;
  /** `$batch` requests in flight at once (far below the 52 concurrent requests service protection allows) */
  inFlight: number;
  /** epoch ms: no wait for Retry-After goes past it */
  deadline: number;
}

export type Settled = { op: Operation; outcome: 'written' | 'absent' } | { op: Operation; outcome: 'refused'; status: number; code: string; message: string };

/** Margin kept before the deadline after a Retry-After wait, for the batch itself and the D1 commit. */
const DEADLINE_MARGIN_MS = 3_000;
/** Transient part failures (5xx) retried before the page gives up. */
const MAX_TRANSIENT_ROUNDS = 3;

export async function sendOperations(client: DataverseClient, operations: Operation[], options: SendOptions): Promise<{ settled: Settled[]; requests: number }> {
  const settled: Settled[] = [];
  let requests = 0;
  let queue: { ops: Operation[]; grouped: boolean } = { ops: operations, grouped: true };
  let transientRounds = 0;
  while (queue.ops.length > 0) {
    const again: Operation[] = [];
    let retryAfter: number | null = null;
    let transient: DataverseError | null = null;
    const slices: Operation[][] = [];
    for (let start = 0; start < queue.ops.length; start += options.batchOperations) slices.push(queue.ops.slice(start, start + options.batchOperations));
    const grouped = queue.grouped;
    await inParallel(slices, options.inFlight, async (slice) => {
      const size = grouped ? options.changeSetOperations : 1;
      const groups: { contentId: string; request: Operation['request'] }[][] = [];
      for (let i = 0; i < slice.length; i += size) groups.push(slice.slice(i, i + size).map((op, j) => ({ contentId: String(i + j + 1), request: op.request })));
      const answers = await sendBatch(client, groups, options.deadline);
      requests += answers.requests;
      let at = 0;
      for (const group of groups) {
        const members = slice.slice(at, at + group.length);
        at += group.length;
        const parts = answers.parts.splice(0, group.length);
        const failed = parts.find((p) => p.status >= 400);
        if (!failed) {
          for (const op of members) settled.push({ op, outcome: 'written' });
          continue;
        }
        // A failed change set answers one part: the request that failed; the rest were rolled back.
        const failing = group.length === 1 ? members[0]! : members[Number(failed.contentId) - 1 - (at - group.length)];
        if (!failing) throw new DataverseError('dataverse', 502, 'unexpected_response', 'Dataverse answered a failed change set without naming the failing request (Content-ID).');
        for (const op of members) if (op !== failing) again.push(op);
        if (failed.status === 429) {
          again.push(failing);
          retryAfter = Math.max(retryAfter ?? 0, 1);
        } else if (failed.status >= 500) {
          again.push(failing);
          transient = webApiError(failed.status, JSON.stringify({ error: failed.error ?? { code: '', message: `HTTP ${failed.status}` } }));
        } else if (failed.status === 404 && failing.kind === 'delete') {
          settled.push({ op: failing, outcome: 'absent' });
        } else {
          settled.push({ op: failing, outcome: 'refused', status: failed.status, code: failed.error?.code ?? '', message: failed.error?.message ?? `HTTP ${failed.status}` });
        }
      }
    });
    if (transient && ++transientRounds > MAX_TRANSIENT_ROUNDS) throw transient;
    if (retryAfter !== null) await waitBeforeDeadline(retryAfter, options.deadline, null);
    queue = { ops: again, grouped: false };
  }
  return { settled, requests };
}

/** Runs `work` on each item, at most `limit` at a time; the first failure fails the whole (the others finish first). */
async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const results = await Promise.allSettled(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** One `$batch` request; a 429 for the whole batch is waited out (within the deadline) and sent again. */
export async function sendBatch(client: DataverseClient, groups: { contentId: string; request: Operation['request'] }[][], deadline: number) {
  const boundary = `batch_${crypto.randomUUID()}`;
  const body = batchBody(boundary, groups);
  let requests = 0;
  for (;;) {
    requests++;
    const response = await client.raw('POST', '$batch', body, { 'Content-Type': `multipart/mixed; boundary=${boundary}`, Prefer: 'odata.continue-on-error' });
    const text = await client.textOf(response);
    if (response.status === 429) {
      const header = Number(response.headers.get('Retry-After'));
      const seconds = Number.isFinite(header) && header >= 0 ? Math.ceil(header) : 1;
      await waitBeforeDeadline(seconds, deadline, webApiError(429, text, seconds));
      continue;
    }
    if (!response.ok) throw webApiError(response.status, text);
    const answerBoundary = boundaryOf(response.headers.get('Content-Type'));
    if (!answerBoundary) throw new DataverseError('dataverse', 502, 'unexpected_response', `Dataverse answered a $batch with ${response.headers.get('Content-Type') ?? 'no Content-Type'}, not multipart/mixed.`);
    let parts;
    try {
      parts = readBatchAnswer(text, answerBoundary);
    } catch (error) {
      throw new DataverseError('dataverse', 502, 'unexpected_response', `Dataverse's $batch answer could not be read: ${(error as Error).message}.`);
    }
    const expected = groups.reduce((sum, g) => sum + (g.length === 1 ? 1 : 0), 0) + groups.filter((g) => g.length > 1).length;
    if (parts.length < expected) throw new DataverseError('dataverse', 502, 'unexpected_response', `Dataverse's $batch answer has ${parts.length} parts for ${expected} requests or change sets.`);
    return { parts: expandToGroups(groups, parts), requests };
  }
}

/** Lines the answer's parts up with the groups: a succeeded change set has one part per request, a failed one a single part. */
function expandToGroups(groups: { contentId: string }[][], parts: ReturnType<typeof readBatchAnswer>) {
  const out: typeof parts = [];
  let next = 0;
  for (const group of groups) {
    const first = parts[next]!;
    if (group.length > 1 && first.status >= 400) {
      out.push(first, ...Array.from({ length: group.length - 1 }, () => ({ status: 0, contentId: null, error: null, json: null })));
      next += 1;
    } else {
      out.push(...parts.slice(next, next + group.length));
      next += group.length;
    }
  }
  return out;
}

/** Sleeps `seconds` if that leaves time before the deadline; otherwise throws `throttled` (the page goes again next tick). */
async function waitBeforeDeadline(seconds: number, deadline: number, throttled: DataverseError | null): Promise<void> {
  if (Date.now() + seconds * 1000 + DEADLINE_MARGIN_MS > deadline) {
    throw throttled ?? new DataverseError('dataverse', 429, '0x80072322', `Dataverse's service protection asked to wait ${seconds} s, past this invocation's time limit.`, seconds);
  }
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
}
