/**
 * One Web API operation, independent of how it arrived (a request of its own, or a part of a `$batch`): the method,
 * the absolute URL, lower-cased headers and the body text in; a status, headers and an optional body out. Keeping
 * operations synchronous lets a change set run as one unit.
 */
import type { Environment } from './environment';

export type Operation = { method: string; url: URL; headers: Map<string, string>; body: string };
export type Outcome = { status: number; headers: [string, string][]; body?: string };

export type OperationContext = {
  env: Environment;
  /** The systemuser the caller signs in as. */
  callerId: string;
  /** `http://127.0.0.1:4457/api/data/v9.2/`: where the client reached the Web API, for ids and links. */
  base: string;
  /** Inside a `$batch` change set: `$1` → the URL of the row part 1 created or changed. */
  contentIds?: Map<string, string>;
};

export const ODATA_JSON = 'application/json; odata.metadata=minimal';

export function jsonOutcome(status: number, body: unknown, headers: [string, string][] = []): Outcome {
  return { status, headers: [['Content-Type', ODATA_JSON], ['OData-Version', '4.0'], ...headers], body: JSON.stringify(body) };
}

export function emptyOutcome(status: number, headers: [string, string][] = []): Outcome {
  return { status, headers: [['OData-Version', '4.0'], ...headers] };
}
