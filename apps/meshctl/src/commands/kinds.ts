/** kubectl-style names for config kinds: `virtualservice`, `virtualservices`, `vs`, ... */
const KINDS: Record<string, string[]> = {
  VirtualService: ['virtualservice', 'virtualservices', 'vs'],
  DestinationRule: ['destinationrule', 'destinationrules', 'dr'],
  Gateway: ['gateway', 'gateways', 'gw'],
  ServiceEntry: ['serviceentry', 'serviceentries', 'se'],
  WorkloadEntry: ['workloadentry', 'workloadentries', 'we'],
  Sidecar: ['sidecar', 'sidecars'],
};

export function resolveKind(input: string): string | undefined {
  const lower = input.toLowerCase();
  for (const [kind, aliases] of Object.entries(KINDS)) if (kind.toLowerCase() === lower || aliases.includes(lower)) return kind;
  return undefined;
}

export const KIND_NAMES = Object.keys(KINDS);
