import type { ApplyReply, ResourceOutcome } from '@mizzen/contracts';
import type { PlannedDelete, PlannedWrite } from './plan-writes';
import type { DocumentsReport, ValidResource } from './validate-documents';

/** A plan for every valid resource of a report, in the report's order. */
export interface ApplyPlan {
  report: DocumentsReport;
  writes: PlannedWrite[];
}

/** Accepted only when every document is valid and no write conflicts with another owner. */
export function isAcceptable(plan: ApplyPlan): boolean {
  return plan.report.ok && plan.writes.every((w) => w.action !== 'conflict');
}

/**
 * The reply for an apply: every resource in document order, each with its outcome (or the
 * would-be outcome when the apply was rejected or a dry run), errors and warnings.
 * `revisions` holds the KV revision of each written key.
 */
export function applyReply(plan: ApplyPlan, accepted: boolean, revisions: ReadonlyMap<string, number> = new Map()): ApplyReply {
  const rows: { document: number; outcome: ResourceOutcome }[] = [];
  plan.report.valid.forEach((res: ValidResource, i) => {
    const w = plan.writes[i];
    const base = { kind: res.ref.kind, namespace: res.ref.namespace, name: res.ref.name, ...(res.warnings.length ? { warnings: res.warnings } : {}) };
    if (w.action === 'conflict') {
      rows.push({ document: res.document, outcome: { ...base, outcome: 'invalid', errors: [w.error] } });
      return;
    }
    const revision = w.action === 'none' ? w.revision : revisions.get(w.key);
    rows.push({ document: res.document, outcome: { ...base, outcome: w.outcome, ...(revision !== undefined ? { revision } : {}) } });
  });
  for (const inv of plan.report.invalid) {
    rows.push({
      document: inv.document,
      outcome: { ...inv.ref, outcome: 'invalid', errors: inv.errors, ...(inv.warnings.length ? { warnings: inv.warnings } : {}) },
    });
  }
  rows.sort((a, b) => a.document - b.document);
  return { accepted, results: rows.map((r) => r.outcome), errors: plan.report.errors };
}

/** The reply for a delete: every ref with `deleted`, `not-found` or `invalid` (owned elsewhere). */
export function deleteReply(plans: readonly PlannedDelete[], accepted: boolean, errors: ApplyReply['errors'], revisions: ReadonlyMap<string, number> = new Map()): ApplyReply {
  const results: ResourceOutcome[] = plans.map((p) => {
    if (p.action === 'conflict') return { ...p.ref, outcome: 'invalid', errors: [p.error] };
    const revision = revisions.get(p.key);
    return { ...p.ref, outcome: p.outcome, ...(revision !== undefined ? { revision } : {}) };
  });
  return { accepted, results, errors };
}
