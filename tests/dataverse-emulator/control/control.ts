/**
 * The in-process control API: what tests, the benchmark and `npm start` use to shape and read the emulated
 * environment without going through Dataverse's rules — reset, seed rows, teams, users and privileges, app
 * registrations (secrets, certificates), rows as stored, switches, service-protection limits, the clock, call
 * counts and faults. The HTTP control API (routes.ts) calls the same methods.
 */
import type { DataverseEmulator, Switches } from '../emulator';
import { certificateFromPem, newClientSecret } from '../entra/directory';
import { ObservedControl } from '../../emulator-kit/observed-control';
import { stableGuid } from '../ids';
import { seedRows, type SeedOptions } from '../seed';
import type { NewTeam } from '../webapi/environment';
import { TABLE_BY_NAME } from '../webapi/schema';
import type { Row } from '../webapi/store';
import type { ServiceProtectionLimits } from '../webapi/throttle';

export type StoredRow = { id: string; etag: string; values: Record<string, unknown> };
export type NewApp = { clientId?: string; displayName?: string; secret?: string; secretExpiresAt?: string; applicationUser?: boolean; privileges?: string[] };

const stored = (row: Row): StoredRow => ({ id: row.id, etag: `W/"${row.version}"`, values: structuredClone(row.values) });

export class DataverseControl extends ObservedControl<ReturnType<DataverseEmulator['metrics']['snapshot']>> {
  constructor(private readonly emulator: DataverseEmulator) {
    super(emulator);
  }

  private get env() {
    return this.emulator.environment;
  }

  private table(name: string) {
    const table = TABLE_BY_NAME.get(name);
    if (!table) throw new Error(`No table "${name}": use one of ${[...TABLE_BY_NAME.keys()].join(', ')}.`);
    return table.logicalName;
  }

  /** `application` stands for the default app's application user. */
  private principal(id: string): string {
    const resolved = id === 'application' ? this.emulator.applicationUserId : id.toLowerCase();
    if (!this.env.store.get('systemuser', resolved) && !this.env.store.get('team', resolved)) throw new Error(`No systemuser or team with id ${id}.`);
    return resolved;
  }

  reset(): void {
    this.emulator.reset();
  }

  /** Replaces contacts and accounts with generated ones owned by the Sales team. */
  seed(options: SeedOptions): { accounts: number; contacts: number } {
    this.env.store.rows('contact').clear();
    this.env.store.rows('account').clear();
    seedRows(this.env, options, stableGuid('team:sales'));
    return { accounts: this.env.store.count('account'), contacts: this.env.store.count('contact') };
  }

  teams(): StoredRow[] {
    return [...this.env.store.rows('team').values()].map(stored);
  }

  addTeam(team: NewTeam): string {
    return this.env.addTeam(team);
  }

  deleteTeam(id: string): boolean {
    return this.env.store.delete('team', id);
  }

  addUser(user: { fullname: string; applicationId?: string; privileges?: string[] }): string {
    return this.env.addUser(user);
  }

  /** Removes an app's application user: its tokens then get 403 0x80072560. */
  removeApplicationUser(clientId: string): boolean {
    const id = this.env.applicationUser(clientId);
    return id ? this.env.store.delete('systemuser', id) : false;
  }

  privileges(principalId: string): string[] {
    return this.env.privileges.of(this.principal(principalId));
  }

  setPrivileges(principalId: string, privileges: string[]): string[] {
    const id = this.principal(principalId);
    this.env.privileges.set(id, privileges);
    return this.env.privileges.of(id);
  }

  grant(principalId: string, privileges: string[]): string[] {
    const id = this.principal(principalId);
    this.env.privileges.grant(id, privileges);
    return this.env.privileges.of(id);
  }

  revoke(principalId: string, privileges: string[]): string[] {
    const id = this.principal(principalId);
    this.env.privileges.revoke(id, privileges);
    return this.env.privileges.of(id);
  }

  /** Another app registration (with an application user unless told otherwise); returns its client id and secret. */
  registerApp(app: NewApp = {}): { clientId: string; secret: string; applicationUserId?: string } {
    const registration = this.emulator.directory.register(app);
    const secret = app.secret ?? newClientSecret();
    registration.secrets.push({ value: secret, expiresAt: app.secretExpiresAt ? Date.parse(app.secretExpiresAt) : undefined });
    const applicationUserId = app.applicationUser === false ? undefined : this.env.addUser({ fullname: `# ${registration.displayName}`, applicationId: registration.clientId, privileges: app.privileges });
    return { clientId: registration.clientId, secret, applicationUserId };
  }

  addSecret(clientId: string, secret: { value?: string; expiresAt?: string } = {}): string {
    const app = this.app(clientId);
    const value = secret.value ?? newClientSecret();
    app.secrets.push({ value, expiresAt: secret.expiresAt ? Date.parse(secret.expiresAt) : undefined });
    return value;
  }

  /** Ends every secret of the app now (Entra then answers AADSTS7000222). */
  expireSecrets(clientId: string): void {
    const now = this.emulator.clock.now();
    for (const secret of this.app(clientId).secrets) secret.expiresAt = now;
  }

  async addCertificate(clientId: string, certificatePem: string): Promise<{ x5t: string; x5tS256: string; thumbprint: string }> {
    const app = this.app(clientId);
    const certificate = await certificateFromPem(certificatePem);
    app.certificates.push(certificate);
    return { x5t: certificate.x5t, x5tS256: certificate.x5tS256, thumbprint: certificate.thumbprintHex };
  }

  private app(clientId: string) {
    const app = this.emulator.directory.app(clientId === 'default' ? this.emulator.clientId : clientId);
    if (!app) throw new Error(`No app registration with client id ${clientId}.`);
    return app;
  }

  rows(table: string, options: { top?: number } = {}): StoredRow[] {
    const out: StoredRow[] = [];
    for (const row of this.env.store.rows(this.table(table)).values()) {
      if (options.top !== undefined && out.length >= options.top) break;
      out.push(stored(row));
    }
    return out;
  }

  row(table: string, id: string): StoredRow | undefined {
    const row = this.env.store.get(this.table(table), id);
    return row ? stored(row) : undefined;
  }

  count(table: string): number {
    return this.env.store.count(this.table(table));
  }

  /** Deletes a row behind the client's back (as another user would). */
  deleteRow(table: string, id: string): boolean {
    return this.env.store.delete(this.table(table), id);
  }

  switches(): Switches {
    return { ...this.emulator.switches };
  }

  setSwitches(changes: Partial<Switches>): Switches {
    return this.emulator.setSwitches(changes);
  }

  serviceProtection(): ServiceProtectionLimits {
    return { ...this.emulator.protection.limits };
  }

  setServiceProtection(limits: Partial<ServiceProtectionLimits>): ServiceProtectionLimits {
    this.emulator.protection.limits = { ...this.emulator.protection.limits, ...limits };
    this.emulator.protection.reset();
    return this.serviceProtection();
  }

  get clock() {
    return this.emulator.clock;
  }
}
