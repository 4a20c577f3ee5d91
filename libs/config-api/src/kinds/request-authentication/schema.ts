import { z } from 'zod';
import { policyTargetReferenceSchema } from '../../common/messages/policy-target';
import { duration, stringList } from '../../common/messages/primitives';
import { labelSelectorSchema } from '../../common/messages/workload-selector';
import type { ShapeOf } from '../../core/schema-shape';
import type { ClaimToHeader, JWTHeader, JWTRule, RequestAuthenticationSpec } from './types';

const jwtHeaderSchema: z.ZodType<JWTHeader> = z.strictObject({
  name: z.string(),
  prefix: z.string().optional(),
} satisfies ShapeOf<JWTHeader>);

const claimToHeaderSchema: z.ZodType<ClaimToHeader> = z.strictObject({
  header: z.string(),
  claim: z.string(),
} satisfies ShapeOf<ClaimToHeader>);

const jwtRuleSchema: z.ZodType<JWTRule> = z.strictObject({
  issuer: z.string(),
  audiences: stringList.optional(),
  jwksUri: z.string().max(2048).optional(),
  jwks: z.string().optional(),
  fromHeaders: z.array(jwtHeaderSchema).optional(),
  fromParams: stringList.optional(),
  fromCookies: stringList.optional(),
  outputPayloadToHeader: z.string().optional(),
  forwardOriginalToken: z.boolean().optional(),
  outputClaimToHeaders: z.array(claimToHeaderSchema).optional(),
  timeout: duration.optional(),
  spaceDelimitedClaims: stringList.optional(),
} satisfies ShapeOf<JWTRule>);

export const requestAuthenticationSpecSchema: z.ZodType<RequestAuthenticationSpec> = z.strictObject({
  selector: labelSelectorSchema.optional(),
  targetRef: policyTargetReferenceSchema.optional(),
  targetRefs: z.array(policyTargetReferenceSchema).optional(),
  jwtRules: z.array(jwtRuleSchema).max(4096).optional(),
} satisfies ShapeOf<RequestAuthenticationSpec>);
