import type { AuthorizationRule, Condition } from '@mizzen/config-api';
import {
  type AttributeGen,
  conditionGen,
  hostsGen,
  methodsGen,
  namespacesGen,
  pathsGen,
  portsGen,
  principalsGen,
  remoteIpGen,
  requestPrincipalsGen,
  serviceAccountsGen,
  sourceIpGen,
} from './attribute-generators';
import type { Permission, Principal, RbacAction, RbacPolicy } from './envoy-types';

interface AttrRule {
  gen: AttributeGen;
  values: readonly string[];
  notValues: readonly string[];
}

function attr(gen: AttributeGen, values: readonly string[] | undefined, notValues: readonly string[] | undefined): AttrRule[] {
  return values?.length || notValues?.length ? [{ gen, values: values ?? [], notValues: notValues ?? [] }] : [];
}

/**
 * One AuthorizationPolicy rule as one Envoy RBAC Policy, following Istio's `authz/model.New` and
 * `Generate`: every `from` becomes one principal (AND of its fields, then the principal-side
 * `when` conditions), every `to` one permission (AND of hosts, methods, paths, ports, then the
 * permission-side conditions); each field is an OR of its values and a NOT of the OR of its
 * not-values; an empty AND is `any`. A value that cannot be generated drops the whole rule for
 * ALLOW (a narrower allow) and only that value for DENY/LOG (a wider deny), as Istio does.
 * With `forTcp` (a network RBAC filter) every value of an HTTP-only attribute is such a value
 * (Istio `Generate(forTCP)`): an ALLOW rule using one is dropped, a DENY rule ignores it, so a DENY
 * rule left with HTTP-only fields alone denies every connection.
 */
export function rulePolicy(rule: AuthorizationRule, policyNamespace: string, action: RbacAction, forTcp = false): RbacPolicy | string {
  const base = conditionRules(rule.when ?? [], policyNamespace);
  if (typeof base === 'string') return base;
  const froms = rule.from?.length ? rule.from : [undefined];
  const tos = rule.to?.length ? rule.to : [undefined];
  const principals: Principal[] = [];
  for (const f of froms) {
    const s = f?.source;
    const rules = [
      ...attr(serviceAccountsGen(policyNamespace), s?.serviceAccounts, s?.notServiceAccounts),
      ...attr(principalsGen, s?.principals, s?.notPrincipals),
      ...attr(requestPrincipalsGen, s?.requestPrincipals, s?.notRequestPrincipals),
      ...attr(namespacesGen, s?.namespaces, s?.notNamespaces),
      ...attr(remoteIpGen, s?.remoteIpBlocks, s?.notRemoteIpBlocks),
      ...attr(sourceIpGen, s?.ipBlocks, s?.notIpBlocks),
      ...base.principal,
    ];
    const p = combine(rules, action, 'principal', forTcp);
    if (typeof p === 'string') return p;
    principals.push({ andIds: { ids: p.length ? (p as Principal[]) : [{ any: true }] } });
  }
  const permissions: Permission[] = [];
  for (const t of tos) {
    const o = t?.operation;
    const rules = [
      ...attr(hostsGen, o?.hosts, o?.notHosts),
      ...attr(methodsGen, o?.methods, o?.notMethods),
      ...attr(pathsGen, o?.paths, o?.notPaths),
      ...attr(portsGen, o?.ports, o?.notPorts),
      ...base.permission,
    ];
    const p = combine(rules, action, 'permission', forTcp);
    if (typeof p === 'string') return p;
    permissions.push({ andRules: { rules: p.length ? (p as Permission[]) : [{ any: true }] } });
  }
  return { permissions, principals };
}

function conditionRules(when: readonly Condition[], ns: string): { permission: AttrRule[]; principal: AttrRule[] } | string {
  const out: { permission: AttrRule[]; principal: AttrRule[] } = { permission: [], principal: [] };
  for (const c of when) {
    const gen = conditionGen(c.key, ns);
    if (typeof gen === 'string') return gen;
    out[gen.side].push(...attr(gen, c.values, c.notValues));
  }
  return out;
}

/** OR of values, NOT(OR) of not-values, per attribute, in order. Envoy requires non-empty sets. */
function combine(rules: readonly AttrRule[], action: RbacAction, side: 'permission' | 'principal', forTcp: boolean): (Permission | Principal)[] | string {
  const out: (Permission | Principal)[] = [];
  for (const r of rules) {
    for (const [values, negate] of [[r.values, false], [r.notValues, true]] as const) {
      const made: (Permission | Principal)[] = [];
      for (const v of values) {
        const m = forTcp && r.gen.httpOnly ? `${v}: HTTP only attribute on a TCP filter chain` : r.gen.make(v);
        if (typeof m !== 'string') made.push(m);
        else if (action === 'ALLOW') return m;
      }
      if (made.length === 0) continue;
      const or = side === 'permission' ? { orRules: { rules: made as Permission[] } } : { orIds: { ids: made as Principal[] } };
      out.push(negate ? (side === 'permission' ? { notRule: or } : { notId: or }) : or);
    }
  }
  return out;
}
