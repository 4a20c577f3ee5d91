import { defineKind } from '../../core/define-kind';
import type { KindModule } from '../../core/kind-module';
import { NETWORKING_API } from '../../core/types';
import { gatewaySpecSchema } from './schema';
import type { GatewaySpec } from './types';
import { gatewayUnsupportedFields } from './unsupported';
import { validateGateway } from './validate';

export * from './types';

export const gatewayModule: KindModule<'Gateway', GatewaySpec> = defineKind({
  kind: 'Gateway',
  api: NETWORKING_API,
  // Gateways are referenced as `namespace/name` from VirtualServices: Istio requires a DNS label.
  nameRule: 'dns1123-label',
  specSchema: gatewaySpecSchema,
  validate: validateGateway,
  unsupportedFields: gatewayUnsupportedFields,
});
