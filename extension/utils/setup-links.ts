/**
 * Links from the panel into the org's own Setup pages, on the Setup host the admin is on
 * (`https://<my-domain>.my.salesforce-setup.com`). Setup's Lightning pages wrap the classic record pages through
 * `page?address=/<id>`, which is how Setup itself links to a user or a permission set. Records use Lightning's
 * `/lightning/r/<Object>/<Id>/view`
 * (https://developer.salesforce.com/blogs/2018/01/heres-need-know-new-url-format-lightning.html). Salesforce does
 * not promise UI URLs the way it promises APIs, so they are built here, in one place.
 */
import { myDomainName } from '../../shared/salesforce-hosts';

export function setupLinks(instanceUrl: string) {
  const domain = myDomainName(instanceUrl);
  const base = domain ? `https://${domain}.my.salesforce-setup.com/lightning/setup` : null;
  const lightning = domain ? `https://${domain}.lightning.force.com/lightning` : null;
  return {
    user: (id: string | null) => (base && id ? `${base}/ManageUsers/page?address=${encodeURIComponent(`/${id}?noredirect=1`)}` : null),
    permissionSet: (id: string | null) => (base && id ? `${base}/PermSets/page?address=${encodeURIComponent(`/${id}`)}` : null),
    clientApps: () => (base ? `${base}/ManageExternalClientApplication/home` : null),
    setupHome: () => (base ? `${base}/SetupOneHome/home` : null),
    /** A record in Lightning Experience: /lightning/r/<Object>/<Id>/view */
    record: (object: string, id: string) => (lightning ? `${lightning}/r/${object}/${id}/view` : null),
  };
}
