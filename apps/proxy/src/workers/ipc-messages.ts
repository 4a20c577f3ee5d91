import { SCOPE_KINDS, type StatSample } from '../stats';

/**
 * The messages between a proxy's primary (the agent) and its worker processes, over the `cluster`
 * module's IPC channel (`process.send`, JSON serialised, delivered in order). Every message is a
 * plain JSON value: xDS resources travel as their encoded `Any` bytes (base64) and are decoded in
 * the worker, so protobufjs Longs and Buffers never meet the serialiser.
 */

/** A secret as the SDS store holds it, without the derived details. */
export type SecretPayload = { kind: 'certificate'; name: string; certificateChain: string; privateKey: string } | { kind: 'validation'; name: string; trustedCa: string };

/** An xDS response the primary applied (and ACKed); the worker applies the same. */
export interface XdsMessage {
  t: 'xds';
  typeUrl: string;
  versionInfo: string;
  /** The names the primary's subscription held when it applied the response. */
  subscribed: string[] | 'wildcard';
  /** Base64 of each resource's encoded google.protobuf.Any. */
  resources: string[];
}

export type ToWorker = { t: 'secret'; secret: SecretPayload } | XdsMessage | { t: 'stats-request'; id: number } | { t: 'shutdown' };

export type ToPrimary =
  /** The worker listens for messages: the primary sends it the current secrets and config. */
  | { t: 'hello' }
  /** The worker applied the initial config and its listeners are bound. */
  | { t: 'ready' }
  | { t: 'stats'; id: number; samples: StatSample[] }
  /** The worker could not apply what the primary accepted (a bug or a local failure, e.g. a file). */
  | { t: 'rejected'; typeUrl: string; versionInfo: string; error: string };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isStrArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isStr);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function isSecret(v: unknown): v is SecretPayload {
  if (!isObj(v) || !isStr(v.name)) return false;
  if (v.kind === 'certificate') return isStr(v.certificateChain) && isStr(v.privateKey);
  return v.kind === 'validation' && isStr(v.trustedCa);
}

function isSample(v: unknown): v is StatSample {
  return isObj(v) && SCOPE_KINDS.includes(v.kind as StatSample['kind']) && isStr(v.scopeName) && isStr(v.stat) && (v.type === 'counter' || v.type === 'gauge') && isNum(v.value);
}

/** The message if `v` is a well-formed primary-to-worker message, else undefined. */
export function parseToWorker(v: unknown): ToWorker | undefined {
  if (!isObj(v)) return undefined;
  switch (v.t) {
    case 'secret':
      return isSecret(v.secret) ? { t: 'secret', secret: v.secret } : undefined;
    case 'xds':
      if (!isStr(v.typeUrl) || !isStr(v.versionInfo) || !isStrArray(v.resources)) return undefined;
      if (v.subscribed !== 'wildcard' && !isStrArray(v.subscribed)) return undefined;
      return { t: 'xds', typeUrl: v.typeUrl, versionInfo: v.versionInfo, subscribed: v.subscribed, resources: v.resources };
    case 'stats-request':
      return isNum(v.id) ? { t: 'stats-request', id: v.id } : undefined;
    case 'shutdown':
      return { t: 'shutdown' };
    default:
      return undefined;
  }
}

/** The message if `v` is a well-formed worker-to-primary message, else undefined. */
export function parseToPrimary(v: unknown): ToPrimary | undefined {
  if (!isObj(v)) return undefined;
  switch (v.t) {
    case 'hello':
      return { t: 'hello' };
    case 'ready':
      return { t: 'ready' };
    case 'stats':
      return isNum(v.id) && Array.isArray(v.samples) && v.samples.every(isSample) ? { t: 'stats', id: v.id, samples: v.samples } : undefined;
    case 'rejected':
      return isStr(v.typeUrl) && isStr(v.versionInfo) && isStr(v.error) ? { t: 'rejected', typeUrl: v.typeUrl, versionInfo: v.versionInfo, error: v.error } : undefined;
    default:
      return undefined;
  }
}
