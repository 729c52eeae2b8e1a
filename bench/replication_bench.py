"""Push on write and read-replica lag against a moto S3 + DynamoDB endpoint (issue 5's figures).

Run by hand (not a test)::

    .venv/bin/python bench/replication_bench.py --writes 200

It starts ``python -m moto.server`` on a free loopback port, makes a bucket
and a manifest table, then for each mode (no replication, sync push, async
push) starts a writer ``grove sql-server`` (dolt_transaction_commit = 1) and,
when replicating, a read replica polling every 200 ms (the default), both as
subprocesses.  It does ``--writes`` sequential autocommit inserts through
PyMySQL and reports:

- commit latency p50/p99 (the time to OK) and, against the no-replication
  run, the latency a synchronous push adds;
- writer-to-replica visibility lag p50/p99: from the insert's OK until a
  reader polling the replica (``SELECT ... WHERE i = ?`` in a tight loop)
  first sees the row.

Everything it starts is stopped by PID at the end.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PY = sys.executable

from remote_bench import create_aws_resources, point_aws_at, start_moto, stop_moto  # noqa: E402 (bench/ is on sys.path)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"process {proc.pid} exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"port {port} never opened")


def stop(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(15)


def grove(*args, cwd, env) -> None:
    subprocess.run([PY, "-m", "sqlserver.cli", *args], cwd=cwd, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)


def serve(cwd, env) -> tuple[subprocess.Popen, int]:
    port = free_port()
    proc = subprocess.Popen([PY, "-m", "sqlserver.cli", "sql-server", "--port", str(port)], cwd=cwd, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_port(port, proc)
    return proc, port


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def run_mode(mode: str, url: str, work: str, env: dict, writes: int, first_key: int) -> dict:
    import pymysql

    base = os.path.join(work, mode)
    os.makedirs(base)
    wdir, rdir = os.path.join(base, "writer"), os.path.join(base, "reader")
    grove("clone", url, wdir, cwd=base, env=env)
    sets = ["set @@persist.dolt_transaction_commit = 1"]
    if mode != "none":
        sets.append("set @@persist.dolt_replicate_to_remote = origin")
    if mode == "async":
        sets.append("set @@persist.dolt_async_replication = 1")
    grove("sql", "-q", "; ".join(sets), cwd=wdir, env=env)
    procs = []
    try:
        wproc, wport = serve(wdir, env)
        procs.append(wproc)
        reader = None
        if mode != "none":
            grove("clone", url, rdir, cwd=base, env=env)
            grove("sql", "-q", "set @@persist.dolt_read_replica_remote = origin; "
                               "set @@persist.dolt_replicate_all_heads = 1", cwd=rdir, env=env)
            rproc, rport = serve(rdir, env)
            procs.append(rproc)
            reader = pymysql.connect(host="127.0.0.1", port=rport, user="root", database="reader", autocommit=True)
        w = pymysql.connect(host="127.0.0.1", port=wport, user="root", database="writer", autocommit=True)
        commit_ms, lag_ms = [], []
        with w.cursor() as cur:
            for i in range(first_key, first_key + writes):  # each mode's clone holds the rows before it
                t0 = time.perf_counter()
                cur.execute("insert into t values (%s, %s)", (i, i * i))
                t1 = time.perf_counter()
                commit_ms.append((t1 - t0) * 1000)
                if reader is not None:
                    deadline = t1 + 30
                    with reader.cursor() as rc:
                        while True:
                            rc.execute("select 1 from t where i = %s", (i,))
                            if rc.fetchall():
                                lag_ms.append((time.perf_counter() - t1) * 1000)
                                break
                            if time.perf_counter() > deadline:
                                raise RuntimeError(f"row {i} never reached the replica")
                            time.sleep(0.002)
        w.close()
        if reader is not None:
            reader.close()
        out = {"mode": mode, "commit_p50": pct(commit_ms, 50), "commit_p99": pct(commit_ms, 99)}
        if lag_ms:
            out.update(lag_p50=pct(lag_ms, 50), lag_p99=pct(lag_ms, 99), lag_max=max(lag_ms))
        return out
    finally:
        for p in procs:
            stop(p)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--writes", type=int, default=200)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="grove-repl-bench-")
    moto, endpoint = start_moto(os.path.join(work, "moto.log"))  # the same launcher as remote_bench.py
    try:
        point_aws_at(endpoint, os.path.join(work, "no-aws-config"))
        env = dict(os.environ, GROVE_HOME=os.path.join(work, "home"), HOME=os.path.join(work, "home"),
                   PYTHONPATH=ROOT)
        name = f"bench-{uuid.uuid4().hex[:8]}"
        create_aws_resources(name)
        url = f"aws://[{name}:{name}]/bench"
        origin = os.path.join(work, "origin")
        os.makedirs(origin)
        grove("init", cwd=origin, env=env)
        grove("sql", "-q", "create table t (i int primary key, v bigint)", cwd=origin, env=env)
        grove("commit", "-Am", "schema", cwd=origin, env=env)
        grove("remote", "add", "origin", url, cwd=origin, env=env)
        grove("push", "origin", "main:main", cwd=origin, env=env)
        results = []
        for n, m in enumerate(("none", "sync", "async")):
            results.append(run_mode(m, url, work, env, args.writes, n * 1_000_000))
            print(results[-1], flush=True)
    finally:
        stop_moto(moto)
        shutil.rmtree(work, ignore_errors=True)
    base = results[0]["commit_p50"]
    print(f"\n{args.writes} sequential autocommit inserts, dolt_transaction_commit = 1, moto on loopback\n")
    print("| mode | commit p50 ms | commit p99 ms | push adds (p50) ms | replica lag p50 ms | lag p99 ms | lag max ms |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in results:
        adds = r["commit_p50"] - base if r["mode"] != "none" else 0.0
        lag = (f"{r['lag_p50']:.0f} | {r['lag_p99']:.0f} | {r['lag_max']:.0f}" if "lag_p50" in r else "- | - | -")
        print(f"| {r['mode']} | {r['commit_p50']:.1f} | {r['commit_p99']:.1f} | {adds:.1f} | {lag} |")
    print(f"\ncommand: {' '.join([os.path.relpath(PY, ROOT)] + sys.argv)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
