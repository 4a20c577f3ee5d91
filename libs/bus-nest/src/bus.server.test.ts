import 'reflect-metadata';
import { Bus, BusError, decodeJson, encodeJson } from '@mizzen/bus';
import { type EventContract, type RequestContract, zodParser } from '@mizzen/contracts';
import { type NatsServer, startNats, waitFor } from '@mizzen/testkit';
import { Controller, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, MessagePattern, Payload, RpcException } from '@nestjs/microservices';
import type { INestMicroservice } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BusContext } from './bus.context';
import { BusModule } from './bus.module';
import { BusServer } from './bus.server';
import { ContractRegistry } from './contract-registry';
import { InjectBus } from './inject-bus.decorator';

const greetRequest = z.object({ name: z.string().min(1), loud: z.boolean().default(false) });
const Greet: RequestContract<z.infer<typeof greetRequest>, { greeting: string; subject: string }> = {
  kind: 'request',
  subject: 'test.greet.v1',
  queue: 'greeter',
  request: zodParser(greetRequest),
  reply: zodParser(z.object({ greeting: z.string(), subject: z.string() })),
};
const Noted: EventContract<{ note: string }> = {
  kind: 'event',
  subject: 'test.noted.v1',
  event: zodParser(z.object({ note: z.string() })),
};

@Injectable()
class Notes {
  readonly seen: string[] = [];
  constructor(@InjectBus() readonly bus: Bus) {}
}

let calls = 0;

@Controller()
class GreetController {
  constructor(private readonly notes: Notes) {}

  @MessagePattern(Greet.subject)
  greet(@Payload() req: z.infer<typeof greetRequest>, @Ctx() ctx: BusContext) {
    calls++;
    if (req.name === 'forbidden') throw new RpcException({ code: 'invalid-request', message: 'bad name', errors: [{ path: 'name', message: 'is forbidden' }] });
    if (req.name === 'crash') throw new Error('crashed');
    const greeting = `hello ${req.name}`;
    return { greeting: req.loud ? greeting.toUpperCase() : greeting, subject: ctx.getSubject() };
  }

  @EventPattern(Noted.subject)
  async noted(@Payload() e: { note: string }) {
    await new Promise((r) => setTimeout(r, 5));
    this.notes.seen.push(e.note);
  }
}

let nats: NatsServer;
let bus: Bus;
let client: Bus;
let app: INestMicroservice;

async function boot(contracts: ContractRegistry, serverBus: Bus): Promise<INestMicroservice> {
  @Module({ imports: [BusModule.forRoot({ bus: serverBus, closeOnShutdown: false })], controllers: [GreetController], providers: [Notes] })
  class AppModule {}
  const ms = await NestFactory.createMicroservice(AppModule, { strategy: new BusServer({ bus: serverBus, contracts }), logger: false });
  await ms.listen();
  return ms;
}

beforeAll(async () => {
  nats = await startNats();
  bus = await Bus.connect({ url: nats.url });
  client = await Bus.connect({ url: nats.url });
  app = await boot(new ContractRegistry([Greet, Noted]), bus);
});

afterAll(async () => {
  await app?.close();
  await client?.close();
  await bus?.close();
  await nats?.stop();
});

describe('BusServer', () => {
  it('answers raw JSON (no Nest envelope) that any NATS client can read', async () => {
    const msg = await client.nc.request(Greet.subject, encodeJson({ name: 'ann' }), { timeout: 2000 });
    expect(decodeJson(msg.data)).toEqual({ ok: true, value: { greeting: 'hello ann', subject: Greet.subject } });
    await expect(client.request(Greet, { name: 'bo', loud: true })).resolves.toEqual({ greeting: 'HELLO BO', subject: Greet.subject });
  });

  it('validates before the handler runs and names the field paths', async () => {
    const before = calls;
    const msg = await client.nc.request(Greet.subject, encodeJson({ name: '', loud: 'yes' }), { timeout: 2000 });
    const body = decodeJson(msg.data);
    const errors = (body.ok ? (body.value as { error: { errors: { path: string }[] } }).error.errors : []).map((e) => e.path);
    expect(errors).toEqual(['name', 'loud']);
    expect(calls).toBe(before);
  });

  it('maps RpcException with field errors to an invalid-request reply, other errors to remote', async () => {
    const err = await client.request(Greet, { name: 'forbidden', loud: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BusError);
    expect(err).toMatchObject({ code: 'invalid-request', errors: [{ path: 'name', message: 'is forbidden' }] });
    await expect(client.request(Greet, { name: 'crash', loud: false })).rejects.toMatchObject({ code: 'remote' });
  });

  it('delivers validated events to @EventPattern handlers', async () => {
    const notes = app.get(Notes);
    expect(notes.bus).toBe(bus);
    client.publish(Noted, { note: 'a' });
    client.nc.publish(Noted.subject, encodeJson({ note: 1 }));
    client.publish(Noted, { note: 'b' });
    await waitFor(() => notes.seen.length === 2);
    expect(notes.seen.sort()).toEqual(['a', 'b']);
  });

  it('refuses to start when a handler subject has no contract', async () => {
    const other = await Bus.connect({ url: nats.url });
    await expect(boot(new ContractRegistry([Noted]), other)).rejects.toThrow(/no contract registered for @MessagePattern\('test.greet.v1'\)/);
    await other.close();
  });
});
