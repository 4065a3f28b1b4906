import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { DataverseError } from './errors';
import { explainDataverseError } from './explain';

const facts = { environmentUrl: 'https://acme.crm.dynamics.com', tenantId: 't', clientId: 'c' };

describe('explainDataverseError', () => {
  it('says a connector’s Dataverse connection is untested or gone, each with its own fix, not the catch-all', () => {
    const untested = explainDataverseError(new DataverseError('dataverse', 409, 'dataverse_connection_not_connected', 'not tested'), facts) as AppError;
    expect(untested).toBeInstanceOf(AppError);
    expect([untested.code, untested.status]).toEqual(['dataverse_connection_not_connected', 409]);
    expect(untested.message).toMatch(/\(https:\/\/acme\.crm\.dynamics\.com\) has not passed Test connection.*run Test connection/);
    const gone = explainDataverseError(new DataverseError('dataverse', 404, 'dataverse_connection_not_connected', 'gone'), null) as AppError;
    expect([gone.code, gone.status]).toEqual(['dataverse_connection_not_connected', 409]);
    expect(gone.message).toMatch(/removed from Forcebridge\. Edit the connector and choose another destination/);
    expect(gone.message).not.toMatch(/refused the request/);
  });

  it('still words other refusals with the connection’s facts', () => {
    const refused = explainDataverseError(new DataverseError('dataverse', 400, '0x80044331', 'too long'), facts) as AppError;
    expect([refused.code, refused.message]).toEqual(['dataverse_error', expect.stringContaining('Dataverse refused the request (0x80044331: too long)')]);
  });
});
