import fs from 'node:fs';
import path from 'node:path';
import type { Service, ServicePort, Workload } from '@mizzen/mesh-model';
import { protocolFromPortName, serviceFqdn } from '@mizzen/mesh-model';
import type { Analyzer } from '../analyzer';
import { analyze } from '../analyze';
import type { AnalysisInput } from '../context/context';
import { loadSources } from '../load/load';
import { formatMessage, type Message } from '../message';

/** Test support: YAML fixtures under `analyzers/__fixtures__`, and registry records as local mode registers them. */

const FIXTURES = path.resolve(__dirname, '../analyzers/__fixtures__');

export interface Registry {
  services?: Service[];
  workloads?: Workload[];
  workloadsKnown?: boolean;
}

/** The analysis input of a fixture file; fails loudly if the fixture itself is invalid config. */
export function fixtureInput(file: string, registry: Registry = {}): AnalysisInput {
  const text = fs.readFileSync(path.join(FIXTURES, file), 'utf8');
  const loaded = loadSources([{ name: file, text }], 'default');
  const invalid = loaded.messages.filter((m) => m.code === 'IST0106');
  if (invalid.length) throw new Error(`fixture ${file} is invalid:\n${invalid.map(formatMessage).join('\n')}`);
  return {
    configs: loaded.configs,
    services: [...loaded.services, ...(registry.services ?? [])],
    workloads: registry.workloads ?? [],
    ...(registry.workloadsKnown !== undefined ? { workloadsKnown: registry.workloadsKnown } : {}),
  };
}

/** Runs one analyzer over a fixture and returns istioctl-style lines. */
export function run(analyzer: Analyzer, file: string, registry?: Registry): string[] {
  return analyze(fixtureInput(file, registry), [analyzer]).map(formatMessage);
}

/** Runs one analyzer over a fixture and returns the messages. */
export function runMessages(analyzer: Analyzer, file: string, registry?: Registry): Message[] {
  return analyze(fixtureInput(file, registry), [analyzer]);
}

/** A service as a registering local workload declares it: `<name>.<ns>.svc.cluster.local`, selecting `app=<name>`. */
export function registered(name: string, ports: Array<{ name: string; number: number; protocol?: ServicePort['protocol'] }> = [{ name: 'http', number: 9080 }], namespace = 'default'): Service {
  return {
    hostname: serviceFqdn(name, namespace),
    namespace,
    ports: ports.map((p) => ({ name: p.name, number: p.number, protocol: p.protocol ?? protocolFromPortName(p.name) })),
    resolution: 'STATIC',
    location: 'MESH_INTERNAL',
    selector: { app: name },
    source: { kind: 'Registration', namespace, name },
  };
}

export function workload(name: string, labels: Record<string, string>, namespace = 'default'): Workload {
  return { name, namespace, address: '127.1.0.1', labels, serviceAccount: 'default', source: { kind: 'Registration', namespace, name } };
}

/** Bookinfo as `meshctl up` registers it. */
export const bookinfo: Required<Pick<Registry, 'services' | 'workloads'>> = {
  services: ['productpage', 'details', 'reviews', 'ratings'].map((n) => registered(n)),
  workloads: [
    workload('productpage-v1', { app: 'productpage', version: 'v1' }),
    workload('details-v1', { app: 'details', version: 'v1' }),
    workload('reviews-v1', { app: 'reviews', version: 'v1' }),
    workload('reviews-v2', { app: 'reviews', version: 'v2' }),
    workload('reviews-v3', { app: 'reviews', version: 'v3' }),
    workload('ratings-v1', { app: 'ratings', version: 'v1' }),
  ],
};
