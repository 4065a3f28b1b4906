/** What every provisioning step gets, and what it answers. */
import type { ConnectionRow } from '../../db/connections';
import type { Connection } from '../api';
import type { SalesforceOrigin } from '../origins';
import type { RequiredAccess } from './permission-set-plan';

export interface AdminIdentity {
  userId: string;
  email: string;
}

export interface StepContext {
  env: Env;
  connection: ConnectionRow;
  /** jsforce as the admin, for this request only */
  admin: Connection;
  adminIdentity: AdminIdentity;
  org: SalesforceOrigin;
  requiredAccess: RequiredAccess;
  /** the step's own saved state from an earlier call (e.g. a deploy id) */
  state: Record<string, unknown>;
  /** epoch ms after which a step that waits should hand back instead of polling on */
  deadline: number;
  /** updates the connection row (and `connection`) */
  save(patch: Partial<ConnectionRow>): Promise<void>;
}

export type StepOutcome =
  | { status: 'done' | 'skipped'; detail: string }
  /** not finished yet (e.g. a deploy in progress): call again with `state` */
  | { status: 'waiting'; detail: string; state: Record<string, unknown> };

export type Step = (ctx: StepContext) => Promise<StepOutcome>;
