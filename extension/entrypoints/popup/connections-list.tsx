/** The tenant's connections at a glance, the org of the active tab first, each with a link to its Setup panel. */
import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { Connection, ConnectionStatus } from '../../../shared/api';
import { myDomainName } from '../../../shared/salesforce-hosts';
import { useBackground } from '../../utils/use-background';

const STATE: Record<ConnectionStatus, { label: string; tone: string }> = {
  connected: { label: 'Connected', tone: 'success' },
  provisioning: { label: 'Setting up', tone: 'neutral' },
  deprovisioning: { label: 'Turning off', tone: 'neutral' },
  failed: { label: 'Error', tone: 'error' },
  off: { label: 'Off', tone: 'neutral' },
};

const orgName = (connection: Connection) => myDomainName(connection.instanceUrl) ?? connection.instanceUrl;
const setupUrl = (connection: Connection) => `https://${orgName(connection)}.my.salesforce-setup.com/lightning/setup/SetupOneHome/home`;

export function ConnectionsList() {
  const [connections] = useBackground('listConnections');
  const [activeOrg, setActiveOrg] = useState<string | undefined>();
  useEffect(() => {
    void browser.tabs.query({ active: true, currentWindow: true }).then(([tab]) => setActiveOrg(tab?.url ? myDomainName(tab.url) : undefined));
  }, []);

  if (connections.state === 'loading') return <p class="fb-spinner" role="status">Loading connections…</p>;
  if (!connections.result.ok) return <p class="fb-alert fb-alert--error" role="alert">{connections.result.error.message}</p>;
  const list = [...connections.result.data].sort((a, b) => Number(orgName(b) === activeOrg) - Number(orgName(a) === activeOrg));
  if (list.length === 0) {
    return <p class="fb-muted" data-testid="no-connections">No Salesforce org is connected yet. Open Setup in your org and turn on access in the Connectors panel.</p>;
  }
  return (
    <ul class="fb-list" aria-label="Salesforce connections" data-testid="connections">
      {list.map((connection) => {
        const state = connection.status === 'connected' && connection.drift.length > 0 ? { label: 'Needs attention', tone: 'error' } : STATE[connection.status];
        return (
          <li key={connection.id} data-testid="connection-row" data-org={orgName(connection)}>
            <div>
              <strong>{orgName(connection)}</strong>
              {orgName(connection) === activeOrg && <span class="fb-muted"> (this tab)</span>}
            </div>
            <span class={`fb-badge fb-badge--${state.tone}`} data-testid="connection-state">
              {state.label}
            </span>
            {connection.lastError && <p class="fb-muted">{connection.lastError.message}</p>}
            <a class="fb-link" href={setupUrl(connection)} target="_blank" rel="noreferrer">
              Open the panel in Setup
            </a>
          </li>
        );
      })}
    </ul>
  );
}
