import { describe, expect, it } from 'vitest';
import { isSetupPage, myDomainName } from './salesforce-hosts';

describe('isSetupPage', () => {
  it.each([
    'https://acme.my.salesforce-setup.com/lightning/setup/SetupOneHome/home',
    'https://acme.lightning.force.com/lightning/setup/ManageUsers/home',
    'https://acme--uat.sandbox.my.salesforce-setup.com/lightning/setup/',
  ])('accepts %s', (url) => expect(isSetupPage(url)).toBe(true));

  it.each([
    'https://acme.lightning.force.com/lightning/o/Contact/list',
    'https://acme.my.salesforce-setup.com/lightning/setupx',
    'http://acme.my.salesforce-setup.com/lightning/setup/SetupOneHome/home',
    'https://evil.example.com/lightning/setup/SetupOneHome/home',
    'https://acme.my.salesforce-setup.com.evil.example/lightning/setup/x',
    'not a url',
  ])('rejects %s', (url) => expect(isSetupPage(url)).toBe(false));
});

describe('myDomainName', () => {
  it('is the same for every host of one org', () => {
    expect(myDomainName('https://Acme.my.salesforce-setup.com/x')).toBe('acme');
    expect(myDomainName('https://acme.lightning.force.com/x')).toBe('acme');
    expect(myDomainName('https://acme.my.salesforce.com/x')).toBe('acme');
    expect(myDomainName('https://acme--uat.sandbox.my.salesforce-setup.com/')).toBe('acme--uat.sandbox');
  });
  it('is undefined off Salesforce', () => expect(myDomainName('https://example.com/')).toBeUndefined());
});
