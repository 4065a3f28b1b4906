/**
 * "Agent connections → Salesforce": the Turn on access toggle, live progress of each provisioning step, the
 * connection details, Reconnect, and errors with the action that fixes them. Operations run in bounded requests;
 * this component keeps asking (`advance`) until the Worker says the operation is done.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Connection, ConnectionAction } from '../../../../shared/api';
import { Toggle } from '../../../components/toggle';
import { driveConnection } from '../../../utils/drive-connection';
import { type ConnectionActionName, type Problem, askBackground } from '../../../utils/messages';
import { ConnectionDetails } from './connection-details';
import { ConnectionSteps } from './connection-steps';

const ACTION_LABELS: Record<ConnectionAction, string> = {
  retry: 'Retry',
  sign_in: 'Sign in with Salesforce',
  recreate_connection: 'Recreate connection',
  update_permissions: 'Update permissions',
  turn_off: 'Turn off access',
};

const BUSY_LABELS: Record<ConnectionActionName, string> = {
  turn_on: 'Turning on access…',
  advance: 'Working…',
  turn_off: 'Turning off access…',
  reconnect: 'Recreating the connection…',
  update_permissions: 'Updating permissions…',
};

/** `onChange` is called after an operation ends, so the rest of the panel can reload what depends on the connection. */
export function AgentConnectionSection({ onChange }: { onChange?: () => void }) {
  const [connection, setConnection] = useState<Connection | null | undefined>(undefined);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState<ConnectionActionName | 'verify' | null>(null);
  const [confirmingOff, setConfirmingOff] = useState(false);

  const load = async () => {
    const result = await askBackground('listConnections');
    if (result.ok) {
      setConnection(result.data[0] ?? null);
      setProblem(null);
    } else {
      setConnection(null);
      setProblem(result.error);
    }
  };
  useEffect(() => void load(), []);

  const run = async (first: ConnectionActionName, options: { signIn?: boolean } = {}) => {
    setBusy(first);
    setProblem(null);
    setConfirmingOff(false);
    const result = await driveConnection(first, connection?.id, setConnection, options);
    if (!result.ok) setProblem(result.error);
    setBusy(null);
    onChange?.();
  };

  const verify = async () => {
    if (!connection) return;
    setBusy('verify');
    const result = await askBackground('verifyConnection', { connectionId: connection.id });
    if (result.ok) setConnection(result.data);
    else setProblem(result.error);
    setBusy(null);
  };

  const onAction = (action: ConnectionAction) => {
    if (action === 'retry') return run(connection && connection.status !== 'off' ? 'advance' : 'turn_on');
    if (action === 'sign_in') return run(connection && connection.status !== 'off' ? 'advance' : 'turn_on', { signIn: true });
    if (action === 'recreate_connection') return run('reconnect');
    if (action === 'update_permissions') return run('update_permissions');
    return setConfirmingOff(true);
  };

  if (connection === undefined) return <p class="fb-spinner" role="status">Loading the connection…</p>;

  const on = !!connection && connection.status !== 'off' && !(connection.operation === 'turn_off' && connection.status !== 'failed');
  const operationShown = connection && (busy !== null || connection.status === 'failed' || !connection.done);
  const actions = connection?.lastError?.actions ?? [];

  return (
    <div data-testid="agent-connection" data-status={connection?.status ?? 'none'}>
      <Toggle
        label="Turn on access"
        checked={on}
        disabled={busy !== null}
        testId="access-toggle"
        onChange={(checked) => (checked ? run('turn_on') : setConfirmingOff(true))}
      />
      <p class="fb-muted">
        {on
          ? 'Forcebridge reads this org in the background as a dedicated integration user with read-only, least-privilege access.'
          : 'Turning on access creates an OAuth client app, an integration user and a least-privilege permission set in this org.'}
      </p>

      {busy && busy !== 'verify' && (
        <p class="fb-spinner" role="status" data-testid="connection-busy">
          {BUSY_LABELS[busy]}
        </p>
      )}

      {confirmingOff && (
        <div class="fb-alert" role="alertdialog" aria-labelledby="fb-off-title" data-testid="confirm-off">
          <p id="fb-off-title">
            <strong>Turn off access?</strong> Forcebridge deletes its client app and permission set in this org and deactivates the integration user.
            Sync for this org stops; data already copied stays.
          </p>
          <div class="fb-actions">
            <button class="fb-button fb-button--destructive" type="button" onClick={() => run('turn_off')}>
              Turn off
            </button>
            <button class="fb-button" type="button" onClick={() => setConfirmingOff(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}

      {problem && (
        <div class="fb-alert fb-alert--error" role="alert" data-testid="connection-problem">
          <p>{problem.message}</p>
          {problem.code === 'salesforce_session_refused' && (
            <div class="fb-actions">
              <button class="fb-button" type="button" onClick={() => onAction('sign_in')}>
                {ACTION_LABELS.sign_in}
              </button>
            </div>
          )}
        </div>
      )}

      {connection?.lastError && !busy && (
        <div class="fb-alert fb-alert--error" role="alert" data-testid="connection-error">
          <p>{connection.lastError.message}</p>
          <div class="fb-actions">
            {actions.map((action) => (
              <button key={action} class="fb-button" type="button" onClick={() => onAction(action)} data-action={action}>
                {ACTION_LABELS[action]}
              </button>
            ))}
          </div>
        </div>
      )}

      {operationShown && connection && <ConnectionSteps steps={connection.steps} />}

      {connection?.status === 'connected' && (
        <>
          <h4 class="fb-subheading">Connection details</h4>
          <ConnectionDetails connection={connection} />
          <div class="fb-actions">
            <button class="fb-button" type="button" onClick={verify} disabled={busy !== null} data-testid="verify-connection">
              {busy === 'verify' ? 'Verifying…' : 'Verify now'}
            </button>
            <button class="fb-button" type="button" onClick={() => run('reconnect')} disabled={busy !== null} data-testid="reconnect">
              Reconnect
            </button>
          </div>
        </>
      )}
    </div>
  );
}
