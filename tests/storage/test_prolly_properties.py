"""Property tests: ProllyMap against a dict model, and history independence.

A tiny node target makes trees of 3+ levels from a few hundred entries, so
every path of the mutation code (re-cutting across node ends, growing and
dropping levels) runs on small inputs.
"""

from __future__ import annotations

import random
from bisect import bisect_left, bisect_right

from hypothesis import HealthCheck, given, note, settings, strategies as st

from storage.memory_store import MemoryStore
from storage.node_store import Chunking, NodeStore
from storage.prolly_map import ProllyMap

TINY = Chunking(target=64, min_size=16, max_size=256)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# keys from a small space (so edits hit existing keys) plus arbitrary short bytes
keys = st.one_of(st.integers(0, 600).map(lambda i: i.to_bytes(2, "big")), st.binary(max_size=3))
values = st.binary(max_size=10)
batches = st.dictionaries(keys, st.none() | values, max_size=40)


def _random_entries(seed: int, n: int) -> dict[bytes, bytes]:
    rnd = random.Random(seed)
    return {rnd.randrange(700).to_bytes(2, "big"): rnd.randbytes(rnd.randint(0, 12)) for _ in range(n)}


def _apply(model: dict, edits: dict) -> None:
    for k, v in edits.items():
        if v is None:
            model.pop(k, None)
        else:
            model[k] = v


def _check_scans(m: ProllyMap, model: dict, data) -> None:
    ordered = sorted(model.items())
    ks = [k for k, _ in ordered]
    for _ in range(4):
        start = data.draw(st.none() | keys, label="start")
        stop = data.draw(st.none() | keys, label="stop")
        si, sti, rev = data.draw(st.booleans()), data.draw(st.booleans()), data.draw(st.booleans())
        lo = 0 if start is None else (bisect_left if si else bisect_right)(ks, start)
        hi = len(ks) if stop is None else (bisect_right if sti else bisect_left)(ks, stop)
        expect = ordered[lo:hi] if lo < hi else []
        got = list(m.items(start, stop, reverse=rev, start_inclusive=si, stop_inclusive=sti))
        assert got == (expect[::-1] if rev else expect)


@SETTINGS
@given(seed=st.integers(0, 2**32), initial=st.integers(0, 400), steps=st.lists(batches, max_size=5), data=st.data())
def test_matches_a_dict_model(seed, initial, steps, data):
    ns = NodeStore(MemoryStore(), chunking=TINY)
    model = _random_entries(seed, initial)
    m = ProllyMap.from_sorted(ns, sorted(model.items()))
    for edits in [{}] + steps:
        m = m.mutate(edits)
        _apply(model, edits)
        ordered = sorted(model.items())
        note(f"{len(model)} entries, depth {m.depth}")
        assert m.count() == len(model)
        assert list(m.items()) == ordered
        if len(model) >= 150:
            assert m.depth >= 3
        for k in list(edits)[:10]:
            assert m.get(k) == model.get(k)
        if ordered:
            for off in data.draw(st.lists(st.integers(0, len(ordered) - 1), max_size=5), label="offsets"):
                assert m.at(off) == ordered[off]
                assert m.rank(ordered[off][0]) == off
        probe = data.draw(keys, label="probe")
        assert m.rank(probe) == bisect_left([k for k, _ in ordered], probe)
        _check_scans(m, model, data)
        assert m.address == ProllyMap.from_sorted(ns, ordered).address


@SETTINGS
@given(seed=st.integers(0, 2**32), n=st.integers(0, 300), splits=st.integers(1, 8), extra=st.integers(0, 60))
def test_history_independence(seed, n, splits, extra):
    """The same entries give the same root, however they got there."""
    rnd = random.Random(seed)
    final = _random_entries(seed, n)
    ns = NodeStore(MemoryStore(), chunking=TINY)
    reference = ProllyMap.from_sorted(ns, sorted(final.items()))

    # 1) insert in a random order, in random batches, with transient keys
    #    and stale values that are later deleted or overwritten
    order = list(final.items())
    rnd.shuffle(order)
    m = ProllyMap.empty(ns)
    transient = {b"t%d" % rnd.randrange(10_000): b"gone" for _ in range(extra)}
    cuts = sorted(rnd.randrange(len(order) + 1) for _ in range(splits - 1))
    for lo, hi in zip([0] + cuts, cuts + [len(order)]):
        chunk = dict(order[lo:hi])
        for k in list(chunk)[: len(chunk) // 3]:
            m = m.mutate({k: b"stale"})
        m = m.mutate(chunk)
        m = m.mutate({k: v for k, v in transient.items() if rnd.random() < 0.5})
    m = m.mutate({k: None for k in transient if k not in final})
    assert m.address == reference.address

    # 2) start from a superset and delete down to the entries
    superset = dict(final)
    superset.update(_random_entries(seed + 1, n))
    m2 = ProllyMap.from_sorted(ns, sorted(superset.items()))
    doomed = [k for k in superset if k not in final]
    rnd.shuffle(doomed)
    for i in range(0, len(doomed), 17):
        m2 = m2.mutate({k: None for k in doomed[i : i + 17]})
    m2 = m2.mutate(final)  # restore values the superset overwrote
    assert m2.address == reference.address


def test_tiny_chunking_gives_deep_trees():
    ns = NodeStore(MemoryStore(), chunking=TINY)
    m = ProllyMap.from_sorted(ns, sorted(_random_entries(1, 400).items()))
    assert m.count() > 250 and m.depth >= 4
