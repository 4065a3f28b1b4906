/**
 * Everything one running emulator holds: the org, and around it the machinery that is not part of an org but of
 * the emulator (fault rules, call counts, query cursors, deploys and Bulk 2.0 jobs in flight). `reset()` swaps in a
 * fresh org; HTTP routes always reach the current one through this object.
 */
import { Clock } from './clock';
import { CallMetrics } from './metrics';
import { FaultInjector } from './faults';
import { randomBase62 } from './ids';
import { DeployStore } from './metadata/deploys';
import { BulkJobStore } from './bulk2/jobs';
import { Org, type OrgOptions } from './org/org';
import { installLicenseCounters } from './org/rules/licenses';
import { populateOrg } from './org/setup-data';
import { CursorStore } from './rest/cursors';
import { seedData, type SeedOptions } from './seed';

export type EmulatorOptions = OrgOptions & {
  /** Start the clock here (ISO string, Date or epoch ms) instead of the real time. */
  now?: Date | string | number;
  /** Keep the clock still until a test moves it. */
  freezeClock?: boolean;
  /** Seed Accounts and Contacts at start. */
  seed?: SeedOptions;
};

export class Emulator {
  org!: Org;
  readonly faults = new FaultInjector();
  readonly metrics = new CallMetrics();
  cursors = new CursorStore();
  deploys = new DeployStore();
  bulkJobs = new BulkJobStore();
  /** How many status checks a deploy / Bulk 2.0 job answers "in progress" before it finishes. */
  steps = { deploy: 1, bulkJob: 1 };
  /** Marks requests the emulator makes to itself (composite subrequests), which must not count or be faulted. */
  readonly internalSecret = randomBase62(32);
  adminAccessToken = '';

  constructor(readonly options: EmulatorOptions = {}) {
    this.reset();
  }

  get adminUsername(): string {
    return this.options.adminUsername ?? `admin@${this.options.myDomain ?? 'acme'}.example.com`;
  }

  /** A brand-new org (same options), with a new admin session; the seed is applied again if one was given. */
  reset(overrides: Partial<EmulatorOptions> = {}): void {
    const options = { ...this.options, ...overrides };
    const clock = new Clock(options.now, { frozen: options.freezeClock });
    this.org = new Org({ ...options, adminUsername: this.adminUsername, clock });
    populateOrg(this.org, this.adminUsername);
    installLicenseCounters(this.org);
    this.cursors = new CursorStore();
    this.deploys = new DeployStore();
    this.bulkJobs = new BulkJobStore();
    this.faults.clear();
    this.metrics.reset();
    this.adminAccessToken = this.org.sessions.issue(this.org.adminUserId, clock.now()).token;
    if (options.seed) seedData(this.org, options.seed);
  }
}
