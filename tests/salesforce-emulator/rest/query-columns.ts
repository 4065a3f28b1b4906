/**
 * `GET /query?q=…&columns=true` (and `/queryAll`): the query's column metadata instead of its rows. Salesforce does
 * not document it, but its own tools depend on it: the Salesforce CLI's `sf data query` asks for it to lay out its
 * table and reads `columnMetadata[].columnName`, `aggregate`, `displayName` and nested `joinColumns`
 * (https://github.com/salesforcecli/plugin-data/blob/main/src/commands/data/query.ts, `retrieveColumns`).
 * The shape — `{columnMetadata, entityName, groupBy, idSelected, keyPrefix}`, each column with its keys in
 * alphabetical order, a parent path as one relationship column (`apexType: null`, `foreignKeyName` = the lookup
 * field) holding the parent's fields in `joinColumns` — is taken from responses recorded from real orgs:
 * https://github.com/forcedotcom/salesforcedx-vscode/blob/develop/packages/salesforcedx-apex-replay-debugger/test/unit/commands/apexExecutionOverlayResultCommand.test.ts
 * (Id, Name and AccountNumber of Account) and
 * https://github.com/salesforcecli/plugin-data/blob/main/test/test-files/queryFields.exemplars.ts
 * (`Owner.Name` as `Owner` joining `Name`; an aggregate as `expr0` with its call as `displayName`).
 * The query is checked as it would be run (same errors), but no row is read.
 */
import type { Emulator } from '../emulator';
import type { FieldDef } from '../org/schema';
import { planQuery } from '../soql/evaluate';
import { parseSoql } from '../soql/parser';

export type ColumnMetadata = {
  aggregate: boolean;
  apexType: string | null;
  booleanType: boolean;
  columnName: string;
  custom: boolean;
  displayName: string;
  foreignKeyName: string | null;
  insertable: boolean;
  joinColumns: ColumnMetadata[];
  numberType: boolean;
  textType: boolean;
  updatable: boolean;
};

export type QueryColumns = {
  columnMetadata: ColumnMetadata[];
  entityName: string;
  groupBy: boolean;
  idSelected: boolean;
  keyPrefix: string;
};

/**
 * The Apex type of a field's values: `Id` and `String` as recorded; the others are the Apex primitive of the field's
 * SOAP type, currency being Decimal
 * (https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/langCon_apex_primitives.htm).
 */
const APEX_TYPES: Record<FieldDef['type'], string> = {
  id: 'Id',
  reference: 'Id',
  string: 'String',
  textarea: 'String',
  email: 'String',
  phone: 'String',
  url: 'String',
  picklist: 'String',
  boolean: 'Boolean',
  int: 'Integer',
  double: 'Double',
  currency: 'Decimal',
  percent: 'Double',
  date: 'Date',
  datetime: 'Datetime',
  address: 'Address',
};

const TEXT_TYPES = new Set<FieldDef['type']>(['string', 'textarea', 'email', 'phone', 'url', 'picklist']);
const NUMBER_TYPES = new Set<FieldDef['type']>(['int', 'double', 'currency', 'percent']);

function fieldColumn(field: FieldDef): ColumnMetadata {
  return {
    aggregate: false,
    apexType: APEX_TYPES[field.type],
    booleanType: field.type === 'boolean',
    columnName: field.name,
    custom: field.custom,
    displayName: field.name,
    foreignKeyName: null,
    insertable: field.createable,
    joinColumns: [],
    numberType: NUMBER_TYPES.has(field.type),
    textType: TEXT_TYPES.has(field.type),
    updatable: field.updateable,
  };
}

/** A parent reached through a lookup (`Account` for `AccountId`): no type of its own, the parent's fields joined. */
function relationshipColumn(lookup: FieldDef): ColumnMetadata {
  const name = lookup.relationshipName ?? lookup.name;
  return {
    aggregate: false,
    apexType: null,
    booleanType: false,
    columnName: name,
    custom: lookup.custom,
    displayName: name,
    foreignKeyName: lookup.name,
    insertable: false,
    joinColumns: [],
    numberType: false,
    textType: false,
    updatable: false,
  };
}

export function queryColumns(emulator: Emulator, userId: string, soql: string): QueryColumns {
  const query = parseSoql(soql);
  const plan = planQuery({ org: emulator.org, userId }, query);
  const schema = plan.source.schema;
  const columnMetadata: ColumnMetadata[] = [];

  for (const column of plan.columns) {
    // Walk the lookups of the path, reusing the relationship column an earlier path opened (Account.Name and
    // Account.Industry share one `Account` column), then add the field read at the end.
    let siblings = columnMetadata;
    for (const step of column.steps.slice(0, -1)) {
      const name = step.field.relationshipName ?? step.field.name;
      let parent = siblings.find((c) => c.foreignKeyName !== null && c.columnName.toLowerCase() === name.toLowerCase());
      if (!parent) {
        parent = relationshipColumn(step.field);
        siblings.push(parent);
      }
      siblings = parent.joinColumns;
    }
    siblings.push(fieldColumn(column.leaf));
  }

  plan.counts.forEach((item, k) => {
    if (item.kind !== 'count' || !item.field) return;
    // COUNT(field) is an aggregate column named by its alias or exprN (the name its value has in the rows).
    columnMetadata.push({
      aggregate: true,
      apexType: null,
      booleanType: false,
      columnName: item.alias ?? `expr${k}`,
      custom: false,
      displayName: `${item.token.text}(${item.field.path.join('.')})`,
      foreignKeyName: null,
      insertable: false,
      joinColumns: [],
      numberType: true,
      textType: false,
      updatable: false,
    });
  });

  return {
    columnMetadata,
    entityName: schema.name,
    groupBy: false,
    idSelected: plan.columns.some((column) => column.steps.length === 1 && column.leaf.type === 'id'),
    keyPrefix: schema.keyPrefix,
  };
}
