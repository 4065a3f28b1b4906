import { describe, expect, it } from 'vitest';
import type { CursorRow } from '../db/cursors';
import { UNKNOWN_QUERY_TIME, afterPage, bulkJobDropped, bulkJobStarted, freshCursor, passEnded, passUnderWay, readsInBulk, restPassBegins, sizeUnknown } from './cursor';

const AT = new Date('2026-11-21T10:00:00.000Z');
const fresh = () => freshCursor('c1', 'contact', AT);
const incremental = (patch: Partial<CursorRow> = {}): CursorRow => ({ ...fresh(), phase: 'incremental', watermark: '2026-11-20T00:00:00.000Z', ...patch });

describe('cursor transitions', () => {
  it('a fresh cursor is a first load of unknown size, under way', () => {
    const c = fresh();
    expect(c.phase).toBe('initial');
    expect(sizeUnknown(c)).toBe(true);
    expect(passUnderWay(c)).toBe(true);
    expect(readsInBulk(c, 20_000)).toBe(false);
  });

  it('a first load with more than the threshold left, not paging, reads in bulk', () => {
    expect(readsInBulk({ ...fresh(), total: 50_000, loaded: 2_000 }, 20_000)).toBe(true);
    expect(readsInBulk({ ...fresh(), total: 50_000, loaded: 2_000, next_page: '/next' }, 20_000)).toBe(false);
    expect(readsInBulk({ ...fresh(), total: 21_000, loaded: 2_000 }, 20_000)).toBe(false);
    expect(readsInBulk(incremental({ bulk_job_id: '750' }), 20_000)).toBe(true);
  });

  it('an incremental pass starts at the watermark less the re-read window; a first load from the start', () => {
    expect(restPassBegins(fresh(), AT).from).toBeNull();
    const begun = restPassBegins(incremental({ watermark: '2026-11-21T09:59:30.000Z' }), AT);
    expect(begun.from).toBe('2026-11-21T09:59:00.000Z');
    expect(begun.cursor.queried_at).toBe(AT.toISOString());
    expect(begun.cursor.pass_from).toBe(begun.from);
  });

  it('a pass cut short resumes from the highest stamp it committed', () => {
    expect(restPassBegins(incremental({ pass_max: '2026-11-21T05:00:00.000Z' }), AT).from).toBe('2026-11-21T05:00:00.000Z');
  });

  it('a page moves pass_max, but never past the query moment less the re-read window', () => {
    const c = { ...fresh(), queried_at: '2026-11-21T10:00:00.000Z' };
    const early = afterPage(c, { records: 10, maxModstamp: '2026-11-21T08:00:00.000Z', moved: { next_page: '/p2' }, endsPass: false, at: 'now' });
    expect(early.pass_max).toBe('2026-11-21T08:00:00.000Z');
    expect(early.loaded).toBe(10);
    expect(early.next_page).toBe('/p2');
    const late = afterPage(c, { records: 10, maxModstamp: '2026-11-21T09:59:59.000Z', moved: {}, endsPass: false, at: 'now' });
    expect(late.pass_max).toBe('2026-11-21T09:59:00.000Z');
  });

  it('incremental pages leave the first-load progress alone', () => {
    expect(afterPage(incremental({ loaded: 7, queried_at: AT.toISOString() }), { records: 10, maxModstamp: null, moved: {}, endsPass: false, at: 'now' }).loaded).toBe(7);
  });

  it('a pass ends at the highest stamp written, never moving the watermark back', () => {
    const ended = passEnded(incremental({ pass_max: '2026-11-21T05:00:00.000Z', next_page: '/x', bulk_job_id: '750', backfill_columns: '["a"]' }));
    expect(ended).toMatchObject({ phase: 'incremental', watermark: '2026-11-21T05:00:00.000Z', pass_max: null, next_page: null, bulk_job_id: null, backfill_columns: null });
    expect(passEnded(incremental({ pass_max: '2026-11-01T00:00:00.000Z' })).watermark).toBe('2026-11-20T00:00:00.000Z');
    expect(passUnderWay(ended)).toBe(false);
  });

  it('a Bulk job bounds its pass by its creation time; dropping it restarts from where the pass stood', () => {
    const started = bulkJobStarted({ ...fresh(), pass_max: '2026-11-21T01:00:00.000Z' }, '750', null, '2026-11-21T01:00:00.000Z', 'now');
    expect(started).toMatchObject({ bulk_job_id: '750', queried_at: UNKNOWN_QUERY_TIME, pass_from: '2026-11-21T01:00:00.000Z' });
    const dropped = bulkJobDropped({ ...started, pass_max: '2026-11-21T03:00:00.000Z', next_page: 'loc' }, 'later');
    expect(dropped).toMatchObject({ bulk_job_id: null, next_page: null, queried_at: null, pass_max: '2026-11-21T01:00:00.000Z' });
  });
});
