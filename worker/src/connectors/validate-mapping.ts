/**
 * A mapping as the admin sent it, checked against the destination table and the org's describe: every column must
 * exist and be mappable, every field must exist and be type-compatible (shared/mapping/type-rules.ts), and the key
 * always comes from Id. Problems are refused together, each naming the column, the field and the rule.
 */
import { DEFAULT_MAPPINGS } from '../../../shared/mapping/defaults';
import { TABLES, type DestinationTable, destinationColumn } from '../../../shared/mapping/destination';
import { type SourceField, incompatibility } from '../../../shared/mapping/type-rules';
import { AppError } from '../errors';

export function normaliseMapping(table: DestinationTable, mapping: Record<string, string> | undefined, fields: readonly SourceField[]): Record<string, string> {
  const definition = TABLES[table];
  const key = definition.columns.find((c) => c.primaryKey)!.name;
  const wanted = { ...(mapping ?? DEFAULT_MAPPINGS[table]), [key]: 'Id' };
  const byName = new Map(fields.map((f) => [f.name, f]));
  const problems: string[] = [];
  for (const [columnName, fieldName] of Object.entries(wanted)) {
    const column = destinationColumn(table, columnName);
    if (!column) {
      problems.push(`${table} has no column ${columnName}`);
      continue;
    }
    const field = byName.get(fieldName);
    if (!field) {
      problems.push(`${definition.source} has no field ${fieldName} that Forcebridge can see (for ${columnName})`);
      continue;
    }
    const why = incompatibility(column, field);
    if (why) problems.push(why);
  }
  if (problems.length > 0) {
    throw new AppError('mapping_invalid', 400, `The ${table} mapping cannot be used: ${problems.join('; ')}.`);
  }
  return wanted;
}
