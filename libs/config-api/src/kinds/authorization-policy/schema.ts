import { z } from 'zod';
import { policyTargetReferenceSchema } from '../../common/messages/policy-target';
import { stringList } from '../../common/messages/primitives';
import { labelSelectorSchema } from '../../common/messages/workload-selector';
import type { ShapeOf } from '../../core/schema-shape';
import type { AuthorizationPolicySpec, AuthorizationRule, Condition, ExtensionProvider, Operation, RuleFrom, RuleTo, Source } from './types';

const list = stringList.optional();

const sourceSchema: z.ZodType<Source> = z.strictObject({
  principals: list,
  notPrincipals: list,
  requestPrincipals: list,
  notRequestPrincipals: list,
  namespaces: list,
  notNamespaces: list,
  serviceAccounts: z.array(z.string().max(320)).max(16).optional(),
  notServiceAccounts: z.array(z.string().max(320)).max(16).optional(),
  ipBlocks: list,
  notIpBlocks: list,
  remoteIpBlocks: list,
  notRemoteIpBlocks: list,
} satisfies ShapeOf<Source>);

const operationSchema: z.ZodType<Operation> = z.strictObject({
  hosts: list,
  notHosts: list,
  ports: list,
  notPorts: list,
  methods: list,
  notMethods: list,
  paths: list,
  notPaths: list,
} satisfies ShapeOf<Operation>);

const conditionSchema: z.ZodType<Condition> = z.strictObject({
  key: z.string(),
  values: list,
  notValues: list,
} satisfies ShapeOf<Condition>);

const ruleSchema: z.ZodType<AuthorizationRule> = z.strictObject({
  from: z.array(z.strictObject({ source: sourceSchema.optional() } satisfies ShapeOf<RuleFrom>)).optional(),
  to: z.array(z.strictObject({ operation: operationSchema.optional() } satisfies ShapeOf<RuleTo>)).optional(),
  when: z.array(conditionSchema).optional(),
} satisfies ShapeOf<AuthorizationRule>);

export const authorizationPolicySpecSchema: z.ZodType<AuthorizationPolicySpec> = z.strictObject({
  selector: labelSelectorSchema.optional(),
  targetRef: policyTargetReferenceSchema.optional(),
  targetRefs: z.array(policyTargetReferenceSchema).optional(),
  rules: z.array(ruleSchema).optional(),
  action: z.enum(['ALLOW', 'DENY', 'AUDIT', 'CUSTOM']).optional(),
  provider: z.strictObject({ name: z.string().optional() } satisfies ShapeOf<ExtensionProvider>).optional(),
} satisfies ShapeOf<AuthorizationPolicySpec>);
