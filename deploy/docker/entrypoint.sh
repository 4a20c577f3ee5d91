#!/bin/sh
# Runs one Mizzen component: `entrypoint.sh <galley|pilot|citadel|proxy|meshctl> [flags...]`.
set -e
component="$1"; shift
# Pilot keeps freed heap for the next push instead of faulting it back in (libs/contracts/src/pilot-runtime.ts: PILOT_ENV).
if [ "$component" = pilot ] && [ -z "${GLIBC_TUNABLES:-}" ]; then
  export GLIBC_TUNABLES=glibc.malloc.trim_threshold=268435456:glibc.malloc.mmap_threshold=4194304
fi
case "$component" in
  # The proxy's Node flags (libs/contracts/src/proxy-runtime.ts: PROXY_NODE_ARGS).
  proxy) exec node --max-semi-space-size=4 --v8-pool-size=1 --expose-gc /mizzen/apps/proxy/dist/main.js "$@" ;;
  galley|pilot|citadel|meshctl) exec node "/mizzen/apps/$component/dist/main.js" "$@" ;;
  *) echo "usage: entrypoint.sh galley|pilot|citadel|proxy|meshctl [flags]" >&2; exit 64 ;;
esac
