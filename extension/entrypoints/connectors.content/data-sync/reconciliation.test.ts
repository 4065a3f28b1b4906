import { describe, expect, it } from 'vitest';
import type { Connector, SyncRun } from '../../../../shared/api';
import { reconciliationLine } from './reconciliation';

const run = (r: Partial<SyncRun>): SyncRun => ({
  id: 'r',
  table: 'contact',
  mode: 'reconcile',
  status: 'succeeded',
  startedAt: '2026-12-01T10:00:00.000Z',
  finishedAt: '2026-12-01T10:01:00.000Z',
  read: 12_000,
  upserted: 0,
  deleted: 3,
  rejected: 0,
  apiCalls: 4,
  durationMs: 60_000,
  errorCode: null,
  errorSource: null,
  errorMessage: null,
  ...r,
});
const table = (reconciliation: Connector['tables'][number]['reconciliation']): Connector['tables'][number] => ({
  table: 'contact',
  enabled: true,
  mapping: {},
  filter: null,
  formulaFields: [],
  formulaRefresh: null,
  formulaRefreshApiCallsPerDay: 0,
  phase: 'incremental',
  loaded: 0,
  total: null,
  watermark: null,
  rows: 0,
  lastRun: null,
  reconciliation,
});
const state = { requestedAt: null, reason: null, underWay: false, lastFinishedAt: null, lastRun: null };

describe('reconciliationLine', () => {
  it('says when none ran yet, or how the last one went with its counts', () => {
    expect(reconciliationLine(table(undefined)).text).toMatch(/Not reconciled yet/);
    expect(reconciliationLine(table({ ...state, lastRun: run({}) }))).toEqual({ tone: 'success', text: 'Last reconciled: 12,000 Ids compared, 3 removed.' });
  });

  it('says one is under way or asked for, and why', () => {
    expect(reconciliationLine(table({ ...state, underWay: true, reason: 'window_expired' })).text).toMatch(/off longer than Salesforce keeps its delete log/);
    expect(reconciliationLine(table({ ...state, requestedAt: '2026-12-01T10:00:00.000Z', reason: 'requested' }))).toEqual({ tone: 'info', text: 'Due on the next run (asked for).' });
  });

  it('says a failed one removed nothing, with its reason', () => {
    const line = reconciliationLine(table({ ...state, lastRun: run({ status: 'failed', errorCode: 'interrupted', errorMessage: 'This reconciliation stopped without finishing.' }) }));
    expect(line.tone).toBe('error');
    expect(line.text).toMatch(/stopped without finishing.*Nothing was removed on partial evidence/);
  });
});
