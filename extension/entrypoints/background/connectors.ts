/**
 * Background handlers for connectors: each calls one Worker route and parses the answer before handing it on.
 * From the panel, lists are limited to the org of the sending Setup page.
 */
import type { Browser } from 'wxt/browser';
import { z } from 'zod';
import {
  ConnectorChangeSchema,
  ConnectorDeletedSchema,
  ConnectorPreviewSchema,
  ConnectorSchema,
  EstimateSchema,
  FieldsResponseSchema,
  FilterCheckSchema,
  RejectSchema,
  RejectsRetrySchema,
  SyncRunSchema,
} from '../../../shared/api';
import type { BackgroundApi } from '../../utils/messages';
import { settingsItem } from '../../utils/settings';
import { callWorker, unwrap } from '../../utils/worker-client';
import { fromContentScript, listConnections } from './connections';

type Payload<K extends keyof BackgroundApi> = BackgroundApi[K]['payload'];

async function worker<T extends z.ZodType>(path: string, schema: T, init: { method?: string; body?: unknown } = {}): Promise<z.output<T>> {
  return unwrap(
    await callWorker(await settingsItem.getValue(), path, schema, {
      method: init.method ?? 'GET',
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    }),
  );
}

export async function listConnectors(_: undefined, sender: Browser.runtime.MessageSender) {
  if (!fromContentScript(sender)) return worker('/api/connectors', z.array(ConnectorSchema));
  const [connection] = await listConnections(undefined, sender);
  return connection ? worker(`/api/connectors?connectionId=${encodeURIComponent(connection.id)}`, z.array(ConnectorSchema)) : [];
}

export const connectorFields = ({ connectionId, table }: Payload<'connectorFields'>) =>
  worker(`/api/connections/${encodeURIComponent(connectionId)}/fields/${table}`, FieldsResponseSchema);

export const estimateFirstSync = ({ connectionId, tables }: Payload<'estimateFirstSync'>) =>
  worker(`/api/connections/${encodeURIComponent(connectionId)}/estimate?tables=${tables.join(',')}`, EstimateSchema);

export const createConnector = (input: Payload<'createConnector'>) => worker('/api/connectors', ConnectorSchema, { method: 'POST', body: input });

export const previewConnector = (input: Payload<'previewConnector'>) => worker('/api/connectors?dryRun=true', ConnectorPreviewSchema, { method: 'POST', body: input });

export const updateConnector = ({ id, patch, dryRun }: Payload<'updateConnector'>) =>
  worker(`/api/connectors/${encodeURIComponent(id)}${dryRun ? '?dryRun=true' : ''}`, ConnectorChangeSchema, { method: 'PATCH', body: patch });

export async function connectorCommand({ id, command, table }: Payload<'connectorCommand'>) {
  const path = `/api/connectors/${encodeURIComponent(id)}`;
  if (command === 'delete') {
    await worker(path, ConnectorDeletedSchema, { method: 'DELETE' });
    return null;
  }
  return worker(`${path}/${command}`, ConnectorSchema, { method: 'POST', body: command === 'reset' ? { table } : undefined });
}

export const getConnector = ({ id }: Payload<'getConnector'>) => worker(`/api/connectors/${encodeURIComponent(id)}`, ConnectorSchema);
export const connectorRuns = ({ id }: Payload<'connectorRuns'>) => worker(`/api/connectors/${encodeURIComponent(id)}/runs?limit=30`, z.array(SyncRunSchema));
// With names: a query per table with rejects, only when there are rejects.
export const connectorRejects = ({ id }: Payload<'connectorRejects'>) => worker(`/api/connectors/${encodeURIComponent(id)}/rejects?names=true`, z.array(RejectSchema));
export const retryRejects = ({ id }: Payload<'retryRejects'>) => worker(`/api/connectors/${encodeURIComponent(id)}/rejects/retry`, RejectsRetrySchema, { method: 'POST', body: {} });
export const checkFilter = ({ connectionId, table, filter }: Payload<'checkFilter'>) =>
  worker(`/api/connections/${encodeURIComponent(connectionId)}/filter-check`, FilterCheckSchema, { method: 'POST', body: { table, filter } });
