import fs from 'node:fs';
import type * as xds from '@mizzen/xds-types';
import type { SecretRef } from '../model';
import { isAgentSecretName } from '../model';
import { type Issues, at } from './issues';

/**
 * A DataSource's bytes as text: `filename` is read now (a missing file rejects the config, as in
 * Envoy), `inline_string`, `inline_bytes` (base64) or `environment_variable`.
 * https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/core/v3/base.proto#config-core-v3-datasource
 */
export function dataSource(d: xds.DataSource | undefined, path: string, issues: Issues): string | undefined {
  if (!d) {
    issues.error(path, 'is required');
    return undefined;
  }
  if (d.filename !== undefined) {
    try {
      return fs.readFileSync(d.filename, 'utf8');
    } catch (err) {
      issues.error(at(path, 'filename'), `cannot read ${d.filename}: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }
  if (d.inlineString !== undefined) return d.inlineString;
  if (d.inlineBytes !== undefined) return Buffer.from(d.inlineBytes, 'base64').toString('utf8');
  if (d.environmentVariable !== undefined) {
    const v = process.env[d.environmentVariable];
    if (v === undefined) issues.error(at(path, 'environmentVariable'), `${d.environmentVariable} is not set`);
    return v;
  }
  issues.error(path, 'one of filename, inlineString, inlineBytes, environmentVariable is required');
  return undefined;
}

/**
 * An SdsSecretConfig: the name, resolved from the proxy's secret store, and where the secret comes
 * from: `sds_config: {ads: {}}` means the control plane sends it on the ADS stream (the proxy
 * subscribes to the name), except for the names the agent serves itself (`default`, `ROOTCA`,
 * files), which always come from the agent's store.
 */
export function secretRef(s: xds.SdsSecretConfig, path: string, issues: Issues): SecretRef | undefined {
  if (!s.name) {
    issues.error(at(path, 'name'), 'an SDS secret name is required');
    return undefined;
  }
  const kept = flatCopy(path);
  return s.sdsConfig?.ads && !isAgentSecretName(s.name) ? { name: s.name, path: kept, ads: true } : { name: s.name, path: kept };
}

/**
 * A path built by joining segments is a chain of V8 cons strings (one per segment); a reference
 * keeps it for the config's life (every cluster's TLS context has one), so it keeps a flat copy.
 */
function flatCopy(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}
