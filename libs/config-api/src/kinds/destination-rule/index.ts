import { defineKind } from '../../core/define-kind';
import type { KindModule } from '../../core/kind-module';
import { NETWORKING_API } from '../../core/types';
import { destinationRuleSpecSchema } from './schema';
import type { DestinationRuleSpec } from './types';
import { destinationRuleUnsupportedFields } from './unsupported';
import { validateDestinationRule } from './validate';

export * from './types';

export const destinationRuleModule: KindModule<'DestinationRule', DestinationRuleSpec> = defineKind({
  kind: 'DestinationRule',
  api: NETWORKING_API,
  nameRule: 'dns1123-subdomain',
  specSchema: destinationRuleSpecSchema,
  validate: validateDestinationRule,
  unsupportedFields: destinationRuleUnsupportedFields,
});
