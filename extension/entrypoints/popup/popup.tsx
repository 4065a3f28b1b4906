/** The toolbar popup: is the Worker reachable, whose tenant is the key, every connection's state, and the way to the options. */
import { browser } from 'wxt/browser';
import { WorkerStatusView } from '../../components/worker-status';
import { useBackground } from '../../utils/use-background';
import { AgentAccessStatus } from '../connectors.content/agent-access/agent-access-status';
import { ConnectionsList } from './connections-list';
import { ConnectorsList } from './connectors-list';

export function Popup() {
  const [status, reload] = useBackground('getWorkerStatus');
  return (
    <main class="fb-popup">
      <header class="fb-popup__header">
        <h1>Forcebridge</h1>
        <button class="fb-link" type="button" onClick={() => browser.runtime.openOptionsPage()}>
          Options
        </button>
      </header>
      {status.state === 'loading' ? (
        <p class="fb-spinner" role="status">Checking the Worker…</p>
      ) : status.result.ok ? (
        <WorkerStatusView status={status.result.data} />
      ) : (
        <p class="fb-alert fb-alert--error" role="alert">{status.result.error.message}</p>
      )}
      <h2 class="fb-popup__heading">Connections</h2>
      <ConnectionsList />
      <h2 class="fb-popup__heading">Connectors</h2>
      <ConnectorsList />
      <AgentAccessStatus />
      <footer class="fb-popup__footer">
        <button class="fb-button" type="button" onClick={reload} disabled={status.state === 'loading'}>
          Refresh
        </button>
      </footer>
    </main>
  );
}
