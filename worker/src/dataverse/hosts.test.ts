import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { dataverseEndpoints } from './hosts';

const refused = (url: string, settings = {}) => {
  try {
    dataverseEndpoints(url, settings);
  } catch (error) {
    return error instanceof AppError ? error.code : 'other';
  }
  return 'accepted';
};

describe('dataverseEndpoints', () => {
  it('accepts the commercial, US Government and China environment hosts with their sign-in hosts', () => {
    expect(dataverseEndpoints('https://contoso.crm.dynamics.com', {})).toEqual({
      environmentUrl: 'https://contoso.crm.dynamics.com',
      address: 'https://contoso.crm.dynamics.com',
      loginOrigin: 'https://login.microsoftonline.com',
      loginAddress: 'https://login.microsoftonline.com',
    });
    for (const region of ['crm2', 'crm4', 'crm9', 'crm11', 'crm21']) {
      expect(dataverseEndpoints(`https://contoso.${region}.dynamics.com/`, {}).loginOrigin).toBe('https://login.microsoftonline.com');
    }
    expect(dataverseEndpoints('https://contoso.crm.microsoftdynamics.us', {}).loginOrigin).toBe('https://login.microsoftonline.us');
    expect(dataverseEndpoints('https://contoso.crm.appsplatform.us', {}).loginOrigin).toBe('https://login.microsoftonline.us');
    expect(dataverseEndpoints('https://contoso.crm.dynamics.cn', {}).loginOrigin).toBe('https://login.chinacloudapi.cn');
  });

  it('refuses anything else outside development', () => {
    expect(refused('http://contoso.crm.dynamics.com')).toBe('dataverse_host_not_allowed');
    expect(refused('https://contoso.crm22.dynamics.com')).toBe('dataverse_host_not_allowed');
    expect(refused('https://crm.dynamics.com.evil.example')).toBe('dataverse_host_not_allowed');
    expect(refused('https://contoso.api.crm.dynamics.com')).toBe('dataverse_host_not_allowed');
    expect(refused('https://127.0.0.1:4457')).toBe('dataverse_host_not_allowed');
    expect(refused('https://contoso.crm.dynamics.com/api/data/v9.2')).toBe('validation_failed');
    expect(refused('not a url')).toBe('validation_failed');
  });

  it('sends a mapped environment and the sign-in to their development addresses, keeping the real identity', () => {
    const settings = { DATAVERSE_DEV_ORIGINS: 'https://acme.crm.dynamics.com=http://127.0.0.1:4457', ENTRA_DEV_ORIGIN: 'http://127.0.0.1:4457' };
    expect(dataverseEndpoints('https://acme.crm.dynamics.com', settings)).toEqual({
      environmentUrl: 'https://acme.crm.dynamics.com',
      address: 'http://127.0.0.1:4457',
      loginOrigin: 'https://login.microsoftonline.com',
      loginAddress: 'http://127.0.0.1:4457',
    });
    expect(refused('https://other.example.com', settings)).toBe('dataverse_host_not_allowed');
  });
});
