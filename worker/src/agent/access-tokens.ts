/**
 * Short-lived access tokens for OAuth 2.0 client credentials (`/oauth/token`): HS256 JWTs signed with a key derived
 * from the `ENCRYPTION_KEY` secret (./derived-key.ts), so there is no second secret to manage and nothing new
 * to store. A token names the credential, not the tenant's data: every use looks the credential up again, so
 * revoking it ends its tokens at once.
 */
import { SignJWT, errors, jwtVerify } from 'jose';
import { derivedHmacKey } from './derived-key';

export const ACCESS_TOKEN_SECONDS = 15 * 60;

const signingKey = (secret: string | undefined) => derivedHmacKey(secret, 'forcebridge agent access tokens v1');

/** `origin` is the Worker's own (issuer); the audience is its MCP endpoint, the one resource the token is for. */
export async function issueAccessToken(secret: string | undefined, origin: string, credentialId: string, now = new Date()) {
  const token = await new SignJWT({ scope: 'mcp' })
    .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
    .setIssuer(origin)
    .setAudience(`${origin}/mcp`)
    .setSubject(credentialId)
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .setExpirationTime(Math.floor(now.getTime() / 1000) + ACCESS_TOKEN_SECONDS)
    .setJti(crypto.randomUUID())
    .sign(await signingKey(secret));
  return { accessToken: token, expiresIn: ACCESS_TOKEN_SECONDS };
}

export type TokenCheck = { ok: true; credentialId: string } | { ok: false; reason: 'expired' | 'invalid' };

export async function verifyAccessToken(secret: string | undefined, origin: string, token: string): Promise<TokenCheck> {
  try {
    const { payload } = await jwtVerify(token, await signingKey(secret), {
      algorithms: ['HS256'],
      issuer: origin,
      audience: `${origin}/mcp`,
      typ: 'at+jwt',
    });
    return payload.sub ? { ok: true, credentialId: payload.sub } : { ok: false, reason: 'invalid' };
  } catch (error) {
    if (error instanceof errors.JWTExpired) return { ok: false, reason: 'expired' };
    if (error instanceof errors.JOSEError) return { ok: false, reason: 'invalid' };
    throw error;
  }
}

export const looksLikeJwt = (value: string) => /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(value);
