import { defineKind } from '../../core/define-kind';
import type { KindModule } from '../../core/kind-module';
import { SECURITY_API } from '../../core/types';
import { peerAuthenticationSpecSchema } from './schema';
import type { PeerAuthenticationSpec } from './types';
import { peerAuthenticationUnsupportedFields } from './unsupported';
import { validatePeerAuthentication } from './validate';

export * from './types';

export const peerAuthenticationModule: KindModule<'PeerAuthentication', PeerAuthenticationSpec> = defineKind({
  kind: 'PeerAuthentication',
  api: SECURITY_API,
  nameRule: 'dns1123-subdomain',
  specSchema: peerAuthenticationSpecSchema,
  validate: validatePeerAuthentication,
  unsupportedFields: peerAuthenticationUnsupportedFields,
});
