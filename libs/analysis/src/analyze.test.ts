import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from './analyze';
import { buildContext } from './context/context';
import { loadSources } from './load/load';
import { atLeast, formatMessage, type Message } from './message';
import { MESSAGE_TYPES } from './message-types';
import { ANALYZERS } from './registry';
import { bookinfo } from './testing/fixtures';

const networking = path.resolve(__dirname, '../../../samples/bookinfo/networking');
const sample = (file: string): { name: string; text: string } => ({ name: file, text: fs.readFileSync(path.join(networking, file), 'utf8') });

describe('analyze', () => {
  it('runs analyzers that report only the codes they declare, each with the level of its code', () => {
    const dir = path.resolve(__dirname, 'analyzers/__fixtures__');
    for (const file of fs.readdirSync(dir)) {
      const loaded = loadSources([{ name: file, text: fs.readFileSync(path.join(dir, file), 'utf8') }], 'default');
      const ctx = buildContext({ configs: loaded.configs, services: [...loaded.services, ...bookinfo.services], workloads: bookinfo.workloads });
      for (const a of ANALYZERS) {
        for (const m of a.analyze(ctx)) {
          expect(a.codes).toContain(m.code);
          expect(m.level).toBe(MESSAGE_TYPES[m.code].level);
        }
      }
    }
  });

  it('sorts like istioctl (Error, Warning, Info; then code and resource) and drops duplicates', () => {
    const loaded = loadSources([sample('bookinfo-gateway.yaml'), sample('destination-rule-all.yaml'), sample('virtual-service-reviews-test-v2.yaml')], 'default');
    const out = analyze({ configs: loaded.configs, services: [], workloads: [], workloadsKnown: false });
    const levels = out.map((m) => m.level);
    expect(levels).toEqual([...levels].sort((a, b) => ['Error', 'Warning', 'Info'].indexOf(a) - ['Error', 'Warning', 'Info'].indexOf(b)));
    expect(new Set(out.map((m) => `${formatMessage(m)} ${m.path}`)).size).toBe(out.length);
    expect(out.map(formatMessage)).toContain('Error [IST0101] (VirtualService default/bookinfo) Referenced host not found: "productpage"');
    expect(out.map(formatMessage)).toContain('Warning [IST0174] (DestinationRule default/reviews) The host reviews defined in the DestinationRule does not match any services in the mesh.');
  });

  it('finds no errors in the Bookinfo samples against the registered Bookinfo mesh, except subsets with no workload', () => {
    const files = fs.readdirSync(networking).filter((f) => f.startsWith('virtual-service-all-v1') || f === 'bookinfo-gateway.yaml' || f === 'destination-rule-all.yaml');
    const loaded = loadSources(files.map(sample), 'default');
    expect(loaded.messages).toEqual([]);
    const errors = analyze({ configs: loaded.configs, ...bookinfo }).filter((m: Message) => atLeast(m.level, 'Warning'));
    expect(errors.map(formatMessage)).toEqual([
      'Error [IST0173] (DestinationRule default/details) The Subset v2 defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).',
      'Error [IST0173] (DestinationRule default/ratings) The Subset v2 defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).',
      'Error [IST0173] (DestinationRule default/ratings) The Subset v2-mysql defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).',
      'Error [IST0173] (DestinationRule default/ratings) The Subset v2-mysql-vm defined in the DestinationRule does not select any pods. Which may lead to 503 UH (NoHealthyUpstream).',
    ]);
  });
});
