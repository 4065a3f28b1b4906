/** The tenant's Dataverse environments at a glance: each with its state and the application user it signs in as. */
import type { DataverseConnection } from '../../../shared/dataverse';
import { Alert, Spinner, badgeClass } from '../../components/alert';
import type { Loadable } from '../../utils/use-background';
import { dataverseBadge, environmentHost } from '../connectors.content/dataverse/connection-status';

export function DataverseList({ connections }: { connections: Loadable<DataverseConnection[]> }) {
  if (connections.state === 'loading') return <Spinner label="Loading Dataverse environments…" />;
  // The service problem is already said once above.
  if (!connections.result.ok) return null;
  if (connections.result.data.length === 0) return <p class="slds-text-color_weak" data-testid="no-dataverse">No Dataverse environment yet: connectors write to D1. Add one in the Connectors panel in Setup.</p>;
  return (
    <ul class="fb-list" aria-label="Dataverse environments" data-testid="dataverse-connections">
      {connections.result.data.map((c) => {
        const badge = dataverseBadge(c);
        return (
          <li key={c.id} data-testid="dataverse-row">
            <div>
              <strong>{environmentHost(c)}</strong>
              {c.applicationUser && <span class="slds-text-color_weak"> as {c.applicationUser.name}</span>}
            </div>
            <span class={badgeClass(badge.tone)} data-testid="dataverse-state">
              {badge.label}
            </span>
            {c.status === 'failed' && c.lastError && <Alert tone="error" message={c.lastError.message} live={false} />}
          </li>
        );
      })}
    </ul>
  );
}
