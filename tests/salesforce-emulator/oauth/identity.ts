/**
 * Who a session belongs to: `GET /services/oauth2/userinfo` (OpenID Connect userinfo) and the identity URL
 * `GET /id/{orgId}/{userId}` that token responses name in `id`. Same facts, Salesforce's two shapes.
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_using_userinfo_endpoint.htm
 */
import { formatDateTime } from '../clock';
import type { Org } from '../org/org';
import { isIntegrationUser } from '../org/rules/licenses';

function userFacts(org: Org, userId: string) {
  const user = org.locate(userId);
  const get = (field: string) => (user ? org.value('User', user.index, field) : null);
  return {
    username: String(get('Username') ?? ''),
    email: String(get('Email') ?? ''),
    firstName: (get('FirstName') as string | null) ?? null,
    lastName: String(get('LastName') ?? ''),
    name: String(get('Name') ?? ''),
    active: get('IsActive') === true,
    timezone: String(get('TimeZoneSidKey') ?? 'America/Los_Angeles'),
    locale: String(get('LocaleSidKey') ?? 'en_US'),
    language: String(get('LanguageLocaleKey') ?? 'en_US'),
    modified: user ? user.table.modifiedAt(user.index) : 0,
  };
}

/** Salesforce writes the API version in these as the literal placeholder `{version}`. */
function urls(base: string, org: Org, userId: string) {
  const data = `${base}/services/data/v{version}`;
  return {
    enterprise: `${base}/services/Soap/c/{version}/${org.orgId.slice(0, 15)}`,
    metadata: `${base}/services/Soap/m/{version}/${org.orgId.slice(0, 15)}`,
    partner: `${base}/services/Soap/u/{version}/${org.orgId.slice(0, 15)}`,
    rest: `${data}/`,
    sobjects: `${data}/sobjects/`,
    search: `${data}/search/`,
    query: `${data}/query/`,
    recent: `${data}/recent/`,
    tooling_soap: `${base}/services/Soap/T/{version}/${org.orgId.slice(0, 15)}`,
    tooling_rest: `${data}/tooling/`,
    profile: `${base}/${userId}`,
    feeds: `${data}/chatter/feeds`,
    groups: `${data}/chatter/groups`,
    users: `${data}/chatter/users`,
    feed_items: `${data}/chatter/feed-items`,
    feed_elements: `${data}/chatter/feed-elements`,
    custom_domain: `https://${org.myDomain}.my.salesforce.com`,
  };
}

export function userinfo(org: Org, userId: string, base: string): Record<string, unknown> {
  const u = userFacts(org, userId);
  const links = urls(base, org, userId);
  return {
    sub: `${base}/id/${org.orgId}/${userId}`,
    user_id: userId,
    organization_id: org.orgId,
    preferred_username: u.username,
    nickname: u.username.split('@')[0],
    name: u.name,
    email: u.email,
    email_verified: true,
    given_name: u.firstName,
    family_name: u.lastName,
    zoneinfo: u.timezone,
    photos: { picture: `${base}/img/userprofile/default_profile_200_v2.png`, thumbnail: `${base}/img/userprofile/default_profile_45_v2.png` },
    profile: `${base}/${userId}`,
    picture: `${base}/img/userprofile/default_profile_200_v2.png`,
    address: { country: 'US' },
    is_salesforce_integration_user: isIntegrationUser(org, userId),
    urls: links,
    active: u.active,
    user_type: 'STANDARD',
    language: u.language,
    locale: u.locale,
    utcOffset: -28_800_000,
    updated_at: new Date(u.modified).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    is_app_installed: true,
  };
}

export function identity(org: Org, userId: string, base: string): Record<string, unknown> {
  const u = userFacts(org, userId);
  const links = urls(base, org, userId);
  return {
    id: `${base}/id/${org.orgId}/${userId}`,
    asserted_user: true,
    user_id: userId,
    organization_id: org.orgId,
    username: u.username,
    nick_name: u.username.split('@')[0],
    display_name: u.name,
    email: u.email,
    email_verified: true,
    first_name: u.firstName,
    last_name: u.lastName,
    timezone: u.timezone,
    photos: { picture: `${base}/img/userprofile/default_profile_200_v2.png`, thumbnail: `${base}/img/userprofile/default_profile_45_v2.png` },
    addr_street: null,
    addr_city: null,
    addr_state: null,
    addr_country: 'US',
    addr_zip: null,
    mobile_phone: null,
    mobile_phone_verified: false,
    is_lightning_login_user: false,
    status: { created_date: null, body: null },
    urls: links,
    active: u.active,
    user_type: 'STANDARD',
    language: u.language,
    locale: u.locale,
    utcOffset: -28_800_000,
    last_modified_date: formatDateTime(u.modified),
    is_app_installed: true,
  };
}
