/**
 * SOAP and metadata XML: parsing requests and component files (namespace prefixes dropped, every value a string, as
 * the Metadata API's own XML is untyped text) and writing responses in Salesforce's envelope
 * (`soapenv` + the metadata namespace as default, soap/metaforce-mit/*.xml) and its faults (`sf:CODE` with
 * "CODE: message", HTTP 500 — what jsforce's SOAP client recognises, e.g. for INVALID_SESSION_ID).
 */
import { XMLParser } from 'fast-xml-parser';

export const METADATA_NS = 'http://soap.sforce.com/2006/04/metadata';

export type XmlValue = string | XmlObject | XmlValue[];
export type XmlObject = { [key: string]: XmlValue };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
});

export function parseXml(text: string): XmlObject {
  return parser.parse(text) as XmlObject;
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Plain values of a parsed element without attributes (`@_…`) and namespace declarations. */
export function withoutAttributes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutAttributes);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key.startsWith('@_')) continue;
    out[key] = withoutAttributes(inner);
  }
  if (Object.keys(out).length === 0 && '#text' in (value as object)) return (value as Record<string, unknown>)['#text'];
  return out;
}

/**
 * Writes `value` as elements named `name`: arrays repeat the element, objects nest, null/undefined are skipped.
 * Object keys go out with `fullName` first and the rest alphabetical, the order of the WSDL's sequences.
 */
export function toXml(name: string, value: unknown, attributes = ''): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((item) => toXml(name, item)).join('');
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a === 'fullName' ? -1 : b === 'fullName' ? 1 : a.localeCompare(b)));
    return `<${name}${attributes}>${entries.map(([key, inner]) => toXml(key, inner)).join('')}</${name}>`;
  }
  return `<${name}${attributes}>${escapeXml(String(value))}</${name}>`;
}

/** Elements in the given order (for result types whose field order is fixed). */
export function fields(entries: [string, unknown][]): string {
  return entries.map(([key, value]) => toXml(key, value)).join('');
}

export function envelope(body: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="${METADATA_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    `<soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`
  );
}

export function faultEnvelope(code: string, message: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="${METADATA_NS}">` +
    `<soapenv:Body><soapenv:Fault><faultcode>sf:${code}</faultcode><faultstring>${escapeXml(`${code}: ${message}`)}</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`
  );
}

export class SoapFault extends Error {
  override readonly name = 'SoapFault';

  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const asArray = <T>(value: T | T[] | undefined | null): T[] => (value === undefined || value === null || value === '' ? [] : Array.isArray(value) ? value : [value]);
