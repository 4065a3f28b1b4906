/**
 * Starts the emulator: the Hono app on an HTTP listener (127.0.0.1, port 0 = any free port) and, when asked, the
 * same app on an HTTPS listener with a self-signed certificate for Salesforce's host names, so a browser mapped with
 * `--host-resolver-rules="MAP *.my.salesforce-setup.com 127.0.0.1:<httpsPort>"` reaches the Setup lookalike and the
 * API on their production host names.
 */
import { createAdaptorServer } from '@hono/node-server';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp } from './app';
import { EmulatorControl } from './control/control';
import { Emulator, type EmulatorOptions } from './emulator';
import { selfSignedCertificate } from './setup-page/certificate';

export type StartOptions = EmulatorOptions & {
  /** HTTP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  hostname?: string;
  /** Also listen over HTTPS (Setup lookalike); `{ port }` picks its port (default: any free one). */
  https?: boolean | { port?: number };
};

export type RunningEmulator = {
  /** `http://127.0.0.1:PORT`: instance URL, token endpoint host and control API base. */
  url: string;
  port: number;
  httpsPort?: number;
  /** `https://127.0.0.1:HTTPS_PORT`, when HTTPS is on. */
  httpsUrl?: string;
  /** In-process control API. */
  org: EmulatorControl;
  emulator: Emulator;
  adminUsername: string;
  /** A valid admin session (re-read it after `org.reset()`). */
  readonly adminAccessToken: string;
  /** The org's id (18 characters). */
  orgId: string;
  close(): Promise<void>;
};

function listen(server: Server, port: number, hostname: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, hostname, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
}

export async function startEmulator(options: StartOptions = {}): Promise<RunningEmulator> {
  const emulator = new Emulator(options);
  const app = createApp(emulator);
  const hostname = options.hostname ?? '127.0.0.1';
  const http = createAdaptorServer({ fetch: app.fetch }) as Server;
  const port = await listen(http, options.port ?? 0, hostname);
  const servers = [http];

  let httpsPort: number | undefined;
  if (options.https) {
    const { cert, key } = await selfSignedCertificate();
    const https = createAdaptorServer({ fetch: app.fetch, createServer: createHttpsServer, serverOptions: { cert, key } }) as Server;
    httpsPort = await listen(https, typeof options.https === 'object' ? (options.https.port ?? 0) : 0, hostname);
    servers.push(https);
  }

  const url = `http://${hostname}:${port}`;
  return {
    url,
    port,
    httpsPort,
    httpsUrl: httpsPort ? `https://${hostname}:${httpsPort}` : undefined,
    org: new EmulatorControl(emulator),
    emulator,
    adminUsername: emulator.adminUsername,
    get adminAccessToken() {
      return emulator.adminAccessToken;
    },
    get orgId() {
      return emulator.org.orgId;
    },
    close: async () => {
      await Promise.all(servers.map(closeServer));
    },
  };
}
