#!/bin/sh
# Runs one Mizzen component: `entrypoint.sh <galley|pilot|citadel|proxy|meshctl> [flags...]`.
set -e
component="$1"; shift
case "$component" in
  galley|pilot|citadel|proxy|meshctl) exec node "/mizzen/apps/$component/dist/main.js" "$@" ;;
  *) echo "usage: entrypoint.sh galley|pilot|citadel|proxy|meshctl [flags]" >&2; exit 64 ;;
esac
