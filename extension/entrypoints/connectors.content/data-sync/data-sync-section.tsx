/**
 * "Data sync": the org's connectors with their state, New (the wizard), and each connector's card. It takes the
 * connection from the panel, so Update permissions anywhere shows everywhere. While a connector has work going on,
 * its state is read again every few seconds so progress moves on screen.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Connector } from '../../../../shared/api';
import type { DataverseConnection } from '../../../../shared/dataverse';
import { Alert, EmptyState, Spinner } from '../../../components/alert';
import { type Problem, askBackground } from '../../../utils/messages';
import type { ConnectionHandle } from '../use-connection';
import { ConnectorCard } from './connector-card';
import { ConnectorWizard } from './wizard/connector-wizard';

const POLL_MS = 2_000;

/** Worth watching: a first load or run going on, or a run due now (just activated, or Sync now). */
const moving = (c: Connector) =>
  c.active && (c.state.code === 'first_load' || c.state.code === 'syncing' || (c.nextRunAt !== null && Date.parse(c.nextRunAt) <= Date.now()) || c.tables.some((t) => t.enabled && !t.lastRun));

export function DataSyncSection({ handle, dataverseRound = 0 }: { handle: ConnectionHandle; dataverseRound?: number }) {
  const { connection } = handle;
  const [connectors, setConnectors] = useState<Connector[] | undefined>(undefined);
  // The tenant's Dataverse environments: the wizard's destinations, and what each card's destination is called.
  const [dataverse, setDataverse] = useState<DataverseConnection[] | undefined>(undefined);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [wizard, setWizard] = useState<{ editing?: Connector } | null>(null);

  const load = async () => {
    const list = await askBackground('listConnectors');
    if (!list.ok) return setProblem(list.error);
    setProblem(null);
    setConnectors(list.data);
  };

  // Reload when the connection changes state or permissions (turned on, updated from the wizard or a card).
  useEffect(() => void load(), [connection?.id, connection?.status, connection?.grantedAccess?.fields.length]);
  useEffect(() => {
    void askBackground('listDataverseConnections').then((r) => setDataverse(r.ok ? r.data : []));
  }, [dataverseRound]);
  useEffect(() => {
    if (!connectors?.some(moving)) return undefined;
    const timer = setTimeout(() => void load(), POLL_MS);
    return () => clearTimeout(timer);
  }, [connectors]);

  if (problem) return <Alert tone="error" message={problem.message} />;
  if (connection === undefined || connectors === undefined) return <Spinner label="Loading connectors…" />;
  if (!connection || connection.status !== 'connected') {
    return (
      <p class="slds-text-color_weak" data-testid="sync-needs-connection">
        Turn on Salesforce access above first: connectors read Salesforce through that connection.
      </p>
    );
  }

  return (
    <div data-testid="data-sync">
      {connectors.length === 0 ? (
        <EmptyState title="No connector yet" testId="no-connectors">
          <p class="slds-text-color_weak">A connector keeps this org’s contacts and accounts copied into your own store.</p>
        </EmptyState>
      ) : (
        connectors.map((c) => (
          <ConnectorCard
            key={c.id}
            connector={c}
            instanceUrl={connection.instanceUrl}
            dataverse={dataverse}
            onEdit={() => setWizard({ editing: c })}
            onChanged={(changed) => (changed ? setConnectors(connectors.map((x) => (x.id === changed.id ? changed : x))) : void load())}
            onUpdatePermissions={() => void handle.run('update_permissions').then(load)}
            onTurnOn={() => void handle.run('turn_on')}
            onVerify={() => void handle.verify()}
          />
        ))
      )}
      <button class="slds-button slds-button_brand" type="button" onClick={() => setWizard({})} data-testid="new-connector">
        New connector
      </button>
      {wizard && (
        <ConnectorWizard
          connection={connection}
          dataverse={dataverse ?? []}
          editing={wizard.editing}
          onUpdatePermissions={() => handle.run('update_permissions')}
          onClose={() => {
            setWizard(null);
            void load();
          }}
        />
      )}
    </div>
  );
}
