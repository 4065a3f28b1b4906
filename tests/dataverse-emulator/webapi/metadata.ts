/**
 * Table definitions the way `EntityDefinitions` serves them: `EntityDefinitions(LogicalName='contact')` with
 * `$select` and `$expand=Attributes(...)`, `…/Attributes`, `…/Attributes(LogicalName='x')`, and the typed cast
 * `…/Attributes/Microsoft.Dynamics.CRM.StringAttributeMetadata` a client needs to read `MaxLength` — as in
 * Dataverse, `MaxLength` is not a property of the base `AttributeMetadata`, so selecting it without the cast is
 * refused (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query-metadata-web-api).
 */
import { DataverseError, badQuery } from '../errors';
import { stableGuid } from '../ids';
import { compileFilter } from './filter';
import { type Operation, type OperationContext, type Outcome, jsonOutcome } from './operation';
import { TABLE_BY_NAME, TABLES, type Column, type TableDefinition } from './schema';

type Json = Record<string, unknown>;

const METADATA_TYPE: Record<Column['type'], string> = {
  String: 'StringAttributeMetadata',
  Memo: 'MemoAttributeMetadata',
  Integer: 'IntegerAttributeMetadata',
  Double: 'DoubleAttributeMetadata',
  Money: 'MoneyAttributeMetadata',
  Picklist: 'PicklistAttributeMetadata',
  State: 'StateAttributeMetadata',
  Status: 'StatusAttributeMetadata',
  Boolean: 'BooleanAttributeMetadata',
  DateTime: 'DateTimeAttributeMetadata',
  Lookup: 'LookupAttributeMetadata',
  Customer: 'LookupAttributeMetadata',
  Owner: 'LookupAttributeMetadata',
  Uniqueidentifier: 'UniqueIdentifierAttributeMetadata',
};

const BASE_PROPERTIES = ['MetadataId', 'LogicalName', 'SchemaName', 'EntityLogicalName', 'AttributeType', 'AttributeTypeName', 'RequiredLevel', 'IsValidForCreate', 'IsValidForUpdate', 'IsValidForRead', 'IsPrimaryId', 'IsPrimaryName', 'AttributeOf'];

const schemaName = (logicalName: string) => logicalName.replace(/(^|_)([a-z])/g, (_m, sep: string, ch: string) => sep + ch.toUpperCase());

function attribute(table: TableDefinition, column: Column): Json {
  const out: Json = {
    '@odata.type': `#Microsoft.Dynamics.CRM.${METADATA_TYPE[column.type]}`,
    MetadataId: stableGuid(`attribute:${table.logicalName}.${column.logicalName}`),
    LogicalName: column.logicalName,
    SchemaName: schemaName(column.logicalName),
    EntityLogicalName: table.logicalName,
    AttributeType: column.type,
    AttributeTypeName: { Value: `${column.type === 'Uniqueidentifier' ? 'Uniqueidentifier' : column.type}Type` },
    RequiredLevel: { Value: column.required, CanBeChanged: column.required !== 'SystemRequired', ManagedPropertyLogicalName: 'canmodifyrequirementlevelsettings' },
    IsValidForCreate: column.validForCreate,
    IsValidForUpdate: column.validForUpdate,
    IsValidForRead: true,
    IsPrimaryId: column.isPrimaryId ?? false,
    IsPrimaryName: column.isPrimaryName ?? false,
    AttributeOf: null,
  };
  if (column.type === 'String' || column.type === 'Memo') out.MaxLength = column.maxLength ?? null;
  if (column.type === 'Integer' || column.type === 'Money' || column.type === 'Double') {
    out.MinValue = column.minValue ?? null;
    out.MaxValue = column.maxValue ?? null;
  }
  if (column.type === 'Money') out.Precision = 2;
  if (column.type === 'Double') out.Precision = column.precision ?? 2;
  if (column.type === 'DateTime') {
    out.Format = column.dateOnly ? 'DateOnly' : 'DateAndTime';
    out.DateTimeBehavior = { Value: column.dateOnly ? 'DateOnly' : 'UserLocal' };
  }
  if (column.targets) out.Targets = column.targets.map((t) => t.table).filter((t, i, all) => all.indexOf(t) === i);
  return out;
}

function entity(table: TableDefinition): Json {
  return {
    MetadataId: stableGuid(`entity:${table.logicalName}`),
    LogicalName: table.logicalName,
    SchemaName: schemaName(table.logicalName),
    EntitySetName: table.entitySetName,
    PrimaryIdAttribute: table.primaryId,
    PrimaryNameAttribute: table.primaryName,
    ObjectTypeCode: table.objectTypeCode,
    OwnershipType: table.ownershipType,
    IsCustomEntity: false,
  };
}

const unknownMetadataProperty = (property: string, type: string) => new DataverseError(400, '0x0', `Could not find a property named '${property}' on type 'Microsoft.Dynamics.CRM.${type}'.`);

/** Keeps the selected properties (plus MetadataId, which metadata answers always carry); refuses ones the type lacks. */
function selectProperties(item: Json, select: string[] | undefined, allowed: string[], typeName: string): Json {
  if (!select) return item;
  for (const property of select) if (!allowed.includes(property)) throw unknownMetadataProperty(property, typeName);
  const out: Json = {};
  if ('@odata.type' in item) out['@odata.type'] = item['@odata.type'];
  for (const key of Object.keys(item)) if (key === 'MetadataId' || select.includes(key)) out[key] = item[key];
  return out;
}

const list = (text: string | null | undefined) => (text ? text.split(',').map((s) => s.trim()).filter(Boolean) : undefined);

function attributes(table: TableDefinition, cast: string | undefined, selectText: string | undefined, filterText: string | null): Json[] {
  let columns = table.columns;
  let allowed = BASE_PROPERTIES;
  let typeName = 'AttributeMetadata';
  if (cast) {
    const type = /^Microsoft\.Dynamics\.CRM\.(\w+AttributeMetadata)$/.exec(cast)?.[1];
    if (!type || !Object.values(METADATA_TYPE).includes(type)) throw new DataverseError(404, '0x80060888', `Resource not found for the segment '${cast}'.`);
    columns = columns.filter((c) => METADATA_TYPE[c.type] === type);
    typeName = type;
    allowed = [...BASE_PROPERTIES, ...Object.keys(columns[0] ? attribute(table, columns[0]) : {}).filter((k) => k !== '@odata.type')];
  }
  let items = columns.map((c) => attribute(table, c));
  if (filterText) {
    const predicate = compileFilter(filterText, (property) => {
      if (!allowed.includes(property)) throw unknownMetadataProperty(property, typeName);
      return (item) => {
        const value = (item as Json)[property];
        return typeof value === 'object' && value !== null ? ((value as Json).Value as string) : (value as string | number | boolean | null);
      };
    });
    items = items.filter(predicate);
  }
  return items.map((item) => selectProperties(item, list(selectText), allowed, typeName));
}

/** `Attributes($select=LogicalName,AttributeType)` inside `$expand`. */
function expandOption(expand: string | null): { select?: string; filter?: string } | undefined {
  if (!expand) return undefined;
  const match = /^Attributes(?:\((.*)\))?$/.exec(expand.trim());
  if (!match) throw badQuery(`The Dataverse emulator expands only Attributes on EntityDefinitions, not '${expand}'.`);
  const options: { select?: string; filter?: string } = {};
  for (const part of (match[1] ?? '').split(';').filter(Boolean)) {
    const [name, ...rest] = part.split('=');
    if (name === '$select') options.select = rest.join('=');
    else if (name === '$filter') options.filter = rest.join('=');
    else throw badQuery(`The Dataverse emulator does not read ${name} inside $expand.`);
  }
  return options;
}

/** Serves `EntityDefinitions…`; `segments` are the path segments from `EntityDefinitions(...)` on. */
export function entityDefinitions(ctx: OperationContext, segments: string[], op: Operation): Outcome {
  const params = op.url.searchParams;
  const key = /^EntityDefinitions(?:\(LogicalName='([^']*)'\))?$/.exec(segments[0] ?? '');
  if (!key) throw new DataverseError(404, '0x80060888', `Resource not found for the segment '${segments[0]}'.`);
  const entityProperties = Object.keys(entity(TABLES[0] as TableDefinition));
  if (!key[1]) {
    if (segments.length > 1) throw new DataverseError(404, '0x80060888', `Resource not found for the segment '${segments[1]}'.`);
    const value = TABLES.map((t) => selectProperties(entity(t), list(params.get('$select')), entityProperties, 'EntityMetadata'));
    return jsonOutcome(200, { '@odata.context': `${ctx.base}$metadata#EntityDefinitions${params.get('$select') ? `(${params.get('$select')})` : ''}`, value });
  }
  const table = TABLE_BY_NAME.get(key[1]);
  if (!table) throw new DataverseError(404, '0x80040217', `Could not find entity with logical name '${key[1]}'.`);
  const metadataId = entity(table).MetadataId as string;
  if (segments.length === 1) {
    const body: Json = {
      '@odata.context': `${ctx.base}$metadata#EntityDefinitions${params.get('$select') ? `(${params.get('$select')})` : ''}/$entity`,
      ...selectProperties(entity(table), list(params.get('$select')), entityProperties, 'EntityMetadata'),
    };
    const expand = expandOption(params.get('$expand'));
    if (expand) body.Attributes = attributes(table, undefined, expand.select, expand.filter ?? null);
    return jsonOutcome(200, body);
  }
  const attributeKey = /^Attributes(?:\(LogicalName='([^']*)'\))?$/.exec(segments[1] ?? '');
  if (!attributeKey) throw new DataverseError(404, '0x80060888', `Resource not found for the segment '${segments[1]}'.`);
  if (attributeKey[1]) {
    const column = table.byName.get(attributeKey[1]);
    if (!column || segments.length > 2) throw new DataverseError(404, '0x80040217', `Could not find attribute '${attributeKey[1]}' on entity '${table.logicalName}'.`);
    const [item] = attributes(table, undefined, params.get('$select') ?? undefined, null).filter((a) => a.LogicalName === column.logicalName || a.MetadataId === attribute(table, column).MetadataId);
    return jsonOutcome(200, { '@odata.context': `${ctx.base}$metadata#EntityDefinitions('${metadataId}')/Attributes/$entity`, ...item });
  }
  const cast = segments[2];
  const value = attributes(table, cast, params.get('$select') ?? undefined, params.get('$filter'));
  const select = params.get('$select');
  return jsonOutcome(200, { '@odata.context': `${ctx.base}$metadata#EntityDefinitions('${metadataId}')/Attributes${cast ? `/${cast}` : ''}${select ? `(${select})` : ''}`, value });
}
