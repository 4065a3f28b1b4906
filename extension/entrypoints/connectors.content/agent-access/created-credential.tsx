/**
 * What the admin sees once, right after creating an agent credential: the key (never shown again), the MCP client
 * configuration with the key in it, Agentforce's registration fields, and those any OAuth client-credentials client
 * asks for.
 */
import type { Ref } from 'preact';
import type { AgentAccess, CreatedAgentCredential } from '../../../../shared/agent-api';
import { Alert } from '../../../components/alert';
import { CopyButton } from '../../../components/copy-button';
import { LIVE_TOOLS, READ_TOOLS, type RegistrationField, agentforceRegistration, mcpClientConfig, oauthRegistration } from './config-snippets';

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
      <h4 class="fb-subheading" id="fb-agentforce-fields">
        Agentforce: Setup → Agentforce Registry → New
      </h4>
      <RegistrationFields fields={agentforceRegistration(access, credential)} labelledBy="fb-agentforce-fields" testId="agentforce-fields" />
      <p class="slds-text-color_weak" data-testid="agentforce-tools">
        The Identity Provider URL is Forcebridge's token endpoint: Agentforce sends it the Client ID and Secret for a token. Then, on the server's Tools
        tab, allowlist {READ_TOOLS.join(', ')}
        {access.liveTools.some((c) => c.enabled) ? ` (and ${LIVE_TOOLS.join(', ')}, which spend API calls)` : ''}; each becomes an agent action to add to your
        agent.
      </p>
      <h4 class="fb-subheading" id="fb-oauth-fields">
        Other OAuth 2.0 client-credentials clients (Copilot Studio, …)
      </h4>
      <RegistrationFields fields={oauthRegistration(access, credential)} labelledBy="fb-oauth-fields" testId="oauth-fields" />
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

function RegistrationFields({ fields, labelledBy, testId }: { fields: RegistrationField[]; labelledBy: string; testId: string }) {
  return (
    <dl class="fb-facts" aria-labelledby={labelledBy} data-testid={testId}>
      {fields.map(({ field, value }) => [
        <dt key={`${field}-t`}>{field}</dt>,
        <dd key={field} class="fb-copyable">
          <span class="fb-mono fb-truncate" title={value}>
            {value}
          </span>
          <CopyButton value={value} what={field.toLowerCase()} />
        </dd>,
      ])}
    </dl>
  );
}
