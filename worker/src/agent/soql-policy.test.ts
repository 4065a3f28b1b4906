import { describe, expect, it } from 'vitest';
import { LIVE_ROW_CAP, checkedSoql } from './soql-policy';

const readable = new Map([
  ['contact', new Map([['id', 'Id'], ['lastname', 'LastName'], ['email', 'Email']])],
  ['account', new Map([['id', 'Id'], ['name', 'Name']])],
]);

describe('checkedSoql', () => {
  it('passes a plain SELECT of readable fields, composed again, with the row cap applied', () => {
    const checked = checkedSoql("select id, lastname from contact where email = 'a@b.c' order by lastname", readable);
    expect(checked.object.toLowerCase()).toBe('contact');
    expect(checked.soql).toMatch(/LIMIT 200$/);
    expect(checkedSoql('SELECT Id FROM Contact LIMIT 5', readable).soql).toMatch(/LIMIT 5$/);
    expect(checkedSoql('SELECT Id FROM Contact LIMIT 5000', readable).soql).toMatch(new RegExp(`LIMIT ${LIVE_ROW_CAP}$`));
  });

  it.each([
    ['SELECT Id FROM Opportunity', 'may not read Opportunity'],
    ['SELECT Id, Birthdate FROM Contact', 'not a field the integration user may read'],
    ["SELECT Id FROM Contact WHERE Birthdate = 2020-01-01", 'not a field'],
    ['SELECT Id FROM Contact ORDER BY Birthdate', 'not a field'],
    ['SELECT Id, Account.Name FROM Contact', 'plain fields'],
    ['SELECT COUNT() FROM Contact', 'plain fields'],
    ['SELECT Id, (SELECT Id FROM Contacts) FROM Account', 'plain fields'],
    ['SELECT Id FROM Contact WHERE Id IN (SELECT ContactId FROM Case)', 'subqueries'],
    ['SELECT LastName FROM Contact GROUP BY LastName', 'GROUP BY'],
    ['SELECT Id FROM Contact FOR UPDATE', 'FOR'],
    ["DELETE FROM Contact", 'not a SOQL SELECT'],
    ["SELECT Id FROM Contact WHERE LastName = 'x'; DELETE", 'not a SOQL SELECT'],
  ])('refuses %s', (soql, message) => {
    expect(() => checkedSoql(soql, readable)).toThrow(message);
  });
});
