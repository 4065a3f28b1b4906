/**
 * Query rows as REST shows them: `{attributes: {type, url}, Field: value, …}` in SELECT order, nulls present as
 * null (rest/Account_query_with_nulls.cumulusci.json), parent fields nested under the relationship name with their
 * own attributes, or the relationship null when there is no parent (the recorded User/Profile query), and compound
 * address fields as objects.
 */
import type { Org } from '../org/org';
import { toWire } from '../org/values';
import type { JsonObject } from '../recordings';
import type { Column } from './resolve';
import type { Source } from './source';

export function recordUrl(version: string, type: string, id: string): string {
  return `/services/data/v${version}/sobjects/${type}/${id}`;
}

export function recordJson(org: Org, source: Source, columns: Column[], index: number, version: string): JsonObject {
  const type = source.schema.name;
  const id = source.idOf(index);
  const record: JsonObject = { attributes: { type, url: recordUrl(version, type, id) } };
  for (const column of columns) {
    const [first, ...rest] = column.steps;
    if (!first) continue;
    if (rest.length === 0) {
      record[first.field.name] = toWire(first.field, source.read(index, first.field));
      continue;
    }
    let holder = record;
    let parentId = source.read(index, first.field);
    let relationship = first.field.relationshipName ?? first.field.name;
    for (const [k, step] of rest.entries()) {
      const target = typeof parentId === 'string' ? org.locate(parentId) : undefined;
      if (!target) {
        if (!(relationship in holder)) holder[relationship] = null;
        break;
      }
      let nested = holder[relationship] as JsonObject | null | undefined;
      if (!nested) {
        nested = { attributes: { type: target.schema.name, url: recordUrl(version, target.schema.name, target.table.idOf(target.index)) } };
        holder[relationship] = nested;
      }
      const value = org.read(target.schema, target.index, step.field);
      if (k === rest.length - 1) {
        nested[step.field.name] = toWire(step.field, value);
      } else {
        holder = nested;
        parentId = value;
        relationship = step.field.relationshipName ?? step.field.name;
      }
    }
  }
  return record;
}
