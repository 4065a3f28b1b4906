/**
 * Records the sync could not write: each by name (read from Salesforce) with its Id, a link to the record, the
 * reason and when; exportable as CSV, and a Retry that reads them again and writes those that convert now.
 */
import Papa from 'papaparse';
import { useState } from 'preact/hooks';
import type { Reject, RejectsRetry } from '../../../../shared/api';
import { TABLES } from '../../../../shared/mapping/destination';
import { Alert, EmptyState } from '../../../components/alert';
import { LearnMore } from '../../../components/learn-more';
import { Time, count } from '../../../components/time';
import { useToast } from '../../../components/toast';
import { type Problem, askBackground } from '../../../utils/messages';
import { setupLinks } from '../../../utils/setup-links';

const objectOf = (table: string) => TABLES[table as keyof typeof TABLES]?.source ?? table;

export function rejectsCsv(rejects: Reject[], instanceUrl: string): string {
  const links = setupLinks(instanceUrl);
  return Papa.unparse({
    fields: ['table', 'salesforce_id', 'name', 'link', 'reason', 'rejected_at'],
    data: rejects.map((r) => [r.table, r.salesforceId, r.name ?? '', links.record(objectOf(r.table), r.salesforceId) ?? '', r.reason, r.rejectedAt]),
  });
}

/** What a retry did, in one sentence. */
export function retrySummary(result: RejectsRetry): string {
  const sum = (key: 'retried' | 'written' | 'stillRejected' | 'notFound') => result.tables.reduce((n, t) => n + t[key], 0);
  if (sum('retried') === 0) return 'No rejected record to retry.';
  const parts = [`${count(sum('written'), 'record')} written`];
  if (sum('stillRejected') > 0) parts.push(`${count(sum('stillRejected'), 'record')} still rejected: fix the values in Salesforce or the mapping, then retry`);
  if (sum('notFound') > 0) parts.push(`${count(sum('notFound'), 'record')} no longer in Salesforce`);
  return `Retried ${count(sum('retried'), 'rejected record')}: ${parts.join('; ')}.`;
}

export function Rejects(props: { rejects: Reject[]; instanceUrl: string; connectorId: string; connectorName: string; destination?: 'd1' | 'dataverse'; onRetried: () => void }) {
  const { rejects, instanceUrl, destination = 'd1' } = props;
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  if (rejects.length === 0) return <EmptyState title="No rejected records: every record Salesforce sent could be written." testId="no-rejects" />;
  // For Dataverse, the reason is what Dataverse answered for that record: its error code and message.
  const links = setupLinks(instanceUrl);
  const download = () => {
    const url = URL.createObjectURL(new Blob([rejectsCsv(rejects, instanceUrl)], { type: 'text/csv' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${props.connectorName.replace(/[^\w-]+/g, '-').toLowerCase()}-rejects.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  const retry = async () => {
    setBusy(true);
    setProblem(null);
    const result = await askBackground('retryRejects', { id: props.connectorId });
    setBusy(false);
    if (!result.ok) return setProblem(result.error);
    toast({ tone: result.data.tables.some((t) => t.stillRejected > 0) ? 'info' : 'success', message: retrySummary(result.data) });
    props.onRetried();
  };
  return (
    <div class="fb-rejects" data-testid="rejects">
      <table class="slds-table slds-table_bordered slds-table_col-bordered fb-table--compact" aria-label="Rejected records">
        <thead>
          <tr>
            <th scope="col">Record</th>
            <th scope="col">{destination === 'dataverse' ? 'Reason (Dataverse’s code and message)' : 'Reason'}</th>
            <th scope="col">When</th>
          </tr>
        </thead>
        <tbody>
          {rejects.map((r) => {
            const href = links.record(objectOf(r.table), r.salesforceId);
            const title = r.name ?? r.salesforceId;
            return (
              <tr key={`${r.table}-${r.salesforceId}`} data-testid="reject-row">
                <td>
                  {objectOf(r.table)}{' '}
                  {href ? (
                    <a class="slds-text-link" href={href} target="_blank" rel="noreferrer" data-testid="reject-link">
                      {title}
                    </a>
                  ) : (
                    <span>{title}</span>
                  )}
                  {r.name && (
                    <span class="slds-text-color_weak fb-mono fb-block" data-testid="reject-id">
                      {r.salesforceId}
                    </span>
                  )}
                </td>
                <td>{r.reason}</td>
                <td>
                  <Time iso={r.rejectedAt} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p class="slds-text-color_weak">
        A rejected record is tried again the next time it changes in Salesforce, or now with Retry. <LearnMore topic="rejects" about="rejected records" />
      </p>
      {problem && <Alert tone="error" message={problem.message} testId="retry-problem" />}
      <div class="fb-actions">
        <button class="slds-button slds-button_neutral" type="button" onClick={retry} disabled={busy} data-testid="retry-rejects">
          {busy ? 'Retrying…' : 'Retry rejected records'}
        </button>
        <button class="slds-button slds-button_neutral" type="button" onClick={download} data-testid="export-rejects">
          Export CSV
        </button>
      </div>
    </div>
  );
}
