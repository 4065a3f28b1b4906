/**
 * The Setup lookalike's routes. Any `/lightning/...` path serves the shell with the admin signed in, the way a
 * browser finds Salesforce after login: the `sid` cookie of the My Domain API host (`<name>.my.salesforce.com`)
 * holds an API session, while the Setup and Lightning hosts (`*.my.salesforce-setup.com`, `*.lightning.force.com`)
 * get their own `sid`, a browser session the API refuses ("This session is not valid for use with the REST API").
 * A Setup/Lightning page reached without a live session first bounces through
 * `https://<name>.my.salesforce.com/secur/frontdoor.jsp?sid=…&retURL=…`, which sets the API host's cookie and comes
 * back — so a browser must resolve all three host families to the emulator. Pages served on the API host itself or on
 * 127.0.0.1 set that host's cookie directly. Cookies: `Domain=<host>; Path=/; Secure` (over HTTPS).
 * https://help.salesforce.com/s/articleView?id=sf.security_frontdoorjsp.htm
 */
import { Hono, type Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Emulator } from '../emulator';
import { baseUrl, type AppEnv } from '../http';
import { shellHtml } from './shell';

const UI_HOST = /^([a-z0-9-]+(?:--[a-z0-9]+\.sandbox)?)\.(?:my\.salesforce-setup\.com|lightning\.force\.com)$/i;
const ORG_HOST = /^([a-z0-9-]+(?:--[a-z0-9]+\.sandbox)?)\.(?:my\.salesforce-setup\.com|lightning\.force\.com|my\.salesforce\.com)$/i;

function sidCookie(c: Context, token: string): string {
  const url = new URL(baseUrl(c));
  const host = url.hostname;
  const domain = /^[\d.]+$/.test(host) || host === 'localhost' ? '' : `; Domain=${host}`;
  const secure = url.protocol === 'https:' ? '; Secure; SameSite=None' : '; SameSite=Lax';
  return `sid=${token}${domain}; Path=/${secure}`;
}

/** The admin's API session (the one handed to tests), renewed if a test expired it. */
function adminApiSession(emulator: Emulator): string {
  const org = emulator.org;
  const session = org.sessions.peek(emulator.adminAccessToken);
  if (!session || session.expired) emulator.adminAccessToken = org.sessions.issue(org.adminUserId, org.clock.now()).token;
  return emulator.adminAccessToken;
}

function live(emulator: Emulator, token: string | undefined): boolean {
  const org = emulator.org;
  return token !== undefined && org.sessions.use(token, org.clock.now()) !== undefined;
}

export function setupPageRoutes(emulator: Emulator): Hono<AppEnv> {
  const routes = new Hono<AppEnv>({ strict: false });

  routes.get('/lightning/*', function lightningPage(c) {
    const org = emulator.org;
    const host = new URL(baseUrl(c)).hostname;
    const uiHost = UI_HOST.exec(host);
    if (uiHost && !live(emulator, getCookie(c, 'sid'))) {
      // Sign in: the browser session for this host now, the API host's cookie through frontdoor.jsp.
      const browserSession = org.sessions.issue(org.adminUserId, org.clock.now(), { apiAllowed: false }).token;
      const frontdoor = new URL(`https://${uiHost[1]}.my.salesforce.com/secur/frontdoor.jsp`);
      frontdoor.searchParams.set('sid', adminApiSession(emulator));
      frontdoor.searchParams.set('retURL', `${baseUrl(c)}${c.req.path}${new URL(c.req.url).search}`);
      c.header('Set-Cookie', sidCookie(c, browserSession));
      return c.redirect(frontdoor.toString(), 302);
    }
    if (!uiHost) c.header('Set-Cookie', sidCookie(c, adminApiSession(emulator)));
    const users = [...(org.table('User')?.indices(false) ?? [])].map((index) => {
      const profile = org.locate(String(org.value('User', index, 'ProfileId')));
      return {
        Name: org.value('User', index, 'Name'),
        Username: org.value('User', index, 'Username'),
        Profile: profile ? org.value('Profile', profile.index, 'Name') : null,
        IsActive: org.value('User', index, 'IsActive'),
      };
    });
    return c.html(shellHtml({ orgName: org.orgName, myDomain: org.myDomain, users, contacts: org.table('Contact')?.countLive() ?? 0 }));
  });

  routes.get('/secur/frontdoor.jsp', function frontdoor(c) {
    const token = c.req.query('sid') ?? '';
    const retUrl = c.req.query('retURL') ?? '/lightning/setup/SetupOneHome/home';
    if (!live(emulator, token)) return c.text('The session is invalid or has expired. Sign in again.', 401);
    c.header('Set-Cookie', sidCookie(c, token));
    return c.redirect(safeReturn(retUrl, emulator.org.myDomain), 302);
  });

  routes.get('/', (c) => c.redirect('/lightning/setup/SetupOneHome/home', 302));
  return routes;
}

/** Only paths, or absolute URLs on this org's own hosts, are followed (as Salesforce limits retURL). */
function safeReturn(retUrl: string, myDomain: string): string {
  if (retUrl.startsWith('/') && !retUrl.startsWith('//')) return retUrl;
  try {
    const url = new URL(retUrl);
    const host = ORG_HOST.exec(url.hostname);
    if (url.protocol === 'https:' && host && host[1]?.toLowerCase() === myDomain) return url.toString();
  } catch {
    // not a URL
  }
  return '/lightning/setup/SetupOneHome/home';
}
