/**
 * Hands a page of records to the destination with the cursor after it (the destination commits both together; see
 * destinations/destination.ts), and moves the table's in-memory cursor and counts with what was committed.
 */
import { nowIso } from '../clock';
import type { CursorRow } from '../db/cursors';
import { afterPage } from './cursor';
import type { Invocation, TableRun } from './invocation';

/**
 * Commits `records` and the cursor after them; the last page of a pass ends it in the same commit, so a crash right
 * after it never has the pass read again. With `moved` null (a chunk inside a Bulk results page) only the records are
 * written: the cursor moves with the page's last chunk, and a crash before it reads the page again.
 */
export async function commitPage(inv: Invocation, t: TableRun, records: Record<string, unknown>[], moved: Partial<CursorRow> | null, endsPass = false): Promise<void> {
  const at = nowIso();
  const page = t.convert!(records, at);
  const next = afterPage(t.cursor, { records: records.length, maxModstamp: page.maxModstamp, moved: moved ?? {}, endsPass, at });
  const written = await inv.destination.commitPage(page, { cursor: moved ? next : null, runId: t.runId, passEndedAt: endsPass ? at : null, at });
  t.outcome.read += records.length;
  t.outcome.rejected += page.rejects.length + (written.rejected ?? 0);
  t.outcome.upserted += written.upserted;
  t.outcome.deleted += written.deleted;
  t.cursor = next;
  inv.hooks?.at?.('after_commit', t.table);
}

/** The cursor alone, moved by `change` (a Bulk job started or dropped, a page locator handed over). */
export async function commitCursor(inv: Invocation, t: TableRun, change: (c: CursorRow, at: string) => CursorRow): Promise<void> {
  t.cursor = change(t.cursor, nowIso());
  await inv.destination.saveCursor(t.cursor);
}
