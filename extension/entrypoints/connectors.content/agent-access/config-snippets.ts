/**
 * Ready-to-paste configuration for the agent's side: an MCP client's JSON (the `mcpServers` shape most clients read,
 * with the key as a Bearer header), the fields of Agentforce's MCP server registration, and the fields any other OAuth
 * client-credentials client (Copilot Studio, …) asks for. The key appears only right after the credential is created.
 */
import type { AgentAccess } from '../../../../shared/agent-api';

export const KEY_PLACEHOLDER = '<agent key, shown once when created>';

export function mcpClientConfig(access: Pick<AgentAccess, 'mcpUrl'>, key = KEY_PLACEHOLDER): string {
  return JSON.stringify({ mcpServers: { forcebridge: { type: 'http', url: access.mcpUrl, headers: { Authorization: `Bearer ${key}` } } } }, null, 2);
}

/** One field of a registration form: its label as the form shows it, and the value to enter. */
export interface RegistrationField {
  field: string;
  value: string;
}

/**
 * Setup → Agentforce Registry → New, as "Register a Third-Party MCP Server in Agentforce Registry" lists it: a server
 * name, description and URL; the authentication method (no authentication or OAuth 2.0 client credential); then for
 * OAuth 2.0 the Identity Provider URL, Scope (optional, comma-separated), Client ID and Client Secret.
 * https://help.salesforce.com/s/articleView?id=ai.agent_mcp_connect_register.htm&language=en_US&type=5
 * The registration creates a named credential with an external credential behind it; for the client-credentials flow
 * the identity provider's URL is the token endpoint it posts the client id and secret to (Named Credentials'
 * `tokenUrl`, "required for all OAuth 2.0 authentication flows"; client authentication Basic by default, which
 * /oauth/token accepts, as it does the secret in the body):
 * https://developer.salesforce.com/docs/atlas.en-us.chatterapi.meta/chatterapi/connect_responses_external_auth_identity_provider.htm
 */
export function agentforceRegistration(access: Pick<AgentAccess, 'mcpUrl' | 'tokenUrl'>, credential: { id: string; key?: string }): RegistrationField[] {
  return [
    { field: 'Server name', value: 'Forcebridge' },
    { field: 'Description', value: 'Read-only Salesforce contacts and accounts copied by Forcebridge' },
    { field: 'URL', value: access.mcpUrl },
    { field: 'Authentication method', value: 'OAuth 2.0' },
    { field: 'Identity Provider URL', value: access.tokenUrl },
    { field: 'Scope', value: 'mcp' },
    { field: 'Client ID', value: credential.id },
    { field: 'Client Secret', value: credential.key ?? KEY_PLACEHOLDER },
  ];
}

/** The same credential for any other OAuth 2.0 client-credentials client, in the protocol's own words. */
export function oauthRegistration(access: Pick<AgentAccess, 'mcpUrl' | 'tokenUrl'>, credential: { id: string; key?: string }): RegistrationField[] {
  return [
    { field: 'MCP server URL', value: access.mcpUrl },
    { field: 'Token URL', value: access.tokenUrl },
    { field: 'Client ID', value: credential.id },
    { field: 'Client secret', value: credential.key ?? KEY_PLACEHOLDER },
    { field: 'Scope', value: 'mcp' },
  ];
}

/**
 * The tools to allowlist on the registration's Tools tab; each becomes an agent action in the asset library.
 * https://help.salesforce.com/s/articleView?id=ai.agent_mcp_registration_manage_allowlist.htm&language=en_US&type=5
 */
export const READ_TOOLS = ['listTables', 'describeTable', 'search', 'getRecord', 'queryRecords', 'syncStatus'] as const;
export const LIVE_TOOLS = ['soqlQuery', 'getRecordLive'] as const;
