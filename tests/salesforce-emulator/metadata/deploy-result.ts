/**
 * A deploy's DeployResult, as SOAP XML (checkDeployStatus; element order of the WSDL's DeployResult and
 * DeployMessage, dates as xsd:dateTime like soap/metaforce-mit/deploy__in_progress.xml) and as the JSON of the REST
 * `metadata/deployRequest` resource. `details` holds componentSuccesses/componentFailures only with includeDetails.
 */
import { formatDateTimeZ } from '../clock';
import { isDone, type DeployJob, type DeployMessage } from './deploys';
import { fields, toXml } from './xml';

const RUN_TEST_RESULT = { numFailures: 0, numTestsRun: 0, totalTime: 0 };

function messageEntries(m: DeployMessage): [string, unknown][] {
  return [
    ['changed', m.changed],
    ['componentType', m.componentType],
    ['created', m.created],
    ['createdDate', formatDateTimeZ(m.createdDate)],
    ['deleted', m.deleted],
    ['fileName', m.fileName],
    ['fullName', m.fullName],
    ['id', m.id],
    ['problem', m.problem],
    ['problemType', m.problemType],
    ['success', m.success],
  ];
}

function resultEntries(job: DeployJob, details: unknown): [string, unknown][] {
  const done = isDone(job);
  const date = (ms: number | undefined) => (ms === undefined ? undefined : formatDateTimeZ(ms));
  return [
    ['checkOnly', job.options.checkOnly],
    ['completedDate', date(job.completedDate)],
    ['createdBy', job.createdBy],
    ['createdByName', job.createdByName],
    ['createdDate', date(job.createdDate)],
    ['details', details],
    ['done', done],
    ['errorMessage', job.errorMessage],
    ['errorStatusCode', job.errorStatusCode],
    ['id', job.id],
    ['ignoreWarnings', job.options.ignoreWarnings],
    ['lastModifiedDate', date(job.lastModifiedDate)],
    ['numberComponentErrors', done ? job.failures.length : 0],
    ['numberComponentsDeployed', job.componentsDeployed],
    ['numberComponentsTotal', job.plan.changes.length + job.plan.problems.length],
    ['numberTestErrors', 0],
    ['numberTestsCompleted', 0],
    ['numberTestsTotal', 0],
    ['rollbackOnError', job.options.rollbackOnError],
    ['runTestsEnabled', false],
    ['startDate', date(job.startDate)],
    ['stateDetail', undefined],
    ['status', job.status],
    ['success', job.status === 'Succeeded'],
  ];
}

export function deployResultXml(job: DeployJob, includeDetails: boolean): string {
  const details = includeDetails
    ? job.failures.map((m) => `<componentFailures>${fields(messageEntries(m))}</componentFailures>`).join('') +
      job.successes.map((m) => `<componentSuccesses>${fields(messageEntries(m))}</componentSuccesses>`).join('') +
      `<runTestResult>${fields(Object.entries(RUN_TEST_RESULT))}</runTestResult>`
    : `<runTestResult>${fields(Object.entries(RUN_TEST_RESULT))}</runTestResult>`;
  return resultEntries(job, undefined)
    .map(([key, value]) => (key === 'details' ? `<details>${details}</details>` : toXml(key, value)))
    .join('');
}

export function deployResultJson(job: DeployJob, includeDetails: boolean): Record<string, unknown> {
  const message = (m: DeployMessage) => Object.fromEntries(messageEntries(m).map(([k, v]) => [k, v === undefined ? null : v]));
  const details = {
    componentFailures: includeDetails ? job.failures.map(message) : [],
    componentSuccesses: includeDetails ? job.successes.map(message) : [],
    runTestResult: { ...RUN_TEST_RESULT, codeCoverage: [], codeCoverageWarnings: [], failures: [], flowCoverage: [], flowCoverageWarnings: [], successes: [] },
  };
  return Object.fromEntries(resultEntries(job, details).map(([k, v]) => [k, v === undefined ? null : v]));
}
