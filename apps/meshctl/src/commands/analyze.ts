import fs from 'node:fs';
import path from 'node:path';
import {
  analyze,
  atLeast,
  countByLevel,
  documentationUrl,
  formatMessage,
  formatResource,
  type Level,
  LEVELS,
  type Loaded,
  loadObjects,
  loadSources,
  type Message,
  mergeLoaded,
  sortMessages,
  type Source,
  type Workload,
} from '@mizzen/analysis';
import { Bus } from '@mizzen/bus';
import { ConfigBucket, RegistryBucket } from '@mizzen/contracts';
import type { Command } from 'commander';
import { stringify } from 'yaml';
import { DEFAULT_STATE_DIR, readStateFile, resolveNatsUrl } from '../up/mesh-state-file';

/** istioctl's exit code when analyzers find issues at or above the failure threshold. */
export const ANALYZERS_FOUND_ISSUES = 79;

interface AnalyzeOptions {
  filename?: string[];
  recursive?: boolean;
  useLive?: boolean;
  namespace?: string;
  output: string;
  outputThreshold: string;
  failureThreshold: string;
  nats?: string;
}

/** The running mesh as the analysis sees it: its config and registry from NATS KV. */
interface LiveMesh extends Loaded {
  workloads: Workload[];
  url: string;
}

/**
 * `meshctl analyze [-f FILE...] [--use-live]`, like `istioctl analyze`: Istio's analyzer codes
 * over files, the running mesh, or files as if applied to the running mesh. Exits 79 when a
 * message at or above `--failure-threshold` (Error) is found.
 * https://istio.io/latest/docs/reference/commands/istioctl/#istioctl-analyze
 */
export function registerAnalyze(program: Command): void {
  program
    .command('analyze')
    .description('analyze Istio config for problems, with Istio\'s IST codes: files, the running mesh, or files against the running mesh')
    .argument('[files...]', 'files or directories to analyze (same as -f)')
    .option('-f, --filename <file...>', 'files or directories of YAML/JSON to analyze ("-" for stdin)')
    .option('-R, --recursive', 'read directories recursively')
    .option('--use-live', 'analyze against the running mesh (default: when one is running)')
    .option('--no-use-live', 'analyze the files alone, without the running mesh')
    .option('-n, --namespace <ns>', 'report only on this namespace; also the namespace of file resources that name none (default: every namespace, "default")')
    .option('-o, --output <format>', 'log, json or yaml', 'log')
    .option('--output-threshold <level>', `lowest level printed: ${LEVELS.join(', ')}`, 'Info')
    .option('--failure-threshold <level>', `lowest level that makes the exit code ${ANALYZERS_FOUND_ISSUES}`, 'Error')
    .option('--nats <url>', 'NATS URL of the mesh (default: NATS_URL, or the local mesh started by meshctl up)')
    .action(async (files: string[], o: AnalyzeOptions) => {
      process.exitCode = await runAnalyze([...files, ...(o.filename ?? [])], o);
    });
}

async function runAnalyze(fileArgs: string[], o: AnalyzeOptions): Promise<number> {
  const outputThreshold = parseLevel(o.outputThreshold, '--output-threshold');
  const failureThreshold = parseLevel(o.failureThreshold, '--failure-threshold');
  if (!['log', 'json', 'yaml'].includes(o.output)) throw new Error(`--output must be log, json or yaml, not "${o.output}"`);
  const sources = readSources(fileArgs, !!o.recursive);
  const live = await connectLive(o, sources.length > 0);
  if (!live && sources.length === 0) throw new Error('nothing to analyze: give files with -f, or start a mesh (npm start) or point --nats at one');

  const files = loadSources(sources, o.namespace ?? 'default');
  const loaded = live ? mergeLoaded(live, files) : files;
  const messages = [
    ...loaded.messages,
    ...analyze({ configs: loaded.configs, services: loaded.services, workloads: live?.workloads ?? [], workloadsKnown: !!live }),
  ];
  const inScope = messages.filter((m) => !o.namespace || m.resource.namespace === o.namespace || m.resource.namespace === '');
  const shown = sortMessages(inScope.filter((m) => atLeast(m.level, outputThreshold)));
  const failed = inScope.some((m) => atLeast(m.level, failureThreshold));

  if (o.output === 'log') printLog(shown, failed, describeTarget(o.namespace, sources, live), loaded);
  else {
    const records = shown.map((m) => ({ ...m, origin: formatResource(m.resource), documentationUrl: documentationUrl(m.code) }));
    process.stdout.write(o.output === 'json' ? `${JSON.stringify(records, null, 2)}\n` : stringify(records));
  }
  return failed ? ANALYZERS_FOUND_ISSUES : 0;
}

function parseLevel(raw: string, flag: string): Level {
  const level = LEVELS.find((l) => l.toLowerCase() === raw.toLowerCase());
  if (!level) throw new Error(`${flag} must be one of ${LEVELS.join(', ')}, not "${raw}"`);
  return level;
}

function printLog(messages: Message[], failed: boolean, target: string, loaded: Loaded): void {
  // Findings differing only in their field path print as one line (the paths are in -o json).
  const lines = new Map(messages.map((m) => [formatMessage(m), m]));
  for (const line of lines.keys()) console.log(line);
  if (loaded.skipped.length > 0) {
    const kinds = [...new Set(loaded.skipped.map((r) => r.kind))].sort().join(', ');
    console.error(`note: skipped ${loaded.skipped.length} resource(s) of kinds meshctl analyze does not read: ${kinds}`);
  }
  if (lines.size === 0) console.error(`\u2714 No validation issues found when analyzing ${target}.`);
  else if (failed) {
    console.error(`Error: Analyzers found issues when analyzing ${target}.`);
    console.error('See https://istio.io/latest/docs/reference/config/analysis for more information about causes and resolutions.');
  }
  const n = countByLevel([...lines.values()]);
  console.error(`${n.Error} error(s), ${n.Warning} warning(s), ${n.Info} info; ${loaded.configs.length} valid resource(s), ${loaded.services.length} service(s) analyzed.`);
}

function describeTarget(namespace: string | undefined, sources: Source[], live: LiveMesh | undefined): string {
  const what = [sources.length ? `${sources.length} file(s)` : '', live ? `the live mesh (${live.url})` : ''].filter(Boolean).join(' and ');
  return `${namespace ? `namespace: ${namespace}` : 'all namespaces'} (${what})`;
}

/** Files, directories (their .yaml/.yml/.json files) and `-` (stdin), in the order given. */
function readSources(args: string[], recursive: boolean): Source[] {
  const out: Source[] = [];
  const visit = (p: string, top: boolean): void => {
    if (p === '-') {
      out.push({ name: 'stdin', text: fs.readFileSync(0, 'utf8') });
      return;
    }
    const stat = fs.statSync(p);
    if (stat.isDirectory()) {
      if (!top && !recursive) return;
      for (const entry of fs.readdirSync(p).sort()) {
        const child = path.join(p, entry);
        if (fs.statSync(child).isDirectory() || /\.(ya?ml|json)$/.test(entry)) visit(child, false);
      }
    } else out.push({ name: p, text: fs.readFileSync(p, 'utf8') });
  };
  for (const a of args) visit(a, true);
  return out;
}

/**
 * The running mesh, if it is to be used: `--use-live` requires it, `--no-use-live` skips it, and
 * by default it is used when one is known (`--nats`, NATS_URL, or meshctl up's state file) and
 * answers; files alone are analyzed otherwise.
 */
async function connectLive(o: AnalyzeOptions, haveFiles: boolean): Promise<LiveMesh | undefined> {
  if (o.useLive === false) return undefined;
  const url = o.useLive ? resolveNatsUrl(o.nats, DEFAULT_STATE_DIR) : (o.nats ?? process.env.NATS_URL ?? readStateFile(DEFAULT_STATE_DIR)?.natsUrl);
  if (!url) return undefined;
  try {
    return await readLive(url);
  } catch (e) {
    if (o.useLive || !haveFiles) throw new Error(`cannot read the mesh at ${url}: ${(e as Error).message}`);
    console.error(`note: no running mesh at ${url} (${(e as Error).message}); analyzing the files alone`);
    return undefined;
  }
}

async function readLive(url: string): Promise<LiveMesh> {
  let timer: NodeJS.Timeout | undefined;
  const connecting = Bus.connect({ url, name: 'meshctl-analyze', waitOnFirstConnect: false });
  const bus = await Promise.race([
    connecting,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('NATS did not answer within 3 s')), 3000);
    }),
  ])
    .catch((e: unknown) => {
      // A connection that completes after the timeout must not keep the process alive.
      connecting.then((late) => late.close()).catch(() => undefined);
      throw e;
    })
    .finally(() => clearTimeout(timer));
  try {
    const configKv = await bus.openKv(ConfigBucket.name, { history: ConfigBucket.history, readyTimeoutMs: 5000 });
    const registryKv = await bus.openKv(RegistryBucket.name, { history: RegistryBucket.history, readyTimeoutMs: 5000 });
    const objects: unknown[] = [];
    for (const e of await configKv.entries()) {
      const stored = ConfigBucket.value(e.value);
      if (!stored.ok) continue; // not a config record; Pilot ignores it too
      const { source: _source, ...resource } = stored.value;
      objects.push(resource);
    }
    const live: LiveMesh = { ...loadObjects(objects, 'default', 'mesh'), workloads: [], url };
    for (const e of await registryKv.entries()) {
      const ref = RegistryBucket.parseKey(e.key);
      if (ref?.type === 'service') {
        const s = RegistryBucket.service(e.value);
        if (s.ok) live.services.push(s.value);
      } else if (ref?.type === 'workload') {
        const w = RegistryBucket.workload(e.value);
        if (w.ok) live.workloads.push(w.value);
      }
    }
    return live;
  } finally {
    await bus.close();
  }
}
