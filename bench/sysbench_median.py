"""The median of several ``bench/sysbench_pair.sh`` runs: issue 6's ratio table.

    .venv/bin/python bench/sysbench_median.py OUT1 OUT2 OUT3

Each OUT is a directory ``sysbench_pair.sh`` wrote (A = Grove, B = MariaDB).
Per test it prints both sides' p50 latency in every run, the per-run ratio
Grove/MariaDB, the median ratio, and the issue's target.
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

TARGETS = {"oltp_point_select": 1.3, "oltp_read_only": 2.0, "oltp_insert": 1.5, "oltp_update_index": 1.5}


def p50s(out: Path, side: str) -> dict[str, float]:
    suite = json.loads((out / side / "suite.json").read_text())
    tests = next(iter(suite.values()))["tests"]
    return {name: t["latency_p50_ms"] for name, t in tests.items() if t.get("latency_p50_ms")}


def main(dirs: list[str]) -> int:
    runs = [(p50s(Path(d), "A"), p50s(Path(d), "B")) for d in dirs]
    names = [n for n in runs[0][0] if all(n in a and n in b for a, b in runs)]
    print("| test | Grove p50 ms (runs) | MariaDB p50 ms (runs) | ratios | median ratio | target | met |")
    print("|---|---|---|---|---:|---:|---|")
    ok = True
    for n in names:
        ratios = [a[n] / b[n] for a, b in runs]
        med = statistics.median(ratios)
        target = TARGETS.get(n)
        met = target is None or med <= target
        ok &= met
        print(f"| {n} | {', '.join(f'{a[n]:.3f}' for a, _ in runs)} | {', '.join(f'{b[n]:.3f}' for _, b in runs)} "
              f"| {', '.join(f'{r:.2f}' for r in ratios)} | {med:.2f} | {target or '-'} | {'yes' if met else 'NO'} |")
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1:]))
