/**
 * Opens the admin's authority for one operation: a jsforce connection with the session the extension handed over
 * (or the OAuth sign-in's token), and who it belongs to. Nothing here is stored.
 */
import type { AdminSession } from '../../../../shared/api';
import { type Connection, adminConnection } from '../api';
import { asSalesforceError } from '../errors';
import { type SalesforceOrigin, salesforceOrigin } from '../origins';
import type { AdminIdentity } from './context';
import { explain, sessionRefused } from './explain';

export interface OpenAdminSession {
  org: SalesforceOrigin;
  admin: Connection;
  identity: AdminIdentity;
  orgId: string;
  isSandbox: boolean;
}

interface UserInfo {
  user_id: string;
  organization_id: string;
  email: string;
}

export async function openAdminSession(session: AdminSession, devOrigins: string | undefined): Promise<OpenAdminSession> {
  const org = salesforceOrigin(session.instanceUrl, devOrigins);
  const admin = adminConnection(org, session.accessToken);
  try {
    const info = await admin.request<UserInfo>('/services/oauth2/userinfo');
    const { records } = await admin.query<{ Id: string; IsSandbox: boolean }>('SELECT Id, IsSandbox FROM Organization');
    return {
      org,
      admin,
      identity: { userId: info.user_id, email: info.email },
      orgId: records[0]?.Id ?? info.organization_id,
      isSandbox: records[0]?.IsSandbox ?? false,
    };
  } catch (error) {
    // userinfo answers a bad token with 403 "Bad_OAuth_Token" rather than INVALID_SESSION_ID.
    const sf = asSalesforceError(error);
    if (sf && /bad_oauth_token|invalid_session/i.test(`${sf.errorCode} ${sf.message}`)) throw sessionRefused(`${sf.errorCode}: ${sf.message}`);
    throw explain(error, 'Read your Salesforce session');
  }
}
