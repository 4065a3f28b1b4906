/**
 * The agent benchmark runs the Worker's own page statements (worker/src/sync/write-page.ts) in Node, against
 * node:sqlite. These are the only D1 types that code names; the Worker's project has the real ones.
 */
declare global {
  interface D1PreparedStatement {
    bind(...values: unknown[]): D1PreparedStatement;
  }
  interface D1Database {
    prepare(query: string): D1PreparedStatement;
  }
}
export {};
