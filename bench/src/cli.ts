import { parseArgs } from 'node:util';

export interface CliOptions {
  quick: boolean;
  scenarios: string[];
  rounds?: number;
  /** Override the convergence scenario's client counts. */
  clients?: number[];
  profile: boolean;
  install: boolean;
  json?: string;
  md?: string;
  /** Re-render the Markdown from an existing JSON results file (no measurement). */
  render?: string;
  /** Replace the measured scenarios in this results file (e.g. latest.json), keeping the others. */
  mergeInto?: string;
  help: boolean;
}

export const USAGE = `Usage: npm run bench -- [options]

  --quick              short CI smoke run: 1 round, short durations, 100 xDS clients
  --scenario NAME      run only this scenario (repeatable, or comma separated):
                       sidecar-overhead, convergence, galley-ingestion, citadel
  --rounds N           rounds per scenario (default 3, --quick 1)
  --clients N[,N...]   convergence: simulated xDS client counts (default 100,1000,5000; --quick 100)
  --no-profile         skip the CPU-profiling passes
  --no-install         do not apt-get install missing tools (nginx-light, wrk, nats-server)
  --render JSON        only re-render Markdown from a results file (e.g. after editing bench/analysis.md):
                       bench/results/latest.json -> bench/RESULTS.md unless --md is given
  --merge-into JSON    after a --scenario run, replace those scenarios in an existing results file
                       (e.g. bench/results/latest.json, which then re-renders bench/RESULTS.md) and
                       keep the others; the file records which scenarios were re-measured when
  --json PATH          where to write the JSON results
  --md PATH            where to write the Markdown report
                       (defaults: a full run of every scenario writes bench/results/latest.json and
                       bench/RESULTS.md; --quick or --scenario runs write bench/results/<quick|partial>.{json,md})
`;

export function parseCli(argv: string[]): CliOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      scenario: { type: 'string', multiple: true },
      rounds: { type: 'string' },
      clients: { type: 'string' },
      'no-profile': { type: 'boolean', default: false },
      'no-install': { type: 'boolean', default: false },
      json: { type: 'string' },
      md: { type: 'string' },
      render: { type: 'string' },
      'merge-into': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  const rounds = values.rounds === undefined ? undefined : Number(values.rounds);
  if (rounds !== undefined && (!Number.isInteger(rounds) || rounds < 1 || rounds > 20)) throw new Error(`--rounds: "${values.rounds}" is not an integer 1-20`);
  const clients = values.clients?.split(',').map((x) => Number(x.trim()));
  if (clients?.some((n) => !Number.isInteger(n) || n < 1 || n > 20_000)) throw new Error(`--clients: "${values.clients}" must list integers 1-20000`);
  return {
    clients,
    quick: values.quick ?? false,
    scenarios: (values.scenario ?? []).flatMap((s) => s.split(',').map((x) => x.trim()).filter(Boolean)),
    rounds,
    profile: !values['no-profile'],
    install: !values['no-install'],
    json: values.json,
    md: values.md,
    render: values.render,
    mergeInto: values['merge-into'],
    help: values.help ?? false,
  };
}
