/**
 * The functions a writer calls before syncing: `WhoAmI` (whoami.http), and, bound to a systemuser or a team,
 * `RetrievePrincipalAccess(Target=@p1)?@p1={'@odata.id':'accounts(<id>)'}`, `RetrieveUserPrivileges`,
 * `RetrieveUserPrivilegeByPrivilegeName(PrivilegeName='…')` and `RetrieveTeamPrivileges`
 * (retrieve-principal-access.http; team variants per GAPS §3–§4).
 */
import { DataverseError, rowNotFound, segmentNotFound } from '../errors';
import { type Operation, type OperationContext, type Outcome, jsonOutcome } from './operation';
import { parseReference } from './lookups';
import type { TableDefinition } from './schema';

export function whoAmI(ctx: OperationContext): Outcome {
  return jsonOutcome(200, {
    '@odata.context': `${ctx.base}$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
    BusinessUnitId: ctx.env.businessUnitId,
    UserId: ctx.callerId,
    OrganizationId: ctx.env.organizationId,
  });
}

const missingParameter = (name: string) => new DataverseError(400, '0x80040203', `The parameter '${name}' is missing or invalid.`);

export function boundFunction(ctx: OperationContext, table: TableDefinition, principalId: string, segment: string, op: Operation): Outcome {
  const match = /^Microsoft\.Dynamics\.CRM\.(\w+)(?:\((.*)\))?$/.exec(segment);
  if (!match || (table.logicalName !== 'systemuser' && table.logicalName !== 'team')) throw segmentNotFound(segment);
  const [, name, args = ''] = match;
  const principal = ctx.env.store.get(table.logicalName, principalId);
  if (!principal) throw rowNotFound({ filled: ctx.env.switches.filledErrorCodes }, table.logicalName, principalId);
  const context = (response: string) => `${ctx.base}$metadata#Microsoft.Dynamics.CRM.${response}`;
  const businessUnitId = (principal.values.businessunitid as { id: string } | undefined)?.id ?? ctx.env.businessUnitId;

  if (name === 'RetrievePrincipalAccess') {
    const alias = /^Target=(@\w+)$/.exec(args)?.[1];
    const parameter = alias ? op.url.searchParams.get(alias) : null;
    const reference = parameter ? /'@odata\.id'\s*:\s*'([^']+)'/.exec(parameter)?.[1] : undefined;
    if (!reference) throw missingParameter('Target');
    const target = parseReference(ctx, reference);
    if (!ctx.env.store.get(target.table.logicalName, target.id)) throw rowNotFound({ filled: ctx.env.switches.filledErrorCodes }, target.table.logicalName, target.id);
    return jsonOutcome(200, { '@odata.context': context('RetrievePrincipalAccessResponse'), AccessRights: ctx.env.privileges.accessRights(principal.id, target.table.logicalName) });
  }
  if ((name === 'RetrieveUserPrivileges' && table.logicalName === 'systemuser') || (name === 'RetrieveTeamPrivileges' && table.logicalName === 'team')) {
    return jsonOutcome(200, { '@odata.context': context(`${name}Response`), RolePrivileges: ctx.env.privileges.rolePrivileges(principal.id, businessUnitId) });
  }
  if (name === 'RetrieveUserPrivilegeByPrivilegeName' && table.logicalName === 'systemuser') {
    const privilege = /^PrivilegeName='([^']*)'$/.exec(args)?.[1];
    if (!privilege) throw missingParameter('PrivilegeName');
    return jsonOutcome(200, { '@odata.context': context(`${name}Response`), RolePrivileges: ctx.env.privileges.rolePrivileges(principal.id, businessUnitId, privilege) });
  }
  throw segmentNotFound(segment);
}
