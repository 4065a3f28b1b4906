/**
 * The cursors `queryRecords` and `search` hand back for their next page, opaque to the agent and signed with
 * HMAC-SHA-256 (a key derived from `ENCRYPTION_KEY`) over the tool, the tenant, the connectors that feed the data and
 * the query itself, so an agent cannot forge a position, carry a cursor to another tenant, tool or query, or keep one
 * across a change of connectors: each of those is refused with what to do instead.
 * `queryRecords` keeps a keyset position in it (the last row's sort value and key; ./records.ts), so rows the sync
 * writes meanwhile do not shift its pages; `search` keeps the offset into its ranking (a rank has no stable key).
 * Format: `k1.<base64url JSON position>.<base64url HMAC>`; the position holds only what the agent already saw.
 */
import { fromBase64, toBase64Url } from '../../../shared/base64';
import { derivedHmacKey } from './derived-key';
import { AgentToolError } from './tool-error';

const VERSION = 'k1';
const cursorKey = (secret: string | undefined) => derivedHmacKey(secret, 'forcebridge agent page cursors v1');

/** What a cursor is bound to; a cursor made for one scope never opens in another. */
export interface CursorScope {
  tool: 'queryRecords' | 'search';
  tenantId: string;
  connectorIds: string[];
  query: unknown;
}

const signed = (scope: CursorScope, payload: string) =>
  new TextEncoder().encode([VERSION, scope.tool, scope.tenantId, [...scope.connectorIds].sort().join(','), JSON.stringify(scope.query), payload].join('\n'));

const fromBase64Url = (text: string) => fromBase64(text.replace(/-/g, '+').replace(/_/g, '/'));

export async function signCursor(secret: string | undefined, scope: CursorScope, position: unknown): Promise<string> {
  const payload = toBase64Url(new TextEncoder().encode(JSON.stringify(position)));
  const mac = await crypto.subtle.sign('HMAC', await cursorKey(secret), signed(scope, payload));
  return `${VERSION}.${payload}.${toBase64Url(new Uint8Array(mac))}`;
}

export const START_AGAIN = 'Leave cursor out to start again from the first page.';

/** The position a genuine cursor for this scope holds; anything else is refused with a tool error. */
export async function openCursor(secret: string | undefined, scope: CursorScope, cursor: string): Promise<unknown> {
  const [version, payload, mac, ...rest] = cursor.split('.');
  if (version !== VERSION || !payload || !mac || rest.length > 0) {
    if (isOffsetCursor(cursor)) {
      throw new AgentToolError(`This cursor comes from the unsigned offset cursors ${scope.tool} used before; those no longer work. ${START_AGAIN}`);
    }
    throw new AgentToolError(`This is not a cursor ${scope.tool} returned. Pass back nextCursor exactly as it came. ${START_AGAIN}`);
  }
  const macBytes = fromBase64Url(mac);
  const genuine = macBytes !== undefined && (await crypto.subtle.verify('HMAC', await cursorKey(secret), macBytes, signed(scope, payload)));
  if (!genuine) {
    throw new AgentToolError(
      `The cursor does not belong to this query: it was changed, or made for another tool or other arguments, or the connectors have changed since. Pass back nextCursor unchanged with the same arguments. ${START_AGAIN}`,
    );
  }
  return JSON.parse(new TextDecoder().decode(fromBase64Url(payload)));
}

/** The cursors before these: base64 of `{"o": offset, "f": fingerprint}` (queryRecords) or of `search:<offset>`. */
function isOffsetCursor(cursor: string): boolean {
  try {
    const text = atob(cursor);
    if (/^search:\d+$/.test(text)) return true;
    const old = JSON.parse(text) as { o?: unknown };
    return typeof old === 'object' && old !== null && typeof old.o === 'number';
  } catch {
    return false;
  }
}
