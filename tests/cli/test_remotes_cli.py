"""``grove remote / push / pull / fetch / clone / branch / backup`` with file:// remotes.

Run in-process like test_cli.py (``grove`` fixture), so most tests cost
milliseconds; the last tests push and pull through a real ``grove
sql-server`` subprocess, as a user with a running server would, and check
that the server's sessions see what a pull brought in.
"""

from __future__ import annotations

import io
import re

import pymysql
import pytest

from sqlserver.cli_output import ProgressLine
from tests.cli.helpers import Server, ok, one_line_error


def csv(grove, cwd, query: str) -> list[list[str]]:
    """Rows of a query (header dropped), as text."""
    return [line.split(",") for line in ok(grove("sql", "-r", "csv", "-q", query, cwd=cwd)).splitlines()[1:]]


def head(grove, cwd, branch: str = "main") -> str:
    return csv(grove, cwd, f"select dolt_hashof('{branch}')")[0][0]


@pytest.fixture
def origin(tmp_path):
    return f"file://{tmp_path / 'remote'}"


@pytest.fixture
def shop(tmp_path, grove, origin):
    """A database with one committed table, remote origin configured, main pushed."""
    path = tmp_path / "shop"
    path.mkdir()
    ok(grove("init", cwd=path))
    ok(grove("sql", "-q", "create table items (id int primary key auto_increment, name varchar(20));"
                          "insert into items (name) values ('apple'), ('pear')", cwd=path))
    ok(grove("commit", "-Am", "items", cwd=path))
    ok(grove("remote", "add", "origin", origin, cwd=path))
    ok(grove("push", "-u", "origin", "main", cwd=path))
    return path


@pytest.fixture
def copy(tmp_path, grove, shop, origin):
    """A clone of ``shop`` (through the remote), in ``copy``."""
    ok(grove("clone", origin, "copy", cwd=tmp_path))
    return tmp_path / "copy"


# --- remote ---------------------------------------------------------------------------------------


def test_remote_add_list_remove(grove, tmp_path, shop, origin):
    assert ok(grove("remote", cwd=shop)) == "origin\n"
    assert ok(grove("remote", "-v", cwd=shop)) == f"origin\t{origin}\n"
    ok(grove("remote", "add", "backup-site", "file://relative/dir", cwd=shop))  # made absolute here
    assert f"backup-site\tfile://{shop}/relative/dir\n" in ok(grove("remote", "-v", cwd=shop))
    assert ok(grove("remote", cwd=shop)) == "backup-site\norigin\n"
    assert "already exists" in one_line_error(grove("remote", "add", "origin", origin, cwd=shop))
    err = one_line_error(grove("remote", "add", "x", "ftp://host/db", cwd=shop))
    assert err.startswith("grove remote add: bad remote URL 'ftp://host/db'")
    assert "aws://[table:bucket]/path" in one_line_error(grove("remote", "add", "x", "nourl", cwd=shop))
    assert "unknown remote 'nope'" in one_line_error(grove("remote", "remove", "nope", cwd=shop))
    ok(grove("remote", "rm", "backup-site", cwd=shop))
    assert ok(grove("remote", cwd=shop)) == "origin\n"
    # removing a remote drops its remote-tracking branches, as in git
    assert ok(grove("branch", "-r", cwd=shop)) == "  remotes/origin/main\n"
    ok(grove("remote", "remove", "origin", cwd=shop))
    assert ok(grove("branch", "-r", cwd=shop)) == ""
    assert "not a grove database" in one_line_error(grove("remote", cwd=tmp_path))


# --- push, clone, pull ----------------------------------------------------------------------------------


def test_clone_push_pull_round_trip(grove, shop, copy, origin):
    assert ok(grove("remote", "-v", cwd=copy)) == f"origin\t{origin}\n"
    assert csv(grove, copy, "select id, name from items order by id") == [["1", "apple"], ["2", "pear"]]
    assert ok(grove("branch", "-a", cwd=copy)) == "* main\n  remotes/origin/main\n"
    assert head(grove, copy) == head(grove, shop)

    ok(grove("sql", "-q", "insert into items (name) values ('fig')", cwd=copy))
    ok(grove("commit", "-am", "fig", cwd=copy))
    out = ok(grove("push", cwd=copy))  # a clone's main tracks origin/main
    assert re.fullmatch(r"[0-9a-v]{8}\.\.[0-9a-v]{8} main -> main\n", out), out
    assert ok(grove("push", cwd=copy)) == "Everything up-to-date\n"

    assert re.fullmatch(r"Fast-forward [0-9a-v]{8}\.\.[0-9a-v]{8}\n", ok(grove("pull", cwd=shop)))
    assert csv(grove, shop, "select name from items order by id") == [["apple"], ["pear"], ["fig"]]
    assert head(grove, shop) == head(grove, copy)
    assert ok(grove("pull", "origin", "main", cwd=shop)) == "Everything up-to-date\n"
    # the auto-increment counter continues after the pulled key
    ok(grove("sql", "-q", "insert into items (name) values ('kiwi')", cwd=shop))
    assert csv(grove, shop, "select id from items where name = 'kiwi'") == [["4"]]


def test_clone_of_a_branch_into_an_empty_directory(grove, tmp_path, shop, origin):
    ok(grove("branch", "feature", cwd=shop))
    ok(grove("push", "origin", "feature", cwd=shop))
    (tmp_path / "empty").mkdir()
    out = ok(grove("clone", "-b", "feature", origin, "empty", cwd=tmp_path))
    assert "branch feature" in out
    assert ok(grove("branch", cwd=tmp_path / "empty")) == "* feature\n"
    (tmp_path / "elsewhere").mkdir()
    ok(grove("clone", origin, cwd=tmp_path / "elsewhere"))  # DIR defaults to the URL's last path component
    assert ok(grove("branch", cwd=tmp_path / "elsewhere" / "remote")) == "* main\n"


def test_clone_refuses_a_nonempty_directory_and_leaves_nothing_on_failure(grove, tmp_path, shop, origin):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "file.txt").write_text("mine")
    err = one_line_error(grove("clone", origin, "full", cwd=tmp_path))
    assert "already exists and is not an empty directory" in err
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["file.txt"]

    err = one_line_error(grove("clone", f"file://{tmp_path / 'nothing-here'}", "new", cwd=tmp_path))
    assert "holds no database" in err
    assert not (tmp_path / "new").exists()
    (tmp_path / "was-empty").mkdir()
    assert "no branch nope" in one_line_error(grove("clone", "-b", "nope", origin, "was-empty", cwd=tmp_path))
    assert list((tmp_path / "was-empty").iterdir()) == []  # left as found
    assert "bad remote URL" in one_line_error(grove("clone", "s3://x/y", cwd=tmp_path))


def test_push_errors_leave_both_sides_intact(grove, shop, copy):
    assert "unknown remote 'nope'" in one_line_error(grove("push", "nope", "main", cwd=shop))
    assert "does not match any branch" in one_line_error(grove("push", "origin", "nosuch", cwd=shop))

    # both sides commit: the second push is not a fast-forward
    ok(grove("sql", "-q", "insert into items (name) values ('from copy')", cwd=copy))
    ok(grove("commit", "-am", "copy", cwd=copy))
    ok(grove("push", cwd=copy))
    remote_head = head(grove, copy)
    ok(grove("sql", "-q", "insert into items (name) values ('from shop')", cwd=shop))
    ok(grove("commit", "-am", "shop", cwd=shop))
    local_head = head(grove, shop)
    err = one_line_error(grove("push", "origin", "main", cwd=shop))
    assert err.startswith("grove push: ") and "not a fast-forward" in err and "--force" in err
    assert head(grove, shop) == local_head
    ok(grove("fetch", cwd=shop))
    assert csv(grove, shop, "select hash from dolt_remote_branches") == [[remote_head]]

    out = ok(grove("push", "--force", "origin", "main", cwd=shop))
    assert out.startswith("+ ") and out.endswith("main -> main (forced update)\n")
    ok(grove("fetch", cwd=copy))
    assert csv(grove, copy, "select hash from dolt_remote_branches") == [[local_head]]


def test_push_without_an_upstream_and_with_set_upstream(grove, tmp_path, origin):
    path = tmp_path / "fresh"
    path.mkdir()
    ok(grove("init", cwd=path))
    ok(grove("remote", "add", "origin", origin, cwd=path))
    err = one_line_error(grove("push", cwd=path))
    assert "no upstream branch" in err and "--set-upstream origin main" in err
    assert ok(grove("push", "--set-upstream", "origin", "main:trunk", cwd=path)) == "* [new branch] main -> trunk\n"
    assert ok(grove("push", cwd=path)) == "Everything up-to-date\n"  # main now tracks origin/trunk
    assert ok(grove("branch", "-r", cwd=path)) == "  remotes/origin/trunk\n"


def test_push_of_src_colon_dst_and_delete(grove, shop):
    assert ok(grove("push", "origin", "main:new_branch", cwd=shop)) == "* [new branch] main -> new_branch\n"
    assert ok(grove("branch", "-r", cwd=shop)) == "  remotes/origin/main\n  remotes/origin/new_branch\n"
    assert ok(grove("push", "origin", ":new_branch", cwd=shop)) == "- [deleted] new_branch\n"
    assert "no branch new_branch" in one_line_error(grove("push", "origin", ":new_branch", cwd=shop))
    ok(grove("fetch", "--prune", cwd=shop))
    assert ok(grove("branch", "-r", cwd=shop)) == "  remotes/origin/main\n"


def test_fetch_moves_only_remote_tracking_branches(grove, shop, copy):
    ok(grove("sql", "-q", "insert into items (name) values ('fig')", cwd=copy))
    ok(grove("commit", "-am", "fig", cwd=copy))
    ok(grove("push", "origin", "main:other", cwd=copy))
    before = head(grove, shop)
    ok(grove("fetch", cwd=shop))
    assert head(grove, shop) == before
    assert ok(grove("branch", "-r", cwd=shop)) == "  remotes/origin/main\n  remotes/origin/other\n"
    assert csv(grove, shop, "select count(*) from items") == [["2"]]
    ok(grove("branch", "other", "origin/other", cwd=shop))  # a local branch from a remote-tracking one
    assert head(grove, shop, "other") == head(grove, copy)
    assert "unknown remote 'upstream'" in one_line_error(grove("fetch", "upstream", cwd=shop))
    assert "no branch nope" in one_line_error(grove("fetch", "origin", "nope", cwd=shop))


def test_pull_of_diverged_branches_makes_a_merge_commit(grove, shop, copy):
    ok(grove("config", "--global", "user.name", "Merger", cwd=shop))
    ok(grove("config", "--global", "user.email", "merger@example.com", cwd=shop))
    ok(grove("sql", "-q", "create table notes (id int primary key, body varchar(20));"
                          "insert into notes values (1, 'hi')", cwd=copy))
    ok(grove("commit", "-Am", "notes", cwd=copy))
    ok(grove("push", cwd=copy))
    ok(grove("sql", "-q", "update items set name = 'green apple' where id = 1", cwd=shop))
    ok(grove("commit", "-am", "greener", cwd=shop))
    out = ok(grove("pull", cwd=shop))
    assert out.startswith("Merge of origin/main into main: commit ")
    log = ok(grove("log", "-n", "1", cwd=shop))
    assert "Author: Merger <merger@example.com>" in log and "Merge branch 'origin/main' into main" in log
    assert csv(grove, shop, "select name from items where id = 1") == [["green apple"]]
    assert csv(grove, shop, "select body from notes") == [["hi"]]
    assert "nothing to commit, working tree clean" in ok(grove("status", cwd=shop))


def test_pull_conflict_changes_nothing(grove, shop, copy):
    ok(grove("sql", "-q", "update items set name = 'theirs' where id = 1", cwd=copy))
    ok(grove("commit", "-am", "theirs", cwd=copy))
    ok(grove("push", cwd=copy))
    ok(grove("sql", "-q", "update items set name = 'ours' where id = 1", cwd=shop))
    ok(grove("commit", "-am", "ours", cwd=shop))
    before = head(grove, shop)
    err = one_line_error(grove("pull", cwd=shop))
    assert err.startswith("grove pull: ") and "conflict" in err and "nothing was changed" in err
    assert head(grove, shop) == before
    assert csv(grove, shop, "select name from items where id = 1") == [["ours"]]
    assert "nothing to commit, working tree clean" in ok(grove("status", cwd=shop))


def test_pull_carries_uncommitted_changes_unless_they_clash(grove, shop, copy):
    ok(grove("sql", "-q", "insert into items (name) values ('fig')", cwd=copy))
    ok(grove("commit", "-am", "fig", cwd=copy))
    ok(grove("push", cwd=copy))

    ok(grove("sql", "-q", "update items set name = 'mine' where id = 2", cwd=shop))  # uncommitted, same table
    before = head(grove, shop)
    err = one_line_error(grove("pull", cwd=shop))
    assert "uncommitted changes to items would be overwritten" in err
    assert head(grove, shop) == before
    assert csv(grove, shop, "select name from items where id = 2") == [["mine"]]

    ok(grove("sql", "-q", "update items set name = 'pear' where id = 2;"
                          "create table scratch (i int primary key)", cwd=shop))  # uncommitted, another table
    ok(grove("pull", cwd=shop))
    assert csv(grove, shop, "select count(*) from items") == [["3"]]
    status = ok(grove("status", cwd=shop))
    assert re.search(r"^Untracked tables:\n.*\n\tnew table:\s+scratch$", status, re.M), status


def test_pull_without_a_remote_configured(grove, tmp_path):
    path = tmp_path / "lonely"
    path.mkdir()
    ok(grove("init", cwd=path))
    assert one_line_error(grove("pull", cwd=path)) == "grove pull: unknown remote 'origin'"
    assert one_line_error(grove("fetch", cwd=path)) == "grove fetch: unknown remote 'origin'"


# --- branch --------------------------------------------------------------------------------------------


def test_branch_create_list_delete(grove, shop):
    assert ok(grove("branch", cwd=shop)) == "* main\n"
    ok(grove("branch", "feature", cwd=shop))
    ok(grove("sql", "-q", "insert into items (name) values ('fig')", cwd=shop))
    ok(grove("commit", "-am", "fig", cwd=shop))
    ok(grove("branch", "at-first", "HEAD~1", cwd=shop))
    assert head(grove, shop, "at-first") == head(grove, shop, "feature")
    assert ok(grove("branch", cwd=shop)) == "  at-first\n  feature\n* main\n"
    assert ok(grove("branch", "-a", cwd=shop)) == "  at-first\n  feature\n* main\n  remotes/origin/main\n"
    assert "already exists" in one_line_error(grove("branch", "feature", cwd=shop))
    ok(grove("branch", "-f", "feature", "main", cwd=shop))
    assert head(grove, shop, "feature") == head(grove, shop)
    ok(grove("branch", "-m", "at-first", "old", cwd=shop))
    ok(grove("branch", "-c", "old", "older", cwd=shop))
    assert ok(grove("branch", cwd=shop)) == "  feature\n* main\n  old\n  older\n"

    ok(grove("branch", "-d", "old", "older", cwd=shop))  # merged: their commits are in main
    ok(grove("branch", "side", "remotes/origin/main", cwd=shop))
    assert head(grove, shop, "side") == head(grove, shop, "feature~1")
    assert ok(grove("branch", cwd=shop)) == "  feature\n* main\n  side\n"
    assert "cannot delete the checked out branch 'main'" in one_line_error(grove("branch", "-d", "main", cwd=shop))
    assert "not found" in one_line_error(grove("branch", "-d", "nope", cwd=shop))
    assert "invalid branch name" in one_line_error(grove("branch", "bad..name", cwd=shop))
    assert "takes OLD NEW" in one_line_error(grove("branch", "-m", "only", cwd=shop), code=2)


def test_branch_d_of_an_unmerged_branch_needs_capital_d(grove, shop, copy):
    ok(grove("sql", "-q", "insert into items (name) values ('side')", cwd=copy))
    ok(grove("commit", "-am", "side", cwd=copy))
    ok(grove("push", "origin", "main:side", cwd=copy))
    ok(grove("fetch", cwd=shop))
    ok(grove("branch", "side", "origin/side", cwd=shop))
    err = one_line_error(grove("branch", "-d", "side", cwd=shop))
    assert "'side' is not fully merged into 'main'" in err and "-D" in err
    assert ok(grove("branch", cwd=shop)) == "* main\n  side\n"
    ok(grove("branch", "-D", "side", cwd=shop))
    assert ok(grove("branch", cwd=shop)) == "* main\n"


# --- backup ----------------------------------------------------------------------------------------------


def test_backup_sync_and_restore(grove, tmp_path, shop):
    ok(grove("sql", "-q", "create table draft (i int primary key)", cwd=shop))  # uncommitted: backed up too
    ok(grove("branch", "wip", cwd=shop))
    url = f"file://{tmp_path / 'backups' / 'shop'}"
    ok(grove("backup", "add", "nightly", url, cwd=shop))
    assert ok(grove("backup", cwd=shop)) == "nightly\n"
    assert ok(grove("backup", "-v", cwd=shop)) == f"nightly\t{url}\n"
    assert "already exists" in one_line_error(grove("backup", "add", "nightly", url, cwd=shop))
    assert ok(grove("remote", cwd=shop)) == "origin\n"  # backups are not remotes
    ok(grove("backup", "sync", "nightly", cwd=shop))
    assert "unknown backup 'weekly'" in one_line_error(grove("backup", "sync", "weekly", cwd=shop))

    out = ok(grove("backup", "restore", url, "restored", cwd=tmp_path))
    assert out == f"Restored {url} into restored\n"
    restored = tmp_path / "restored"
    assert ok(grove("branch", "-a", cwd=restored)) == "* main\n  wip\n  remotes/origin/main\n"
    assert re.search(r"new table:\s+draft$", ok(grove("status", cwd=restored)), re.M)
    assert csv(grove, restored, "select count(*) from items") == [["2"]]
    assert ok(grove("remote", cwd=restored)) == ""  # remotes are per directory, not in the backup

    err = one_line_error(grove("backup", "restore", url, "restored", cwd=tmp_path))
    assert "already exists" in err and "--force" in err
    ok(grove("sql", "-q", "insert into items (name) values ('later')", cwd=shop))
    ok(grove("backup", "sync-url", url, cwd=shop))
    ok(grove("backup", "restore", "--force", url, "restored", cwd=tmp_path))
    assert csv(grove, restored, "select count(*) from items") == [["3"]]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no staging left

    ok(grove("backup", "remove", "nightly", cwd=shop))
    assert ok(grove("backup", cwd=shop)) == ""
    assert "holds no backup" in one_line_error(
        grove("backup", "restore", f"file://{tmp_path / 'none'}", "nothing", cwd=tmp_path))
    assert not (tmp_path / "nothing").exists()


# --- progress ---------------------------------------------------------------------------------------------


class _Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


class _Transfer:
    def __init__(self, chunks=0, done=False):
        self.chunks, self.done = chunks, done

    def line(self):
        return f"Uploaded {self.chunks:,} chunks"


class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_progress_is_quiet_for_quick_transfers_off_a_terminal():
    clock, out = _Clock(), io.StringIO()
    p = ProgressLine(out, clock=clock)
    p(_Transfer(10))
    clock.now = 0.5
    p(_Transfer(20, done=True))
    p.close()
    assert out.getvalue() == ""

    clock, out = _Clock(), io.StringIO()
    p = ProgressLine(out, clock=clock)
    for t in (0.5, 1.2, 1.5, 2.3):
        clock.now = t
        p(_Transfer(int(t * 10)))
    p(_Transfer(30, done=True))
    assert out.getvalue() == "Uploaded 12 chunks\nUploaded 23 chunks\nUploaded 30 chunks\n"


def test_progress_refreshes_in_place_on_a_terminal():
    clock, out = _Clock(), _Tty()
    p = ProgressLine(out, clock=clock)
    p(_Transfer(1))
    clock.now = 0.05
    p(_Transfer(2))  # too soon to redraw
    clock.now = 0.2
    p(_Transfer(3))
    p(_Transfer(4, done=True))
    p.close()
    assert out.getvalue() == ("\rUploaded 1 chunks\x1b[K\rUploaded 3 chunks\x1b[K"
                              "\rUploaded 4 chunks\x1b[K\n")
    p = ProgressLine(out := _Tty(), clock=clock)
    p(_Transfer(5))
    p.close()  # the operation ended without a final line: the line is still ended
    assert out.getvalue() == "\rUploaded 5 chunks\x1b[K\n"


# --- through a running server -------------------------------------------------------------------------------


@pytest.fixture
def served_shop(shop, home):
    server = Server(shop, home)
    yield shop, server
    server.stop()


def test_push_fetch_pull_branch_through_a_running_server(grove, tmp_path, served_shop, origin):
    shop, server = served_shop
    conn = pymysql.connect(host="127.0.0.1", port=server.port, user="root", password="", database="shop",
                           autocommit=True)
    try:
        with conn.cursor() as cur:
            cur.execute("select count(*) from items")
            assert cur.fetchone() == (2,)

            # a clone commits and pushes; the served database pulls through its server
            ok(grove("clone", origin, "copy", cwd=tmp_path))
            copy = tmp_path / "copy"
            ok(grove("sql", "-q", "insert into items (name) values ('fig'), ('kiwi')", cwd=copy))
            ok(grove("commit", "-am", "two more", cwd=copy))
            ok(grove("push", "origin", "main", cwd=copy))
            assert csv(grove, shop, "select count(*) from items") == [["2"]]  # (through the server)
            assert ok(grove("pull", "origin", "main", cwd=shop)).startswith("Fast-forward ")

            # the server's other sessions see the pulled rows on their next transaction
            cur.execute("select count(*) from items")
            assert cur.fetchone() == (4,)
            cur.execute("insert into items (name) values ('plum')")  # the counter moved past pulled keys
            cur.execute("select id from items where name = 'plum'")
            assert cur.fetchone() == (5,)
            cur.execute("select latest_commit_message from dolt_branches where name = 'main'")
            assert cur.fetchone() == ("two more",)

            ok(grove("branch", "feature", cwd=shop))
            ok(grove("push", "origin", "feature", cwd=shop))
            ok(grove("fetch", cwd=shop))
            assert ok(grove("branch", "-a", cwd=shop)) == \
                "  feature\n* main\n  remotes/origin/feature\n  remotes/origin/main\n"
            err = one_line_error(grove("push", "nope", cwd=shop))
            assert err == "grove push: unknown remote 'nope'"

            # remote add edits remotes.json beside the server; the server reads it at once
            ok(grove("remote", "add", "mirror", f"file://{tmp_path / 'mirror'}", cwd=shop))
            cur.execute("select name from dolt_remotes order by name")
            assert cur.fetchall() == (("mirror",), ("origin",))
            ok(grove("push", "mirror", "main", cwd=shop))
            ok(grove("backup", "sync-url", f"file://{tmp_path / 'bk'}", cwd=shop))
            err = one_line_error(grove("backup", "restore", "--force", f"file://{tmp_path / 'bk'}", "shop",
                                       cwd=tmp_path))
            assert "served by grove sql-server" in err
    finally:
        conn.close()
