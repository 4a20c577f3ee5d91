import { type AnyConfig, parseDocuments, validateResource } from '@mizzen/config-api';
import type { Service } from '@mizzen/mesh-model';
import type { Message, ResourceRef } from '../message';
import { msg } from '../message-types';
import { isKubernetesService, kubernetesService } from './kubernetes-service';

/** A named text to analyze, e.g. a file. */
export interface Source {
  name: string;
  text: string;
}

/** Resources read from sources or from the live mesh, with the messages reading them produced. */
export interface Loaded {
  configs: AnyConfig[];
  /** Kubernetes Services found among the documents. */
  services: Service[];
  /** IST0106 for unreadable or invalid resources, IST0133 for validation warnings. */
  messages: Message[];
  /** Documents of kinds the analysis does not read (Deployments, ServiceAccounts, ...). */
  skipped: ResourceRef[];
}

const ISTIO_GROUP = 'networking.istio.io/';

/**
 * Parses and validates multi-document YAML/JSON sources as Galley would (`parseDocuments` and
 * `validateResource`), keeping what validates. Invalid resources become IST0106 messages, one per
 * error with its field path; validation warnings become IST0133 (except unreachable-rule warnings,
 * which the unreachable-rules analyzer reports as IST0130/IST0131).
 */
export function loadSources(sources: readonly Source[], defaultNamespace: string): Loaded {
  return mergeLoaded(
    ...sources.map((src) => {
      const parsed = parseDocuments(src.text);
      if (!parsed.ok) {
        const file: ResourceRef = { kind: 'File', namespace: '', name: src.name };
        return { ...empty(), messages: parsed.errors.map((e) => msg.schemaValidationError(file, e.message, e.path)) };
      }
      return loadObjects(parsed.value, defaultNamespace, src.name);
    }),
  );
}

/** Validates decoded objects (from files, or config read back from the mesh's store). */
export function loadObjects(objects: readonly unknown[], defaultNamespace: string, origin = 'input'): Loaded {
  const out = empty();
  objects.forEach((obj, i) => {
    const record = (typeof obj === 'object' && obj !== null ? obj : {}) as Record<string, unknown>;
    if (isKubernetesService(record)) {
      const svc = kubernetesService(record, defaultNamespace);
      if (typeof svc === 'string') out.messages.push(msg.schemaValidationError(documentRef(record, defaultNamespace, origin, i), svc));
      else out.services.push(svc);
      return;
    }
    if (typeof record.apiVersion === 'string' && !record.apiVersion.startsWith(ISTIO_GROUP)) {
      out.skipped.push(documentRef(record, defaultNamespace, origin, i));
      return;
    }
    const r = validateResource(obj, { defaultNamespace });
    const ref = r.ok ? { kind: r.value.kind, namespace: r.value.metadata.namespace, name: r.value.metadata.name } : (r.ref ?? documentRef(record, defaultNamespace, origin, i));
    for (const w of r.warnings) if (!isUnreachableRuleWarning(w.message)) out.messages.push(msg.schemaWarning(ref, `${w.path}: ${w.message}`, w.path));
    if (r.ok) out.configs.push(r.value);
    else for (const e of r.errors) out.messages.push(msg.schemaValidationError(ref, e.path ? `${e.path}: ${e.message}` : e.message, e.path || undefined));
  });
  return out;
}

/**
 * Combines loads; a resource loaded later replaces an earlier one of the same kind, namespace and
 * name (files over the live mesh: "what if these were applied").
 */
export function mergeLoaded(...loads: Loaded[]): Loaded {
  const configs = new Map<string, AnyConfig>();
  const services = new Map<string, Service>();
  for (const l of loads) {
    for (const c of l.configs) configs.set(`${c.kind}/${c.metadata.namespace}/${c.metadata.name}`, c);
    for (const s of l.services) services.set(s.hostname, s);
  }
  return {
    configs: [...configs.values()],
    services: [...services.values()],
    messages: loads.flatMap((l) => l.messages),
    skipped: loads.flatMap((l) => l.skipped),
  };
}

const empty = (): Loaded => ({ configs: [], services: [], messages: [], skipped: [] });

/** config-api words Istio's unreachable-rule webhook warnings as `virtualService rule ... not used`. */
const isUnreachableRuleWarning = (message: string): boolean => message.startsWith('virtualService rule ');

/** Names a document that has no usable metadata by its position: `<origin>#<index>`. */
function documentRef(obj: Record<string, unknown>, defaultNamespace: string, origin: string, index: number): ResourceRef {
  const meta = (typeof obj.metadata === 'object' && obj.metadata !== null ? obj.metadata : {}) as Record<string, unknown>;
  const kind = typeof obj.kind === 'string' && obj.kind ? obj.kind : 'Unknown';
  const namespace = typeof meta.namespace === 'string' && meta.namespace ? meta.namespace : defaultNamespace;
  const name = typeof meta.name === 'string' && meta.name ? meta.name : `${origin}#${index}`;
  return { kind, namespace, name };
}
