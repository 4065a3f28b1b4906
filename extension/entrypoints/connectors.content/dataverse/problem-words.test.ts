import { describe, expect, it } from 'vitest';
import { panelWords } from './problem-words';

describe('Dataverse refusals in the panel’s words', () => {
  it('keeps the fix in view and Entra ID’s own answer apart', () => {
    const words = panelWords({
      code: 'dataverse_secret_invalid',
      message:
        "Entra ID refused the client secret (AADSTS7000215: AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID. Trace ID: 1 (x)). Copy the secret's Value (not its Secret ID) from Certificates & secrets, or create a new one, and save the connection again.",
    });
    expect(words).toEqual({
      head: 'Entra ID refused the client secret.',
      advice: "Copy the secret's Value (not its Secret ID) from Certificates & secrets, or create a new one, and save the connection again.",
      detail: 'AADSTS7000215: AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID. Trace ID: 1 (x)',
    });
  });

  it('turns an API pointer into what to do in the panel', () => {
    const words = panelWords({
      code: 'dataverse_column_missing',
      message: "The contact table in https://acme.crm.dynamics.com has no writable column birthdate. Map those Salesforce fields to columns that exist (the environment's columns: GET /api/dataverse-connections/1/columns/contact), or create the columns in Power Apps first.",
    });
    expect(words.head).toBe('The contact table in https://acme.crm.dynamics.com has no writable column birthdate.');
    expect(words.advice).toBe('Go back to Column mapping and leave those columns unmapped, or create them in Power Apps first.');
    expect(words.detail).toBeNull();
    expect(panelWords({ code: 'dataverse_connection_exists', message: 'Your tenant already has a connection to https://a.crm.dynamics.com. Test or delete that one (GET /api/dataverse-connections) instead of adding another.' }).advice).toBe(
      'Test or delete that one instead of adding another.',
    );
  });
});
