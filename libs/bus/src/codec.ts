/** JSON on the wire, UTF-8. Raw JSON (no envelope) so any NATS client can talk to us. */
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeJson(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value ?? null));
}

export type Decoded = { ok: true; value: unknown } | { ok: false; message: string };

export function decodeJson(data: Uint8Array): Decoded {
  if (data.length === 0) return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(decoder.decode(data)) };
  } catch (err) {
    return { ok: false, message: `payload is not JSON: ${(err as Error).message}` };
  }
}

/** The `code` of a nats.js error (`503`, `TIMEOUT`, ...), if any. */
export function natsErrorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
