/**
 * What the admin sees once, right after creating an agent credential: the key (never shown again), the MCP client
 * configuration with the key in it, and the fields an OAuth client-credentials registration asks for.
 */
import type { Ref } from 'preact';
import type { AgentAccess, CreatedAgentCredential } from '../../../../shared/agent-api';
import { Alert } from '../../../components/alert';
import { CopyButton } from '../../../components/copy-button';
import { mcpClientConfig, oauthRegistration } from './config-snippets';

/** `focusRef` lets the section move focus here (the group) when it appears. */
export function CreatedCredential({ access, credential, onDone, focusRef }: { access: AgentAccess; credential: CreatedAgentCredential; onDone: () => void; focusRef: Ref<HTMLDivElement> }) {
  return (
    <div ref={focusRef} tabIndex={-1} role="group" aria-label={`Credential ${credential.name} created`} data-testid="created-credential">
      <Alert tone="success" message={`Credential ${credential.name} created: copy the key now, it is not shown again.`} />
      <dl class="fb-facts">
        <dt>Agent key</dt>
        <dd class="fb-copyable">
          <span class="fb-mono" data-testid="created-key">
            {credential.key}
          </span>
          <CopyButton value={credential.key} what="agent key" />
        </dd>
      </dl>
      <div class="fb-copyable">
        <h4 class="fb-subheading">MCP client configuration</h4>
        <CopyButton value={mcpClientConfig(access, credential.key)} what="MCP client configuration" />
      </div>
      {/* Focusable so a keyboard can scroll the snippet sideways in a narrow panel. */}
      <pre class="fb-mono fb-history" tabIndex={0} role="region" aria-label="MCP client configuration" data-testid="mcp-config">
        {mcpClientConfig(access, credential.key)}
      </pre>
      <h4 class="fb-subheading">OAuth client credentials (Agentforce, Copilot Studio)</h4>
      <dl class="fb-facts" data-testid="oauth-fields">
        {oauthRegistration(access, credential).map(([field, value]) => [
          <dt key={`${field}-t`}>{field}</dt>,
          <dd key={field} class="fb-copyable">
            <span class="fb-mono fb-truncate" title={value}>
              {value}
            </span>
            <CopyButton value={value} what={field.toLowerCase()} />
          </dd>,
        ])}
      </dl>
      <div class="fb-actions">
        <button
          class="slds-button slds-button_neutral"
          type="button"
          onClick={onDone}
          data-testid="created-done"
        >
          Done
        </button>
      </div>
    </div>
  );
}
