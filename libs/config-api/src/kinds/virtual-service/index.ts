import { defineKind } from '../../core/define-kind';
import type { KindModule } from '../../core/kind-module';
import { NETWORKING_API } from '../../core/types';
import { virtualServiceSpecSchema } from './schema';
import type { VirtualServiceSpec } from './types';
import { virtualServiceUnsupportedFields } from './unsupported';
import { validateVirtualService } from './validate';

export * from './types';

export const virtualServiceModule: KindModule<'VirtualService', VirtualServiceSpec> = defineKind({
  kind: 'VirtualService',
  api: NETWORKING_API,
  nameRule: 'dns1123-subdomain',
  specSchema: virtualServiceSpecSchema,
  validate: validateVirtualService,
  unsupportedFields: virtualServiceUnsupportedFields,
});
