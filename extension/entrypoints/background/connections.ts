/**
 * Background handlers for the server-to-server connection: listing, and acting with the admin's authority.
 * The org is always the one of the Setup page that sent the request (the sender's URL), never one named in the
 * payload, so a page of one org cannot act on another.
 */
import { type Browser, browser } from 'wxt/browser';
import { z } from 'zod';
import { type Connection, ConnectionSchema } from '../../../shared/api';
import type { BackgroundApi } from '../../utils/messages';
import { settingsItem } from '../../utils/settings';
import { callWorker, unwrap } from '../../utils/worker-client';
import { apiOriginOf, browserSession, forgetSignIn, rememberedSignIn, signInWithSalesforce } from './salesforce-session';

const senderPage = (sender: Browser.runtime.MessageSender) => sender.url ?? sender.tab?.url;
/** A content script on a web page, as opposed to one of our own pages (which may also be open in a tab). */
export const fromContentScript = (sender: Browser.runtime.MessageSender) =>
  sender.tab !== undefined && !(senderPage(sender) ?? '').startsWith(browser.runtime.getURL('/'));

export async function listConnections(_: undefined, sender: Browser.runtime.MessageSender): Promise<Connection[]> {
  const query = fromContentScript(sender) ? `?instanceUrl=${encodeURIComponent(apiOriginOf(senderPage(sender)))}` : '';
  return unwrap(await callWorker(await settingsItem.getValue(), `/api/connections${query}`, z.array(ConnectionSchema)));
}

const ROUTES: Record<BackgroundApi['connectionAction']['payload']['action'], (id: string | undefined) => string> = {
  turn_on: () => '/api/connections',
  advance: (id) => `/api/connections/${id}/advance`,
  turn_off: (id) => `/api/connections/${id}/turn-off`,
  reconnect: (id) => `/api/connections/${id}/reconnect`,
  update_permissions: (id) => `/api/connections/${id}/update-permissions`,
};

export async function connectionAction(payload: BackgroundApi['connectionAction']['payload'], sender: Browser.runtime.MessageSender): Promise<Connection> {
  if (!fromContentScript(sender)) throw new Error('connection actions come from the Connectors panel on a Setup page');
  const instanceUrl = apiOriginOf(senderPage(sender));
  const session = payload.signIn ? await signInWithSalesforce(instanceUrl) : (rememberedSignIn(instanceUrl) ?? (await browserSession(instanceUrl)));
  const connection = unwrap(
    await callWorker(await settingsItem.getValue(), ROUTES[payload.action](payload.connectionId), ConnectionSchema, {
      method: 'POST',
      body: JSON.stringify({ session }),
    }),
  );
  if (connection.done) forgetSignIn(instanceUrl);
  return connection;
}

export async function verifyConnection({ connectionId }: { connectionId: string }): Promise<Connection> {
  return unwrap(await callWorker(await settingsItem.getValue(), `/api/connections/${connectionId}/verify`, ConnectionSchema, { method: 'POST' }));
}
