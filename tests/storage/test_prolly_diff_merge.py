"""diff and three-way merge: against models, and with reads counted on 100k maps."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from storage.memory_store import MemoryStore
from storage.node_store import Chunking, NodeStore
from storage.prolly_diff import diff, diff_count
from storage.prolly_map import ProllyMap
from storage.prolly_merge import MergeResult, merge

TINY = Chunking(target=64, min_size=16, max_size=256)
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

keys = st.integers(0, 400).map(lambda i: i.to_bytes(2, "big"))
edits = st.dictionaries(keys, st.none() | st.binary(max_size=6), max_size=60)


def _model_diff(old: dict, new: dict) -> list:
    return [(k, old.get(k), new.get(k)) for k in sorted(old.keys() | new.keys()) if old.get(k) != new.get(k)]


def _applied(model: dict, e: dict) -> dict:
    out = dict(model)
    for k, v in e.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = v
    return out


def _build(ns: NodeStore, model: dict) -> ProllyMap:
    return ProllyMap.from_sorted(ns, sorted(model.items()))


# -- diff --------------------------------------------------------------------------


@SETTINGS
@given(seed=st.integers(0, 2**32), n=st.integers(0, 400), e=edits)
def test_diff_matches_the_model(seed, n, e):
    rnd = random.Random(seed)
    ns = NodeStore(MemoryStore(), chunking=TINY)
    base = {rnd.randrange(450).to_bytes(2, "big"): rnd.randbytes(4) for _ in range(n)}
    new = _applied(base, e)
    a, b = _build(ns, base), _build(ns, base).mutate(e)
    assert list(diff(a, b)) == _model_diff(base, new)
    assert list(diff(b, a)) == _model_diff(new, base)
    assert diff_count(a, a) == 0


def test_diff_across_different_heights():
    ns = NodeStore(MemoryStore(), chunking=TINY)
    small = {b"100": b"s", b"205": b"x"}
    large = {b"%03d" % i: b"l" if i % 5 else b"s" for i in range(500)}
    a, b = _build(ns, small), _build(ns, large)
    assert a.depth == 1 and b.depth >= 4
    assert list(diff(a, b)) == _model_diff(small, large)
    assert list(diff(b, a)) == _model_diff(large, small)
    empty = ProllyMap.empty(ns)
    assert list(diff(empty, b)) == _model_diff({}, large)
    assert list(diff(b, empty)) == _model_diff(large, {})


def test_diff_reads_only_differing_subtrees_on_100k_maps():
    """Two 100k maps differing in 10 keys: at most 10 x depth chunks read per side."""
    rnd = random.Random(11)
    items = [(b"tbl:%08d:%018d" % (i, i * 31), rnd.randbytes(100)) for i in range(0, 200_000, 2)]
    old_store = MemoryStore()
    old = ProllyMap.from_sorted(NodeStore(old_store), items)
    new_store = MemoryStore()  # a copy, so each side's reads are counted separately
    for a in old_store.all_addresses():
        new_store.put(old_store.get(a))
    changes = {}
    for i in rnd.sample(range(len(items)), 10):
        k = items[i][0]
        changes[k] = [None, rnd.randbytes(100), rnd.randbytes(150)][i % 3]
    new = ProllyMap.load(NodeStore(new_store), old.address).mutate(changes)
    model = _model_diff({k: v for k, v in items if k in changes}, {k: v for k, v in changes.items() if v is not None})

    cold_old = ProllyMap.load(NodeStore(old_store), old.address)
    cold_new = ProllyMap.load(NodeStore(new_store), new.address)
    old_store.stats.reset()
    new_store.stats.reset()
    assert list(diff(cold_old, cold_new)) == model
    depth = max(old.depth, new.depth)
    assert old_store.stats.chunks_read <= 10 * depth
    assert new_store.stats.chunks_read <= 10 * depth
    assert old_store.stats.chunks_read > 0  # the walk did read (the counts are real)


# -- merge -------------------------------------------------------------------------


@pytest.fixture
def ns():
    return NodeStore(MemoryStore(), chunking=TINY)


def _three(ns, base: dict, ours_edits: dict, theirs_edits: dict):
    b = _build(ns, base)
    return b, b.mutate(ours_edits), b.mutate(theirs_edits)


BASE = {b"%03d" % i: b"v%d" % i for i in range(200)}


def test_disjoint_edits_merge(ns):
    ours_e = {b"005": b"ours", b"050": None, b"500": b"new-ours"}
    theirs_e = {b"006": b"theirs", b"150": None, b"600": b"new-theirs"}
    b, o, t = _three(ns, BASE, ours_e, theirs_e)
    result = merge(b, o, t)
    assert isinstance(result, MergeResult) and result.conflicts == []
    assert result.map.address == _build(ns, _applied(_applied(BASE, ours_e), theirs_e)).address
    assert merge(b, t, o).map.address == result.map.address


def test_conflicting_edits_are_reported_per_key(ns):
    ours_e = {b"010": b"A", b"020": b"same", b"030": b"x"}
    theirs_e = {b"010": b"B", b"020": b"same", b"040": b"y"}
    b, o, t = _three(ns, BASE, ours_e, theirs_e)
    result = merge(b, o, t)
    assert result.conflicts == [(b"010", b"v10", b"A", b"B")]
    merged = result.map
    assert merged.get(b"010") == b"A"  # ours is kept for a conflicted key
    assert merged.get(b"020") == b"same" and merged.get(b"030") == b"x" and merged.get(b"040") == b"y"


def test_identical_edits_merge_by_default_and_conflict_when_asked(ns):
    both = {b"007": b"8", b"300": b"inserted", b"100": None}
    b, o, t = _three(ns, BASE, {**both, b"001": b"o"}, dict(both))
    clean = merge(b, o, t)
    assert clean.conflicts == [] and clean.map.address == o.address
    strict = merge(b, o, t, identical_edits_conflict=True)
    assert strict.conflicts == [
        (b"007", b"v7", b"8", b"8"),
        (b"100", b"v100", None, None),
        (b"300", None, b"inserted", b"inserted"),
    ]
    # the same change on both whole maps
    same = merge(b, o, o, identical_edits_conflict=True)
    assert len(same.conflicts) == 4 and merge(b, o, o).conflicts == []


def test_delete_against_modify_conflicts(ns):
    b, o, t = _three(ns, BASE, {b"050": None, b"060": b"mod"}, {b"050": b"mod", b"060": None})
    result = merge(b, o, t)
    assert result.conflicts == [(b"050", b"v50", None, b"mod"), (b"060", b"v60", b"mod", None)]
    assert b"050" not in result.map and result.map.get(b"060") == b"mod"


def test_insert_against_insert_of_different_values_conflicts(ns):
    b, o, t = _three(ns, BASE, {b"900": b"o"}, {b"900": b"t"})
    assert merge(b, o, t).conflicts == [(b"900", None, b"o", b"t")]


def test_trivial_merges_return_a_side(ns):
    b, o, _ = _three(ns, BASE, {b"001": b"x"}, {})
    assert merge(b, o, b).map is o and merge(b, b, o).map is o
    assert merge(b, b, b).map is b


@SETTINGS
@given(seed=st.integers(0, 2**32), n=st.integers(0, 300), oe=edits, te=edits, strict=st.booleans())
def test_merge_matches_a_model(seed, n, oe, te, strict):
    rnd = random.Random(seed)
    ns = NodeStore(MemoryStore(), chunking=TINY)
    base = {rnd.randrange(450).to_bytes(2, "big"): rnd.randbytes(3) for _ in range(n)}
    ours, theirs = _applied(base, oe), _applied(base, te)
    b = _build(ns, base)
    result = merge(b, b.mutate(oe), b.mutate(te))
    expect = dict(ours)
    conflicts = []
    for k in sorted(base.keys() | ours.keys() | theirs.keys()):
        bv, ov, tv = base.get(k), ours.get(k), theirs.get(k)
        if ov == bv and tv != bv:
            if tv is None:
                expect.pop(k)
            else:
                expect[k] = tv
        elif ov != bv and tv != bv and ov != tv:
            conflicts.append((k, bv, ov, tv))
    assert result.conflicts == conflicts
    assert result.map.address == _build(ns, expect).address
    if strict:
        sresult = merge(b, b.mutate(oe), b.mutate(te), identical_edits_conflict=True)
        same = [
            (k, base.get(k), ours.get(k), theirs.get(k))
            for k in base.keys() | ours.keys() | theirs.keys()
            if ours.get(k) != base.get(k) and ours.get(k) == theirs.get(k)
        ]
        assert sorted(sresult.conflicts) == sorted(conflicts + same)
