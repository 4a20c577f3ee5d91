import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_MESH_CONFIG, jwksSources, jwtAuthnFilter, type JwksSource, MeshSnapshot, REJECT_ALL_JWKS, type Timer } from '@mizzen/pilot-core';
import { validateResource } from '@mizzen/config-api';
import type { ProxyNode } from '@mizzen/mesh-model';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MeshState } from '../mesh-state/mesh-state';
import { connectJwksResolver } from './jwks-feed';
import { fetchDocument } from './jwks-fetch';
import { JwksResolver } from './jwks-resolver';

const jwk = (kid: string) => ({ kty: 'RSA', kid, alg: 'RS256', e: 'AQAB', n: `n-of-${kid}` });
const jwks = (...kids: string[]) => JSON.stringify({ keys: kids.map(jwk) });

/** A JWKS endpoint on 127.0.0.1 whose answer the test changes (status, body, or no answer). */
class JwksServer {
  body = jwks('A');
  status = 200;
  hang = false;
  hits: string[] = [];
  private readonly server = http.createServer((req, res) => {
    this.hits.push(req.url ?? '');
    if (this.hang) return;
    if (req.url === '/.well-known/openid-configuration') return res.end(JSON.stringify({ issuer: this.base, jwks_uri: `${this.base}/keys` }));
    res.writeHead(this.status, { 'content-type': 'application/json' }).end(this.body);
  });
  base = '';

  async start(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
}

const realTimer: Timer = { now: () => Date.now(), setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };

function resolver(intervalMs = 60_000, extra: Partial<ConstructorParameters<typeof JwksResolver>[0]> = {}) {
  const logs: string[] = [];
  const changes: string[][] = [];
  const r = new JwksResolver({ refreshIntervalMs: intervalMs, fetch: fetchDocument, timer: realTimer, log: (m) => logs.push(m), ...extra });
  r.onChange((c) => changes.push([...c]));
  return { r, logs, changes };
}

const uriSource = (url: string, timeoutMs = 5000): JwksSource => ({ key: url, kind: 'jwksUri', url, timeoutMs });

describe('JwksResolver against a JWKS server on 127.0.0.1', () => {
  const server = new JwksServer();
  let url = '';
  beforeAll(async () => {
    await server.start();
    url = `${server.base}/jwks.json`;
  });
  afterAll(() => server.stop());
  beforeEach(() => Object.assign(server, { body: jwks('A'), status: 200, hang: false, hits: [] }));

  it('fetches a source as soon as it is tracked and reports it', async () => {
    const { r, changes } = resolver();
    r.track([uriSource(url)]);
    expect(await r.settled()).toBe(true);
    expect(r.keySets()).toEqual(new Map([[url, jwks('A')]]));
    expect(changes).toEqual([[url]]);
    r.track([uriSource(url)]); // the same sources again: no new fetch
    await r.settled();
    expect(server.hits).toEqual(['/jwks.json']);
  });

  it('rotation: a refresh reports the new key set; the same keys reordered or reformatted are no change', async () => {
    const { r, changes } = resolver();
    r.track([uriSource(url)]);
    await r.settled();
    server.body = jwks('A', 'B');
    expect(await r.refresh()).toBe(false);
    expect(r.keySets().get(url)).toBe(jwks('A', 'B'));
    server.body = JSON.stringify({ keys: [jwk('B'), jwk('A')] }, null, 2);
    await r.refresh();
    expect(r.keySets().get(url)).toBe(jwks('A', 'B'));
    server.body = jwks('B');
    await r.refresh();
    expect(r.keySets().get(url)).toBe(jwks('B'));
    expect(changes).toEqual([[url], [url], [url]]);
  });

  it.each([
    ['a 500', () => (server.status = 500), 'status 500'],
    ['a body that is not JSON', () => (server.body = '<html>'), 'not JSON'],
    ['a JSON document without keys', () => (server.body = '{"keys":[]}'), 'no "keys" array'],
  ])('a failed refresh (%s) keeps the last good key set and reports no change', async (_name, breakIt, message) => {
    const { r, changes, logs } = resolver();
    r.track([uriSource(url)]);
    await r.settled();
    breakIt();
    expect(await r.refresh()).toBe(true);
    expect(r.keySets().get(url)).toBe(jwks('A'));
    expect(changes).toHaveLength(1);
    expect(logs.at(-1)).toContain(message);
    expect(logs.at(-1)).toContain('keeping the last good key set');
  });

  it('times out a fetch that gets no answer (the rule timeout; Istio 5 s)', async () => {
    server.hang = true;
    const { r, logs } = resolver();
    const started = Date.now();
    r.track([uriSource(url, 200)]);
    expect(await r.settled()).toBe(false);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(logs.at(-1)).toMatch(/failed: .*(abort|timeout)/i);
  });

  it('resolves an issuer through OpenID discovery (openid-configuration, then its jwks_uri)', async () => {
    const snap = snapshot(`  - issuer: "${server.base}/"`);
    const [source] = jwksSources(snap);
    expect(source).toMatchObject({ kind: 'discovery', key: `${server.base}/.well-known/openid-configuration` });
    const { r } = resolver();
    r.track([source]);
    await r.settled();
    expect(server.hits).toEqual(['/.well-known/openid-configuration', '/keys']);
    expect(r.keySets().get(source.key)).toBe(jwks('A'));
  });

  it('refreshes on the interval by itself (start) and stops', async () => {
    const { r, changes } = resolver(50);
    r.track([uriSource(url)]);
    await r.settled();
    r.start();
    server.body = jwks('B');
    await waitUntil(() => changes.length === 2);
    expect(r.keySets().get(url)).toBe(jwks('B'));
    r.stop();
    await r.settled(); // a round already running finishes; none follows
    const hits = server.hits.length;
    await new Promise((res) => setTimeout(res, 200));
    expect(server.hits.length).toBe(hits);
  });

  it('after a failed round retries sooner: 1 min doubling, capped at the interval', async () => {
    const delays: number[] = [];
    let due: (() => void) | undefined;
    const timer: Timer = { now: () => Date.now(), setTimeout: (fn, ms) => ((due = fn), delays.push(ms)), clearTimeout: () => undefined };
    const { r } = resolver(20 * 60_000, { timer });
    server.status = 500;
    r.track([uriSource(url)]);
    await r.settled();
    r.start();
    for (let i = 0; i < 6; i++) {
      due?.();
      await waitUntil(() => delays.length === i + 2);
    }
    expect(delays).toEqual([1_200_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_200_000]);
    server.status = 200;
    due?.();
    await waitUntil(() => delays.length === 8);
    expect(delays.at(-1)).toBe(1_200_000);
    r.stop();
  });

  it('keeps a source no snapshot needs (a re-applied policy has its keys at once) until evicted', async () => {
    const { r, changes } = resolver(60_000, { evictionMs: 100 });
    r.track([uriSource(url)]);
    await r.settled();
    r.track([]);
    expect(r.keySets().has(url)).toBe(true);
    r.track([uriSource(url)]);
    expect(r.keySets().has(url)).toBe(true);
    r.track([]);
    await new Promise((res) => setTimeout(res, 150));
    await r.refresh();
    expect(r.keySets().has(url)).toBe(false);
    expect(changes).toEqual([[url], [url]]);
  });
});

describe('never fetched: the generator inlines a JWKS that verifies no token', () => {
  it('a jwksUri nobody answers has no key set, so its provider gets the reject-all JWKS', async () => {
    const closed = new JwksServer();
    await closed.start();
    await closed.stop(); // a port nothing listens on any more
    const snap = snapshot(`  - issuer: x\n    jwksUri: "${closed.base}/jwks.json"`);
    const { r, logs } = resolver();
    r.track(jwksSources(snap));
    expect(await r.settled()).toBe(false);
    expect(logs.at(-1)).toContain('no key set yet, its tokens are rejected');
    const withKeys = MeshSnapshot.build({ configs: snap.configsOfKind('RequestAuthentication'), services: [], workloads: [], mesh: DEFAULT_MESH_CONFIG, jwks: r.keySets() }, 2);
    expect(jwtAuthnFilter(withKeys, PROXY)?.typedConfig.providers['origins-0'].localJwks?.inlineString).toBe(REJECT_ALL_JWKS);
  });
});

describe('connectJwksResolver: key sets reach the snapshot and the push path', () => {
  const server = new JwksServer();
  beforeAll(() => server.start());
  afterAll(() => server.stop());
  beforeEach(() => Object.assign(server, { body: jwks('A'), status: 200, hang: false, hits: [] }));

  /** A MeshState wired to a resolver, recording each published snapshot's jwks change and key set. */
  function wired(url: string) {
    const state = new MeshState(DEFAULT_MESH_CONFIG, { quietMs: 5, maxMs: 50, endpointMaxMs: 50 }, realTimer, () => undefined);
    const { r } = resolver();
    connectJwksResolver(state, r);
    const updates: Array<{ jwks: string[]; configs: string[]; keys?: string }> = [];
    state.onUpdate((u) => updates.push({ jwks: [...u.change.jwks], configs: [...u.change.configs], keys: u.after.resolvedJwks(url) }));
    const apply = (rule: string) => state.configEvent({ key: 'RequestAuthentication/istio-system/jwt', value: { ...(requestAuthentication(rule) as object), source: 'test' }, deleted: false });
    /** A config that needs no key set. */
    const applyOther = () =>
      state.configEvent({
        key: 'PeerAuthentication/istio-system/other',
        value: { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'other', namespace: 'istio-system' }, spec: { mtls: { mode: 'STRICT' } }, source: 'test' },
        deleted: false,
      });
    return { state, r, updates, apply, applyOther };
  }
  const quiet = () => new Promise((r) => setTimeout(r, 200));

  it('a new RequestAuthentication is published once, already carrying its fetched keys (Istio fetches inside the push)', async () => {
    const url = `${server.base}/jwks.json`;
    const { state, updates, apply } = wired(url);
    apply(`  - issuer: x\n    jwksUri: "${url}"`);
    await waitUntil(() => updates.length === 1);
    await quiet();
    // The resolved key set's own change event found the published snapshot already holding it.
    expect(updates).toEqual([{ jwks: [], configs: ['RequestAuthentication/istio-system/jwt'], keys: jwks('A') }]);
    expect(server.hits).toEqual(['/jwks.json']);
    state.stop();
  });

  it('a rotation found by a refresh round is a jwks change in a new snapshot', async () => {
    const url = `${server.base}/jwks.json`;
    const { state, r, updates, apply } = wired(url);
    apply(`  - issuer: x\n    jwksUri: "${url}"`);
    await waitUntil(() => updates.length === 1);
    server.body = jwks('B');
    await r.refresh();
    await waitUntil(() => updates.length === 2);
    expect(updates[1]).toEqual({ jwks: [url], configs: [], keys: jwks('B') });
    state.stop();
  });

  it('an endpoint that does not answer holds the publication for the rule timeout only; config flushed meanwhile goes out with it', async () => {
    server.hang = true;
    const url = `${server.base}/hang.json`;
    const { state, updates, apply, applyOther } = wired(url);
    const started = Date.now();
    apply(`  - issuer: x\n    jwksUri: "${url}"\n    timeout: "300ms"`);
    await quiet();
    expect(updates).toEqual([]);
    applyOther();
    await waitUntil(() => updates.length === 1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    // No key set: the generator inlines the reject-all JWKS for this provider.
    expect(updates).toEqual([{ jwks: [], configs: ['RequestAuthentication/istio-system/jwt', 'PeerAuthentication/istio-system/other'], keys: undefined }]);
    await quiet();
    expect(updates).toHaveLength(1);
    state.stop();
  });

  it('a failing endpoint is not waited for again: later snapshots publish at once, without its keys', async () => {
    server.status = 503;
    const url = `${server.base}/down.json`;
    const { state, updates, apply, applyOther } = wired(url);
    apply(`  - issuer: x\n    jwksUri: "${url}"`);
    await waitUntil(() => updates.length === 1);
    expect(updates[0].keys).toBeUndefined();
    server.hang = true;
    applyOther();
    await waitUntil(() => updates.length === 2, 1000);
    expect(server.hits).toEqual(['/down.json']);
    state.stop();
  });
});

const PROXY: ProxyNode = {
  id: 'sidecar~127.1.0.1~productpage-v1.default~default.svc.cluster.local',
  type: 'sidecar',
  ip: '127.1.0.1',
  namespace: 'default',
  workloadName: 'productpage-v1',
  labels: { app: 'productpage' },
  serviceAccount: 'bookinfo-productpage',
  locality: {},
  interceptionMode: 'NONE',
  inbound: [{ port: 9080, name: 'http', protocol: 'HTTP', target: '127.0.0.1:19080' }],
};

function requestAuthentication(rules: string): unknown {
  return {
    apiVersion: 'security.istio.io/v1',
    kind: 'RequestAuthentication',
    metadata: { name: 'jwt', namespace: 'istio-system' },
    spec: { jwtRules: rules.split('\n  - ').filter(Boolean).map(parseRule) },
  };
}

/** `  - issuer: x\n    jwksUri: "u"` -> { issuer: 'x', jwksUri: 'u' } (the two fields these tests use). */
function parseRule(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.replace(/^\s*-\s*/, '').split('\n')) {
    const m = /^\s*(\w+): "?([^"]*)"?$/.exec(line);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

function snapshot(rules: string): MeshSnapshot {
  const parsed = validateResource(requestAuthentication(rules), { defaultNamespace: 'istio-system' });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return MeshSnapshot.build({ configs: [parsed.value], services: [], workloads: [], mesh: DEFAULT_MESH_CONFIG }, 1);
}

async function waitUntil(ok: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}
