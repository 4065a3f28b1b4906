/**
 * The Setup lookalike over HTTPS on Salesforce's host names: signing in bounces through the My Domain host's
 * frontdoor.jsp, leaving an API session in `sid` there and a browser-only session on the Setup host; the Lightning
 * shell with client-side navigation; the API reachable on the same listener.
 */
import { request } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../index';

let emulator: RunningEmulator;

type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: string; certificateNames: string };

function httpsGet(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  const { hostname, pathname, search } = new URL(url);
  return new Promise((resolve, reject) => {
    const options = { host: '127.0.0.1', port: emulator.httpsPort, path: pathname + search, servername: hostname, headers: { host: hostname, ...headers }, rejectUnauthorized: false };
    const req = request(options, (res) => {
      const chunks: Buffer[] = [];
      const certificateNames = (res.socket as TLSSocket).getPeerCertificate().subjectaltname ?? '';
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), certificateNames }));
    });
    req.on('error', reject);
    req.end();
  });
}

const sidOf = (answer: Answer) => /sid=([^;]+)/.exec(String(answer.headers['set-cookie']))?.[1] ?? '';
const api = (host: string, sid: string) => httpsGet(`https://${host}/services/data/v62.0/query?q=SELECT+COUNT()+FROM+Contact`, { authorization: `Bearer ${sid}` });

beforeAll(async () => {
  emulator = await startEmulator({ https: true, seed: { accounts: 2, contacts: 7 } });
});
afterAll(() => emulator.close());

describe('Setup page lookalike', () => {
  it('signs the admin in through the My Domain host and serves the Lightning shell', async () => {
    const setupUrl = 'https://acme.my.salesforce-setup.com/lightning/setup/SetupOneHome/home';
    const first = await httpsGet(setupUrl);
    expect(first.status).toBe(302);
    expect(first.certificateNames).toContain('DNS:*.my.salesforce-setup.com');
    expect(first.certificateNames).toContain('DNS:*.lightning.force.com');
    expect(String(first.headers['set-cookie'])).toMatch(/^sid=00D[0-9A-Za-z]{12}![^;]+; Domain=acme\.my\.salesforce-setup\.com; Path=\/; Secure/);
    const frontdoor = new URL(String(first.headers.location));
    expect(frontdoor.origin + frontdoor.pathname).toBe('https://acme.my.salesforce.com/secur/frontdoor.jsp');
    expect(frontdoor.searchParams.get('retURL')).toBe(setupUrl);

    const back = await httpsGet(frontdoor.toString());
    expect(back.status).toBe(302);
    expect(back.headers.location).toBe(setupUrl);
    expect(String(back.headers['set-cookie'])).toMatch(/^sid=[^;]+; Domain=acme\.my\.salesforce\.com; Path=\/; Secure/);

    const page = await httpsGet(setupUrl, { cookie: `sid=${sidOf(first)}` });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<h1>Setup</h1>');
    expect(page.body).toContain('href="/lightning/setup/ManageUsers/home"');
    expect(page.body).toContain('href="/lightning/o/Contact/list"');
    expect(page.body).toContain('history.pushState');

    // The My Domain host's cookie is an API session; the Setup host's is not.
    expect(JSON.parse((await api('acme.my.salesforce.com', sidOf(back))).body)).toEqual({ totalSize: 7, done: true, records: [] });
    const refused = await api('acme.my.salesforce.com', sidOf(first));
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body)).toEqual([{ message: 'This session is not valid for use with the REST API', errorCode: 'INVALID_SESSION_ID' }]);
  });

  it('serves pages on the API host and on 127.0.0.1 directly, with an API session', async () => {
    const page = await httpsGet('https://acme.my.salesforce.com/lightning/o/Contact/list');
    expect(page.status).toBe(200);
    expect(sidOf(page)).toBe(emulator.adminAccessToken);
    const local = await fetch(`${emulator.url}/lightning/setup/ManageUsers/home`);
    expect(local.status).toBe(200);
    expect(local.headers.get('set-cookie')).toMatch(/^sid=[^;]+; Path=\/; SameSite=Lax$/);
  });

  it('signs in again with a fresh session when a test expired the old one', async () => {
    const before = emulator.adminAccessToken;
    emulator.org.expireSessions();
    const first = await httpsGet('https://acme.lightning.force.com/lightning/o/Contact/list');
    expect(first.status).toBe(302);
    const sid = new URL(String(first.headers.location)).searchParams.get('sid');
    expect(sid).toBe(emulator.adminAccessToken);
    expect(sid).not.toBe(before);
    expect((await api('acme.my.salesforce.com', sid ?? '')).status).toBe(200);
  });
});
