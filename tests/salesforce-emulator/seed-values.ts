/**
 * Field values of seeded Accounts and Contacts as a pure function of (seed, row index, field), computed when read
 * rather than stored (see org/table.ts). Every field of the default Connector mapping is filled (Contact:
 * AssistantName … AccountId; Account: AccountNumber … TickerSymbol, SPEC §2), plus addresses, titles and industries
 * so compound fields and filters have something to chew on.
 */
import type { RowGenerator } from './org/table';

const FIRST = ['James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen', 'Aiko', 'Mateo', 'Priya', 'Lars', 'Fatima', 'Chen', 'Olga', 'Kwame', 'Sofia', 'Yusuf'];
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Nakamura', 'Okafor', 'Lindqvist', 'Haddad', 'Kowalski', 'Dubois', 'Rossi', 'Singh', 'Novak', 'O\'Brien'];
const SALUTATIONS = ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.'];
const DEPARTMENTS = ['Sales', 'Marketing', 'Finance', 'Engineering', 'Operations', 'Legal', 'Procurement', 'Customer Success', 'IT', 'Human Resources'];
const TITLES = ['VP, Sales', 'Director of Marketing', 'CFO', 'Engineering Manager', 'Head of Operations', 'General Counsel', 'Buyer', 'Account Manager', 'CIO', 'HR Business Partner'];
const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'];
const ADJECTIVES = ['Global', 'United', 'Pacific', 'Northern', 'Blue', 'Summit', 'Pioneer', 'Bright', 'Silver', 'Evergreen', 'Atlas', 'Harbor', 'Granite', 'Crescent', 'Vertex'];
const NOUNS = ['Media', 'Logistics', 'Foods', 'Energy', 'Systems', 'Health', 'Textiles', 'Analytics', 'Motors', 'Biotech', 'Outfitters', 'Robotics', 'Capital', 'Airlines', 'Telecom'];
const SUFFIXES = ['Inc.', 'Corp.', 'LLC', 'Ltd.', 'Group', 'GmbH', 'S.A.', 'plc'];
const INDUSTRIES = ['Agriculture', 'Apparel', 'Banking', 'Biotechnology', 'Communications', 'Construction', 'Education', 'Electronics', 'Energy', 'Engineering', 'Entertainment', 'Finance', 'Healthcare', 'Insurance', 'Manufacturing', 'Media', 'Retail', 'Technology', 'Transportation', 'Utilities'];
const TYPES = ['Prospect', 'Customer - Direct', 'Customer - Channel', 'Channel Partner / Reseller', 'Installation Partner', 'Technology Partner', 'Other'];
const CITIES: [city: string, state: string, country: string, zip: string][] = [
  ['San Francisco', 'CA', 'USA', '94105'], ['New York', 'NY', 'USA', '10001'], ['Austin', 'TX', 'USA', '73301'], ['Chicago', 'IL', 'USA', '60601'],
  ['Seattle', 'WA', 'USA', '98101'], ['Toronto', 'ON', 'Canada', 'M5H 2N2'], ['London', 'England', 'United Kingdom', 'EC1A 1BB'], ['Paris', 'Île-de-France', 'France', '75001'],
  ['Berlin', 'Berlin', 'Germany', '10115'], ['Tokyo', 'Tokyo', 'Japan', '100-0001'], ['Sydney', 'NSW', 'Australia', '2000'], ['São Paulo', 'SP', 'Brazil', '01000-000'],
];
const STREETS = ['Market St', 'Main St', 'Oak Ave', 'Pine St', 'Maple Dr', 'Cedar Ln', 'Elm St', 'Lake View Rd', 'Harbor Blvd', 'Park Ave'];
const WORDS = ['strategic', 'renewal', 'expansion', 'pilot', 'enterprise', 'regional', 'priority', 'quarterly', 'onboarding', 'integration', 'partner', 'key', 'account', 'review', 'follow-up', 'budget'];

/** A 32-bit hash of (seed, row, salt): the same inputs always give the same value. */
export function hash(seed: number, row: number, salt: number): number {
  let h = (seed ^ Math.imul(row + 0x9e3779b9, 0x85ebca6b) ^ Math.imul(salt + 1, 0xc2b2ae35)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

function pick<T>(list: readonly T[], n: number): T {
  return list[n % list.length] as T;
}

function digits(n: number, count: number): string {
  return String(n % 10 ** count).padStart(count, '0');
}

function phone(h: number): string {
  return `(${200 + (h % 700)}) 555-${digits(h >>> 10, 4)}`;
}

function sentence(seed: number, row: number, salt: number): string {
  const words: string[] = [];
  const count = 5 + (hash(seed, row, salt) % 8);
  for (let k = 0; k < count; k++) words.push(pick(WORDS, hash(seed, row, salt + k + 1)));
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1) + '.';
}

export function accountName(seed: number, row: number): string {
  const h = hash(seed, row, 1);
  return `${pick(ADJECTIVES, h)} ${pick(NOUNS, h >>> 8)} ${pick(SUFFIXES, h >>> 16)}`.trim() + (row >= 1000 ? ` ${row}` : '');
}

/** Field values of seeded Account `row`. */
export function accountGenerator(seed: number): RowGenerator {
  return function accountValue(row, field) {
    const h = hash(seed, row, field.length * 31 + field.charCodeAt(0));
    const place = pick(CITIES, hash(seed, row, 7));
    switch (field) {
      case 'Name': return accountName(seed, row);
      case 'AccountNumber': return `CD${digits(hash(seed, row, 2), 6)}`;
      case 'Description': return sentence(seed, row, 300);
      case 'Fax': return phone(hash(seed, row, 3));
      case 'Phone': return phone(hash(seed, row, 4));
      case 'NumberOfEmployees': return 5 + (h % 50_000);
      case 'Sic': return String(1000 + (h % 8999));
      case 'TickerSymbol': return String.fromCharCode(65 + (h % 26), 65 + ((h >>> 5) % 26), 65 + ((h >>> 10) % 26)) + (h % 2 ? String.fromCharCode(65 + ((h >>> 15) % 26)) : '');
      case 'Industry': return pick(INDUSTRIES, h);
      case 'Type': return pick(TYPES, h);
      case 'Website': return `www.${accountName(seed, row).split(' ')[0]?.toLowerCase()}${row}.example.com`;
      case 'AnnualRevenue': return (1 + (h % 5000)) * 10_000;
      case 'Rating': return pick(['Hot', 'Warm', 'Cold'], h);
      case 'BillingStreet': return `${1 + (h % 9000)} ${pick(STREETS, h >>> 8)}`;
      case 'BillingCity': return place[0];
      case 'BillingState': return place[1];
      case 'BillingCountry': return place[2];
      case 'BillingPostalCode': return place[3];
      default: return undefined;
    }
  };
}

/** Field values of seeded Contact `row`; `accountIdOf(i)` gives the id of Account row i. */
export function contactGenerator(seed: number, accounts: number, contacts: number, accountIdOf: (row: number) => string): RowGenerator {
  return function contactValue(row, field) {
    const first = pick(FIRST, hash(seed, row, 11));
    const last = pick(LAST, hash(seed, row, 12));
    const place = pick(CITIES, hash(seed, row, 13));
    switch (field) {
      case 'FirstName': return first;
      case 'LastName': return last;
      case 'Salutation': return pick(SALUTATIONS, hash(seed, row, 14));
      case 'Email': return `${first}.${last}${row}@example.com`.toLowerCase().replace(/'/g, '');
      case 'Phone': return phone(hash(seed, row, 15));
      case 'Fax': return phone(hash(seed, row, 16));
      case 'MobilePhone': return phone(hash(seed, row, 17));
      case 'AssistantName': return `${pick(FIRST, hash(seed, row, 18))} ${pick(LAST, hash(seed, row, 19))}`;
      case 'AssistantPhone': return phone(hash(seed, row, 20));
      case 'Birthdate': {
        const days = hash(seed, row, 21) % (365 * 45);
        return new Date(Date.UTC(1960, 0, 1) + days * 86_400_000).toISOString().slice(0, 10);
      }
      case 'Department': return pick(DEPARTMENTS, hash(seed, row, 22));
      case 'Title': return pick(TITLES, hash(seed, row, 23));
      case 'Description': return sentence(seed, row, 400);
      case 'LeadSource': return pick(LEAD_SOURCES, hash(seed, row, 24));
      case 'AccountId': return accounts > 0 ? accountIdOf(Math.min(accounts - 1, Math.floor((row * accounts) / Math.max(contacts, 1)))) : undefined;
      case 'MailingStreet': return `${1 + (hash(seed, row, 25) % 9000)} ${pick(STREETS, hash(seed, row, 26))}`;
      case 'MailingCity': return place[0];
      case 'MailingState': return place[1];
      case 'MailingCountry': return place[2];
      case 'MailingPostalCode': return place[3];
      default: return undefined;
    }
  };
}
