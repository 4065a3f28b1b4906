/**
 * The D1 destination: a page's upserts (many rows per statement), deletes or soft-delete marks, rejects, the run's
 * counts and the table's cursor go in one D1 batch, which D1 runs as one transaction — page and cursor together or
 * not at all (https://developers.cloudflare.com/d1/worker-api/d1-database/#batch). The agents' search index for the
 * records the page touched is brought up to date in the same batch (rewritten where their indexed text changed), so it
 * can never disagree with the rows. The SQL is in db/.
 */
import { clearRejectsStatement, saveRejectsStatement } from '../../db/rejects';
import { saveCursorStatement } from '../../db/cursors';
import { type RowReader, connectorRowCount, copyRowsAfter, failingStatement, hardDeleteStatement, softDeleteStatement, upsertRowsStatement } from '../../db/destination-rows';
import { refreshColumnsStatement } from '../../db/formula-refreshes';
import { primaryKeyOf } from '../../../../shared/mapping/destination';
import { searchIndexStatements } from '../../db/search-index';
import { countPageStatement } from '../../db/sync-runs';
import { type ConvertedPage, type Destination, type DestinationFaults, type PageCommit, type PageWritten, copyRowOf } from '../destination';

/**
 * Rows per upsert statement, and bytes of their JSON: under D1's 2 MB for one bound value, so a 5,000-record chunk of a
 * Bulk page takes two or three statements (https://developers.cloudflare.com/d1/platform/limits/).
 */
const MAX_ROWS_PER_STATEMENT = 2_500;
const MAX_BYTES_PER_STATEMENT = 1_500_000;

/** How upserts read their rows: jsonb_each until a D1 refuses it (an older SQLite), then json_each for good. */
let rowReader: RowReader = 'jsonb_each';
const readerRefused = (error: unknown) => rowReader === 'jsonb_each' && error instanceof Error && /jsonb_each/.test(error.message);

export function d1Destination(db: D1Database, faults: DestinationFaults = {}): Destination {
  return {
    async commitPage(page: ConvertedPage, commit: PageCommit): Promise<PageWritten> {
      try {
        return await writePage(db, faults, page, commit, rowReader);
      } catch (error) {
        // The batch was rolled back whole, so the page is written again, the same way but for how rows are read.
        if (!readerRefused(error)) throw error;
        rowReader = 'json_each';
        return writePage(db, faults, page, commit, rowReader);
      }
    },

    async saveCursor(cursor) {
      await saveCursorStatement(db, cursor).run();
    },

    async copyChunk(scope, after, size) {
      return (await copyRowsAfter(db, scope.table, primaryKeyOf(scope.table), scope, after, size)).map(copyRowOf);
    },

    // One UPDATE per row, each changing the row only where a value differs, all in one batch (one transaction).
    async refreshColumns(scope, columns, rows) {
      if (rows.length === 0) return 0;
      const update = refreshColumnsStatement(db, scope.table, columns);
      const written = await db.batch(rows.map((row) => update(scope.tenantId, scope.connectorId, row.guid, row.values)));
      return written.reduce((sum, w) => sum + (w.meta.changes ?? 0), 0);
    },

    rowCount: (scope) => connectorRowCount(db, scope.table, scope.tenantId, scope.connectorId),
  };
}

/** One D1 batch: the page's writes, each followed by its run count, the search index, rejects, cursor and counts. */
async function writePage(db: D1Database, faults: DestinationFaults, page: ConvertedPage, commit: PageCommit, reader: RowReader): Promise<PageWritten> {
  const { target } = page;
  const statements: D1PreparedStatement[] = [];
  const upserts: number[] = [];
  const deletes: number[] = [];
  // Each write is followed by its run count (D1's changes()), so the counts move with the page.
  const write = (statement: D1PreparedStatement, into: number[], kind: 'upserted' | 'deleted') => {
    into.push(statements.length);
    statements.push(statement, countPageStatement(db, commit.runId, kind));
  };

  if (page.rows.length > 0) {
    const upsert = upsertRowsStatement(db, target.table, page.key, page.columns, target.rewriteSameVersion, reader);
    let chunk = '';
    let rows = 0;
    for (const row of page.rows) {
      const json = JSON.stringify(row);
      if (rows > 0 && (rows >= MAX_ROWS_PER_STATEMENT || chunk.length + json.length > MAX_BYTES_PER_STATEMENT)) {
        write(upsert(target.tenantId, `[${chunk}]`), upserts, 'upserted');
        chunk = '';
        rows = 0;
      }
      chunk = rows === 0 ? json : `${chunk},${json}`;
      rows++;
    }
    write(upsert(target.tenantId, `[${chunk}]`), upserts, 'upserted');
  }
  if (page.deletes.length > 0) {
    const hard = hardDeleteStatement(db, target.table, page.key);
    const soft = softDeleteStatement(db, target.table, page.key);
    for (const d of page.deletes) {
      write(target.deleteMode === 'hard' ? hard(target.tenantId, d.guid, d.modstamp) : soft(target.tenantId, d.guid, d.modstamp, commit.at), deletes, 'deleted');
    }
  }
  statements.push(...searchIndexStatements(db, target.tenantId, target.table, [...page.rows.map((row) => String(row[0])), ...page.deletes.map((d) => d.guid)]));
  if (page.rejects.length > 0) statements.push(saveRejectsStatement(db, target.connectorId, target.table, commit.runId, page.rejects, commit.at));
  if (page.accepted.length > 0) statements.push(clearRejectsStatement(db, target.connectorId, target.table, page.accepted));
  if (commit.cursor) statements.push(saveCursorStatement(db, commit.cursor));
  statements.push(countPageStatement(db, commit.runId, 'read', page.records, page.rejects.length, commit.passEndedAt));
  // A statement that fails makes D1 roll the whole batch back.
  if (faults.failMidCommit?.(target.table)) statements.splice(Math.floor(statements.length / 2), 0, failingStatement(db));

  const results = await db.batch(statements);
  const changes = (indexes: number[]) => indexes.reduce((sum, i) => sum + (results[i]?.meta.changes ?? 0), 0);
  return { upserted: changes(upserts), deleted: changes(deletes) };
}
