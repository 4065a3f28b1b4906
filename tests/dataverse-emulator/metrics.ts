/**
 * Counts what clients asked for, so tests and the benchmark can say "one $batch, not a thousand PATCHes": HTTP
 * requests per route (GUIDs shown as `:id`, API versions as `v9.x`), the operations inside `$batch` requests, the
 * requests service protection refused (429), and the tokens issued.
 */
const GUID_IN_PATH = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

export function normalizeRoute(path: string): string {
  return path.replace(/\/api\/data\/v9\.[0-2]\//, '/api/data/v9.x/').replace(GUID_IN_PATH, ':id');
}

export class CallMetrics {
  private counts = new Map<string, number>();
  batchOperations = 0;
  throttled = 0;
  tokens = 0;

  record(method: string, path: string): void {
    const key = `${method.toUpperCase()} ${normalizeRoute(path)}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  tokenIssued(): void {
    this.tokens++;
  }

  snapshot(): { requests: Record<string, number>; total: number; webApiRequests: number; batchOperations: number; throttled: number; tokensIssued: number } {
    const requests = Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
    let total = 0;
    let webApiRequests = 0;
    for (const [key, n] of this.counts) {
      total += n;
      if (key.includes(' /api/data/')) webApiRequests += n;
    }
    return { requests, total, webApiRequests, batchOperations: this.batchOperations, throttled: this.throttled, tokensIssued: this.tokens };
  }

  reset(): void {
    this.counts = new Map();
    this.batchOperations = 0;
    this.throttled = 0;
    this.tokens = 0;
  }
}
