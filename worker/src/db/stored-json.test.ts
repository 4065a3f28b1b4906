import { describe, expect, it } from 'vitest';
import { parseDescribeFields, parseDrift, parseGrantedAccess, parseMapping, parseStepState } from './stored-json';

describe('stored JSON, parsed at the row boundary', () => {
  it('reads what the Worker writes', () => {
    expect(parseMapping('{"fullname":"Name"}')).toEqual({ fullname: 'Name' });
    expect(parseGrantedAccess('{"objects":[{"sobject":"Contact","read":true,"viewAllRecords":true}],"fields":["Contact.Email"]}')?.fields).toEqual(['Contact.Email']);
    expect(parseDescribeFields('[{"name":"Email","label":"Email","type":"email"}]')[0]!.type).toBe('email');
    expect(parseStepState('{"deployId":"0Af"}')).toEqual({ deployId: '0Af' });
  });

  it('treats an empty column as nothing stored', () => {
    expect(parseDrift(null)).toEqual([]);
    expect(parseGrantedAccess(null)).toBeNull();
    expect(parseStepState(null)).toEqual({});
  });

  it('refuses text that is not JSON, naming the column', () => {
    expect(() => parseMapping('{not json')).toThrow(/connector_tables\.mapping holds text that is not JSON/);
  });

  it('refuses JSON of the wrong shape, naming the column and where', () => {
    expect(() => parseMapping('{"fullname":42}')).toThrow(/connector_tables\.mapping holds JSON of the wrong shape.*fullname/);
    expect(() => parseMapping('[]')).toThrow(/connector_tables\.mapping/);
    expect(() => parseGrantedAccess('{"objects":[{"sobject":"Lead","read":true,"viewAllRecords":true}],"fields":[]}')).toThrow(/connections\.granted_access/);
    expect(() => parseDescribeFields('[{"name":"Email"}]')).toThrow(/describe_cache\.fields/);
    expect(() => parseDrift('{"kind":"x"}')).toThrow(/connections\.drift/);
  });
});
