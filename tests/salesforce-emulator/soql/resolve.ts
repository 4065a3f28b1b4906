/**
 * Turns the field paths of a query (`Email`, `Account.Name`, `Profile.UserLicense.Name`) into readers over the
 * org's rows, checking each step the way Salesforce does: unknown or field-level-hidden fields are "No such column",
 * unknown relationships "Didn't understand relationship", objects the user cannot read are "not supported".
 */
import { objectAccess, readableFields } from '../org/access';
import type { Org } from '../org/org';
import type { FieldDef, ObjectSchema } from '../org/schema';
import { reasons, SoqlError } from './errors';
import type { FieldRef, Query } from './parser';
import type { Source } from './source';

export type Step = { field: FieldDef; schema: ObjectSchema };

/** A resolved path: the reference fields walked (all but the last step) and the field read at the end. */
export type Column = { steps: Step[]; leaf: FieldDef; read: (index: number) => unknown; label: string };

export class Resolver {
  private readonly visible = new Map<string, Set<string> | undefined>();

  constructor(
    private readonly org: Org,
    private readonly userId: string,
    private readonly query: Query,
    readonly source: Source,
  ) {}

  /** The object of a FROM clause or relationship, if the user may read it. */
  static object(org: Org, userId: string, query: Query): ObjectSchema {
    const schema = org.schemas.get(query.object.name);
    if (!schema || !schema.flags.queryable || !objectAccess(org, userId, schema.name).read) {
      const { row, column } = query.object.token;
      throw new SoqlError('INVALID_TYPE', query.soql, row, column, reasons.unknownObject(query.object.name));
    }
    return schema;
  }

  column(ref: FieldRef): Column {
    const steps: Step[] = [];
    let schema = this.source.schema;
    const path = ref.path.length > 1 && ref.path[0]?.toLowerCase() === schema.name.toLowerCase() ? ref.path.slice(1) : ref.path;
    path.forEach((name, k) => {
      const last = k === path.length - 1;
      if (!last) {
        const reference = schema.relationship(name);
        const target = reference?.referenceTo.map((t) => this.org.schemas.get(t)).find((s) => s !== undefined);
        if (!reference || !target || !this.canSee(schema, reference) || !objectAccess(this.org, this.userId, target.name).read) {
          throw this.error('INVALID_FIELD', ref, reasons.unknownRelationship(name));
        }
        steps.push({ field: reference, schema });
        schema = target;
        return;
      }
      const field = schema.field(name);
      if (!field || !this.canSee(schema, field)) throw this.error('INVALID_FIELD', ref, reasons.unknownField(name, schema.name));
      steps.push({ field, schema });
    });
    const leaf = steps[steps.length - 1] as Step;
    return {
      steps,
      leaf: leaf.field,
      read: this.reader(steps),
      label: steps.map((s, i) => (i < steps.length - 1 ? s.field.relationshipName : s.field.name)).join('.'),
    };
  }

  error(code: string, ref: FieldRef, reason: string): SoqlError {
    return new SoqlError(code, this.query.soql, ref.token.row, ref.token.column, reason);
  }

  private canSee(schema: ObjectSchema, field: FieldDef): boolean {
    if (!this.visible.has(schema.name)) this.visible.set(schema.name, readableFields(this.org, this.userId, schema.name));
    const visible = this.visible.get(schema.name);
    return !visible || visible.has(field.name);
  }

  private reader(steps: Step[]): (index: number) => unknown {
    const [first, ...rest] = steps;
    if (!first) return () => null;
    const source = this.source;
    if (rest.length === 0) return (index) => source.read(index, first.field);
    const org = this.org;
    return (index) => {
      let value = source.read(index, first.field);
      for (const step of rest) {
        if (typeof value !== 'string') return null;
        const target = org.locate(value);
        if (!target) return null;
        value = org.read(target.schema, target.index, step.field);
      }
      return value;
    };
  }
}
