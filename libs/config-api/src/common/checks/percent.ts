/** Istio `validatePercentage` for `Percent` messages: 0, or within [0.0001, 100]. */
export function checkPercentage(value: number | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value < 0 || value > 100 || (value > 0 && value < 0.0001)) return `percentage ${value} is neither 0.0, nor in range [0.0001, 100.0]`;
  return undefined;
}

/** Istio `ValidatePercent` for integer percentages. */
export function checkIntPercent(value: number | undefined): string | undefined {
  if (value === undefined || (value >= 0 && value <= 100)) return undefined;
  return `percentage ${value} is not in range 0..100`;
}
