/**
 * Counts requests per route so tests can assert how many calls the product made (e.g. "one composite, not ten
 * queries"). Routes are normalized: API versions become vXX.X, record and job ids `:id`, query locators `:locator`.
 */
export class CallMetrics {
  private counts = new Map<string, number>();

  record(method: string, path: string): void {
    const key = `${method.toUpperCase()} ${normalizeRoute(path)}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  count(method: string, route: string): number {
    return this.counts.get(`${method.toUpperCase()} ${route}`) ?? 0;
  }

  total(): number {
    let total = 0;
    for (const n of this.counts.values()) total += n;
    return total;
  }

  reset(): void {
    this.counts = new Map();
  }
}

export function normalizeRoute(path: string): string {
  return path
    .split('/')
    .map((segment) => {
      if (/^v\d+\.\d$/.test(segment)) return 'vXX.X';
      if (/^[a-zA-Z0-9]{15,18}-\d+$/.test(segment)) return ':locator';
      if (/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(segment) && /\d/.test(segment) && /[a-zA-Z]/.test(segment)) return ':id';
      return segment;
    })
    .join('/');
}
