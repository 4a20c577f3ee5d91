import type { z } from 'zod';
import type { Diagnostics } from './diagnostics';
import type { ApiGroupVersions, ConfigKind, ConfigMeta, ConfigResource } from './types';

/**
 * A field that parses but that the Mizzen data plane does not implement yet, so Galley can warn.
 * `path` is relative to `spec`; `[*]` walks every list item or map value: `http[*].mirrors`.
 */
export interface UnsupportedField {
  path: string;
  /** Shown to users, e.g. "mirroring is not implemented; the route is served without it". */
  reason?: string;
  /**
   * The field works for some proxies only (e.g. sidecars in TPROXY capture mode), which Galley
   * cannot know: the warning says "only partly supported" and `reason` says where it applies.
   */
  partial?: boolean;
}

/** What a kind folder provides; {@link defineKind} turns it into a {@link KindModule}. */
export interface KindDefinition<K extends ConfigKind, S> {
  readonly kind: K;
  /** The kind's API group and served versions (`networking.istio.io` or `security.istio.io`). */
  readonly api: ApiGroupVersions;
  /**
   * Rule for `metadata.name`: Kubernetes accepts a DNS-1123 subdomain for custom resources; Istio
   * narrows Gateway names to a DNS-1123 label (they are referenced as `namespace/name`).
   */
  readonly nameRule: 'dns1123-subdomain' | 'dns1123-label';
  /** Strict structural schema of `spec` (unknown fields rejected). */
  readonly specSchema: z.ZodType<S>;
  /**
   * Istio's semantic checks for a structurally valid resource. Findings carry full paths
   * starting at `spec`; warnings do not reject the resource.
   */
  validate(resource: ConfigResource<K, S>, d: Diagnostics): void;
  readonly unsupportedFields: readonly UnsupportedField[];
}

/**
 * Everything that is specific to one config kind, behind one small interface (STYLE principle 4),
 * found in the registry by kind; nothing else switches on kind.
 */
export interface KindModule<K extends ConfigKind, S> extends KindDefinition<K, S> {
  /**
   * Decodes `spec` with the kind's schema and, when it is well formed, runs the semantic checks.
   * Returns the typed resource when decoding succeeded (semantic errors are in `d`).
   */
  decode(apiVersion: string, metadata: ConfigMeta, rawSpec: unknown, d: Diagnostics): ConfigResource<K, S> | undefined;
}
