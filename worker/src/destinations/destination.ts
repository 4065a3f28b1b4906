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
 * The copy as the upkeep passes read it (Id reconciliation in sync/reconcile.ts, formula refresh in
 * sync/formula-refresh*.ts), so they work the same on every destination:
 * 5. The copy's Ids, in order. `copyChunk` answers the connector's rows of a table whose Salesforce Id is after
 *    `after`, in Salesforce Id order, at most `size` (bounded memory at any size), tombstones included. A row the store
 *    cannot name a Salesforce Id for is never answered, so it can never be deleted on a comparison it was not part
 *    of. Reading changes nothing: a reconciliation that stops between chunks (crash, limit) has deleted only through
 *    `commitPage`, under rules 1–3, and only what the comparison of a whole chunk proved gone.
 * 6. Formula values, only where they differ. `refreshColumns` sets `columns` of rows already in the copy (never
 *    creating one, never touching another connector's), only where a value differs, and answers how
 *    many rows changed: a refresh sent again after a crash changes nothing more.
 * 7. `rowCount` counts the connector's rows of a table (give or take soft-deleted marks): it picks REST or Bulk.
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

/** Whose rows of which table an upkeep pass reads or refreshes. */
export type CopyScope = Pick<TableTarget, 'tenantId' | 'connectorId' | 'table'>;

/** A row of the copy as reconciliation compares it with Salesforce's Ids. */
export interface CopyRow {
  salesforceId: string;
  guid: string;
  /** the version the row holds (its SystemModstamp when written) */
  modstamp: string;
  /** deleted (a tombstone) or marked deleted (soft mode) */
  deleted: boolean;
}

/** A copy row as the db/ queries of the copy (D1's tables, Dataverse's ledger) answer it. */
export const copyRowOf = (r: { salesforce_id: string; guid: string; modstamp: string; deleted_at: string | null }): CopyRow => ({
  salesforceId: r.salesforce_id,
  guid: r.guid,
  modstamp: r.modstamp,
  deleted: r.deleted_at !== null,
});

/** New formula values for one row: `values` in the order of the refresh's columns. */
export interface FormulaValues {
  guid: string;
  values: StoredValue[];
}

export interface Destination {
  commitPage(page: ConvertedPage, commit: PageCommit): Promise<PageWritten>;
  /** The cursor alone: a Bulk job started or restarted, a page locator handed over or expired. */
  saveCursor(cursor: CursorRow): Promise<void>;
  /** Rule 5: the copy's rows after `after`, in Salesforce Id order, at most `size`. */
  copyChunk(scope: CopyScope, after: string, size: number): Promise<CopyRow[]>;
  /** Rule 6: writes only the formula values that differ; answers the rows changed. */
  refreshColumns(scope: CopyScope, columns: string[], rows: FormulaValues[]): Promise<number>;
  /** Rule 7: the connector's rows of the table. */
  rowCount(scope: CopyScope): Promise<number>;
}

/** Where a test makes a commit fail part-way, to prove rule 1 (nothing of the page, or all of it, with its cursor). */
export interface DestinationFaults {
  failMidCommit?(table: DestinationTable): boolean | void;
}
