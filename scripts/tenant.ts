/**
 * `npm run tenant -- <command>`: manage tenants and their API keys in D1 (local by default, `--remote` for the
 * deployed database).
 *
 *   create "Acme"          create a tenant and print its API key once
 *   list                   list tenants and how many active keys each has
 *   add-key <tenant-id>    print a further key for a tenant (for rotation)
 *   revoke-keys <tenant-id> revoke every key of a tenant
 *
 * Options: --remote (the deployed D1), --persist-to <dir> (a local D1 elsewhere than .wrangler/state), --json.
 */
import { parseArgs } from 'node:util';
import { ZodError } from 'zod';
import { addKey, createTenantWithKey, listTenants, revokeKeys } from './lib/tenants';
import type { D1Target } from './lib/wrangler';

const USAGE = 'Usage: npm run tenant -- create "<name>" | list | add-key <tenant-id> | revoke-keys <tenant-id> [--remote] [--persist-to <dir>] [--json]';

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { remote: { type: 'boolean' }, 'persist-to': { type: 'string' }, json: { type: 'boolean' } },
  });
  const [command, argument] = positionals;
  const target: D1Target = values.remote ? { remote: true } : { persistTo: values['persist-to'] };
  const where = values.remote ? 'the deployed D1 database' : 'the local D1 database';

  switch (command) {
    case 'create': {
      if (!argument) throw new Error(`Give the tenant a name. ${USAGE}`);
      const tenant = await createTenantWithKey(target, argument);
      if (values.json) return console.log(JSON.stringify(tenant));
      console.log(`Created tenant "${tenant.name}" (${tenant.id}) in ${where}.`);
      console.log(`\nAPI key (shown once; paste it into the Forcebridge extension options):\n\n  ${tenant.apiKey}\n`);
      return;
    }
    case 'list': {
      const tenants = await listTenants(target);
      if (values.json) return console.log(JSON.stringify(tenants));
      if (tenants.length === 0) return console.log(`No tenants in ${where}. Create one with \`npm run tenant -- create "Your team"\`.`);
      console.table(tenants);
      return;
    }
    case 'add-key': {
      if (!argument) throw new Error(`Name the tenant id. ${USAGE}`);
      const apiKey = await addKey(target, argument);
      console.log(values.json ? JSON.stringify({ apiKey }) : `New API key (shown once):\n\n  ${apiKey}\n`);
      return;
    }
    case 'revoke-keys': {
      if (!argument) throw new Error(`Name the tenant id. ${USAGE}`);
      await revokeKeys(target, argument);
      console.log(`Revoked every key of tenant ${argument}.`);
      return;
    }
    default:
      throw new Error(USAGE);
  }
}

main().catch((error: unknown) => {
  const message = error instanceof ZodError ? `The tenant name ${error.issues.map((issue) => issue.message).join('; ')}.` : error instanceof Error ? error.message : String(error);
  console.error(message);
  process.exit(1);
});
