import fs from 'node:fs';
import path from 'node:path';
import type { SecretApplyReply } from '@mizzen/contracts';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { type SecretInfo, withMeshClient } from '../client/mesh-client';

/** kubectl's `--from-file=[key=]path`: the key defaults to the file's base name. */
export function parseFromFile(spec: string): { key: string; file: string } {
  const i = spec.indexOf('=');
  const key = i < 0 ? path.basename(spec) : spec.slice(0, i);
  const file = i < 0 ? spec : spec.slice(i + 1);
  if (!key || !file) throw new Error(`--from-file: "${spec}" is not [key=]path`);
  return { key, file };
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];

/** Prints the outcome of a create; errors with their field paths. Returns the exit code. */
export function printSecretReply(r: SecretApplyReply, out: (s: string) => void, err: (s: string) => void): number {
  const id = `secret/${r.name} (namespace ${r.namespace})`;
  if (!r.accepted) {
    err(`${id} is invalid:`);
    for (const e of r.errors) err(`  * ${e.path}: ${e.message}`);
    return 1;
  }
  const cert = r.summary?.subject ? `: ${r.summary.subject}${r.summary.dnsNames.length ? ` [${r.summary.dnsNames.join(', ')}]` : ''}, expires ${r.summary.notAfter}` : '';
  out(`${id} ${r.outcome}${cert}`);
  return 0;
}

/** `meshctl get secrets`: one row per secret; names, types, data keys and the certificate's summary, never material. */
export function secretsTable(items: readonly SecretInfo[]): string[] {
  if (items.length === 0) return ['No resources found.'];
  const rows = [
    ['NAMESPACE', 'NAME', 'TYPE', 'DATA', 'CERTIFICATE', 'EXPIRES', 'REVISION'],
    ...items.map((s) => [s.namespace, s.name, s.type, s.dataKeys.join(','), s.summary.dnsNames.join(',') || s.summary.subject || (s.summary.caCertificates ? `${s.summary.caCertificates} CA` : ''), s.summary.notAfter ?? '', String(s.revision)]),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((v, c) => v.padEnd(widths[c])).join('   ').trimEnd());
}

/** `meshctl get secrets [NAME]` (called by `get` for the kinds `secret`/`secrets`). */
export async function getSecrets(name: string | undefined, o: { namespace: string; allNamespaces?: boolean; output: string; nats?: string }): Promise<void> {
  const all = await withMeshClient(o.nats, (c) => c.secrets(o.allNamespaces ? undefined : o.namespace));
  const items = name ? all.filter((s) => s.name === name) : all;
  if (name && items.length === 0) {
    console.error(`error: secret "${name}" not found in namespace ${o.namespace}`);
    process.exitCode = 1;
    return;
  }
  if (o.output === 'json') console.log(JSON.stringify(items.length === 1 && name ? items[0] : items, null, 2));
  else if (o.output === 'yaml') console.log(items.map((i) => stringify(i)).join('---\n'));
  else for (const l of secretsTable(items)) console.log(l);
}

/** `meshctl delete secret NAME -n NS` (called by `delete` for the kind `secret`). */
export async function deleteSecret(name: string, o: { namespace: string; nats?: string }): Promise<void> {
  const r = await withMeshClient(o.nats, (c) => c.deleteSecret(o.namespace, name));
  if (r.outcome === 'deleted') console.log(`secret/${name} (namespace ${r.namespace}) deleted`);
  else {
    console.error(`error: secret "${name}" not found in namespace ${r.namespace}`);
    process.exitCode = 1;
  }
}

/**
 * `meshctl create secret tls|generic`: kubectl's commands for the credentials Gateway and
 * DestinationRule `credentialName` name. The files are read here and sent to Galley, which
 * validates and stores them; creating an existing name replaces it (a certificate rotation).
 */
export function registerCreateSecret(program: Command): void {
  const secret = program.command('create').description('create mesh objects (kubectl-style)').command('secret').description('create a credential for Gateway / DestinationRule credentialName');
  const send = async (name: string, o: { namespace: string; nats?: string }, type: 'tls' | 'generic', data: Record<string, string>) => {
    const reply = await withMeshClient(o.nats, (c) => c.applySecret({ name, namespace: o.namespace, type, data }));
    process.exitCode = printSecretReply(reply, console.log, console.error);
  };
  secret
    .command('tls')
    .description('a kubernetes.io/tls secret from a certificate (chain) and its key, optionally with a CA for MUTUAL (ca.crt)')
    .argument('<name>')
    .requiredOption('--cert <file>', 'PEM certificate chain, leaf first (tls.crt)')
    .requiredOption('--key <file>', 'PEM private key (tls.key)')
    .option('--cacert <file>', 'PEM CA certificates that verify clients (ca.crt)')
    .option('-n, --namespace <ns>', 'namespace (gateways read secrets of their own namespace)', 'default')
    .option('--nats <url>', 'NATS URL (default: NATS_URL, or the local mesh started by meshctl up)')
    .action(async (name: string, o: { cert: string; key: string; cacert?: string; namespace: string; nats?: string }) => {
      const data: Record<string, string> = { 'tls.crt': fs.readFileSync(o.cert, 'utf8'), 'tls.key': fs.readFileSync(o.key, 'utf8') };
      if (o.cacert) data['ca.crt'] = fs.readFileSync(o.cacert, 'utf8');
      await send(name, o, 'tls', data);
    });
  secret
    .command('generic')
    .description("an Opaque secret from files: Istio's keys tls.crt/tls.key/ca.crt or cert/key/cacert")
    .argument('<name>')
    .option('--from-file <[key=]file>', 'a data key from a file (repeatable); the key defaults to the file name', collect, [])
    .option('-n, --namespace <ns>', 'namespace (gateways read secrets of their own namespace)', 'default')
    .option('--nats <url>', 'NATS URL')
    .action(async (name: string, o: { fromFile: string[]; namespace: string; nats?: string }) => {
      if (!o.fromFile.length) throw new Error('--from-file: at least one is required');
      const data: Record<string, string> = {};
      for (const spec of o.fromFile) {
        const { key, file } = parseFromFile(spec);
        data[key] = fs.readFileSync(file, 'utf8');
      }
      await send(name, o, 'generic', data);
    });
}
