import type { EdsMode } from './sim-client';

/** IPC between the convergence coordinator ({@link ClientPool}) and its client worker processes. */
export type WorkerRequest =
  | { cmd: 'start'; target: string; namespace: string; eds: EdsMode; from: number; to: number; perSecond: number }
  | { cmd: 'status' }
  | { cmd: 'mark'; typeUrl: string }
  | { cmd: 'collect'; typeUrl: string }
  | { cmd: 'histories'; typeUrl: string; sinceMs: number }
  | { cmd: 'stop' };

export type WorkerReply =
  | { cmd: 'start'; started: number }
  | { cmd: 'status'; total: number; synced: number; closed: number; errors: string[] }
  | { cmd: 'mark' }
  /** Per client marked with a version: monotonic ms of its first ACK of another version, or null. */
  | { cmd: 'collect'; firstChange: Array<number | null>; excluded: number }
  /** Per client synced before `sinceMs`: its ACKs since then. */
  | { cmd: 'histories'; histories: Array<Array<[string, number]>>; excluded: number }
  | { cmd: 'stop' };
