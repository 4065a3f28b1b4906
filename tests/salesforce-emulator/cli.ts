/**
 * `npm run emulator -- [--port 4455] [--https] [--https-port 4456] [--my-domain acme] [--accounts 50]
 * [--contacts 500] [--seed 1]`: starts the emulator with a small demo org and prints how to reach it (base URL,
 * admin username, an admin access token), so anyone can curl or jsforce it. Ctrl+C stops it.
 */
import { parseArgs } from 'node:util';
import { serveUntilStopped, wholeNumber as number } from '../emulator-kit/cli';
import { startEmulator } from './server';

const DEFAULT_PORT = 4455;

serveUntilStopped(async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: String(DEFAULT_PORT) },
      https: { type: 'boolean', default: false },
      'https-port': { type: 'string' },
      'my-domain': { type: 'string', default: 'acme' },
      accounts: { type: 'string', default: '50' },
      contacts: { type: 'string', default: '500' },
      seed: { type: 'string', default: '1' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log('Usage: npm run emulator -- [--port 4455] [--https] [--https-port N] [--my-domain acme] [--accounts 50] [--contacts 500] [--seed 1]');
    return undefined;
  }
  const httpsPort = values['https-port'] === undefined ? undefined : number('https-port', values['https-port']);
  const emulator = await startEmulator({
    port: number('port', values.port),
    https: values.https || httpsPort !== undefined ? { port: httpsPort } : false,
    myDomain: values['my-domain'],
    seed: { accounts: number('accounts', values.accounts), contacts: number('contacts', values.contacts), seed: number('seed', values.seed) },
  });
  const token = emulator.adminAccessToken;
  console.log(`
Salesforce emulator for org ${emulator.orgId} (My Domain "${values['my-domain']}")

  Base URL        ${emulator.url}
  Admin username  ${emulator.adminUsername}
  Admin token     ${token}
${emulator.httpsUrl ? `  HTTPS           ${emulator.httpsUrl}   (Setup lookalike: ${emulator.httpsUrl}/lightning/setup/SetupOneHome/home)\n` : ''}
  Try:  curl -H "Authorization: Bearer ${token}" '${emulator.url}/services/data/v62.0/query?q=SELECT+Id,Name+FROM+Account+LIMIT+5'
  Control API: ${emulator.url}/__emulator/org   (see tests/salesforce-emulator/README.md)

Ctrl+C stops it.`);
  return emulator;
});
