/**
 * Metadata API calls, typed for the components Forcebridge uses. Deploys and their status go over REST
 * (`/metadata/deployRequest`), which takes any access token the REST API takes, JWT-format tokens included.
 * readMetadata, listMetadata, createMetadata and deleteMetadata have no REST equivalent, so they stay on jsforce's
 * SOAP client. jsforce's own types predate External Client Apps, so the type names are plain strings here.
 * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_rest_deploy.htm
 */
import { API_VERSION, type Connection } from './api';
import { SalesforceError } from './errors';

export interface DeployFailure {
  fullName?: string;
  componentType?: string;
  problem?: string;
}

export interface DeployStatus {
  id: string;
  done: boolean;
  success: boolean;
  status: string;
  problems: string[];
}

const isTrue = (value: unknown) => value === true || value === 'true';
const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

type LooseMetadata = {
  read(type: string, fullName: string | string[]): Promise<unknown>;
  list(queries: { type: string }[], version?: string): Promise<unknown>;
  create(type: string, metadata: object): Promise<unknown>;
  delete(type: string, fullName: string): Promise<unknown>;
};

/** The component, or undefined when the org has none by that name (readMetadata answers with an empty record). */
export async function readMetadata<T extends object>(conn: Connection, type: string, fullName: string): Promise<(T & { fullName: string }) | undefined> {
  const result = (await (conn.metadata as unknown as LooseMetadata).read(type, fullName)) as (T & { fullName?: string }) | undefined;
  return result?.fullName ? (result as T & { fullName: string }) : undefined;
}

/** Several components of one type at once (up to 10 a call); those the org has none of are left out. */
export async function readMetadataMany<T extends object>(conn: Connection, type: string, fullNames: string[]): Promise<(T & { fullName: string })[]> {
  const found: (T & { fullName: string })[] = [];
  for (let i = 0; i < fullNames.length; i += 10) {
    const result = await (conn.metadata as unknown as LooseMetadata).read(type, fullNames.slice(i, i + 10));
    for (const item of asArray(result as (T & { fullName?: string }) | (T & { fullName?: string })[])) if (item?.fullName) found.push(item as T & { fullName: string });
  }
  return found;
}

/** The full names of the org's components of these types (up to three types a call). */
export async function listMetadata(conn: Connection, types: string[]): Promise<{ type: string; fullName: string }[]> {
  const found: { type: string; fullName: string }[] = [];
  for (let i = 0; i < types.length; i += 3) {
    const result = await (conn.metadata as unknown as LooseMetadata).list(types.slice(i, i + 3).map((type) => ({ type })), API_VERSION);
    for (const item of asArray(result as { type: string; fullName: string } | { type: string; fullName: string }[])) if (item?.fullName) found.push({ type: item.type, fullName: item.fullName });
  }
  return found;
}

export interface SaveOutcome {
  success: boolean;
  errors: { message: string; statusCode?: string }[];
}

async function save(call: Promise<unknown>): Promise<SaveOutcome> {
  const result = (await call) as { success?: unknown; errors?: { message: string; statusCode?: string } | { message: string; statusCode?: string }[] };
  return { success: isTrue(result.success), errors: asArray(result.errors) };
}

export const createMetadata = (conn: Connection, type: string, metadata: object) => save((conn.metadata as unknown as LooseMetadata).create(type, metadata));
export const deleteMetadata = (conn: Connection, type: string, fullName: string) => save((conn.metadata as unknown as LooseMetadata).delete(type, fullName));

/**
 * Starts a deploy of a zip package over REST and returns its id: a multipart body with the deploy options as a JSON
 * part and the zip as a file part. Sent with fetch, because jsforce's deployRest builds the body with Node's
 * form-data, which workerd lacks.
 */
export async function startDeploy(conn: Connection, zip: Uint8Array): Promise<string> {
  const form = new FormData();
  form.append('json', new Blob([JSON.stringify({ deployOptions: { singlePackage: true, rollbackOnError: true } })], { type: 'application/json' }));
  form.append('file', new Blob([new Uint8Array(zip)], { type: 'application/zip' }), 'deploy.zip');
  const response = await fetch(`${conn.instanceUrl}/services/data/v${API_VERSION}/metadata/deployRequest`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${conn.accessToken}`, Accept: 'application/json' },
    body: form,
  });
  const body = (await response.json().catch(() => undefined)) as { id?: string } | { errorCode?: string; message?: string }[] | undefined;
  if (!response.ok || !body || Array.isArray(body) || !body.id) {
    const error = Array.isArray(body) ? body[0] : undefined;
    throw new SalesforceError(error?.errorCode ?? `HTTP_${response.status}`, error?.message ?? `Salesforce answered the deploy request with HTTP ${response.status}.`, response.status);
  }
  return body.id;
}

export async function deployStatus(conn: Connection, id: string): Promise<DeployStatus> {
  const result = (await conn.metadata.checkDeployStatus(id, true, true)) as unknown as {
    id: string;
    done: unknown;
    success: unknown;
    status: string;
    errorMessage?: string;
    details?: { componentFailures?: DeployFailure | DeployFailure[] };
  };
  const problems = asArray(result.details?.componentFailures).map((f) => `${[f.componentType, f.fullName].filter(Boolean).join(' ')}: ${f.problem ?? 'failed'}`);
  if (problems.length === 0 && result.errorMessage) problems.push(result.errorMessage);
  return { id: result.id, done: isTrue(result.done), success: isTrue(result.success), status: result.status, problems };
}
