import type { ProxyStream } from './proxy-stream';

/** The live ADS streams, with hooks for registration. */
export class ConnectionRegistry {
  private readonly conns = new Set<ProxyStream>();
  private readonly connectHooks: Array<(c: ProxyStream) => void> = [];
  private readonly disconnectHooks: Array<(c: ProxyStream) => void> = [];

  add(c: ProxyStream): void {
    this.conns.add(c);
    for (const h of this.connectHooks) h(c);
  }

  remove(c: ProxyStream): void {
    if (!this.conns.delete(c)) return;
    for (const h of this.disconnectHooks) h(c);
  }

  onConnect(h: (c: ProxyStream) => void): void {
    this.connectHooks.push(h);
  }

  onDisconnect(h: (c: ProxyStream) => void): void {
    this.disconnectHooks.push(h);
  }

  all(): ProxyStream[] {
    return [...this.conns];
  }

  byProxyId(id: string): ProxyStream | undefined {
    return this.all().find((c) => c.proxy.id === id);
  }

  get size(): number {
    return this.conns.size;
  }
}
