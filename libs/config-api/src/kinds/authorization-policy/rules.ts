import type { Diagnostics } from '../../core/diagnostics';
import { attributeCheck, checkIPValue, checkPortValue } from './attributes';
import type { AuthorizationRule, Condition, Operation, Source } from './types';

type ValueCheck = (value: string) => string | undefined;

/** Istio `CheckEmptyValues` plus a per-value check, each error at the value's own path. */
function checkValues(d: Diagnostics, path: string, values: readonly string[] | undefined, check?: ValueCheck): void {
  (values ?? []).forEach((v, i) => {
    if (v === '') d.error(`${path}[${i}]`, `empty value not allowed, found in ${path.slice(path.lastIndexOf('.') + 1)}`);
    else if (check) d.errorIf(`${path}[${i}]`, check(v));
  });
}

const SOURCE_CHECKS: readonly [keyof Source, ValueCheck | undefined][] = [
  ['principals', undefined],
  ['notPrincipals', undefined],
  ['requestPrincipals', undefined],
  ['notRequestPrincipals', undefined],
  ['namespaces', undefined],
  ['notNamespaces', undefined],
  ['serviceAccounts', checkServiceAccount],
  ['notServiceAccounts', checkServiceAccount],
  ['ipBlocks', checkIPValue],
  ['notIpBlocks', checkIPValue],
  ['remoteIpBlocks', checkIPValue],
  ['notRemoteIpBlocks', checkIPValue],
];

const OPERATION_CHECKS: readonly [keyof Operation, ValueCheck | undefined][] = [
  ['hosts', undefined],
  ['notHosts', undefined],
  ['ports', checkPortValue],
  ['notPorts', checkPortValue],
  ['methods', undefined],
  ['notMethods', undefined],
  ['paths', undefined],
  ['notPaths', undefined],
];

/** `<namespace>/<name>` or `<name>` (the policy's namespace). */
function checkServiceAccount(v: string): string | undefined {
  return /^(?:[a-z0-9]([-a-z0-9]*[a-z0-9])?\/)?[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(v) ? undefined : `serviceAccount ${JSON.stringify(v)} must be <name> or <namespace>/<name>`;
}

function validateSource(d: Diagnostics, path: string, src: Source, ruleIndex: number): void {
  if (SOURCE_CHECKS.every(([k]) => !src[k]?.length)) d.error(path, `\`from.source\` must not be empty, found at rule ${ruleIndex}`);
  for (const [k, check] of SOURCE_CHECKS) checkValues(d, `${path}.${k}`, src[k], check);
  const sa = src.serviceAccounts?.length || src.notServiceAccounts?.length;
  if (sa && (src.principals?.length || src.notPrincipals?.length || src.namespaces?.length || src.notNamespaces?.length)) {
    d.error(`${path}.serviceAccounts`, 'cannot set serviceAccounts with namespaces or principals');
  }
}

function validateOperation(d: Diagnostics, path: string, op: Operation, ruleIndex: number): void {
  if (OPERATION_CHECKS.every(([k]) => !op[k]?.length)) d.error(path, `\`to.operation\` must not be empty, found at rule ${ruleIndex}`);
  for (const [k, check] of OPERATION_CHECKS) checkValues(d, `${path}.${k}`, op[k], check);
}

function validateCondition(d: Diagnostics, path: string, c: Condition): void {
  if (c.key === '') {
    d.error(`${path}.key`, '`key` must not be empty');
    return;
  }
  const check = attributeCheck(c.key);
  if (typeof check === 'string') {
    d.error(`${path}.key`, check);
    return;
  }
  if (!c.values?.length && !c.notValues?.length) d.error(path, `at least one of \`values\` or \`notValues\` must be set for key ${c.key}`);
  checkValues(d, `${path}.values`, c.values, check);
  checkValues(d, `${path}.notValues`, c.notValues, check);
}

/** Istio `ValidateAuthorizationPolicy`'s per-rule checks (pkg/config/validation), with field paths. */
export function validateRule(d: Diagnostics, path: string, rule: AuthorizationRule, i: number): void {
  if (rule.from && rule.from.length === 0) d.error(`${path}.from`, `\`from\` must not be empty, found at rule ${i}`);
  rule.from?.forEach((f, j) => {
    if (!f.source) d.error(`${path}.from[${j}].source`, `\`from.source\` must not be nil, found at rule ${i}`);
    else validateSource(d, `${path}.from[${j}].source`, f.source, i);
  });
  if (rule.to && rule.to.length === 0) d.error(`${path}.to`, `\`to\` must not be empty, found at rule ${i}`);
  rule.to?.forEach((t, j) => {
    if (!t.operation) d.error(`${path}.to[${j}].operation`, `\`to.operation\` must not be nil, found at rule ${i}`);
    else validateOperation(d, `${path}.to[${j}].operation`, t.operation, i);
  });
  rule.when?.forEach((c, j) => validateCondition(d, `${path}.when[${j}]`, c));
}
