import { defineKind } from '../../core/define-kind';
import type { KindModule } from '../../core/kind-module';
import { NETWORKING_API } from '../../core/types';
import { serviceEntrySpecSchema } from './schema';
import type { ServiceEntrySpec } from './types';
import { serviceEntryUnsupportedFields } from './unsupported';
import { validateServiceEntry } from './validate';

export * from './types';

export const serviceEntryModule: KindModule<'ServiceEntry', ServiceEntrySpec> = defineKind({
  kind: 'ServiceEntry',
  api: NETWORKING_API,
  nameRule: 'dns1123-subdomain',
  specSchema: serviceEntrySpecSchema,
  validate: validateServiceEntry,
  unsupportedFields: serviceEntryUnsupportedFields,
});
