/**
 * Destination keys: a GUID derived deterministically from the 18-character Salesforce Id (UUID v5 in a namespace
 * of Forcebridge's), so the same record always lands on the same row, and a Contact's `AccountId` becomes the
 * account's GUID without a lookup.
 */
import { v5 as uuidv5 } from 'uuid';

/** Forcebridge's UUID v5 namespace for Salesforce record ids (a fixed random UUID; never change it). */
export const SALESFORCE_ID_NAMESPACE = '6f1c1d3e-54a0-4f0e-9a35-2f6b8c1f4d27';

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/**
 * The case-insensitive 18-character form of a Salesforce Id: three checksum characters encode which of the
 * 15 characters are upper case.
 */
export function toEighteenCharId(id: string): string {
  if (/^[a-zA-Z0-9]{18}$/.test(id)) return id;
  if (!/^[a-zA-Z0-9]{15}$/.test(id)) throw new Error(`"${id}" is not a Salesforce Id (15 or 18 letters and digits)`);
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id[chunk * 5 + i]!;
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET[bits];
  }
  return id + suffix;
}

export function guidFromSalesforceId(id: string): string {
  return uuidv5(toEighteenCharId(id), SALESFORCE_ID_NAMESPACE);
}

/** The owning team's GUID (written to `ownerid`): stable for a tenant's team name, whatever its letter case. */
export function teamGuid(tenantId: string, teamName: string): string {
  return uuidv5(`team:${tenantId}:${teamName.trim().toLowerCase()}`, SALESFORCE_ID_NAMESPACE);
}
