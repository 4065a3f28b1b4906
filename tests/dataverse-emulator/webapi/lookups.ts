/**
 * References to rows, as `@odata.bind` values, `$ref` bodies and function parameters carry them: `accounts(<id>)`,
 * `/accounts(<id>)`, an absolute Web API URL, or `$<Content-ID>` inside a change set
 * (associate-odata-bind.http, batch-changeset.http). Only primary keys are emulated; a named key such as
 * `teams(teamid=…)` gets Dataverse's "key in the request URI is not valid" refusal (limits.md §3).
 */
import { contentIdUnknown, DataverseError } from '../errors';
import { isGuid } from '../ids';
import type { OperationContext } from './operation';
import { TABLE_BY_SET, type TableDefinition } from './schema';

/** The key text Dataverse would refuse for a team or user: the limits.md §3 text. */
export const invalidKey = (table: string) =>
  new DataverseError(400, '0x80060888', `The key in the request URI is not valid for resource 'Microsoft.Dynamics.CRM.${table}'. Ensure that the names and number of key properties match the declared or alternate key properties for the resource 'Microsoft.Dynamics.CRM.${table}'.`);

/** Reads `accounts(<id>)`, `/accounts(<id>)`, an absolute Web API URL, or `$1` in a change set. */
export function parseReference(ctx: OperationContext, reference: string): { table: TableDefinition; id: string } {
  let text = reference.trim();
  if (text.startsWith('$')) {
    const resolved = ctx.contentIds?.get(text.slice(1));
    if (!resolved) throw contentIdUnknown(text);
    text = resolved;
  }
  const match = /^(?:[a-z]+:\/\/[^/]+)?(?:\/?api\/data\/v9\.[0-2]\/|\/)?([A-Za-z_][A-Za-z0-9_]*)\(([^)]*)\)$/i.exec(text);
  if (!match) throw new DataverseError(400, '0x80048d19', `The reference '${reference}' is not a row URL such as /accounts(00000000-0000-0000-0000-000000000001).`);
  const [, setName = '', keyText = ''] = match;
  const table = TABLE_BY_SET.get(setName);
  if (!table) throw new DataverseError(404, '0x80060888', `Resource not found for the segment '${setName}'.`);
  if (!isGuid(keyText)) throw invalidKey(table.logicalName);
  return { table, id: keyText.toLowerCase() };
}

