/**
 * Reads a deploy zip: `package.xml` (at the root or in one top folder), the component files it names (folder and
 * suffix per types.ts; `-meta.xml` companions ignored) and `destructiveChanges[Pre|Post].xml` listing what to
 * delete. Components named in package.xml but missing from the zip fail as Salesforce reports it.
 * https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_deploy.htm
 */
import { strFromU8, unzipSync } from 'fflate';
import type { MetadataBody } from '../org/metadata-store';
import type { ComponentChange } from './apply';
import { componentOfPath, ECA_TYPES } from './types';
import { asArray, parseXml, withoutAttributes, type XmlObject } from './xml';

export type PackageProblem = { fileName: string; fullName: string; componentType: string; problem: string };
export type ParsedPackage = { changes: ComponentChange[]; problems: PackageProblem[]; packageFile: string };

/** Order in which upserts run: parents before the parts that name them. */
const UPSERT_ORDER = ['ExternalClientAppSettings', 'ExternalClientApplication', 'ExtlClntAppOauthSettings', 'ExtlClntAppGlobalOauthSettings', 'ExtlClntAppOauthConfigurablePolicies', 'ExtlClntAppConfigurablePolicies'];

function rootElement(xml: XmlObject): XmlObject {
  const key = Object.keys(xml).find((k) => !k.startsWith('?') && !k.startsWith('@_'));
  const value = key ? xml[key] : undefined;
  return value && typeof value === 'object' && !Array.isArray(value) ? value : {};
}

function members(xml: string): { type: string; member: string }[] {
  const pkg = rootElement(parseXml(xml));
  return asArray(pkg.types as XmlObject | XmlObject[]).flatMap((entry) =>
    asArray(entry.members as string | string[]).map((member) => ({ type: String(entry.name ?? ''), member: String(member) })),
  );
}

export function parsePackage(zip: Uint8Array): ParsedPackage {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip);
  } catch {
    return { changes: [], problems: [{ fileName: 'package.xml', fullName: 'package.xml', componentType: '', problem: 'The deploy file is not a valid zip file.' }], packageFile: 'package.xml' };
  }
  const packagePath = Object.keys(files)
    .filter((path) => path === 'package.xml' || path.endsWith('/package.xml'))
    .sort((a, b) => a.split('/').length - b.split('/').length)[0];
  if (!packagePath) return { changes: [], problems: [{ fileName: 'package.xml', fullName: 'package.xml', componentType: '', problem: 'No package.xml found' }], packageFile: 'package.xml' };
  const root = packagePath.slice(0, -'package.xml'.length);
  const text = (path: string) => {
    const bytes = files[root + path];
    return bytes ? strFromU8(bytes) : undefined;
  };

  const upserts: ComponentChange[] = [];
  const present = new Set<string>();
  for (const path of Object.keys(files)) {
    if (!path.startsWith(root) || path.endsWith('-meta.xml')) continue;
    const relative = path.slice(root.length);
    const component = componentOfPath(relative);
    if (!component) continue;
    const body = withoutAttributes(rootElement(parseXml(strFromU8(files[path] ?? new Uint8Array())))) as MetadataBody;
    delete body.fullName;
    upserts.push({ kind: 'upsert', ...component, body, fileName: path });
    present.add(`${component.type}/${component.fullName}`.toLowerCase());
  }

  const problems: PackageProblem[] = [];
  for (const { type, member } of members(text('package.xml') ?? '')) {
    if (member === '*' || present.has(`${type}/${member}`.toLowerCase())) continue;
    problems.push({
      fileName: packagePath,
      fullName: member,
      componentType: type,
      problem: `An object '${member}' of type ${type} was named in package.xml, but was not found in zipped directory`,
    });
  }

  const deletions = (file: string): ComponentChange[] =>
    members(text(file) ?? '')
      .map(({ type, member }): ComponentChange => ({ kind: 'delete', type, fullName: member, fileName: root + file }))
      .sort((a, b) => ECA_TYPES.indexOf(a.type) - ECA_TYPES.indexOf(b.type));
  upserts.sort((a, b) => rank(a.type) - rank(b.type));
  return {
    changes: [...deletions('destructiveChangesPre.xml'), ...upserts, ...deletions('destructiveChanges.xml'), ...deletions('destructiveChangesPost.xml')],
    problems,
    packageFile: packagePath,
  };
}

function rank(type: string): number {
  const index = UPSERT_ORDER.indexOf(type);
  return index < 0 ? UPSERT_ORDER.length : index;
}
