import { createHash } from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyRuntime } from '../runtime';
import { startRuntime } from '../testing/runtime-harness';
import { type TestUpstream, request, startUpstream } from '../testing/upstreams';
import * as b from '../testing/xds-builders';

const IP = '127.0.0.60';
const PORT = 15001;
const proxy = { host: IP, port: PORT };
const MB = 1024 * 1024;

/** Replies with the hash and size of the request body; GET /big streams 16 MiB after a gate. */
function bodyHandler(gate: { open?: () => void }) {
  return (req: http.IncomingMessage, res: http.ServerResponse): void => {
    if (req.url === '/big') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.write(Buffer.alloc(64 * 1024, 1));
      gate.open = () => {
        for (let i = 0; i < 16; i++) res.write(Buffer.alloc(MB, 2));
        res.end();
      };
      return;
    }
    const hash = createHash('sha256');
    let size = 0;
    req.on('data', (c: Buffer) => {
      hash.update(c);
      size += c.length;
    });
    req.on('end', () => res.end(JSON.stringify({ size, sha: hash.digest('hex'), headers: req.headers, url: req.url })));
  };
}

describe('headers, rewrites and streaming', () => {
  let rt: ProxyRuntime;
  let upstream: TestUpstream;
  const gate: { open?: () => void } = {};

  beforeAll(async () => {
    upstream = await startUpstream('u', '127.0.0.61', bodyHandler(gate));
    rt = await startRuntime({
      clusters: [b.staticCluster('u', [[upstream.host, upstream.port]])],
      listeners: [b.listener('outbound_http_proxy', IP, PORT, { rds: 'r' })],
      routes: [
        {
          name: 'r',
          requestHeadersToAdd: [{ header: { key: 'x-level', value: 'config' }, appendAction: 'OVERWRITE_IF_EXISTS_OR_ADD' }],
          virtualHosts: [
            {
              ...b.vhost('svc', ['svc'], [
                {
                  ...b.routeTo('u', { prefix: '/api/' }, { prefixRewrite: '/v2/', hostRewriteLiteral: 'backend.internal' }),
                  requestHeadersToAdd: [
                    { header: { key: 'x-added', value: 'yes' } },
                    { header: { key: 'x-level', value: 'route' }, appendAction: 'OVERWRITE_IF_EXISTS_OR_ADD' },
                    { header: { key: 'x-client', value: '%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%' } },
                  ],
                  requestHeadersToRemove: ['x-secret'],
                  responseHeadersToAdd: [{ header: { key: 'x-served-by', value: 'mizzen' } }],
                  responseHeadersToRemove: ['content-type'],
                },
                b.routeTo('u', { safeRegex: { regex: '/users/([0-9]+)/profile' } }, { regexRewrite: { pattern: { regex: '^/users/([0-9]+)/profile$' }, substitution: '/profiles/\\1' } }),
                b.routeTo('u'),
              ]),
            },
          ],
        },
      ],
    });
  });

  afterAll(async () => {
    await rt.close();
    await upstream.close();
  });

  type Echo = { size: number; sha: string; headers: http.IncomingHttpHeaders; url: string };
  const send = async (path: string, headers: Record<string, string> = {}, body?: Buffer | string) => {
    const res = await request(proxy, { method: body === undefined ? 'GET' : 'POST', path, headers: { host: 'svc', ...headers }, body });
    return { ...res, echo: JSON.parse(res.body) as Echo };
  };

  it('adds and removes request and response headers, route level before route config', async () => {
    const res = await send('/api/x', { 'x-secret': 's', 'x-level': 'client', 'end-user': 'jason' });
    const h = res.echo.headers;
    expect(h['x-added']).toBe('yes');
    expect(h['x-level']).toBe('config');
    expect(h['x-secret']).toBeUndefined();
    expect(h['x-client']).toBe('127.0.0.1');
    expect(h['end-user']).toBe('jason');
    expect(res.headers['x-served-by']).toBe('mizzen');
    expect(res.headers['content-type']).toBeUndefined();
  });

  it('rewrites prefix and host, recording x-envoy-original-path', async () => {
    const { echo } = await send('/api/items?id=3');
    expect(echo.url).toBe('/v2/items?id=3');
    expect(echo.headers.host).toBe('backend.internal');
    expect(echo.headers['x-envoy-original-path']).toBe('/api/items?id=3');
  });

  it('rewrites with a regex substitution', async () => {
    expect((await send('/users/42/profile')).echo.url).toBe('/profiles/42');
  });

  it('sets x-forwarded-proto and x-request-id, keeps an incoming request id, reports upstream service time', async () => {
    const first = await send('/');
    expect(first.echo.headers['x-forwarded-proto']).toBe('http');
    expect(first.echo.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.echo.headers['x-forwarded-for']).toBeUndefined();
    expect(first.headers['x-envoy-upstream-service-time']).toMatch(/^\d+$/);
    expect(first.headers.server).toBe('envoy');
    const second = await send('/', { 'x-request-id': 'abc' });
    expect(second.echo.headers['x-request-id']).toBe('abc');
  });

  it('drops hop-by-hop headers, including those named in Connection', async () => {
    const { echo } = await send('/', { connection: 'keep-alive, x-hop', 'x-hop': '1', 'keep-alive': 'timeout=5', 'proxy-connection': 'keep-alive' });
    expect(echo.headers['x-hop']).toBeUndefined();
    expect(echo.headers['proxy-connection']).toBeUndefined();
    expect(echo.headers['keep-alive']).toBeUndefined();
  });

  it('streams a large request body upstream intact', async () => {
    const body = Buffer.alloc(20 * MB);
    for (let i = 0; i < body.length; i += 4096) body[i] = i % 251;
    const { echo } = await send('/upload', {}, body);
    expect(echo.size).toBe(body.length);
    expect(echo.sha).toBe(createHash('sha256').update(body).digest('hex'));
  });

  it('streams the response: the first bytes arrive before the upstream has finished', async () => {
    const result = await new Promise<{ firstBeforeEnd: boolean; size: number }>((resolve, reject) => {
      http
        .get({ host: IP, port: PORT, path: '/big', headers: { host: 'svc' }, agent: false }, (res) => {
          let size = 0;
          let firstBeforeEnd = false;
          res.on('data', (c: Buffer) => {
            if (size === 0) {
              firstBeforeEnd = gate.open !== undefined;
              gate.open?.();
            }
            size += c.length;
          });
          res.on('end', () => resolve({ firstBeforeEnd, size }));
        })
        .on('error', reject);
    });
    expect(result.firstBeforeEnd).toBe(true);
    expect(result.size).toBe(64 * 1024 + 16 * MB);
  });
});
