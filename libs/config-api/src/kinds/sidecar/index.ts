import { defineKind } from '../../core/define-kind';
import type { KindModule } from '../../core/kind-module';
import { NETWORKING_API } from '../../core/types';
import { sidecarSpecSchema } from './schema';
import type { SidecarSpec } from './types';
import { sidecarUnsupportedFields } from './unsupported';
import { validateSidecar } from './validate';

export * from './types';

export const sidecarModule: KindModule<'Sidecar', SidecarSpec> = defineKind({
  kind: 'Sidecar',
  api: NETWORKING_API,
  nameRule: 'dns1123-subdomain',
  specSchema: sidecarSpecSchema,
  validate: validateSidecar,
  unsupportedFields: sidecarUnsupportedFields,
});
