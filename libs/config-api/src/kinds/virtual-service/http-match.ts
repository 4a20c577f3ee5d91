import { isDNS1123Label } from '../../common/checks/dns';
import { checkMatchHeaderName } from '../../common/checks/headers';
import { validateLabels } from '../../common/checks/labels';
import { checkPort } from '../../common/checks/ports';
import { validateStringMatch, validateStringMatchRegex } from '../../common/validate/string-match';
import type { Diagnostics } from '../../core/diagnostics';
import { keyPath } from '../../core/field-path';
import { validateGatewayNames } from './gateway-names';
import type { HTTPMatchRequest } from './types';

/**
 * Istio `validateHTTPRouteMatchRequest`: header names, non-empty prefixes (except `uri`), RE2
 * regexes, ports, source labels, gateway names and source namespaces.
 * https://istio.io/latest/docs/reference/config/networking/virtual-service/#HTTPMatchRequest
 */
export function validateHTTPMatch(d: Diagnostics, path: string, m: HTTPMatchRequest): void {
  for (const [name, match] of Object.entries(m.headers ?? {})) {
    const at = keyPath(`${path}.headers`, name);
    d.errorIf(at, checkMatchHeaderName(name));
    validateStringMatch(d, at, match);
  }
  for (const [name, match] of Object.entries(m.withoutHeaders ?? {})) {
    const at = keyPath(`${path}.withoutHeaders`, name);
    d.errorIf(at, checkMatchHeaderName(name));
    // `regex: "*"` is not RE2: Istio reads it as "header present".
    if (match.regex !== '*') validateStringMatch(d, at, match);
  }
  // An empty uri prefix is valid (it matches everything); scheme/method/authority prefixes are not.
  validateStringMatchRegex(d, `${path}.uri`, m.uri);
  validateStringMatch(d, `${path}.scheme`, m.scheme);
  validateStringMatch(d, `${path}.method`, m.method);
  validateStringMatch(d, `${path}.authority`, m.authority);
  for (const [name, match] of Object.entries(m.queryParams ?? {})) validateStringMatch(d, keyPath(`${path}.queryParams`, name), match);
  if (m.port !== undefined && m.port !== 0) d.errorIf(`${path}.port`, checkPort(m.port));
  validateLabels(d, `${path}.sourceLabels`, m.sourceLabels);
  validateGatewayNames(d, `${path}.gateways`, m.gateways);
  if (m.sourceNamespace && !isDNS1123Label(m.sourceNamespace)) d.error(`${path}.sourceNamespace`, `sourceNamespace match ${JSON.stringify(m.sourceNamespace)} is invalid`);
}
