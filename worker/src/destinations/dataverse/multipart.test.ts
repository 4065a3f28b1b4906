import { describe, expect, it } from 'vitest';
import { batchBody, boundaryOf, readBatchAnswer } from './multipart';

describe('$batch multipart', () => {
  it('writes change sets with Content-IDs and single parts, CRLF throughout', () => {
    const body = batchBody('batch_x', [
      [
        { contentId: '1', request: { method: 'PATCH', path: 'contacts(a)', body: { lastname: 'A' } } },
        { contentId: '2', request: { method: 'DELETE', path: 'contacts(b)' } },
      ],
      [{ contentId: '3', request: { method: 'PATCH', path: 'contacts(c)', headers: { 'If-Match': '*' }, body: { statecode: 1 } } }],
    ]);
    expect(body).not.toMatch(/[^\r]\n/);
    expect(body).toContain('Content-Type: multipart/mixed; boundary=changeset_x_0\r\n\r\n--changeset_x_0\r\n');
    expect(body).toContain('Content-ID: 2\r\n\r\nDELETE /api/data/v9.2/contacts(b) HTTP/1.1\r\n');
    expect(body).toContain('PATCH /api/data/v9.2/contacts(c) HTTP/1.1\r\nContent-Type: application/json\r\nIf-Match: *\r\n\r\n{"statecode":1}\r\n');
    expect(body.endsWith('--batch_x--\r\n')).toBe(true);
  });

  it('reads the parts of an answer in order, change sets flattened, with status, Content-ID and error', () => {
    const answer = [
      '--batchresponse_1',
      'Content-Type: multipart/mixed; boundary=changesetresponse_2',
      '',
      '--changesetresponse_2',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      'Content-ID: 7',
      '',
      'HTTP/1.1 400 Bad Request',
      'REQ_ID: x',
      'Content-Type: application/json; odata.metadata=minimal',
      '',
      '{"error":{"code":"0x80044331","message":"too long"}}',
      '--changesetresponse_2--',
      '--batchresponse_1',
      'Content-Type: application/http',
      'Content-Transfer-Encoding: binary',
      '',
      'HTTP/1.1 204 No Content',
      'OData-Version: 4.0',
      '',
      '',
      '--batchresponse_1--',
      '',
    ].join('\r\n');
    expect(boundaryOf('multipart/mixed; boundary=batchresponse_1')).toBe('batchresponse_1');
    expect(readBatchAnswer(answer, 'batchresponse_1')).toEqual([
      { status: 400, contentId: '7', error: { code: '0x80044331', message: 'too long' }, json: null },
      { status: 204, contentId: null, error: null, json: null },
    ]);
  });
});
