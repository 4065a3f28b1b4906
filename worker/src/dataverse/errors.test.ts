import { describe, expect, it } from 'vitest';
import { entraError, webApiError } from './errors';

describe('Dataverse and Entra ID error bodies', () => {
  it('keeps the Web API error code and message, and a gateway text as it is', () => {
    const error = webApiError(403, '{"error":{"code":"0x80072560","message":"The user is not a member of the organization."}}');
    expect([error.source, error.status, error.code, error.message]).toEqual(['dataverse', 403, '0x80072560', 'The user is not a member of the organization.']);
    expect(webApiError(503, 'Service Unavailable')).toMatchObject({ status: 503, code: '', message: 'Service Unavailable' });
    expect(webApiError(429, '{"error":{"code":"0x80072322","message":"Number of requests exceeded the limit of 6000 over time window of 300 seconds."}}', 12)).toMatchObject({ retryAfterSeconds: 12 });
  });

  it('names the AADSTS code of an Entra ID refusal and drops its trace ids', () => {
    const body = JSON.stringify({
      error: 'invalid_client',
      error_description: "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '00000000-0000-0000-0000-000000000000'. Trace ID: abc Correlation ID: def Timestamp: 2023-01-01 00:00:00Z",
      error_codes: [7000215],
    });
    const error = entraError(401, body);
    expect([error.source, error.status, error.code]).toEqual(['entra', 401, 'AADSTS7000215']);
    expect(error.message).toMatch(/^AADSTS7000215: Invalid client secret provided\./);
    expect(error.message).not.toContain('Trace ID');
    expect(entraError(400, '<html>bad gateway</html>')).toMatchObject({ code: '', message: '<html>bad gateway</html>' });
  });
});
