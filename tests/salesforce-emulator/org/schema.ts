/**
 * The org's object model: for each sObject, its describe (top-level properties and field entries) and the lookups
 * the rest of the emulator needs (case-insensitive field names, relationship names, compound address parts).
 * Account and Contact use the recorded describes verbatim; setup objects are built in setup-objects.ts.
 */
import { recordedJson, type JsonObject } from '../recordings';
import { describeField, type FieldSpec, type FieldType } from './field-describe';

export type FieldDef = {
  name: string;
  type: FieldType;
  label: string;
  nillable: boolean;
  createable: boolean;
  updateable: boolean;
  defaultedOnCreate: boolean;
  permissionable: boolean;
  custom: boolean;
  length: number;
  referenceTo: string[];
  relationshipName: string | null;
  compoundFieldName: string | null;
  unique: boolean;
  describe: JsonObject;
};

export type ObjectFlags = {
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  undeletable: boolean;
  queryable: boolean;
};

export class ObjectSchema {
  readonly fields: FieldDef[] = [];
  private readonly byLower = new Map<string, FieldDef>();
  private readonly relationships = new Map<string, FieldDef>();

  constructor(
    readonly name: string,
    readonly keyPrefix: string,
    /** Every describe property except `fields`, as served (urls still hold the recorded version/host). */
    readonly describeTop: JsonObject,
    /** This object's entry in the global describe (`GET /sobjects`). */
    readonly globalEntry: JsonObject,
    fieldDescribes: JsonObject[],
  ) {
    for (const describe of fieldDescribes) this.addField(describe);
  }

  get label(): string {
    return String(this.describeTop.label);
  }

  get flags(): ObjectFlags {
    const t = this.describeTop;
    return {
      createable: t.createable === true,
      updateable: t.updateable === true,
      deletable: t.deletable === true,
      undeletable: t.undeletable === true,
      queryable: t.queryable === true,
    };
  }

  field(name: string): FieldDef | undefined {
    return this.byLower.get(name.toLowerCase());
  }

  /** The reference field behind a relationship name (`Account` on Contact, `Profile` on User). */
  relationship(name: string): FieldDef | undefined {
    return this.relationships.get(name.toLowerCase());
  }

  /** The components of a compound field (`MailingAddress` → `MailingStreet`, …), in describe order. */
  components(compound: string): FieldDef[] {
    return this.fields.filter((f) => f.compoundFieldName === compound);
  }

  addField(describe: JsonObject): FieldDef {
    const def: FieldDef = {
      name: String(describe.name),
      type: describe.type as FieldType,
      label: String(describe.label),
      nillable: describe.nillable === true,
      createable: describe.createable === true,
      updateable: describe.updateable === true,
      defaultedOnCreate: describe.defaultedOnCreate === true,
      permissionable: describe.permissionable === true,
      custom: describe.custom === true,
      length: Number(describe.length ?? 0),
      referenceTo: Array.isArray(describe.referenceTo) ? describe.referenceTo.map(String) : [],
      relationshipName: typeof describe.relationshipName === 'string' ? describe.relationshipName : null,
      compoundFieldName: typeof describe.compoundFieldName === 'string' ? describe.compoundFieldName : null,
      unique: describe.unique === true,
      describe,
    };
    const existing = this.byLower.get(def.name.toLowerCase());
    if (existing) this.fields.splice(this.fields.indexOf(existing), 1, def);
    else this.fields.push(def);
    this.byLower.set(def.name.toLowerCase(), def);
    if (def.relationshipName && def.type === 'reference') this.relationships.set(def.relationshipName.toLowerCase(), def);
    return def;
  }
}

/** All objects of one org, looked up case-insensitively as SOQL and the REST paths do. */
export class SchemaRegistry {
  private readonly objects = new Map<string, ObjectSchema>();

  add(schema: ObjectSchema): void {
    this.objects.set(schema.name.toLowerCase(), schema);
  }

  get(name: string): ObjectSchema | undefined {
    return this.objects.get(name.toLowerCase());
  }

  all(): ObjectSchema[] {
    return [...this.objects.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * Adds a custom field (`Foo__c`) at run time; it appears in describe, SOQL and records (null on existing rows).
   * Custom fields are permissionable unless required, as in Setup.
   */
  addCustomField(objectName: string, spec: Omit<FieldSpec, 'custom'>): FieldDef {
    const schema = this.get(objectName);
    if (!schema) throw new Error(`There is no object ${objectName} to add ${spec.name} to.`);
    const name = spec.name.endsWith('__c') ? spec.name : `${spec.name}__c`;
    const required = spec.nillable === false;
    return schema.addField(
      describeField({
        createable: true,
        updateable: true,
        permissionable: !required,
        ...spec,
        name,
        custom: true,
        relationshipName: spec.type === 'reference' ? (spec.relationshipName ?? name.replace(/__c$/, '__r')) : null,
      }),
    );
  }
}

/** A recorded describe (Account, Contact) as an ObjectSchema; the fields are the recorded ones, untouched. */
export function schemaFromRecordedDescribe(path: string): ObjectSchema {
  const recorded = structuredClone(recordedJson<JsonObject>(path));
  const { fields, ...top } = recorded;
  const name = String(top.name);
  const global = recordedGlobalEntry(name);
  if (!global) throw new Error(`describe/global_sobjects.cumulusci.json has no entry for ${name}`);
  return new ObjectSchema(name, String(top.keyPrefix), top, global, fields as JsonObject[]);
}

/** The recorded global-describe entry for an object, when the (trimmed) recording has one. */
export function recordedGlobalEntry(name: string): JsonObject | undefined {
  const global = recordedJson<{ sobjects: JsonObject[] }>('describe/global_sobjects.cumulusci.json');
  const entry = global.sobjects.find((s) => s.name === name);
  return entry ? structuredClone(entry) : undefined;
}
