/**
 * The control API for tests, in process: everything a test needs to set an org up, move it, break it and look
 * inside it, without going through Salesforce's own APIs. Record writes run through the same rules as REST, as the
 * admin. The HTTP control API (routes.ts) calls these same methods.
 */
import type { Emulator, EmulatorOptions } from '../emulator';
import { ObservedControl } from '../../emulator-kit/observed-control';
import { clientApps, syncApplicationRows } from '../org/apps';
import { createRecord, deleteRecord, schemaOrNotFound, updateRecord } from '../org/dml';
import type { FieldSpec } from '../org/field-describe';
import type { OrgSwitches } from '../org/org';
import { PROFILES } from '../org/setup-data';
import { applyStandardNames, standardLicenseIds, standardProfileId } from '../org/standard-names';
import { firstPage, nextPage } from '../rest/query';
import { retrieveRecord } from '../rest/sobjects';
import { seedData, type SeedOptions } from '../seed';
import { inspectOrg } from './inspect';

export type NewUser = {
  username: string;
  lastName?: string;
  firstName?: string;
  email?: string;
  /** Profile name; default "Standard User" (not an admin). */
  profile?: string;
  /** Names of permission sets to assign. */
  permissionSets?: string[];
  isActive?: boolean;
  /** Switch the user's "API Enabled" off: their sessions then answer API_DISABLED_FOR_ORG. Default true. */
  apiEnabled?: boolean;
};

const API_VERSION = '62.0';

export class EmulatorControl extends ObservedControl<Record<string, number>> {
  constructor(private readonly emulator: Emulator) {
    super(emulator);
  }

  /** The org model itself, for what the control API does not cover. */
  get org() {
    return this.emulator.org;
  }

  reset(options: Partial<EmulatorOptions> = {}): void {
    this.emulator.reset(options);
  }

  /** Replaces all Accounts and Contacts with deterministic seeded ones. */
  seed(options: SeedOptions): { accounts: number; contacts: number } {
    const org = this.emulator.org;
    org.resetTable('Account');
    org.resetTable('Contact');
    return seedData(org, options);
  }

  createRecord(type: string, values: Record<string, unknown>): string {
    return createRecord(this.adminContext(), type, values);
  }

  updateRecord(type: string, id: string, values: Record<string, unknown>): void {
    updateRecord(this.adminContext(), type, id, values);
  }

  /** Deletes as REST does (Accounts and Contacts go to the recycle bin). */
  deleteRecord(type: string, id: string): void {
    deleteRecord(this.adminContext(), type, id);
  }

  undeleteRecord(type: string, id: string): void {
    const { table, index } = this.row(type, id);
    table.undelete(index, this.emulator.org.writeTime());
  }

  /** Empties a record from the recycle bin (or deletes a live one outright): gone from queryAll. */
  purgeRecord(type: string, id: string): void {
    const { table, index } = this.row(type, id);
    if (table.isLive(index)) table.softDelete(index, this.emulator.org.writeTime());
    table.purge(index);
  }

  getRecord(type: string, id: string): Record<string, unknown> {
    const org = this.emulator.org;
    return retrieveRecord(this.emulator, schemaOrNotFound(org, type), id, org.adminUserId, API_VERSION);
  }

  count(type: string, options: { includeDeleted?: boolean } = {}): number {
    const table = this.emulator.org.table(schemaOrNotFound(this.emulator.org, type).name);
    let n = 0;
    for (const _ of table?.indices(options.includeDeleted ?? false) ?? []) n++;
    return n;
  }

  /** All records of a SOQL query (every page), as the admin or as another user. */
  query(soql: string, options: { asUsername?: string; includeDeleted?: boolean } = {}): Record<string, unknown>[] {
    const userId = options.asUsername ? this.userId(options.asUsername) : this.emulator.org.adminUserId;
    let page = firstPage(this.emulator, userId, soql, { includeDeleted: options.includeDeleted ?? false, version: API_VERSION, batchSize: 2000 });
    const records = [...page.records];
    while (page.nextRecordsUrl) {
      page = nextPage(this.emulator, page.nextRecordsUrl.split('/').pop() ?? '', API_VERSION);
      records.push(...page.records);
    }
    return records as Record<string, unknown>[];
  }

  addCustomField(object: string, spec: Omit<FieldSpec, 'custom'>): string {
    return this.emulator.org.schemas.addCustomField(object, spec).name;
  }

  /** TotalLicenses by UserLicense name or PermissionSetLicense DeveloperName/label. */
  setLicenses(totals: Record<string, number>): void {
    const org = this.emulator.org;
    for (const [name, total] of Object.entries(totals)) {
      const user = standardLicenseIds(org, name).map((id) => org.locate(id)!.index);
      const psl = [...org.find('PermissionSetLicense', { DeveloperName: name }), ...org.find('PermissionSetLicense', { MasterLabel: name })];
      if (user.length === 0 && psl.length === 0) throw new Error(`There is no licence named "${name}". Use a UserLicense Name or a PermissionSetLicense DeveloperName.`);
      for (const index of user) org.table('UserLicense')?.update(index, { TotalLicenses: total }, org.writeTime());
      for (const index of psl) org.table('PermissionSetLicense')?.update(index, { TotalLicenses: total }, org.writeTime());
    }
  }

  setApiUsage(usage: { max?: number; used?: number }): { used: number; max: number } {
    const limits = this.emulator.org.limits;
    if (usage.max !== undefined) limits.max = usage.max;
    if (usage.used !== undefined) limits.used = usage.used;
    return this.apiUsage();
  }

  apiUsage(): { used: number; max: number } {
    const { used, max } = this.emulator.org.limits;
    return { used, max };
  }

  /** Ends sessions (all, or those of a token / user), which then answer INVALID_SESSION_ID. Returns how many. */
  expireSessions(filter: { token?: string; userId?: string; username?: string } = {}): number {
    const userId = filter.username ? this.userId(filter.username) : filter.userId;
    return this.emulator.org.sessions.expire({ token: filter.token, userId });
  }

  /** Sessions idle longer than this end by themselves (undefined: never). */
  setSessionTimeout(minutes: number | undefined): void {
    this.emulator.org.sessions.timeoutMs = minutes === undefined ? undefined : minutes * 60_000;
  }

  get clock() {
    return this.emulator.org.clock;
  }

  switches(): OrgSwitches {
    return structuredClone(this.emulator.org.switches);
  }

  setSwitches(changes: Partial<OrgSwitches>): OrgSwitches {
    const org = this.emulator.org;
    Object.assign(org.switches, changes);
    if (changes.language !== undefined || changes.legacyIntegrationProfileName !== undefined) applyStandardNames(org);
    if (changes.ecasHiddenFromConnectedApplication !== undefined) syncApplicationRows(org);
    return this.switches();
  }

  /** Creates a user (by default a non-admin Standard User) and returns it with an access token. */
  createUser(spec: NewUser): { id: string; username: string; accessToken: string } {
    const org = this.emulator.org;
    const profileId = standardProfileId(org, spec.profile ?? PROFILES.standard);
    if (!profileId) throw new Error(`There is no profile named "${spec.profile}".`);
    const username = spec.username.toLowerCase();
    const id = this.createRecord('User', {
      Username: username,
      LastName: spec.lastName ?? username.split('@')[0],
      FirstName: spec.firstName,
      Email: spec.email ?? username,
      Alias: username.replace(/[^a-z0-9]/g, '').slice(0, 8) || 'user',
      TimeZoneSidKey: 'America/Los_Angeles',
      LocaleSidKey: 'en_US',
      EmailEncodingKey: 'UTF-8',
      LanguageLocaleKey: 'en_US',
      ProfileId: profileId,
      IsActive: spec.isActive ?? true,
    });
    for (const name of spec.permissionSets ?? []) {
      const setId = org.findIds('PermissionSet', { Name: name })[0];
      if (!setId) throw new Error(`There is no permission set named "${name}".`);
      this.createRecord('PermissionSetAssignment', { AssigneeId: id, PermissionSetId: setId });
    }
    if (spec.apiEnabled === false) org.apiDisabledUsers.add(id);
    return { id, username, accessToken: this.accessTokenFor(username) };
  }

  /** Turns a user's "API Enabled" off or back on (back on: as their profile and permission sets grant). */
  setApiEnabled(username: string, enabled: boolean): void {
    const userId = this.userId(username);
    if (enabled) this.emulator.org.apiDisabledUsers.delete(userId);
    else this.emulator.org.apiDisabledUsers.add(userId);
  }

  /** A fresh session for a user, as if they had logged in (inactive users cannot). */
  accessTokenFor(username: string): string {
    const org = this.emulator.org;
    const userId = this.userId(username);
    const user = org.locate(userId);
    if (!user || org.value('User', user.index, 'IsActive') !== true) throw new Error(`User ${username} is inactive and cannot log in.`);
    return org.sessions.issue(userId, org.clock.now()).token;
  }

  /** Users, profiles, licences, permission sets with their permissions and assignments, and client apps. */
  inspect() {
    return inspectOrg(this.emulator.org);
  }

  apps() {
    return clientApps(this.emulator.org);
  }

  /** The consumer key of a client app (External Client App or Connected App) by API name or label. */
  consumerKey(appName: string): string | undefined {
    const lower = appName.toLowerCase();
    return this.apps().find((app) => app.name.toLowerCase() === lower || app.label.toLowerCase() === lower)?.consumerKey;
  }

  /** How many status checks deploys and Bulk 2.0 jobs answer "in progress" before finishing (default 1 each). */
  setSteps(steps: { deploy?: number; bulkJob?: number }): void {
    Object.assign(this.emulator.steps, steps);
  }

  private adminContext() {
    return { org: this.emulator.org, userId: this.emulator.org.adminUserId };
  }

  private userId(username: string): string {
    const org = this.emulator.org;
    const id = org.findIds('User', { Username: username.toLowerCase() })[0];
    if (!id) throw new Error(`There is no user ${username}.`);
    return id;
  }

  private row(type: string, id: string) {
    const org = this.emulator.org;
    const table = org.table(schemaOrNotFound(org, type).name);
    const index = table?.indexOf(id);
    if (!table || index === undefined) throw new Error(`There is no ${type} ${id}.`);
    return { table, index };
  }
}
