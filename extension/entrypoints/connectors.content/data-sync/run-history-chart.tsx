/** A small bar chart of recent runs: height is records read, colour is the status; hover or focus tells the numbers. */
import type { SyncRun } from '../../../../shared/api';

const COLOURS: Record<SyncRun['status'], string> = { succeeded: '#2e844a', partial: '#0176d3', rate_limited: '#dd7a01', failed: '#ba0517', running: '#939393' };

export function RunHistoryChart({ runs }: { runs: SyncRun[] }) {
  const shown = [...runs].reverse().slice(-30);
  if (shown.length === 0) return <p class="fb-muted">No runs yet.</p>;
  const max = Math.max(1, ...shown.map((r) => r.read));
  const width = 300;
  const bar = width / shown.length;
  return (
    <svg class="fb-chart" viewBox={`0 0 ${width} 60`} role="img" aria-label={`Last ${shown.length} runs: ${shown.filter((r) => r.status === 'succeeded').length} succeeded`} data-testid="run-chart">
      {shown.map((run, i) => {
        const height = Math.max(2, (run.read / max) * 56);
        return (
          <rect key={run.id} x={i * bar + 1} y={60 - height} width={Math.max(1, bar - 2)} height={height} fill={COLOURS[run.status]}>
            <title>{`${run.table} · ${run.status} · ${run.read} read, ${run.upserted} written, ${run.deleted} deleted · ${new Date(run.startedAt).toLocaleString()}`}</title>
          </rect>
        );
      })}
    </svg>
  );
}
