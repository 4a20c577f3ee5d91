import { type NatsServer, startNats, waitFor } from '@mizzen/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bus } from './bus';
import { decodeJson, encodeJson } from './codec';
import { BusError } from './errors';
import { EchoContract, PingEvent } from './testing/test-contracts';
import { ERROR_CODE_HEADER, ERROR_HEADER } from './wire-error';

let nats: NatsServer;
let server: Bus;
let client: Bus;

beforeAll(async () => {
  nats = await startNats();
  server = await Bus.connect({ url: nats.url, name: 'server' });
  client = await Bus.connect({ url: nats.url, name: 'client' });
  server.serve(EchoContract, (req) => {
    if (req.text === 'explode') throw new Error('kaboom');
    if (req.text === 'bad-reply') return { echoed: 42 } as unknown as { echoed: string };
    return { echoed: req.text.repeat(req.times ?? 1) };
  });
  // The subscription must reach the server before another connection publishes to it.
  await server.nc.flush();
});

afterAll(async () => {
  await client?.close();
  await server?.close();
  await nats?.stop();
});

describe('request/serve', () => {
  it('round-trips a valid request as raw JSON', async () => {
    await expect(client.request(EchoContract, { text: 'ab', times: 2 })).resolves.toEqual({ echoed: 'abab' });
  });

  it('rejects an invalid payload locally with field paths', async () => {
    const err = await client.request(EchoContract, { text: 5 } as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BusError);
    expect((err as BusError).code).toBe('invalid-request');
    expect((err as BusError).errors).toEqual([{ path: 'text', message: 'must be a string' }]);
  });

  it('answers a raw invalid request (as a non-bus client sends it) with an error naming the field paths', async () => {
    const msg = await client.nc.request(EchoContract.subject, encodeJson({ text: 1, times: 0 }), { timeout: 2000 });
    expect(msg.headers?.get(ERROR_HEADER)).toBe('invalid request');
    expect(msg.headers?.get(ERROR_CODE_HEADER)).toBe('400');
    const body = decodeJson(msg.data);
    expect(body.ok && body.value).toEqual({
      error: {
        code: 'invalid-request',
        message: 'invalid request',
        errors: [
          { path: 'text', message: 'must be a string' },
          { path: 'times', message: 'must be a positive number' },
        ],
      },
    });
  });

  it('answers non-JSON with an error', async () => {
    const msg = await client.nc.request(EchoContract.subject, new TextEncoder().encode('{nope'), { timeout: 2000 });
    expect(msg.headers?.get(ERROR_CODE_HEADER)).toBe('400');
  });

  it('reports handler failures and invalid replies as remote errors', async () => {
    await expect(client.request(EchoContract, { text: 'explode' })).rejects.toMatchObject({ code: 'remote', message: expect.stringMatching(/kaboom/) });
    await expect(client.request(EchoContract, { text: 'bad-reply' })).rejects.toMatchObject({ code: 'remote', errors: [{ path: 'echoed' }] });
  });

  it('reports no responders and timeouts', async () => {
    const nobody = { ...EchoContract, subject: 'test.nobody.v1' };
    await expect(client.request(nobody, { text: 'x' })).rejects.toMatchObject({ code: 'no-responders' });
    const slow = { ...EchoContract, subject: 'test.slow.v1' };
    const sub = server.serve(slow, () => new Promise<{ echoed: string }>((r) => setTimeout(() => r({ echoed: 'late' }), 500)));
    await server.nc.flush();
    await expect(client.request(slow, { text: 'x' }, { timeoutMs: 100 })).rejects.toMatchObject({ code: 'timeout' });
    sub.unsubscribe();
  });

  it('load-balances within the queue group: each request is answered once', async () => {
    const other = await Bus.connect({ url: nats.url });
    const seen: string[] = [];
    const subject = { ...EchoContract, subject: 'test.qg.v1' };
    server.serve(subject, () => (seen.push('a'), { echoed: 'a' }));
    other.serve(subject, () => (seen.push('b'), { echoed: 'b' }));
    await Promise.all([server.nc.flush(), other.nc.flush()]);
    for (let i = 0; i < 20; i++) await client.request(subject, { text: 'x' });
    expect(seen).toHaveLength(20);
    await other.close();
  });
});

describe('publish/subscribe', () => {
  it('delivers valid events and drops invalid ones', async () => {
    const got: number[] = [];
    const sub = server.subscribe(PingEvent, (e) => void got.push(e.n));
    await server.nc.flush();
    client.publish(PingEvent, { n: 1 });
    client.nc.publish(PingEvent.subject, encodeJson({ n: 'two' }));
    client.publish(PingEvent, { n: 3 });
    await waitFor(() => got.length === 2);
    expect(got).toEqual([1, 3]);
    expect(() => client.publish(PingEvent, { n: 'x' } as never)).toThrow(/n: must be a number/);
    await sub.drain();
  });
});

describe('close', () => {
  it('drains: an in-flight request still gets its reply', async () => {
    const bus = await Bus.connect({ url: nats.url });
    const subject = { ...EchoContract, subject: 'test.drain.v1' };
    bus.serve(subject, () => new Promise<{ echoed: string }>((r) => setTimeout(() => r({ echoed: 'done' }), 200)));
    await bus.nc.flush();
    const pending = client.request(subject, { text: 'x' });
    await new Promise((r) => setTimeout(r, 50));
    await bus.close();
    await expect(pending).resolves.toEqual({ echoed: 'done' });
    expect(() => bus.publish(PingEvent, { n: 1 })).toThrow(/closed/);
  });
});
