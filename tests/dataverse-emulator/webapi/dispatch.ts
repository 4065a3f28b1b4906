/**
 * Routes one operation to what serves it, by the path after `/api/data/v9.x/`: `WhoAmI`, `EntityDefinitions…`,
 * `<set>`, `<set>(<id>)`, `<set>(<id>)/<column>`, `<set>(<id>)/<nav>/$ref` and the functions bound to users and
 * teams. Errors become Dataverse's error body; reads of contacts and accounts need the Read privilege.
 */
import { DataverseError, rowNotFound, segmentNotFound } from '../errors';
import { entityDefinitions } from './metadata';
import { boundFunction, whoAmI } from './functions';
import { type Operation, type OperationContext, type Outcome, jsonOutcome } from './operation';
import { queryCollection, retrieveColumn, retrieveRow } from './query';
import { TABLE_BY_NAME, TABLE_BY_SET, WRITABLE_TABLES } from './schema';
import { columnOperation, createOperation, deleteOperation, patchOperation, referenceOperation } from './write';

const methodNotAllowed = (method: string) => new DataverseError(405, '0x80060888', `The HTTP method '${method}' is not allowed on this resource.`);

/** Splits `contacts(<id>)/parentcustomerid_account/$ref` into segments, keeping parentheses whole. */
export function pathSegments(path: string): string[] {
  const segments: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of path) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === '/' && depth === 0) {
      segments.push(current);
      current = '';
    } else current += ch;
  }
  segments.push(current);
  return segments.filter((s, i) => s !== '' || i === 0);
}

export function errorOutcome(error: DataverseError): Outcome {
  return jsonOutcome(error.status, error.body(), Object.entries(error.headers));
}

/** Runs one operation; `path` is what follows the version segment, already URL-decoded. */
export function dispatch(ctx: OperationContext, path: string, op: Operation): Outcome {
  try {
    return route(ctx, path, op);
  } catch (error) {
    if (error instanceof DataverseError) return errorOutcome(error);
    throw error;
  }
}

function route(ctx: OperationContext, path: string, op: Operation): Outcome {
  const segments = pathSegments(path);
  const head = segments[0] ?? '';
  const second = segments[1] ?? '';
  if (head === 'WhoAmI' || head === 'WhoAmI()') {
    if (segments.length > 1) throw segmentNotFound(second);
    if (op.method !== 'GET') throw methodNotAllowed(op.method);
    return whoAmI(ctx);
  }
  if (head.startsWith('EntityDefinitions')) {
    if (op.method !== 'GET') throw methodNotAllowed(op.method);
    return entityDefinitions(ctx, segments, op);
  }
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:\(([^)]*)\))?$/.exec(head);
  const table = match?.[1] ? TABLE_BY_SET.get(match[1]) : undefined;
  if (!match?.[1] || !table) throw segmentNotFound(match?.[1] ?? head);
  const key = match[2];
  const readable = () => {
    if (WRITABLE_TABLES.has(table.logicalName)) ctx.env.privileges.demand(ctx.callerId, 'Read', table);
  };

  if (key === undefined) {
    if (segments.length > 1) throw segmentNotFound(second);
    if (op.method === 'GET') {
      readable();
      return queryCollection(ctx, table, op);
    }
    if (op.method === 'POST') return createOperation(ctx, table, op);
    throw methodNotAllowed(op.method);
  }
  if (segments.length === 1) {
    if (op.method === 'GET') {
      readable();
      return retrieveRow(ctx, table, key, op);
    }
    if (op.method === 'PATCH') return patchOperation(ctx, table, key, op);
    if (op.method === 'DELETE') return deleteOperation(ctx, table, key, op);
    throw methodNotAllowed(op.method);
  }
  if (second.startsWith('Microsoft.Dynamics.CRM.')) {
    if (op.method !== 'GET' || segments.length > 2) throw methodNotAllowed(op.method);
    return boundFunction(ctx, table, key, second, op);
  }
  if (segments.length === 3 && segments[2] === '$ref') {
    if (op.method !== 'PUT' && op.method !== 'DELETE') throw methodNotAllowed(op.method);
    return referenceOperation(ctx, table, key, second, op);
  }
  const collection = table.collections?.[second];
  if (segments.length === 2 && collection && op.method === 'GET') {
    readable();
    if (!ctx.env.store.get(table.logicalName, key)) throw rowNotFound({ filled: ctx.env.switches.filledErrorCodes }, table.logicalName, key);
    const related = TABLE_BY_NAME.get(collection.table)!;
    ctx.env.privileges.demand(ctx.callerId, 'Read', related);
    const id = key.toLowerCase();
    return queryCollection(ctx, related, op, (row) => (row.values[collection.column] as { id?: string } | undefined)?.id === id);
  }
  if (segments.length === 2) {
    if (op.method === 'GET') {
      readable();
      return retrieveColumn(ctx, table, key, second);
    }
    if (op.method === 'PUT' || op.method === 'DELETE') return columnOperation(ctx, table, key, second, op);
    throw methodNotAllowed(op.method);
  }
  throw segmentNotFound(segments[2] ?? '');
}
