/**
 * Query cursors behind `nextRecordsUrl`: `/services/data/vXX.X/query/01g…-2000` names a cursor and the offset of
 * the next page (the form of restforce-mit/query_paginated_first_page_response.json and recorded chains such as
 * `…/query/0r8xx5R2yRjYJoUASW-1000`). A cursor keeps the matching rows of its query; it expires after 15 minutes
 * without use, as Salesforce's do, and then answers INVALID_QUERY_LOCATOR.
 */
import { OTHER_PREFIXES, randomId } from '../ids';
import type { Column } from '../soql/resolve';
import type { Source } from '../soql/source';

export type Cursor = {
  id: string;
  source: Source;
  columns: Column[];
  rows: Int32Array;
  batchSize: number;
  lastUsed: number;
};

const IDLE_MS = 15 * 60 * 1000;

export class CursorStore {
  private readonly cursors = new Map<string, Cursor>();

  open(cursor: Omit<Cursor, 'id'>): Cursor {
    const opened = { ...cursor, id: randomId(OTHER_PREFIXES.queryLocator) };
    this.cursors.set(opened.id, opened);
    return opened;
  }

  /** The cursor and offset named by a locator (`01g…-2000`), if it is alive. */
  take(locator: string, now: number): { cursor: Cursor; offset: number } | undefined {
    const match = /^([a-zA-Z0-9]{15,18})-(\d+)$/.exec(locator);
    const cursor = match ? this.cursors.get(match[1] ?? '') : undefined;
    if (!cursor || !match) return undefined;
    if (now - cursor.lastUsed > IDLE_MS) {
      this.cursors.delete(cursor.id);
      return undefined;
    }
    cursor.lastUsed = now;
    const offset = Number(match[2]);
    return offset <= cursor.rows.length ? { cursor, offset } : undefined;
  }

  close(id: string): void {
    this.cursors.delete(id);
  }
}
