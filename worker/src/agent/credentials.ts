/**
 * Agent credentials: `fba_` + 32 random bytes, stored as the SHA-256 hash like tenant API keys (worker/src/api-keys.ts)
 * and told apart from them by the prefix, so each route can say which kind of key it was given. A credential belongs
 * to one tenant, works only on `/mcp`, and is rate limited per fixed one-minute window.
 */
import type { AgentCredential } from '../../../shared/agent-api';
import { hashApiKey } from '../api-keys';
import {
  type AgentCredentialRow,
  type LiveAgentCredentialRow,
  agentCredentialsOf,
  countCallInWindow,
  insertAgentCredential,
  liveAgentCredentialByHash,
  liveAgentCredentialById,
  revokeAgentCredentialRow,
} from '../db/agent-credentials';
import { AppError } from '../errors';

const KEY_PREFIX = 'fba_';
export const DEFAULT_AGENT_CALLS_PER_MINUTE = 60;

/** The `AGENT_CALLS_PER_MINUTE` variable, checked: a whole number of at least 1. */
export function agentCallsPerMinute(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_AGENT_CALLS_PER_MINUTE;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1) {
    throw new AppError('server_misconfigured', 500, `AGENT_CALLS_PER_MINUTE must be a whole number of at least 1, not "${value}". Fix it in wrangler.toml [vars] and redeploy.`);
  }
  return limit;
}

export interface AgentPrincipal {
  credentialId: string;
  credentialName: string;
  tenantId: string;
  /** Whether the tenant has live tools on for a connection (read with the credential, so a request costs one lookup). */
  liveTools: boolean;
  /** The credential's rate-limit window when the request came in (read with it too): the minute it counts, and its calls. */
  window: { startedAt: string | null; calls: number };
}

export function generateAgentKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return KEY_PREFIX + btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export const looksLikeAgentKey = (value: string) => /^fba_[A-Za-z0-9_-]{43}$/.test(value);

const toCredential = (row: AgentCredentialRow): AgentCredential => ({
  id: row.id,
  name: row.name,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
});

export async function createAgentCredential(db: D1Database, tenantId: string, name: string) {
  const key = generateAgentKey();
  const row = await insertAgentCredential(db, `agc_${crypto.randomUUID().replace(/-/g, '')}`, tenantId, name, await hashApiKey(key));
  return { ...toCredential(row), key };
}

export async function listAgentCredentials(db: D1Database, tenantId: string): Promise<AgentCredential[]> {
  return (await agentCredentialsOf(db, tenantId)).map(toCredential);
}

/** Revokes at once: a key, and every access token issued for it, stop working on the next call. */
export async function revokeAgentCredential(db: D1Database, tenantId: string, id: string): Promise<AgentCredential | undefined> {
  const row = await revokeAgentCredentialRow(db, tenantId, id);
  return row ? toCredential(row) : undefined;
}

/** The live credential a key belongs to. */
export async function principalForKey(db: D1Database, key: string): Promise<AgentPrincipal | undefined> {
  if (!looksLikeAgentKey(key)) return undefined;
  return toPrincipal(await liveAgentCredentialByHash(db, await hashApiKey(key)));
}

/** The live credential an access token was issued for (a revoked one refuses its tokens too). */
export async function principalForId(db: D1Database, id: string): Promise<AgentPrincipal | undefined> {
  return toPrincipal(await liveAgentCredentialById(db, id));
}

/**
 * Looked up on every request, not cached in the isolate: the read also brings the live-tools switch, so it is the
 * request's only lookup, and a revoked credential (or a live-tools switch turned off) takes effect on the next call.
 */
const toPrincipal = (row: LiveAgentCredentialRow | null): AgentPrincipal | undefined =>
  row
    ? { credentialId: row.id, credentialName: row.name, tenantId: row.tenant_id, liveTools: row.live_tools === 1, window: { startedAt: row.window_started_at, calls: row.window_calls } }
    : undefined;

/**
 * Counts one call against the credential's current minute and records when it was last used, in one statement (an
 * increment in place, so concurrent counts never lose one). Returns how many calls the minute has seen, this one
 * included, and when the window ends.
 */
export async function countAgentCall(db: D1Database, credentialId: string, now: Date): Promise<{ calls: number; resetAt: string }> {
  const { startedAt, resetAt } = rateWindow(now);
  const calls = await countCallInWindow(db, credentialId, startedAt, now.toISOString());
  return { calls, resetAt };
}

/** The one-minute window `now` falls in: when it started and when the next one starts. */
export function rateWindow(now: Date): { startedAt: string; resetAt: string } {
  const start = Math.floor(now.getTime() / 60_000) * 60_000;
  return { startedAt: new Date(start).toISOString(), resetAt: new Date(start + 60_000).toISOString() };
}
