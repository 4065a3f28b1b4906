/**
 * Salesforce record ids: 15 case-sensitive characters (3-character key prefix, 2-character pod, 1 reserved
 * character, 9-character base-62 record number) plus the 3-character case-insensitive checksum that makes the 18-character
 * form. The emulator numbers each object's rows from 1, so an id decodes back to its row without a lookup table
 * (which is what lets a million seeded rows live without a million-entry Map).
 */

/** Key prefixes of the objects the emulator stores, as in real orgs (describe `keyPrefix`). */
export const KEY_PREFIXES = {
  Account: '001',
  Contact: '003',
  User: '005',
  Organization: '00D',
  Profile: '00e',
  UserLicense: '100',
  PermissionSet: '0PS',
  PermissionSetAssignment: '0Pa',
  PermissionSetLicense: '0PL',
  PermissionSetLicenseAssign: '2LA',
  ObjectPermissions: '110',
  FieldPermissions: '01k',
  SetupEntityAccess: '0J0',
  ConnectedApplication: '0H4',
  /** Virtual object (one row per query, the caller's effective permissions); the prefix is the emulator's own. */
  UserPermissionAccess: '0Xz',
} as const satisfies Record<string, string>;

/** Prefixes of ids that are not sObject rows but that the APIs hand out. */
export const OTHER_PREFIXES = {
  queryLocator: '01g',
  deployRequest: '0Af',
  bulkJob: '750',
  externalClientApp: '0xI',
  metadataComponent: '0Ho',
} as const;

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
/** The pod characters every id of an emulated org carries (real orgs have e.g. `Da`, `8F`). */
export const POD = 'Kd';

/** The 3 checksum characters: one bit per character of each 5-character chunk, set where the character is A-Z. */
export function checksum(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const ch = id15.charCodeAt(chunk * 5 + i);
      if (ch >= 65 && ch <= 90) bits |= 1 << i;
    }
    suffix += CHECKSUM_ALPHABET[bits];
  }
  return suffix;
}

export function to18(id15: string): string {
  return id15 + checksum(id15);
}

/** The 18-character id of record number `n` (1-based) under `prefix`. */
export function makeId(prefix: string, n: number): string {
  return to18(prefix + POD + '0' + encodeBase62(n, 9));
}

/**
 * Accepts a 15- or 18-character id in any case Salesforce accepts (18-character ids are case-insensitive: the
 * checksum restores the case) and returns the canonical 18-character id, or undefined if it is not an id at all.
 */
export function normalizeId(value: string): string | undefined {
  if (!/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(value)) return undefined;
  if (value.length === 15) return to18(value);
  if (checksum(value.slice(0, 15)) === value.slice(15)) return value; // already canonical (the common case)
  const restored = restoreCase(value);
  return restored && to18(restored) === restored + value.slice(15).toUpperCase() ? to18(restored) : undefined;
}

/** Decodes the record number of an id minted by {@link makeId}; undefined for ids from another pod or prefix. */
export function recordNumber(id18: string, prefix: string): number | undefined {
  if (!id18.startsWith(prefix) || id18.slice(3, 6) !== POD + '0') return undefined;
  return decodeBase62(id18.slice(6, 15));
}

export function encodeBase62(n: number, width: number): string {
  let out = '';
  let rest = Math.floor(n);
  while (rest > 0) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out.padStart(width, '0');
}

export function decodeBase62(text: string): number | undefined {
  let n = 0;
  for (const ch of text) {
    const digit = BASE62.indexOf(ch);
    if (digit < 0) return undefined;
    n = n * 62 + digit;
  }
  return n;
}

/** Random base-62 text, for tokens and locators. */
export function randomBase62(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = '';
  for (const byte of bytes) out += BASE62[byte % 62];
  return out;
}

/** An 18-character id with a random record part (deploy ids, job ids, locators), so ids differ between runs. */
export function randomId(prefix: string): string {
  return to18(prefix + POD + '0' + randomBase62(9));
}

function restoreCase(id18: string): string | undefined {
  const suffix = id18.slice(15).toUpperCase();
  let restored = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    const bits = CHECKSUM_ALPHABET.indexOf(suffix[chunk] ?? '');
    if (bits < 0) return undefined;
    for (let i = 0; i < 5; i++) {
      const ch = id18[chunk * 5 + i] ?? '';
      restored += bits & (1 << i) ? ch.toUpperCase() : ch.toLowerCase() === ch.toUpperCase() ? ch : ch.toLowerCase();
    }
  }
  return restored;
}
