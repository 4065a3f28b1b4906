/**
 * Everything that reads Salesforce in the background does it as the integration user, through the JWT bearer flow
 * with the connection's sealed private key. The access token is cached sealed in D1; jsforce asks for a new one
 * when Salesforce answers INVALID_SESSION_ID.
 */
import { type ConnectionRow, updateConnection } from '../db/connections';
import { open, seal } from '../secrets';
import { type Connection, integrationConnection } from './api';
import { requestIntegrationToken } from './jwt-bearer';
import { salesforceOrigin } from './origins';


/** What the connection's sealed private key is bound to (secrets.ts): it opens for this connection only. */
export const sealedKeyLabel = (connectionId: string) => `connection:${connectionId}:private_key`;

const tokenLabel = (connectionId: string) => `connection:${connectionId}:access_token`;

/** A new access token for the integration user, stored sealed for the next caller. */
/** `signal` bounds the token request; `now` is the caller's clock (the sync's invocation time). */
export interface TokenRequestOptions {
  signal?: AbortSignal;
  now?: Date;
}

export async function freshIntegrationToken(env: Env, connection: ConnectionRow, options: TokenRequestOptions = {}): Promise<string> {
  if (!connection.consumer_key || !connection.private_key_sealed) {
    throw new Error(`connection ${connection.id} has no client app yet`);
  }
  const token = await requestIntegrationToken({
    org: salesforceOrigin(connection.instance_url, env.SALESFORCE_DEV_ORIGINS),
    audience: connection.login_audience,
    consumerKey: connection.consumer_key,
    username: connection.integration_username,
    privateKeyPem: await open(env.ENCRYPTION_KEY, connection.private_key_sealed, sealedKeyLabel(connection.id)),
    signal: options.signal,
    now: options.now,
  });
  const sealed = await seal(env.ENCRYPTION_KEY, token.accessToken, tokenLabel(connection.id));
  await updateConnection(env.DB, connection.id, { access_token_sealed: sealed });
  connection.access_token_sealed = sealed;
  return token.accessToken;
}

/** jsforce as the integration user: the cached token if there is one, a JWT exchange when it expires. */
export async function integrationSession(env: Env, connection: ConnectionRow, options: TokenRequestOptions = {}): Promise<Connection> {
  const cached = connection.access_token_sealed ? await open(env.ENCRYPTION_KEY, connection.access_token_sealed, tokenLabel(connection.id)).catch(() => undefined) : undefined;
  return integrationConnection(salesforceOrigin(connection.instance_url, env.SALESFORCE_DEV_ORIGINS), cached ?? (await freshIntegrationToken(env, connection, options)), () =>
    freshIntegrationToken(env, connection, options),
  );
}
