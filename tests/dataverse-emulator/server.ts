/**
 * Starts the Dataverse emulator: the Hono app on an HTTP listener (127.0.0.1, port 0 = any free port). The
 * environment answers as its `environmentUrl` (https://acme.crm.dynamics.com by default) in tokens and metadata,
 * while ids and links point back at the address the client called, so a client pointed here follows them here.
 */
import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { DataverseControl } from './control/control';
import { DataverseEmulator, type DataverseEmulatorOptions } from './emulator';

export type StartOptions = DataverseEmulatorOptions & {
  /** HTTP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  hostname?: string;
};

export type RunningDataverseEmulator = {
  /** `http://127.0.0.1:PORT`: token endpoint host, Web API origin and control API base. */
  url: string;
  port: number;
  /** What an admin enters as the environment URL, and the token scope's resource. */
  environmentUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** `<url>/<tenantId>/oauth2/v2.0/token`. */
  tokenUrl: string;
  /** The application user the default app signs in as. */
  applicationUserId: string;
  control: DataverseControl;
  emulator: DataverseEmulator;
  close(): Promise<void>;
};

export async function startDataverseEmulator(options: StartOptions = {}): Promise<RunningDataverseEmulator> {
  const emulator = new DataverseEmulator(options);
  await emulator.directory.signingKeys();
  const app = createApp(emulator);
  const hostname = options.hostname ?? '127.0.0.1';
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, hostname, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
  const url = `http://${hostname}:${port}`;
  return {
    url,
    port,
    environmentUrl: emulator.environment.url,
    tenantId: emulator.tenantId,
    clientId: emulator.clientId,
    clientSecret: emulator.clientSecret,
    tokenUrl: `${url}/${emulator.tenantId}/oauth2/v2.0/token`,
    get applicationUserId() {
      return emulator.applicationUserId;
    },
    control: new DataverseControl(emulator),
    emulator,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
