import { describe, expect, it } from 'vitest';
import { deletedSubrequest, deletedWindow, logCoversFrom } from './deleted-window';
import { reconcileReason } from './reconcile';
import type { ReconciliationRow } from '../db/reconciliations';

const at = new Date('2026-12-01T12:00:30.000Z');

describe('deletedWindow', () => {
  it('reads from where the log was last read to now, more than a minute wide, in whole seconds', () => {
    expect(deletedWindow('2026-12-01T11:00:10.500Z', at)).toEqual({ start: '2026-12-01T11:00:10Z', end: '2026-12-01T12:00:30Z' });
    // A start too close to now is moved back: getDeleted() refuses a window of a minute or less.
    expect(deletedWindow('2026-12-01T12:00:00.000Z', at)).toEqual({ start: '2026-12-01T11:58:30Z', end: '2026-12-01T12:00:30Z' });
  });

  it('needs none for a pass that reads everything, and says when the 15-day log no longer reaches back', () => {
    expect(deletedWindow(null, at)).toBeNull();
    expect(deletedWindow('2026-11-16T11:00:00.000Z', at)).toEqual({ expired: true });
    expect(deletedWindow('2026-11-17T12:00:00.000Z', at)).toMatchObject({ start: '2026-11-17T12:00:00Z' });
  });

  it('builds a subrequest of the object’s deleted resource', () => {
    const sub = deletedSubrequest('contact', { start: '2026-12-01T11:00:10Z', end: '2026-12-01T12:00:30Z' });
    expect(sub).toMatchObject({ method: 'GET', referenceId: 'contact_deleted' });
    expect(sub.url).toMatch(/\/sobjects\/Contact\/deleted\/\?start=2026-12-01T11%3A00%3A10Z&end=2026-12-01T12%3A00%3A30Z$/);
  });

  it('tells whether the log still covers a start', () => {
    expect(logCoversFrom('2026-11-16T12:00:00.000+0000', '2026-11-20T00:00:00Z')).toBe(true);
    expect(logCoversFrom('2026-11-21T12:00:00.000+0000', '2026-11-20T00:00:00Z')).toBe(false);
  });
});

describe('reconcileReason', () => {
  const row = (r: Partial<ReconciliationRow>): ReconciliationRow => ({
    connector_id: 'c',
    table_name: 'contact',
    requested_at: null,
    reason: null,
    phase: null,
    job_id: null,
    cutoff: null,
    locator: null,
    compared_to: null,
    run_id: null,
    last_finished_at: '2026-11-25T12:00:00.000Z',
    deletes_covered_to: null,
    ...r,
  });
  it('runs one asked for or under way, and the schedule when it comes round (never with 0 days)', () => {
    expect(reconcileReason(undefined, 7, at)).toBeNull();
    expect(reconcileReason(row({}), 7, at)).toBeNull();
    expect(reconcileReason(row({}), 5, at)).toBe('scheduled');
    expect(reconcileReason(row({ last_finished_at: '2026-01-01T00:00:00.000Z' }), 0, at)).toBeNull();
    expect(reconcileReason(row({ requested_at: at.toISOString(), reason: 'window_expired' }), 0, at)).toBe('window_expired');
    expect(reconcileReason(row({ phase: 'staging', reason: 'requested' }), 7, at)).toBe('requested');
  });
});
