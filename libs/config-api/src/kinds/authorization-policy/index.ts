import { defineKind } from '../../core/define-kind';
import type { KindModule } from '../../core/kind-module';
import { SECURITY_API } from '../../core/types';
import { authorizationPolicySpecSchema } from './schema';
import type { AuthorizationPolicySpec } from './types';
import { authorizationPolicyUnsupportedFields } from './unsupported';
import { validateAuthorizationPolicy } from './validate';

export * from './types';

export const authorizationPolicyModule: KindModule<'AuthorizationPolicy', AuthorizationPolicySpec> = defineKind({
  kind: 'AuthorizationPolicy',
  api: SECURITY_API,
  nameRule: 'dns1123-subdomain',
  specSchema: authorizationPolicySpecSchema,
  validate: validateAuthorizationPolicy,
  unsupportedFields: authorizationPolicyUnsupportedFields,
});
