"""The remote procedures and system tables over the MySQL protocol (pymysql, file:// remotes).

CALL dolt_remote / dolt_push / dolt_fetch / dolt_pull / dolt_clone /
dolt_backup / dolt_branch against the ``grove_server`` fixture (database
``db``), and the tables that show their effects: dolt_remotes,
dolt_branches, dolt_remote_branches.  Clones and restores become new
databases of the same server, so one server plays both ends of a pull.
"""

from __future__ import annotations

import json
import os

import pymysql
import pytest

from storage.disk_store import lock_holder
from tests.conftest import ServerThread

BRANCH_COLUMNS = ["name", "hash", "latest_committer", "latest_committer_email", "latest_commit_date",
                  "latest_commit_message"]


def rows(conn, sql: str) -> list[tuple]:
    with conn.cursor() as cur:
        cur.execute(sql)
        return list(cur.fetchall())


def columns(conn, sql: str) -> list[str]:
    with conn.cursor() as cur:
        cur.execute(sql)
        cur.fetchall()
        return [d[0] for d in cur.description]


def error(conn, sql: str) -> tuple[int, str]:
    with pytest.raises(pymysql.MySQLError) as e:
        with conn.cursor() as cur:
            cur.execute(sql)
    return e.value.args[0], e.value.args[1]


@pytest.fixture
def remote(tmp_path):
    return f"file://{tmp_path / 'remote'}"


@pytest.fixture
def pushed(grove_server, remote):
    """``db`` with table t (2 rows) committed, origin configured, main pushed; its connection."""
    conn = grove_server.connect()
    for sql in ("CREATE TABLE t (id INT PRIMARY KEY AUTO_INCREMENT, v VARCHAR(10))",
                "INSERT INTO t (v) VALUES ('a'), ('b')", "CALL dolt_commit('-Am', 'two rows')",
                f"CALL dolt_remote('add', 'origin', '{remote}')"):
        rows(conn, sql)
    assert rows(conn, "CALL dolt_push('--set-upstream', 'origin', 'main')") == [(0, "* [new branch] main -> main")]
    return conn


def test_dolt_remote_and_dolt_remotes(grove_server, tmp_path, remote):
    conn = grove_server.connect()
    assert columns(conn, "SELECT * FROM dolt_remotes") == ["name", "url", "fetch_specs", "params"]
    assert rows(conn, f"CALL dolt_remote('add', 'origin', '{remote}')") == [(0,)]
    rows(conn, "CALL dolt_remote('add', 'aws', 'aws://[grove_manifests:grove-bucket]/dbs/db')")
    got = rows(conn, "SELECT name, url, fetch_specs, params FROM dolt_remotes ORDER BY name")
    assert [(n, u) for n, u, _, _ in got] == [("aws", "aws://[grove_manifests:grove-bucket]/dbs/db"),
                                              ("origin", remote)]
    assert json.loads(got[1][2]) == ["refs/heads/*:refs/remotes/origin/*"] and json.loads(got[1][3]) == {}

    assert error(conn, f"CALL dolt_remote('add', 'origin', '{remote}')") == (1105, "remote 'origin' already exists")
    errno, message = error(conn, "CALL dolt_remote('add', 'x', 'http://example.com/db')")
    assert errno == 1105 and message.startswith("bad remote URL 'http://example.com/db': unknown scheme 'http'")
    assert error(conn, "CALL dolt_remote('remove', 'nope')") == (1105, "unknown remote 'nope'")
    assert error(conn, "CALL dolt_remote('frobnicate')")[0] == 1105
    assert error(conn, "CALL dolt_remote('add', 'x')")[1].startswith("dolt_remote: wrong number of arguments")
    rows(conn, "CALL dolt_remote('rm', 'aws')")
    assert rows(conn, "SELECT name FROM dolt_remotes") == [("origin",)]
    with open(os.path.join(grove_server.data_dir, "db", ".grove", "remotes.json")) as f:
        assert json.load(f)["remotes"] == {"origin": {"url": remote}}


def test_push_fetch_and_the_branch_tables(pushed, remote):
    conn = pushed
    assert columns(conn, "SELECT * FROM dolt_branches") == BRANCH_COLUMNS
    assert columns(conn, "SELECT * FROM dolt_remote_branches") == BRANCH_COLUMNS
    (main,) = rows(conn, "SELECT * FROM dolt_branches")
    assert main[0] == "main" and main[1] == rows(conn, "SELECT dolt_hashof('main')")[0][0]
    assert main[2:4] == ("root", "root@localhost") and main[5] == "two rows"
    assert rows(conn, "SELECT name, hash FROM dolt_remote_branches") == [("remotes/origin/main", main[1])]

    assert rows(conn, "CALL dolt_push('origin', 'main')") == [(0, "Everything up-to-date")]
    assert rows(conn, "CALL dolt_push()") == [(0, "Everything up-to-date")]  # main's upstream
    assert rows(conn, "CALL dolt_push('origin', 'main:copy')") == [(0, "* [new branch] main -> copy")]
    rows(conn, "CALL dolt_fetch()")
    assert rows(conn, "SELECT name FROM dolt_remote_branches") == [("remotes/origin/copy",), ("remotes/origin/main",)]
    assert rows(conn, "CALL dolt_push('origin', ':copy')") == [(0, "- [deleted] copy")]
    assert rows(conn, "CALL dolt_fetch('--prune', 'origin')") == [(0,)]
    assert rows(conn, "SELECT name FROM dolt_remote_branches") == [("remotes/origin/main",)]

    assert error(conn, "CALL dolt_push('nope', 'main')") == (1105, "unknown remote 'nope'")
    assert error(conn, "CALL dolt_push('--frobnicate', 'origin')") == (1105, "error: unknown option `--frobnicate'")
    assert error(conn, "CALL dolt_fetch('origin', 'nope')") == (1105, "remote origin has no branch nope")
    assert rows(conn, "SELECT active_branch()") == [("main",)]


def test_dolt_clone_serves_a_new_database(grove_server, pushed, remote):
    conn = pushed
    assert rows(conn, f"CALL dolt_clone('{remote}', 'copy')") == [(0,)]
    assert ("copy",) in rows(conn, "SHOW DATABASES")
    assert lock_holder(os.path.join(grove_server.data_dir, "copy")) == os.getpid()  # held by the server
    assert rows(conn, "SELECT id, v FROM copy.t ORDER BY id") == [(1, "a"), (2, "b")]
    rows(conn, f"CALL dolt_clone('{remote}')")  # named after the URL's last path component
    assert rows(conn, "SELECT COUNT(*) FROM remote.t") == [(2,)]

    assert error(conn, f"CALL dolt_clone('{remote}', 'copy')") == (1007, "Can't create database 'copy'; "
                                                                          "database exists")
    errno, message = error(conn, f"CALL dolt_clone('{remote}-nothing', 'empty')")
    assert errno == 1105 and "holds no database" in message
    assert not os.path.exists(os.path.join(grove_server.data_dir, "empty"))
    assert ("empty",) not in rows(conn, "SHOW DATABASES")

    other = grove_server.connect(database="copy")
    assert rows(other, "SELECT name, url FROM dolt_remotes") == [("origin", remote)]
    assert rows(other, "SELECT name FROM dolt_branches") == [("main",)]


def test_dolt_pull_fast_forward_and_merge(grove_server, pushed, remote):
    conn = pushed
    rows(conn, f"CALL dolt_clone('{remote}', 'copy')")
    copy = grove_server.connect(database="copy")
    rows(copy, "INSERT INTO t (v) VALUES ('c')")
    rows(copy, "CALL dolt_commit('-am', 'c')")
    rows(copy, "CALL dolt_push()")

    assert columns(conn, "CALL dolt_pull('origin')") == ["fast_forward", "conflicts", "message"]
    assert rows(conn, "SELECT v FROM t ORDER BY id") == [("a",), ("b",), ("c",)]
    assert rows(conn, "CALL dolt_pull()") == [(0, 0, "Everything up-to-date")]

    # both sides move: a merge commit, made by the configured identity
    rows(copy, "CREATE TABLE u (i INT PRIMARY KEY)")
    rows(copy, "CALL dolt_commit('-Am', 'u')")
    rows(copy, "CALL dolt_push()")
    rows(conn, "UPDATE t SET v = 'A' WHERE id = 1")
    rows(conn, "CALL dolt_commit('-am', 'A')")
    ((ff, conflicts, message),) = rows(conn, "CALL dolt_pull('origin', 'main')")
    assert (ff, conflicts) == (0, 0) and message.startswith("Merge of origin/main into main: commit ")
    assert rows(conn, "SELECT message, committer FROM dolt_log LIMIT 1") == \
        [("Merge branch 'origin/main' into main", "root")]
    assert rows(conn, "SHOW TABLES") == [("t",), ("u",)]
    assert rows(conn, "SELECT COUNT(*) FROM dolt_status") == [(0,)]
    # keys the pull brought in are never handed out again
    rows(conn, "INSERT INTO t (v) VALUES ('d')")
    assert rows(conn, "SELECT id FROM t WHERE v = 'd'") == [(4,)]


def test_dolt_pull_conflict_changes_nothing(grove_server, pushed, remote):
    conn = pushed
    rows(conn, f"CALL dolt_clone('{remote}', 'copy')")
    copy = grove_server.connect(database="copy")
    rows(copy, "UPDATE t SET v = 'theirs' WHERE id = 1")
    rows(copy, "CALL dolt_commit('-am', 'theirs')")
    rows(copy, "CALL dolt_push()")
    rows(conn, "UPDATE t SET v = 'ours' WHERE id = 1")
    rows(conn, "CALL dolt_commit('-am', 'ours')")
    head = rows(conn, "SELECT dolt_hashof('main')")
    errno, message = error(conn, "CALL dolt_pull()")
    assert errno == 1105 and "has conflicts; nothing was changed" in message
    assert rows(conn, "SELECT dolt_hashof('main')") == head
    assert rows(conn, "SELECT v FROM t WHERE id = 1") == [("ours",)]
    errno, message = error(conn, "CALL dolt_push()")
    assert errno == 1105 and "not a fast-forward" in message
    assert rows(conn, "CALL dolt_push('--force')")[0][1].endswith("main -> main (forced update)")


def test_procedures_commit_the_open_transaction_first(grove_server, pushed, remote):
    conn = pushed
    rows(conn, f"CALL dolt_clone('{remote}', 'copy')")
    copy = grove_server.connect(database="copy")
    rows(copy, "INSERT INTO t (v) VALUES ('c')")
    rows(copy, "CALL dolt_commit('-am', 'c')")
    rows(copy, "CALL dolt_push()")

    other = grove_server.connect(autocommit=False)
    rows(other, "SELECT COUNT(*) FROM t")  # snapshot taken before the pull ...
    rows(other, "UPDATE t SET v = 'late' WHERE id = 2")  # ... and a write to a table the pull changes

    rows(conn, "CREATE TABLE notes (i INT PRIMARY KEY)")
    rows(conn, "CALL dolt_add('notes')")
    rows(conn, "BEGIN")
    rows(conn, "INSERT INTO notes VALUES (1)")
    assert rows(grove_server.connect(), "SELECT COUNT(*) FROM notes") == [(0,)]
    assert rows(conn, "CALL dolt_pull()")[0][0] == 1
    rows(conn, "ROLLBACK")  # nothing left to roll back: the pull committed the transaction first, like DDL
    watcher = grove_server.connect()
    assert rows(watcher, "SELECT COUNT(*) FROM notes") == [(1,)]  # carried through the pull, uncommitted
    assert rows(watcher, "SELECT v FROM t ORDER BY id") == [("a",), ("b",), ("c",)]
    assert {name for name, in rows(watcher, "SELECT table_name FROM dolt_status")} == {"notes"}

    # the transaction opened before the pull wrote a table the pull changed: it must restart
    with pytest.raises(pymysql.MySQLError) as e:
        other.commit()
    assert e.value.args[0] == 1213
    assert rows(other, "SELECT v FROM t WHERE id = 2") == [("b",)]
    other.rollback()

    # an uncommitted write to a table the next pull changes: committed first, then the pull refuses
    rows(copy, "INSERT INTO t (v) VALUES ('d')")
    rows(copy, "CALL dolt_commit('-am', 'd')")
    rows(copy, "CALL dolt_push()")
    rows(conn, "BEGIN")
    rows(conn, "UPDATE t SET v = 'mine' WHERE id = 1")
    errno, message = error(conn, "CALL dolt_pull()")
    assert errno == 1105 and "your uncommitted changes to t would be overwritten" in message
    assert rows(watcher, "SELECT v FROM t WHERE id = 1") == [("mine",)]
    assert rows(watcher, "SELECT COUNT(*) FROM t") == [(3,)]


def test_dolt_backup_sync_and_restore(grove_server, pushed, tmp_path):
    conn = pushed
    url = f"file://{tmp_path / 'backup'}"
    rows(conn, "CREATE TABLE draft (i INT PRIMARY KEY)")  # uncommitted: in the backup all the same
    assert rows(conn, f"CALL dolt_backup('add', 'b1', '{url}')") == [(0,)]
    assert rows(conn, "CALL dolt_backup('sync', 'b1')") == [(0,)]
    assert error(conn, "CALL dolt_backup('sync', 'nope')") == (1105, "unknown backup 'nope'")
    assert rows(conn, "SELECT name FROM dolt_remotes") == [("origin",)]  # backups are not remotes
    assert rows(conn, f"CALL dolt_backup('restore', '{url}', 'restored')") == [(0,)]
    restored = grove_server.connect(database="restored")
    assert rows(restored, "SELECT table_name, status FROM dolt_status") == [("draft", "new table")]
    assert rows(conn, "SELECT COUNT(*) FROM restored.t") == [(2,)]

    rows(conn, "INSERT INTO t (v) VALUES ('c')")
    rows(conn, f"CALL dolt_backup('sync-url', '{url}')")
    assert error(conn, f"CALL dolt_backup('restore', '{url}', 'restored')")[0] == 1007
    rows(conn, f"CALL dolt_backup('restore', '--force', '{url}', 'restored')")
    assert rows(conn, "SELECT COUNT(*) FROM restored.t") == [(3,)]
    rows(conn, "CALL dolt_backup('remove', 'b1')")
    assert error(conn, "CALL dolt_backup('sync', 'b1')") == (1105, "unknown backup 'b1'")


def test_dolt_branch(grove_server, pushed):
    conn = pushed
    assert rows(conn, "CALL dolt_branch('feature')") == [(0,)]
    rows(conn, "INSERT INTO t (v) VALUES ('c')")
    rows(conn, "CALL dolt_commit('-am', 'c')")
    rows(conn, "CALL dolt_branch('old', 'HEAD~1')")
    rows(conn, "CALL dolt_branch('-c', 'old', 'copied')")
    rows(conn, "CALL dolt_branch('-m', 'copied', 'renamed')")
    rows(conn, "CALL dolt_branch('tracking', 'origin/main')")
    assert rows(conn, "SELECT name FROM dolt_branches") == [("feature",), ("main",), ("old",), ("renamed",),
                                                            ("tracking",)]
    assert error(conn, "CALL dolt_branch('feature')") == (1105, "branch 'feature' already exists")
    assert error(conn, "CALL dolt_branch('-d', 'main')") == (1105, "cannot delete the checked out branch 'main'")
    rows(conn, "CALL dolt_branch('-d', 'old', 'renamed', 'tracking')")

    # -f moves an existing branch; one behind main is merged into it, so -d takes it
    rows(conn, "CALL dolt_branch('-f', 'feature', 'main')")
    assert rows(conn, "SELECT dolt_hashof('feature') = dolt_hashof('main')") == [(1,)]
    rows(conn, "CALL dolt_branch('-f', 'feature', 'HEAD~1')")
    rows(conn, "CALL dolt_branch('-d', 'feature')")
    assert rows(conn, "SELECT name FROM dolt_branches") == [("main",)]


def test_dolt_branch_d_refuses_an_unmerged_branch(grove_server, pushed, remote):
    conn = pushed
    rows(conn, f"CALL dolt_clone('{remote}', 'copy')")
    copy = grove_server.connect(database="copy")
    rows(copy, "INSERT INTO t (v) VALUES ('side')")
    rows(copy, "CALL dolt_commit('-am', 'side')")
    rows(copy, "CALL dolt_push('origin', 'main:side')")
    rows(conn, "CALL dolt_fetch()")
    rows(conn, "CALL dolt_branch('side', 'remotes/origin/side')")
    errno, message = error(conn, "CALL dolt_branch('-d', 'side')")
    assert errno == 1105 and message == "branch 'side' is not fully merged into 'main'; use -D to delete it anyway"
    rows(conn, "CALL dolt_branch('-D', 'side')")
    assert rows(conn, "SELECT name FROM dolt_branches") == [("main",)]


def test_a_read_only_server_refuses_the_writing_procedures(tmp_path, remote):
    from sqlserver.databases import init_database_dir

    data = str(tmp_path / "ro")
    init_database_dir(os.path.join(data, "db"))
    server = ServerThread(data, read_only=True).start()
    try:
        conn = server.connect()
        for sql in (f"CALL dolt_remote('add', 'origin', '{remote}')", "CALL dolt_push('origin', 'main')",
                    "CALL dolt_fetch()", "CALL dolt_pull()", f"CALL dolt_clone('{remote}', 'x')",
                    "CALL dolt_branch('b')", f"CALL dolt_backup('sync-url', '{remote}')"):
            errno, message = error(conn, sql)
            assert errno == 1290 and "--read-only" in message, sql
        assert rows(conn, "SELECT name FROM dolt_branches") == [("main",)]
        assert error(conn, "CALL no_such_proc()") == (1305, "PROCEDURE db.no_such_proc does not exist")
    finally:
        server.stop()
