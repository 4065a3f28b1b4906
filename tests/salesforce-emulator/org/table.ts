/**
 * Compact row storage for one sObject. Seeded rows are not stored as objects: their field values are computed from
 * the row index by a deterministic generator, and only timestamps and delete state live in typed arrays; what a
 * client or test writes is kept as a per-row override. That keeps a million Contacts at a few tens of megabytes.
 * Row `i` is record number `i + 1`, so its id is computed, never looked up (see ids.ts).
 */
import { makeId, normalizeId, recordNumber } from '../ids';

export type RowValues = Record<string, unknown>;
/** Computes a seeded row's field value; `undefined` means "not generated" (the field reads as null). */
export type RowGenerator = (index: number, field: string) => unknown;

export const RowState = { Void: 0, Live: 1, Deleted: 2, Purged: 3 } as const;
export type RowState = (typeof RowState)[keyof typeof RowState];

/** An undo step recorded while a composite `allOrNone` request runs. */
export type Undo = () => void;

export class Table {
  private capacity = 0;
  private created = new Float64Array(0);
  private modstamp = new Float64Array(0);
  private state = new Uint8Array(0);
  private generator: RowGenerator | undefined;
  private generatedRows = 0;
  private readonly overrides = new Map<number, RowValues>();
  private readonly deletedAt = new Map<number, number>();
  size = 0;
  /** Who created and last modified rows that do not say otherwise (the org's admin). */
  defaultUserId = '';
  /** Set while a composite allOrNone request runs: every change pushes its inverse here. */
  journal: Undo[] | undefined;

  constructor(
    readonly name: string,
    readonly prefix: string,
    /** Record number of row 0 (1 for every table but Organization, whose single row carries the org's number). */
    readonly firstNumber = 1,
  ) {}

  idOf(index: number): string {
    return makeId(this.prefix, index + this.firstNumber);
  }

  /** The row of an id (15 or 18 characters), if it exists in this table and has not been purged or rolled back. */
  indexOf(id: string): number | undefined {
    const id18 = normalizeId(id);
    if (!id18) return undefined;
    const n = recordNumber(id18, this.prefix);
    if (n === undefined) return undefined;
    const index = n - this.firstNumber;
    if (index < 0 || index >= this.size) return undefined;
    const state = this.state[index];
    return state === RowState.Live || state === RowState.Deleted ? index : undefined;
  }

  stateOf(index: number): RowState {
    return (this.state[index] ?? RowState.Void) as RowState;
  }

  isLive(index: number): boolean {
    return this.state[index] === RowState.Live;
  }

  createdAt(index: number): number {
    return this.created[index] ?? 0;
  }

  modifiedAt(index: number): number {
    return this.modstamp[index] ?? 0;
  }

  deletedDate(index: number): number | undefined {
    return this.deletedAt.get(index);
  }

  /** A stored or generated value; undefined when the row never had one (callers read that as null). */
  value(index: number, field: string): unknown {
    const own = this.overrides.get(index);
    if (own && field in own) return own[field];
    if (index < this.generatedRows && this.generator) return this.generator(index, field);
    return undefined;
  }

  /** Appends `count` generated rows, stamped by `stampOf(i)` (created and modified at the same time). */
  seed(count: number, generator: RowGenerator, stampOf: (i: number) => number): void {
    if (this.size !== 0) throw new Error(`${this.name} already has rows; reset the org before seeding it.`);
    this.ensureCapacity(count);
    for (let i = 0; i < count; i++) {
      const t = stampOf(i);
      this.created[i] = t;
      this.modstamp[i] = t;
      this.state[i] = RowState.Live;
    }
    this.generator = generator;
    this.generatedRows = count;
    this.size = count;
  }

  insert(values: RowValues, time: number): number {
    const index = this.size;
    this.ensureCapacity(index + 1);
    this.size = index + 1;
    this.created[index] = time;
    this.modstamp[index] = time;
    this.state[index] = RowState.Live;
    this.overrides.set(index, { ...values });
    this.journal?.push(() => {
      this.state[index] = RowState.Void;
      this.overrides.delete(index);
    });
    return index;
  }

  update(index: number, values: RowValues, time: number): void {
    const before = this.overrides.get(index);
    const beforeStamp = this.modstamp[index] ?? 0;
    this.overrides.set(index, { ...before, ...values });
    this.modstamp[index] = time;
    this.journal?.push(() => {
      if (before) this.overrides.set(index, before);
      else this.overrides.delete(index);
      this.modstamp[index] = beforeStamp;
    });
  }

  /** Moves a row to the recycle bin: it leaves `query` and stays in `queryAll` with IsDeleted = true. */
  softDelete(index: number, time: number): void {
    const beforeStamp = this.modstamp[index] ?? 0;
    this.state[index] = RowState.Deleted;
    this.deletedAt.set(index, time);
    this.modstamp[index] = time;
    this.journal?.push(() => {
      this.state[index] = RowState.Live;
      this.deletedAt.delete(index);
      this.modstamp[index] = beforeStamp;
    });
  }

  undelete(index: number, time: number): void {
    this.state[index] = RowState.Live;
    this.deletedAt.delete(index);
    this.modstamp[index] = time;
  }

  /** Empties a row from the recycle bin: gone from queryAll too (getDeleted still reports it). */
  purge(index: number): void {
    this.state[index] = RowState.Purged;
    this.overrides.delete(index);
  }

  /** Row indices, oldest first: live rows, plus recycle-bin rows when `includeDeleted`. */
  *indices(includeDeleted: boolean): Generator<number> {
    for (let i = 0; i < this.size; i++) {
      const state = this.state[i];
      if (state === RowState.Live || (includeDeleted && state === RowState.Deleted)) yield i;
    }
  }

  countLive(): number {
    let n = 0;
    for (let i = 0; i < this.size; i++) if (this.state[i] === RowState.Live) n++;
    return n;
  }

  private ensureCapacity(needed: number): void {
    if (needed <= this.capacity) return;
    const capacity = Math.max(needed, this.capacity * 2, 64);
    const created = new Float64Array(capacity);
    created.set(this.created);
    const modstamp = new Float64Array(capacity);
    modstamp.set(this.modstamp);
    const state = new Uint8Array(capacity);
    state.set(this.state);
    this.created = created;
    this.modstamp = modstamp;
    this.state = state;
    this.capacity = capacity;
  }
}
