/** Background handlers for Dataverse connections: the panel's "Dataverse environments" and the wizard's team picker. */
import { z } from 'zod';
import { DataverseAccessCheckSchema, DataverseConnectionSchema, DataverseTeamSchema } from '../../../shared/dataverse';
import type { BackgroundApi } from '../../utils/messages';
import { settingsItem } from '../../utils/settings';
import { callWorker, unwrap } from '../../utils/worker-client';

type Payload<K extends keyof BackgroundApi> = BackgroundApi[K]['payload'];

async function worker<T extends z.ZodType>(path: string, schema: T, method = 'GET', body?: unknown): Promise<z.output<T>> {
  return unwrap(await callWorker(await settingsItem.getValue(), path, schema, { method, body: body === undefined ? undefined : JSON.stringify(body) }));
}

const BASE = '/api/dataverse-connections';
const one = (id: string) => `${BASE}/${encodeURIComponent(id)}`;

export const listDataverseConnections = () => worker(BASE, z.array(DataverseConnectionSchema));

export async function dataverseCommand(payload: Payload<'dataverseCommand'>) {
  switch (payload.command) {
    case 'create':
      return worker(BASE, DataverseConnectionSchema, 'POST', payload.input);
    case 'test':
      return worker(`${one(payload.id)}/test`, DataverseConnectionSchema, 'POST');
    case 'delete':
      await worker(one(payload.id), z.object({ deleted: z.string(), message: z.string() }), 'DELETE');
      return null;
  }
}

export const dataverseTeams = ({ connectionId }: Payload<'dataverseTeams'>) => worker(`${one(connectionId)}/teams`, z.array(DataverseTeamSchema));

export const dataverseAccess = ({ connectionId, teamId }: Payload<'dataverseAccess'>) =>
  worker(`${one(connectionId)}/access?teamId=${encodeURIComponent(teamId)}`, DataverseAccessCheckSchema);
