#!/usr/bin/env bash
# Issue 3's figures: PyMySQL point-select and autocommit-insert round trips per
# second against Grove (dolt_transaction_commit 0 and 1) and MariaDB, in one
# session, alternating order. Usage: bench/pyclient_pair.sh [SECONDS=10] [OUTDIR]
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/servers.sh"
SECONDS_PER=${1:-10}
OUT=${2:-/tmp/grove-pyclient-$(date +%s)}
PEER=/work/shared/bench-peer
[ -d "$PEER" ] || PEER="$BENCH_ROOT/../shared/bench-peer"
ensure_debian || exit 1
mkdir -p "$OUT"
TMP=$(mktemp -d)
trap 'stop_pid "${GROVE_PID:-}"; stop_pid "${MARIADB_PID:-}"; rm -rf "$TMP"' EXIT
start_mariadb 33061 "$TMP/mariadb" || exit 1
ONLY=select1,point_select_pk,range_scan_100_pk,insert_autocommit
run() {  # run NAME PORT
  "$BENCH_ROOT/.venv/bin/python" "$PEER/pyclient-bench.py" --host 127.0.0.1 --port "$2" --user root \
    --seconds "$SECONDS_PER" --only "$ONLY" --out "$OUT/$1.json" > /dev/null || echo "$1 failed" >&2
}
for tc in 0 1; do
  start_grove 33062 "$TMP/grove$tc" "SET GLOBAL dolt_transaction_commit = $tc" || exit 1
  if [ $tc = 0 ]; then run grove-tc0 33062; run mariadb 33061; else run mariadb-2 33061; run grove-tc1 33062; fi
  stop_pid "$GROVE_PID"; GROVE_PID=
done
"$BENCH_ROOT/.venv/bin/python" - "$OUT" <<'PY'
import json, sys, os
out = sys.argv[1]
runs = {n: json.load(open(os.path.join(out, n + ".json"))) for n in ("grove-tc0", "grove-tc1", "mariadb", "mariadb-2") if os.path.exists(os.path.join(out, n + ".json"))}
def ops(r, w):
    return (r.get("results", {}).get(w) or {}).get("ops_per_s")
names = list(runs)
print("| workload | " + " | ".join(names) + " | grove-tc0 / mariadb | grove-tc1 / mariadb-2 |")
print("|---|" + "---:|" * (len(names) + 2))
for w in ("select1", "point_select_pk", "range_scan_100_pk", "insert_autocommit"):
    vals = {n: ops(runs[n], w) for n in names}
    def ratio(a, b):
        return f"{vals[a] / vals[b]:.2f}" if vals.get(a) and vals.get(b) else "-"
    print(f"| {w} | " + " | ".join(f"{vals[n]:.0f}" if vals[n] else "-" for n in names) + f" | {ratio('grove-tc0', 'mariadb')} | {ratio('grove-tc1', 'mariadb-2')} |")
PY
