"""Pending row edits (storage.pending) and overlay maps (storage.overlay).

A row-only commit is one journal record; readers see the trees through the
edits; writing them into the trees later gives exactly the trees a
commit-by-commit write would have built; and the edits survive a crash, a
journal flush, and a reopen.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap

import pytest

from storage.database import Database
from storage.disk_store import DiskStore
from storage.memory_store import MemoryStore
from storage.overlay import MapEdits, OverlayMap
from storage.pending import TableChange, decode_entry, encode_entry, log_id
from storage.prolly_map import ProllyMap
from storage.refs import WorkingSet
from storage.root_value import RootValue
from storage.schema import Column, Schema
from storage.table import Table

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def key(i: int) -> bytes:
    return b"k%06d" % i


# --- OverlayMap against a dict model ---------------------------------------------------


def _model_items(model: dict, start, stop, start_inclusive, stop_inclusive, reverse):
    def inside(k):
        if start is not None and (k < start or (k == start and not start_inclusive)):
            return False
        if stop is not None and (k > stop or (k == stop and not stop_inclusive)):
            return False
        return True

    return sorted(((k, v) for k, v in model.items() if inside(k)), reverse=reverse)


@pytest.mark.parametrize("seed", range(8))
def test_overlay_reads_like_the_map_with_edits_applied(seed):
    rng = random.Random(seed)
    ns = Database(MemoryStore()).node_store
    model = {key(i): b"v%d" % i for i in range(0, 2000, 2)}
    base = ProllyMap.from_sorted(ns, sorted(model.items()))
    layers = []
    for _ in range(rng.randint(1, 3)):  # an overlay over an overlay, as a transaction over pending edits
        edits = {}
        for _ in range(rng.randint(0, 300)):
            k = key(rng.randrange(2100))
            edits[k] = None if rng.random() < 0.4 else b"e%d" % rng.randrange(10**6)
        layers.append(edits)
    m = OverlayMap(base)
    for edits in layers:
        m = OverlayMap(m, MapEdits(dict(edits))) if rng.random() < 0.5 else m.mutate(edits)
        for k, v in edits.items():
            if v is None:
                model.pop(k, None)
            else:
                model[k] = v
    assert m.count() == len(model)
    for _ in range(50):
        a, b = sorted(key(rng.randrange(2100)) for _ in range(2))
        start = None if rng.random() < 0.2 else a
        stop = None if rng.random() < 0.2 else b
        flags = dict(start_inclusive=rng.random() < 0.5, stop_inclusive=rng.random() < 0.5,
                     reverse=rng.random() < 0.5)
        assert list(m.items(start, stop, **flags)) == _model_items(model, start, stop, **flags)
    for _ in range(200):
        k = key(rng.randrange(2100))
        assert m.get(k) == model.get(k)
    if model:
        assert m.at(0) == min(model.items()) and m.at(-1) == max(model.items())
    # written out, it is the tree a fresh build of the same entries has (history independence)
    assert m.address == ProllyMap.from_sorted(ns, sorted(model.items())).address


def test_map_edits_copy_on_write_leaves_the_original_alone():
    first = MapEdits({b"a": b"1"})
    second = first.with_edits({b"b": b"2", b"a": None})
    assert first.edits == {b"a": b"1"} and first.keys == [b"a"]
    assert second.edits == {b"a": None, b"b": b"2"} and second.keys == [b"a", b"b"]
    second.apply_in_place({b"0": b"x"})
    assert second.keys == [b"0", b"a", b"b"]


def test_log_entry_roundtrip():
    changes = {
        "t": TableChange({b"k1": b"v", b"k2": None}, {"ix": {b"i1": b"", b"i2": None}}, 42),
        "ünï": TableChange({b"": b""}, {}, 0),
    }
    base = bytes(range(20))
    assert decode_entry(encode_entry("main", base, changes)) == ("main", base, changes)


# --- Database: commit, read through, materialize, recover -----------------------------


def _new_db(store) -> tuple[Database, Schema]:
    db = Database.init(store, author="t", email="t@x", timestamp=0)
    schema = Schema([Column("id", "INT", nullable=False), Column("v", "VARCHAR(10)")], ["id"])
    table = Table.create(db.node_store, schema)
    ws = db.working_set("main")
    root = db.read_root_value(ws.working).with_table("t", db.write_table(table))
    db.set_working_set("main", db.write_root_value(root), ws.staged, ws)
    return db, schema


def _primary(db: Database, ws: WorkingSet) -> ProllyMap:
    root: RootValue = db.read_root_value(ws.working)
    return ProllyMap.load(db.node_store, db.read_table(root.table("t")).primary)


def test_row_commits_are_one_record_and_materialize_to_the_eager_result(tmp_path):
    store = DiskStore.open(str(tmp_path / "db"))
    db, _ = _new_db(store)
    before = store.stats.chunks_written
    expected = {}
    for i in range(50):
        edits = {key(i): b"v%d" % i}
        if i % 7 == 6:
            edits[key(i - 3)] = None
        for k, v in edits.items():
            if v is None:
                expected.pop(k, None)
            else:
                expected[k] = v
        db.commit_row_edits("main", {"t": TableChange(edits, {}, i + 1)})
    assert store.stats.chunks_written == before  # nothing written into trees yet
    ws, pending = db.working_view("main")
    db.release_view(pending)
    view = OverlayMap(_primary(db, ws), pending.table("t").primary)
    assert list(view.items()) == sorted(expected.items())

    ws = db.working_set("main")  # anything needing the working set's hash writes the edits in
    assert list(_primary(db, ws).items()) == sorted(expected.items())
    assert db.read_table(db.read_root_value(ws.working).table("t")).auto_increment == 50
    assert db.working_view("main")[1] is None
    assert log_id("main") not in store.logs()  # the log started over
    store.close()


def test_pinned_view_is_a_snapshot():
    db, _ = _new_db(MemoryStore())
    db.commit_row_edits("main", {"t": TableChange({key(1): b"a"})})
    _, pinned = db.working_view("main")
    db.commit_row_edits("main", {"t": TableChange({key(2): b"b"})})  # pinned: copied, not changed in place
    assert pinned.table("t").primary.edits == {key(1): b"a"}
    db.release_view(pinned)
    _, now = db.working_view("main")
    db.release_view(now)
    assert now.table("t").primary.edits == {key(1): b"a", key(2): b"b"}
    db.commit_row_edits("main", {"t": TableChange({key(3): b"c"})})  # unpinned: updated in place
    assert db.working_view("main")[1] is now


def test_copies_share_nothing_a_later_in_place_commit_changes():
    """A snapshot pinned before a copy must not see commits applied in place to the copy later.

    The copy made for a pinned snapshot used to share the edited-keys list (when the commit added no
    new key), untouched index edits and untouched tables with the snapshot; a later unpinned commit
    updated those shared objects in place and a scan of the old snapshot found keys without edits
    (KeyError in the overlay merge, seen with 4 sysbench threads)."""
    db, _ = _new_db(MemoryStore())
    db.commit_row_edits("main", {"t": TableChange({key(1): b"a"}, {"ix": {b"i1": b""}}),
                                 "u": TableChange({key(1): b"u"})})
    _, pinned = db.working_view("main")
    before = {name: (list(t.primary.keys), dict(t.primary.edits),
                     {ix: (list(e.keys), dict(e.edits)) for ix, e in t.indexes.items()})
              for name, t in pinned.tables.items()}
    db.commit_row_edits("main", {"t": TableChange({key(1): b"a2"})})  # pinned: copied; no new key
    _, copy = db.working_view("main")
    db.release_view(copy)  # the copy is unpinned: the next commits update it in place
    db.commit_row_edits("main", {"t": TableChange({key(2): b"b"}, {"ix": {b"i2": b""}}),
                                 "u": TableChange({key(2): b"u2"})})
    after = {name: (list(t.primary.keys), dict(t.primary.edits),
                    {ix: (list(e.keys), dict(e.edits)) for ix, e in t.indexes.items()})
             for name, t in pinned.tables.items()}
    assert after == before
    for t in pinned.tables.values():
        assert list(OverlayMap(ProllyMap.from_sorted(db.node_store, []), t.primary).items()) == \
            sorted(t.primary.edits.items())
    db.release_view(pinned)
    _, now = db.working_view("main")
    db.release_view(now)
    assert now.table("t").primary.edits == {key(1): b"a2", key(2): b"b"}
    assert now.table("t").index("ix").edits == {b"i1": b"", b"i2": b""}
    assert now.table("u").primary.edits == {key(1): b"u", key(2): b"u2"}


def test_pending_edits_survive_reopen_and_journal_flush(tmp_path):
    path = str(tmp_path / "db")
    db, _ = _new_db(DiskStore.open(path))
    db.commit_row_edits("main", {"t": TableChange({key(1): b"one"})})
    db.store.flush()  # the journal's chunks go to a table file; the log must come along
    db.commit_row_edits("main", {"t": TableChange({key(2): b"two"})})
    db.close()
    db = Database(DiskStore.open(path))
    ws = db.working_set("main")
    assert list(_primary(db, ws).items()) == [(key(1), b"one"), (key(2), b"two")]
    db.close()


def test_entries_on_a_stale_base_are_dropped(tmp_path):
    """A crash after the materialized working set landed but before the log was cleared."""
    path = str(tmp_path / "db")
    db, _ = _new_db(DiskStore.open(path))
    db.commit_row_edits("main", {"t": TableChange({key(1): b"one"})})
    entry = db.store.logs()[log_id("main")][0]
    db.materialize()
    db.store.append_log(log_id("main"), entry)  # as if the clearing record had never been written
    db.close()
    db = Database(DiskStore.open(path))
    assert db.working_view("main")[1] is None
    assert list(_primary(db, db.working_set("main")).items()) == [(key(1), b"one")]
    db.close()


CHILD = textwrap.dedent("""
    import sys
    from storage.database import Database
    from storage.disk_store import DiskStore
    from storage.pending import TableChange
    db = Database(DiskStore.open(sys.argv[1]))
    for i in range(10**9):
        db.commit_row_edits("main", {"t": TableChange({b"k%06d" % i: b"v%d" % i})})
        print(i, flush=True)  # acknowledged: durable before this line
""")


def test_sigkill_never_loses_an_acknowledged_row_commit(tmp_path):
    path = str(tmp_path / "db")
    db, _ = _new_db(DiskStore.open(path))
    db.close()
    child = subprocess.Popen([sys.executable, "-c", CHILD, path], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": ROOT})
    acked = -1
    try:
        for line in child.stdout:  # bounded by the kill below
            acked = int(line)
            if acked >= 300:
                break
        child.send_signal(signal.SIGKILL)
        rest = child.communicate(timeout=60)[0]
        for line in rest.split():
            acked = int(line)
    finally:
        if child.poll() is None:
            child.kill()
    assert acked >= 300
    db = Database(DiskStore.open(path))
    rows = dict(_primary(db, db.working_set("main")).items())
    assert all(key(i) in rows for i in range(acked + 1))
    db.close()
