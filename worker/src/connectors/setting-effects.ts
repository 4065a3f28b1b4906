/** What an edit of a connector's plain settings will do, in the words the panel shows before it is saved. */
import type { z } from 'zod';
import type { ConnectorPatchSchema } from '../../../shared/api';
import type { ConnectorRow } from '../db/connectors';

export function settingEffects(patch: z.infer<typeof ConnectorPatchSchema>, row: ConnectorRow): string[] {
  const effects: string[] = [];
  if (patch.team !== undefined && patch.team !== row.team_name) effects.push(`Rows written from now on belong to the team ${patch.team}.`);
  if (patch.intervalMinutes !== undefined && patch.intervalMinutes !== row.interval_minutes) effects.push(`Syncs every ${patch.intervalMinutes} minutes.`);
  if (patch.reconcileEveryDays !== undefined && patch.reconcileEveryDays !== row.reconcile_every_days) {
    effects.push(
      patch.reconcileEveryDays === 0
        ? 'Compares every Id with Salesforce only when the delete log cannot cover a pass, or when asked.'
        : `Compares every Id with Salesforce every ${patch.reconcileEveryDays} days, removing records purged there.`,
    );
  }
  if (patch.deleteMode !== undefined && patch.deleteMode !== row.delete_mode) {
    effects.push(patch.deleteMode === 'soft' ? 'Records deleted in Salesforce are kept here, marked deleted.' : 'Records deleted in Salesforce are deleted here.');
  }
  return effects;
}
