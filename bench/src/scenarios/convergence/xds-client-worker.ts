/**
 * A worker process holding many simulated sidecars ({@link SimClient}), driven over IPC by
 * {@link ClientPool}. Requests: `start`, `status`, `mark`, `collect`, `histories`, `stop`; each
 * answered with `{ id, reply }`.
 */
import { type EdsMode, SimClient } from './sim-client';
import type { WorkerReply, WorkerRequest } from './worker-protocol';

const clients: SimClient[] = [];
const marks = new Map<string, Array<{ baseline?: string; from: number }>>();

function handle(req: WorkerRequest): WorkerReply | Promise<WorkerReply> {
  switch (req.cmd) {
    case 'start':
      return start(req.target, req.namespace, req.eds, req.from, req.to, req.perSecond);
    case 'status': {
      const errors = clients.filter((c) => c.error).map((c) => c.error as string);
      return { cmd: 'status', total: clients.length, synced: clients.filter((c) => c.synced).length, closed: clients.filter((c) => c.closed).length, errors: [...new Set(errors)].slice(0, 3) };
    }
    case 'mark':
      marks.set(req.typeUrl, clients.map((c) => ({ baseline: c.tracks.get(req.typeUrl)?.acked, from: c.tracks.get(req.typeUrl)?.history.length ?? 0 })));
      return { cmd: 'mark' };
    case 'collect': {
      // Clients that held no version when marked (still syncing) are left out.
      const m = marks.get(req.typeUrl) ?? [];
      const firstChange: Array<number | null> = [];
      clients.forEach((c, i) => {
        if (m[i]?.baseline === undefined) return;
        const h = c.tracks.get(req.typeUrl)?.history ?? [];
        const e = h.slice(m[i].from).find(([v]) => v !== m[i].baseline);
        firstChange.push(e ? e[1] : null);
      });
      return { cmd: 'collect', firstChange, excluded: clients.length - firstChange.length };
    }
    case 'histories': {
      // Only clients that had ACKed the type before `sinceMs` (synced before the measurement).
      const synced = clients.map((c) => c.tracks.get(req.typeUrl)?.history ?? []).filter((h) => h.length && h[0][1] < req.sinceMs);
      return { cmd: 'histories', histories: synced.map((h) => h.filter(([, at]) => at >= req.sinceMs)), excluded: clients.length - synced.length };
    }
    case 'stop':
      for (const c of clients) c.stop();
      return { cmd: 'stop' };
  }
}

async function start(target: string, namespace: string, eds: EdsMode, from: number, to: number, perSecond: number): Promise<WorkerReply> {
  const batch = Math.max(1, Math.round(perSecond / 100));
  for (let i = from; i < to; i += batch) {
    for (let j = i; j < Math.min(to, i + batch); j++) {
      const c = new SimClient({ index: j, target, namespace, eds });
      clients.push(c);
      c.start();
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return { cmd: 'start', started: clients.length };
}

process.on('message', (msg: { id: number; req: WorkerRequest }) => {
  Promise.resolve(handle(msg.req)).then(
    (reply) => process.send?.({ id: msg.id, reply }),
    (e: unknown) => process.send?.({ id: msg.id, error: (e as Error).message }),
  );
});
process.on('disconnect', () => process.exit(0));
