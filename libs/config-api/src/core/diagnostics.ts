import type { FieldError } from '@mizzen/mesh-model';

/**
 * Collects the findings of one validation pass. Errors reject the resource; warnings are
 * returned alongside an accepted resource (as Istio's webhook returns admission warnings).
 */
export class Diagnostics {
  readonly errors: FieldError[] = [];
  readonly warnings: FieldError[] = [];

  error(path: string, message: string): void {
    this.errors.push({ path, message });
  }

  warn(path: string, message: string): void {
    this.warnings.push({ path, message });
  }

  /** Records `message` as an error when it is defined: lets checks return `string | undefined`. */
  errorIf(path: string, message: string | undefined): void {
    if (message !== undefined) this.error(path, message);
  }

  get ok(): boolean {
    return this.errors.length === 0;
  }
}
