/** Every connector of the tenant at a glance: state, last sync, rows copied, and the last error. */
import type { Connector } from '../../../shared/api';
import { useBackground } from '../../utils/use-background';

function summary(c: Connector) {
  const tables = c.tables.filter((t) => t.enabled);
  const runs = tables.map((t) => t.lastRun).filter((r) => r !== null);
  const failed = runs.find((r) => r.status === 'failed' || r.status === 'rate_limited');
  const syncing = c.active && tables.some((t) => t.phase === 'initial' || t.lastRun?.status === 'partial');
  const last = runs.map((r) => r.finishedAt ?? r.startedAt).sort().at(-1);
  return {
    state: !c.active ? 'Inactive' : failed ? (failed.status === 'rate_limited' ? 'Paused' : 'Error') : syncing ? 'Syncing' : 'Active',
    tone: !c.active ? 'neutral' : failed ? 'error' : 'success',
    rows: tables.reduce((sum, t) => sum + t.rows, 0),
    last,
    error: failed?.errorMessage ?? null,
  };
}

export function ConnectorsList() {
  const [connectors] = useBackground('listConnectors');
  if (connectors.state === 'loading') return <p class="fb-spinner" role="status">Loading connectors…</p>;
  if (!connectors.result.ok) return <p class="fb-alert fb-alert--error" role="alert">{connectors.result.error.message}</p>;
  if (connectors.result.data.length === 0) return <p class="fb-muted">No connectors yet. Create one in the Connectors panel in Setup.</p>;
  return (
    <ul class="fb-list" aria-label="Connectors" data-testid="connectors">
      {connectors.result.data.map((c) => {
        const s = summary(c);
        return (
          <li key={c.id} data-testid="connector-row">
            <strong>{c.name}</strong>
            <span class={`fb-badge fb-badge--${s.tone}`} data-testid="connector-state">
              {s.state}
            </span>
            <span class="fb-muted" data-testid="connector-summary">
              {s.rows.toLocaleString()} rows · {s.last ? `last sync ${new Date(s.last).toLocaleString()}` : 'not synced yet'}
            </span>
            {s.error && <p class="fb-muted">{s.error}</p>}
          </li>
        );
      })}
    </ul>
  );
}
