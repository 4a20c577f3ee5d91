import { defineKind } from '../../core/define-kind';
import type { KindModule } from '../../core/kind-module';
import { SECURITY_API } from '../../core/types';
import { requestAuthenticationSpecSchema } from './schema';
import type { RequestAuthenticationSpec } from './types';
import { requestAuthenticationUnsupportedFields } from './unsupported';
import { validateRequestAuthentication } from './validate';

export * from './types';

export const requestAuthenticationModule: KindModule<'RequestAuthentication', RequestAuthenticationSpec> = defineKind({
  kind: 'RequestAuthentication',
  api: SECURITY_API,
  nameRule: 'dns1123-subdomain',
  specSchema: requestAuthenticationSpecSchema,
  validate: validateRequestAuthentication,
  unsupportedFields: requestAuthenticationUnsupportedFields,
});
