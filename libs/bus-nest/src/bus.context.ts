import { BaseRpcContext } from '@nestjs/microservices';

type BusContextArgs = [subject: string, headers: Readonly<Record<string, string>>];

/** `@Ctx()` for handlers bound by {@link BusServer}: the subject and the NATS headers. */
export class BusContext extends BaseRpcContext<BusContextArgs> {
  getSubject(): string {
    return this.args[0];
  }

  getHeaders(): Readonly<Record<string, string>> {
    return this.args[1];
  }
}
