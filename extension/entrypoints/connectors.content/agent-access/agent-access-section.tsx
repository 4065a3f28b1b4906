/**
 * "Agent access": lets AI agents read the synced data through the Worker's MCP endpoint. Create a credential (its key
 * shown this once, with ready configuration), revoke one, switch live tools on per connection (they spend the org's
 * API calls), and see the recent tool calls. Everything goes through the background, like the rest of the panel.
 */
import { useState } from 'preact/hooks';
import type { AgentAccess, CreatedAgentCredential } from '../../../../shared/agent-api';
import { Toggle } from '../../../components/toggle';
import { type Problem, askBackground } from '../../../utils/messages';
import { useBackground } from '../../../utils/use-background';
import { mcpClientConfig, oauthRegistration } from './config-snippets';
import { CopyButton } from './copy-button';

export function AgentAccessSection() {
  const [access, reload] = useBackground('getAgentAccess');
  const [created, setCreated] = useState<CreatedAgentCredential | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);

  const act = async (payload: Parameters<typeof askBackground<'agentAccessCommand'>>[1]) => {
    setBusy(true);
    setProblem(null);
    const result = await askBackground('agentAccessCommand', payload);
    setBusy(false);
    if (!result.ok) return void setProblem(result.error);
    if (payload.command === 'create') {
      setCreated(result.data as CreatedAgentCredential);
      setName('');
    }
    await reload();
  };

  if (access.state === 'loading') return <p class="fb-spinner" role="status">Loading agent access…</p>;
  if (!access.result.ok) return <p class="fb-alert fb-alert--error" role="alert">{access.result.error.message}</p>;
  const data: AgentAccess = access.result.data;
  const live = data.credentials.filter((c) => !c.revokedAt);

  return (
    <div data-testid="agent-access">
      <p class="fb-muted">
        AI agents (Agentforce, Copilot Studio, any MCP client) read the copied contacts and accounts here, read-only. They see what the integration user can
        see, not each person's Salesforce sharing.
      </p>
      <dl class="fb-facts">
        <dt>Status</dt>
        <dd data-testid="agent-access-state">{data.enabled ? `On · ${data.lastUsedAt ? `last used ${new Date(data.lastUsedAt).toLocaleString()}` : 'not used yet'}` : 'Off (no credential)'}</dd>
        <dt>MCP endpoint</dt>
        <dd>
          <span class="fb-mono" data-testid="mcp-url">{data.mcpUrl}</span> <CopyButton text={data.mcpUrl} label="Copy the MCP endpoint" />
        </dd>
        <dt>Token URL</dt>
        <dd>
          <span class="fb-mono">{data.tokenUrl}</span> <CopyButton text={data.tokenUrl} label="Copy the token URL" />
        </dd>
      </dl>

      {problem && <p class="fb-alert fb-alert--error" role="alert">{problem.message}</p>}

      {created && (
        <div class="fb-alert fb-alert--success" role="status" data-testid="created-credential">
          <p>
            Credential <strong>{created.name}</strong> created. Copy the key now: it is not shown again.
          </p>
          <p>
            <span class="fb-mono" data-testid="created-key">{created.key}</span> <CopyButton text={created.key} label="Copy the agent key" testId="copy-key" />
          </p>
          <p>MCP client configuration:</p>
          <pre class="fb-mono" data-testid="mcp-config">{mcpClientConfig(data, created.key)}</pre>
          <CopyButton text={mcpClientConfig(data, created.key)} label="Copy the MCP client configuration" />
          <p>OAuth client credentials (Agentforce, Copilot Studio):</p>
          <dl class="fb-facts" data-testid="oauth-fields">
            {oauthRegistration(data, created).map(([field, value]) => [<dt key={`${field}-t`}>{field}</dt>, <dd key={field} class="fb-mono">{value}</dd>])}
          </dl>
          <button class="fb-link" type="button" onClick={() => setCreated(null)}>
            Done
          </button>
        </div>
      )}

      <form
        class="fb-field"
        onSubmit={(event) => {
          event.preventDefault();
          void act({ command: 'create', name });
        }}
      >
        <label for="fb-agent-name">New credential for</label>
        <input id="fb-agent-name" class="fb-input" value={name} maxLength={80} placeholder="e.g. Sales agent" onInput={(e) => setName(e.currentTarget.value)} data-testid="agent-name" />
        <button class="fb-button fb-button--brand" type="submit" disabled={busy || name.trim() === ''} data-testid="create-credential">
          Create credential
        </button>
      </form>

      {live.length > 0 && (
        <ul class="fb-list" aria-label="Agent credentials" data-testid="agent-credentials">
          {live.map((c) => (
            <li key={c.id}>
              <strong>{c.name}</strong>
              <span class="fb-muted">
                {c.id} · {c.lastUsedAt ? `last used ${new Date(c.lastUsedAt).toLocaleString()}` : 'never used'}
              </span>
              <button class="fb-link" type="button" disabled={busy} onClick={() => act({ command: 'revoke', id: c.id })} aria-label={`Revoke ${c.name}`}>
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}

      {data.liveTools.map((conn) => (
        <div key={conn.connectionId} class="fb-field">
          <Toggle
            label={`Live tools for ${new URL(conn.instanceUrl).hostname}`}
            checked={conn.enabled}
            disabled={busy}
            onChange={(enabled) => act({ command: 'live_tools', connectionId: conn.connectionId, enabled })}
            testId="live-tools"
          />
          <p class="fb-muted">soqlQuery and getRecordLive read Salesforce now as the integration user: one API call of the org's daily allowance each, paused below the sync's reserve.</p>
        </div>
      ))}

      <h4>Recent calls</h4>
      {data.recentCalls.length === 0 ? (
        <p class="fb-muted">No agent has called yet.</p>
      ) : (
        <table class="fb-table" data-testid="agent-calls">
          <thead>
            <tr>
              <th>When</th>
              <th>Agent</th>
              <th>Tool</th>
              <th>Rows</th>
              <th>API calls</th>
            </tr>
          </thead>
          <tbody>
            {data.recentCalls.slice(0, 15).map((call) => (
              <tr key={`${call.calledAt}-${call.tool}`} title={call.errorMessage ?? call.arguments}>
                <td>{new Date(call.calledAt).toLocaleTimeString()}</td>
                <td>{call.credentialName ?? call.credentialId}</td>
                <td>
                  {call.tool}
                  {call.outcome !== 'ok' && <span class="fb-badge fb-badge--error">{call.outcome === 'rate_limited' ? 'rate limited' : 'error'}</span>}
                </td>
                <td>{call.rowsReturned}</td>
                <td>{call.salesforceApiCalls}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
