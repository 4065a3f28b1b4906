/**
 * The emulator's clock: every timestamp the org writes (CreatedDate, SystemModstamp, deploy and job dates, JWT `exp`
 * checks) reads it, so tests can pin or move time without waiting. It starts at the real time unless told otherwise
 * and then moves with the real clock, shifted by whatever tests set or advanced.
 */
import { salesforceDateTimeMs } from '../../shared/salesforce-datetime';


export class Clock {
  private offsetMs = 0;
  private frozenAt: number | undefined;

  constructor(start?: Date | string | number, options: { frozen?: boolean } = {}) {
    if (start !== undefined) this.set(start);
    if (options.frozen) this.frozenAt = this.now();
  }

  /** Milliseconds since the epoch, as the org sees it. */
  now(): number {
    return this.frozenAt ?? Date.now() + this.offsetMs;
  }

  date(): Date {
    return new Date(this.now());
  }

  /** Jump to a point in time. If the clock is frozen it stays frozen there. */
  set(time: Date | string | number): void {
    const target = toMillis(time);
    if (this.frozenAt !== undefined) this.frozenAt = target;
    else this.offsetMs = target - Date.now();
  }

  advance(ms: number): void {
    if (this.frozenAt !== undefined) this.frozenAt += ms;
    else this.offsetMs += ms;
  }

  /** Stop the clock where it is (writes in one test then get equal timestamps, as fast writes in a real org can). */
  freeze(): void {
    this.frozenAt = this.now();
  }

  unfreeze(): void {
    if (this.frozenAt === undefined) return;
    this.offsetMs = this.frozenAt - Date.now();
    this.frozenAt = undefined;
  }

  get frozen(): boolean {
    return this.frozenAt !== undefined;
  }
}

export function toMillis(time: Date | string | number): number {
  if (typeof time === 'number') return time;
  const ms = time instanceof Date ? time.getTime() : parseSalesforceDateTime(time);
  if (Number.isNaN(ms)) throw new Error(`Not a date/time: ${String(time)}. Pass an ISO 8601 string, a Date or epoch milliseconds.`);
  return ms;
}

/**
 * Formats a date/time the way the REST API writes it: `2026-01-01T00:00:00.000+0000` (always UTC, millisecond
 * precision, offset without a colon). See restforce-mit/get_deleted_success_response.json.
 */
export function formatDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** Bulk API 2.0 CSV writes date/times with a `Z` instead (`2024-04-16T19:00:00.000Z`). */
export function formatDateTimeZ(ms: number): string {
  return new Date(ms).toISOString();
}

/** A `date` field: `2026-01-31`. */
export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Parses the date/time forms clients send: SOQL literals (`2026-01-01T00:00:00Z`, `…00.000Z`, `…+0000`, `…+01:00`),
 * REST's `+0000` form and plain dates (`2026-01-01`, read as midnight UTC).
 */
export function parseSalesforceDateTime(text: string): number {
  const trimmed = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) return Date.parse(`${trimmed}T00:00:00Z`);
  return salesforceDateTimeMs(trimmed);
}
