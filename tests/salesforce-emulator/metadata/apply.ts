/**
 * The org-side meaning of metadata writes, shared by createMetadata/deleteMetadata and deploy: which changes the
 * org refuses (External Client Apps while the org has not opted in, a new Connected App since Spring '26, an OAuth
 * part naming an app that does not exist, a certificate that does not parse) and what a write does besides storing
 * the component (a consumer key `3MVG9…` and secret for new apps, kept across redeploys; the
 * ExternalClientAppSettings switch; the ConnectedApplication rows).
 * https://help.salesforce.com/s/articleView?id=005228017 (no new Connected Apps since Spring '26)
 */
// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import { X509Certificate } from '@peculiar/x509';
import { randomBytes } from 'node:crypto';
import { hasPermission } from '../org/access';
import { asText, syncApplicationRows } from '../org/apps';
import type { MetadataBody } from '../org/metadata-store';
import type { Org } from '../org/org';
import { ECA_TYPES } from './types';

export type ComponentChange =
  | { kind: 'upsert'; type: string; fullName: string; body: MetadataBody; fileName?: string }
  | { kind: 'delete'; type: string; fullName: string; fileName?: string };

export type ChangeProblem = { problem: string; statusCode: string; problemType: 'Error' | 'Warning' };

/** Texts marked "unverified" were not found in public sources; see README fidelity notes. */
export const problems = {
  /** unverified */
  ecaNotEnabled: () => 'External client apps are not enabled for this org. Turn on External Client Apps in Setup (External Client App Settings), then deploy again.',
  /** unverified; built from the Spring '26 announcement's wording */
  connectedAppCreationDisabled: () => 'Creation of new connected apps is disabled. To enable creation of new connected apps, contact Salesforce Customer Support.',
  /** unverified */
  noSuchApp: (name: string) => `No ExternalClientApplication named ${name} found`,
  /** unverified */
  badCertificate: () => 'The certificate is not a valid PEM-encoded X.509 certificate.',
  /** unverified: the fault reading an External Client App type where the org has none */
  typeNotAvailable: () => 'This type of metadata is not available for this organization',
  /** unverified */
  noEcaPermission: () => 'You do not have the permission to create, edit or delete External Client Apps. Ask an administrator for Customize Application.',
  /** unverified */
  stillReferenced: (app: string, type: string, name: string) => `Cannot delete ExternalClientApplication ${app}: it is referenced by ${type} ${name}. Delete that component in the same package.`,
  /** The wording of deleteMetadata/destructiveChanges for a missing component. */
  notFound: (type: string, name: string) => `No ${type} named: ${name} found`,
};

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._';

/** A consumer key shaped like Salesforce's: `3MVG9` and 80 more characters of letters, digits, `.` and `_`. */
export function consumerKey(): string {
  let key = '3MVG9';
  for (const byte of randomBytes(80)) key += KEY_ALPHABET[byte % KEY_ALPHABET.length];
  return key;
}

function consumerSecret(): string {
  return randomBytes(32).toString('hex').toUpperCase();
}

function isEcaType(type: string): boolean {
  return ECA_TYPES.includes(type);
}

function certificateOk(certificate: string | undefined): boolean {
  if (!certificate) return true;
  try {
    new X509Certificate(certificate.includes('BEGIN CERTIFICATE') ? certificate : Buffer.from(certificate.replace(/\s+/g, ''), 'base64'));
    return true;
  } catch {
    return false;
  }
}

/** Why the org refuses a change, or undefined. `pending` are the other changes of the same deploy; `userId` who makes it. */
export function validateChange(org: Org, change: ComponentChange, pending: ComponentChange[] = [], userId?: string): ChangeProblem | undefined {
  const error = (problem: string, statusCode = 'FIELD_INTEGRITY_EXCEPTION'): ChangeProblem => ({ problem, statusCode, problemType: 'Error' });
  const exists = org.metadata.get(change.type, change.fullName) !== undefined;
  if (change.kind === 'delete') {
    if (!exists) return { problem: problems.notFound(change.type, change.fullName), statusCode: 'INVALID_CROSS_REFERENCE_KEY', problemType: 'Warning' };
    if (change.type === 'ExternalClientApplication') {
      const left = ECA_TYPES.flatMap((type) => org.metadata.list(type).filter((c) => asText(c.body.externalClientApplication)?.toLowerCase() === change.fullName.toLowerCase()))
        .find((c) => !pending.some((p) => p.kind === 'delete' && p.type === c.type && p.fullName.toLowerCase() === c.fullName.toLowerCase()));
      if (left) return error(problems.stillReferenced(change.fullName, left.type, left.fullName), 'DEPENDENCY_EXISTS');
    }
    return undefined;
  }
  if (isEcaType(change.type) && !ecaEnabled(org, pending)) return error(problems.ecaNotEnabled(), 'INSUFFICIENT_ACCESS');
  // "Special Access Rules" of the ECA types: an admin role configures them (Customize Application here).
  if (isEcaType(change.type) && userId && org.switches.permissionGates && !hasPermission(org, userId, 'PermissionsCustomizeApplication')) return error(problems.noEcaPermission(), 'INSUFFICIENT_ACCESS');
  if (change.type === 'ConnectedApp' && !exists && !org.switches.connectedAppCreationAllowed) return error(problems.connectedAppCreationDisabled(), 'INSUFFICIENT_ACCESS');
  if (isEcaType(change.type) && change.type !== 'ExternalClientApplication') {
    const app = asText(change.body.externalClientApplication) ?? '';
    const appPending = pending.some((p) => p.kind === 'upsert' && p.type === 'ExternalClientApplication' && p.fullName.toLowerCase() === app.toLowerCase());
    if (!appPending && !org.metadata.get('ExternalClientApplication', app)) return error(problems.noSuchApp(app), 'INVALID_CROSS_REFERENCE_KEY');
  }
  const certificate = change.type === 'ConnectedApp' ? asText((change.body.oauthConfig as MetadataBody | undefined)?.certificate) : asText(change.body.certificate);
  if (!certificateOk(certificate)) return error(problems.badCertificate());
  return undefined;
}

function ecaEnabled(org: Org, pending: ComponentChange[]): boolean {
  const settings = pending.find((p) => p.kind === 'upsert' && p.type === 'ExternalClientAppSettings');
  if (settings?.kind === 'upsert' && settings.body.enableExternalClientApps !== undefined) return String(settings.body.enableExternalClientApps) === 'true';
  return org.switches.externalClientAppsEnabled;
}

/** Writes a change the org accepted; returns the component's id and whether it was new. */
export function applyChange(org: Org, change: ComponentChange): { id: string; created: boolean } {
  const now = org.clock.now();
  if (change.kind === 'delete') {
    const removed = org.metadata.delete(change.type, change.fullName);
    syncApplicationRows(org);
    return { id: removed?.id ?? '', created: false };
  }
  const existing = org.metadata.get(change.type, change.fullName);
  const body: MetadataBody = { ...change.body };
  if (change.type === 'ExtlClntAppGlobalOauthSettings') {
    body.consumerKey = asText(body.consumerKey) ?? asText(existing?.body.consumerKey) ?? consumerKey();
    body.consumerSecret = asText(existing?.body.consumerSecret) ?? consumerSecret();
  }
  if (change.type === 'ConnectedApp') {
    const oauth = { ...((body.oauthConfig as MetadataBody | undefined) ?? {}) };
    const before = (existing?.body.oauthConfig as MetadataBody | undefined) ?? {};
    if (body.oauthConfig !== undefined) {
      oauth.consumerKey = asText(oauth.consumerKey) ?? asText(before.consumerKey) ?? consumerKey();
      oauth.consumerSecret = asText(oauth.consumerSecret) ?? asText(before.consumerSecret) ?? consumerSecret();
      body.oauthConfig = oauth;
    }
  }
  if (change.type === 'ExternalClientAppSettings' && body.enableExternalClientApps !== undefined) {
    org.switches.externalClientAppsEnabled = String(body.enableExternalClientApps) === 'true';
  }
  const { component, created } = org.metadata.put(change.type, change.fullName, body, now);
  if (created && change.type === 'ExternalClientApplication' && org.switches.generatedPolicies) generatePolicies(org, change.fullName, now);
  syncApplicationRows(org);
  return { id: component.id, created };
}

/**
 * The OAuth policy component Salesforce creates with a new External Client App, `<App>_oauth_defaultPolicy` (the name
 * CumulusCI's ECA policy task and other public tools work with); it exists before any deployed policy and governs
 * the app, so a deploy that brings its own policy under another name changes nothing until that one is updated.
 */
function generatePolicies(org: Org, app: string, now: number): void {
  const fullName = `${app}_oauth_defaultPolicy`;
  if (org.metadata.get('ExtlClntAppOauthConfigurablePolicies', fullName)) return;
  org.metadata.put('ExtlClntAppOauthConfigurablePolicies', fullName, { externalClientApplication: app, label: fullName, permittedUsersPolicyType: 'AllSelfAuthorized', ipRelaxationPolicyType: 'Enforce' }, now);
}

/** A stored component as readMetadata shows it (OAuth secrets hidden unless the org lets Metadata API read them). */
export function readableBody(org: Org, type: string, body: MetadataBody): MetadataBody {
  if (type === 'ExtlClntAppGlobalOauthSettings' && !org.switches.oauthSecretsViaMetadata) {
    const { consumerKey: _key, consumerSecret: _secret, ...rest } = body;
    return rest;
  }
  return body;
}
