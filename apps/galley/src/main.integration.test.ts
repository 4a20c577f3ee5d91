import fs from 'node:fs';
import path from 'node:path';
import { Bus } from '@mizzen/bus';
import { GalleyApply } from '@mizzen/contracts';
import { type NatsServer, spawnProcess, startNats } from '@mizzen/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The built entry point (`npx tsc -b apps/galley` first); skipped when it was not built.
const MAIN = path.resolve(__dirname, '../dist/main.js');
const built = fs.existsSync(MAIN);

let nats: NatsServer;
beforeAll(async () => {
  nats = await startNats();
});
afterAll(async () => {
  await nats?.stop();
});

describe.skipIf(!built)('galley process', () => {
  it('prints "galley ready" once serving, answers applies, and exits 0 on SIGTERM', async () => {
    const galley = await spawnProcess(process.execPath, [MAIN, '--nats', nats.url, '--grace-period-ms', '1000', '--log-level', 'warn'], {
      name: 'galley',
      readyLine: /^galley ready$/,
    });
    const bus = await Bus.connect({ url: nats.url });
    try {
      const reply = await bus.request(GalleyApply, {
        documents: 'apiVersion: networking.istio.io/v1\nkind: WorkloadEntry\nmetadata: {name: vm}\nspec: {address: 10.0.0.1}\n',
        source: 'api',
        defaultNamespace: 'default',
        dryRun: true,
      });
      expect(reply).toMatchObject({ accepted: true, results: [{ outcome: 'created' }] });
    } finally {
      await bus.close();
    }
    expect(await galley.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  });

  it('exits 2 naming every bad flag', async () => {
    const galley = await spawnProcess(process.execPath, [MAIN, '--grace-period-ms', 'soon', '--color'], { name: 'galley' });
    expect((await galley.exited).code).toBe(2);
    expect(galley.output()).toMatch(/--color: unknown flag/);
    expect(galley.output()).toMatch(/--grace-period-ms: must be a positive integer/);
  });
});
