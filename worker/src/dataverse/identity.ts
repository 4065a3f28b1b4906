/**
 * Who the connection signs in as: `WhoAmI` gives the application user's systemuserid and business unit, then the
 * user's and the business unit's names.
 *  - WhoAmI: https://learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/whoami
 *  - formatted values of lookups (`_businessunitid_value@OData.Community.Display.V1.FormattedValue`):
 *    https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/select-columns#formatted-values
 */
import { z } from 'zod';
import type { DataverseClient } from './client';

const WhoAmISchema = z.object({ UserId: z.string(), BusinessUnitId: z.string(), OrganizationId: z.string() });
const UserSchema = z.object({ fullname: z.string().nullish(), applicationid: z.string().nullish() });
const BusinessUnitSchema = z.object({ name: z.string().nullish() });

export interface ApplicationUser {
  userId: string;
  name: string;
  businessUnitId: string;
  businessUnitName: string;
  organizationId: string;
}

export async function whoAmI(client: DataverseClient): Promise<ApplicationUser> {
  const me = await client.request('GET', 'WhoAmI', { schema: WhoAmISchema });
  const [user, unit] = await Promise.all([
    client.request('GET', `systemusers(${me.UserId})?$select=fullname`, { schema: UserSchema }),
    client.request('GET', `businessunits(${me.BusinessUnitId})?$select=name`, { schema: BusinessUnitSchema }),
  ]);
  return {
    userId: me.UserId,
    name: user.fullname ?? '',
    businessUnitId: me.BusinessUnitId,
    businessUnitName: unit.name ?? '',
    organizationId: me.OrganizationId,
  };
}
