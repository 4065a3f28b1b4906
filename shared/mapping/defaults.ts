/** The predefined mappings (SPEC §2): what a new connector starts with and what Reset returns to. */
import type { DestinationTable } from './destination';

/** destination column → Salesforce field */
export type TableMapping = Record<string, string>;

export const DEFAULT_MAPPINGS: Record<DestinationTable, TableMapping> = {
  contact: {
    contactid: 'Id',
    assistantname: 'AssistantName',
    assistantphone: 'AssistantPhone',
    birthdate: 'Birthdate',
    department: 'Department',
    description: 'Description',
    emailaddress1: 'Email',
    fax: 'Fax',
    firstname: 'FirstName',
    lastname: 'LastName',
    mobilephone: 'MobilePhone',
    salutation: 'Salutation',
    telephone1: 'Phone',
    parentcustomerid: 'AccountId',
  },
  account: {
    accountid: 'Id',
    accountnumber: 'AccountNumber',
    description: 'Description',
    fax: 'Fax',
    name: 'Name',
    numberofemployees: 'NumberOfEmployees',
    sic: 'Sic',
    telephone1: 'Phone',
    tickersymbol: 'TickerSymbol',
  },
};
