#!/usr/bin/env bash
# Every OLTP test of ../shared/bench-peer against Grove alone, as a client-compatibility check rather than
# a speed comparison: each test at 1 and 4 threads, with server-side prepared statements
# (--db-ps-mode=auto: COM_STMT_PREPARE/EXECUTE wherever the Lua script prepares) and without
# (--db-ps-mode=disable: COM_QUERY text only).  Prints one table:
#   test  threads  ps  status  tps  p50_ms  errors  reconnects  ignored
# where `errors` counts what sysbench does NOT ignore (a FATAL line, a failed prepare or run: the run
# stops), and `ignored` counts sysbench's "ignored errors" (deadlocks, lock waits: the transaction is retried).
#   bench/sysbench_all.sh [SECONDS=20] [OUTDIR]
# Env: TESTS (default: bench-peer's whole list), TABLE_SIZE (10000), THREADS ("1 4"), PS_MODES ("auto disable").
# Exit status 1 if any run has errors, or if a run at 4 threads has ignored errors above 1 % of its
# transactions; 2 on bad arguments or when the server does not start.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/servers.sh"
SECS=${1:-20}
OUT=${2:-/tmp/grove-sysbench-all-$(date +%s)}
case "$SECS" in ''|*[!0-9]*) echo "SECONDS must be an integer" >&2; exit 2;; esac
PEER="$BENCH_ROOT/../shared/bench-peer"
[ -x "$PEER/run-sysbench.sh" ] || { echo "no $PEER/run-sysbench.sh" >&2; exit 2; }
ensure_debian || exit 2
PORT=${PORT:-33063}
TMP=$(mktemp -d)
trap 'stop_pid "${GROVE_PID:-}"; rm -rf "$TMP"' EXIT
start_grove "$PORT" "$TMP/grove" || exit 2
mkdir -p "$OUT"

for threads in ${THREADS:-1 4}; do
  for ps in ${PS_MODES:-auto disable}; do
    echo "== threads=$threads ps-mode=$ps"
    # QUIET_WAIT=0: no point waiting for a quiet machine, the figures here are not compared with a peer.
    PS_MODE=$ps QUIET_WAIT=0 "$PEER/run-sysbench.sh" 127.0.0.1 "$PORT" root "" sbtest \
      "$OUT/t$threads-$ps" "${TABLE_SIZE:-10000}" "$SECS" "$threads" > "$OUT/t$threads-$ps.log" 2>&1
    grep '^\[' "$OUT/t$threads-$ps.log"
  done
done

python3 - "$OUT" <<'EOF'
import json, os, re, sys

out = sys.argv[1]
bad = []
rows = []
for run in sorted(os.listdir(out)):
    m = re.fullmatch(r"t(\d+)-(auto|disable)", run)
    path = os.path.join(out, run, "summary.json")
    if not m or not os.path.exists(path):
        continue
    threads, ps = int(m.group(1)), m.group(2)
    with open(path) as f:
        tests = json.load(f)["tests"]
    for name, r in tests.items():
        with open(os.path.join(out, run, name + ".run.txt"), errors="replace") as f:
            text = f.read()
        # Errors sysbench does not ignore end the run with FATAL lines (or the prepare fails).
        fatal = sum(1 for line in text.splitlines() if "FATAL" in line)
        errors = fatal or (0 if r["status"] == "ok" else 1)
        ignored = r.get("errors", 0)
        txns = r.get("transactions", 0)
        rows.append((name, threads, ps, r["status"], r.get("tps"), r.get("latency_p50_ms"),
                     errors, r.get("reconnects", 0), ignored))
        if errors:
            first = next((l.strip() for l in text.splitlines() if "FATAL" in l or "rror" in l), "")
            bad.append(f"{name} threads={threads} ps={ps}: {errors} error(s) {first[:160]}")
        if threads == 4 and ignored > 0.01 * max(txns, 1):
            bad.append(f"{name} threads={threads} ps={ps}: {ignored} ignored errors in {txns} transactions (> 1 %)")

def show(v, fmt):
    return "-" if v is None else fmt % v

print("%-22s %7s %-7s %-6s %10s %8s %6s %10s %7s" % (
    "test", "threads", "ps", "status", "tps", "p50_ms", "errors", "reconnects", "ignored"))
for name, threads, ps, status, tps, p50, errors, reconnects, ignored in rows:
    print("%-22s %7d %-7s %-6s %10s %8s %6d %10d %7d" % (
        name, threads, ps, status, show(tps, "%.1f"), show(p50, "%.2f"), errors, reconnects, ignored))
for line in bad:
    print("FAIL", line)
print(f"raw outputs in {out}")
sys.exit(1 if bad or not rows else 0)
EOF
