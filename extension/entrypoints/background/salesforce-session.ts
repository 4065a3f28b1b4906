/**
 * The admin's Salesforce authority, read only when the admin acts and only for the org they are looking at: the
 * `sid` session cookie of the org's My Domain API host (Lightning's own hosts carry sessions the API refuses), or,
 * where the org refuses API use of that session, an access token from an OAuth web-server + PKCE sign-in.
 * Neither is kept beyond the operation it serves.
 */
import { browser } from 'wxt/browser';
import { toBase64Url } from '../../../shared/base64';
import { myDomainName } from '../../../shared/salesforce-hosts';
import { ProblemError } from '../../utils/messages';
import { settingsItem } from '../../utils/settings';

export interface SalesforceSession {
  instanceUrl: string;
  accessToken: string;
  source: 'browser_session' | 'oauth';
}

/** The org's API origin for a page of it: every Salesforce host of an org shares its My Domain name. */
export function apiOriginOf(pageUrl: string | undefined): string {
  const name = pageUrl ? myDomainName(pageUrl) : undefined;
  if (!name) throw new ProblemError('not_salesforce', 'Open Salesforce Setup of the org you want to connect, then try again from its Connectors panel.');
  return `https://${name}.my.salesforce.com`;
}

export async function browserSession(instanceUrl: string): Promise<SalesforceSession> {
  const cookie = await browser.cookies.get({ url: `${instanceUrl}/`, name: 'sid' });
  if (!cookie?.value) {
    throw new ProblemError(
      'salesforce_session_missing',
      `Forcebridge found no Salesforce session for ${instanceUrl}. Sign in to Salesforce in this browser (or use "Sign in with Salesforce"), then try again.`,
    );
  }
  return { instanceUrl, accessToken: cookie.value, source: 'browser_session' };
}

/** Tokens from an OAuth sign-in, held in memory for the operation they were obtained for (ten minutes at most). */
const signedIn = new Map<string, { session: SalesforceSession; until: number }>();

export function rememberedSignIn(instanceUrl: string): SalesforceSession | undefined {
  const entry = signedIn.get(instanceUrl);
  if (entry && entry.until > Date.now()) return entry.session;
  signedIn.delete(instanceUrl);
  return undefined;
}

export function forgetSignIn(instanceUrl: string): void {
  signedIn.delete(instanceUrl);
}

/** OAuth 2.0 web-server flow with PKCE through the browser's own auth window; needs a client id in the options. */
export async function signInWithSalesforce(instanceUrl: string): Promise<SalesforceSession> {
  const { oauthClientId } = await settingsItem.getValue();
  if (!oauthClientId) {
    throw new ProblemError(
      'sign_in_not_configured',
      'Sign in with Salesforce needs the consumer key of a client app for admin sign-in. Set it in the Forcebridge options (see README → Admin sign-in), then try again.',
    );
  }
  const verifier = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = toBase64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const redirectUri = browser.identity.getRedirectURL('salesforce');
  const authorize = new URL(`${instanceUrl}/services/oauth2/authorize`);
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: oauthClientId,
    redirect_uri: redirectUri,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    scope: 'api',
  }).toString();

  const returned = await browser.identity.launchWebAuthFlow({ url: authorize.toString(), interactive: true }).catch((error: unknown) => {
    throw new ProblemError('sign_in_cancelled', `Salesforce sign-in did not finish (${String(error)}). Try again.`);
  });
  const code = returned ? new URL(returned).searchParams.get('code') : null;
  if (!code) throw new ProblemError('sign_in_failed', `Salesforce sign-in returned no authorization code (${returned ?? 'no answer'}). Try again.`);

  const response = await fetch(`${instanceUrl}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: oauthClientId, redirect_uri: redirectUri, code_verifier: verifier }),
  });
  const token = (await response.json().catch(() => ({}))) as { access_token?: string; error?: string; error_description?: string };
  if (!response.ok || !token.access_token) {
    throw new ProblemError('sign_in_failed', `Salesforce refused the sign-in: ${token.error ?? response.status} ${token.error_description ?? ''}`.trim());
  }
  const session: SalesforceSession = { instanceUrl, accessToken: token.access_token, source: 'oauth' };
  signedIn.set(instanceUrl, { session, until: Date.now() + 10 * 60 * 1000 });
  return session;
}
