/**
 * The Node flags every launcher starts the proxy with (the container entrypoint, `meshctl up`, the
 * bench); its worker processes inherit them (cluster.fork passes process.execArgv). Measured on a
 * sidecar idle with a 1000-service config (bench/analysis.md, "Idle RSS"):
 * - `--max-semi-space-size=4` (MB) caps V8's young generation. With Node's 64-bit default (16 MB
 *   per semi-space) it grows to 32 MB while the sidecar decodes its config and stays committed
 *   when idle: ~40 MB of RSS. A request's garbage dies young, so the extra scavenges cost little.
 * - `--v8-pool-size=1`: one V8 background thread instead of four (its stack and malloc arena):
 *   ~4 MB. GC still marks and scavenges on two threads (the main one and this one).
 * - `--expose-gc`: the proxy collects once it is idle after a config change
 *   (apps/proxy/src/runtime/settled-gc.ts) instead of waiting for V8's memory reducer, which
 *   sometimes left a config's ~35 MB of garbage in place for 40 s and more.
 * https://nodejs.org/api/cli.html#--max-semi-space-sizesize-in-megabytes,
 * https://nodejs.org/api/cli.html#--v8-pool-sizenum, https://nodejs.org/api/cli.html#--expose-gc
 */
export const PROXY_NODE_ARGS: readonly string[] = ['--max-semi-space-size=4', '--v8-pool-size=1', '--expose-gc'];
