/**
 * The demo Dataverse environment `npm start` runs beside the demo org: the Dataverse emulator, and a JSON file with
 * what to enter for it (environment URL, tenant id, client id, client secret, the emulator's own URL). The client
 * secret of the previous run is reused, so a connection saved against the demo keeps working after a restart.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { startDataverseEmulator, type RunningDataverseEmulator } from '../../tests/dataverse-emulator';

export type DataverseDemo = { environmentUrl: string; tenantId: string; clientId: string; clientSecret: string; emulatorUrl: string };

export async function startDataverseDemo(options: { port: number; file: string }): Promise<{ emulator: RunningDataverseEmulator; demo: DataverseDemo }> {
  const previous = existsSync(options.file) ? (JSON.parse(readFileSync(options.file, 'utf8')) as Partial<DataverseDemo>) : {};
  const emulator = await startDataverseEmulator({ port: options.port, clientSecret: previous.clientSecret });
  const demo: DataverseDemo = {
    environmentUrl: emulator.environmentUrl,
    tenantId: emulator.tenantId,
    clientId: emulator.clientId,
    clientSecret: emulator.clientSecret,
    emulatorUrl: emulator.url,
  };
  mkdirSync(dirname(options.file), { recursive: true });
  writeFileSync(options.file, `${JSON.stringify(demo, null, 2)}\n`);
  return { emulator, demo };
}
