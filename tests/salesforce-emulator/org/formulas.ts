/**
 * Formula fields on Account and Contact. A formula is computed when the record is read, so its value changes when a
 * record it references changes, while the referencing record's SystemModstamp stays where it was: that is why a
 * copy of a formula goes stale, and what the sync's formula refresh must catch. In describe they are `calculated`,
 * never createable or updateable; field-level security can grant Read only.
 * https://help.salesforce.com/s/articleView?id=sf.customize_formulas.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_describesobjects_describesobjectresult.htm (Field: calculated, calculatedFormula)
 */
import type { Org } from './org';

type Formula = { object: 'Account' | 'Contact'; name: string; label: string; formula: string; reference: string; read: string };

/** `<object>.<name>` reads field `read` of the record that `reference` points at. */
export const FORMULA_FIELDS: readonly Formula[] = [
  { object: 'Contact', name: 'Account_Name__c', label: 'Account Name (formula)', formula: 'Account.Name', reference: 'AccountId', read: 'Name' },
  { object: 'Account', name: 'Parent_Name__c', label: 'Parent Account Name (formula)', formula: 'Parent.Name', reference: 'ParentId', read: 'Name' },
];

export function addFormulaFields(org: Org): void {
  for (const f of FORMULA_FIELDS) {
    const def = org.schemas.addCustomField(f.object, { name: f.name, type: 'string', label: f.label, length: 1300, createable: false, updateable: false, permissionable: true });
    def.describe.calculated = true;
    def.describe.calculatedFormula = f.formula;
    def.describe.defaultedOnCreate = false;
    org.computed.set(`${f.object}.${f.name}`, (index) => {
      const target = org.value(f.object, index, f.reference);
      const located = typeof target === 'string' ? org.locate(target) : undefined;
      if (!located) return null;
      const field = located.schema.field(f.read);
      return field ? (org.read(located.schema, located.index, field) ?? null) : null;
    });
  }
}
