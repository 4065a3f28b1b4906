/**
 * Which Salesforce addresses the Worker will call. Only Salesforce's own domains are accepted, so a tenant cannot
 * point the Worker (and an admin's session) at an arbitrary host. For local development and tests,
 * `SALESFORCE_DEV_ORIGINS` maps named origins to where they really are, e.g.
 * `https://acme.my.salesforce.com=http://127.0.0.1:4455` (the Salesforce emulator).
 * Callers keep using the real origin as the org's identity; only the network address changes.
 */
import { AppError } from '../errors';

const SALESFORCE_API_HOST = /^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:my\.salesforce\.com|salesforce\.com|force\.com|cloudforce\.com)$/i;

export interface SalesforceOrigin {
  /** The org's real My Domain origin, e.g. https://acme.my.salesforce.com */
  origin: string;
  /** Where requests for it go: the same, unless a development mapping says otherwise. */
  address: string;
}

export function parseDevOrigins(value: string | undefined): Map<string, string> {
  const map = new Map<string, string>();
  for (const entry of (value ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
    const [from, to] = entry.split('=');
    if (!from || !to) throw new AppError('server_misconfigured', 500, `SALESFORCE_DEV_ORIGINS entry "${entry}" must look like https://acme.my.salesforce.com=http://127.0.0.1:4455.`);
    map.set(new URL(from).origin, new URL(to).origin);
  }
  return map;
}

/** Validates an instance URL sent by a client and says where to reach it. */
export function salesforceOrigin(instanceUrl: string, devOrigins: string | undefined): SalesforceOrigin {
  let url: URL;
  try {
    url = new URL(instanceUrl);
  } catch {
    throw new AppError('validation_failed', 400, `instanceUrl "${instanceUrl}" is not a URL. Send the org's My Domain URL, e.g. https://acme.my.salesforce.com.`);
  }
  const origin = url.origin;
  const mapped = parseDevOrigins(devOrigins).get(origin);
  if (mapped) return { origin, address: mapped };
  if (url.protocol !== 'https:' || !SALESFORCE_API_HOST.test(url.hostname)) {
    throw new AppError(
      'salesforce_host_not_allowed',
      400,
      `${origin} is not a Salesforce address. Forcebridge only calls Salesforce domains (such as https://acme.my.salesforce.com); for a local emulator, list it in SALESFORCE_DEV_ORIGINS.`,
    );
  }
  return { origin, address: origin };
}
