/**
 * OAuth 2.0 JWT bearer flow: the Worker signs an assertion with the client app's private key and Salesforce
 * answers with an access token for the integration user, with no password and no one signed in.
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm
 */
import { OAuth2 } from 'jsforce/core';
import { SignJWT, importPKCS8 } from 'jose';
import { SalesforceError } from './errors';
import type { SalesforceOrigin } from './origins';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface JwtBearerRequest {
  org: SalesforceOrigin;
  /** https://login.salesforce.com, or https://test.salesforce.com for sandboxes */
  audience: string;
  consumerKey: string;
  username: string;
  privateKeyPem: string;
}

export interface IntegrationToken {
  accessToken: string;
  instanceUrl: string;
  userIdUrl: string;
  issuedAt: string;
}

export async function requestIntegrationToken(request: JwtBearerRequest): Promise<IntegrationToken> {
  const assertion = await new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(request.consumerKey)
    .setSubject(request.username)
    .setAudience(request.audience)
    // Salesforce accepts assertions that expire within 3 minutes.
    .setExpirationTime('3m')
    .sign(await importPKCS8(request.privateKeyPem, 'RS256'));

  // The token endpoint on the org's own My Domain: a redirect from login.salesforce.com would drop the body.
  const oauth2 = new OAuth2({ loginUrl: request.org.address });
  try {
    const token = await oauth2.requestToken({ grant_type: JWT_BEARER_GRANT, assertion });
    return { accessToken: token.access_token, instanceUrl: token.instance_url, userIdUrl: token.id, issuedAt: token.issued_at };
  } catch (error) {
    // OAuth errors arrive as { error, error_description }; jsforce puts `error` in the name.
    const code = error instanceof Error && error.name !== 'Error' ? error.name : 'OAUTH_ERROR';
    throw new SalesforceError(code, error instanceof Error ? error.message : String(error), 400, { cause: error });
  }
}
