/**
 * Bulk API 2.0 query jobs. A job's rows are fixed when it is created; it reads UploadComplete at creation,
 * InProgress for the next status check(s) and JobComplete after, with `numberRecordsProcessed`. Job info has the
 * shape of Salesforce's "Get Information About a Query Job" (jobType V2Query, retries, totalProcessingTime…).
 * https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_get_one_job.htm
 */
import { formatDateTime } from '../clock';
import { OTHER_PREFIXES, randomId } from '../ids';
import type { Column } from '../soql/resolve';
import type { Source } from '../soql/source';

export type JobState = 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Aborted' | 'Failed';

export type QueryJob = {
  id: string;
  operation: 'query' | 'queryAll';
  object: string;
  createdById: string;
  createdDate: number;
  systemModstamp: number;
  state: JobState;
  apiVersion: string;
  lineEnding: string;
  columnDelimiter: string;
  checks: number;
  source: Source;
  columns: Column[];
  rows: Int32Array;
  deleted: boolean;
};

export class BulkJobStore {
  private readonly jobs = new Map<string, QueryJob>();

  create(job: Omit<QueryJob, 'id' | 'checks' | 'state' | 'deleted'>): QueryJob {
    const created: QueryJob = { ...job, id: randomId(OTHER_PREFIXES.bulkJob), checks: 0, state: 'UploadComplete', deleted: false };
    this.jobs.set(created.id, created);
    return created;
  }

  get(id: string): QueryJob | undefined {
    const job = this.jobs.get(id);
    return job && !job.deleted ? job : undefined;
  }

  list(): QueryJob[] {
    return [...this.jobs.values()].filter((job) => !job.deleted);
  }

  /** A status check: moves the job on by one step. */
  advance(job: QueryJob, stepsBeforeDone: number, now: number): void {
    if (job.state !== 'UploadComplete' && job.state !== 'InProgress') return;
    job.checks++;
    job.state = job.checks <= stepsBeforeDone ? 'InProgress' : 'JobComplete';
    job.systemModstamp = now;
  }
}

export function createdInfo(job: QueryJob): Record<string, unknown> {
  return {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: job.createdById,
    createdDate: formatDateTime(job.createdDate),
    systemModstamp: formatDateTime(job.systemModstamp),
    state: job.state,
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: Number(job.apiVersion),
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter,
  };
}

export function jobInfo(job: QueryJob): Record<string, unknown> {
  const complete = job.state === 'JobComplete';
  return {
    ...createdInfo(job),
    jobType: 'V2Query',
    numberRecordsProcessed: complete ? job.rows.length : 0,
    retries: 0,
    totalProcessingTime: complete ? Math.max(1, Math.round(job.rows.length / 100)) : 0,
    isPkChunkingSupported: ['Account', 'Contact'].includes(job.object),
  };
}
