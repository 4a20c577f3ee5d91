import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ResourceTranslator, clusterResource, endpointResource, listenerResource, routeResource, translateResponse } from './resources';

/**
 * Contract test: the proxy accepts what Pilot generates. Pilot's own golden files (sidecar and
 * gateway output for Bookinfo) are translated exactly as an xDS response would be.
 */
const GOLDEN_DIR = path.resolve(__dirname, '../../../../libs/pilot-core/src/generators/__golden__');
const FILES = ['sidecar-productpage-jason.json', 'gateway-bookinfo.json'];

interface GoldenResource {
  typeUrl: string;
  name: string;
  body: Record<string, unknown>;
}

function expectAccepted<B, T>(t: ResourceTranslator<B, T>, resources: GoldenResource[]): void {
  const own = resources.filter((r) => r.typeUrl === t.typeUrl);
  const res = translateResponse(t, { versionInfo: 'golden', typeUrl: t.typeUrl, nonce: '', resources: own.map((r) => ({ typeUrl: r.typeUrl, body: r.body })) }, 'wildcard');
  expect(res.ok ? '' : res.error).toBe('');
  if (res.ok) expect([...res.value.resources.keys()].sort()).toEqual(own.map((r) => r.name).sort());
}

describe("Pilot's generated config is accepted", () => {
  it.each(FILES)('%s', (file) => {
    const resources = JSON.parse(fs.readFileSync(path.join(GOLDEN_DIR, file), 'utf8')) as GoldenResource[];
    expect(resources.length).toBeGreaterThan(0);
    expectAccepted(listenerResource, resources);
    expectAccepted(routeResource, resources);
    expectAccepted(clusterResource, resources);
    expectAccepted(endpointResource, resources);
  });
});
