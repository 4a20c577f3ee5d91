import type { ApplyReply } from '@mizzen/contracts';

/** Prints kubectl-like outcome lines; errors and warnings with their field paths. Returns the exit code. */
export function printReply(reply: ApplyReply, out: (s: string) => void, err: (s: string) => void, dryRun = false): number {
  for (const e of reply.errors) err(`error: ${e.path ? `${e.path}: ` : ''}${e.message}`);
  for (const r of reply.results) {
    const id = `${r.kind.toLowerCase()}/${r.name} (namespace ${r.namespace})`;
    if (r.outcome === 'invalid') {
      err(`${id} is invalid:`);
      for (const e of r.errors ?? []) err(`  * ${e.path}: ${e.message}`);
    } else if (reply.accepted) {
      out(`${id} ${r.outcome}${dryRun ? ' (dry run)' : ''}`);
    } else {
      err(`${id} not applied: the request was rejected as a whole`);
    }
    for (const w of r.warnings ?? []) err(`  warning: ${w.path}: ${w.message}`);
  }
  return reply.accepted ? 0 : 1;
}
