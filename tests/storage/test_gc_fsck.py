"""Garbage collection and fsck over real tables (prolly maps of a few thousand rows)."""

from __future__ import annotations

import itertools
import struct
import threading

import pytest

from storage.address import address_of, to_text
from storage.database import ANY, Database
from storage.errors import ChunkNotFoundError
from storage.fsck import fsck
from storage.gc import collect
from storage.memory_store import MemoryStore
from storage.prolly_map import ProllyMap
from storage.refs import MergeState, remote_ref
from storage.root_value import RootValue
from storage.schema import Column, Index, Schema
from storage.table import Table
from storage.walk import reachable

AUTHOR = {"author": "Ada", "email": "ada@example.com"}
SCHEMA = Schema((Column("n", "bigint", nullable=False), Column("label", "varchar(64)")), ("n",), (Index("by_label", ("label",)),))


def make_db(store=None) -> Database:
    ticks = itertools.count(1_700_000_000)
    return Database.init(store if store is not None else MemoryStore(), clock=lambda: float(next(ticks)), **AUTHOR)


def key(n: int) -> bytes:
    return struct.pack(">q", n)


def rows(numbers, tag: str = "") -> list[tuple[bytes, bytes]]:
    return [(key(n), f"row {n} {tag}".encode()) for n in numbers]


def write_table(db: Database, items: list[tuple[bytes, bytes]]) -> bytes:
    ns = db.node_store
    primary = ProllyMap.from_sorted(ns, items)
    index = ProllyMap.from_sorted(ns, sorted((v + k, b"") for k, v in items))
    return db.write_table(Table(SCHEMA, primary.address, {"by_label": index.address}, len(items) + 1))


def root_with_tables(db: Database, base: bytes | None = None, **tables: bytes) -> bytes:
    root = db.read_root_value(base) if base is not None else RootValue()
    for name, address in tables.items():
        root = root.with_table(name, address)
    return db.write_root_value(root)


def table_chunks(db: Database, table: bytes) -> set[bytes]:
    return reachable(db.store, [table])


def readable(db: Database, table: bytes) -> int:
    """Reads every row of the table's primary map from a cold cache; returns the count."""
    t = Table.decode(db.store.get(table))
    from storage.node_store import NodeStore

    return sum(1 for _ in ProllyMap.load(NodeStore(db.store), t.primary).items())


@pytest.fixture
def primes_db() -> Database:
    """main: table 'primes' with 3000 rows, committed."""
    db = make_db()
    primes = write_table(db, rows(range(3000)))
    db.commit("main", root_with_tables(db, primes=primes), message="primes", **AUTHOR)
    return db


# --- garbage collection ---------------------------------------------------------


def test_gc_shrinks_the_store_after_a_branch_is_deleted(primes_db: Database):
    db = primes_db
    store = db.store
    main_head = db.head("main")
    main_root = db.read_commit(main_head).root
    primes = db.read_root_value(main_root).table("primes")
    db.create_branch("feature", main_head)
    edited = ProllyMap.load(db.node_store, Table.decode(store.get(primes)).primary).mutate(
        {key(n): b"changed" for n in range(0, 3000, 7)}
    )
    changed = db.write_table(Table.decode(store.get(primes)).with_primary(edited.address))
    extra = write_table(db, rows(range(2000), "extra"))
    db.commit("feature", root_with_tables(db, main_root, primes=changed, extra=extra), message="f", **AUTHOR)
    feature_only = table_chunks(db, extra) | table_chunks(db, changed)
    feature_only -= table_chunks(db, primes)
    assert len(feature_only) > 10

    collect(db)  # nothing is garbage yet but the chunks of superseded ref maps
    assert set(store.all_addresses()) >= feature_only
    db.delete_branch("feature", force=True)
    stats = collect(db)

    remaining = set(store.all_addresses())
    assert not remaining & feature_only
    assert stats.chunks_before - stats.chunks_after == stats.chunks_removed >= len(feature_only)
    assert stats.bytes_after < stats.bytes_before and stats.chunks_after == len(remaining)
    assert readable(db, primes) == 3000
    assert [c.message for _, c in db.log(db.head("main"))] == ["primes", "Initialize data repository"]
    assert fsck(store).ok
    again = collect(db)
    assert again.chunks_removed == 0 and again.chunks_after == stats.chunks_after


def test_gc_keeps_everything_working_sets_tags_and_remotes_reach(primes_db: Database):
    db = primes_db
    store = db.store
    head = db.head("main")
    head_root = db.read_commit(head).root
    # Uncommitted: a working root with a new table, a staged root with another.
    draft = write_table(db, rows(range(2500), "draft"))
    staged_table = write_table(db, rows(range(1500), "staged"))
    working = root_with_tables(db, head_root, draft=draft)
    staged = root_with_tables(db, head_root, staged=staged_table)
    # A merge in progress whose commit no branch holds any more.
    db.create_branch("gone", head)
    theirs_table = write_table(db, rows(range(1000), "theirs"))
    theirs = db.commit("gone", root_with_tables(db, head_root, theirs=theirs_table), message="theirs", **AUTHOR)
    db.delete_branch("gone", force=True)
    ws = db.working_set("main")
    db.set_working_set("main", working, staged, ws, merge_state=MergeState(theirs, ws.working, "gone"))
    # A tag and a remote-tracking ref on otherwise unreachable commits.
    db.create_branch("tagged", head)
    tagged_table = write_table(db, rows(range(800), "tagged"))
    tagged = db.commit("tagged", root_with_tables(db, head_root, t=tagged_table), message="t", **AUTHOR)
    db.create_tag("v1", tagged, tagger="Ada", message="keep me")
    db.delete_branch("tagged", force=True)
    remote_table = write_table(db, rows(range(900), "remote"))
    remote_root = root_with_tables(db, head_root, r=remote_table)
    db.create_branch("r", head)
    remote_tip = db.commit("r", remote_root, message="r", **AUTHOR)
    db.update_refs({remote_ref("origin", "main"): (None, remote_tip)})
    db.delete_branch("r", force=True)
    # Garbage: a table nothing refers to.
    orphan = write_table(db, rows(range(700), "orphan"))
    orphan_only = table_chunks(db, orphan)

    stats = collect(db)

    assert stats.chunks_removed >= len(orphan_only)
    assert not set(store.all_addresses()) & orphan_only
    expected_rows = {draft: 2500, staged_table: 1500, theirs_table: 1000, tagged_table: 800, remote_table: 900, db.read_root_value(head_root).table("primes"): 3000}
    for table, count in expected_rows.items():
        assert readable(db, table) == count
    report = fsck(store)
    assert report.ok, str(report)


def test_gc_extra_roots_keep_in_memory_session_state(primes_db: Database):
    db = primes_db
    session_root = root_with_tables(db, None, scratch=write_table(db, rows(range(1200), "s")))
    kept = reachable(db.store, [session_root])
    generation = db.write_lock.generation
    collect(db, extra_roots=[session_root])
    assert kept <= set(db.store.all_addresses())
    assert db.write_lock.generation == generation + 1
    collect(db)
    assert not kept <= set(db.store.all_addresses())


def test_gc_waits_for_a_writer_holding_the_write_lock(primes_db: Database):
    db = primes_db
    done = threading.Event()
    results = []

    def run_gc() -> None:
        results.append(collect(db))
        done.set()

    with db.write_lock.shared():
        table = write_table(db, rows(range(1000), "in flight"))  # put, not yet reachable
        in_flight = table_chunks(db, table)
        collector = threading.Thread(target=run_gc)
        collector.start()
        for _ in range(1000):  # wait (bounded) until the collector is blocked on the lock
            if db.write_lock.waiting:
                break
            done.wait(0.005)
        assert db.write_lock.waiting == 1 and not done.is_set()
        ws = db.working_set("main")
        db.set_working_set("main", root_with_tables(db, ws.working, flight=table), ws.staged, ws)
    collector.join(timeout=30)
    assert done.is_set()
    assert in_flight <= set(db.store.all_addresses())
    assert readable(db, table) == 1000


def test_gc_refuses_a_damaged_store(primes_db: Database):
    db = primes_db
    store = db.store
    primes = db.read_root_value(db.read_commit(db.head("main")).root).table("primes")
    del store._chunks[Table.decode(store.get(primes)).primary]
    before = set(store.all_addresses())
    with pytest.raises(ChunkNotFoundError):
        collect(db)
    assert set(store.all_addresses()) == before


# --- fsck -----------------------------------------------------------------------


def test_fsck_is_clean_on_a_fresh_database():
    db = make_db()
    report = fsck(db.store)
    assert report.ok and report.problems == [] and "ok" in str(report)
    assert report.chunks_checked == len(reachable(db.store, [db.store.root()])) == 4  # refs, commit, ws, root value


def first_leaf(db: Database, table: bytes) -> bytes:
    node = db.node_store.read(Table.decode(db.store.get(table)).primary)
    while not node.is_leaf:
        node = db.node_store.read(node.addresses[0])
    return node.address


def test_fsck_names_a_missing_chunk_and_what_refers_to_it(primes_db: Database):
    db = primes_db
    store = db.store
    head = db.head("main")
    primes = db.read_root_value(db.read_commit(head).root).table("primes")
    leaf = first_leaf(db, primes)
    del store._chunks[leaf]
    report = fsck(store)
    assert not report.ok and report.missing == [leaf] and report.damaged == []
    (line,) = report.problems
    assert to_text(leaf) in line and "table 'primes'" in line and "primary index" in line
    assert to_text(head) in line and "refs/heads/main" in line
    # A missing table is named through its root value too.
    del store._chunks[primes]
    report = fsck(store)
    assert report.missing == [primes] and "table 'primes' in the root value of commit" in report.problems[0]


def test_fsck_names_a_chunk_whose_bytes_changed(primes_db: Database):
    db = primes_db
    store = db.store
    primes = db.read_root_value(db.read_commit(db.head("main")).root).table("primes")
    leaf = first_leaf(db, primes)
    data = bytearray(store._chunks[leaf])
    data[len(data) // 2] ^= 0x20
    store._chunks[leaf] = bytes(data)
    report = fsck(store)
    assert report.damaged == [leaf] and report.missing == []
    assert to_text(leaf) in report.problems[0] and to_text(address_of(bytes(data))) in report.problems[0]
    assert "table 'primes'" in report.problems[0]


def test_fsck_reports_an_undecodable_chunk_without_cascading(primes_db: Database):
    db = primes_db
    store = db.store
    bogus = store.put(b"W{broken")  # intact bytes (the address matches), not a working set
    db.update_refs({"workingSets/heads/main": (ANY, bogus)})
    report = fsck(store)
    assert report.damaged == [bogus] and report.missing == [] and len(report.problems) == 1
    assert "undecodable" in report.problems[0] and "workingSets/heads/main" in report.problems[0]


# --- on disk ----------------------------------------------------------------------


def disk_size(path) -> int:
    return sum(f.stat().st_size for f in (path / ".grove").rglob("*") if f.is_file())


def disk_db(path) -> Database:
    from storage.disk_store import DiskStore

    return make_db(DiskStore.open(str(path)))


def test_gc_on_disk_shrinks_the_directory_and_survives_reopen(tmp_path):
    db = disk_db(tmp_path)
    primes = write_table(db, rows(range(3000)))
    db.commit("main", root_with_tables(db, primes=primes), message="primes", **AUTHOR)
    db.create_branch("scratch", db.head("main"))
    big = write_table(db, rows(range(4000), "scratch data that takes some room"))
    db.commit("scratch", root_with_tables(db, db.read_commit(db.head("main")).root, big=big), message="s", **AUTHOR)
    db.store.flush()
    db.delete_branch("scratch", force=True)
    before = disk_size(tmp_path)
    stats = collect(db)
    assert stats.chunks_removed >= len(table_chunks(db, primes)) // 2  # big has more chunks than primes
    assert disk_size(tmp_path) < before
    db.close()
    db = Database.open_dir(str(tmp_path))
    assert readable(db, primes) == 3000 and db.store.get(big) is None
    assert fsck(db.store).ok
    db.close()


def test_fsck_names_a_chunk_with_a_flipped_byte_in_a_table_file(tmp_path):
    from storage.table_file import TableFileReader

    db = disk_db(tmp_path)
    primes = write_table(db, rows(range(3000)))
    head = db.commit("main", root_with_tables(db, primes=primes), message="primes", **AUTHOR)
    leaf = first_leaf(db, primes)
    db.store.flush()
    (name,) = db.store.table_files()
    db.close()
    path = tmp_path / ".grove" / "tables" / name
    reader = TableFileReader(str(path))
    offset, length = reader.index.lookup(leaf)
    reader.close()
    raw = bytearray(path.read_bytes())
    raw[offset + length // 2] ^= 0x01
    path.write_bytes(bytes(raw))

    db = Database.open_dir(str(tmp_path))
    report = fsck(db.store)
    db.close()
    assert not report.ok and report.damaged == [leaf] and report.missing == []
    named = [line for line in report.problems if to_text(leaf) in line]
    assert len(named) == 2  # once by the walk, once by the store's record checksums
    assert any("table 'primes'" in line and to_text(head) in line for line in named)
    assert all(name in line for line in named)  # the file is named: an operator can find it


def test_fsck_names_a_chunk_with_a_flipped_byte_in_the_journal(tmp_path):
    db = disk_db(tmp_path)
    primes = write_table(db, rows(range(3000)))
    db.commit("main", root_with_tables(db, primes=primes), message="primes", **AUTHOR)
    table_chunk = db.store.get(primes)
    journal = tmp_path / ".grove" / "journal"
    raw = bytearray(journal.read_bytes())
    at = raw.find(table_chunk)
    assert at > 0
    raw[at + len(table_chunk) // 2] ^= 0x01
    with open(journal, "r+b") as f:  # in place, under the open store
        f.write(raw)
    report = fsck(db.store)
    db.close()
    assert not report.ok and report.damaged == [primes]
    assert any(to_text(primes) in line and "table 'primes' in the root value of commit" in line for line in report.problems)


def test_write_lock_nests_and_refuses_upgrades():
    db = make_db()
    lock = db.write_lock
    assert Database(db.store).write_lock is lock  # one lock per store
    with lock.shared():
        with lock.shared():  # nested holds (Database methods call each other)
            db.create_branch("b", db.head("main"))
        with pytest.raises(RuntimeError):
            with lock.exclusive():
                pass
    with lock.exclusive():
        with lock.shared():  # the collector may call writers' helpers
            db.delete_branch("b")
    assert db.branches().keys() == {"main"}
