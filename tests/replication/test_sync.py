"""push / fetch / pull / clone / backups between on-disk databases and file:// remotes.

Tables here hold raw key/value rows (sync never decodes rows), so the tests
can count exactly which chunks move.  The same code runs against S3/DynamoDB
(every test runs on both) and in the end-to-end tutorial test.
"""

from __future__ import annotations

import threading

import pytest

from replication import open_backend
from replication.remote_store import RemoteStore
from replication.sync import (
    DirtyWorkingSetError,
    EmptyRemoteError,
    MergeConflictError,
    backup_restore,
    backup_sync,
    clone_into,
    fetch,
    pull,
    push,
)
from storage.address import ZERO
from storage.database import Database
from storage.disk_store import DiskStore
from storage.errors import NotFastForwardError
from storage.prolly_map import ProllyMap
from storage.schema import Column, Schema
from storage.table import Table
from storage.walk import reachable

WHO = dict(author="T", email="t@example.com")
SCHEMA = Schema((Column("k", "int", nullable=False), Column("v", "int")), primary_key=("k",))


def open_db(path, *, init=True) -> Database:
    store = DiskStore.open(str(path))
    db = Database(store)
    if init and store.root() == ZERO:
        Database.init(store, **WHO)
        db = Database(store)
    return db


def write_rows(db: Database, branch: str, table: str, rows: dict[int, int | None]) -> None:
    """Put rows into ``table`` of the working set of ``branch`` (creating it) and leave them uncommitted."""
    ws = db.working_set(branch)
    root = db.read_root_value(ws.working)
    address = root.table(table)
    t = db.read_table(address) if address else Table.create(db.node_store, SCHEMA)
    m = ProllyMap.load(db.node_store, t.primary).mutate(
        {k.to_bytes(8, "big"): (None if v is None else v.to_bytes(8, "big")) for k, v in rows.items()})
    new_root = db.write_root_value(root.with_table(table, db.write_table(t.with_primary(m.address))))
    db.set_working_set(branch, new_root, ws.staged if address else ws.staged, ws)


def commit_rows(db: Database, branch: str, table: str, rows: dict[int, int | None], message="c") -> bytes:
    write_rows(db, branch, table, rows)
    return db.commit(branch, db.working_set(branch).working, message=message, **WHO)


def table_rows(db: Database, root_address: bytes, table: str) -> dict[int, int]:
    root = db.read_root_value(root_address)
    t = db.read_table(root.table(table))
    return {int.from_bytes(k, "big"): int.from_bytes(v, "big")
            for k, v in ProllyMap.load(db.node_store, t.primary).items()}


def head_rows(db: Database, branch: str, table: str) -> dict[int, int]:
    return table_rows(db, db.read_commit(db.head(branch)).root, table)


@pytest.fixture(params=["file", "aws"])
def remote_url(request, tmp_path):
    """The same tests on a file:// directory and on S3 + DynamoDB (a moto server)."""
    if request.param == "file":
        return f"file://{tmp_path / 'remote'}"
    return request.getfixturevalue("aws_remote").url("dbs/primes")


def remote(url) -> RemoteStore:
    return RemoteStore(open_backend(url))


@pytest.fixture
def a(tmp_path):
    db = open_db(tmp_path / "a")
    yield db
    db.close()


def test_first_push_then_clone_has_the_same_history(a, remote_url, tmp_path):
    commit_rows(a, "main", "t", {i: i * i for i in range(2000)})
    r = remote(remote_url)
    result = push(a, r, "origin", "main", "main")
    assert result.old is None and result.new == a.head("main") and result.files == 1
    assert a.refs()["refs/remotes/origin/main"] == a.head("main")
    # exactly the chunks the head reaches, plus the remote's ref map
    assert result.transfer.chunks == len(reachable(a.store, [a.head("main")]))

    b = open_db(tmp_path / "b", init=False)
    try:
        assert clone_into(b, remote(remote_url), "origin", None) == "main"
        assert b.head("main") == a.head("main")
        assert head_rows(b, "main", "t") == {i: i * i for i in range(2000)}
        assert [c for c, _ in b.log(b.head("main"))] == [c for c, _ in a.log(a.head("main"))]
        ws = b.working_set("main")
        assert ws.working == ws.staged == b.read_commit(b.head("main")).root
    finally:
        b.close()


def test_an_incremental_push_uploads_one_path(a, remote_url):
    commit_rows(a, "main", "t", {i: i for i in range(20000)})
    r = remote(remote_url)
    first = push(a, r, "origin", "main", "main")
    commit_rows(a, "main", "t", {77: -1 & 0xFFFF})
    second = push(a, r, "origin", "main", "main")
    # commit + root value + table + one leaf-to-root path + the ref map: a handful, not thousands
    assert second.transfer.chunks <= 12 < first.transfer.chunks
    assert second.transfer.bytes < 40_000
    again = push(a, r, "origin", "main", "main")
    assert again.up_to_date and again.transfer.chunks == 0


def test_fetch_and_pull_fast_forward_download_only_missing_chunks(a, remote_url, tmp_path):
    commit_rows(a, "main", "t", {i: i for i in range(5000)})
    push(a, remote(remote_url), "origin", "main", "main")
    b = open_db(tmp_path / "b", init=False)
    try:
        clone_into(b, remote(remote_url), "origin", None)
        commit_rows(b, "main", "t", {5000 + i: i for i in range(11)}, "more")
        push(b, remote(remote_url), "origin", "main", "main")

        assert len(head_rows(a, "main", "t")) == 5000
        result = pull(a, remote(remote_url), "origin", "main", "main", **WHO)
        assert result.kind == "fast-forward" and a.head("main") == b.head("main")
        assert len(head_rows(a, "main", "t")) == 5011
        assert result.transfer.chunks <= 12
        ws = a.working_set("main")
        assert ws.working == a.read_commit(a.head("main")).root
        assert pull(a, remote(remote_url), "origin", "main", "main", **WHO).kind == "up to date"
    finally:
        b.close()


def test_push_that_is_not_a_fast_forward_fails_and_changes_nothing(a, remote_url, tmp_path):
    commit_rows(a, "main", "t", {1: 1})
    push(a, remote(remote_url), "origin", "main", "main")
    b = open_db(tmp_path / "b", init=False)
    try:
        clone_into(b, remote(remote_url), "origin", None)
        commit_rows(b, "main", "t", {2: 2})
        push(b, remote(remote_url), "origin", "main", "main")
        commit_rows(a, "main", "t", {3: 3})
        before = remote(remote_url)
        before.refresh()
        with pytest.raises(NotFastForwardError, match="not a fast-forward"):
            push(a, remote(remote_url), "origin", "main", "main")
        after = remote(remote_url)
        after.refresh()
        assert after.manifest == before.manifest
        forced = push(a, remote(remote_url), "origin", "main", "main", force=True)
        assert forced.new == a.head("main")
    finally:
        b.close()


def test_diverged_pull_makes_a_merge_commit_and_a_conflict_changes_nothing(a, remote_url, tmp_path):
    commit_rows(a, "main", "t", {1: 1, 2: 2})
    push(a, remote(remote_url), "origin", "main", "main")
    b = open_db(tmp_path / "b", init=False)
    try:
        clone_into(b, remote(remote_url), "origin", None)
        commit_rows(b, "main", "t", {10: 10})
        push(b, remote(remote_url), "origin", "main", "main")
        ours = commit_rows(a, "main", "t", {20: 20})
        result = pull(a, remote(remote_url), "origin", "main", "main", **WHO)
        assert result.kind == "merge"
        merge = a.read_commit(a.head("main"))
        assert merge.parents == (ours, b.head("main"))
        assert head_rows(a, "main", "t") == {1: 1, 2: 2, 10: 10, 20: 20}

        # both sides change row 1 differently: conflict, nothing changes
        commit_rows(b, "main", "t", {1: 100})
        push(b, remote(remote_url), "origin", "main", "main", force=True)
        commit_rows(a, "main", "t", {1: 200})
        head = a.head("main")
        ws = a.working_set("main")
        with pytest.raises(MergeConflictError, match="table t"):
            pull(a, remote(remote_url), "origin", "main", "main", **WHO)
        assert a.head("main") == head and a.working_set("main") == ws
    finally:
        b.close()


def test_pull_carries_uncommitted_changes_unless_they_touch_what_it_changes(a, remote_url, tmp_path):
    commit_rows(a, "main", "t", {1: 1})
    commit_rows(a, "main", "u", {1: 1})
    push(a, remote(remote_url), "origin", "main", "main")
    b = open_db(tmp_path / "b", init=False)
    try:
        clone_into(b, remote(remote_url), "origin", None)
        commit_rows(b, "main", "t", {2: 2})
        push(b, remote(remote_url), "origin", "main", "main")

        write_rows(a, "main", "u", {5: 5})  # uncommitted, a table the pull does not touch
        write_rows(a, "main", "fresh", {1: 1})  # a new table, not staged
        pull(a, remote(remote_url), "origin", "main", "main", **WHO)
        ws = a.working_set("main")
        assert table_rows(a, ws.working, "t") == {1: 1, 2: 2}
        assert table_rows(a, ws.working, "u") == {1: 1, 5: 5}
        assert table_rows(a, ws.working, "fresh") == {1: 1}
        assert not a.read_root_value(ws.staged).has_table("fresh")
        assert head_rows(a, "main", "u") == {1: 1}

        commit_rows(b, "main", "u", {9: 9})
        push(b, remote(remote_url), "origin", "main", "main")
        head, ws = a.head("main"), a.working_set("main")
        with pytest.raises(DirtyWorkingSetError, match="uncommitted changes to u"):
            pull(a, remote(remote_url), "origin", "main", "main", **WHO)
        assert a.head("main") == head and a.working_set("main") == ws
    finally:
        b.close()


def test_branches_push_fetch_and_delete(a, remote_url, tmp_path):
    commit_rows(a, "main", "t", {1: 1})
    push(a, remote(remote_url), "origin", "main", "main")
    push(a, remote(remote_url), "origin", "main", "new_branch")
    b = open_db(tmp_path / "b", init=False)
    try:
        clone_into(b, remote(remote_url), "origin", None)
        assert {"refs/remotes/origin/main", "refs/remotes/origin/new_branch"} <= set(b.refs())
        push(a, remote(remote_url), "origin", None, "new_branch")
        result = fetch(b, remote(remote_url), "origin", prune=True)
        assert "refs/remotes/origin/new_branch" not in b.refs()
        assert result.transfer.chunks == 0
    finally:
        b.close()


def test_racing_pushers_of_different_branches_all_succeed(a, remote_url):
    commit_rows(a, "main", "t", {1: 1})
    push(a, remote(remote_url), "origin", "main", "main")
    for i in range(8):
        a.create_branch(f"b{i}", a.head("main"))
    errors = []

    def worker(i):
        try:
            push(a, remote(remote_url), "origin", f"b{i}", f"b{i}")
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    r = remote(remote_url)
    r.refresh()
    assert {f"refs/heads/b{i}" for i in range(8)} <= set(r.refs())


def test_table_files_stay_bounded_by_compaction(a, remote_url, tmp_path):
    commit_rows(a, "main", "t", {0: 0})
    r = remote(remote_url)
    for i in range(1, 25):
        commit_rows(a, "main", "t", {i: i})
        result = push(a, r, "origin", "main", "main", max_files=10)
        assert result.files <= 10
    b = open_db(tmp_path / "b", init=False)
    try:
        clone_into(b, remote(remote_url), "origin", None)
        assert head_rows(b, "main", "t") == {i: i for i in range(25)}
    finally:
        b.close()


def test_backup_holds_working_sets_and_restores_them(a, remote_url, tmp_path):
    commit_rows(a, "main", "t", {1: 1})
    write_rows(a, "main", "untracked", {7: 7})  # never committed
    backup_sync(a, remote(remote_url))
    again = backup_sync(a, remote(remote_url))
    assert again.transfer.chunks == 0
    c = open_db(tmp_path / "restored", init=False)
    try:
        backup_restore(c, remote(remote_url))
        assert c.refs() == a.refs()
        assert table_rows(c, c.working_set("main").working, "untracked") == {7: 7}
    finally:
        c.close()


def test_clone_of_an_empty_remote_says_so(tmp_path, remote_url):
    b = open_db(tmp_path / "b", init=False)
    try:
        with pytest.raises(EmptyRemoteError, match="holds no database"):
            clone_into(b, remote(remote_url), "origin", None)
    finally:
        b.close()


def test_one_row_push_after_100k_rows_uploads_little_to_s3(a, aws_remote, tmp_path):
    """Counted on the S3 side: the bytes of the objects moto holds under the database's path."""
    url = aws_remote.url("primes")

    def stored_bytes() -> int:
        listing = aws_remote.s3.list_objects_v2(Bucket=aws_remote.bucket, Prefix="primes/")
        return sum(o["Size"] for o in listing.get("Contents", []))

    commit_rows(a, "main", "t", {i: i * 7 for i in range(100_000)})
    push(a, remote(url), "origin", "main", "main")
    before = stored_bytes()
    commit_rows(a, "main", "t", {123_456: 1})
    result = push(a, remote(url), "origin", "main", "main")
    assert 0 < stored_bytes() - before <= 64 * 1024
    assert result.transfer.bytes <= 64 * 1024


def test_racing_pushers_of_one_branch_give_one_winner_and_one_clear_error(a, remote_url, tmp_path):
    commit_rows(a, "main", "t", {1: 1})
    push(a, remote(remote_url), "origin", "main", "main")
    b = open_db(tmp_path / "b", init=False)
    try:
        clone_into(b, remote(remote_url), "origin", None)
        commit_rows(a, "main", "t", {2: 2})
        commit_rows(b, "main", "t", {3: 3})
        outcomes: dict[str, object] = {}
        barrier = threading.Barrier(2)

        def worker(name, db):
            barrier.wait(timeout=30)
            try:
                outcomes[name] = push(db, remote(remote_url), "origin", "main", "main")
            except NotFastForwardError as e:
                outcomes[name] = e

        threads = [threading.Thread(target=worker, args=(n, d)) for n, d in (("a", a), ("b", b))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        errors = [o for o in outcomes.values() if isinstance(o, NotFastForwardError)]
        wins = [o for o in outcomes.values() if not isinstance(o, Exception)]
        assert len(errors) == 1 and len(wins) == 1
        assert "not a fast-forward" in str(errors[0])
        r = remote(remote_url)
        r.refresh()
        assert r.refs()["refs/heads/main"] == wins[0].new
    finally:
        b.close()


def test_a_fresh_clone_passes_fsck(a, remote_url, tmp_path):
    from storage.fsck import fsck

    commit_rows(a, "main", "t", {i: i for i in range(3000)})
    commit_rows(a, "main", "u", {1: 1})
    push(a, remote(remote_url), "origin", "main", "main")
    b = open_db(tmp_path / "b", init=False)
    try:
        clone_into(b, remote(remote_url), "origin", None)
        report = fsck(b.store)
        assert report.ok, report
    finally:
        b.close()


def test_300_pushes_leave_at_most_256_table_files(tmp_path):
    """At the real threshold (file://: the same manifest logic as DynamoDB, at disk speed)."""
    a = open_db(tmp_path / "a")
    url = f"file://{tmp_path / 'remote'}"
    r = remote(url)
    try:
        files = []
        for i in range(300):
            commit_rows(a, "main", "t", {i: i})
            files.append(push(a, r, "origin", "main", "main").files)
        assert max(files) <= 256 and files[-1] < 256
        b = open_db(tmp_path / "b", init=False)
        try:
            clone_into(b, remote(url), "origin", None)
            assert head_rows(b, "main", "t") == {i: i for i in range(300)}
        finally:
            b.close()
    finally:
        a.close()
