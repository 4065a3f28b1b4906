/**
 * The destination key of a Salesforce Id exactly as shared/mapping/guid.ts defines it (UUID v5 of the 18-character Id
 * in Forcebridge's namespace, RFC 9562 §5.5), but hashed with the runtime's native SHA-1 — `node:crypto`, which
 * workerd provides under nodejs_compat (https://developers.cloudflare.com/workers/runtime-apis/nodejs/crypto/) — where
 * the uuid package, bundled for workerd, hashes in JavaScript. One or two of these per record (the record's Id, an
 * account lookup) were the largest per-record cost of a sync. record-guid.test.ts checks both agree.
 */
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { SALESFORCE_ID_NAMESPACE, toEighteenCharId } from '../../../shared/mapping/guid';

const NAMESPACE_BYTES = 16;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * The namespace followed by the 18-character Id, hashed in one update: the Id is written into this one buffer in place
 * (Ids are ASCII), since every update of the node:crypto shim converts its input to a new Buffer first — two per record
 * were a third of a GUID's cost (tests/bench/profile.ts).
 */
const input = Buffer.alloc(NAMESPACE_BYTES + 18);
Buffer.from(SALESFORCE_ID_NAMESPACE.replace(/-/g, ''), 'hex').copy(input);

/** The GUID of a 15- or 18-character Salesforce Id; throws for anything else, as guidFromSalesforceId does. */
export function recordGuid(id: string): string {
  input.write(toEighteenCharId(id), NAMESPACE_BYTES, 'latin1');
  const h = createHash('sha1').update(input).digest();
  const b6 = (h[6]! & 0x0f) | 0x50;
  const b8 = (h[8]! & 0x3f) | 0x80;
  return (
    HEX[h[0]!]! + HEX[h[1]!]! + HEX[h[2]!]! + HEX[h[3]!]! + '-' + HEX[h[4]!]! + HEX[h[5]!]! + '-' + HEX[b6]! + HEX[h[7]!]! + '-' +
    HEX[b8]! + HEX[h[9]!]! + '-' + HEX[h[10]!]! + HEX[h[11]!]! + HEX[h[12]!]! + HEX[h[13]!]! + HEX[h[14]!]! + HEX[h[15]!]!
  );
}

/** Lookup GUIDs remembered at most (about 100 KB), so the cache never grows with the volume synced. */
const LOOKUPS_KEPT = 1_024;
const lookups = new Map<string, string>();

/**
 * recordGuid for a lookup's value (a Contact's AccountId): many records of a page point at the same few parents, so
 * their GUIDs are remembered, a bounded number of them (the map starts over when full).
 */
export function lookupGuid(id: string): string {
  let guid = lookups.get(id);
  if (guid === undefined) {
    guid = recordGuid(id);
    if (lookups.size >= LOOKUPS_KEPT) lookups.clear();
    lookups.set(id, guid);
  }
  return guid;
}
