/**
 * jsforce connections to an org. `jsforce/core` plus the API modules we use, imported for their side effects;
 * never `@jsforce/jsforce-node` or `jsforce/lib/*`, which pull in undici and fail in workerd.
 */
import { Connection } from 'jsforce/core';
import 'jsforce/api/metadata';
import type { SalesforceOrigin } from './origins';

/** The REST/Metadata API version Forcebridge speaks (Winter '25); External Client Apps need 59.0+. */
export const API_VERSION = '62.0';

/**
 * A connection acting with the admin's own session, for the one operation the admin started. The session is
 * held only by this object, which lives as long as the request.
 */
export function adminConnection(org: SalesforceOrigin, sessionId: string): Connection {
  return new Connection({ instanceUrl: org.address, accessToken: sessionId, version: API_VERSION });
}

/**
 * A connection as the integration user. `refresh` obtains a fresh access token (JWT bearer); jsforce calls it
 * when Salesforce answers INVALID_SESSION_ID and retries the request once.
 */
export function integrationConnection(org: SalesforceOrigin, accessToken: string | undefined, refresh: () => Promise<string>): Connection {
  return new Connection({
    instanceUrl: org.address,
    accessToken,
    version: API_VERSION,
    refreshFn: (_conn, callback) => {
      refresh().then(
        (token) => callback(null, token),
        (error: Error) => callback(error),
      );
    },
  });
}

/** One query subrequest of a Composite call (GET a query page, or the page a previous subrequest points at). */
export interface CompositeSubrequest {
  method: 'GET';
  url: string;
  referenceId: string;
}

export type { Connection };
