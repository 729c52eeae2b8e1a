"""Two sessions, one thread: snapshot isolation, conflicts, retries, versioned commits.

Interleavings are made deterministic either by statement order (explicit
transactions) or, for autocommit retries, by running two asyncio tasks with
``yield_every = 1`` so each statement hands the loop over after every row.
Savepoints are also tested over the wire (pymysql against ``grove_server``).
"""

from __future__ import annotations

import asyncio
import os

import pymysql
import pytest

from sqlserver.databases import DatabaseProvider, init_database_dir
from sqlserver.engine import SessionState, driver, execute, execute_sync
from sqlserver.errors import SQLError


@pytest.fixture
def provider(tmp_path):
    init_database_dir(os.path.join(tmp_path, "db"))
    p = DatabaseProvider(str(tmp_path))
    yield p
    p.close()


def session(provider, **kw) -> SessionState:
    s = SessionState(provider, **kw)
    execute_sync(s, "USE db")
    return s


def q(s, sql):
    return execute_sync(s, sql)[-1]


def value(s, sql):
    return q(s, sql).rows[0][0]


@pytest.fixture
def counters(provider):
    s = session(provider)
    q(s, "CREATE TABLE c (id INT PRIMARY KEY, n INT NOT NULL)")
    q(s, "INSERT INTO c VALUES (1, 0), (2, 0)")
    return s


def test_disjoint_rows_both_commit(provider, counters):
    a, b = session(provider), session(provider)
    q(a, "BEGIN")
    q(b, "BEGIN")
    q(a, "UPDATE c SET n = n + 1 WHERE id = 1")
    q(b, "UPDATE c SET n = n + 5 WHERE id = 2")
    q(a, "COMMIT")
    q(b, "COMMIT")
    assert q(counters, "SELECT id, n FROM c ORDER BY id").rows == [(1, 1), (2, 5)]


def test_same_row_second_commit_fails(provider, counters):
    a, b = session(provider), session(provider)
    q(a, "BEGIN")
    q(b, "BEGIN")
    q(a, "UPDATE c SET n = n + 1 WHERE id = 1")
    q(b, "UPDATE c SET n = n + 1 WHERE id = 1")
    q(a, "COMMIT")
    with pytest.raises(SQLError) as e:
        q(b, "COMMIT")
    assert e.value.errno == 1213 and e.value.sqlstate == "40001"
    assert not b.in_transaction
    assert value(counters, "SELECT n FROM c WHERE id = 1") == 1


def test_snapshot_is_repeatable(provider, counters):
    a, b = session(provider), session(provider)
    q(a, "BEGIN")
    assert value(a, "SELECT n FROM c WHERE id = 1") == 0
    q(b, "UPDATE c SET n = 42 WHERE id = 1")  # autocommit: committed now
    assert value(a, "SELECT n FROM c WHERE id = 1") == 0
    assert value(a, "SELECT SUM(n) FROM c") == 0
    q(a, "COMMIT")
    assert value(a, "SELECT n FROM c WHERE id = 1") == 42


def test_select_for_update_counts_as_write(provider, counters):
    a, b = session(provider), session(provider)
    q(a, "BEGIN")
    assert q(a, "SELECT n FROM c WHERE id = 1 FOR UPDATE").rows == [(0,)]
    q(b, "UPDATE c SET n = 7 WHERE id = 1")
    with pytest.raises(SQLError) as e:
        q(a, "COMMIT")
    assert e.value.errno == 1213
    # a plain read of the same row does not conflict
    q(a, "BEGIN")
    q(a, "SELECT n FROM c WHERE id = 1")
    q(b, "UPDATE c SET n = 8 WHERE id = 1")
    q(a, "COMMIT")


def test_statement_rollback_inside_transaction(provider, counters):
    a = session(provider)
    q(a, "BEGIN")
    q(a, "INSERT INTO c VALUES (3, 3)")
    with pytest.raises(SQLError) as e:
        q(a, "INSERT INTO c VALUES (4, 4), (5, 5), (1, 1)")
    assert e.value.errno == 1062
    assert a.in_transaction
    q(a, "COMMIT")
    assert [r[0] for r in q(counters, "SELECT id FROM c ORDER BY id").rows] == [1, 2, 3]


async def _both(a, b, sql_a, sql_b):
    return await asyncio.gather(execute(a, sql_a), execute(b, sql_b), return_exceptions=True)


def test_autocommit_conflict_is_retried(provider, counters, monkeypatch):
    a, b = session(provider), session(provider)
    a.yield_every = b.yield_every = 1
    sql = "UPDATE c SET n = n + 1 WHERE id = 1"
    # without retries the interleaving really conflicts...
    monkeypatch.setattr(driver, "MAX_AUTOCOMMIT_RETRIES", 0)
    out = asyncio.run(_both(a, b, sql, sql))
    errors = [r for r in out if isinstance(r, SQLError)]
    assert [e.errno for e in errors] == [1213]
    assert value(counters, "SELECT n FROM c WHERE id = 1") == 1
    # ...and with them both statements succeed and n rises by exactly 2
    monkeypatch.setattr(driver, "MAX_AUTOCOMMIT_RETRIES", 20)
    out = asyncio.run(_both(a, b, sql, sql))
    assert all(r[0].affected_rows == 1 for r in out), out
    assert value(counters, "SELECT n FROM c WHERE id = 1") == 3


def test_concurrent_insert_same_new_key(provider, counters):
    a, b = session(provider), session(provider)
    a.yield_every = b.yield_every = 1
    out = asyncio.run(_both(a, b, "INSERT INTO c VALUES (9, 1)", "INSERT INTO c VALUES (9, 2)"))
    oks = [r for r in out if not isinstance(r, BaseException)]
    errors = [r for r in out if isinstance(r, SQLError)]
    assert len(oks) == 1 and [e.errno for e in errors] == [1062], out
    assert value(counters, "SELECT COUNT(*) FROM c WHERE id = 9") == 1


def test_unique_secondary_key_conflict(provider):
    a, b = session(provider), session(provider)
    q(a, "CREATE TABLE u (id INT PRIMARY KEY, email VARCHAR(20), UNIQUE KEY ue (email))")
    q(a, "BEGIN")
    q(b, "BEGIN")
    q(a, "INSERT INTO u VALUES (1, 'x@y')")
    q(b, "INSERT INTO u VALUES (2, 'x@y')")
    q(a, "COMMIT")
    with pytest.raises(SQLError) as e:
        q(b, "COMMIT")
    assert e.value.errno == 1213
    with pytest.raises(SQLError) as e:  # retried, the client now sees the duplicate
        q(b, "INSERT INTO u VALUES (2, 'x@y')")
    assert e.value.errno == 1062


def test_dolt_transaction_commit_adds_one_commit_per_write(provider, counters):
    a = session(provider)
    q(a, "SET dolt_transaction_commit = 1")
    before = value(a, "SELECT COUNT(*) FROM dolt_log")
    for i in range(3):
        q(a, f"INSERT INTO c VALUES ({10 + i}, {i})")
    q(a, "SELECT * FROM c")
    q(a, "BEGIN")
    q(a, "SELECT n FROM c WHERE id = 1")
    q(a, "COMMIT")
    assert value(a, "SELECT COUNT(*) FROM dolt_log") == before + 3
    assert value(a, "SELECT message FROM dolt_log LIMIT 1") == "Transaction commit"


def test_read_only_session(provider, counters):
    r = session(provider, read_only=True)
    assert value(r, "SELECT COUNT(*) FROM c") == 2
    for sql in ("INSERT INTO c VALUES (5, 5)", "UPDATE c SET n = 1", "DELETE FROM c",
                "CREATE TABLE z (a INT PRIMARY KEY)", "DROP TABLE c", "CALL dolt_commit('-Am', 'x')"):
        with pytest.raises(SQLError) as e:
            q(r, sql)
        assert (e.value.errno, e.value.sqlstate) == (1290, "HY000"), sql
        assert "--read-only" in e.value.message
    q(r, "SET @@persist.grove_read_replica_poll_ms = 75")
    assert value(session(provider), "SELECT @@grove_read_replica_poll_ms") == 75


# --- constraints and schema changes across concurrent transactions (issue 6 DDL) ---------------------


@pytest.fixture
def parent_child(provider):
    s = session(provider)
    q(s, "CREATE TABLE p (id INT PRIMARY KEY)")
    q(s, "CREATE TABLE ch (id INT PRIMARY KEY, pid INT, FOREIGN KEY (pid) REFERENCES p (id))")
    q(s, "INSERT INTO p VALUES (1), (2)")
    return s


def test_child_insert_then_parent_delete_commit_fails(provider, parent_child):
    a, b = session(provider), session(provider)
    q(a, "BEGIN")
    q(b, "BEGIN")
    q(a, "INSERT INTO ch VALUES (10, 1)")  # a relies on parent 1
    q(b, "DELETE FROM p WHERE id = 1")  # b's snapshot has no child of 1
    q(a, "COMMIT")
    with pytest.raises(SQLError) as e:
        q(b, "COMMIT")  # would orphan a's child
    assert e.value.errno == 1213
    assert q(parent_child, "SELECT id FROM p ORDER BY id").rows == [(1,), (2,)]
    with pytest.raises(SQLError) as e:  # the retry sees the child
        q(b, "DELETE FROM p WHERE id = 1")
    assert e.value.errno == 1451


def test_parent_delete_then_child_insert_commit_fails(provider, parent_child):
    a, b = session(provider), session(provider)
    q(a, "BEGIN")
    q(b, "BEGIN")
    q(b, "DELETE FROM p WHERE id = 1")
    q(a, "INSERT INTO ch VALUES (10, 1)")  # a's snapshot still has parent 1
    q(b, "COMMIT")
    with pytest.raises(SQLError) as e:
        q(a, "COMMIT")
    assert e.value.errno == 1213
    assert q(parent_child, "SELECT COUNT(*) FROM ch").rows == [(0,)]


def test_children_of_one_parent_do_not_conflict(provider, parent_child):
    a, b = session(provider), session(provider)
    q(a, "BEGIN")
    q(b, "BEGIN")
    q(a, "INSERT INTO ch VALUES (10, 1)")
    q(b, "INSERT INTO ch VALUES (11, 1)")
    q(a, "COMMIT")
    q(b, "COMMIT")
    assert q(parent_child, "SELECT id, pid FROM ch ORDER BY id").rows == [(10, 1), (11, 1)]


def test_alter_table_conflicts_with_concurrent_write(provider, counters):
    a, b = session(provider), session(provider)
    q(a, "BEGIN")
    q(a, "UPDATE c SET n = 5 WHERE id = 1")
    q(b, "ALTER TABLE c ADD COLUMN extra INT NOT NULL DEFAULT 3")  # commits implicitly
    with pytest.raises(SQLError) as e:
        q(a, "COMMIT")
    assert e.value.errno == 1213
    assert q(counters, "SELECT id, n, extra FROM c ORDER BY id").rows == [(1, 0, 3), (2, 0, 3)]


# --- savepoints ------------------------------------------------------------------------------------


def test_savepoint_rollback_then_commit_over_the_wire(grove_server):
    a, b = grove_server.connect(), grove_server.connect()
    ca, cb = a.cursor(), b.cursor()
    ca.execute("CREATE TABLE sv (id INT PRIMARY KEY, n INT, UNIQUE KEY un (n))")
    ca.execute("INSERT INTO sv VALUES (1, 10), (2, 20)")
    a.begin()
    ca.execute("INSERT INTO sv VALUES (3, 30)")
    ca.execute("SAVEPOINT keep")
    ca.execute("INSERT INTO sv VALUES (4, 40)")
    ca.execute("UPDATE sv SET n = 11 WHERE id = 1")
    ca.execute("DELETE FROM sv WHERE id = 2")
    b.begin()
    cb.execute("UPDATE sv SET n = 12 WHERE id = 1")  # rows a writes, then rolls back: b commits after a
    cb.execute("INSERT INTO sv VALUES (4, 41)")
    ca.execute("ROLLBACK TO SAVEPOINT keep")
    ca.execute("SELECT id, n FROM sv ORDER BY id")
    assert ca.fetchall() == ((1, 10), (2, 20), (3, 30))
    cb.execute("SELECT id, n FROM sv ORDER BY id")  # b does not see a's uncommitted rows
    assert cb.fetchall() == ((1, 12), (2, 20), (4, 41))
    a.commit()
    b.commit()  # no 1213: a's net writes (row 3) do not include the rows it rolled back
    for cur in (ca, cb):
        cur.execute("SELECT id, n FROM sv ORDER BY id")
        assert cur.fetchall() == ((1, 12), (2, 20), (3, 30), (4, 41))
    # and the other way round: b commits first, a's commit does not conflict on rolled-back rows
    a.begin()
    ca.execute("SAVEPOINT s")
    ca.execute("UPDATE sv SET n = n + 100 WHERE id = 2")
    ca.execute("ROLLBACK WORK TO SAVEPOINT s")
    ca.execute("INSERT INTO sv VALUES (5, 50)")
    cb.execute("UPDATE sv SET n = 22 WHERE id = 2")  # autocommit
    a.commit()
    ca.execute("SELECT id, n FROM sv ORDER BY id")
    assert ca.fetchall() == ((1, 12), (2, 22), (3, 30), (4, 41), (5, 50))
    with pytest.raises(pymysql.err.OperationalError) as e:  # COMMIT deleted the savepoint
        ca.execute("ROLLBACK TO s")
    assert e.value.args == (1305, "SAVEPOINT s does not exist")


def test_savepoint_keeps_row_locks(provider, counters):
    a, b = session(provider), session(provider)
    q(a, "BEGIN")
    q(a, "SAVEPOINT s")
    q(a, "SELECT n FROM c WHERE id = 1 FOR UPDATE")
    q(a, "ROLLBACK TO s")  # InnoDB keeps the row locks taken after the savepoint
    q(b, "UPDATE c SET n = 7 WHERE id = 1")
    with pytest.raises(SQLError) as e:
        q(a, "COMMIT")
    assert e.value.errno == 1213


def test_savepoint_covers_every_database_and_tables_opened_after_it(provider, counters):
    a = session(provider)
    q(a, "CREATE DATABASE db2")
    q(a, "CREATE TABLE db2.t (id INT PRIMARY KEY, v INT, KEY kv (v))")
    q(a, "CREATE TABLE d (id INT PRIMARY KEY)")
    q(a, "BEGIN")
    q(a, "UPDATE c SET n = 1 WHERE id = 1")
    q(a, "SAVEPOINT s")
    q(a, "UPDATE c SET n = 2 WHERE id = 2")
    q(a, "INSERT INTO d VALUES (1)")  # table first opened after the savepoint
    q(a, "INSERT INTO db2.t VALUES (1, 5)")  # database first used after the savepoint
    q(a, "SELECT id FROM d WHERE id = 1 FOR UPDATE")
    q(a, "ROLLBACK TO s")
    assert q(a, "SELECT COUNT(*) FROM d").rows == [(0,)]
    assert q(a, "SELECT COUNT(*) FROM db2.t WHERE v = 5").rows == [(0,)]
    q(a, "INSERT INTO db2.t VALUES (2, 6)")
    assert a.in_transaction
    q(a, "COMMIT")
    b = session(provider)
    assert q(b, "SELECT id, n FROM c ORDER BY id").rows == [(1, 1), (2, 0)]
    assert q(b, "SELECT COUNT(*) FROM d").rows == [(0,)]
    assert q(b, "SELECT id, v FROM db2.t").rows == [(2, 6)]
