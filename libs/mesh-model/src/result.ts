/** A validation problem at a field path such as `spec.http[2].route[0].destination.host`. */
export interface FieldError {
  path: string;
  message: string;
}

/** Parse results are values, never exceptions across layers. */
export type Result<T, E = FieldError[]> = { ok: true; value: T } | { ok: false; errors: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const fail = <E = FieldError[]>(errors: E): Result<never, E> => ({ ok: false, errors });

/** Joins a base path and a child segment: `joinPath('spec', 'http[0]')` -> `spec.http[0]`. */
export function joinPath(base: string, child: string | number): string {
  if (typeof child === 'number') return `${base}[${child}]`;
  return base ? `${base}.${child}` : child;
}
