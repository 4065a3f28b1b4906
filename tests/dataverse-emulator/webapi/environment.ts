/**
 * One emulated Dataverse environment: its rows, who holds which privileges, the ids every environment has (the
 * organization, its root business unit and default team, the base currency) and the application users that client
 * apps sign in as. `reset()` empties it back to that starting point.
 */
import type { Clock } from '../../salesforce-emulator/clock';
import { newGuid, stableGuid } from '../ids';
import { allPrivileges, Privileges } from './security';
import { WRITABLE_TABLES } from './schema';
import { Store } from './store';

export type EnvironmentSwitches = {
  /**
   * Fill `error.code` with the catalogue code where the 2018–2022 traces show `""` (404 "Does Not Exist" →
   * 0x80040217, 412 duplicate → 0x80040237, 412 stale ETag → 0x80060882). Default false: as the traces show.
   */
  filledErrorCodes: boolean;
};

export type NewTeam = { name: string; teamtype?: 0 | 1 | 2 | 3; businessUnitId?: string; privileges?: string[]; id?: string };
export type NewUser = { fullname: string; applicationId?: string; id?: string; privileges?: string[] };

export class Environment {
  readonly store = new Store();
  readonly privileges = new Privileges();
  readonly organizationId: string;
  readonly businessUnitId: string;
  readonly currencyId: string;
  switches: EnvironmentSwitches = { filledErrorCodes: false };

  constructor(
    readonly url: string,
    readonly clock: Clock,
  ) {
    const host = new URL(url).hostname;
    this.organizationId = stableGuid(`organization:${host}`);
    this.businessUnitId = stableGuid(`businessunit:${host}`);
    this.currencyId = stableGuid(`currency:${host}`);
  }

  /** The organization's name: the first label of the host (`acme` for https://acme.crm.dynamics.com). */
  get name(): string {
    return new URL(this.url).hostname.split('.')[0] ?? this.url;
  }

  /** `2026-12-01T23:10:04Z`: Dataverse writes date/times to the second, in UTC. */
  now(): string {
    const second = Math.floor(this.clock.now() / 1000);
    // One string per second, shared by the rows written in it.
    if (second !== this.nowSecond) {
      this.nowSecond = second;
      this.nowText = new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    }
    return this.nowText;
  }
  private nowSecond = Number.NaN;
  private nowText = '';

  /** Empties the environment: the root business unit and its default team only. */
  reset(): void {
    this.store.clear();
    this.privileges.clear();
    this.switches = { filledErrorCodes: false };
    const now = this.now();
    this.store.put('businessunit', this.businessUnitId, { name: this.name, createdon: now, modifiedon: now });
    // Every business unit has a default owner team named after it (team.md: isdefault).
    this.addTeam({ name: this.name, id: stableGuid(`defaultteam:${this.businessUnitId}`) }, true);
  }

  addTeam(team: NewTeam, isDefault = false): string {
    const id = (team.id ?? newGuid()).toLowerCase();
    const now = this.now();
    this.store.put('team', id, {
      name: team.name,
      teamtype: team.teamtype ?? 0,
      membershiptype: 0,
      businessunitid: { table: 'businessunit', id: team.businessUnitId ?? this.businessUnitId },
      isdefault: isDefault,
      createdon: now,
      modifiedon: now,
    });
    if (team.privileges) this.privileges.set(id, team.privileges);
    return id;
  }

  /** An application user (or any systemuser); with no privileges given it holds every privilege on contact and account. */
  addUser(user: NewUser): string {
    const id = (user.id ?? newGuid()).toLowerCase();
    const now = this.now();
    this.store.put('systemuser', id, {
      fullname: user.fullname,
      ...(user.applicationId ? { applicationid: user.applicationId.toLowerCase() } : {}),
      isdisabled: false,
      businessunitid: { table: 'businessunit', id: this.businessUnitId },
      createdon: now,
      modifiedon: now,
    });
    this.privileges.set(id, user.privileges ?? allPrivileges([...WRITABLE_TABLES]));
    return id;
  }

  /** The enabled application user of a client app, if the environment has one. */
  applicationUser(clientId: string): string | undefined {
    const wanted = clientId.toLowerCase();
    for (const row of this.store.rows('systemuser').values()) if (row.values.applicationid === wanted && !row.values.isdisabled) return row.id;
    return undefined;
  }
}
