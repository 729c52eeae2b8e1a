#!/usr/bin/env bash
# Issue 6's conformance figure: the whole sqllogictest subset in ../shared/conformance against a
# fresh Grove server, with the exact command its README gives (every file, --max-seconds 1800 --spread;
# records that did not run count as failed).  Usage: bench/sqllogictest_full.sh [OUT.json]
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/servers.sh"
OUT=${1:-/tmp/grove-slt-full-$(date +%s).json}
CONF="$BENCH_ROOT/../shared/conformance"
TMP=$(mktemp -d)
trap 'stop_pid "${GROVE_PID:-}"; rm -rf "$TMP"' EXIT
PORT=${PORT:-33070}
start_grove "$PORT" "$TMP/grove" || exit 1
"$BENCH_ROOT/.venv/bin/python" "$CONF/slt_runner.py" --host 127.0.0.1 --port "$PORT" --user root --password '' \
  --timeout 30 --max-seconds 1800 --spread --json "$OUT" "$CONF/sqllogictest"
echo "summary: $OUT"
