import type { AuthorizationAction, AuthorizationPolicy } from '@mizzen/config-api';
import type { ProxyNode } from '@mizzen/mesh-model';
import { FilterName, TypeUrl } from '@mizzen/xds-types';
import type { MeshSnapshot } from '../../snapshot/mesh-snapshot';
import type { ExtAuthzFilter, HttpRbac, RbacAction, RbacFilter, RbacPolicy, RbacRules } from './envoy-types';
import { EXT_AUTHZ_POLICY_PREFIX, EXT_AUTHZ_SHADOW_STAT_PREFIX, type ExtAuthzProvider, extAuthzFilter } from './ext-authz';
import { policiesForWorkload } from './policy-selection';
import { rulePolicy } from './rbac-policy';

export interface AuthzOptions {
  /** Mesh extension providers that CUSTOM policies name (none configured by default). */
  extensionProviders?: readonly ExtAuthzProvider[];
}

/** `istio.io/dry-run: "true"`: the policy is evaluated in shadow mode and never enforced. */
export const DRY_RUN_ANNOTATION = 'istio.io/dry-run';
export const isDryRun = (p: AuthorizationPolicy): boolean => p.metadata.annotations?.[DRY_RUN_ANNOTATION] === 'true';
const actionOf = (p: AuthorizationPolicy): AuthorizationAction => p.spec.action ?? 'ALLOW';

/** Istio `policyName`: `ns[<ns>]-policy[<name>]-rule[<i>]`, prefixed for CUSTOM. */
export function rbacPolicyName(p: AuthorizationPolicy, rule: number, custom = false): string {
  return `${custom ? `${EXT_AUTHZ_POLICY_PREFIX}-` : ''}ns[${p.metadata.namespace}]-policy[${p.metadata.name}]-rule[${rule}]`;
}

/**
 * Every rule of every policy as named RBAC policies (rules that cannot be generated are skipped).
 * `forTcp`: for a network RBAC filter (HTTP-only attributes cannot match, see rulePolicy).
 */
export function rbacPolicies(policies: readonly AuthorizationPolicy[], action: RbacAction, custom = false, forTcp = false): Record<string, RbacPolicy> {
  const out: [string, RbacPolicy][] = [];
  for (const p of policies) {
    (p.spec.rules ?? []).forEach((rule, i) => {
      const generated = rulePolicy(rule, p.metadata.namespace, action, forTcp);
      if (typeof generated !== 'string') out.push([rbacPolicyName(p, i, custom), generated]);
    });
  }
  return Object.fromEntries(out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * One enforcing RBAC filter for one action (Istio builder `build` + `buildHTTP`): enforced
 * policies in `rules`, dry-run ones in `shadowRules`. An ALLOW filter whose policies have no rules
 * (`spec: {}`) keeps an empty `rules` map, which denies every request: allow-nothing.
 */
function actionFilter(policies: readonly AuthorizationPolicy[], action: RbacAction): RbacFilter | undefined {
  if (policies.length === 0) return undefined;
  return { name: FilterName.Rbac, typedConfig: { '@type': TypeUrl.RBAC, ...rbacConfig(policies, action, false) } };
}

/** `rules` (enforced policies), `shadowRules` (dry-run ones) and the shadow stat prefix. */
export function rbacConfig(policies: readonly AuthorizationPolicy[], action: RbacAction, forTcp: boolean): HttpRbac {
  const enforced = policies.filter((p) => !isDryRun(p));
  const dry = policies.filter(isDryRun);
  const rules: RbacRules = { action, policies: rbacPolicies(enforced, action, false, forTcp) };
  const shadowRules: RbacRules = { action, policies: rbacPolicies(dry, action, false, forTcp) };
  const statPrefix = action === 'ALLOW' ? 'istio_dry_run_allow_' : action === 'DENY' ? 'istio_dry_run_deny_' : '';
  return {
    ...(enforced.length ? { rules } : {}),
    ...(dry.length ? { shadowRules } : {}),
    ...(statPrefix ? { shadowRulesStatPrefix: statPrefix } : {}),
  };
}

/** Istio's config when CUSTOM cannot be built (unknown or several providers): deny everything. */
function badCustomFilter(): RbacFilter {
  const policy: RbacPolicy = { permissions: [{ any: true }], principals: [{ any: true }] };
  return { name: FilterName.Rbac, typedConfig: { '@type': TypeUrl.RBAC, rules: { action: 'DENY', policies: { 'default-deny-due-to-bad-CUSTOM-action': policy } } } };
}

/**
 * CUSTOM: an RBAC filter with the CUSTOM rules as shadow rules only (it never denies; it records
 * which policy matched), then ext_authz enabled by that metadata. Istio allows one provider per
 * workload. https://istio.io/latest/docs/tasks/security/authorization/authz-custom/
 */
export function customAuthzFilters(policies: readonly AuthorizationPolicy[], opts: AuthzOptions = {}): (RbacFilter | ExtAuthzFilter)[] {
  if (policies.length === 0) return [];
  const names = [...new Set(policies.map((p) => p.spec.provider?.name ?? ''))];
  const provider = names.length === 1 ? opts.extensionProviders?.find((p) => p.name === names[0]) : undefined;
  if (!provider) return [badCustomFilter()];
  // Istio generates CUSTOM rules with the DENY action so that an unsupported value widens the match.
  const shadowRules: RbacRules = { action: 'DENY', policies: rbacPolicies(policies, 'DENY', true) };
  const rbac: RbacFilter = { name: FilterName.Rbac, typedConfig: { '@type': TypeUrl.RBAC, shadowRules, shadowRulesStatPrefix: EXT_AUTHZ_SHADOW_STAT_PREFIX } };
  return [rbac, extAuthzFilter(provider)];
}

/** The AuthorizationPolicies of each action that apply to a workload. */
export function authorizationPoliciesFor(snapshot: MeshSnapshot, proxy: ProxyNode): Record<AuthorizationAction, AuthorizationPolicy[]> {
  const all = policiesForWorkload(snapshot, 'AuthorizationPolicy', proxy);
  const by = (a: AuthorizationAction): AuthorizationPolicy[] => all.filter((p) => actionOf(p) === a);
  return { CUSTOM: by('CUSTOM'), AUDIT: by('AUDIT'), DENY: by('DENY'), ALLOW: by('ALLOW') };
}

/**
 * The HTTP authorization filters of a workload's inbound HCM, in Istio's order: AUDIT (RBAC action
 * LOG), DENY, ALLOW. A request must pass CUSTOM (see {@link customAuthzFilters}, placed before
 * jwt_authn), then no DENY policy may match, then (if any ALLOW policy exists) one must match.
 * https://istio.io/latest/docs/concepts/security/#implicit-enablement
 */
export function httpRbacFilters(snapshot: MeshSnapshot, proxy: ProxyNode): RbacFilter[] {
  const p = authorizationPoliciesFor(snapshot, proxy);
  return [actionFilter(p.AUDIT, 'LOG'), actionFilter(p.DENY, 'DENY'), actionFilter(p.ALLOW, 'ALLOW')].filter((f): f is RbacFilter => f !== undefined);
}
