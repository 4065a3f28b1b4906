/** Every connector of the tenant at a glance: its org, where it writes, state (as the Worker decided it), rows, last sync and rejects. */
import type { Connection, Connector } from '../../../shared/api';
import type { DataverseConnection } from '../../../shared/dataverse';
import { Alert, Spinner, badgeClass } from '../../components/alert';
import { Time, count } from '../../components/time';
import { useBackground } from '../../utils/use-background';
import { destinationLabel } from '../connectors.content/dataverse/connection-status';
import { orgName } from './connections-list';

export function ConnectorsList({ connections, dataverse = [] }: { connections: Connection[]; dataverse?: DataverseConnection[] }) {
  const [connectors] = useBackground('listConnectors');
  if (connectors.state === 'loading') return <Spinner label="Loading connectors…" />;
  if (!connectors.result.ok) return null;
  if (connectors.result.data.length === 0) return <p class="slds-text-color_weak">No connectors yet. Create one in the Connectors panel in Setup.</p>;
  const orgOf = new Map(connections.map((c) => [c.id, orgName(c)]));
  return (
    <ul class="fb-list" aria-label="Connectors" data-testid="connectors">
      {connectors.result.data.map((c: Connector) => {
        const tables = c.tables.filter((t) => t.enabled);
        const rows = tables.reduce((sum, t) => sum + t.rows, 0);
        const rejected = tables.reduce((sum, t) => sum + (t.lastRun?.rejected ?? 0), 0);
        const last = tables.map((t) => t.lastRun?.finishedAt ?? t.lastRun?.startedAt).filter((x): x is string => !!x).sort().at(-1);
        const error = tables.map((t) => t.lastRun).find((r) => r?.status === 'failed')?.errorMessage;
        return (
          <li key={c.id} data-testid="connector-row">
            <div>
              <strong>{c.name}</strong> <span class="slds-text-color_weak" data-testid="connector-org">{orgOf.get(c.connectionId) ?? ''}</span>
            </div>
            <span class={badgeClass(c.state.tone)} data-testid="connector-state" title={c.state.detail}>
              {c.state.label}
            </span>
            <span class="slds-text-color_weak" data-testid="connector-destination">
              {destinationLabel(c.destination, c.team, dataverse)}
            </span>
            <span class="slds-text-color_weak" data-testid="connector-summary">
              {count(rows, 'row')} · {last ? <>last sync <Time iso={last} /></> : 'not synced yet'}
              {rejected > 0 ? ` · ${count(rejected, 'record')} rejected` : ''}
            </span>
            {error && <Alert tone="error" message={error} live={false} />}
          </li>
        );
      })}
    </ul>
  );
}
