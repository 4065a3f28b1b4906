/**
 * Where synced records go. The engine reads pages from Salesforce, converts them (sync/convert-page.ts) and hands each
 * converted page to a `Destination` with the table's cursor after it: D1 (destinations/d1/) by default, or a Dataverse
 * environment (destinations/dataverse/), chosen per connector (destinations/for-connector.ts).
 *
 * The crash-safety contract every destination keeps — worker/test/destination-contract.test.ts checks it for each one:
 * 1. Page and cursor together. Once `commitPage` resolves, the page's rows and the cursor after it are both durable.
 *    If it rejects, or the Worker dies during it, the stored cursor is still the one before the page, so the page is
 *    read again. A store that cannot commit both atomically writes the rows first and the cursor last (at-least-once),
 *    which rule 2 makes safe.
 * 2. Idempotent. Committing a page again leaves the same rows: upserts and deletes are keyed by the record's GUID.
 * 3. Versioned. A row is never replaced or deleted by an older version of it (SystemModstamp); `rewriteSameVersion`
 *    lets the same version be written again (a backfill filling new columns).
 * 4. Truthful counts. `upserted` and `deleted` say what the store really changed, and the run's counts move with the
 *    page, so a run cut short by a crash still says what it committed.
 */
import type { DestinationTable } from '../../../shared/mapping/destination';
import type { CursorRow } from '../db/cursors';

export type StoredValue = string | number | null;

/** The table a page is written to, and how. */
export interface TableTarget {
  tenantId: string;
  connectorId: string;
  table: DestinationTable;
  deleteMode: 'hard' | 'soft';
  /** rewrite rows whose version is already there (a backfill after a mapping change) */
  rewriteSameVersion: boolean;
}

/** One page of Salesforce records, converted: rows to upsert, deletes, and records that could not be converted. */
export interface ConvertedPage {
  target: TableTarget;
  /** the destination's key column (a GUID derived from the Salesforce Id) */
  key: string;
  /** the columns after the key, in the order of each row's values */
  columns: string[];
  /** one array per record: the key, then a value per column */
  rows: StoredValue[][];
  deletes: { guid: string; modstamp: string }[];
  rejects: { salesforceId: string; reason: string }[];
  /** Salesforce Ids that converted (upserts and deletes): no longer rejects */
  accepted: string[];
  /** records in the page as Salesforce sent it */
  records: number;
  /** the highest SystemModstamp in the page (ISO), or null for an empty page */
  maxModstamp: string | null;
}

export interface PageCommit {
  /** the table's cursor after the page; null for a chunk inside a Bulk results page (the cursor moves with its last chunk) */
  cursor: CursorRow | null;
  runId: string;
  /** when the page ends its table's pass: the run has succeeded at that moment */
  passEndedAt: string | null;
  /** when the rows were written (rejects are stamped with it) */
  at: string;
}

export interface PageWritten {
  upserted: number;
  deleted: number;
  /** records the store itself refused (a Dataverse part's error), beyond the page's conversion rejects */
  rejected?: number;
}

export interface Destination {
  commitPage(page: ConvertedPage, commit: PageCommit): Promise<PageWritten>;
  /** The cursor alone: a Bulk job started or restarted, a page locator handed over or expired. */
  saveCursor(cursor: CursorRow): Promise<void>;
}

/** Where a test makes a commit fail part-way, to prove rule 1 (nothing of the page, or all of it, with its cursor). */
export interface DestinationFaults {
  failMidCommit?(table: DestinationTable): boolean | void;
}
