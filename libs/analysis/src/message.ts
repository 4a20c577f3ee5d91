/**
 * Analysis messages, shaped like Istio's `diag.Message`: a message type (code, level), the text
 * built from its template, and the resource it is about.
 * https://istio.io/latest/docs/reference/config/analysis/
 */

/** Istio's levels, most severe first. */
export type Level = 'Error' | 'Warning' | 'Info';

export const LEVELS: readonly Level[] = ['Error', 'Warning', 'Info'];

/** The Istio analyzer codes Mizzen reports (see `message-types.ts` for names and templates). */
export type Code =
  | 'IST0101'
  | 'IST0106'
  | 'IST0109'
  | 'IST0110'
  | 'IST0111'
  | 'IST0112'
  | 'IST0118'
  | 'IST0130'
  | 'IST0131'
  | 'IST0132'
  | 'IST0133'
  | 'IST0145'
  | 'IST0162'
  | 'IST0173'
  | 'IST0174';

/** The resource a message is about: a config resource, a registry service, or an input file. */
export interface ResourceRef {
  kind: string;
  /** Empty for resources without one (an input file). */
  namespace: string;
  name: string;
}

export interface Message {
  code: Code;
  level: Level;
  message: string;
  resource: ResourceRef;
  /** Field path inside the resource, e.g. `spec.http[0].route[1].destination.host`. */
  path?: string;
}

/** `Kind namespace/name`, as istioctl prints the origin of a message. */
export function formatResource(r: ResourceRef): string {
  return r.namespace ? `${r.kind} ${r.namespace}/${r.name}` : `${r.kind} ${r.name}`;
}

/** One line as istioctl prints it: `Error [IST0101] (VirtualService default/reviews) Referenced host not found: "reviewz"`. */
export function formatMessage(m: Message): string {
  return `${m.level} [${m.code}] (${formatResource(m.resource)}) ${m.message}`;
}

/** Whether `level` is at least as severe as `threshold`. */
export function atLeast(level: Level, threshold: Level): boolean {
  return LEVELS.indexOf(level) <= LEVELS.indexOf(threshold);
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** istioctl's order: level (Error first), code, resource, then text and path. */
export function compareMessages(a: Message, b: Message): number {
  return (
    LEVELS.indexOf(a.level) - LEVELS.indexOf(b.level) ||
    cmp(a.code, b.code) ||
    cmp(a.resource.kind, b.resource.kind) ||
    cmp(a.resource.namespace, b.resource.namespace) ||
    cmp(a.resource.name, b.resource.name) ||
    cmp(a.message, b.message) ||
    cmp(a.path ?? '', b.path ?? '')
  );
}

/** Sorted copy without exact duplicates (Istio's `SortedDedupedCopy`). */
export function sortMessages(messages: readonly Message[]): Message[] {
  const seen = new Set<string>();
  const out: Message[] = [];
  for (const m of [...messages].sort(compareMessages)) {
    const key = `${formatMessage(m)}\u0000${m.path ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(m);
  }
  return out;
}

/** Counts per level, for the summary line. */
export function countByLevel(messages: readonly Message[]): Record<Level, number> {
  const out: Record<Level, number> = { Error: 0, Warning: 0, Info: 0 };
  for (const m of messages) out[m.level]++;
  return out;
}
