"""Push on write and read replicas inside the SQL server (in-process servers, file:// remotes).

The end-to-end tutorial (tests/e2e) runs the same with CLI servers, the
mariadb client and aws:// on moto; tests/sqlserver/test_replication_faults.py
cuts the remote.
"""

from __future__ import annotations

import os

import pymysql
import pytest

from replication.remotes import Remotes
from sqlserver import config
from sqlserver.databases import init_database_dir
from tests.conftest import ServerThread

WAIT_MS = 15000


def _set(path, **values):
    for k, v in values.items():
        config.persist_variable(str(path), k, v)


@pytest.fixture
def pair(tmp_path):
    """A writer database (pushing to origin) and a replica database cloned from the same remote."""
    from replication import open_backend
    from replication.remote_store import RemoteStore
    from replication.sync import clone_into, push
    from storage.database import Database
    from storage.disk_store import DiskStore

    url = f"file://{tmp_path / 'remote'}"
    wdata, rdata = tmp_path / "w", tmp_path / "r"
    writer = wdata / "primes_writer"
    init_database_dir(str(writer))
    store = DiskStore.open(str(writer))
    try:
        push(Database(store), RemoteStore(open_backend(url)), "origin", "main", "main")
    finally:
        store.close()
    Remotes(str(writer)).add("origin", url)
    _set(writer, dolt_replicate_to_remote="origin", dolt_transaction_commit=1)

    reader = rdata / "primes_reader"
    os.makedirs(reader)
    store = DiskStore.open(str(reader))
    try:
        clone_into(Database(store), RemoteStore(open_backend(url)), "origin", None)
    finally:
        store.close()
    Remotes(str(reader)).add("origin", url)
    _set(reader, dolt_read_replica_remote="origin", dolt_replicate_all_heads=1, grove_read_replica_poll_ms=20)

    w = ServerThread(str(wdata)).start()
    r = ServerThread(str(rdata)).start()
    yield w, r
    w.stop()
    r.stop()


def test_writes_reach_the_replica_and_the_replica_refuses_writes(pair):
    w, r = pair
    wc = w.connect(database="primes_writer", autocommit=True)
    rc = r.connect(database="primes_reader", autocommit=True)
    with wc.cursor() as cur:
        cur.execute("create table primes (i int primary key, val int)")
        cur.execute("insert into primes values (37, 157)")
        cur.execute("show warnings")
        assert cur.fetchall() == ()  # the synchronous push succeeded: no warning
        cur.execute("select dolt_hashof('HEAD')")
        (head,), = cur.fetchall()
        cur.execute("select role, branch, state from grove_replication_status")
        assert cur.fetchall() == (("primary", "main", "ok"),)
    with rc.cursor() as cur:
        cur.execute("call grove_wait_for_commit(%s, %s)", (head, WAIT_MS))
        cur.execute("select * from primes where i = 37")
        assert cur.fetchall() == ((37, 157),)
        cur.execute("select @@read_only")
        assert cur.fetchall() == ((1,),)
        cur.execute("select dolt_hashof_table('primes')")
        table_hash = cur.fetchall()
        for statement in ("insert into primes values (38, 163)", "update primes set val = 0",
                          "delete from primes", "create table t (i int primary key)", "drop table primes",
                          "truncate table primes", "call dolt_commit('-Am', 'x')",
                          "replace into primes values (37, 1)", "alter table primes add column x int"):
            with pytest.raises(pymysql.err.OperationalError) as e:
                cur.execute(statement)
            assert e.value.args[0] == 1290 and "--read-only" in e.value.args[1], statement
        cur.execute("select dolt_hashof_table('primes')")
        assert cur.fetchall() == table_hash
        cur.execute("set @@persist.grove_read_replica_poll_ms = 25")  # still allowed
        cur.execute("select role, branch, state from grove_replication_status")
        assert ("replica", "main", "ok") in cur.fetchall()
        with pytest.raises(pymysql.err.OperationalError) as e:
            cur.execute("call grove_wait_for_commit(%s, 50)", ("0" * 32,))
        assert e.value.args[0] == 1105 and "within 50 ms" in e.value.args[1]


def test_every_autocommit_insert_is_pushed(pair):
    w, r = pair
    wc = w.connect(database="primes_writer", autocommit=True)
    with wc.cursor() as cur:
        cur.execute("create table t (i int primary key)")
        for i in range(20):
            cur.execute("insert into t values (%s)", (i,))
        cur.execute("select dolt_hashof('HEAD')")
        (head,), = cur.fetchall()
    rc = r.connect(database="primes_reader", autocommit=True)
    with rc.cursor() as cur:
        cur.execute("call grove_wait_for_commit(%s, %s)", (head, WAIT_MS))
        cur.execute("select count(*) from t")
        assert cur.fetchall() == ((20,),)
        cur.execute("select count(*) from dolt_log")
        (n,), = cur.fetchall()
        assert n >= 21  # every insert is a commit, and every one arrived


def test_both_replication_settings_on_a_replica_disable_it_with_a_clear_error(tmp_path):
    data = tmp_path / "data"
    db = data / "broken"
    init_database_dir(str(db))
    Remotes(str(db)).add("origin", f"file://{tmp_path / 'remote'}")
    _set(db, dolt_read_replica_remote="origin", dolt_replicate_all_heads=1, dolt_replicate_heads="main")
    s = ServerThread(str(data)).start()
    try:
        assert any("replication disabled for database broken" in line for line in s.log)
        c = s.connect(database="broken", autocommit=True)
        with c.cursor() as cur:
            cur.execute("select role, state, last_error from grove_replication_status")
            (role, state, error), = cur.fetchall()
            assert (role, state) == ("disabled", "error") and "exactly one of" in error
    finally:
        s.stop()
