/**
 * The cursor `queryRecords` hands back for its next page. It is a keyset position, not an offset: the sort column's
 * value and the key of the last row returned, so rows the sync inserts, updates or deletes meanwhile do not shift the
 * pages (an offset would skip or repeat rows). It is signed with HMAC-SHA-256 (a key derived from `ENCRYPTION_KEY`) over
 * the tenant, the connectors that feed the table and the query itself (table, filters, sort, includeDeleted), so an
 * agent cannot forge a position, carry a cursor to another tenant or another query, or keep one across a change of
 * the table's connectors: each of those is refused with what to do instead.
 * Format: `k1.<base64url JSON [value, key]>.<base64url HMAC>`; the value is what the agent already saw in that row.
 */
import { fromBase64, toBase64Url } from '../../../shared/base64';
import type { PagePosition } from '../db/agent-records';
import { derivedHmacKey } from './derived-key';
import { AgentToolError } from './tool-error';

const VERSION = 'k1';
const cursorKey = (secret: string | undefined) => derivedHmacKey(secret, 'forcebridge agent page cursors v1');


/** What a cursor is bound to; a cursor made for one scope never opens in another. */
export interface CursorScope {
  tenantId: string;
  connectorIds: string[];
  query: { table: string; filters: unknown; sort: unknown; includeDeleted: boolean };
}

const signed = (scope: CursorScope, payload: string) =>
  new TextEncoder().encode([VERSION, scope.tenantId, [...scope.connectorIds].sort().join(','), JSON.stringify(scope.query), payload].join('\n'));

const fromBase64Url = (text: string) => fromBase64(text.replace(/-/g, '+').replace(/_/g, '/'));

export async function encodeRecordCursor(secret: string | undefined, scope: CursorScope, position: PagePosition): Promise<string> {
  const payload = toBase64Url(new TextEncoder().encode(JSON.stringify([position.value, position.key])));
  const mac = await crypto.subtle.sign('HMAC', await cursorKey(secret), signed(scope, payload));
  return `${VERSION}.${payload}.${toBase64Url(new Uint8Array(mac))}`;
}

const START_AGAIN = 'Leave cursor out to start again from the first page.';

export async function decodeRecordCursor(secret: string | undefined, scope: CursorScope, cursor: string): Promise<PagePosition> {
  const [version, payload, mac, ...rest] = cursor.split('.');
  if (version !== VERSION || !payload || !mac || rest.length > 0) {
    if (isOffsetCursor(cursor)) {
      throw new AgentToolError(`This cursor comes from the offset paging queryRecords used before; those cursors no longer work. ${START_AGAIN}`);
    }
    throw new AgentToolError(`This is not a cursor queryRecords returned. Pass back nextCursor exactly as it came. ${START_AGAIN}`);
  }
  const macBytes = fromBase64Url(mac);
  const genuine = macBytes !== undefined && (await crypto.subtle.verify('HMAC', await cursorKey(secret), macBytes, signed(scope, payload)));
  if (!genuine) {
    throw new AgentToolError(
      `The cursor does not belong to this query: it was changed, or made for other filters, sort or includeDeleted, or the table's connectors have changed since. Pass back nextCursor unchanged with the same table, filters, sort and includeDeleted. ${START_AGAIN}`,
    );
  }
  // Signed by this Worker, so well formed; checked anyway, as every stored or received value is.
  const position: unknown = JSON.parse(new TextDecoder().decode(fromBase64Url(payload)));
  if (!Array.isArray(position) || position.length !== 2 || typeof position[1] !== 'string' || !isPositionValue(position[0])) {
    throw new AgentToolError(`The cursor could not be read. ${START_AGAIN}`);
  }
  return { value: position[0], key: position[1] };
}

const isPositionValue = (value: unknown): value is PagePosition['value'] => value === null || typeof value === 'string' || typeof value === 'number';

/** The cursors before keyset paging: base64 of `{"o": offset, "f": fingerprint}`. */
function isOffsetCursor(cursor: string): boolean {
  try {
    const old = JSON.parse(atob(cursor)) as { o?: unknown };
    return typeof old === 'object' && old !== null && typeof old.o === 'number';
  } catch {
    return false;
  }
}
