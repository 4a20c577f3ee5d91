import { type FieldError, type Result, fail, joinPath, ok } from '@mizzen/mesh-model';

/**
 * Collects problems while translating one xDS resource: errors (the resource is rejected, the
 * response NACKed) and warnings (a field accepted but not enforced, logged). Paths are relative to
 * the resource body, e.g. `virtualHosts[0].routes[2].route.timeout`.
 */
export class Issues {
  readonly errors: FieldError[] = [];
  readonly warnings: FieldError[] = [];

  error(path: string, message: string): void {
    this.errors.push({ path, message });
  }

  warn(path: string, message: string): void {
    this.warnings.push({ path, message });
  }

  /** Wraps a value: ok when no error was recorded. */
  result<T>(value: T): Result<T> {
    return this.errors.length ? fail(this.errors) : ok(value);
  }
}

export const at = joinPath;

/** `a.b[0].c: message; ...` for NACK messages and logs. */
export function formatIssues(errors: readonly FieldError[]): string {
  return errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ');
}
