"""Replication when the remote misbehaves: aws:// on moto, reached through a TCP proxy we can cut.

``tests/tcp_proxy.py`` forwards a loopback port to the moto server;
``AWS_ENDPOINT_URL`` points at the proxy for the servers under test (boto3
reads it when a client is made, which the replication workers do on their
first push or poll, and a ``grove sql-server`` subprocess inherits it).  A
cut resets every connection, so a request fails within a round trip;
AwsBackend's own retries (botocore "standard", 5 attempts, 25-50 ms base
backoff) then give up in well under a second, and the replication worker
records the error and backs off (0.1 s doubling to 5 s).  What the test
itself reads from the remote goes straight to moto, never through the proxy.

a. writer, remote cut: autocommit inserts still return OK (plus a 1105
   warning) once grove_replication_timeout_ms (300 ms here) is up;
   grove_replication_status shows the branch not ok, since when, and why;
   after restore the worker catches up by itself.
b. writer (a ``grove sql-server`` subprocess) killed with -9 while commits
   are waiting for the cut remote: the restarted server pushes them.
c. read replica, remote cut: reads keep their normal latency, lag_ms grows,
   grove_wait_for_commit times out; after restore the replica catches up
   on what the writer (connected straight to moto) pushed meanwhile.
d. two writers push on write to the same branch at the same time: one wins,
   the other reports 'diverged' and keeps its commit; its dolt_pull (a
   merge commit) is pushed and it is back to 'ok'.
"""

from __future__ import annotations

import threading
import time

import pymysql
import pytest

from replication import open_backend
from replication.remote_store import RemoteStore
from sqlserver import config
from sqlserver.databases import DatabaseProvider, clone_database_dir, init_database_dir
from storage.address import to_text
from storage.refs import branch_ref
from tests.cli.helpers import Server
from tests.conftest import ServerThread
from tests.tcp_proxy import TcpProxy

PRIMES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97]
MORE = {26: 101, 27: 103, 28: 107, 29: 109, 30: 113, 31: 127}
TIMEOUT_MS = 300  # grove_replication_timeout_ms of the writers under test
SLACK = 1.2  # seconds a statement may take beyond the push timeout on a loaded machine
DEADLINE = 20.0  # seconds for anything the tests wait for (status changes, catch-up)
STATUS = ("role", "remote", "branch", "local_head", "remote_head", "state", "pending_since", "last_error",
          "last_success", "lag_ms")


# --- helpers ------------------------------------------------------------------------------------


def wait_until(condition, what: str, timeout: float = DEADLINE):
    """Poll ``condition()`` until it returns something truthy (returned); fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = condition()
        if last:
            return last
        time.sleep(0.02)  # poll interval of a bounded wait
    raise AssertionError(f"timed out after {timeout} s waiting for {what} (last: {last!r})")


def run_sql(path, *statements: str) -> None:
    """Run statements in-process on the database directory ``path`` (no server holds it)."""
    from sqlserver.engine import SessionState, execute_sync

    provider = DatabaseProvider(str(path))
    try:
        state = SessionState(provider)
        state.current_db = provider.names()[0]
        for s in statements:
            execute_sync(state, s)
    finally:
        provider.close()


def persist(path, **values) -> None:
    """What ``grove sql -q 'set @@persist.x = y'`` writes to the database's .grove/config.json."""
    for name, value in values.items():
        config.persist_variable(str(path), name, value)


def status(cur, role: str | None = None, branch: str = "main") -> dict | None:
    cur.execute(f"select {', '.join(STATUS)} from grove_replication_status")
    for row in cur.fetchall():
        st = dict(zip(STATUS, row))
        if st["branch"] == branch and (role is None or st["role"] == role):
            return st
    return None


def wait_for_status(cur, check, what: str, role: str | None = None) -> dict:
    """Poll grove_replication_status until main's row passes ``check(row)``; returns that row."""
    def ready():
        st = status(cur, role)
        return st if st is not None and check(st) else None
    return wait_until(ready, what)


def head(cur) -> str:
    cur.execute("select dolt_hashof('HEAD')")
    return cur.fetchone()[0]


def insert(cur, i: int) -> tuple[float, tuple]:
    """An autocommit insert of (i, MORE[i]): (seconds it took, its warnings)."""
    started = time.monotonic()
    cur.execute("insert into primes values (%s, %s)", (i, MORE[i]))
    took = time.monotonic() - started
    cur.execute("show warnings")
    return took, cur.fetchall()


def assert_push_warning(warnings: tuple) -> None:
    assert len(warnings) == 1, warnings
    level, code, message = warnings[0]
    assert (level, code) == ("Warning", 1105) and "did not complete" in message, warnings


@pytest.fixture
def proxy(moto_server):
    p = TcpProxy(int(moto_server.rsplit(":", 1)[1])).start()
    yield p
    p.stop()


@pytest.fixture
def remote(aws_remote, moto_server, proxy, tmp_path, monkeypatch):
    """An aws:// remote holding the primes database (25 primes, one commit), reached through ``proxy``.

    Returns ``(url, remote_head)``: ``remote_head(branch)`` reads the branch's head straight from moto.
    """
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GROVE_HOME", str(home))
    monkeypatch.delenv("GROVE_DEBUG", raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL", proxy.url)
    url = aws_remote.url("primes")
    seed = tmp_path / "seed" / "primes"
    init_database_dir(str(seed))
    values = ", ".join(f"({i}, {p})" for i, p in enumerate(PRIMES, 1))
    run_sql(seed, "create table primes (i int primary key, val int)", f"insert into primes values {values}",
            "call dolt_commit('-Am', 'insert first 25 primes')", f"call dolt_remote('add', 'origin', '{url}')",
            "call dolt_push('origin', 'main')")

    def remote_head(branch: str = "main") -> str | None:
        with pytest.MonkeyPatch.context() as mp:  # the test's own view: straight to moto
            mp.setenv("AWS_ENDPOINT_URL", moto_server)
            store = RemoteStore(open_backend(url, create=False))
        try:
            store.refresh()
            address = store.refs().get(branch_ref(branch))
            return to_text(address) if address else None
        finally:
            store.close()

    return url, remote_head


def writer_dir(path, url, **settings):
    clone_database_dir(str(path), url)
    persist(path, dolt_replicate_to_remote="origin", dolt_transaction_commit=1, **settings)
    return path


# --- a. the writer while the remote is cut ----------------------------------------------------


def test_writer_keeps_committing_while_the_remote_is_cut_and_catches_up_after(tmp_path, remote, proxy):
    url, remote_head = remote
    writer_dir(tmp_path / "w" / "primes_writer", url, grove_replication_timeout_ms=TIMEOUT_MS)
    server = ServerThread(str(tmp_path / "w")).start()
    try:
        cur = server.connect(database="primes_writer").cursor()
        insert(cur, 26)  # (the first push opens the remote: it may outlast the 300 ms, so no check of warnings)
        first = head(cur)
        wait_until(lambda: remote_head() == first, "the first push")
        wait_for_status(cur, lambda st: st["state"] == "ok", "status ok")

        proxy.cut()
        for i in (27, 28, 29):
            took, warnings = insert(cur, i)
            assert_push_warning(warnings)
            assert TIMEOUT_MS / 1000 - 0.05 <= took < TIMEOUT_MS / 1000 + SLACK, took
        local = head(cur)
        st = wait_for_status(cur, lambda st: st["state"] != "ok" and st["last_error"], "the push error")
        assert st["role"] == "primary" and st["remote"] == "origin" and st["local_head"] == local
        assert st["state"] in ("error", "pending") and st["pending_since"] is not None
        assert st["remote_head"] != local and st["lag_ms"] > 0
        assert remote_head() != local and proxy.refused > 0
        cur.execute("select count(*) from primes")
        assert cur.fetchone() == (29,)  # every commit took locally

        proxy.restore()
        st = wait_for_status(cur, lambda st: st["state"] == "ok", "catch-up")
        assert (st["local_head"], st["remote_head"], st["pending_since"], st["last_error"]) == (local, local, None,
                                                                                              None)
        assert st["last_success"] is not None
        assert remote_head() == local
        insert(cur, 30)  # and pushing again
        last = head(cur)
        wait_until(lambda: remote_head() == last, "the next push")
    finally:
        server.stop()


# --- b. kill -9 with pushes pending --------------------------------------------------------------


def test_a_writer_killed_with_pushes_pending_pushes_them_after_a_restart(tmp_path, remote, proxy):
    url, remote_head = remote
    path = writer_dir(tmp_path / "primes_writer", url, grove_replication_timeout_ms=TIMEOUT_MS)
    server = Server(path, tmp_path / "home")  # `grove sql-server` serving the database directory
    try:
        conn = pymysql.connect(host="127.0.0.1", port=server.port, user="root", database="primes_writer",
                               autocommit=True, connect_timeout=10, read_timeout=60)
        cur = conn.cursor()
        insert(cur, 26)
        pushed = head(cur)
        wait_until(lambda: remote_head() == pushed, "the first push")

        proxy.cut()
        for i in (27, 28):
            assert_push_warning(insert(cur, i)[1])
        local = head(cur)
        st = status(cur)
        assert st["state"] != "ok" and st["pending_since"] is not None and st["local_head"] == local
        conn.close()
    finally:
        server.stop()  # SIGKILL
    assert server.proc.returncode == -9
    assert remote_head() == pushed  # the two commits never left

    proxy.restore()
    server = Server(path, tmp_path / "home")
    try:
        wait_until(lambda: remote_head() == local, "the restarted writer to push the pending commits")
        conn = pymysql.connect(host="127.0.0.1", port=server.port, user="root", database="primes_writer",
                               autocommit=True, connect_timeout=10, read_timeout=60)
        with conn.cursor() as cur:
            assert head(cur) == local
            st = wait_for_status(cur, lambda st: st["state"] == "ok", "status ok")
            assert (st["local_head"], st["remote_head"]) == (local, local)
            cur.execute("select count(*) from primes")
            assert cur.fetchone() == (28,)
        conn.close()
    finally:
        server.stop()


# --- c. a read replica while the remote is cut -------------------------------------------------


def test_a_replica_serves_reads_while_the_remote_is_cut_and_catches_up_after(tmp_path, remote, proxy,
                                                                             moto_server, monkeypatch):
    url, remote_head = remote
    wpath = writer_dir(tmp_path / "primes_writer", url)
    with monkeypatch.context() as mp:  # the writer reaches moto directly: only the replica is cut off
        mp.setenv("AWS_ENDPOINT_URL", moto_server)
        writer = Server(wpath, tmp_path / "home")
    rdata = tmp_path / "r"
    clone_database_dir(str(rdata / "primes_reader"), url)
    persist(rdata / "primes_reader", dolt_read_replica_remote="origin", dolt_replicate_all_heads=1,
            grove_read_replica_poll_ms=50)
    replica = ServerThread(str(rdata)).start()
    try:
        wconn = pymysql.connect(host="127.0.0.1", port=writer.port, user="root", database="primes_writer",
                                autocommit=True, connect_timeout=10, read_timeout=60)
        w = wconn.cursor()
        r = replica.connect(database="primes_reader").cursor()
        insert(w, 26)
        r.execute("call grove_wait_for_commit(%s, 15000)", (head(w),))
        r.execute("select * from primes where i = 26")
        assert r.fetchall() == ((26, 101),)

        proxy.cut()
        insert(w, 27)  # the writer is not cut off: this reaches the remote
        later = head(w)
        wait_until(lambda: remote_head() == later, "the writer's push")
        st = wait_for_status(r, lambda st: st["state"] == "error" and st["last_error"], "the replica to report the cut",
                             "replica")
        lag = st["lag_ms"]
        assert proxy.refused > 0
        took = []
        for _ in range(3):  # reads are served from the local copy, at local speed (a point read: ~1 ms)
            started = time.monotonic()
            r.execute("select * from primes where i = 26")
            assert r.fetchall() == ((26, 101),)
            r.execute("select * from primes where i = 27")
            assert r.fetchall() == ()  # not here: the replica cannot see the remote
            took.append(time.monotonic() - started)
        assert min(took) < 0.1 and max(took) < 1.0, took  # (max: a loaded machine may stall one round)
        wait_for_status(r, lambda st: st["lag_ms"] >= lag + 300, "lag_ms to grow", "replica")
        with pytest.raises(pymysql.err.OperationalError) as e:
            r.execute("call grove_wait_for_commit(%s, 200)", (later,))
        assert e.value.args[0] == 1105 and "within 200 ms" in e.value.args[1]

        proxy.restore()
        r.execute("call grove_wait_for_commit(%s, 15000)", (later,))
        r.execute("select * from primes where i = 27")
        assert r.fetchall() == ((27, 103),)
        st = wait_for_status(r, lambda st: st["state"] == "ok", "status ok", "replica")
        assert st["local_head"] == later and st["last_error"] is None and st["lag_ms"] < lag + 5000
        wconn.close()
    finally:
        replica.stop()
        writer.stop()


# --- d. two writers, one branch ------------------------------------------------------------------


def test_two_writers_on_one_branch_one_wins_the_other_diverges_and_keeps_its_commit(tmp_path, remote):
    url, remote_head = remote
    data = tmp_path / "w"
    for name in ("primes_a", "primes_b"):  # a long push timeout: the winner's OK waits for its push
        writer_dir(data / name, url, grove_replication_timeout_ms=int(DEADLINE * 1000))
    server = ServerThread(str(data)).start()
    try:
        curs = {name: server.connect(database=name).cursor() for name in ("primes_a", "primes_b")}
        barrier = threading.Barrier(2)
        warnings: dict[str, tuple] = {}
        errors: list[BaseException] = []

        def write(name: str, i: int) -> None:
            try:
                barrier.wait(DEADLINE)
                warnings[name] = insert(curs[name], i)[1]
            except BaseException as e:  # noqa: BLE001 - reported by the main thread
                errors.append(e)

        threads = [threading.Thread(target=write, args=("primes_a", 26)),
                   threading.Thread(target=write, args=("primes_b", 27))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(DEADLINE)
        assert not errors and len(warnings) == 2, errors
        heads = {name: head(cur) for name, cur in curs.items()}
        winners = [name for name in curs if heads[name] == remote_head()]
        assert len(winners) == 1, (heads, remote_head())
        (winner,) = winners
        (loser,) = set(curs) - {winner}

        assert warnings[winner] == ()
        assert_push_warning(warnings[loser])
        assert "fast-forward" in warnings[loser][0][2].lower() or "diverged" in warnings[loser][0][2].lower()
        assert status(curs[winner])["state"] == "ok"
        st = status(curs[loser])
        assert st["state"] == "diverged" and st["last_error"], st
        assert (st["local_head"], st["remote_head"]) == (heads[loser], heads[winner])
        # the loser keeps its commit: in its log, and its row is there
        curs[loser].execute("select commit_hash from dolt_log")
        assert heads[loser] in [h for (h,) in curs[loser].fetchall()]
        curs[loser].execute("select count(*) from primes where i in (26, 27)")
        assert curs[loser].fetchone() == (1,)
        assert remote_head() == heads[winner]

        # recovery, as the README says: pull (a merge commit), which is pushed
        loser_cur = curs[loser]
        loser_cur.execute("call dolt_pull('origin')")
        loser_cur.fetchall()
        loser_cur.execute("show warnings")
        assert loser_cur.fetchall() == ()
        merged = head(loser_cur)
        assert status(loser_cur)["state"] == "ok" and remote_head() == merged
        loser_cur.execute("select count(*) from primes where i in (26, 27)")
        assert loser_cur.fetchone() == (2,)
    finally:
        server.stop()
