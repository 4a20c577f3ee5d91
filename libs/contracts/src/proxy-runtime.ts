/**
 * The Node flags every launcher starts the proxy with (the container entrypoint, `meshctl up`, the
 * bench); its worker processes inherit them (cluster.fork passes process.execArgv).
 * `--max-semi-space-size` (MB) caps V8's young generation. With Node's 64-bit default (16 MB per
 * semi-space) a sidecar's young generation grows to 32 MB while it decodes a 1000-service config
 * and stays committed when idle; capped at 4 MB, that sidecar's idle RSS went from ~140 MB to
 * ~100 MB. A request's garbage dies young, so the extra scavenges cost little (bench/analysis.md).
 * https://nodejs.org/api/cli.html#--max-semi-space-sizesize-in-megabytes
 */
export const PROXY_NODE_ARGS: readonly string[] = ['--max-semi-space-size=4'];
