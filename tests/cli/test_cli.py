"""The ``grove`` command line: every subcommand, its output formats and error paths (remotes, push,
pull, clone, branch and backups: ``test_remotes_cli.py``; shared fixtures: ``conftest.py``,
``helpers.py``).

Most tests call ``sqlserver.cli.main(argv)`` in this process (the same
function the console script runs; a subprocess costs a second of imports
each), with the working directory, stdin and ``GROVE_HOME`` set per test.
The store's flock is per open file description, so a database held by this
process still looks held to a second open here: in-process runs see the
same locking as separate processes.  What needs real processes does use
them: a ``grove sql-server`` subprocess that the CLI must route through
(and that fsck must refuse), and kill -9 of it, after which the CLI works
directly again.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys

import pymysql
import pytest

from storage.disk_store import lock_holder
from tests.cli.helpers import Server, env_for, ok, one_line_error


@pytest.fixture
def db(tmp_path, grove):
    """A fresh database directory named ``shop``."""
    path = tmp_path / "shop"
    path.mkdir()
    code, out, err = grove("init", cwd=path)
    assert code == 0, err
    return path


# --- where commands act ---------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [["status"], ["add", "."], ["commit", "-m", "x"], ["log"], ["fsck"],
                                  ["sql", "-q", "select 1"], ["config", "--local", "user.name", "x"]])
def test_commands_outside_a_database_say_so(grove, tmp_path, argv):
    empty = tmp_path / "empty"
    empty.mkdir()
    err = one_line_error(grove(*argv, cwd=empty))
    assert err.startswith(f"not a grove database: {empty}")


def test_init_makes_a_database_once(grove, tmp_path):
    d = tmp_path / "fresh"
    d.mkdir()
    out = ok(grove("init", cwd=d))
    assert "fresh" in out and (d / ".grove").is_dir()
    assert "Initialize data repository" in ok(grove("log", cwd=d))
    assert "already a grove database" in one_line_error(grove("init", cwd=d))


def test_usage_errors_are_one_line_with_status_2(grove, db):
    assert "--bogus" in one_line_error(grove("commit", "--bogus", cwd=db), code=2)
    assert "xml" in one_line_error(grove("sql", "-r", "xml", "-q", "select 1", cwd=db), code=2)
    assert "invalid choice" in one_line_error(grove("frobnicate", cwd=db), code=2)
    assert "message" in one_line_error(grove("commit", cwd=db), code=2)
    assert "Name <email>" in one_line_error(grove("commit", "-m", "x", "--author", "nobody", cwd=db), code=2)


@pytest.mark.parametrize("command", ["init", "sql", "sql-server", "status", "add", "commit", "log", "fsck", "config",
                                     "remote", "push", "pull", "fetch", "clone", "branch", "backup"])
def test_every_command_has_help(grove, tmp_path, command):
    code, out, err = grove(command, "--help", cwd=tmp_path)
    assert code == 0 and f"usage: grove {command}" in out
    code, out2, _ = grove("help", command, cwd=tmp_path)
    assert code == 0 and out2 == out


# --- grove sql ----------------------------------------------------------------------------------------


def test_unknown_table_is_the_mysql_error_line(grove, db):
    err = one_line_error(grove("sql", "-q", "select * from nope", cwd=db))
    assert err == "ERROR 1146 (42S02): Table 'shop.nope' doesn't exist"


def test_statements_run_in_order_and_stop_at_the_first_error(grove, db):
    one_line_error(grove("sql", "-q", "create table t (i int primary key); insert into t values (1);"
                                      "insert into nope values (2); insert into t values (3)", cwd=db))
    out = ok(grove("sql", "-r", "csv", "-q", "select i from t", cwd=db))
    assert out == "i\n1\n"


def test_empty_query_is_an_error(grove, db):
    assert one_line_error(grove("sql", "-q", " ; ", cwd=db)).startswith("ERROR 1065 (42000)")


@pytest.fixture
def items(db, grove):
    ok(grove("sql", "-q", "create table items (id int primary key, name varchar(20), price decimal(6,2));"
                          "insert into items values (1, 'apple', 1.50), (2, 'kiwi, green', null), (10, 'fig', 12.00)",
             cwd=db))
    return db


def test_table_format_is_the_mysql_box(grove, items):
    out = ok(grove("sql", "-q", "select * from items order by id", cwd=items))
    assert out == (
        "+----+-------------+-------+\n"
        "| id | name        | price |\n"
        "+----+-------------+-------+\n"
        "|  1 | apple       |  1.50 |\n"
        "|  2 | kiwi, green |  NULL |\n"
        "| 10 | fig         | 12.00 |\n"
        "+----+-------------+-------+\n"
    )
    # statements without a result set report changed rows only
    assert ok(grove("sql", "-q", "update items set price = 2 where id < 3", cwd=items)) == \
        "Query OK, 2 rows affected\nRows matched: 2  Changed: 2  Warnings: 0\n"
    assert ok(grove("sql", "-q", "create table other (i int primary key)", cwd=items)) == ""


def test_csv_format_has_a_header_row(grove, items):
    out = ok(grove("sql", "-r", "csv", "-q", "select * from items order by id", cwd=items))
    assert out == 'id,name,price\n1,apple,1.50\n2,"kiwi, green",\n10,fig,12.00\n'
    assert ok(grove("sql", "-r", "csv", "-q", "select * from items where id > 99", cwd=items)) == "id,name,price\n"


def test_json_format_keeps_numbers_exact(grove, items):
    out = ok(grove("sql", "-r", "json", "-q", "select * from items order by id", cwd=items))
    assert out.endswith("\n") and out.count("\n") == 1
    assert out == ('{"rows": [{"id": 1, "name": "apple", "price": 1.50}, '
                   '{"id": 2, "name": "kiwi, green", "price": null}, '
                   '{"id": 10, "name": "fig", "price": 12.00}]}\n')
    assert json.loads(out)["rows"][2] == {"id": 10, "name": "fig", "price": 12.0}


def test_sql_reads_statements_from_stdin(grove, items):
    out = ok(grove("sql", "-r", "csv", cwd=items,
                   stdin="select count(*) as n from items;\n-- a comment\nselect max(id) as m from items;\n"))
    assert out == "n\n3\nm\n10\n"


def test_set_persist_lands_in_the_database_config(grove, db):
    ok(grove("sql", "-q", "set @@persist.max_connections = 77", cwd=db))
    with open(db / ".grove" / "config.json") as f:
        assert json.load(f)["sqlserver.global.max_connections"] == 77


def test_sql_in_a_directory_of_databases(grove, tmp_path):
    data = tmp_path / "data"
    for name in ("alpha", "beta"):
        (data / name).mkdir(parents=True)
        ok(grove("init", cwd=data / name))
    assert ok(grove("sql", "-r", "csv", "-q", "show databases", cwd=data)).split("\n")[1:].count("alpha") == 1
    assert one_line_error(grove("sql", "-q", "select * from t", cwd=data)).startswith("ERROR 1046 (3D000)")
    out = ok(grove("sql", "-r", "csv", "-q", "use beta; create table t (i int primary key); insert into t values (5);"
                                              "select database() as d, i from t", cwd=data))
    assert out == "d,i\nbeta,5\n"
    assert ok(grove("sql", "-r", "csv", "-q", "select i from t", cwd=data / "beta")) == "i\n5\n"


# --- status, add, commit, log ----------------------------------------------------------------------


def test_status_groups_tables_as_dolt_does(grove, db):
    assert "nothing to commit, working tree clean" in ok(grove("status", cwd=db))
    ok(grove("sql", "-q", "create table t (i int primary key); create table u (i int primary key)", cwd=db))
    out = ok(grove("status", cwd=db))
    untracked = out[out.index("Untracked tables:"):]
    assert re.search(r"^\tnew table:\s+t$", untracked, re.M) and re.search(r"^\tnew table:\s+u$", untracked, re.M)
    assert "Changes to be committed" not in out

    ok(grove("add", "t", cwd=db))
    out = ok(grove("status", cwd=db))
    staged, untracked = out.split("Untracked tables:")
    assert "Changes to be committed:" in staged and re.search(r"new table:\s+t$", staged, re.M)
    assert re.search(r"new table:\s+u$", untracked, re.M) and not re.search(r"\st$", untracked, re.M)

    ok(grove("commit", "-m", "t only", cwd=db))
    ok(grove("sql", "-q", "insert into t values (1)", cwd=db))
    out = ok(grove("status", cwd=db))
    assert "Changes not staged for commit:" in out and re.search(r"^\tmodified:\s+t$", out, re.M)


def test_add_of_an_unknown_table_fails(grove, db):
    assert "nope" in one_line_error(grove("add", "nope", cwd=db))


def test_commit_and_log(grove, db):
    ok(grove("sql", "-q", "create table t (i int primary key)", cwd=db))
    out = ok(grove("commit", "-Am", "add t", cwd=db))
    address = re.match(r"commit ([0-9a-v]{32})\n", out).group(1)
    log = ok(grove("log", cwd=db))
    assert log.startswith(f"commit {address} (HEAD -> main)\nAuthor: root <root@localhost>\nDate:  ")
    assert "\tadd t\n" in log and "\tInitialize data repository\n" in log
    assert log.index("add t") < log.index("Initialize data repository")
    assert ok(grove("log", "-n", "1", cwd=db)).count("commit ") == 1
    assert ok(grove("log", "--oneline", cwd=db)).splitlines()[0] == f"{address} (HEAD -> main) add t"

    assert "nothing to commit" in one_line_error(grove("commit", "-m", "again", cwd=db))
    ok(grove("commit", "--allow-empty", "-m", "empty", cwd=db))
    assert ok(grove("log", "-n", "1", "--oneline", cwd=db)).endswith(" empty\n")


def test_commit_a_stages_changes_but_not_new_tables(grove, db):
    ok(grove("sql", "-q", "create table t (i int primary key)", cwd=db))
    ok(grove("commit", "-Am", "t", cwd=db))
    ok(grove("sql", "-q", "insert into t values (1); create table n (i int primary key)", cwd=db))
    ok(grove("commit", "-am", "rows of t", cwd=db))
    out = ok(grove("status", cwd=db))
    assert re.search(r"new table:\s+n$", out, re.M) and not re.search(r"\st$", out, re.M)


def test_commit_author_from_config_flag_and_default(grove, db, home):
    ok(grove("sql", "-q", "create table t (i int primary key)", cwd=db))
    ok(grove("commit", "-Am", "default identity", cwd=db))
    assert "Author: root <root@localhost>" in ok(grove("log", "-n", "1", cwd=db))

    ok(grove("config", "--global", "user.name", "Ada Lovelace", cwd=db))
    ok(grove("config", "--global", "--add", "user.email", "ada@example.com", cwd=db))
    assert json.loads((home / "config.json").read_text())["user.name"] == "Ada Lovelace"
    out = ok(grove("commit", "--allow-empty", "-m", "global identity", cwd=db))
    assert "Author: Ada Lovelace <ada@example.com>" in out

    ok(grove("config", "--local", "user.email", "ada@shop.example", cwd=db))  # local beats global
    assert ok(grove("config", "--get", "user.email", cwd=db)) == "ada@shop.example\n"
    assert ok(grove("config", "--global", "--get", "user.email", cwd=db)) == "ada@example.com\n"
    ok(grove("commit", "--allow-empty", "-m", "local email", cwd=db))
    assert "Author: Ada Lovelace <ada@shop.example>" in ok(grove("log", "-n", "1", cwd=db))

    out = ok(grove("commit", "--allow-empty", "-m", "flag", "--author", "Bob Byte <bob@example.com>", cwd=db))
    assert "Author: Bob Byte <bob@example.com>" in out

    listing = ok(grove("config", "--list", cwd=db))
    assert "user.name = Ada Lovelace\n" in listing and "user.email = ada@shop.example\n" in listing
    ok(grove("config", "--local", "--unset", "user.email", cwd=db))
    assert ok(grove("config", "user.email", cwd=db)) == "ada@example.com\n"
    code, out, err = grove("config", "--get", "no.such.key", cwd=db)
    assert (code, out, err) == (1, "", "")


def test_config_global_works_anywhere(grove, tmp_path):
    ok(grove("config", "--global", "user.name", "Anywhere", cwd=tmp_path))
    assert ok(grove("config", "--get", "user.name", cwd=tmp_path)) == "Anywhere\n"
    assert "exactly one" in one_line_error(grove("config", "--list", "--get", "x", cwd=tmp_path), code=2)


def test_fsck_checks_a_closed_database(grove, db):
    ok(grove("sql", "-q", "create table t (i int primary key); insert into t values (1), (2)", cwd=db))
    out = ok(grove("fsck", cwd=db))
    assert out.startswith("fsck: ") and out.rstrip().endswith(": ok")


def test_commands_release_the_store(grove, db):
    """Every command closes what it opened, so the next process (a server) can take the directory."""
    for argv in (["sql", "-q", "create table t (i int primary key)"], ["status"], ["add", "."],
                 ["commit", "-m", "x"], ["log"], ["fsck"]):
        ok(grove(*argv, cwd=db))
        assert lock_holder(str(db)) is None, argv


# --- one process owns a database: routing through a running server ----------------------------------


@pytest.fixture
def served(items, home):
    server = Server(items, home)
    yield items, server
    server.stop()


def test_sql_goes_through_the_server_that_holds_the_database(grove, served, home):
    path, server = served
    assert lock_holder(str(path)) == server.proc.pid
    assert ok(grove("sql", "-q", "insert into items values (3, 'pear', 0.99)", cwd=path)) == "Query OK, 1 row affected\n"
    assert ok(grove("sql", "-q", "update items set price = price + 1 where id <= 3", cwd=path)) == \
        "Query OK, 2 rows affected\nRows matched: 3  Changed: 2  Warnings: 0\n"  # NULL + 1 changes nothing
    out = ok(grove("sql", "-q", "select id, name from items where id = 3", cwd=path))
    assert out == "+----+------+\n| id | name |\n+----+------+\n|  3 | pear |\n+----+------+\n"
    assert ok(grove("sql", "-r", "csv", "-q", "select * from items order by id desc limit 1", cwd=path)) == \
        "id,name,price\n10,fig,12.00\n"
    assert one_line_error(grove("sql", "-q", "select * from nope", cwd=path)) == \
        "ERROR 1146 (42S02): Table 'shop.nope' doesn't exist"
    ok(grove("sql", "-q", "set @@persist.max_connections = 55", cwd=path))
    assert json.loads((path / ".grove" / "config.json").read_text())["sqlserver.global.max_connections"] == 55

    # the server itself sees the row: it really went through it
    conn = pymysql.connect(host="127.0.0.1", port=server.port, user="root", password="", database="shop")
    with conn.cursor() as cur:
        cur.execute("select name from items where id = 3")
        assert cur.fetchall() == (("pear",),)
    conn.close()

    # and so does the real console entry point, in its own process
    proc = subprocess.run([sys.executable, "-m", "sqlserver.cli", "sql", "-r", "csv", "-q",
                           "select count(*) as n from items"], cwd=path, env=env_for(home), capture_output=True,
                          text=True, timeout=60)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "n\n4\n", "")


def test_versioning_commands_through_the_server(grove, served):
    path, server = served
    ok(grove("commit", "-Am", "items via server", cwd=path))
    log = ok(grove("log", "-n", "1", cwd=path))
    assert log.startswith("commit ") and "(HEAD -> main)" in log and "\titems via server\n" in log
    ok(grove("sql", "-q", "create table more (i int primary key)", cwd=path))
    ok(grove("add", "more", cwd=path))
    ok(grove("commit", "-m", "more", "--author", "Via Server <via@example.com>", cwd=path))
    assert "Author: Via Server <via@example.com>" in ok(grove("log", "-n", "1", cwd=path))
    assert "nothing to commit" in one_line_error(grove("commit", "-m", "nothing", cwd=path))
    assert "nothing to commit, working tree clean" in ok(grove("status", cwd=path))
    ok(grove("sql", "-q", "create table untracked_one (i int primary key)", cwd=path))
    out = ok(grove("status", cwd=path))  # read from the server's dolt_status
    assert "Untracked tables:" in out and "untracked_one" in out


def test_a_database_created_while_serving_is_held_routed_and_served_again(grove, tmp_path, home):
    data = tmp_path / "data"
    data.mkdir()
    server = Server(data, home)  # empty directory: serves nothing yet
    try:
        conn = pymysql.connect(host="127.0.0.1", port=server.port, user="root", password="", autocommit=True)
        with conn.cursor() as cur:
            cur.execute("create database fresh")
            cur.execute("create table fresh.t (i int primary key)")
        conn.close()
        assert lock_holder(str(data / "fresh")) == server.proc.pid
        ok(grove("sql", "-q", "insert into t values (1), (2)", cwd=data / "fresh"))  # through the server
    finally:
        server.stop()
    server = Server(data, home)  # after a restart the created database is served again
    try:
        conn = pymysql.connect(host="127.0.0.1", port=server.port, user="root", password="")
        with conn.cursor() as cur:
            cur.execute("show databases")
            assert ("fresh",) in cur.fetchall()
            cur.execute("select count(*) from fresh.t")
            assert cur.fetchall() == ((2,),)
        conn.close()
    finally:
        server.stop()


def test_fsck_refuses_while_a_server_holds_the_database(grove, served):
    path, server = served
    err = one_line_error(grove("fsck", cwd=path))
    assert f"pid {server.proc.pid}" in err and f"port {server.port}" in err


def test_after_kill_9_the_cli_works_directly_again(grove, served):
    path, server = served
    ok(grove("sql", "-q", "insert into items values (4, 'plum', 2.00)", cwd=path))
    os.kill(server.proc.pid, signal.SIGKILL)
    server.proc.wait(timeout=30)
    assert (path / ".grove" / "sql-server.json").exists()  # left behind: the flock says it is stale
    assert lock_holder(str(path)) is None
    assert ok(grove("sql", "-r", "csv", "-q", "select name from items where id = 4", cwd=path)) == "name\nplum\n"
    assert ok(grove("fsck", cwd=path)).rstrip().endswith(": ok")
    ok(grove("commit", "-Am", "after the crash", cwd=path))
    assert "after the crash" in ok(grove("log", "-n", "1", cwd=path))


def test_a_database_held_by_another_process_is_refused(grove, db):
    """Not a server (no sql-server.json): nothing to route to, so one line naming the holder."""
    from sqlserver.databases import SqlDatabase

    holder = SqlDatabase("shop", str(db))  # this process holds it, as another CLI command would
    try:
        for argv in (["sql", "-q", "select 1"], ["status"], ["fsck"]):
            assert "in use by process" in one_line_error(grove(*argv, cwd=db)), argv
    finally:
        holder.close()
    ok(grove("status", cwd=db))
