import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { H2ClientPool } from '../../h2/h2-client-pool';
import { StatsStore } from '../../stats';
import { startGrpcAuthorizer } from '../../testing/authz-servers';
import { closedPort } from '../../testing/sockets';
import { authorizationService } from './grpc-client';
import { GrpcCallError, unaryCall } from './grpc-unary';

const HOST = '127.92.1.21';

function pool(port: number): H2ClientPool {
  return new H2ClientPool({ host: HOST, port, connectTimeoutMs: 1000, maxConcurrentStreams: 100, maxRequestsPerConnection: 0, idleTimeoutMs: 0, maxConnectionDurationMs: 0, stats: new StatsStore().scope('cluster', 'c'), onConnect: () => undefined, onDisconnect: () => undefined });
}

/** The Check a request with `x-ext-authz: <verdict>` makes. */
function checkFor(verdict: string): Buffer {
  return authorizationService().service.Check.requestSerialize({ attributes: { request: { http: { method: 'GET', path: '/', host: 'h', headers: { 'x-ext-authz': verdict } } } } });
}

describe('unary gRPC over an HTTP/2 session pool (grpc-js server)', () => {
  let authz: Awaited<ReturnType<typeof startGrpcAuthorizer>>;
  let sessions: H2ClientPool;
  const check = authorizationService().service.Check;
  const call = (path: string, verdict: string, timeoutMs = 2000) => unaryCall(sessions, 'http', { path, authority: 'ext-authz', message: checkFor(verdict), deadline: Date.now() + timeoutMs });

  beforeAll(async () => {
    authz = await startGrpcAuthorizer(HOST);
    sessions = pool(authz.port);
  });

  afterAll(async () => {
    await sessions.close();
    authz.close();
  });

  it('sends the length-prefixed request and returns the response message (status in trailers)', async () => {
    const res = check.responseDeserialize(await call(check.path, 'allow')) as { okResponse?: { headers?: Array<{ header?: { key?: string } }> } };
    expect(res.okResponse?.headers?.[0]?.header?.key).toBe('x-authz-added');
    expect(authz.seen.at(-1)?.attributes.request.http.headers['x-ext-authz']).toBe('allow');
  });

  it('a trailers-only error is rejected with its status name', async () => {
    await expect(call('/envoy.service.auth.v3.Authorization/Nope', 'allow')).rejects.toMatchObject({ status: 'UNIMPLEMENTED' });
  });

  it('past the deadline the call is cancelled (DEADLINE_EXCEEDED)', async () => {
    const t0 = Date.now();
    await expect(call(check.path, 'slow', 100)).rejects.toMatchObject({ status: 'DEADLINE_EXCEEDED' });
    expect(Date.now() - t0).toBeLessThan(1500);
  });

  it('a connection failure is UNAVAILABLE', async () => {
    const dead = pool(await closedPort(HOST));
    try {
      const err: unknown = await unaryCall(dead, 'http', { path: check.path, authority: 'x', message: checkFor('allow'), deadline: Infinity }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GrpcCallError);
      expect(err).toMatchObject({ status: 'UNAVAILABLE' });
    } finally {
      await dead.close();
    }
  });
});
