import fs from 'node:fs';
import type { ExtAuthzProvider, MeshConfig } from '@mizzen/pilot-core';
import { parse } from 'yaml';
import { z } from 'zod';

/** Istio's `port` may be a number or a numeric string (`port: "8000"` in the docs' samples). */
const port = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]).pipe(z.number().int().min(1).max(65535));
/** A Go duration as MeshConfig writes it (`timeout: 0.5s`, `10s`). */
const duration = z.string().regex(/^\d+(\.\d+)?(ms|s|m|h)$/, 'must be a duration like 0.5s, 10s or 1m');

const common = {
  /** `ns/host` or `host`; the namespace part only scopes the lookup in Istio. */
  service: z.string().min(1),
  port,
  timeout: duration.optional(),
  failOpen: z.boolean().optional(),
  statusOnError: z.string().regex(/^\d{3}$/, 'must be an HTTP status code like "403"').optional(),
};

const extensionProvider = z.union([
  z.strictObject({
    name: z.string().min(1),
    envoyExtAuthzHttp: z.strictObject({ ...common, pathPrefix: z.string().startsWith('/').optional(), includeRequestHeadersInCheck: z.array(z.string().min(1)).optional() }),
  }),
  z.strictObject({ name: z.string().min(1), envoyExtAuthzGrpc: z.strictObject(common) }),
]);

/**
 * The part of Istio's MeshConfig (the `mesh` key of the istio ConfigMap, or IstioOperator
 * `meshConfig`) Pilot reads from `--mesh-config`. Unknown fields are refused with their path, so a
 * setting Mizzen does not implement is never silently ignored.
 * https://istio.io/latest/docs/reference/config/istio.mesh.v1alpha1/
 */
const meshConfigFile = z.strictObject({
  trustDomain: z.string().min(1).optional(),
  rootNamespace: z.string().min(1).optional(),
  outboundTrafficPolicy: z.strictObject({ mode: z.enum(['ALLOW_ANY', 'REGISTRY_ONLY']) }).optional(),
  extensionProviders: z
    .array(extensionProvider)
    .optional()
    .refine((ps) => new Set((ps ?? []).map((p) => p.name)).size === (ps ?? []).length, 'provider names must be unique'),
});

export type MeshConfigOverrides = Partial<Pick<MeshConfig, 'trustDomain' | 'rootNamespace' | 'outboundTrafficPolicy' | 'extensionProviders'>>;

const seconds = (d: string | undefined): number | undefined => {
  if (d === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(d);
  return m ? Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[m[2] as 'ms' | 's' | 'm' | 'h'] : undefined;
};

/** Parses MeshConfig YAML; throws one error listing every problem as `path: message`. */
export function parseMeshConfig(text: string, source = 'mesh config'): MeshConfigOverrides {
  let doc: unknown;
  try {
    doc = parse(text) ?? {};
  } catch (err) {
    throw new Error(`${source}: not YAML: ${(err as Error).message}`);
  }
  const r = meshConfigFile.safeParse(doc);
  if (!r.success) {
    const issues = r.error.issues.map((i) => {
      const keys = i.code === 'unrecognized_keys' ? ` (${i.keys.join(', ')})` : '';
      const path = i.path.map((p, n) => (typeof p === 'number' ? `[${p}]` : `${n ? '.' : ''}${String(p)}`)).join('');
      return `${path || '(root)'}: ${i.message}${keys}`;
    });
    throw new Error(`${source}: ${issues.join('; ')}`);
  }
  const m = r.data;
  const providers = m.extensionProviders?.map((p): ExtAuthzProvider => {
    const http = 'envoyExtAuthzHttp' in p ? p.envoyExtAuthzHttp : undefined;
    const c = http ?? ('envoyExtAuthzGrpc' in p ? p.envoyExtAuthzGrpc : undefined)!;
    return {
      name: p.name,
      protocol: http ? 'http' : 'grpc',
      service: c.service.includes('/') ? c.service.slice(c.service.indexOf('/') + 1) : c.service,
      port: c.port,
      ...(c.timeout ? { timeoutSeconds: seconds(c.timeout) } : {}),
      ...(c.failOpen ? { failOpen: true } : {}),
      ...(c.statusOnError ? { statusOnError: c.statusOnError } : {}),
      ...(http?.pathPrefix ? { pathPrefix: http.pathPrefix } : {}),
      ...(http?.includeRequestHeadersInCheck ? { includeRequestHeadersInCheck: http.includeRequestHeadersInCheck } : {}),
    };
  });
  return {
    ...(m.trustDomain ? { trustDomain: m.trustDomain } : {}),
    ...(m.rootNamespace ? { rootNamespace: m.rootNamespace } : {}),
    ...(m.outboundTrafficPolicy ? { outboundTrafficPolicy: m.outboundTrafficPolicy.mode } : {}),
    ...(providers ? { extensionProviders: providers } : {}),
  };
}

export function loadMeshConfigFile(file: string): MeshConfigOverrides {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`--mesh-config: cannot read ${file}: ${(err as Error).message}`);
  }
  return parseMeshConfig(text, `--mesh-config ${file}`);
}
