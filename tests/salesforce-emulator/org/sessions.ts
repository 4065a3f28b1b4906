/**
 * Sessions (access tokens), refresh tokens and authorization codes. Access tokens look like real ones
 * (`<15-char org id>!<opaque>`), never like JWTs: jsforce refuses JWT-shaped tokens for SOAP below v68.
 * Sessions end only when a test expires them, their user is deactivated, or (if configured) they sit idle longer
 * than the org's session timeout; a dead session answers INVALID_SESSION_ID.
 */
import { randomBase62 } from '../ids';

export type Session = {
  token: string;
  userId: string;
  /** Consumer key of the client app that issued it; undefined for sessions the emulator hands out itself. */
  clientId: string | undefined;
  scope: string;
  issuedAt: number;
  lastUsedAt: number;
  expired: boolean;
  /** False for the Lightning/Setup hosts' browser sessions, which Salesforce refuses for API calls. */
  apiAllowed: boolean;
};

export type RefreshToken = { token: string; userId: string; clientId: string; scope: string; revoked: boolean };

export type AuthorizationCode = {
  code: string;
  userId: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  codeChallenge: string | undefined;
  codeChallengeMethod: string | undefined;
  expiresAt: number;
  used: boolean;
};

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly refreshTokens = new Map<string, RefreshToken>();
  private readonly codes = new Map<string, AuthorizationCode>();
  /** Idle timeout in ms (Setup → Session Settings); undefined = sessions never time out by themselves. */
  timeoutMs: number | undefined;

  constructor(private readonly orgId15: string) {}

  issue(userId: string, now: number, options: { clientId?: string; scope?: string; apiAllowed?: boolean } = {}): Session {
    const session: Session = {
      token: `${this.orgId15}!AQ${randomBase62(94)}`,
      userId,
      clientId: options.clientId,
      scope: options.scope ?? 'api',
      issuedAt: now,
      lastUsedAt: now,
      expired: false,
      apiAllowed: options.apiAllowed ?? true,
    };
    this.sessions.set(session.token, session);
    return session;
  }

  /** The live session behind a token, touched; undefined if unknown, expired or timed out. */
  use(token: string, now: number): Session | undefined {
    const session = this.sessions.get(token);
    if (!session || session.expired) return undefined;
    if (this.timeoutMs !== undefined && now - session.lastUsedAt > this.timeoutMs) {
      session.expired = true;
      return undefined;
    }
    session.lastUsedAt = now;
    return session;
  }

  peek(token: string): Session | undefined {
    return this.sessions.get(token);
  }

  /** Expires matching sessions (all when no filter) and returns how many. */
  expire(filter: { token?: string; userId?: string } = {}): number {
    let count = 0;
    for (const session of this.sessions.values()) {
      if (session.expired) continue;
      if (filter.token !== undefined && session.token !== filter.token) continue;
      if (filter.userId !== undefined && session.userId !== filter.userId) continue;
      session.expired = true;
      count++;
    }
    return count;
  }

  list(): Session[] {
    return [...this.sessions.values()];
  }

  issueRefreshToken(userId: string, clientId: string, scope: string): RefreshToken {
    const refresh: RefreshToken = { token: `5Aep${randomBase62(83)}`, userId, clientId, scope, revoked: false };
    this.refreshTokens.set(refresh.token, refresh);
    return refresh;
  }

  refreshToken(token: string): RefreshToken | undefined {
    const refresh = this.refreshTokens.get(token);
    return refresh && !refresh.revoked ? refresh : undefined;
  }

  /** Revokes an access or refresh token (`/services/oauth2/revoke`); revoking a refresh token ends its sessions too. */
  revoke(token: string): boolean {
    const refresh = this.refreshTokens.get(token);
    if (refresh) {
      refresh.revoked = true;
      for (const session of this.sessions.values()) {
        if (session.userId === refresh.userId && session.clientId === refresh.clientId) session.expired = true;
      }
      return true;
    }
    return this.expire({ token }) > 0;
  }

  issueCode(code: Omit<AuthorizationCode, 'code' | 'used'>): AuthorizationCode {
    const issued: AuthorizationCode = { ...code, code: `aPrx${randomBase62(60)}`, used: false };
    this.codes.set(issued.code, issued);
    return issued;
  }

  code(code: string): AuthorizationCode | undefined {
    return this.codes.get(code);
  }
}
