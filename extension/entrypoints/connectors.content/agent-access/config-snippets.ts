/**
 * Ready-to-paste configuration for the agent's side: an MCP client's JSON (the `mcpServers` shape most clients read,
 * with the key as a Bearer header) and the fields an OAuth client-credentials registration asks for (Agentforce,
 * Copilot Studio). The key appears only in the snippet shown right after the credential is created.
 */
import type { AgentAccess } from '../../../../shared/agent-api';

export const KEY_PLACEHOLDER = '<agent key, shown once when created>';

export function mcpClientConfig(access: Pick<AgentAccess, 'mcpUrl'>, key = KEY_PLACEHOLDER): string {
  return JSON.stringify({ mcpServers: { forcebridge: { type: 'http', url: access.mcpUrl, headers: { Authorization: `Bearer ${key}` } } } }, null, 2);
}

export function oauthRegistration(access: Pick<AgentAccess, 'mcpUrl' | 'tokenUrl'>, credential: { id: string; key?: string }): [string, string][] {
  return [
    ['Server URL', access.mcpUrl],
    ['Authentication', 'OAuth 2.0 client credentials'],
    ['Token URL', access.tokenUrl],
    ['Client ID', credential.id],
    ['Client secret', credential.key ?? KEY_PLACEHOLDER],
    ['Scope', 'mcp'],
  ];
}
