/**
 * Metadata components the org holds (what createMetadata and deploy write, readMetadata returns and deleteMetadata
 * and destructiveChanges remove), keyed by type and fullName (case-insensitive, as the Metadata API treats names).
 * Bodies are plain objects of the component's XML elements, without `fullName`.
 */
import { OTHER_PREFIXES, randomId } from '../ids';

export type MetadataBody = Record<string, unknown>;

export type MetadataComponent = {
  type: string;
  fullName: string;
  id: string;
  body: MetadataBody;
  createdDate: number;
  lastModifiedDate: number;
};

export class MetadataStore {
  private readonly byType = new Map<string, Map<string, MetadataComponent>>();

  get(type: string, fullName: string): MetadataComponent | undefined {
    return this.byType.get(type)?.get(fullName.toLowerCase());
  }

  list(type: string): MetadataComponent[] {
    return [...(this.byType.get(type)?.values() ?? [])];
  }

  types(): string[] {
    return [...this.byType.keys()];
  }

  /** Creates or replaces a component (a redeploy replaces the whole body, as the Metadata API does). */
  put(type: string, fullName: string, body: MetadataBody, now: number): { component: MetadataComponent; created: boolean } {
    let components = this.byType.get(type);
    if (!components) {
      components = new Map();
      this.byType.set(type, components);
    }
    const existing = components.get(fullName.toLowerCase());
    const component: MetadataComponent = {
      type,
      fullName: existing?.fullName ?? fullName,
      id: existing?.id ?? randomId(OTHER_PREFIXES.metadataComponent),
      body,
      createdDate: existing?.createdDate ?? now,
      lastModifiedDate: now,
    };
    components.set(fullName.toLowerCase(), component);
    return { component, created: !existing };
  }

  delete(type: string, fullName: string): MetadataComponent | undefined {
    const components = this.byType.get(type);
    const existing = components?.get(fullName.toLowerCase());
    if (existing) components?.delete(fullName.toLowerCase());
    return existing;
  }
}
