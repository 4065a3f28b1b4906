/**
 * The sObject resources: global describe (`GET /sobjects`), basic info and describe, create (`POST`, answering
 * `201 {id, success, errors}` as in rest/Account_create_201.snowfakery.json), retrieve (`GET …/{id}[?fields=]`),
 * update (`PATCH` → 204) and delete (`DELETE` → 204). A path segment that is not an id is read, as Salesforce does,
 * as an external id field name (restforce-mit/delete_error_response.json).
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_basic_info.htm
 */
import { Hono } from 'hono';
import type { Emulator } from '../emulator';
import { errors } from '../errors';
import { baseUrl, sfJson, type AppEnv } from '../http';
import { normalizeId } from '../ids';
import { objectAccess, readableFields } from '../org/access';
import { createRecord, deleteRecord, updateRecord } from '../org/dml';
import type { ObjectSchema } from '../org/schema';
import type { JsonObject } from '../recordings';
import { recordJson } from '../soql/records';
import type { Column } from '../soql/resolve';
import { sourceFor } from '../soql/source';
import { describeGlobal, describeObject, rewriteUrls } from './describe';
import { replicationRoutes } from './replication';

function readableObject(emulator: Emulator, type: string, userId: string): ObjectSchema {
  const schema = emulator.org.schemas.get(type);
  if (!schema || !objectAccess(emulator.org, userId, schema.name).read) throw errors.notFound();
  return schema;
}

async function jsonBody(c: { req: { text(): Promise<string> } }): Promise<JsonObject> {
  const text = await c.req.text();
  try {
    const body: unknown = text ? JSON.parse(text) : {};
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('not an object');
    return body as JsonObject;
  } catch {
    throw errors.jsonParser(`Unexpected character ('${text.charAt(0)}' (code ${text.charCodeAt(0)})): expected a valid value at [line:1, column:1]`);
  }
}

/** One record with all (or the requested) fields the user can read. */
export function retrieveRecord(emulator: Emulator, schema: ObjectSchema, id: string, userId: string, version: string, fieldList?: string): JsonObject {
  const org = emulator.org;
  const source = sourceFor(org, schema, userId);
  const table = org.table(schema.name);
  const index = table?.indexOf(id);
  if (!table || index === undefined) throw errors.notFound();
  if (!table.isLive(index)) throw errors.entityIsDeleted();
  const visible = readableFields(org, userId, schema.name);
  const wanted = fieldList?.split(',').map((name) => name.trim()).filter(Boolean);
  const fields = wanted
    ? wanted.map((name) => {
        const field = schema.field(name);
        if (!field || (visible && !visible.has(field.name))) throw errors.noSuchColumnOnWrite(name, schema.name);
        return field;
      })
    : schema.fields.filter((f) => !visible || visible.has(f.name));
  const columns: Column[] = fields.map((field) => ({ steps: [{ field, schema }], leaf: field, read: (i) => source.read(i, field), label: field.name }));
  return recordJson(org, source, columns, index, version);
}

export function sobjectRoutes(emulator: Emulator): Hono<AppEnv> {
  const routes = new Hono<AppEnv>({ strict: false });

  routes.get('/', (c) => sfJson(c, describeGlobal(emulator.org, c.get('session').userId, c.get('version'), baseUrl(c))));

  routes.route('/', replicationRoutes(emulator));

  routes.get('/:type', function basicInfo(c) {
    const schema = readableObject(emulator, c.req.param('type'), c.get('session').userId);
    return sfJson(c, { objectDescribe: rewriteUrls(schema.globalEntry, c.get('version'), baseUrl(c)), recentItems: [] });
  });

  routes.get('/:type/describe', function describe(c) {
    const schema = readableObject(emulator, c.req.param('type'), c.get('session').userId);
    return sfJson(c, describeObject(emulator.org, schema, c.get('session').userId, c.get('version'), baseUrl(c)));
  });

  routes.post('/:type', async function create(c) {
    const userId = c.get('session').userId;
    const id = createRecord({ org: emulator.org, userId }, c.req.param('type'), await jsonBody(c));
    return sfJson(c, { id, success: true, errors: [] }, 201);
  });

  routes.get('/:type/:id', function retrieve(c) {
    const userId = c.get('session').userId;
    const schema = readableObject(emulator, c.req.param('type'), userId);
    const segment = c.req.param('id');
    if (!normalizeId(segment)) throw errors.externalIdNotFound(segment);
    return sfJson(c, retrieveRecord(emulator, schema, segment, userId, c.get('version'), c.req.query('fields')));
  });

  routes.patch('/:type/:id', async function update(c) {
    const segment = c.req.param('id');
    if (!normalizeId(segment)) throw errors.externalIdNotFound(segment);
    updateRecord({ org: emulator.org, userId: c.get('session').userId }, c.req.param('type'), segment, await jsonBody(c));
    return c.body(null, 204);
  });

  routes.delete('/:type/:id', function destroy(c) {
    const segment = c.req.param('id');
    if (!normalizeId(segment)) throw errors.externalIdNotFound(segment);
    deleteRecord({ org: emulator.org, userId: c.get('session').userId }, c.req.param('type'), segment);
    return c.body(null, 204);
  });

  return routes;
}
