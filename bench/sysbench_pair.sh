#!/usr/bin/env bash
# Issue 6's speed figures: sysbench (1 thread, 10k rows, 20 s per test, prepared statements off, as in
# Dolt's published runs) against Grove and MariaDB side by side, test by test, alternating order
# (../shared/bench-peer/run-pair.sh).  Run it 3 times; bench/sysbench_median.py OUT1 OUT2 OUT3 prints the
# median ratio table.
#   bench/sysbench_pair.sh [OUTDIR] [SECONDS=20]
# Env: TESTS (default: the four of issue 6's targets), TABLE_SIZE (10000), THREADS (1).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/servers.sh"
OUT=${1:-/tmp/grove-sysbench-pair-$(date +%s)}
SECS=${2:-20}
PEER="$BENCH_ROOT/../shared/bench-peer"
ensure_debian || exit 1
TMP=$(mktemp -d)
trap 'stop_pid "${GROVE_PID:-}"; stop_pid "${MARIADB_PID:-}"; rm -rf "$TMP"' EXIT
start_mariadb 33061 "$TMP/mariadb" || exit 1
start_grove 33062 "$TMP/grove" || exit 1
export TESTS=${TESTS:-"oltp_point_select oltp_read_only oltp_insert oltp_update_index"}
export PS_MODE=disable TABLE_SIZE=${TABLE_SIZE:-10000} PYTHON="$BENCH_ROOT/.venv/bin/python" SKIP_PY=1
"$PEER/run-pair.sh" 127.0.0.1:33062:root::sbtest 127.0.0.1:33061:root::sbtest "$OUT" "$SECS" "${THREADS:-1}"
echo "A = Grove, B = MariaDB; ratios in $OUT/compare.txt"
cat "$OUT/compare.txt" 2>/dev/null
