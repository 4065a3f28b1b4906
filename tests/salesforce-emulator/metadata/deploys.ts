/**
 * Deploys in flight. A deploy is Pending when started, InProgress at the first status check(s) and finished
 * (Succeeded, SucceededPartial or Failed) at the next; only then does the org change, so nothing is visible before
 * the deploy completes. Failures carry Salesforce's `problem` text; warnings fail the deploy unless
 * `ignoreWarnings`; with `rollbackOnError` (the default) one failure means nothing is applied.
 * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_checkdeploystatus.htm
 */
import { OTHER_PREFIXES, randomId } from '../ids';
import type { Org } from '../org/org';
import { applyChange, validateChange } from './apply';
import { parsePackage, type ParsedPackage } from './package';

export type DeployStatus = 'Pending' | 'InProgress' | 'Succeeded' | 'SucceededPartial' | 'Failed' | 'Canceled';

export type DeployOptions = {
  allowMissingFiles: boolean;
  autoUpdatePackage: boolean;
  checkOnly: boolean;
  ignoreWarnings: boolean;
  performRetrieve: boolean;
  purgeOnDelete: boolean;
  rollbackOnError: boolean;
  runTests: string[];
  singlePackage: boolean;
  testLevel: string;
};

export type DeployMessage = {
  changed: boolean;
  componentType: string;
  created: boolean;
  createdDate: number;
  deleted: boolean;
  fileName: string;
  fullName: string;
  id?: string;
  problem?: string;
  problemType?: 'Error' | 'Warning';
  success: boolean;
};

export type DeployJob = {
  id: string;
  createdBy: string;
  createdByName: string;
  createdDate: number;
  startDate?: number;
  completedDate?: number;
  lastModifiedDate: number;
  options: DeployOptions;
  checks: number;
  status: DeployStatus;
  plan: ParsedPackage;
  successes: DeployMessage[];
  failures: DeployMessage[];
  componentsDeployed: number;
  errorMessage?: string;
  errorStatusCode?: string;
};

const DEFAULT_OPTIONS: DeployOptions = {
  allowMissingFiles: false,
  autoUpdatePackage: false,
  checkOnly: false,
  ignoreWarnings: false,
  performRetrieve: false,
  purgeOnDelete: false,
  rollbackOnError: true,
  runTests: [],
  singlePackage: false,
  testLevel: 'NoTestRun',
};

export function deployOptions(input: Record<string, unknown> | undefined): DeployOptions {
  const options: DeployOptions = { ...DEFAULT_OPTIONS };
  for (const [key, value] of Object.entries(input ?? {})) {
    if (!(key in options)) continue;
    if (key === 'runTests') options.runTests = (Array.isArray(value) ? value : [value]).map(String);
    else if (key === 'testLevel') options.testLevel = String(value);
    else (options as Record<string, unknown>)[key] = value === true || value === 'true';
  }
  return options;
}

export class DeployStore {
  private readonly jobs = new Map<string, DeployJob>();

  start(org: Org, zip: Uint8Array, options: DeployOptions, userId: string): DeployJob {
    const now = org.clock.now();
    const user = org.locate(userId);
    const job: DeployJob = {
      id: randomId(OTHER_PREFIXES.deployRequest),
      createdBy: userId,
      createdByName: user ? String(org.value('User', user.index, 'Name')) : '',
      createdDate: now,
      lastModifiedDate: now,
      options,
      checks: 0,
      status: 'Pending',
      plan: parsePackage(zip),
      successes: [],
      failures: [],
      componentsDeployed: 0,
    };
    this.jobs.set(job.id, job);
    return job;
  }

  get(id: string): DeployJob | undefined {
    return this.jobs.get(id);
  }

  /** A status check: moves the deploy on by one step and returns it. */
  check(org: Org, id: string, stepsBeforeDone: number): DeployJob | undefined {
    const job = this.jobs.get(id);
    if (!job || isDone(job)) return job;
    job.checks++;
    const now = org.clock.now();
    job.lastModifiedDate = now;
    job.startDate ??= now;
    if (job.checks <= stepsBeforeDone) {
      job.status = 'InProgress';
      return job;
    }
    finish(org, job, now);
    return job;
  }
}

export function isDone(job: DeployJob): boolean {
  return ['Succeeded', 'SucceededPartial', 'Failed', 'Canceled'].includes(job.status);
}

function finish(org: Org, job: DeployJob, now: number): void {
  const { plan, options } = job;
  const message = (fields: Partial<DeployMessage> & Pick<DeployMessage, 'componentType' | 'fileName' | 'fullName'>): DeployMessage => ({
    changed: false,
    created: false,
    createdDate: now,
    deleted: false,
    success: true,
    ...fields,
  });
  for (const problem of plan.problems) job.failures.push(message({ ...problem, problemType: 'Error', success: false }));
  const accepted = [];
  for (const change of plan.changes) {
    const problem = validateChange(org, change, plan.changes, job.createdBy);
    const fileName = change.fileName ?? '';
    if (problem && (problem.problemType === 'Error' || !options.ignoreWarnings)) {
      job.failures.push(message({ componentType: change.type, fileName, fullName: change.fullName, problem: problem.problem, problemType: problem.problemType, success: false }));
    } else if (!problem) accepted.push(change);
  }
  const rollback = job.failures.length > 0 && options.rollbackOnError;
  for (const change of accepted) {
    const existed = org.metadata.get(change.type, change.fullName);
    const applied = rollback || options.checkOnly ? { id: existed?.id ?? '', created: !existed } : applyChange(org, change);
    job.successes.push(
      message({ componentType: change.type, fileName: change.fileName ?? '', fullName: change.fullName, id: applied.id || undefined, changed: true, created: change.kind === 'upsert' && applied.created, deleted: change.kind === 'delete' }),
    );
  }
  job.successes.push(message({ componentType: '', fileName: plan.packageFile, fullName: 'package.xml', changed: true }));
  job.componentsDeployed = rollback || options.checkOnly ? 0 : accepted.length;
  job.status = job.failures.length === 0 ? 'Succeeded' : !rollback && accepted.length > 0 ? 'SucceededPartial' : 'Failed';
  job.completedDate = now;
  job.lastModifiedDate = now;
}
