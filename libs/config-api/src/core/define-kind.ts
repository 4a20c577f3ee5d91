import type { Diagnostics } from './diagnostics';
import type { KindDefinition, KindModule } from './kind-module';
import type { ConfigKind, ConfigMeta, ConfigResource } from './types';
import { issuesToFieldErrors } from './zod-issues';

/** Builds a kind module: structural decoding with field-path errors, then the kind's semantic checks. */
export function defineKind<K extends ConfigKind, S>(def: KindDefinition<K, S>): KindModule<K, S> {
  return {
    ...def,
    decode(apiVersion: string, metadata: ConfigMeta, rawSpec: unknown, d: Diagnostics): ConfigResource<K, S> | undefined {
      if (rawSpec === undefined) {
        d.error('spec', 'required');
        return undefined;
      }
      const parsed = def.specSchema.safeParse(rawSpec, { reportInput: true });
      if (!parsed.success) {
        for (const e of issuesToFieldErrors(parsed.error.issues, 'spec', def.specSchema)) d.error(e.path, e.message);
        return undefined;
      }
      const resource: ConfigResource<K, S> = { apiVersion, kind: def.kind, metadata, spec: parsed.data };
      // Semantic checks assume the envelope is sound; skip them when metadata already failed.
      if (d.ok) def.validate(resource, d);
      return resource;
    },
  };
}
