import { isDNS1123Label } from './dns';

/** Istio `ValidatePort`. */
export function checkPort(port: number): string | undefined {
  if (Number.isInteger(port) && port >= 1 && port <= 65535) return undefined;
  return `port number ${port} must be in the range 1..65535`;
}

/** Istio `ValidatePortName`: a DNS-1123 label. */
export function checkPortName(name: string): string | undefined {
  return isDNS1123Label(name) ? undefined : `invalid port name: ${JSON.stringify(name)} (must be a DNS-1123 label)`;
}
