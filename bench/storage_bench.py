"""Storage-layer measurements for issue 2 (a script, not a test).

    .venv/bin/python bench/storage_bench.py [--rows 10000,100000,1000000] [--dir /tmp/grove-bench]

Prints, for each table size, a sysbench-like table (INT pk, INT k, CHAR(120) c, CHAR(60) pad)
loaded through the storage API (row codecs -> ProllyMap.from_sorted -> Database.commit on a
DiskStore):
  (a) a commit that changes 1 row: bytes written to the store and wall time
  (b) point gets and range scans per second from a warm cache
  (c) diff of two versions differing in 10 rows: time and chunks read (cold cache)
  (d) bulk load: rows/s and peak RSS
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from storage.database import Database  # noqa: E402
from storage.disk_store import DiskStore  # noqa: E402
from storage.node_store import NodeStore  # noqa: E402
from storage.prolly_diff import diff  # noqa: E402
from storage.prolly_map import ProllyMap  # noqa: E402
from storage.root_value import RootValue  # noqa: E402
from storage.row_types import Kind  # noqa: E402
from storage.schema import Column, Schema  # noqa: E402
from storage.table import Table  # noqa: E402
from storage.tuple_encoding import KeyCodec  # noqa: E402
from storage.value_encoding import ValueCodec  # noqa: E402

KEY = KeyCodec([Kind.INT])
VALUE = ValueCodec([Kind.INT, Kind.STRING, Kind.STRING])
SCHEMA = Schema(
    columns=(
        Column("id", "int", nullable=False),
        Column("k", "int", nullable=False),
        Column("c", "char(120)", nullable=False),
        Column("pad", "char(60)", nullable=False),
    ),
    primary_key=("id",),
)


def row_value(rng: random.Random, i: int) -> bytes:
    c = "-".join(f"{rng.randrange(10**11):011d}" for _ in range(10))
    pad = "-".join(f"{rng.randrange(10**11):011d}" for _ in range(5))
    return VALUE.encode((rng.randrange(1, 1 << 20), c, pad))


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def store_bytes(path: str) -> int:
    total = 0
    for dirpath, _, files in os.walk(os.path.join(path, ".grove")):
        for f in files:
            total += os.path.getsize(os.path.join(dirpath, f))
    return total


def commit_table(db: Database, primary: ProllyMap, message: str) -> bytes:
    head = db.read_commit(db.head("main"))
    root = db.read_root_value(head.root)
    table = Table(schema=SCHEMA, primary=primary.address, indexes={}, auto_increment=0)
    root = root.with_table("sbtest1", db.write_table(table))
    return db.commit("main", db.write_root_value(root), message=message, author="bench", email="bench@grove")


def run(rows: int, base_dir: str) -> dict:
    path = os.path.join(base_dir, f"t{rows}")
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    store = DiskStore.open(path)
    db = Database.init(store, author="bench", email="bench@grove")
    ns = db.node_store
    rng = random.Random(rows)
    out: dict = {"rows": rows}

    # (d) bulk load through the storage API
    rss0 = peak_rss_mib()
    t0 = time.perf_counter()
    primary = ProllyMap.from_sorted(ns, ((KEY.encode((i,)), row_value(rng, i)) for i in range(1, rows + 1)))
    commit_table(db, primary, "load")
    load_s = time.perf_counter() - t0
    out["load_rows_per_s"] = rows / load_s
    out["load_peak_rss_mib"] = peak_rss_mib()
    out["load_rss_growth_mib"] = peak_rss_mib() - rss0
    out["depth"] = primary.depth

    # (a) a commit that changes one row: bytes written and wall time (median of 20)
    times, written, chunks = [], [], 0
    for n in range(20):
        before = store_bytes(path)
        store.stats.reset()
        t0 = time.perf_counter()
        key = KEY.encode((rng.randrange(1, rows + 1),))
        primary = primary.mutate([(key, row_value(rng, n))])
        commit_table(db, primary, f"update {n}")
        times.append(time.perf_counter() - t0)
        written.append(store_bytes(path) - before)
        chunks += store.stats.chunks_written
    out["commit_1row_ms_p50"] = statistics.median(times) * 1e3
    out["commit_1row_bytes_p50"] = statistics.median(written)
    out["commit_1row_bytes_max"] = max(written)
    out["commit_1row_chunks"] = chunks / 20

    # (b) warm point gets and range scans
    keys = [KEY.encode((rng.randrange(1, rows + 1),)) for _ in range(20000)]
    for k in keys[:2000]:
        primary.get(k)
    t0 = time.perf_counter()
    for k in keys:
        primary.get(k)
    out["point_get_per_s"] = len(keys) / (time.perf_counter() - t0)
    scanned = 0
    t0 = time.perf_counter()
    for _ in range(50):
        start = KEY.encode((rng.randrange(1, max(2, rows - 100)),))
        for n, _kv in enumerate(primary.items(start)):
            scanned += 1
            if n == 99:
                break
    out["range100_per_s"] = 50 / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    full = sum(1 for _ in primary.items())
    out["full_scan_rows_per_s"] = full / (time.perf_counter() - t0)

    # (c) diff of two versions differing in 10 rows, cold cache
    changed = primary.mutate([(KEY.encode((rng.randrange(1, rows + 1),)), row_value(rng, -1)) for _ in range(10)])
    cold = NodeStore(store, chunking=ns.chunking)
    a, b = ProllyMap.load(cold, primary.address), ProllyMap.load(cold, changed.address)
    store.stats.reset()
    t0 = time.perf_counter()
    n_diffs = sum(1 for _ in diff(a, b))
    out["diff10_ms"] = (time.perf_counter() - t0) * 1e3
    out["diff10_chunks_read"] = store.stats.chunks_read
    out["diff10_entries"] = n_diffs
    store.close()
    shutil.rmtree(path, ignore_errors=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", default="10000,100000,1000000")
    ap.add_argument("--dir", default="/tmp/grove-storage-bench")
    args = ap.parse_args()
    results = [run(int(r), args.dir) for r in args.rows.split(",")]
    cols = list(results[0])
    print(" | ".join(cols))
    for r in results:
        print(" | ".join(f"{r[c]:.1f}" if isinstance(r[c], float) else str(r[c]) for c in cols))
    if len(results) > 1:
        print(f"1-row commit time ratio largest/smallest: {results[-1]['commit_1row_ms_p50'] / results[0]['commit_1row_ms_p50']:.2f}")


if __name__ == "__main__":
    main()
