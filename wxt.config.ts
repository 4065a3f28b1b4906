import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';
import { SALESFORCE_PAGE_MATCHES } from './shared/salesforce-hosts';

/**
 * Public half of the key that fixes the unpacked development build's id to
 * `enjhnpgdobcaicgmhhamcmagjeaeebhh`, so the local Worker can allow exactly that origin.
 * Store builds (`FORCEBRIDGE_STORE_BUILD=1`, set by `npm run build`) leave it out: the stores assign their own id.
 */
const DEVELOPMENT_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEArulohnWF2aGUVKMtGCj/sX7WktfpBa6eEuybyFQIll3/op+uPtNXmBukSoOtcEqnbqiZfkNFgUY1hKDKKh1E8oq7sd/tZKp/3GDxJiNRCuiV1XzhGF5Yy+OeTQlWmjOQBg7FS86gN70seJf9y2BC2jF3RMqqsT54nqXJnSA2NYBaUgyAIscjywEKw0p2Z2wnGJ5JUx0mIyXe6h7E5CfubaA2X1a++9OjEBgY2PMg6pqX0wMiXk6vGsaloU7B4fQ2f2bLgAJdn1sZToc5MTOTUHg5vMEQOMYRJx1RRriaecMfgmBoMPnwjeH8Wc+u9cofxmStP67CfOiwjVHkcULj6QIDAQAB';

export default defineConfig({
  srcDir: 'extension',
  outDir: '.output',
  modules: ['@wxt-dev/webextension-polyfill'],
  // Explicit imports everywhere: a reader can follow every name to its module.
  imports: false,
  vite: () => ({ plugins: [preact()] }),
  manifest: ({ browser }) => ({
    name: 'Forcebridge',
    description: 'Connect Salesforce to your own systems from inside Setup: server-to-server access and a Contact/Account connector.',
    // cookies: the admin's session for the org being viewed, read only when the admin acts; identity: the OAuth sign-in.
    permissions: ['storage', 'cookies', 'identity'],
    host_permissions: [...SALESFORCE_PAGE_MATCHES],
    // The bundled help page, so the panel's "Learn more" links (anchors in a Setup page) can open it.
    web_accessible_resources: [{ resources: ['help.html'], matches: [...SALESFORCE_PAGE_MATCHES] }],
    ...(browser === 'chrome' && !process.env.FORCEBRIDGE_STORE_BUILD ? { key: DEVELOPMENT_KEY } : {}),
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'forcebridge@forcebridge.dev',
              strict_min_version: '128.0',
              // The tenant API key (and, when an admin acts, their Salesforce session) go to the team's own Worker.
              data_collection_permissions: { required: ['authenticationInfo'] },
            },
          },
        }
      : {}),
  }),
});
