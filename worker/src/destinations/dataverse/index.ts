/**
 * The Dataverse destination: a page becomes Web API upserts and deletes (operations.ts), sent in `$batch` requests
 * (send.ts); only once Dataverse has acknowledged every part does one D1 batch record what it wrote (the version
 * ledger, `dataverse_rows`), the rejects with Dataverse's code and message, the run's counts and the table's cursor.
 *
 * Dataverse and D1 cannot commit together, so this destination keeps the contract's rule 1 the at-least-once way
 * (destinations/destination.ts): rows first, cursor last. A crash between Dataverse's answer and the D1 batch leaves
 * the cursor before the page; the next run reads the page again and sends the same upserts, keyed by the record's
 * deterministic GUID, so nothing is duplicated, and deletes of rows already gone answer 404, which counts as done.
 */
import type { DestinationTable } from '../../../../shared/mapping/destination';
import type { DataverseClient } from '../../dataverse/client';
import { tableColumns } from '../../dataverse/columns';
import { saveCursorStatement } from '../../db/cursors';
import {
  type WrittenRow,
  clearPendingLinksStatement,
  connectorLedgerCount,
  ledgerRowsAfter,
  liveLedgerGuids,
  pendingLinksReady,
  saveWrittenVersionsStatement,
  writtenVersions,
} from '../../db/dataverse-rows';
import { clearRejectsStatement, saveRejectsStatement } from '../../db/rejects';
import { addWrittenStatement, countPageStatement } from '../../db/sync-runs';
import { type ConvertedPage, type Destination, type DestinationFaults, type PageCommit, type PageWritten, copyRowOf } from '../destination';
import { currentValues, refreshColumnsOf, refreshOperation } from './formula-values';
import { type Operation, linkOperation, planPage, withoutBinds } from './operations';
import { sendOperations, type SendOptions } from './send';

export interface DataverseTarget {
  dataverseConnectionId: string;
  /** the team that owns every written row (`ownerid@odata.bind` = `/teams(<id>)`) */
  teamId: string;
}

/**
 * Operations per `$batch` and per change set, and batches in flight. Dataverse takes up to 1,000 operations in a
 * batch; 500 in each of up to 4 parallel batches sends a 2,000-record page in one round trip's time while keeping a
 * request per 500 records (`npm run bench -- --dataverse` measures it). One change set per batch keeps a batch one
 * transaction in the common case where nothing is refused.
 */
export const DEFAULT_BATCH: Omit<SendOptions, 'deadline'> = { batchOperations: 500, changeSetOperations: 500, inFlight: 4 };

/** Waiting lookups sent again with each page, at most. */
const MAX_LINKS_PER_PAGE = 500;

export interface DataverseDestinationOptions extends Partial<Omit<SendOptions, 'deadline'>> {
  deadline: number;
  faults?: DestinationFaults;
  /** counts the Web API requests made (the bench reads it) */
  onRequests?: (count: number) => void;
}

export function dataverseDestination(db: D1Database, client: DataverseClient, target: DataverseTarget, options: DataverseDestinationOptions): Destination {
  const send: SendOptions = { ...DEFAULT_BATCH, ...options, deadline: options.deadline };
  return {
    async commitPage(page: ConvertedPage, commit: PageCommit): Promise<PageWritten> {
      const { table, connectorId } = page.target;
      const connection = target.dataverseConnectionId;
      const guids = [...page.rows.map((row) => String(row[0])), ...page.deletes.map((d) => d.guid)];
      const [versions, described, pending] = await Promise.all([
        writtenVersions(db, connection, table, guids),
        tableColumns(client, connection, table),
        pendingLinksReady(db, connection, MAX_LINKS_PER_PAGE),
      ]);
      const planned = planPage(page, versions, described, target.teamId);
      const links = pending.map((p) => linkOperation(p.table, p.guid, p.binds));
      let { settled, requests } = await sendOperations(client, [...links, ...planned.operations], send);
      // A lookup whose target Dataverse does not have yet (a contact before its account) answers 404: the row is
      // written without it, and the lookup waits in the ledger until its target is written (then on the next page).
      const missingTarget = settled.filter((s) => s.outcome === 'refused' && s.status === 404 && s.op.kind === 'upsert' && s.op.binds);
      if (missingTarget.length > 0) {
        const again = await sendOperations(client, missingTarget.map((s) => withoutBinds(s.op)), send);
        const retried = new Set(missingTarget);
        settled = [...settled.filter((s) => !retried.has(s)), ...again.settled];
        requests += again.requests;
      }
      options.onRequests?.(requests);

      const rejects = [...page.rejects, ...planned.rejects];
      const written: WrittenRow[] = [];
      const linked: { table: DestinationTable; guid: string }[] = [];
      let upserted = 0;
      let deleted = 0;
      for (const s of settled) {
        if (s.op.kind === 'link') {
          // Done, or the row is gone (404): either way nothing waits any more. Another refusal: tried again later.
          if (s.outcome !== 'refused' || s.status === 404) linked.push({ table: s.op.table, guid: s.op.guid });
          continue;
        }
        if (s.outcome === 'refused') {
          rejects.push({ salesforceId: s.op.salesforceId || s.op.guid, reason: `Dataverse refused it (${s.code || `HTTP ${s.status}`}): ${s.message}` });
          continue;
        }
        if (s.op.kind === 'upsert') upserted++;
        else if (s.outcome === 'written') deleted++;
        const pendingLinks = s.op.linksPending && s.op.binds ? s.op.binds : null;
        written.push([s.op.guid, s.op.modstamp, s.op.kind === 'delete' ? commit.at : null, pendingLinks?.target ?? null, pendingLinks ? JSON.stringify(pendingLinks.values) : null, s.op.salesforceId]);
      }
      // The crash the contract is about: Dataverse has the page, D1 does not know yet.
      if (options.faults?.failMidCommit?.(table)) throw new Error(`injected failure after Dataverse acknowledged the ${table} page`);

      const refused = new Set(rejects.map((r) => r.salesforceId));
      const accepted = page.accepted.filter((id) => !refused.has(id));
      const statements: D1PreparedStatement[] = [];
      if (linked.length > 0) statements.push(clearPendingLinksStatement(db, connection, linked));
      if (written.length > 0) statements.push(saveWrittenVersionsStatement(db, connection, table, connectorId, written));
      if (rejects.length > 0) statements.push(saveRejectsStatement(db, connectorId, table, commit.runId, rejects, commit.at));
      if (accepted.length > 0) statements.push(clearRejectsStatement(db, connectorId, table, accepted));
      statements.push(addWrittenStatement(db, commit.runId, upserted, deleted));
      if (commit.cursor) statements.push(saveCursorStatement(db, commit.cursor));
      statements.push(countPageStatement(db, commit.runId, 'read', page.records, rejects.length, commit.passEndedAt));
      await db.batch(statements);
      const refusedHere = rejects.length - page.rejects.length;
      return refusedHere > 0 ? { upserted, deleted, rejected: refusedHere } : { upserted, deleted };
    },

    async saveCursor(cursor) {
      await saveCursorStatement(db, cursor).run();
    },

    // The ledger is the copy's record: rows written before migration 0012 without their Salesforce Id are not listed.
    async copyChunk(scope, after, size) {
      return (await ledgerRowsAfter(db, target.dataverseConnectionId, scope.connectorId, scope.table, after, size)).map(copyRowOf);
    },

    async refreshColumns(scope, names, rows) {
      const columns = refreshColumnsOf(scope.table, names);
      // Only the connector's live rows: a formula refresh never brings back a row deleted or deactivated here.
      const live = await liveLedgerGuids(db, target.dataverseConnectionId, scope.connectorId, scope.table, rows.map((r) => r.guid));
      const ours = rows.filter((r) => live.has(r.guid));
      if (ours.length === 0) return 0;
      const held = await currentValues(client, scope.table, ours.map((r) => r.guid), names, send.deadline);
      const operations = ours.flatMap((row): Operation[] => {
        const values = held.rows.get(row.guid);
        const op = values ? refreshOperation(scope.table, columns, row, values) : null;
        return op ? [op] : [];
      });
      const sent = operations.length > 0 ? await sendOperations(client, operations, send) : { settled: [], requests: 0 };
      options.onRequests?.(held.requests + sent.requests);
      // A refused row (gone since it was read: 404, or a value Dataverse will not take) keeps its old value and is
      // tried again by the next refresh; a throttled or failing environment fails the refresh (sendOperations throws).
      return sent.settled.filter((s) => s.outcome === 'written').length;
    },

    rowCount: (scope) => connectorLedgerCount(db, target.dataverseConnectionId, scope.connectorId, scope.table),
  };
}
