/** The tenant's connections at a glance, the org of the active tab first, each with a link to its Setup panel. */
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { Connection } from '../../../shared/api';
import { myDomainName } from '../../../shared/salesforce-hosts';
import { Alert, Spinner, badgeClass } from '../../components/alert';
import type { Loadable } from '../../utils/use-background';
import { setupLinks } from '../../utils/setup-links';
import { connectionBadge } from '../connectors.content/use-connection';

export const orgName = (connection: Connection) => myDomainName(connection.instanceUrl) ?? connection.instanceUrl;

export function ConnectionsList({ connections }: { connections: Loadable<Connection[]> }) {
  const [activeOrg, setActiveOrg] = useState<string | undefined>();
  useEffect(() => {
    void browser.tabs.query({ active: true, currentWindow: true }).then(([tab]) => setActiveOrg(tab?.url ? myDomainName(tab.url) : undefined));
  }, []);

  if (connections.state === 'loading') return <Spinner label="Loading connections…" />;
  // The service problem is already said once above.
  if (!connections.result.ok) return null;
  const list = [...connections.result.data].sort((a, b) => Number(orgName(b) === activeOrg) - Number(orgName(a) === activeOrg));
  if (list.length === 0) {
    return <p class="slds-text-color_weak" data-testid="no-connections">No Salesforce org is connected yet. Open Setup in your org and turn on Salesforce access in the Connectors panel.</p>;
  }
  return (
    <ul class="fb-list" aria-label="Salesforce connections" data-testid="connections">
      {list.map((connection) => {
        // The same words as the panel's header badge; a failure's message is in the panel, with its fix.
        const state = connectionBadge(connection);
        const setup = setupLinks(connection.instanceUrl).setupHome();
        return (
          <li key={connection.id} data-testid="connection-row" data-org={orgName(connection)}>
            <div>
              <strong>{orgName(connection)}</strong>
              {orgName(connection) === activeOrg && <span class="slds-text-color_weak"> (this tab)</span>}
            </div>
            <span class={badgeClass(state.tone)} data-testid="connection-state">
              {state.label}
            </span>
            {connection.lastError && connection.status === 'failed' && <Alert tone="error" message={connection.lastError.message} live={false} />}
            {setup && (
              <a class="slds-text-link" href={setup} target="_blank" rel="noreferrer">
                Open the panel in Setup
              </a>
            )}
          </li>
        );
      })}
    </ul>
  );
}
