/**
 * One emulated org: its clock, object schemas and tables, switches, sessions, API allowance and metadata. The
 * Salesforce surfaces (REST, SOAP, OAuth, Bulk 2.0) and the control API all work through this object; the rules that
 * decide what a write may do live in dml.ts and rules/, who may see what in access.ts.
 */
import { Clock } from '../clock';
import { makeId } from '../ids';
import { ApiLimits, DEFAULT_DAILY_API_REQUESTS } from '../limits';
import { MetadataStore } from './metadata-store';
import { schemaFromRecordedDescribe, SchemaRegistry, type FieldDef, type ObjectSchema } from './schema';
import { SessionStore } from './sessions';
import { SETUP_OBJECTS, setupObjectSchema } from './setup-objects';
import { Table } from './table';
import { readField, type ComputedField } from './values';
import { addFormulaFields } from './formulas';

export type OrgSwitches = {
  /** Spring '26: new Connected Apps can't be created (UI or API) unless Support re-enables it. Default false. */
  connectedAppCreationAllowed: boolean;
  /** `ExternalClientAppSettings.enableExternalClientApps`. Default true. */
  externalClientAppsEnabled: boolean;
  /** Org-wide API access (Professional Edition without the API add-on has none). Default true. */
  apiEnabled: boolean;
  /** An active validation rule on User that rejects every insert with this message; null = none. */
  userValidationRule: string | null;
  /** Usernames that "exist in another org": creating a user with one fails with DUPLICATE_USERNAME. */
  usernamesTakenElsewhere: string[];
  /** Make every write's SystemModstamp strictly greater than the previous one (+1 ms) even if the clock stood still. */
  strictlyIncreasingModstamp: boolean;
  /**
   * "Allow Access to OAuth Consumer Secrets via Metadata API" (ExternalClientAppSettings.enableConsumerSecretApiAccess):
   * readMetadata shows consumerKey/consumerSecret. Default false: Salesforce recommends keeping it off.
   */
  oauthSecretsViaMetadata: boolean;
  /** The API caller's language: standard profile, user licence and permission-set licence names come back translated. */
  language: OrgLanguage;
  /** An older org: the integration profile is named "Salesforce API Only System Integrations". Default false. */
  legacyIntegrationProfileName: boolean;
  /**
   * How `commaSeparatedPermissionSet` (and a Connected App's `permissionSetName`) is matched: `id` (15/18-character
   * permission set ids, as the Metadata API reference documents; the default), `name` (API names, as retrieved
   * files in public repositories show) or `either`.
   */
  preAuthorizationBy: 'id' | 'name' | 'either';
  /** Deploying a new External Client App makes Salesforce generate its policy components (`<App>_oauth_defaultPolicy`, `<App>_defaultPolicy`), which govern it. Default true. */
  generatedPolicies: boolean;
  /** Metadata deploys and ECA types need their permissions (Modify Metadata or Modify All Data; Customize Application for External Client Apps). Default true. */
  permissionGates: boolean;
  /** JWT `aud` must be https://login.salesforce.com or https://test.salesforce.com (not the My Domain). Default true. */
  strictJwtAudience: boolean;
  /** ConnectedApplication lists only Connected Apps, never External Client Apps. Default true. */
  ecasHiddenFromConnectedApplication: boolean;
  /** REST query pages sometimes hold fewer records than the batch size asked for. Default true. */
  shortQueryPages: boolean;
};

export type OrgLanguage = 'en_US' | 'fr' | 'de';

export type OrgOptions = {
  /** My Domain name: hosts are `<name>.my.salesforce.com` etc. Default `acme`. */
  myDomain?: string;
  orgName?: string;
  adminUsername?: string;
  /** TotalLicenses per UserLicense name (`Salesforce`, `Salesforce Integration`, `Salesforce Platform`). */
  licenses?: Record<string, number>;
  /** DailyApiRequests max. Default 15000 (Developer Edition). */
  apiLimit?: number;
  /** A sandbox accepts JWTs for https://test.salesforce.com instead of https://login.salesforce.com. */
  isSandbox?: boolean;
  /** Switches to start with (the control API can change them later). */
  switches?: Partial<OrgSwitches>;
  clock?: Clock;
};

export const DEFAULT_SWITCHES: OrgSwitches = {
  connectedAppCreationAllowed: false,
  externalClientAppsEnabled: true,
  apiEnabled: true,
  userValidationRule: null,
  usernamesTakenElsewhere: [],
  strictlyIncreasingModstamp: false,
  oauthSecretsViaMetadata: false,
  language: 'en_US',
  legacyIntegrationProfileName: false,
  preAuthorizationBy: 'id',
  generatedPolicies: true,
  permissionGates: true,
  strictJwtAudience: true,
  ecasHiddenFromConnectedApplication: true,
  shortQueryPages: true,
};

export class Org {
  readonly clock: Clock;
  readonly myDomain: string;
  readonly orgId: string;
  readonly isSandbox: boolean;
  readonly schemas = new SchemaRegistry();
  readonly tables = new Map<string, Table>();
  readonly sessions: SessionStore;
  readonly limits: ApiLimits;
  readonly metadata = new MetadataStore();
  readonly computed = new Map<string, ComputedField>();
  /** `consumerKey|userId` of users who approved a self-authorized app in the authorization flow. */
  readonly approvals = new Set<string>();
  /** Users whose "API Enabled" a test switched off (on top of what their profile and permission sets grant). */
  readonly apiDisabledUsers = new Set<string>();
  switches: OrgSwitches;
  /** Ids of the standard rows whose names depend on the language (set by populateOrg). */
  standardRows = { profiles: {} as Record<string, string>, licenses: {} as Record<string, string>, integrationPsl: '' };
  adminUserId = '';
  private readonly byPrefix = new Map<string, Table>();
  private lastWrite = 0;

  constructor(readonly options: OrgOptions = {}) {
    this.clock = options.clock ?? new Clock();
    this.myDomain = (options.myDomain ?? 'acme').toLowerCase();
    if (!/^[a-z0-9][a-z0-9-]*(?:--[a-z0-9]+\.sandbox)?$/.test(this.myDomain)) {
      throw new Error(`myDomain must be a My Domain name such as "acme" (letters, digits, hyphens); got "${options.myDomain}".`);
    }
    this.isSandbox = options.isSandbox ?? false;
    this.switches = { ...structuredClone(DEFAULT_SWITCHES), ...structuredClone(options.switches ?? {}) };
    this.orgId = makeId('00D', orgNumber(this.myDomain));
    this.sessions = new SessionStore(this.orgId.slice(0, 15));
    this.limits = new ApiLimits(options.apiLimit ?? DEFAULT_DAILY_API_REQUESTS);
    this.schemas.add(schemaFromRecordedDescribe('Account_describe.cumulusci.json'));
    this.schemas.add(schemaFromRecordedDescribe('Contact_describe.cumulusci.json'));
    for (const object of SETUP_OBJECTS) this.schemas.add(setupObjectSchema(object));
    addFormulaFields(this);
    for (const schema of this.schemas.all()) {
      const first = schema.name === 'Organization' ? orgNumber(this.myDomain) : 1;
      const table = new Table(schema.name, schema.keyPrefix, first);
      this.tables.set(schema.name.toLowerCase(), table);
      this.byPrefix.set(schema.keyPrefix, table);
    }
  }

  get orgName(): string {
    return this.options.orgName ?? `${this.myDomain.charAt(0).toUpperCase()}${this.myDomain.slice(1)}`;
  }

  /** Empties an object's table (e.g. before seeding again); ids start from 1 again. */
  resetTable(name: string): void {
    const old = this.table(name);
    if (!old) return;
    const table = new Table(old.name, old.prefix, old.firstNumber);
    table.defaultUserId = old.defaultUserId;
    this.tables.set(old.name.toLowerCase(), table);
    this.byPrefix.set(old.prefix, table);
  }

  table(name: string): Table | undefined {
    return this.tables.get(name.toLowerCase());
  }

  /** The table and row behind any record id of this org. */
  locate(id: string): { table: Table; schema: ObjectSchema; index: number } | undefined {
    const table = this.byPrefix.get(id.slice(0, 3));
    const schema = table && this.schemas.get(table.name);
    const index = table?.indexOf(id);
    return table && schema && index !== undefined ? { table, schema, index } : undefined;
  }

  /** A field's internal value (ms for date/times), including computed and compound fields. */
  read(schema: ObjectSchema, index: number, field: FieldDef): unknown {
    const table = this.table(schema.name);
    if (!table) return null;
    return readField(schema, table, index, field, this.computed.get(`${schema.name}.${field.name}`));
  }

  /** `read` by field name, for rules that know their fields. */
  value(object: string, index: number, field: string): unknown {
    const schema = this.schemas.get(object);
    const def = schema?.field(field);
    return schema && def ? this.read(schema, index, def) : undefined;
  }

  /** The time a write happening now is stamped with (see switches.strictlyIncreasingModstamp). */
  writeTime(): number {
    let now = this.clock.now();
    if (this.switches.strictlyIncreasingModstamp && now <= this.lastWrite) now = this.lastWrite + 1;
    this.lastWrite = Math.max(this.lastWrite, now);
    return now;
  }

  /** Live rows of `object` whose fields equal all of `match` (small setup tables; not for seeded data). */
  find(object: string, match: Record<string, unknown> = {}): number[] {
    const table = this.table(object);
    if (!table) return [];
    const rows: number[] = [];
    for (const index of table.indices(false)) {
      let ok = true;
      for (const [field, expected] of Object.entries(match)) {
        const actual = this.value(object, index, field);
        if (typeof actual === 'string' && typeof expected === 'string' ? actual.toLowerCase() !== expected.toLowerCase() : actual !== expected) {
          ok = false;
          break;
        }
      }
      if (ok) rows.push(index);
    }
    return rows;
  }

  /** `find` returning ids. */
  findIds(object: string, match: Record<string, unknown> = {}): string[] {
    const table = this.table(object);
    return table ? this.find(object, match).map((i) => table.idOf(i)) : [];
  }

  /**
   * Starts recording every row change so it can be undone (composite `allOrNone`). Changes made by other requests
   * while the journal is open are recorded too: the emulator serves tests, which send one composite at a time.
   */
  startJournal(): { rollback(): void; end(): void } {
    const journal: (() => void)[] = [];
    for (const table of this.tables.values()) table.journal = journal;
    const end = () => {
      for (const table of this.tables.values()) table.journal = undefined;
    };
    return {
      rollback() {
        end();
        for (const undo of journal.reverse()) undo();
      },
      end,
    };
  }
}

/** A stable org number from the My Domain name, so an org keeps its id across restarts. */
function orgNumber(myDomain: string): number {
  let h = 2166136261;
  for (const ch of myDomain) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return 1_000_000 + (h % 900_000_000);
}
