/**
 * "Agent access": lets AI agents read the synced data through the Worker's MCP endpoint. Create a credential (its key
 * shown this once, with ready configuration), revoke one (after a confirmation: agents using it stop at once), switch
 * live tools on per connection (they spend the org's API calls), and see the recent tool calls. Everything goes
 * through the background, like the rest of the panel; the markup is the Lightning Design System's, like the others.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AgentAccess, AgentCredential, CreatedAgentCredential } from '../../../../shared/agent-api';
import { Alert, Spinner, badgeClass } from '../../../components/alert';
import { CopyButton } from '../../../components/copy-button';
import { ConfirmDialog } from '../../../components/modal';
import { Time } from '../../../components/time';
import { Toggle } from '../../../components/toggle';
import { type Problem, askBackground } from '../../../utils/messages';
import { useBackground } from '../../../utils/use-background';
import { CreatedCredential } from './created-credential';
import { RecentCalls } from './recent-calls';

export function AgentAccessSection() {
  const [access, reload] = useBackground('getAgentAccess');
  const [created, setCreated] = useState<CreatedAgentCredential | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [revoking, setRevoking] = useState<AgentCredential | null>(null);
  const nameInput = useRef<HTMLInputElement>(null);
  const createdBox = useRef<HTMLDivElement>(null);
  const shown = useRef<AgentAccess | null>(null);

  // The Create button is disabled once the name is cleared, so focus would fall to the page: take it to the key.
  useEffect(() => {
    if (created) createdBox.current?.focus();
  }, [created]);

  const act = async (payload: Parameters<typeof askBackground<'agentAccessCommand'>>[1]) => {
    setBusy(true);
    setProblem(null);
    const result = await askBackground('agentAccessCommand', payload);
    if (!result.ok) {
      setBusy(false);
      return void setProblem(result.error);
    }
    await reload();
    setBusy(false);
    if (payload.command === 'create') {
      setCreated(result.data as CreatedAgentCredential);
      setName('');
    }
    // A revoked credential's row (and its Revoke button, which had focus) is gone: continue at the name field.
    if (payload.command === 'revoke') nameInput.current?.focus();
  };

  // Reloading after a change keeps showing what was there, so the section (and what has focus in it) stays put.
  if (access.state === 'done' && access.result.ok) shown.current = access.result.data;
  if (access.state === 'loading' && !shown.current) return <Spinner label="Loading agent access…" />;
  if (access.state === 'done' && !access.result.ok) return <Alert tone="error" message={access.result.error.message} testId="agent-access-problem" />;
  const data: AgentAccess = shown.current!;
  const live = data.credentials.filter((c) => !c.revokedAt);

  return (
    <div data-testid="agent-access">
      <p class="slds-text-color_weak">
        AI agents (Agentforce, Copilot Studio, any MCP client) read the copied contacts and accounts here, read-only. They see what the integration user can
        see, not each person's Salesforce sharing.
      </p>
      <dl class="fb-facts" aria-label="Agent access details">
        <dt>Status</dt>
        <dd data-testid="agent-access-state">
          <span class={badgeClass(data.enabled ? 'success' : 'neutral')}>{data.enabled ? 'On' : 'Off'}</span>{' '}
          <span class="slds-text-color_weak">
            {!data.enabled ? (
              'no credential yet'
            ) : data.lastUsedAt ? (
              <>
                last used <Time iso={data.lastUsedAt} />
              </>
            ) : (
              'not used yet'
            )}
          </span>
        </dd>
        <dt>MCP endpoint</dt>
        <dd class="fb-copyable">
          <span class="fb-mono fb-truncate" data-testid="mcp-url" title={data.mcpUrl}>
            {data.mcpUrl}
          </span>
          <CopyButton value={data.mcpUrl} what="MCP endpoint" />
        </dd>
        <dt>Token URL</dt>
        <dd class="fb-copyable">
          <span class="fb-mono fb-truncate" title={data.tokenUrl}>
            {data.tokenUrl}
          </span>
          <CopyButton value={data.tokenUrl} what="token URL" />
        </dd>
      </dl>

      {problem && <Alert tone="error" message={problem.message} testId="agent-access-error" />}

      {created && (
        <CreatedCredential
          focusRef={createdBox}
          access={data}
          credential={created}
          onDone={() => {
            setCreated(null);
            nameInput.current?.focus();
          }}
        />
      )}

      <form
        class="slds-form-element fb-field"
        onSubmit={(event) => {
          event.preventDefault();
          void act({ command: 'create', name });
        }}
      >
        <label class="slds-form-element__label" for="fb-agent-name">
          New credential for
        </label>
        <div class="slds-form-element__control">
          <input
            ref={nameInput}
            id="fb-agent-name"
            class="slds-input"
            value={name}
            maxLength={80}
            placeholder="e.g. Sales agent"
            aria-describedby="fb-agent-name-help"
            onInput={(e) => setName(e.currentTarget.value)}
            data-testid="agent-name"
          />
        </div>
        <span class="slds-form-element__help slds-text-color_weak" id="fb-agent-name-help">
          Name it after the agent that will use it; its key is shown once.
        </span>
        <div class="fb-actions">
          <button class="slds-button slds-button_brand" type="submit" disabled={busy || name.trim() === ''} data-testid="create-credential">
            Create credential
          </button>
        </div>
      </form>

      {live.length > 0 && (
        <>
          <h4 class="fb-subheading" id="fb-agent-credentials">
            Credentials
          </h4>
          <ul class="fb-list" aria-labelledby="fb-agent-credentials" data-testid="agent-credentials">
            {live.map((c) => (
              <li key={c.id} class="fb-card__header">
                <div class="fb-truncate">
                  <strong>{c.name}</strong>
                  <span class="fb-block fb-mono fb-truncate" title={c.id}>
                    {c.id}
                  </span>
                  <span class="fb-block slds-text-color_weak">
                    {c.lastUsedAt ? (
                      <>
                        last used <Time iso={c.lastUsedAt} />
                      </>
                    ) : (
                      'never used'
                    )}
                  </span>
                </div>
                <button class="slds-button slds-button_text-destructive" type="button" disabled={busy} onClick={() => setRevoking(c)} aria-label={`Revoke ${c.name}`}>
                  Revoke…
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {revoking && (
        <ConfirmDialog
          title={`Revoke ${revoking.name}?`}
          confirm="Revoke"
          destructive
          onCancel={() => setRevoking(null)}
          onConfirm={() => {
            const id = revoking.id;
            setRevoking(null);
            void act({ command: 'revoke', id });
          }}
          testId="confirm-revoke"
        >
          <p>Agents using this credential stop at once: its key and any token issued for it are refused from now on. This cannot be undone; create a new credential to give access again.</p>
        </ConfirmDialog>
      )}

      {data.liveTools.map((conn) => (
        <div key={conn.connectionId} class="fb-field">
          <Toggle
            label={`Live tools for ${new URL(conn.instanceUrl).hostname}`}
            checked={conn.enabled}
            disabled={busy}
            onChange={(enabled) => act({ command: 'live_tools', connectionId: conn.connectionId, enabled })}
            testId="live-tools"
            describedBy={`fb-live-tools-${conn.connectionId}`}
          />
          <p class="slds-text-color_weak" id={`fb-live-tools-${conn.connectionId}`}>
            soqlQuery and getRecordLive read Salesforce now as the integration user: one API call of the org's daily allowance each, paused below the sync's reserve.
          </p>
        </div>
      ))}

      <RecentCalls calls={data.recentCalls} />
    </div>
  );
}
