/** A failure with the place it happened (`csr.san[1]`, `ca-cert.pem`) and why. */
export interface PkiIssue {
  path: string;
  message: string;
}

/** Parse results: a value, or every problem found. Thrown errors are kept for programmer errors. */
export type PkiResult<T> = { ok: true; value: T } | { ok: false; errors: PkiIssue[] };

export const pkiOk = <T>(value: T): PkiResult<T> => ({ ok: true, value });
export const pkiFail = <T = never>(errors: PkiIssue[]): PkiResult<T> => ({ ok: false, errors });

export function formatIssues(errors: readonly PkiIssue[]): string {
  return errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ');
}
