/**
 * The Connectors panel: a collapsible column docked at the right edge of Setup. It never covers Setup's own UI
 * while collapsed, and while open it is a fixed-width column the admin can close with Escape from inside it.
 */
import { useState } from 'preact/hooks';
import { myDomainName } from '../../../shared/salesforce-hosts';
import { WorkerStatusView } from '../../components/worker-status';
import { useBackground } from '../../utils/use-background';
import { AgentAccessSection } from './agent-access/agent-access-section';
import { AgentConnectionSection } from './agent-connection/agent-connection-section';
import { DataSyncSection } from './data-sync/data-sync-section';

export function ConnectorsPanel({ pageUrl }: { pageUrl: string }) {
  const [open, setOpen] = useState(true);
  const [reloadKey, setReloadKey] = useState(0);
  const [status, reload] = useBackground('getWorkerStatus');
  const org = myDomainName(pageUrl);

  if (!open) {
    return (
      <button class="fb-panel-tab" type="button" onClick={() => setOpen(true)} aria-expanded="false" data-testid="panel-open">
        Connectors
      </button>
    );
  }

  return (
    <aside
      class="fb-panel"
      aria-label="Forcebridge Connectors"
      data-testid="connectors-panel"
      // Escape closes the panel only while focus is inside it, so Setup's own Escape handling is untouched.
      onKeyDown={(event) => event.key === 'Escape' && setOpen(false)}
    >
      <header class="fb-panel__header">
        <h2>Connectors</h2>
        <button class="fb-link" type="button" onClick={() => setOpen(false)} aria-expanded="true" aria-label="Collapse the Connectors panel">
          Hide
        </button>
      </header>
      <section class="fb-panel__section" aria-labelledby="fb-agent-connections">
        <h3 id="fb-agent-connections">Agent connections → Salesforce</h3>
        <p class="fb-muted">
          Org <span data-testid="org-domain">{org ?? 'unknown'}</span>
        </p>
        <AgentConnectionSection onChange={() => setReloadKey((k) => k + 1)} />
      </section>
      <section class="fb-panel__section" aria-labelledby="fb-data-sync">
        <h3 id="fb-data-sync">Data synchronization</h3>
        <DataSyncSection reloadKey={reloadKey} />
      </section>
      <section class="fb-panel__section" aria-labelledby="fb-agent-access"><h3 id="fb-agent-access">Agent access</h3><AgentAccessSection /></section>
      <section class="fb-panel__section" aria-labelledby="fb-worker">
        <h3 id="fb-worker">Forcebridge Worker</h3>
        {status.state === 'loading' ? (
          <p class="fb-spinner" role="status">Checking the Worker…</p>
        ) : status.result.ok ? (
          <WorkerStatusView status={status.result.data} />
        ) : (
          <p class="fb-alert fb-alert--error" role="alert">{status.result.error.message}</p>
        )}
        <button class="fb-button" type="button" onClick={reload} disabled={status.state === 'loading'}>
          Check again
        </button>
      </section>
    </aside>
  );
}
