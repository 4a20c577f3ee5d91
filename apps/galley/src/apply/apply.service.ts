import type { ApplyReply } from '@mizzen/contracts';
import type { FieldError } from '@mizzen/mesh-model';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { applyReply, deleteReply, isAcceptable } from '../ingest/apply-outcomes';
import { refsFromDocuments } from '../ingest/delete-refs';
import type { PlannedWrite } from '../ingest/plan-writes';
import { validateDocuments } from '../ingest/validate-documents';
import { mapLimit } from '../platform/map-limit';
import { ConfigStore, KV_CONCURRENCY } from '../stores/config-store.service';
import { RESOURCE_VALIDATOR, type ResourceValidator } from '../validation/resource-validator';

export interface ApplyCommand {
  documents: string;
  source: string;
  defaultNamespace: string;
  dryRun: boolean;
}

export interface DeleteCommand {
  documents?: string;
  refs?: { kind: string; namespace: string; name: string }[];
  defaultNamespace: string;
  /** Who deletes; API requests carry none and count as `api`. */
  source?: string;
}

/**
 * `meshctl apply` / `meshctl delete` over NATS. Validation is all-or-nothing: every document is
 * validated and every resource planned against the stored state (ownership, compare-and-set
 * revision) before anything is written; if any is invalid or owned by a file, nothing is written.
 * Writes then go {@link KV_CONCURRENCY} at a time, each compare-and-set at its planned revision
 * (re-planned if the key moved meanwhile). KV has no multi-key transactions: if a write fails
 * (NATS down), no further write starts, the ones in flight finish, and the request fails; the
 * resources already written stay written, as with one-at-a-time writes.
 */
@Injectable()
export class ApplyService {
  private readonly logger = new Logger(ApplyService.name);

  constructor(
    private readonly store: ConfigStore,
    @Inject(RESOURCE_VALIDATOR) private readonly validator: ResourceValidator,
  ) {}

  async apply(cmd: ApplyCommand): Promise<ApplyReply> {
    const report = validateDocuments(cmd.documents, cmd.defaultNamespace, this.validator);
    const plan = { report, writes: await this.store.plan(report.valid, cmd.source) };
    if (!isAcceptable(plan) || cmd.dryRun) return applyReply(plan, isAcceptable(plan));
    const committed = await mapLimit(report.valid, KV_CONCURRENCY, (res, i) => this.store.commitPlanned(res, plan.writes[i], cmd.source));
    const writes: PlannedWrite[] = committed.map((c) => c.plan);
    const revisions = new Map<string, number>();
    for (const c of committed) if (c.revision !== undefined) revisions.set(c.plan.key, c.revision);
    const final = { report, writes };
    const reply = applyReply(final, isAcceptable(final), revisions);
    this.logger.log(`apply from ${cmd.source}: ${summary(reply)}`);
    return reply;
  }

  async delete(cmd: DeleteCommand): Promise<ApplyReply> {
    const source = cmd.source ?? 'api';
    const errors: FieldError[] = [];
    const refs = [...(cmd.refs ?? [])];
    if (cmd.documents !== undefined) {
      const fromDocs = refsFromDocuments(cmd.documents, cmd.defaultNamespace, this.validator);
      refs.push(...fromDocs.refs);
      errors.push(...fromDocs.errors);
    }
    if (!refs.length && !errors.length) errors.push({ path: 'refs', message: 'name at least one resource (refs or documents)' });
    const plans = await this.store.planDeletes(refs, source);
    const acceptable = !errors.length && plans.every((p) => p.action !== 'conflict');
    if (!acceptable) return deleteReply(plans, false, errors);
    const deleted = await mapLimit(refs, KV_CONCURRENCY, (ref) => this.store.commitDelete(ref, source));
    const done = deleted.map((r) => r.plan);
    const revisions = new Map<string, number>();
    for (const r of deleted) if (r.revision !== undefined) revisions.set(r.plan.key, r.revision);
    const reply = deleteReply(done, done.every((p) => p.action !== 'conflict'), errors, revisions);
    this.logger.log(`delete from ${source}: ${summary(reply)}`);
    return reply;
  }
}

function summary(reply: ApplyReply): string {
  return reply.results.map((r) => `${r.kind}/${r.namespace}/${r.name} ${r.outcome}`).join(', ') || 'nothing';
}
