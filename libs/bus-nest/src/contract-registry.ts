import type { EventContract, RequestContract } from '@mizzen/contracts';

export type AnyRequestContract = RequestContract<unknown, unknown>;
export type AnyEventContract = EventContract<unknown>;
export type AnyContract = AnyRequestContract | AnyEventContract;

/**
 * The contracts a transport may bind, keyed by subject. A `@MessagePattern(subject)` or
 * `@EventPattern(subject)` whose subject is not registered fails at start-up, so no handler ever
 * runs on an unvalidated payload.
 */
export class ContractRegistry {
  private readonly bySubject = new Map<string, AnyContract>();

  constructor(contracts: Iterable<AnyContract> = []) {
    for (const c of contracts) this.register(c);
  }

  register(contract: AnyContract): this {
    const existing = this.bySubject.get(contract.subject);
    if (existing && existing !== contract) throw new Error(`two contracts registered for subject ${contract.subject}`);
    this.bySubject.set(contract.subject, contract);
    return this;
  }

  get(subject: string): AnyContract | undefined {
    return this.bySubject.get(subject);
  }

  request(subject: string): AnyRequestContract {
    const c = this.bySubject.get(subject);
    if (!c) throw new Error(`no contract registered for @MessagePattern('${subject}')`);
    if (c.kind !== 'request') throw new Error(`@MessagePattern('${subject}') names an event contract; use @EventPattern`);
    return c;
  }

  event(subject: string): AnyEventContract {
    const c = this.bySubject.get(subject);
    if (!c) throw new Error(`no contract registered for @EventPattern('${subject}')`);
    if (c.kind !== 'event') throw new Error(`@EventPattern('${subject}') names a request contract; use @MessagePattern`);
    return c;
  }

  subjects(): string[] {
    return [...this.bySubject.keys()].sort();
  }
}
