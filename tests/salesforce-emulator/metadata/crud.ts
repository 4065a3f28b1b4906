/**
 * The synchronous Metadata API calls: createMetadata, readMetadata, updateMetadata, upsertMetadata, deleteMetadata
 * (up to 10 components a call; SaveResult/ReadResult/DeleteResult/UpsertResult per the v63 WSDL) and listMetadata.
 * A missing component reads back as an empty record, and deleting one answers INVALID_CROSS_REFERENCE_KEY.
 * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_crud_based_calls_intro.htm
 */
import { formatDateTimeZ } from '../clock';
import type { MetadataBody } from '../org/metadata-store';
import type { Org } from '../org/org';
import { applyChange, problems, readableBody, validateChange } from './apply';
import { METADATA_TYPES } from './types';
import { asArray, fields, SoapFault, toXml, withoutAttributes, type XmlObject } from './xml';

const MAX_COMPONENTS = 10;

type SaveError = { message: string; statusCode: string };

function saveResult(fullName: string, error?: SaveError, extra: [string, unknown][] = []): string {
  const errors = error ? `<errors>${fields([['message', error.message], ['statusCode', error.statusCode]])}</errors>` : '';
  return `<result>${fields(extra)}${errors}${fields([['fullName', fullName], ['success', !error]])}</result>`;
}

function components(value: unknown): { type: string; fullName: string; body: MetadataBody }[] {
  const list = asArray(value as XmlObject | XmlObject[]);
  if (list.length > MAX_COMPONENTS) throw new SoapFault('EXCEEDED_MAX_SIZE_REQUEST', `Exceeded max size limit of ${MAX_COMPONENTS} components per call`);
  return list.map((item) => {
    const type = String(item['@_type'] ?? '').replace(/^.*:/, '');
    const body = withoutAttributes(item) as MetadataBody;
    const fullName = String(body.fullName ?? '');
    delete body.fullName;
    return { type, fullName, body };
  });
}

export function createMetadata(org: Org, args: XmlObject, userId?: string): string {
  return components(args.metadata)
    .map(({ type, fullName, body }) => {
      if (org.metadata.get(type, fullName)) return saveResult(fullName, { message: `There is already a ${type} named ${fullName}.`, statusCode: 'DUPLICATE_DEVELOPER_NAME' });
      const problem = validateChange(org, { kind: 'upsert', type, fullName, body }, [], userId);
      if (problem) return saveResult(fullName, { message: problem.problem, statusCode: problem.statusCode });
      applyChange(org, { kind: 'upsert', type, fullName, body });
      return saveResult(fullName);
    })
    .join('');
}

export function updateMetadata(org: Org, args: XmlObject, userId?: string): string {
  return components(args.metadata)
    .map(({ type, fullName, body }) => {
      if (!org.metadata.get(type, fullName)) return saveResult(fullName, { message: problems.notFound(type, fullName), statusCode: 'INVALID_CROSS_REFERENCE_KEY' });
      const problem = validateChange(org, { kind: 'upsert', type, fullName, body }, [], userId);
      if (problem) return saveResult(fullName, { message: problem.problem, statusCode: problem.statusCode });
      applyChange(org, { kind: 'upsert', type, fullName, body });
      return saveResult(fullName);
    })
    .join('');
}

export function upsertMetadata(org: Org, args: XmlObject, userId?: string): string {
  return components(args.metadata)
    .map(({ type, fullName, body }) => {
      const created = !org.metadata.get(type, fullName);
      const problem = validateChange(org, { kind: 'upsert', type, fullName, body }, [], userId);
      if (problem) return saveResult(fullName, { message: problem.problem, statusCode: problem.statusCode }, [['created', false]]);
      applyChange(org, { kind: 'upsert', type, fullName, body });
      return saveResult(fullName, undefined, [['created', created]]);
    })
    .join('');
}

export function deleteMetadata(org: Org, args: XmlObject): string {
  const type = String(args.type ?? '');
  const names = asArray(args.fullNames as string | string[]).map(String);
  if (names.length > MAX_COMPONENTS) throw new SoapFault('EXCEEDED_MAX_SIZE_REQUEST', `Exceeded max size limit of ${MAX_COMPONENTS} components per call`);
  return names
    .map((fullName) => {
      const problem = validateChange(org, { kind: 'delete', type, fullName });
      if (problem) return saveResult(fullName, { message: problem.problem, statusCode: problem.statusCode });
      applyChange(org, { kind: 'delete', type, fullName });
      return saveResult(fullName);
    })
    .join('');
}

export function readMetadata(org: Org, args: XmlObject): string {
  const type = String(args.type ?? '');
  const names = asArray(args.fullNames as string | string[]).map(String);
  const records = names
    .map((fullName) => {
      const component = org.metadata.get(type, fullName);
      if (!component) return `<records xsi:type="${type}"/>`;
      return toXml('records', { fullName: component.fullName, ...readableBody(org, type, component.body) }, ` xsi:type="${type}"`);
    })
    .join('');
  return `<result>${records}</result>`;
}

export function listMetadata(org: Org, args: XmlObject): string {
  const queries = asArray(args.queries as XmlObject | XmlObject[]);
  return queries
    .flatMap((query) => {
      const type = String(query.type ?? '');
      const info = METADATA_TYPES.find((t) => t.type === type);
      return org.metadata.list(type).map((c) =>
        `<result>${fields([
          ['createdById', org.adminUserId],
          ['createdByName', 'Admin User'],
          ['createdDate', formatDateTimeZ(c.createdDate)],
          ['fileName', info ? `${info.folder}/${c.fullName}.${info.suffix}` : `${type}/${c.fullName}`],
          ['fullName', c.fullName],
          ['id', c.id],
          ['lastModifiedById', org.adminUserId],
          ['lastModifiedByName', 'Admin User'],
          ['lastModifiedDate', formatDateTimeZ(c.lastModifiedDate)],
          ['manageableState', 'unmanaged'],
          ['type', type],
        ])}</result>`,
      );
    })
    .join('');
}
