/**
 * `npm run dataverse-emulator -- [--port 4457] [--environment https://acme.crm.dynamics.com] [--accounts 0]
 * [--contacts 0] [--latency-ms 0]`: starts the emulator and prints what to enter for it (environment URL, tenant
 * id, client id, client secret) and where it listens, so anyone can curl it or point the Worker at it. Ctrl+C stops it.
 */
import { parseArgs } from 'node:util';
import { serveUntilStopped, wholeNumber as number } from '../emulator-kit/cli';
import { startDataverseEmulator } from './server';

const DEFAULT_PORT = 4457;

serveUntilStopped(async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: String(DEFAULT_PORT) },
      environment: { type: 'string', default: 'https://acme.crm.dynamics.com' },
      accounts: { type: 'string', default: '0' },
      contacts: { type: 'string', default: '0' },
      'latency-ms': { type: 'string', default: '0' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log('Usage: npm run dataverse-emulator -- [--port 4457] [--environment https://acme.crm.dynamics.com] [--accounts N] [--contacts N] [--latency-ms N]');
    return undefined;
  }
  const emulator = await startDataverseEmulator({
    port: number('port', values.port),
    environmentUrl: values.environment,
    seed: { accounts: number('accounts', values.accounts), contacts: number('contacts', values.contacts) },
  });
  emulator.control.setSwitches({ requestLatencyMs: number('latency-ms', values['latency-ms']) });
  console.log(`
Dataverse emulator for ${emulator.environmentUrl}

  Emulator URL     ${emulator.url}
  Environment URL  ${emulator.environmentUrl}
  Tenant id        ${emulator.tenantId}
  Client id        ${emulator.clientId}
  Client secret    ${emulator.clientSecret}

  Token:  curl -s ${emulator.tokenUrl} -d grant_type=client_credentials -d client_id=${emulator.clientId} \\
            --data-urlencode 'client_secret=${emulator.clientSecret}' --data-urlencode 'scope=${emulator.environmentUrl}/.default'
  Then:   curl -H "Authorization: Bearer <access_token>" ${emulator.url}/api/data/v9.2/WhoAmI
  Control API: ${emulator.url}/__emulator/credentials   (see tests/dataverse-emulator/README.md)

Ctrl+C stops it.`);
  return emulator;
});
