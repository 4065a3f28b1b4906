/**
 * Which Dataverse environments (and which Entra ID sign-in host) the Worker will call. Only the hosts Dataverse
 * environments live on are accepted, so a tenant cannot point the Worker at an arbitrary address:
 *  - commercial regions: `<org>.crm.dynamics.com` and `<org>.crm2…crm21.dynamics.com` (GCC is `crm9`)
 *    https://learn.microsoft.com/power-platform/admin/new-datacenter-regions
 *  - US Government GCC High `<org>.crm.microsoftdynamics.us` and DoD `<org>.crm.appsplatform.us`, which sign in at
 *    login.microsoftonline.us https://learn.microsoft.com/power-platform/admin/powerapps-us-government
 *  - China (21Vianet) `<org>.crm.dynamics.cn`, which signs in at login.chinacloudapi.cn
 *    https://learn.microsoft.com/power-platform/admin/about-microsoft-cloud-china
 * The sign-in hosts per cloud: https://learn.microsoft.com/entra/identity-platform/authentication-national-cloud
 *
 * For local development and tests, `DATAVERSE_DEV_ORIGINS` maps named environment origins to where they really are
 * (`https://acme.crm.dynamics.com=http://127.0.0.1:4457`) and `ENTRA_DEV_ORIGIN` says where token requests go.
 * The real origin stays the environment's identity (the token scope, the stored URL); only the address changes.
 */
import { AppError } from '../errors';

const CLOUDS = [
  { host: /^[a-z0-9-]+\.crm(?:[2-9]|1\d|2[01])?\.dynamics\.com$/i, login: 'https://login.microsoftonline.com' },
  { host: /^[a-z0-9-]+\.crm\.microsoftdynamics\.us$/i, login: 'https://login.microsoftonline.us' },
  { host: /^[a-z0-9-]+\.crm\.appsplatform\.us$/i, login: 'https://login.microsoftonline.us' },
  { host: /^[a-z0-9-]+\.crm\.dynamics\.cn$/i, login: 'https://login.chinacloudapi.cn' },
] as const;

export interface DataverseEndpoints {
  /** The environment's real origin, e.g. https://acme.crm.dynamics.com (the token's resource). */
  environmentUrl: string;
  /** Where Web API requests for it go: the same, unless a development mapping says otherwise. */
  address: string;
  /** The Entra ID sign-in origin of the environment's cloud (the assertion's audience names it). */
  loginOrigin: string;
  /** Where token requests go: the same, unless ENTRA_DEV_ORIGIN says otherwise. */
  loginAddress: string;
}

export interface DataverseDevSettings {
  DATAVERSE_DEV_ORIGINS?: string;
  ENTRA_DEV_ORIGIN?: string;
}

function parseDevOrigins(value: string | undefined): Map<string, string> {
  const map = new Map<string, string>();
  for (const entry of (value ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
    const [from, to] = entry.split('=');
    if (!from || !to) throw new AppError('server_misconfigured', 500, `DATAVERSE_DEV_ORIGINS entry "${entry}" must look like https://acme.crm.dynamics.com=http://127.0.0.1:4457.`);
    map.set(new URL(from).origin, new URL(to).origin);
  }
  return map;
}

/** Validates an environment URL sent by a client and says where to reach it and where to sign in. */
export function dataverseEndpoints(environmentUrl: string, settings: DataverseDevSettings): DataverseEndpoints {
  let url: URL;
  try {
    url = new URL(environmentUrl);
  } catch {
    throw new AppError('validation_failed', 400, `environmentUrl "${environmentUrl}" is not a URL. Send the environment URL shown in the Power Platform admin center, e.g. https://contoso.crm.dynamics.com.`);
  }
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    throw new AppError('validation_failed', 400, `environmentUrl must be the environment's origin only (e.g. https://contoso.crm.dynamics.com), without a path such as /api/data/v9.2.`);
  }
  const origin = url.origin;
  const mapped = parseDevOrigins(settings.DATAVERSE_DEV_ORIGINS).get(origin);
  const cloud = CLOUDS.find((c) => c.host.test(url.hostname));
  if (mapped) {
    const loginOrigin = cloud?.login ?? 'https://login.microsoftonline.com';
    return { environmentUrl: origin, address: mapped, loginOrigin, loginAddress: settings.ENTRA_DEV_ORIGIN ? new URL(settings.ENTRA_DEV_ORIGIN).origin : loginOrigin };
  }
  if (url.protocol !== 'https:' || !cloud) {
    throw new AppError(
      'dataverse_host_not_allowed',
      400,
      `${origin} is not a Dataverse environment address. Enter the environment URL from the Power Platform admin center (Environments → your environment → Environment URL), such as https://contoso.crm.dynamics.com, https://contoso.crm4.dynamics.com, https://contoso.crm.microsoftdynamics.us or https://contoso.crm.dynamics.cn.`,
    );
  }
  return { environmentUrl: origin, address: origin, loginOrigin: cloud.login, loginAddress: cloud.login };
}
