"""One contract suite for every chunk store (storage.chunk_store).

Each test runs against every implementation through the ``store`` fixture.
A backend describes itself with a ``Backend``: how to open it and whether it
is durable (only durable stores get the reopen tests).  Other backends
(remote stores) join by adding a ``Backend`` to ``BACKENDS``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Callable

import pytest

from storage.address import ZERO, address_of
from storage.chunk_store import ChunkStore, MaintainableStore
from storage.disk_store import DiskStore
from storage.memory_store import MemoryStore


@dataclass
class Backend:
    name: str
    open: Callable  # (tmp_path) -> store; called again to reopen
    durable: bool


BACKENDS = [
    Backend("memory", lambda path: MemoryStore(), durable=False),
    Backend("disk", lambda path: DiskStore.open(path), durable=True),
    # A tiny flush threshold pushes every few chunks into table files.
    Backend("disk-small-journal", lambda path: DiskStore.open(path, journal_flush_bytes=600), durable=True),
]


class Opened:
    """The store under test plus a way to reopen it (durable backends)."""

    def __init__(self, backend: Backend, path) -> None:
        self.backend = backend
        self.path = path
        self.store = backend.open(path)

    def reopen(self):
        self.store.close()
        self.store = self.backend.open(self.path)
        return self.store


@pytest.fixture(params=BACKENDS, ids=lambda b: b.name)
def opened(request, tmp_path):
    o = Opened(request.param, tmp_path)
    yield o
    o.store.close()


@pytest.fixture
def store(opened):
    return opened.store


def chunk(i: int, size: int = 100) -> bytes:
    return f"chunk {i} ".encode().ljust(size, b".")


def test_implements_protocols(store):
    assert isinstance(store, ChunkStore)
    assert isinstance(store, MaintainableStore)


def test_put_get_has(store):
    data = [chunk(i, 50 + i) for i in range(20)]
    addresses = [store.put(d) for d in data]
    assert addresses == [address_of(d) for d in data]
    for a, d in zip(addresses, data):
        assert store.has(a)
        assert store.get(a) == d
    assert store.has_many(addresses + [address_of(b"absent")]) == set(addresses)
    got = store.get_many(addresses[::2] + [address_of(b"absent")])
    assert got == {a: d for a, d in list(zip(addresses, data))[::2]}


def test_absent_chunk(store):
    missing = address_of(b"never put")
    assert store.get(missing) is None
    assert not store.has(missing)
    assert store.get_many([missing]) == {}
    assert store.has_many([missing]) == set()


def test_root_starts_zero_and_cas(store):
    assert store.root() == ZERO
    a = store.put(chunk(1))
    b = store.put(chunk(2))
    assert store.commit(a, ZERO)
    assert store.root() == a
    assert not store.commit(b, ZERO)  # the root moved: CAS fails, nothing changes
    assert store.root() == a
    assert store.commit(b, a)
    assert store.root() == b
    assert store.stats.commits == 2


def test_idempotent_puts(store):
    store.stats.reset()
    a1 = store.put(chunk(7))
    a2 = store.put(chunk(7))
    assert a1 == a2
    assert store.stats.chunks_written == 1
    assert store.stats.bytes_written == len(chunk(7))
    assert sorted(store.all_addresses()) == [a1]


def test_empty_chunk(store):
    a = store.put(b"")
    assert store.get(a) == b""
    assert store.has(a)


def test_visible_before_commit(store):
    a = store.put(chunk(3))
    assert store.root() == ZERO
    assert store.get(a) == chunk(3)


def test_stats_count_reads(store):
    a = store.put(chunk(4))
    store.stats.reset()
    store.get(a)
    store.get(address_of(b"absent"))
    store.get_many([a])
    assert store.stats.chunks_read == 2


def test_retain(store):
    addresses = [store.put(chunk(i)) for i in range(30)]
    assert store.commit(addresses[0], ZERO)
    keep = set(addresses[:10])
    assert store.retain(keep) == 20
    assert set(store.all_addresses()) == keep
    assert store.get(addresses[20]) is None
    assert store.get(addresses[5]) == chunk(5)
    assert store.root() == addresses[0]
    assert store.put(chunk(20)) == addresses[20]  # a dropped chunk can come back
    assert store.get(addresses[20]) == chunk(20)


def test_durable_after_commit(opened):
    if not opened.backend.durable:
        pytest.skip("not a durable store")
    store = opened.store
    addresses = [store.put(chunk(i, 300)) for i in range(40)]
    assert store.commit(addresses[-1], ZERO)
    store = opened.reopen()
    assert store.root() == addresses[-1]
    assert store.get_many(addresses) == {a: chunk(i, 300) for i, a in enumerate(addresses)}
    b = store.put(chunk(99))
    assert store.commit(b, addresses[-1])
    store = opened.reopen()
    assert store.root() == b
    assert store.get(b) == chunk(99)
    assert set(store.all_addresses()) >= set(addresses) | {b}


def test_closed_store_refuses(opened):
    if not opened.backend.durable:
        pytest.skip("memory store close is a no-op")
    opened.store.close()
    with pytest.raises(Exception):
        opened.store.put(b"x")
    opened.store = opened.backend.open(opened.path)


def test_threads_put_and_commit(store):
    """Several threads append to a chain with CAS retries; the chain is complete."""
    threads, per_thread = 4, 25
    errors = []

    def work(t: int) -> None:
        try:
            for i in range(per_thread):
                for _ in range(10_000):  # bounded retries
                    parent = store.root()
                    node = store.put(f"t{t} i{i} parent ".encode() + parent)
                    if store.commit(node, parent):
                        break
                else:
                    raise AssertionError("commit never won")
        except BaseException as e:
            errors.append(e)

    workers = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert not errors
    seen = set()
    node = store.root()
    while node != ZERO:
        data = store.get(node)
        assert data is not None
        label, _, parent = data.partition(b" parent ")
        seen.add(label)
        node = parent
    assert len(seen) == threads * per_thread
    assert store.stats.commits == threads * per_thread
