import { type ConnectRequest, type EventContract, PilotHeartbeat, RegistryConnect, RegistryDisconnect, type RequestContract } from '@mizzen/contracts';
import { localityString, type ProxyNode, type Workload } from '@mizzen/mesh-model';
import type { ProxyStream } from '../xds/proxy-stream';
import type { ConnectionRegistry } from '../xds/connections';

/** The slice of the bus registration needs. */
export interface RegistrationBus {
  request<Req, Rep>(contract: RequestContract<Req, Rep>, payload: Req, timeoutMs: number): Promise<Rep>;
  publish<E>(contract: EventContract<E>, event: E): Promise<void> | void;
}

/** Whether a proxy's workload is registered (sidecars that serve ports or declare a service). */
export function registers(p: ProxyNode): boolean {
  return p.type === 'sidecar' && (p.inbound.length > 0 || !!p.service);
}

/** The registry record for a connected proxy's workload (Istio WorkloadEntry auto-registration). */
export function workloadOf(p: ProxyNode): ConnectRequest['workload'] {
  const w: Workload = {
    name: p.workloadName,
    namespace: p.namespace,
    address: p.ip,
    ports: Object.fromEntries(p.inbound.map((i) => [i.name, i.port])),
    labels: p.labels,
    serviceAccount: p.serviceAccount,
    locality: localityString(p.locality),
    source: { kind: 'Registration', namespace: p.namespace, name: p.workloadName },
  };
  return { ...w, labels: { ...w.labels }, ports: { ...w.ports } };
}

/**
 * Registers workloads with Galley when their proxy connects, reports disconnects, and sends a
 * heartbeat listing connected workloads so Galley can expire ones whose proxy vanished.
 */
export class Registration {
  private heartbeat?: NodeJS.Timeout;

  constructor(
    private readonly bus: RegistrationBus,
    private readonly pilotId: string,
    private readonly registry: ConnectionRegistry,
    private readonly heartbeatMs: number,
    private readonly log: (msg: string) => void,
  ) {}

  start(): void {
    this.registry.onConnect((c) => void this.connect(c));
    this.registry.onDisconnect((c) => this.disconnect(c));
    this.heartbeat = setInterval(() => void this.beat(), this.heartbeatMs);
    this.heartbeat.unref();
  }

  stop(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
  }

  private async connect(c: ProxyStream, attempt = 0): Promise<void> {
    const p = c.proxy;
    if (!registers(p)) return;
    const service = p.service ? { name: p.service, ports: p.inbound.map((i) => ({ name: i.name, number: i.port, protocol: i.protocol })) } : undefined;
    try {
      const reply = await this.bus.request(RegistryConnect, { pilotId: this.pilotId, proxyId: p.id, workload: workloadOf(p), ...(service ? { service } : {}) }, 5000);
      if (!reply.ok) this.log(`registration of ${p.id} refused: ${reply.error ?? 'no reason'}`);
    } catch (e) {
      if (attempt < 20 && this.registry.byProxyId(p.id) === c) {
        const delay = Math.min(5000, 200 * 2 ** attempt);
        this.log(`registration of ${p.id} failed (${(e as Error).message}); retrying in ${delay} ms`);
        setTimeout(() => void this.connect(c, attempt + 1), delay).unref();
      }
    }
  }

  private disconnect(c: ProxyStream): void {
    const p = c.proxy;
    if (!registers(p)) return;
    void Promise.resolve(this.bus.publish(RegistryDisconnect, { pilotId: this.pilotId, proxyId: p.id, namespace: p.namespace, name: p.workloadName })).catch((e) =>
      this.log(`disconnect event for ${p.id} failed: ${(e as Error).message}`),
    );
  }

  private async beat(): Promise<void> {
    const workloads = this.registry.all().filter((c) => registers(c.proxy)).map((c) => `${c.proxy.namespace}/${c.proxy.workloadName}`);
    try {
      await this.bus.publish(PilotHeartbeat, { pilotId: this.pilotId, workloads: [...new Set(workloads)].sort(), intervalMs: this.heartbeatMs });
    } catch (e) {
      this.log(`heartbeat failed: ${(e as Error).message}`);
    }
  }
}
