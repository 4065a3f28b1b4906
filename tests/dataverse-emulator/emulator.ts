/**
 * Everything one running Dataverse emulator holds: the Entra tenant with the app registrations, the environment
 * (rows, teams, users, privileges), and around them the machinery that is no part of Dataverse — the clock, fault
 * rules, call counts, service-protection windows and switches. `reset()` brings all of it back to the start: the
 * default app with its secret, its application user, the demo teams, and the seed rows if any were asked for.
 */
import { Clock } from '../salesforce-emulator/clock';
import { Directory, newClientSecret } from './entra/directory';
import { FaultInjector } from './faults';
import { stableGuid } from './ids';
import { CallMetrics } from './metrics';
import { seedRows, type SeedOptions } from './seed';
import { Environment } from './webapi/environment';
import { allPrivileges } from './webapi/security';
import { DOCUMENTED_LIMITS, ServiceProtection, type ServiceProtectionLimits } from './webapi/throttle';

export type DataverseEmulatorOptions = {
  /** The environment's URL, as an admin would enter it (default https://acme.crm.dynamics.com). */
  environmentUrl?: string;
  /** Entra tenant id (default: a stable GUID derived from the environment host). */
  tenantId?: string;
  /** The default app registration's client id and secret (defaults: a stable GUID; a fresh random secret). */
  clientId?: string;
  clientSecret?: string;
  /** Service protection limits (defaults: the documented 6,000 requests / 1,200,000 ms per 300 s, 52 concurrent). */
  serviceProtection?: Partial<ServiceProtectionLimits>;
  /** Accounts and contacts to create at start (and on every reset). */
  seed?: SeedOptions;
  now?: Date | string | number;
  freezeClock?: boolean;
};

export type Switches = {
  /** Milliseconds every Web API request waits before it is served (a realistic service answers in ~50 ms). */
  requestLatencyMs: number;
  /** Extra milliseconds per operation, so a `$batch` of 1,000 costs more than one request. */
  operationLatencyMs: number;
  /** Enforce the service protection limits (default true). */
  serviceProtection: boolean;
  /** See EnvironmentSwitches: catalogue codes instead of the traces' empty ones. */
  filledErrorCodes: boolean;
};

const DEFAULT_SWITCHES: Switches = { requestLatencyMs: 0, operationLatencyMs: 0, serviceProtection: true, filledErrorCodes: false };

export const DEMO_TEAMS = { sales: 'Sales', supportAccess: 'Support (access team)' } as const;

export class DataverseEmulator {
  readonly clock: Clock;
  readonly directory: Directory;
  readonly environment: Environment;
  readonly faults = new FaultInjector();
  readonly metrics = new CallMetrics();
  readonly protection: ServiceProtection;
  readonly clientId: string;
  readonly clientSecret: string;
  switches: Switches = { ...DEFAULT_SWITCHES };
  applicationUserId = '';

  constructor(readonly options: DataverseEmulatorOptions = {}) {
    const environmentUrl = (options.environmentUrl ?? 'https://acme.crm.dynamics.com').replace(/\/+$/, '');
    if (!/^https:\/\/[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(environmentUrl)) {
      throw new Error(`environmentUrl must be an origin such as https://acme.crm.dynamics.com, got "${options.environmentUrl}".`);
    }
    const host = new URL(environmentUrl).hostname;
    this.clock = new Clock(options.now, { frozen: options.freezeClock });
    this.environment = new Environment(environmentUrl, this.clock);
    this.directory = new Directory((options.tenantId ?? stableGuid(`tenant:${host}`)).toLowerCase(), `${this.environment.name}.onmicrosoft.com`);
    this.clientId = (options.clientId ?? stableGuid(`app:${host}`)).toLowerCase();
    this.clientSecret = options.clientSecret ?? newClientSecret();
    this.protection = new ServiceProtection({ ...DOCUMENTED_LIMITS, ...options.serviceProtection }, () => this.clock.now());
    this.reset();
  }

  get tenantId(): string {
    return this.directory.tenantId;
  }

  reset(): void {
    // Back to the start time (or now), frozen or running as the options say.
    this.clock.unfreeze();
    this.clock.set(this.options.now ?? Date.now());
    if (this.options.freezeClock) this.clock.freeze();
    this.environment.reset();
    this.directory.apps.clear();
    this.directory.register({ clientId: this.clientId, displayName: 'Forcebridge' }).secrets.push({ value: this.clientSecret });
    this.applicationUserId = this.environment.addUser({ fullname: '# Forcebridge', applicationId: this.clientId, id: stableGuid(`applicationuser:${this.clientId}`) });
    this.environment.addTeam({ name: DEMO_TEAMS.sales, id: stableGuid('team:sales'), privileges: allPrivileges(['contact', 'account']).filter((p) => /^prv(Read|Write|Append|AppendTo)/.test(p)) });
    this.environment.addTeam({ name: DEMO_TEAMS.supportAccess, teamtype: 1, id: stableGuid('team:support-access') });
    this.switches = { ...DEFAULT_SWITCHES };
    this.environment.switches.filledErrorCodes = false;
    this.protection.limits = { ...DOCUMENTED_LIMITS, ...this.options.serviceProtection };
    this.protection.enabled = true;
    this.protection.reset();
    this.faults.clear();
    this.metrics.reset();
    if (this.options.seed) seedRows(this.environment, this.options.seed, stableGuid('team:sales'));
  }

  setSwitches(changes: Partial<Switches>): Switches {
    this.switches = { ...this.switches, ...changes };
    this.protection.enabled = this.switches.serviceProtection;
    this.environment.switches.filledErrorCodes = this.switches.filledErrorCodes;
    return this.switches;
  }
}
