/**
 * The connector's recent runs: a bar chart (records read per run, coloured by outcome, with axes, a legend, and
 * bars that take focus and say their numbers) beside the same runs as a table.
 */
import tokens from '@salesforce-ux/design-system/design-tokens/dist/theme-one-salesforce.json';
import type { SyncRun } from '../../../../shared/api';
import { Time, count, exactTime } from '../../../components/time';

export const STATUS_LABEL: Record<SyncRun['status'], string> = { succeeded: 'Succeeded', partial: 'First load continues', rate_limited: 'Paused (API limit)', failed: 'Failed', running: 'Running' };

/** Colours from the Lightning Design System's design tokens (its One Salesforce theme). */
const COLOURS: Record<SyncRun['status'], string> = {
  succeeded: tokens.COLOR_BACKGROUND_SUCCESS_DARK,
  partial: tokens.BRAND_ACCESSIBLE,
  rate_limited: tokens.COLOR_BACKGROUND_WARNING_DARK,
  failed: tokens.COLOR_BACKGROUND_ERROR_DARK,
  running: tokens.COLOR_GRAY_8,
};

const describe = (run: SyncRun) =>
  `${run.table}, ${STATUS_LABEL[run.status]}, ${exactTime(run.startedAt)}: ${run.read.toLocaleString('en-US')} read, ${run.upserted.toLocaleString('en-US')} written, ${run.deleted.toLocaleString('en-US')} deleted, ${count(run.rejected, 'rejected record')}, ${count(run.apiCalls, 'API call')}`;

export function RunHistory({ runs }: { runs: SyncRun[] }) {
  const shown = [...runs].reverse().slice(-30);
  if (shown.length === 0) return <p class="slds-text-color_weak">No runs yet.</p>;
  const max = Math.max(1, ...shown.map((r) => r.read));
  const [left, top, width, height] = [44, 8, 300, 80];
  const bar = width / shown.length;
  const time = (iso: string) => new Date(iso).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  const statuses = [...new Set(shown.map((r) => r.status))];
  return (
    // Focusable so a keyboard can scroll the table sideways in a narrow panel.
    <div class="fb-history" tabIndex={0} role="region" aria-label="Run history">
      <svg class="fb-chart" viewBox={`0 0 ${left + width + 4} ${top + height + 28}`} role="group" aria-label={`Records read in the last ${count(shown.length, 'run')}`} data-testid="run-chart">
        <line x1={left} y1={top} x2={left} y2={top + height} class="fb-chart__axis" />
        <line x1={left} y1={top + height} x2={left + width} y2={top + height} class="fb-chart__axis" />
        <text x={left - 4} y={top + 4} text-anchor="end" class="fb-chart__label">
          {max.toLocaleString('en-US')}
        </text>
        <text x={left - 4} y={top + height} text-anchor="end" class="fb-chart__label">
          0
        </text>
        <text x={4} y={top + height / 2} class="fb-chart__label" transform={`rotate(-90 8 ${top + height / 2})`} text-anchor="middle">
          read
        </text>
        <text x={left} y={top + height + 14} class="fb-chart__label" data-testid="chart-first-time">
          {time(shown[0]!.startedAt)}
        </text>
        <text x={left + width} y={top + height + 14} text-anchor="end" class="fb-chart__label">
          {time(shown.at(-1)!.startedAt)}
        </text>
        {shown.map((run, i) => {
          const h = Math.max(2, (run.read / max) * height);
          return (
            <rect key={run.id} x={left + i * bar + 1} y={top + height - h} width={Math.max(1, bar - 2)} height={h} fill={COLOURS[run.status]} tabIndex={0} role="img" aria-label={describe(run)} class="fb-chart__bar">
              <title>{describe(run)}</title>
            </rect>
          );
        })}
      </svg>
      <ul class="fb-legend" aria-label="Legend">
        {statuses.map((s) => (
          <li key={s}>
            <span class="fb-legend__swatch" style={{ background: COLOURS[s] }} aria-hidden="true" />
            {STATUS_LABEL[s]}
          </li>
        ))}
      </ul>
      <table class="slds-table slds-table_bordered slds-table_col-bordered fb-table--compact" aria-label="Runs, newest first" data-testid="run-table">
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Table</th>
            <th scope="col">Outcome</th>
            <th scope="col">Read</th>
            <th scope="col">Written</th>
            <th scope="col">Rejected</th>
            <th scope="col">API calls</th>
          </tr>
        </thead>
        <tbody>
          {[...shown].reverse().map((run) => (
            <tr key={run.id}>
              <td>
                <Time iso={run.startedAt} />
              </td>
              <td>{run.mode === 'reconcile' ? `${run.table} (Id reconciliation)` : run.mode === 'formula_refresh' ? `${run.table} (formula refresh)` : run.table}</td>
              <td>{STATUS_LABEL[run.status]}</td>
              <td>{run.read.toLocaleString('en-US')}</td>
              <td>{run.upserted.toLocaleString('en-US')}</td>
              <td>{run.rejected.toLocaleString('en-US')}</td>
              <td>{run.apiCalls.toLocaleString('en-US')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
