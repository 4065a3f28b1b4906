/**
 * "Dataverse environments": where connectors can write instead of the Worker's D1. Add an environment (with a
 * certificate the Worker makes, or a client secret), test it (which application user it signs in as, or what to
 * fix), and remove it. The list is the tenant's, like the Worker's; every refusal is shown in the Worker's words.
 */
import { useRef, useState } from 'preact/hooks';
import type { DataverseConnection, DataverseConnectionInput } from '../../../../shared/dataverse';
import { Alert, Spinner } from '../../../components/alert';
import { ConfirmDialog } from '../../../components/modal';
import { type Problem, askBackground } from '../../../utils/messages';
import { useBackground } from '../../../utils/use-background';
import { AddConnectionForm } from './add-connection-form';
import { environmentHost } from './connection-status';
import { DataverseConnectionItem } from './dataverse-connection';
import { DataverseProblem } from './dataverse-problem';

export function DataverseSection({ onChanged }: { onChanged?: () => void }) {
  const [list, reload] = useBackground('listDataverseConnections');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<DataverseConnection | null>(null);
  // Reloading after a change keeps showing what was there, so the list (and what has focus in it) stays put.
  const shown = useRef<DataverseConnection[] | null>(null);

  const act = async (payload: Parameters<typeof askBackground<'dataverseCommand'>>[1], done: (c: DataverseConnection | null) => string | null) => {
    setBusy(true);
    setProblem(null);
    setNotice(null);
    const result = await askBackground('dataverseCommand', payload);
    // A failed test is recorded on the connection (its last error): reload either way.
    await reload();
    setBusy(false);
    onChanged?.();
    if (!result.ok) {
      setProblem(result.error);
      return false;
    }
    setNotice(done(result.data));
    return true;
  };

  const add = (input: DataverseConnectionInput) =>
    act({ command: 'create', input }, (c) => {
      setAdding(false);
      return c?.certificate ? `Added ${environmentHost(c)}. Upload its certificate to the app registration (below), then test the connection.` : `Added ${c ? environmentHost(c) : 'the environment'}. Test the connection next.`;
    });

  if (list.state === 'done' && list.result.ok) shown.current = list.result.data;
  if (!shown.current) {
    if (list.state === 'loading') return <Spinner label="Loading Dataverse environments…" />;
    if (!list.result.ok) return <Alert tone="error" message={list.result.error.message} testId="dataverse-problem" />;
  }
  const connections = shown.current ?? [];

  return (
    <div data-testid="dataverse">
      <p class="slds-text-color_weak">
        Connectors can write into a Microsoft Dataverse environment instead of the Worker’s D1, as rows owned by a team there. First register an app in Entra ID and
        add it to the environment as an application user with a security role (see the README, “Set up the environment”).
      </p>
      {connections.map((c) => (
        <DataverseConnectionItem
          key={c.id}
          connection={c}
          busy={busy}
          onTest={() =>
            void act({ command: 'test', id: c.id }, (tested) =>
              tested?.applicationUser ? `Connected to ${environmentHost(tested)} as the application user ${tested.applicationUser.name}.` : null,
            )
          }
          onRemove={() => setRemoving(c)}
        />
      ))}
      {notice && <Alert tone="success" message={notice} testId="dataverse-notice" />}
      {problem && <DataverseProblem problem={problem} testId="dataverse-error-banner" />}
      {connections.length === 0 || adding ? (
        <AddConnectionForm busy={busy} onSubmit={add} onCancel={connections.length > 0 ? () => setAdding(false) : undefined} />
      ) : (
        <button class="slds-button slds-button_neutral" type="button" onClick={() => setAdding(true)} data-testid="new-dataverse">
          Add environment
        </button>
      )}
      {removing && (
        <ConfirmDialog
          title={`Remove ${environmentHost(removing)}?`}
          confirm="Remove"
          destructive
          onCancel={() => setRemoving(null)}
          onConfirm={() => {
            const { id } = removing;
            setRemoving(null);
            void act({ command: 'delete', id }, () => 'Removed, with its sealed credential. Nothing in the environment changed: delete the certificate or secret from the app registration if nothing else uses it.');
          }}
          testId="confirm-remove-dataverse"
        >
          <p>Forcebridge forgets this environment and its credential. Connectors that write to it must be changed or deleted first.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
