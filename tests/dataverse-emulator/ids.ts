/**
 * Ids the way Dataverse writes them: lowercase GUIDs. Random ones for new rows and response ids, name-based (UUID v5)
 * ones where a value must be stable across runs (tenant, app, privileges, the demo environment's teams).
 */
import { v4, v5 } from 'uuid';

const NAMESPACE = '6f1d8a52-4b1e-4f5e-9a57-0c3f1e0f4d21';

export const newGuid = (): string => v4();
export const stableGuid = (name: string): string => v5(name, NAMESPACE);

/**
 * Ids Dataverse gives new rows are sequential (batch-changeset.http: d31ba648-…, d41ba648-…, d51ba648-…), so rows
 * ordered by primary key come back in creation order. These count up in their first eight hex digits, after a
 * random start, with a fixed tail per process.
 */
let sequence = Math.floor(Math.random() * 0x7fffffff);
const tail = v4().slice(8);
export const sequentialGuid = (): string => `${(sequence++ % 0x100000000).toString(16).padStart(8, '0')}${tail}`;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isGuid = (text: string): boolean => GUID.test(text);
