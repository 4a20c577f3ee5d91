import type * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { SAY_HELLO_PATH, bind, createGreeterClient, createGreeterServer, greeterDefinition, type GreeterClient } from './greeter';

const servers: grpc.Server[] = [];
const clients: GreeterClient[] = [];
afterEach(() => {
  clients.splice(0).forEach((c) => c.close());
  servers.splice(0).forEach((s) => s.forceShutdown());
});

async function serve(version: string): Promise<string> {
  const server = createGreeterServer(version);
  servers.push(server);
  const port = await bind(server, '127.0.0.1', 0);
  return `127.0.0.1:${port}`;
}

async function client(target: string): Promise<GreeterClient> {
  const c = await createGreeterClient(target);
  clients.push(c);
  return c;
}

describe('greeter', () => {
  it('loads helloworld.Greeter/SayHello from the shipped proto', () => {
    expect(greeterDefinition().sayHello.path).toBe(SAY_HELLO_PATH);
  });

  it('greets with the server version in the reply and in x-version metadata', async () => {
    const greeter = await client(await serve('v1'));
    expect(await greeter.sayHello('mesh')).toEqual({ message: 'Hello mesh from v1', version: 'v1' });
    expect(await greeter.sayHello('')).toEqual({ message: 'Hello world from v1', version: 'v1' });
  });

  it('tells two versions apart', async () => {
    const [v1, v2] = await Promise.all([serve('v1'), serve('v2')]);
    expect((await (await client(v1)).sayHello('a')).version).toBe('v1');
    expect((await (await client(`dns:///${v2}`)).sayHello('b')).message).toBe('Hello b from v2');
  });

  it('fails with UNAVAILABLE when nothing listens', async () => {
    const target = await serve('v1');
    servers.splice(0).forEach((s) => s.forceShutdown());
    await expect((await client(target)).sayHello('x', 1_000)).rejects.toMatchObject({ code: 14 });
  });

  it('fails the first n calls of a flaky:<n>:<key> name with UNAVAILABLE, then answers', async () => {
    const c = await client(await serve('v1'));
    await expect(c.sayHello('flaky:2:a')).rejects.toMatchObject({ code: 14 });
    await expect(c.sayHello('flaky:2:a')).rejects.toMatchObject({ code: 14 });
    await expect(c.sayHello('flaky:2:a')).resolves.toMatchObject({ message: 'Hello flaky:2:a from v1' });
  });
});
