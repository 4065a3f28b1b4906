/**
 * Standard profile, user licence and permission-set licence names as the API caller sees them. Salesforce returns
 * the names of standard profiles and licences translated into the caller's language (a French admin reads
 * "Administrateur système"), and orgs created before the integration licence was renamed still call its profile
 * "Salesforce API Only System Integrations" (seen in profile lists retrieved from real orgs in public repositories).
 * Ids, `LicenseDefinitionKey` and `DeveloperName` never change: code that finds these rows by them works in every
 * org, code that finds them by display name does not. The translations are Forcebridge's own renderings in the
 * style Salesforce uses; the exact strings of each language are not published (README fidelity notes).
 */
import type { Org, OrgLanguage } from './org';

type Names = { profiles: Record<string, string>; licenses: Record<string, string>; integrationPsl: string };

export const ENGLISH: Names = {
  profiles: { admin: 'System Administrator', standard: 'Standard User', minimum: 'Minimum Access - Salesforce', integration: 'Minimum Access - API Only Integrations' },
  licenses: { salesforce: 'Salesforce', platform: 'Salesforce Platform', integration: 'Salesforce Integration' },
  integrationPsl: 'Salesforce API Integration',
};

const TRANSLATED: Record<OrgLanguage, Names> = {
  en_US: ENGLISH,
  fr: {
    profiles: { admin: 'Administrateur système', standard: 'Utilisateur standard', minimum: 'Accès minimum - Salesforce', integration: 'Accès minimum - Intégrations API uniquement' },
    licenses: { salesforce: 'Salesforce', platform: 'Salesforce Platform', integration: 'Intégration Salesforce' },
    integrationPsl: 'Intégration API Salesforce',
  },
  de: {
    profiles: { admin: 'Systemadministrator', standard: 'Standardbenutzer', minimum: 'Minimaler Zugriff - Salesforce', integration: 'Minimaler Zugriff - Nur API-Integrationen' },
    licenses: { salesforce: 'Salesforce', platform: 'Salesforce Platform', integration: 'Salesforce-Integration' },
    integrationPsl: 'Salesforce API-Integration',
  },
};

export const LEGACY_INTEGRATION_PROFILE = 'Salesforce API Only System Integrations';

export function standardNames(org: Org): Names {
  const names = TRANSLATED[org.switches.language];
  if (!org.switches.legacyIntegrationProfileName) return names;
  return { ...names, profiles: { ...names.profiles, integration: LEGACY_INTEGRATION_PROFILE } };
}

/** Renames the standard rows for the current language and profile-name switches. */
export function applyStandardNames(org: Org): void {
  const names = standardNames(org);
  const rename = (object: string, id: string | undefined, values: Record<string, string>) => {
    const row = id ? org.locate(id) : undefined;
    if (row) org.table(object)?.update(row.index, values, org.writeTime());
  };
  for (const [key, id] of Object.entries(org.standardRows.profiles)) rename('Profile', id, { Name: names.profiles[key] ?? '' });
  for (const [key, id] of Object.entries(org.standardRows.licenses)) rename('UserLicense', id, { Name: names.licenses[key] ?? '', MasterLabel: names.licenses[key] ?? '' });
  rename('PermissionSetLicense', org.standardRows.integrationPsl, { MasterLabel: names.integrationPsl });
}

/** A standard row's id by its English name (what tests and options use) or its current name. */
export function standardProfileId(org: Org, name: string): string | undefined {
  const lower = name.toLowerCase();
  const key = Object.entries(ENGLISH.profiles).find(([, english]) => english.toLowerCase() === lower)?.[0];
  return (key && org.standardRows.profiles[key]) || org.findIds('Profile', { Name: name })[0];
}

export function standardLicenseIds(org: Org, name: string): string[] {
  const lower = name.toLowerCase();
  const key = Object.entries(ENGLISH.licenses).find(([, english]) => english.toLowerCase() === lower)?.[0];
  const id = key && org.standardRows.licenses[key];
  return id ? [id] : org.findIds('UserLicense', { Name: name });
}
