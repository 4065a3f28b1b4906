/**
 * The environment's rows: one Map per table, keyed by lowercase GUID. A row keeps only the columns that were set
 * (lookups as `{table, id}`), its row version (the number in its weak ETag), and nothing else, so 100k synced rows
 * stay small. Writes inside a `$batch` change set go through a journal so a failing operation can undo the whole
 * change set (execute-batch-operations-using-web-api.md, "Change sets").
 */
import { TABLES } from './schema';

export type LookupValue = { table: string; id: string };
export type Row = { id: string; version: number; values: Record<string, unknown> };

type UndoEntry = { table: string; id: string; before: Row | undefined };

export class Store {
  private readonly tables = new Map<string, Map<string, Row>>(TABLES.map((t) => [t.logicalName, new Map()]));
  private journal: UndoEntry[] | undefined;
  /** Row versions grow across the environment, as Dataverse's RowVersion does. */
  private version = 1_000_000;
  /** One object per lookup target, shared by every row that points at it (100k contacts, one owner team). */
  private lookups = new Map<string, LookupValue>();

  lookup(table: string, id: string): LookupValue {
    const key = `${table}:${id}`;
    let value = this.lookups.get(key);
    if (!value) {
      value = Object.freeze({ table, id });
      this.lookups.set(key, value);
    }
    return value;
  }

  rows(table: string): Map<string, Row> {
    const rows = this.tables.get(table);
    if (!rows) throw new Error(`No table ${table} in the emulated environment.`);
    return rows;
  }

  get(table: string, id: string): Row | undefined {
    return this.rows(table).get(id.toLowerCase());
  }

  count(table: string): number {
    return this.rows(table).size;
  }

  /** Inserts or replaces a row, giving it a new version. */
  put(table: string, id: string, values: Record<string, unknown>): Row {
    const key = id.toLowerCase();
    const rows = this.rows(table);
    this.journal?.push({ table, id: key, before: rows.get(key) });
    const row: Row = { id: key, version: ++this.version, values };
    rows.set(key, row);
    return row;
  }

  delete(table: string, id: string): boolean {
    const key = id.toLowerCase();
    const rows = this.rows(table);
    const before = rows.get(key);
    if (!before) return false;
    this.journal?.push({ table, id: key, before });
    rows.delete(key);
    return true;
  }

  /** Runs `work` as one unit: if it throws, every write it made is undone and the error rethrown. */
  atomically<T>(work: () => T): T {
    const outer = this.journal;
    const journal: UndoEntry[] = [];
    this.journal = journal;
    try {
      const result = work();
      outer?.push(...journal);
      return result;
    } catch (error) {
      for (const entry of journal.reverse()) {
        const rows = this.rows(entry.table);
        if (entry.before) rows.set(entry.id, entry.before);
        else rows.delete(entry.id);
      }
      throw error;
    } finally {
      this.journal = outer;
    }
  }

  clear(): void {
    for (const rows of this.tables.values()) rows.clear();
    this.lookups.clear();
  }
}
