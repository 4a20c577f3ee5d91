export type Labels = Readonly<Record<string, string>>;

/** Kubernetes equality-based selection: every selector label must be present with the same value. */
export function matchesSelector(labels: Labels, selector: Labels | undefined): boolean {
  if (!selector) return true;
  for (const [k, v] of Object.entries(selector)) if (labels[k] !== v) return false;
  return true;
}
