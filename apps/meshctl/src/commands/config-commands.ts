import fs from 'node:fs';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { withMeshClient } from '../client/mesh-client';
import { KIND_NAMES, resolveKind } from './kinds';
import { printReply } from './report';
import { deleteSecret, getSecrets } from './secrets';

/** `get` / `delete` kinds served from the secret store instead of the config bucket. */
const SECRET_KINDS = new Set(['secret', 'secrets']);

const readInput = (file: string): string => (file === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(file, 'utf8'));

/** `meshctl apply -f FILE`, `meshctl delete -f FILE` / `delete secret NAME`, `meshctl get KIND [NAME]` (KIND `secrets` too). */
export function registerConfigCommands(program: Command): void {
  program
    .command('apply')
    .description('apply Istio config (multi-document YAML) through Galley; rejected whole if any resource is invalid')
    .requiredOption('-f, --filename <file...>', 'files to apply ("-" for stdin)')
    .option('-n, --namespace <ns>', 'namespace for resources that name none', 'default')
    .option('--dry-run', 'validate only')
    .option('--nats <url>', 'NATS URL (default: NATS_URL, or the local mesh started by meshctl up)')
    .action(async (o: { filename: string[]; namespace: string; dryRun?: boolean; nats?: string }) => {
      const text = o.filename.map(readInput).join('\n---\n');
      const reply = await withMeshClient(o.nats, (c) => c.apply(text, 'api', o.namespace, !!o.dryRun));
      process.exitCode = printReply(reply, console.log, console.error, !!o.dryRun);
    });
  program
    .command('delete')
    .description('delete the resources named in the files, or one secret: delete secret NAME -n NS')
    .argument('[kind]', 'secret (with NAME) instead of -f')
    .argument('[name]')
    .option('-f, --filename <file...>', 'files naming the resources ("-" for stdin)')
    .option('-n, --namespace <ns>', 'namespace for resources that name none', 'default')
    .option('--nats <url>', 'NATS URL')
    .action(async (kind: string | undefined, name: string | undefined, o: { filename?: string[]; namespace: string; nats?: string }) => {
      if (kind !== undefined) {
        if (!SECRET_KINDS.has(kind.toLowerCase()) || !name || o.filename) throw new Error(`delete: use "delete -f FILE" or "delete secret NAME"; got "${[kind, name].filter(Boolean).join(' ')}"`);
        return deleteSecret(name, o);
      }
      if (!o.filename) throw new Error("required option '-f, --filename <file...>' not specified");
      const text = o.filename.map(readInput).join('\n---\n');
      const reply = await withMeshClient(o.nats, (c) => c.delete(text, o.namespace));
      process.exitCode = printReply(reply, console.log, console.error);
    });
  program
    .command('get')
    .description(`list stored config: KIND is one of ${KIND_NAMES.join(', ')} (or vs, dr, gw, se, we), or secrets`)
    .argument('<kind>')
    .argument('[name]')
    .option('-n, --namespace <ns>', 'namespace', 'default')
    .option('-A, --all-namespaces', 'every namespace')
    .option('-o, --output <format>', 'table, yaml or json', 'table')
    .option('--nats <url>', 'NATS URL')
    .action(async (kindArg: string, name: string | undefined, o: { namespace: string; allNamespaces?: boolean; output: string; nats?: string }) => {
      if (SECRET_KINDS.has(kindArg.toLowerCase())) return getSecrets(name, o);
      const kind = resolveKind(kindArg);
      if (!kind) {
        console.error(`error: unknown kind "${kindArg}"; known kinds: ${KIND_NAMES.join(', ')}`);
        process.exitCode = 1;
        return;
      }
      const items = await withMeshClient(o.nats, (c) => c.get(kind, o.allNamespaces ? undefined : o.namespace, name));
      if (name && items.length === 0) {
        console.error(`error: ${kind.toLowerCase()} "${name}" not found in namespace ${o.namespace}`);
        process.exitCode = 1;
        return;
      }
      if (o.output === 'json') console.log(JSON.stringify(items.length === 1 && name ? items[0] : items, null, 2));
      else if (o.output === 'yaml') console.log(items.map((i) => stringify(i)).join('---\n'));
      else printTable(items);
    });
}

function printTable(items: Array<{ metadata: { name: string; namespace: string; generation?: number }; source: string; revision: number }>): void {
  if (items.length === 0) {
    console.log('No resources found.');
    return;
  }
  const rows = [['NAMESPACE', 'NAME', 'GENERATION', 'REVISION', 'SOURCE'], ...items.map((i) => [i.metadata.namespace, i.metadata.name, String(i.metadata.generation ?? 1), String(i.revision), i.source])];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((v, c) => v.padEnd(widths[c])).join('   ').trimEnd());
}
