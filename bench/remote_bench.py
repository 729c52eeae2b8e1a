"""Push and clone throughput against S3 + DynamoDB (a moto server) and file:// (issue 4; a script, not a test).

    .venv/bin/python bench/remote_bench.py [--rows 1000000] [--dir /tmp] [--profile] [--keep]

What it does, in one process:

1. starts ``python -m moto.server`` on a free 127.0.0.1 port (bounded wait until it
   listens; stopped by PID at the end), points the standard AWS_* variables at it and
   creates an S3 bucket and a DynamoDB table (hash key ``db``, S) with boto3;
2. builds a database of ``--rows`` rows in a temporary directory: one table shaped like
   sysbench's ``sbtest1`` (INT id primary key, INT k, CHAR(120) c, CHAR(60) pad), rows
   encoded with Grove's real row codecs (``storage.tuple_encoding.KeyCodec`` for the key,
   ``storage.value_encoding.ValueCodec`` for the value), loaded with
   ``ProllyMap.from_sorted`` and committed on ``main`` of a ``DiskStore``;
3. for each remote (aws://, then file://) measures
   - the first push of ``main`` (wall time, chunks, chunk bytes, MB/s, chunks/s, requests
     and bytes from ``backend.stats``),
   - a clone into a fresh directory (same figures; a fresh ``RemoteStore``, so the table
     file indexes are read as a new client would),
   - a 1-row commit plus incremental push, twice: through the store the first push used
     (warm indexes and ref map, what push-on-write replication does), then through a fresh
     ``RemoteStore`` (what one ``grove push`` command does: it reads every table file's index);
4. prints a markdown table, peak RSS of this process and of the moto server, and the
   command line.

MB are 10^6 bytes.  "chunk MB" is the chunks' payload (``Transfer.bytes``); "remote MB"
is what went over the backend (table file bytes: payload + per-record checksums + index).

``--profile`` additionally pushes the database once more to a fresh aws:// path and clones
it once more, each under cProfile, and prints the top entries by cumulative time.  The
profiles run after the measurements, so they do not distort them.  cProfile sees the main
thread only: time spent in the S3 reader threads shows up as waiting on futures.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from replication import open_backend  # noqa: E402
from replication.remote_store import RemoteStore  # noqa: E402
from replication.sync import clone_into, push  # noqa: E402
from storage.database import Database  # noqa: E402
from storage.disk_store import DiskStore  # noqa: E402
from storage.prolly_map import ProllyMap  # noqa: E402
from storage.row_types import Kind  # noqa: E402
from storage.schema import Column, Schema  # noqa: E402
from storage.table import Table  # noqa: E402
from storage.tuple_encoding import KeyCodec  # noqa: E402
from storage.value_encoding import ValueCodec  # noqa: E402

AUTHOR = dict(author="bench", email="bench@grove")
TABLE = "sbtest1"
KEY = KeyCodec([Kind.INT])
VALUE = ValueCodec([Kind.INT, Kind.STRING, Kind.STRING])  # k, c, pad
SCHEMA = Schema(
    columns=(
        Column("id", "int", nullable=False),
        Column("k", "int", nullable=False),
        Column("c", "char(120)", nullable=False),
        Column("pad", "char(60)", nullable=False),
    ),
    primary_key=("id",),
)

MOTO_START_TIMEOUT = 30.0  # seconds
MOTO_STOP_TIMEOUT = 10.0
REGION = "us-east-1"
_AWS_VARIABLES_TO_CLEAR = (
    "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
    "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_DYNAMODB",
    "AWS_CA_BUNDLE", "AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE",
)


# --- the moto server --------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _set_parent_death_signal() -> None:
    """Linux: the server gets SIGTERM if this script dies without its finally (e.g. SIGKILL)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def start_moto(log_path: str) -> tuple[subprocess.Popen, str]:
    """Start a moto server on a free loopback port; returns (process, endpoint URL)."""
    deadline = time.monotonic() + MOTO_START_TIMEOUT
    with open(log_path, "ab") as log:
        for _attempt in range(3):  # the probed port may be taken before moto binds it
            port = _free_port()
            proc = subprocess.Popen(
                [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                preexec_fn=_set_parent_death_signal if sys.platform == "linux" else None,
            )
            while time.monotonic() < deadline:
                if proc.poll() is not None:
                    break  # exited (port taken?): try another port
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                    return proc, f"http://127.0.0.1:{port}"
                except OSError:
                    time.sleep(0.02)  # poll interval of a bounded wait
            else:
                stop_moto(proc)
                raise TimeoutError(f"moto server did not listen on port {port} within "
                                   f"{MOTO_START_TIMEOUT} s; see {log_path}")
    raise RuntimeError(f"moto server failed to start; see {log_path}")


def stop_moto(proc: subprocess.Popen) -> None:
    """Stop the server by its PID: SIGTERM, then SIGKILL if it lingers."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(MOTO_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(MOTO_STOP_TIMEOUT)


def point_aws_at(endpoint: str, missing_file: str) -> None:
    """Standard AWS variables for ``endpoint`` (fake credentials); hide profiles and config files."""
    for name in _AWS_VARIABLES_TO_CLEAR:
        os.environ.pop(name, None)
    os.environ.update({
        "AWS_CONFIG_FILE": missing_file,
        "AWS_SHARED_CREDENTIALS_FILE": missing_file,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
    })


def create_aws_resources(name: str) -> None:
    """A bucket and a manifest table (hash key ``db`` S), as an operator would make them."""
    import boto3

    session = boto3.session.Session()
    s3, dynamodb = session.client("s3"), session.client("dynamodb")
    try:
        s3.create_bucket(Bucket=name)
        dynamodb.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": "db", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "db", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
    finally:
        s3.close()
        dynamodb.close()


# --- the database -----------------------------------------------------------------------


def _digits(rng: random.Random, groups: int) -> str:
    """sysbench's c/pad pattern: groups of 11 random digits joined by '-'."""
    return "-".join(f"{rng.getrandbits(40) % 10**11:011d}" for _ in range(groups))


def row_value(rng: random.Random) -> bytes:
    return VALUE.encode((rng.randrange(1, 1 << 20), _digits(rng, 10), _digits(rng, 5)))  # 119 + 59 chars


def rows(n: int, seed: int):
    rng = random.Random(seed)
    for i in range(1, n + 1):
        yield KEY.encode((i,)), row_value(rng)


def commit_primary(db: Database, primary: ProllyMap, message: str) -> bytes:
    root = db.read_root_value(db.read_commit(db.head("main")).root)
    table = Table(schema=SCHEMA, primary=primary.address, indexes={}, auto_increment=0)
    root = root.with_table(TABLE, db.write_table(table))
    return db.commit("main", db.write_root_value(root), message=message, **AUTHOR)


def open_empty_db(path: str) -> Database:
    return Database(DiskStore.open(path))


def store_bytes(path: str) -> int:
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(os.path.join(path, ".grove"))
               for f in files)


# --- measurements -----------------------------------------------------------------------


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def figures(op: str, kind: str, seconds: float, transfer, stats: dict, remote_bytes_key: str) -> dict:
    return {
        "op": op, "remote": kind, "seconds": seconds, "chunks": transfer.chunks,
        "chunk_mb": transfer.bytes / 1e6, "mb_s": transfer.bytes / 1e6 / seconds,
        "chunks_s": transfer.chunks / seconds, "requests": stats["requests"],
        "remote_mb": stats[remote_bytes_key] / 1e6, "peak_rss_mib": peak_rss_mib(),
    }


def measure_remote(kind: str, url: str, db: Database, primary: ProllyMap, work: str,
                   rng: random.Random) -> tuple[list[dict], ProllyMap]:
    out = []
    # (1) first push
    remote = RemoteStore(open_backend(url))
    t0 = time.perf_counter()
    result = push(db, remote, "origin", "main", "main")
    seconds = time.perf_counter() - t0
    assert result.new == db.head("main") and result.old is None
    out.append(figures("first push", kind, seconds, result.transfer, remote.backend.stats.snapshot(),
                       "bytes_written"))
    print(f"  {kind}: first push {seconds:.1f} s, {result.transfer.line()}", file=sys.stderr)

    # (2) clone into a fresh directory, through a fresh RemoteStore
    clone_dir = os.path.join(work, f"clone-{kind}")
    clone = open_empty_db(clone_dir)
    cold = RemoteStore(open_backend(url))
    transfers = []
    try:
        t0 = time.perf_counter()
        branch = clone_into(clone, cold, "origin", None, progress=lambda t: transfers.append(t))
        seconds = time.perf_counter() - t0
        assert branch == "main" and clone.head("main") == db.head("main")
    finally:
        clone.close()
        cold.close()
    out.append(figures("clone", kind, seconds, transfers[-1], cold.backend.stats.snapshot(), "bytes_read"))
    out[-1]["local_mb"] = store_bytes(clone_dir) / 1e6
    print(f"  {kind}: clone {seconds:.1f} s, {transfers[-1].line()}", file=sys.stderr)
    shutil.rmtree(clone_dir, ignore_errors=True)

    # (3) 1-row commit + incremental push: through the first push's RemoteStore (warm indexes and
    # ref map, as push-on-write replication keeps it), then through a fresh one (one `grove push`).
    # Warm first: a push by another RemoteStore would make the warm one reload what that push wrote.
    for label, make_remote in (("1-row push, warm", lambda: remote),
                               ("1-row push, cold", lambda: RemoteStore(open_backend(url)))):
        key = KEY.encode((rng.randrange(1, len(primary) + 1),))
        t0 = time.perf_counter()
        primary = primary.mutate([(key, row_value(rng))])
        commit_primary(db, primary, f"update one row ({kind}, {label})")
        commit_ms = (time.perf_counter() - t0) * 1e3
        r = make_remote()
        r.backend.stats.reset()
        t0 = time.perf_counter()
        result = push(db, r, "origin", "main", "main")
        seconds = time.perf_counter() - t0
        assert result.new == db.head("main")
        row = figures(label, kind, seconds, result.transfer, r.backend.stats.snapshot(), "bytes_written")
        row["commit_ms"] = commit_ms
        out.append(row)
        if r is not remote:
            r.close()
    remote.close()
    return out, primary


def profile(what: str, fn, top: int) -> str:
    prof = cProfile.Profile()
    t0 = time.perf_counter()
    prof.enable()
    try:
        fn()
    finally:
        prof.disable()
    seconds = time.perf_counter() - t0
    out = [f"### cProfile: {what} ({seconds:.1f} s under the profiler)"]
    for order in ("cumulative", "tottime"):
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).strip_dirs().sort_stats(order).print_stats(top)
        body = buf.getvalue().strip("\n")
        table = body[body.index("ncalls"):] if "ncalls" in body else body
        out.append(f"\ntop {top} by {order} time:\n\n```\n{table}\n```")
    return "\n".join(out)


# --- output -----------------------------------------------------------------------------


def fmt_table(results: list[dict]) -> str:
    head = ("| remote | operation | wall | chunks | chunk MB | MB/s | chunks/s | requests | remote MB "
            "| peak RSS so far MiB |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in results:
        wall = f"{r['seconds']:.2f} s" if r["seconds"] >= 1 else f"{r['seconds'] * 1e3:.0f} ms"
        if "commit_ms" in r:
            wall += f" (+ commit {r['commit_ms']:.0f} ms)"
        lines.append(
            f"| {r['remote']} | {r['op']} | {wall} | {r['chunks']:,} | {r['chunk_mb']:.3f} | {r['mb_s']:.2f} "
            f"| {r['chunks_s']:,.0f} | {r['requests']:,} | {r['remote_mb']:.3f} | {r['peak_rss_mib']:.0f} |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000, help="rows in the table (default 1,000,000)")
    ap.add_argument("--dir", default=None, help="parent of the temporary working directory (default: $TMPDIR)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--profile", action="store_true",
                    help="afterwards, cProfile one more aws push and clone and print the top entries")
    ap.add_argument("--top", type=int, default=10, help="profile entries to print (default 10)")
    ap.add_argument("--keep", action="store_true", help="keep the working directory (and moto's log)")
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="grove-remote-bench-", dir=args.dir)
    moto = None
    results: list[dict] = []
    notes: list[str] = []
    profiles: list[str] = []
    started = time.perf_counter()
    try:
        # the remotes
        t0 = time.perf_counter()
        moto, endpoint = start_moto(os.path.join(work, "moto_server.log"))
        notes.append(f"moto server {endpoint} (pid {moto.pid}) listening after {time.perf_counter() - t0:.2f} s")
        point_aws_at(endpoint, os.path.join(work, "no-aws-config"))
        name = f"grove-bench-{uuid.uuid4().hex[:12]}"
        create_aws_resources(name)
        aws_url = f"aws://[{name}:{name}]/bench/sbtest"
        file_url = "file://" + os.path.join(work, "file-remote")

        # the database
        src = os.path.join(work, "src")
        db = Database.init(DiskStore.open(src), **AUTHOR)
        t0 = time.perf_counter()
        primary = ProllyMap.from_sorted(db.node_store, rows(args.rows, args.seed))
        commit_primary(db, primary, "load")
        build_s = time.perf_counter() - t0
        notes.append(f"built {args.rows:,} rows in {build_s:.1f} s ({args.rows / build_s:,.0f} rows/s), "
                     f"prolly depth {primary.depth}, local store {store_bytes(src) / 1e6:.1f} MB, "
                     f"peak RSS so far {peak_rss_mib():.0f} MiB")
        print(notes[-1], file=sys.stderr)

        rng = random.Random(args.seed + 1)
        try:
            for kind, url in (("aws", aws_url), ("file", file_url)):
                got, primary = measure_remote(kind, url, db, primary, work, rng)
                results += got
            if args.profile:
                prof_url = f"aws://[{name}:{name}]/bench/profiled"

                # boto3 clients are made outside the profiles (~0.15 s each, not push's cost)
                r = RemoteStore(open_backend(prof_url))
                try:
                    profiles.append(profile("first push to aws://", lambda: push(db, r, "origin", "main", "main"),
                                            args.top))
                finally:
                    r.close()
                target = open_empty_db(os.path.join(work, "clone-profiled"))
                r = RemoteStore(open_backend(prof_url))
                try:
                    profiles.append(profile("clone from aws://", lambda: clone_into(target, r, "profiled", None),
                                            args.top))
                finally:
                    target.close()
                    r.close()
        finally:
            db.close()
    finally:
        if moto is not None:
            stop_moto(moto)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    moto_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    print(f"\n## Grove remote benchmark: {args.rows:,} rows (sysbench-shaped sbtest1, real row codecs)\n")
    print(fmt_table(results))
    print()
    for n in notes:
        print(f"- {n}")
    for r in results:
        if "local_mb" in r:
            print(f"- clone from {r['remote']}: local store afterwards {r['local_mb']:.1f} MB")
    print(f"- peak RSS: this process {peak_rss_mib():.0f} MiB; moto server (and other children) "
          f"{moto_rss:.0f} MiB")
    print(f"- total wall time {time.perf_counter() - started:.0f} s" + (f"; kept {work}" if args.keep else ""))
    print(f"- command: `{' '.join([os.path.relpath(sys.executable) if sys.executable.startswith(os.getcwd()) else sys.executable, *sys.argv])}`")
    for p in profiles:
        print()
        print(p)


if __name__ == "__main__":
    main()
