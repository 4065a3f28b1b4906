/** Times as admins read them: "5 minutes ago", with the exact local time on hover and for screen readers. */

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

export function relativeTime(iso: string, now = Date.now()): string {
  const delta = Date.parse(iso) - now;
  if (Math.abs(delta) < 45_000) return delta > 0 ? 'in a moment' : 'just now';
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  for (const [unit, ms] of UNITS) {
    if (Math.abs(delta) >= ms || unit === 'minute') return format.format(Math.round(delta / ms), unit);
  }
  return '';
}

export const exactTime = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function Time({ iso, testId }: { iso: string | null; testId?: string }) {
  if (!iso) return <span data-testid={testId}>—</span>;
  return (
    <time dateTime={iso} title={exactTime(iso)} data-testid={testId}>
      {relativeTime(iso)}
    </time>
  );
}

/** "1 API call", "2,000 API calls". */
export const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** "every 15 minutes", "every hour", "every day". */
export function every(minutes: number): string {
  if (minutes === 1440) return 'every day';
  if (minutes === 60) return 'every hour';
  if (minutes % 60 === 0) return `every ${minutes / 60} hours`;
  return `every ${minutes} minutes`;
}
