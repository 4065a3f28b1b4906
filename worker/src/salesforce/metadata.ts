/**
 * Metadata API calls through jsforce's SOAP client, typed for the components Forcebridge uses. jsforce's own types
 * predate External Client Apps, so the type names are plain strings here.
 */
import { Buffer } from 'node:buffer';
import type { Connection } from './api';

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
  read(type: string, fullName: string): Promise<unknown>;
  create(type: string, metadata: object): Promise<unknown>;
  delete(type: string, fullName: string): Promise<unknown>;
};

/** The component, or undefined when the org has none by that name (readMetadata answers with an empty record). */
export async function readMetadata<T extends object>(conn: Connection, type: string, fullName: string): Promise<(T & { fullName: string }) | undefined> {
  const result = (await (conn.metadata as unknown as LooseMetadata).read(type, fullName)) as (T & { fullName?: string }) | undefined;
  return result?.fullName ? (result as T & { fullName: string }) : undefined;
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

/** Starts a deploy of a zip package and returns its id. */
export async function startDeploy(conn: Connection, zip: Uint8Array): Promise<string> {
  const started = await conn.metadata.deploy(Buffer.from(zip).toString('base64'), { singlePackage: true, rollbackOnError: true });
  return started.id;
}

export async function deployStatus(conn: Connection, id: string): Promise<DeployStatus> {
  const result = (await conn.metadata.checkDeployStatus(id, true)) as unknown as {
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
