import type { AnyConfig } from '@mizzen/config-api';
import type { ResourceRef } from '@mizzen/contracts';
import type { FieldError, Result } from '@mizzen/mesh-model';

/** A resource that passed validation, in the Kubernetes-style shape Galley stores. */
export interface ValidConfig {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec: Record<string, unknown>;
}

export type ValidationResult =
  /** `config` is what Galley stores; `resource` the typed form for readers of specs. */
  | { ok: true; config: ValidConfig; resource: AnyConfig; warnings: FieldError[] }
  /** `ref` is known when the document named its kind and name. */
  | { ok: false; errors: FieldError[]; warnings: FieldError[]; ref?: ResourceRef };

/**
 * What Galley needs from config validation: split multi-document text into objects, and validate
 * one object (schema + semantic checks + warnings, including fields the data plane does not
 * implement). Implemented by `@mizzen/config-api`; a port so ingestion logic is tested alone.
 */
export interface ResourceValidator {
  parseDocuments(text: string): Result<unknown[]>;
  validate(document: unknown, defaultNamespace: string): ValidationResult;
}

export const RESOURCE_VALIDATOR = Symbol('galley:resource-validator');
