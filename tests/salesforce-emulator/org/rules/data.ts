/**
 * Account and Contact rules: deleting an Account sends its Contacts to the recycle bin with it, as Salesforce does
 * (https://help.salesforce.com/s/articleView?id=sf.accounts_delete.htm).
 */
import type { ObjectRules } from '../dml';

export const dataRules: Record<string, ObjectRules> = {
  Account: {
    afterDelete(ctx, id) {
      const { org } = ctx;
      const contacts = org.table('Contact');
      const schema = org.schemas.get('Contact');
      const accountId = schema?.field('AccountId');
      if (!contacts || !schema || !accountId) return;
      const now = org.writeTime();
      for (const index of contacts.indices(false)) {
        if (org.read(schema, index, accountId) === id) contacts.softDelete(index, now);
      }
    },
  },
};
