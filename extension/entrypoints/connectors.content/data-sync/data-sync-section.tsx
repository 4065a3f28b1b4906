/**
 * "Data synchronization": the org's connectors with their state, New (the wizard), and each connector's card.
 * While a connector is syncing, its state is read again every few seconds so progress moves on screen.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Connection, Connector } from '../../../../shared/api';
import { type Problem, askBackground } from '../../../utils/messages';
import { ConnectorCard } from './connector-card';
import { ConnectorWizard } from './connector-wizard';

const POLL_MS = 2_000;

/** Worth watching: a first load under way, a run going on, or a run due now (just activated, or Sync now). */
const syncing = (c: Connector) =>
  c.active &&
  ((c.nextRunAt !== null && Date.parse(c.nextRunAt) <= Date.now()) ||
    c.tables.some((t) => t.enabled && (t.phase === 'initial' || !t.lastRun || t.lastRun.status === 'running' || t.lastRun.status === 'partial')));

export function DataSyncSection({ reloadKey }: { reloadKey: number }) {
  const [connection, setConnection] = useState<Connection | null | undefined>(undefined);
  const [connectors, setConnectors] = useState<Connector[] | undefined>(undefined);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [wizard, setWizard] = useState<{ editing?: Connector } | null>(null);

  const load = async () => {
    const [connections, list] = await Promise.all([askBackground('listConnections'), askBackground('listConnectors')]);
    if (!connections.ok) return setProblem(connections.error);
    if (!list.ok) return setProblem(list.error);
    setProblem(null);
    setConnection(connections.data[0] ?? null);
    setConnectors(list.data);
  };

  useEffect(() => void load(), [reloadKey]);
  useEffect(() => {
    if (!connectors?.some(syncing)) return undefined;
    const timer = setTimeout(() => void load(), POLL_MS);
    return () => clearTimeout(timer);
  }, [connectors]);

  if (problem) {
    return (
      <p class="fb-alert fb-alert--error" role="alert">
        {problem.message}
      </p>
    );
  }
  if (connection === undefined || connectors === undefined) return <p class="fb-spinner" role="status">Loading connectors…</p>;
  if (!connection || connection.status !== 'connected') {
    return <p class="fb-muted" data-testid="sync-needs-connection">Turn on access above first: connectors read Salesforce through that connection.</p>;
  }
  if (wizard) {
    return (
      <ConnectorWizard
        connection={connection}
        editing={wizard.editing}
        onClose={() => {
          setWizard(null);
          void load();
        }}
      />
    );
  }

  return (
    <div data-testid="data-sync">
      {connectors.length === 0 ? (
        <p class="fb-muted" data-testid="no-connectors">
          No connector yet. A connector keeps this org's Contacts and Accounts copied into your own store.
        </p>
      ) : (
        connectors.map((c) => (
          <ConnectorCard
            key={c.id}
            connector={c}
            onEdit={() => setWizard({ editing: c })}
            onChanged={(changed) => (changed ? setConnectors(connectors.map((x) => (x.id === changed.id ? changed : x))) : void load())}
          />
        ))
      )}
      <button class="fb-button fb-button--brand" type="button" onClick={() => setWizard({})} data-testid="new-connector">
        New
      </button>
    </div>
  );
}
