/**
 * Which hosts are Salesforce, and which pages are Setup.
 *
 * Lightning navigates client-side, so the content script matches whole hosts and decides per URL whether the
 * panel belongs there. Setup lives on `*.my.salesforce-setup.com` since enhanced domains (Winter '24), and on
 * `*.lightning.force.com` / `*.my.salesforce.com` in orgs that have not moved yet.
 */

export const SALESFORCE_PAGE_MATCHES = [
  'https://*.my.salesforce-setup.com/*',
  'https://*.lightning.force.com/*',
  'https://*.my.salesforce.com/*',
] as const;

const SALESFORCE_PAGE_HOST = /^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:my\.salesforce-setup\.com|lightning\.force\.com|my\.salesforce\.com)$/i;

/** True for a Lightning Setup page (`/lightning/setup/…`) on a Salesforce host. */
export function isSetupPage(url: string | URL): boolean {
  const parsed = typeof url === 'string' ? safeUrl(url) : url;
  if (!parsed || parsed.protocol !== 'https:' || !SALESFORCE_PAGE_HOST.test(parsed.hostname)) return false;
  return parsed.pathname === '/lightning/setup' || parsed.pathname.startsWith('/lightning/setup/');
}

/**
 * The org's My Domain name as it appears in every one of its hosts:
 * `acme.my.salesforce-setup.com`, `acme.lightning.force.com` and `acme.my.salesforce.com` are all `acme`.
 * Sandboxes keep their `--sandbox` suffix (`acme--uat.sandbox.my.salesforce-setup.com` → `acme--uat.sandbox`).
 */
export function myDomainName(url: string | URL): string | undefined {
  const parsed = typeof url === 'string' ? safeUrl(url) : url;
  if (!parsed || !SALESFORCE_PAGE_HOST.test(parsed.hostname)) return undefined;
  return parsed.hostname.replace(/\.(?:my\.salesforce-setup\.com|lightning\.force\.com|my\.salesforce\.com)$/i, '').toLowerCase();
}

function safeUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
