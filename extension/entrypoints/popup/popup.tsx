/** The toolbar popup: is the Forcebridge service reachable and whose team, every connection and connector, and the options. */
import { useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import { Alert, Spinner } from '../../components/alert';
import { WorkerStatusView } from '../../components/worker-status';
import { useBackground } from '../../utils/use-background';
import { AgentAccessStatus } from '../connectors.content/agent-access/agent-access-status';
import { ConnectionsList } from './connections-list';
import { ConnectorsList } from './connectors-list';
import { DataverseList } from './dataverse-list';

export function Popup() {
  // Refresh remounts everything below, so every list asks again (not only the service status).
  const [round, setRound] = useState(0);
  return (
    <main class="fb-popup">
      <header class="fb-popup__header">
        <h1>Forcebridge</h1>
        <button class="slds-button" type="button" onClick={() => browser.runtime.openOptionsPage()}>
          Options
        </button>
      </header>
      <PopupBody key={round} />
      <footer class="fb-popup__footer">
        <button class="slds-button slds-button_neutral" type="button" onClick={() => setRound((n) => n + 1)} data-testid="popup-refresh">
          Refresh
        </button>
      </footer>
    </main>
  );
}

function PopupBody() {
  const [status] = useBackground('getWorkerStatus');
  const [connections] = useBackground('listConnections');
  const [dataverse] = useBackground('listDataverseConnections');
  return (
    <>
      {status.state === 'loading' ? <Spinner label="Checking the Forcebridge service…" /> : status.result.ok ? <WorkerStatusView status={status.result.data} /> : <Alert tone="error" message={status.result.error.message} />}
      <h2 class="fb-popup__heading">Salesforce access</h2>
      <ConnectionsList connections={connections} />
      <h2 class="fb-popup__heading">Dataverse environments</h2>
      <DataverseList connections={dataverse} />
      <h2 class="fb-popup__heading">Data sync</h2>
      <ConnectorsList
        connections={connections.state === 'done' && connections.result.ok ? connections.result.data : []}
        dataverse={dataverse.state === 'done' && dataverse.result.ok ? dataverse.result.data : []}
      />
      <h2 class="fb-popup__heading">Agent access</h2>
      <AgentAccessStatus />
    </>
  );
}
