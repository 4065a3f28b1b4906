/**
 * `npm run doctor -- --instance-url https://acme.my.salesforce.com --access-token 00D…`: checks, without creating
 * anything, everything Turn on access assumes about the org (see scripts/lib/doctor.ts), prints ✓/✗ with what to
 * do, and exits 1 when anything failed. Against the local demo org: the URL and admin token `npm start` or
 * `npm run emulator` print. `SF_INSTANCE_URL` and `SF_ACCESS_TOKEN` work too, so the token stays out of shell history.
 */
import { parseArgs } from 'node:util';
import { runDoctor } from './lib/doctor';

const USAGE = 'Usage: npm run doctor -- --instance-url https://<my-domain>.my.salesforce.com --access-token <admin access token>';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'instance-url': { type: 'string', default: process.env.SF_INSTANCE_URL },
      'access-token': { type: 'string', default: process.env.SF_ACCESS_TOKEN },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const instanceUrl = values['instance-url'];
  const accessToken = values['access-token'];
  if (!instanceUrl || !accessToken) {
    console.error(`Give the org's address and an admin's access token (for example from \`sf org display\`).\n${USAGE}`);
    return 2;
  }
  if (!URL.canParse(instanceUrl)) {
    console.error(`--instance-url must be a URL such as https://acme.my.salesforce.com, got "${instanceUrl}".`);
    return 2;
  }
  const report = await runDoctor({ instanceUrl, accessToken });
  console.log(report.text);
  return report.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`The doctor could not finish: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
