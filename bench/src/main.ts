/**
 * `npm run bench [-- --quick] [-- --scenario NAME]`: the Mizzen benchmark harness. Runs each
 * scenario against real processes, writes machine-readable results and a Markdown report. Never
 * asserts on time; every scenario is bounded in time and stops everything it started.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Cleanup, TimeoutError, withTimeout } from './common/cleanup';
import { describeMachine } from './common/machine';
import { BENCH_DIR, RESULTS_DIR } from './common/paths';
import { loadAverage } from './common/proc-stats';
import { TOOLS, ensureTools } from './common/system-packages';
import { USAGE, parseCli } from './cli';
import { type BenchResults, mergeResults, type ScenarioResult } from './report/model';
import { renderMarkdown } from './report/markdown';
import { writeResults } from './report/write-results';
import { SCENARIOS } from './scenarios';
import type { BenchSettings, Scenario } from './scenarios/scenario';

const log = (msg: string): void => {
  process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`);
};

let current: Cleanup | undefined;

/** A full run must end within 15 minutes including the build: the scenarios get 14. */
const TOTAL_BUDGET_MS = 14 * 60_000;

async function runScenario(sc: Scenario, settings: BenchSettings, remainingMs: number): Promise<ScenarioResult> {
  const cleanup = new Cleanup();
  current = cleanup;
  const started = Date.now();
  const budget = Math.min(sc.budgetMs(settings), remainingMs);
  log(`${sc.name}: start (budget ${(budget / 60_000).toFixed(1)} min)`);
  let result: ScenarioResult;
  try {
    if (budget < 30_000) throw new Error('skipped: the run\'s total time budget is spent');
    result = await withTimeout(sc.run(settings, cleanup), budget, sc.name);
  } catch (e) {
    const err = e as Error;
    log(`${sc.name}: ${err instanceof TimeoutError ? 'ran out of time' : 'failed'}: ${err.message.split('\n')[0]}`);
    result = { name: sc.name, title: sc.title, status: 'failed', durationS: (Date.now() - started) / 1000, method: [], headlines: [], tables: [], profiles: [], errors: [err.stack ?? err.message], raw: null };
  }
  const stopErrors = await cleanup.close();
  current = undefined;
  if (stopErrors.length) result.errors.push(...stopErrors.map((e) => `cleanup: ${e}`));
  log(`${sc.name}: ${result.status} in ${Math.round((Date.now() - started) / 1000)} s`);
  return result;
}

async function main(): Promise<void> {
  const cli = parseCli(process.argv.slice(2));
  if (cli.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (cli.render) {
    const results = JSON.parse(fs.readFileSync(cli.render, 'utf8')) as BenchResults;
    const md = path.resolve(cli.md ?? path.join(BENCH_DIR, 'RESULTS.md'));
    fs.writeFileSync(md, renderMarkdown(results, path.join(BENCH_DIR, 'analysis.md')));
    log(`rendered ${path.relative(process.cwd(), md)} from ${cli.render}`);
    return;
  }
  const unknown = cli.scenarios.filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length) throw new Error(`unknown scenario(s) ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  const selected = cli.scenarios.length ? SCENARIOS.filter((s) => cli.scenarios.includes(s.name)) : SCENARIOS;
  const partial = cli.quick || selected.length < SCENARIOS.length;
  const jsonPath = path.resolve(cli.json ?? path.join(RESULTS_DIR, partial ? `${cli.quick ? 'quick' : 'partial'}.json` : 'latest.json'));
  const mdPath = path.resolve(cli.md ?? (partial ? path.join(RESULTS_DIR, `${cli.quick ? 'quick' : 'partial'}.md`) : path.join(BENCH_DIR, 'RESULTS.md')));

  const startedAt = new Date();
  const missingTools = cli.install ? ensureTools(Object.values(TOOLS), log) : new Map<string, string>();
  for (const [cmd, why] of missingTools) log(`warning: ${cmd} unavailable: ${why}`);
  const settings: BenchSettings = { quick: cli.quick, rounds: cli.rounds ?? (cli.quick ? 1 : 3), clients: cli.clients, profile: cli.profile && !cli.quick, missingTools, log };
  const machine = describeMachine();
  log(`${cli.quick ? 'quick' : 'full'} run: ${selected.map((s) => s.name).join(', ')}; ${settings.rounds} round(s); ${machine.cpus} CPUs, load ${machine.loadAverageAtStart.join(' ')}`);

  const scenarios: ScenarioResult[] = [];
  const loadAverages: BenchResults['loadAverages'] = [];
  const deadline = Date.now() + TOTAL_BUDGET_MS;
  for (const sc of selected) {
    scenarios.push(await runScenario(sc, settings, deadline - Date.now()));
    loadAverages.push({ after: sc.name, load: loadAverage() });
  }
  const finishedAt = new Date();
  const results: BenchResults = {
    schema: 1,
    mode: cli.quick ? 'quick' : 'full',
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationS: (finishedAt.getTime() - startedAt.getTime()) / 1000,
    machine,
    loadAverages,
    scenarios,
  };
  writeResults(results, jsonPath, mdPath, path.join(BENCH_DIR, 'analysis.md'));
  log(`wrote ${path.relative(process.cwd(), jsonPath)} and ${path.relative(process.cwd(), mdPath)}`);
  if (cli.mergeInto) {
    const target = path.resolve(cli.mergeInto);
    const merged = mergeResults(JSON.parse(fs.readFileSync(target, 'utf8')) as BenchResults, results);
    const mergedMd = target === path.resolve(RESULTS_DIR, 'latest.json') ? path.join(BENCH_DIR, 'RESULTS.md') : target.replace(/\.json$/, '.md');
    writeResults(merged, target, mergedMd, path.join(BENCH_DIR, 'analysis.md'));
    log(`merged ${selected.map((s) => s.name).join(', ')} into ${path.relative(process.cwd(), target)} and ${path.relative(process.cwd(), mergedMd)}`);
  }
  for (const s of scenarios) {
    for (const h of s.headlines) log(`  ${h.verdict.padEnd(12)} ${h.label}: ${Number.isFinite(h.value.median) ? h.value.median.toFixed(3) : (h.note ?? 'n/a')} ${h.unit}${h.target ? ` (target ${h.target.op} ${h.target.value})` : ''}`);
  }
}

// A scenario that ran out of time keeps running in the background until the processes it drives
// are gone; its late failures must not take the whole run (and its report) down.
process.on('unhandledRejection', (e) => log(`(late failure, ignored) ${(e as Error)?.message ?? String(e)}`));
process.on('uncaughtException', (e) => log(`(late failure, ignored) ${e.message}`));

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    log(`${sig}: stopping what the bench started`);
    void (current?.close() ?? Promise.resolve()).finally(() => process.exit(130));
  });
}

main().catch((e: unknown) => {
  log(`bench failed: ${(e as Error).stack ?? String(e)}`);
  void (current?.close() ?? Promise.resolve()).finally(() => process.exit(1));
});
