/**
 * "Salesforce access": the access switch, live progress of the operation this panel started (and only that one),
 * a summary when it ends, the connection details, drift with the fix for each finding, and errors with the action
 * that fixes them. The connection itself lives in the panel's `useConnection()`.
 */
import { useState } from 'preact/hooks';
import type { ConnectionAction, DriftFinding } from '../../../../shared/api';
import { Alert, Spinner } from '../../../components/alert';
import { ConfirmDialog } from '../../../components/modal';
import { Toggle } from '../../../components/toggle';
import type { ConnectionActionName } from '../../../utils/messages';
import { setupLinks } from '../../../utils/setup-links';
import { type ConnectionHandle, accessIsOn } from '../use-connection';
import { ConnectionDetails } from './connection-details';
import { ConnectionSteps, OperationSummary } from './connection-steps';

const ACTION_LABELS: Record<ConnectionAction, string> = {
  retry: 'Retry',
  sign_in: 'Sign in with Salesforce',
  recreate_connection: 'Recreate connection…',
  update_permissions: 'Update permissions',
  turn_off: 'Turn off access…',
};

const BUSY_LABELS: Record<ConnectionActionName, string> = {
  turn_on: 'Turning on access…',
  advance: 'Working…',
  turn_off: 'Turning off access…',
  reconnect: 'Recreating the connection…',
  update_permissions: 'Updating permissions…',
};

/** A drift finding's message without Salesforce's raw wording, which goes under Details. */
const plain = (finding: DriftFinding) => finding.message.replace(/\s*\(([^()]*)\)\.?$/, '.');

export function AgentConnectionSection({ handle, setupUnavailable }: { handle: ConnectionHandle; setupUnavailable: boolean }) {
  const { connection, busy, problem } = handle;
  const [confirming, setConfirming] = useState<'off' | 'recreate' | null>(null);

  const onAction = (action: ConnectionAction) => {
    if (action === 'retry') return handle.run(connection && connection.status !== 'off' ? 'advance' : 'turn_on');
    if (action === 'sign_in') return handle.run(connection && connection.status !== 'off' ? 'advance' : 'turn_on', { signIn: true });
    if (action === 'recreate_connection') return setConfirming('recreate');
    if (action === 'update_permissions') return handle.run('update_permissions');
    return setConfirming('off');
  };
  const confirmAndRun = (action: ConnectionActionName) => {
    setConfirming(null);
    void handle.run(action);
  };

  if (connection === undefined) return <Spinner label="Loading Salesforce access…" />;

  const on = accessIsOn(connection);
  const links = connection ? setupLinks(connection.instanceUrl) : null;
  const lastError = connection?.lastError && connection.lastError.code !== 'connection_drift' ? connection.lastError : null;
  // An inactive user or a missing app explains every other finding: show the cause and its fix, not its symptoms.
  const found = connection?.status === 'connected' ? connection.drift : [];
  const cause = found.find((f) => f.kind === 'user_inactive') ?? found.find((f) => f.kind === 'client_app_missing');
  const drift = cause ? [cause] : found;
  // Steps belong to one operation: show them while this panel runs it, or when it stopped on an error.
  const showSteps = !!connection && ((busy !== null && busy !== 'verify') || connection.status === 'failed');
  const finished = !!connection && busy === null && handle.started !== null && connection.done && connection.status !== 'failed';

  return (
    <div data-testid="agent-connection" data-status={connection?.status ?? 'none'}>
      <Toggle
        label="Salesforce access"
        checked={on}
        disabled={busy !== null || setupUnavailable}
        testId="access-toggle"
        describedBy="fb-access-help"
        onChange={(checked) => (checked ? handle.run('turn_on') : setConfirming('off'))}
      />
      <p class="slds-text-color_weak" id="fb-access-help">
        {on
          ? 'Forcebridge reads this org in the background as a dedicated integration user with read-only, least-privilege access.'
          : 'Turning it on creates a client app, an integration user and a least-privilege permission set in this org.'}
      </p>

      {busy && busy !== 'verify' && <Spinner label={BUSY_LABELS[busy]} />}

      {confirming === 'off' && (
        <ConfirmDialog title="Turn off Salesforce access?" confirm="Turn off" destructive onConfirm={() => confirmAndRun('turn_off')} onCancel={() => setConfirming(null)} testId="confirm-off">
          <p>Forcebridge deletes its client app and permission set in this org and deactivates the integration user. Data sync for this org stops; data already copied stays.</p>
        </ConfirmDialog>
      )}
      {confirming === 'recreate' && (
        <ConfirmDialog title="Recreate the connection?" confirm="Recreate connection" onConfirm={() => confirmAndRun('reconnect')} onCancel={() => setConfirming(null)} testId="confirm-recreate">
          <p>
            Forcebridge deploys its client app again with a new certificate, so the app gets a <strong>new consumer key</strong>; anything else using the old key
            stops working. The integration user and permission set are checked and kept. Data sync pauses for the minute this takes.
          </p>
        </ConfirmDialog>
      )}

      {problem && !setupUnavailable && (
        <Alert tone="error" message={problem.message} testId="connection-problem">
          {problem.code === 'salesforce_session_refused' && (
            <button class="slds-button slds-button_neutral" type="button" onClick={() => onAction('sign_in')}>
              {ACTION_LABELS.sign_in}
            </button>
          )}
        </Alert>
      )}

      {lastError && !busy && (
        <Alert tone="error" message={lastError.message} testId="connection-error">
          {lastError.actions.map((action) => (
            <button key={action} class="slds-button slds-button_neutral" type="button" onClick={() => onAction(action)} data-action={action}>
              {ACTION_LABELS[action]}
            </button>
          ))}
        </Alert>
      )}

      {drift.length > 0 && !busy && (
        <div data-testid="connection-drift">
          {drift.map((finding) => (
            <Alert key={finding.kind + (finding.object ?? '')} tone="warning" message={`${plain(finding)} ${finding.message !== plain(finding) ? `\n${finding.message}` : ''}`.trim()}>
              {finding.kind === 'user_inactive' && links?.user(connection!.integrationUserId) && (
                <a class="slds-button slds-button_neutral" href={links.user(connection!.integrationUserId)!} target="_top" data-testid="reactivate-user">
                  Reactivate the integration user
                </a>
              )}
              {(finding.kind === 'field_access_missing' || finding.kind === 'object_access_missing') && (
                <button class="slds-button slds-button_neutral" type="button" onClick={() => handle.run('update_permissions')}>
                  Update permissions
                </button>
              )}
              {(finding.kind === 'client_app_missing' || finding.kind === 'not_pre_authorized' || finding.kind === 'verification_failed') && (
                <button class="slds-button slds-button_neutral" type="button" onClick={() => setConfirming('recreate')}>
                  Recreate connection…
                </button>
              )}
            </Alert>
          ))}
        </div>
      )}

      {showSteps && connection && <ConnectionSteps steps={connection.steps} />}
      {finished && connection && <OperationSummary connection={connection} />}
      {handle.verified && busy === null && handle.verified.drift.length === 0 && (
        <Alert tone="success" message="Verified just now: Forcebridge signed in as the integration user and can read every mapped object." testId="verify-result" />
      )}

      {connection?.status === 'connected' && (
        <>
          <h4 class="fb-subheading">Connection details</h4>
          <ConnectionDetails connection={connection} />
          <div class="fb-actions fb-actions--split">
            <button class="slds-button slds-button_outline-brand" type="button" onClick={handle.verify} disabled={busy !== null} data-testid="verify-connection">
              {busy === 'verify' ? 'Verifying…' : 'Verify now'}
            </button>
            <button class="slds-button" type="button" onClick={() => setConfirming('recreate')} disabled={busy !== null} data-testid="reconnect">
              Recreate connection…
            </button>
          </div>
        </>
      )}
    </div>
  );
}
