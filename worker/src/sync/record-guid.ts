/**
 * The destination key of a Salesforce Id exactly as shared/mapping/guid.ts defines it (UUID v5 of the 18-character Id
 * in Forcebridge's namespace, RFC 9562 §5.5), but hashed with the runtime's native SHA-1 — `node:crypto`, which
 * workerd provides under nodejs_compat (https://developers.cloudflare.com/workers/runtime-apis/nodejs/crypto/) — where
 * the uuid package, bundled for workerd, hashes in JavaScript. One or two of these per record (the record's Id, an
 * account lookup) were the largest per-record cost of a sync. record-guid.test.ts checks both agree.
 */
import { createHash } from 'node:crypto';
import { SALESFORCE_ID_NAMESPACE, toEighteenCharId } from '../../../shared/mapping/guid';

const NAMESPACE = Uint8Array.from(SALESFORCE_ID_NAMESPACE.replace(/-/g, '').match(/../g)!, (byte) => parseInt(byte, 16));
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** The GUID of a 15- or 18-character Salesforce Id; throws for anything else, as guidFromSalesforceId does. */
export function recordGuid(id: string): string {
  const h = createHash('sha1').update(NAMESPACE).update(toEighteenCharId(id), 'latin1').digest();
  const b6 = (h[6]! & 0x0f) | 0x50;
  const b8 = (h[8]! & 0x3f) | 0x80;
  return (
    HEX[h[0]!]! + HEX[h[1]!]! + HEX[h[2]!]! + HEX[h[3]!]! + '-' + HEX[h[4]!]! + HEX[h[5]!]! + '-' + HEX[b6]! + HEX[h[7]!]! + '-' +
    HEX[b8]! + HEX[h[9]!]! + '-' + HEX[h[10]!]! + HEX[h[11]!]! + HEX[h[12]!]! + HEX[h[13]!]! + HEX[h[14]!]! + HEX[h[15]!]!
  );
}
