"""ProllyMap behaviour, and structural sharing counted on a 100k-entry map.

The counts come from ``MemoryStore.stats`` through fresh NodeStores (cold
caches), so a read that the cache would hide is still seen.
"""

from __future__ import annotations

import random

import pytest

from storage.memory_store import MemoryStore
from storage.node_store import Chunking, NodeStore
from storage.prolly_map import ProllyMap
from storage.prolly_node import child_addresses

TINY = Chunking(target=96, min_size=24, max_size=384)  # a handful of entries per node
N_BIG = 100_000


def _key(i: int) -> bytes:
    return b"tbl:%08d:%018d" % (i, i * 7919)  # 31 bytes, ordered like i


def _value(rnd: random.Random) -> bytes:
    return rnd.randbytes(100)


@pytest.fixture(scope="module")
def big():
    """A 100k-entry map under the default 4 KiB chunking, and its entries."""
    rnd = random.Random(42)
    items = [(_key(i * 2), _value(rnd)) for i in range(N_BIG)]  # even ids: odd ones are free to insert
    store = MemoryStore()
    m = ProllyMap.from_sorted(NodeStore(store), items)
    assert m.count() == N_BIG
    return store, m, items


def _cold(store: MemoryStore, m: ProllyMap) -> ProllyMap:
    """The same map through a fresh node store, with the store's counters reset after loading."""
    fresh = ProllyMap.load(NodeStore(store), m.address)
    store.stats.reset()
    return fresh


# -- basics ------------------------------------------------------------------


def test_empty_map():
    ns = NodeStore(MemoryStore())
    e = ProllyMap.empty(ns)
    assert e.count() == 0 and len(e) == 0 and not e and e.depth == 1
    assert e.get(b"x") is None and b"x" not in e
    assert list(e.items()) == [] and list(e.items(reverse=True)) == []
    assert ProllyMap.from_sorted(ns, []).address == e.address
    assert e.rank(b"x") == 0
    with pytest.raises(IndexError):
        e.at(0)
    assert e.mutate({b"a": None}).address == e.address
    one = e.mutate({b"a": b"1"})
    assert one.get(b"a") == b"1"
    assert one.mutate([(b"a", None)]).address == e.address


def test_point_reads_and_ranks():
    ns = NodeStore(MemoryStore(), chunking=TINY)
    items = [(b"%05d" % i, b"v%d" % i) for i in range(0, 1000, 3)]
    m = ProllyMap.from_sorted(ns, items)
    assert m.depth >= 3
    for i in range(1000):
        k = b"%05d" % i
        assert m.get(k) == (b"v%d" % i if i % 3 == 0 else None)
        assert (k in m) == (i % 3 == 0)
        assert m.rank(k) == (i + 2) // 3
    for offset, kv in enumerate(items):
        assert m.at(offset) == kv
    assert m.at(-1) == items[-1]
    with pytest.raises(IndexError):
        m.at(len(items))
    with pytest.raises(KeyError):
        m[b"00001"]
    assert m[b"00003"] == b"v3"
    assert list(m.keys()) == [k for k, _ in items]
    assert list(m.values(b"00010", b"00020")) == [b"v12", b"v15", b"v18"]


def test_scan_bounds():
    ns = NodeStore(MemoryStore(), chunking=TINY)
    items = [(bytes([i]), bytes([i, i])) for i in range(0, 200, 2)]
    m = ProllyMap.from_sorted(ns, items)
    assert list(m.items(b"\x0a", b"\x10")) == [kv for kv in items if b"\x0a" <= kv[0] < b"\x10"]
    got = list(m.items(b"\x0a", b"\x10", start_inclusive=False, stop_inclusive=True))
    assert got == [kv for kv in items if b"\x0a" < kv[0] <= b"\x10"]
    got = list(m.items(b"\x0b", b"\x11", reverse=True))
    assert got == [kv for kv in reversed(items) if b"\x0b" <= kv[0] < b"\x11"]
    assert list(m.items(b"\x10", b"\x0a")) == []
    assert list(m.items(b"\x10", b"\x10")) == []
    assert list(m.items(b"\x10", b"\x10", stop_inclusive=True)) == [(b"\x10", b"\x10\x10")]
    assert list(m.items(start=b"\xff")) == [] and list(m.items(stop=b"")) == []


def test_from_sorted_rejects_unsorted_or_duplicate_keys():
    ns = NodeStore(MemoryStore())
    with pytest.raises(ValueError):
        ProllyMap.from_sorted(ns, [(b"b", b""), (b"a", b"")])
    with pytest.raises(ValueError):
        ProllyMap.from_sorted(ns, [(b"a", b""), (b"a", b"")])
    # a duplicate exactly across the builder's internal batch boundary
    keys = [b"%06d" % i for i in range(5000)]
    keys.insert(4096, keys[4095])
    with pytest.raises(ValueError):
        ProllyMap.from_sorted(ns, ((k, b"") for k in keys))


def test_from_sorted_streams_a_generator():
    ns = NodeStore(MemoryStore(), chunking=TINY)
    m = ProllyMap.from_sorted(ns, ((b"%06d" % i, b"x") for i in range(20_000)))
    assert m.count() == 20_000 and m.at(12_345) == (b"012345", b"x")


def test_mutate_forms_last_edit_wins_and_noops_write_nothing():
    store = MemoryStore()
    ns = NodeStore(store, chunking=TINY)
    m = ProllyMap.from_sorted(ns, [(b"%03d" % i, b"v") for i in range(300)])
    a = m.mutate({b"001": b"x", b"002": None})
    b = m.mutate([(b"001", b"y"), (b"002", None), (b"001", b"x"), (b"999", b"z"), (b"999", None)])
    assert a.address == b.address and a.get(b"001") == b"x" and b"002" not in a
    store.stats.reset()
    same = m.mutate({b"001": b"v", b"nope": None})
    assert same.address == m.address and store.stats.chunks_written == 0
    assert m.set(b"001", b"x").delete(b"002").address == a.address


def test_tree_grows_and_shrinks_to_the_canonical_shape():
    ns = NodeStore(MemoryStore(), chunking=TINY)
    m = ProllyMap.empty(ns)
    model: dict[bytes, bytes] = {}
    for i in range(0, 600, 7):
        edits = {b"%04d" % j: b"val%d" % j for j in range(i, i + 7)}
        m = m.mutate(edits)
        model.update(edits)
    assert m.depth >= 4
    assert m.address == ProllyMap.from_sorted(ns, sorted(model.items())).address
    for k in sorted(model)[:-1]:
        m = m.mutate({k: None})
    assert m.depth == 1 and m.count() == 1
    assert m.address == ProllyMap.from_sorted(ns, [max(model.items())]).address
    assert m.mutate({max(model): None}).address == ProllyMap.empty(ns).address


def test_entries_larger_than_the_max_node_size():
    ns = NodeStore(MemoryStore(), chunking=TINY)
    rnd = random.Random(3)
    items = [(b"%03d" % i, rnd.randbytes(rnd.choice((5, 1000)))) for i in range(60)]
    m = ProllyMap.from_sorted(ns, items)
    assert list(m.items()) == items
    m2 = m.mutate({b"030": rnd.randbytes(5000), b"031": None})
    expect = dict(items)
    expect[b"030"] = m2.get(b"030")
    del expect[b"031"]
    assert m2.address == ProllyMap.from_sorted(ns, sorted(expect.items())).address


def test_internal_chunks_list_their_children():
    store = MemoryStore()
    m = ProllyMap.from_sorted(NodeStore(store, chunking=TINY), [(b"%04d" % i, b"") for i in range(500)])
    children = child_addresses(store.get(m.address))
    assert children == m.root.addresses and all(store.has(a) for a in children)


# -- the 100k map: counted structural sharing ---------------------------------------


def test_big_map_shape(big):
    store, m, items = big
    assert 3 <= m.depth <= 4  # ~3.7k leaves of ~4 KiB under ~60 level-1 nodes
    leaves = store.stats.chunks_written - len(m.root.keys) - 1
    mean_leaf = sum(len(k) + len(v) + 8 for k, v in items) / leaves
    assert 0.5 * 4096 < mean_leaf < 1.5 * 4096


def test_count_reads_nothing(big):
    store, m, _ = big
    cold = _cold(store, m)
    assert cold.count() == N_BIG and store.stats.chunks_read == 0


def test_point_get_reads_at_most_depth_chunks(big):
    store, m, items = big
    rnd = random.Random(5)
    for i in rnd.sample(range(N_BIG), 20):
        cold = _cold(store, m)
        assert cold.get(items[i][0]) == items[i][1]
        assert store.stats.chunks_read <= m.depth
        cold = _cold(store, m)
        assert cold.get(_key(i * 2 + 1)) is None  # absent key: same path length
        assert store.stats.chunks_read <= m.depth


def test_rank_and_at_read_one_path(big):
    store, m, items = big
    rnd = random.Random(6)
    for offset in rnd.sample(range(N_BIG), 20):
        cold = _cold(store, m)
        assert cold.at(offset) == items[offset]
        assert cold.rank(items[offset][0]) == offset
        assert cold.rank(_key(offset * 2 + 1)) == offset + 1
        assert store.stats.chunks_read <= m.depth  # the three share one path


@pytest.mark.parametrize("edit", ["same_size", "bigger", "insert", "delete"])
def test_one_row_change_writes_at_most_depth_plus_two_chunks(big, edit):
    store, m, items = big
    rnd = random.Random(edit)
    for _ in range(10):
        i = rnd.randrange(N_BIG)
        key = items[i][0]
        if edit == "same_size":
            change = {key: _value(rnd)}
        elif edit == "bigger":
            change = {key: rnd.randbytes(300)}
        elif edit == "insert":
            change = {_key(i * 2 + 1): _value(rnd)}
        else:
            change = {key: None}
        store.stats.reset()
        m2 = m.mutate(change)
        assert store.stats.chunks_written <= m.depth + 2
        assert m2.count() == N_BIG + (edit == "insert") - (edit == "delete")
        (k, v), = change.items()
        assert m2.get(k) == v


def test_mutated_big_map_equals_a_fresh_build(big):
    store, m, items = big
    rnd = random.Random(8)
    model = dict(items)
    edits = {}
    for _ in range(300):
        i = rnd.randrange(N_BIG)
        op = rnd.random()
        key = _key(i * 2 + (op < 0.3))
        edits[key] = None if op > 0.8 else rnd.randbytes(rnd.randint(0, 400))
    m2 = m.mutate(edits)
    for k, v in edits.items():
        if v is None:
            model.pop(k, None)
        else:
            model[k] = v
    rebuilt = ProllyMap.from_sorted(NodeStore(MemoryStore()), sorted(model.items()))
    assert m2.address == rebuilt.address
