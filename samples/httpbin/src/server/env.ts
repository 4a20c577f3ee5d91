// Process settings from the environment `meshctl up` gives every sample app (see workloads.yaml).

export interface ListenSettings {
  readonly host: string;
  readonly port: number;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** HOST (default 127.0.0.1) and the port in `name` (required; 0 picks a free port). */
export function listenSettings(env: Env, name = 'PORT'): ListenSettings {
  const host = env.HOST?.trim() || '127.0.0.1';
  return { host, port: portFrom(env, name) };
}

/** The port in env `name`, or undefined when unset. */
export function optionalPort(env: Env, name: string): number | undefined {
  return env[name]?.trim() ? portFrom(env, name) : undefined;
}

function portFrom(env: Env, name: string): number {
  const raw = env[name]?.trim();
  if (!raw) throw new Error(`${name} is required`);
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name} must be 0-65535, got "${raw}"`);
  return port;
}
