import type { FieldError, Result } from '@mizzen/mesh-model';
import type { z } from 'zod';

/** Parses an untrusted payload into a validated value, collecting errors with field paths. */
export type Parser<T> = (input: unknown) => Result<T>;

/** A request-reply subject: the subject, its version, and validators for both directions. */
export interface RequestContract<Req, Rep> {
  kind: 'request';
  subject: string;
  /** Queue group so only one replica of the handling service answers. */
  queue: string;
  request: Parser<Req>;
  reply: Parser<Rep>;
}

/** A fire-and-forget event subject. State that late joiners need belongs in KV, not here. */
export interface EventContract<E> {
  kind: 'event';
  subject: string;
  event: Parser<E>;
}

/** Formats a zod issue path as `a.b[2].c`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}

/** Adapts a zod schema to a {@link Parser}. */
export function zodParser<S extends z.ZodType>(schema: S): Parser<z.infer<S>> {
  return (input) => {
    const r = schema.safeParse(input);
    if (r.success) return { ok: true, value: r.data };
    const errors: FieldError[] = r.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
    return { ok: false, errors };
  };
}
