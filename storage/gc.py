"""Garbage collection: drop every chunk the database can no longer reach.

Chunks are never changed or deleted by normal writes, so a store grows with
every version of every row.  What is live is exactly what the root ref map
reaches (``storage.walk``): every branch, tag and remote-tracking ref, every
commit in their histories, every working set with its working and staged
roots and merge state, and from each root value its tables and their prolly
maps.  Everything else (deleted branches, discarded working changes, chunks
of aborted transactions) is garbage.

Mark and sweep, in two phases so writers are blocked only briefly::

    1. mark from the current root          writers keep running
    2. take the write lock exclusively     writers with chunks in flight finish first
       mark again from the (maybe newer)   cheap: chunks already marked have their whole
         root                              subtree marked, so only new chunks are read
       store.retain(marked)                the sweep
       check the root did not move         a writer that bypassed the lock would show here

The lock is a ``WriteLock`` (below), one per store object, shared by every
``Database`` over that store (``Database.write_lock``).  A writer's chunks
are safe if it holds ``write_lock.shared()`` from its first put until its
ref update lands (every ``Database`` method does).  Roots held only in memory (a session's uncommitted root value) are kept by
passing them as ``extra_roots``; ``write_lock.generation`` is bumped after
every collection so a session can tell its in-memory roots may be stale.
"""

from __future__ import annotations

import threading
import time
import weakref
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from storage.address import to_text
from storage.errors import StorageError
from storage.walk import BATCH, mark


class WriteLock:
    """Shared for writers, exclusive for garbage collection; one per store.

    Shared holds are re-entrant per thread, and the exclusive holder may also
    take shared holds.  A waiting collector blocks new (not nested) writers,
    so a steady stream of writers cannot starve it.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._shared = 0
        self._owner: int | None = None
        self._waiting = 0
        self._local = threading.local()
        self.generation = 0  # bumped by each garbage collection

    @property
    def waiting(self) -> int:
        """How many exclusive holds (collections) are queued."""
        return self._waiting

    @contextmanager
    def shared(self) -> Iterator[None]:
        local = self._local
        depth = getattr(local, "depth", 0)
        if depth or self._owner == threading.get_ident():
            local.depth = depth + 1
            try:
                yield
            finally:
                local.depth -= 1
            return
        with self._cond:
            while self._owner is not None or self._waiting:
                self._cond.wait()
            self._shared += 1
        local.depth = 1
        try:
            yield
        finally:
            local.depth = 0
            with self._cond:
                self._shared -= 1
                if not self._shared:
                    self._cond.notify_all()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        me = threading.get_ident()
        if self._owner == me:
            yield
            return
        if getattr(self._local, "depth", 0):
            raise RuntimeError("cannot take the write lock exclusively while holding it shared")
        with self._cond:
            self._waiting += 1
            try:
                while self._owner is not None or self._shared:
                    self._cond.wait()
            finally:
                self._waiting -= 1
            self._owner = me
        try:
            yield
        finally:
            with self._cond:
                self._owner = None
                self._cond.notify_all()


_locks: "weakref.WeakKeyDictionary[Any, WriteLock]" = weakref.WeakKeyDictionary()
_locks_guard = threading.Lock()


def lock_for(store: Any) -> WriteLock:
    """The one WriteLock of ``store``, shared by every Database over it."""
    with _locks_guard:
        lock = _locks.get(store)
        if lock is None:
            lock = _locks[store] = WriteLock()
        return lock


@dataclass
class GcStats:
    """What a collection found and removed."""

    root: bytes  # the root the final mark started from
    chunks_before: int
    bytes_before: int
    chunks_after: int
    bytes_after: int
    chunks_removed: int
    seconds: float

    @property
    def bytes_removed(self) -> int:
        return self.bytes_before - self.bytes_after

    def __str__(self) -> str:
        return (
            f"gc: {self.chunks_before} -> {self.chunks_after} chunks, "
            f"{self.bytes_before} -> {self.bytes_after} bytes in {self.seconds:.2f}s"
        )


def collect(database, *, extra_roots: Iterable[bytes] = ()) -> GcStats:
    """Remove every chunk not reachable from the database root or ``extra_roots``.

    Raises ChunkNotFoundError (and removes nothing) if something reachable is
    already missing: the store is damaged and ``storage.fsck`` should look.
    """
    started = time.perf_counter()
    store = database.store
    extra = list(extra_roots)
    seen: set[bytes] = set()
    chunks, size = mark(store, [store.root(), *extra], seen)  # phase 1: writers keep going
    with database.write_lock.exclusive():
        root = store.root()
        more_chunks, more_size = mark(store, [root], seen)  # phase 2: only what landed meanwhile
        live_chunks, live_bytes = chunks + more_chunks, size + more_size
        garbage = [a for a in store.all_addresses() if a not in seen]
        garbage_bytes = _size_of(store, garbage)
        removed = store.retain(seen)
        if store.root() != root:
            raise StorageError(
                f"database root moved from {to_text(root)} to {to_text(store.root())} during garbage "
                "collection: a writer bypassed the write lock and its chunks may be lost; run fsck"
            )
        database.write_lock.generation += 1
    return GcStats(
        root=root,
        chunks_before=live_chunks + len(garbage),
        bytes_before=live_bytes + garbage_bytes,
        chunks_after=live_chunks,
        bytes_after=live_bytes,
        chunks_removed=removed,
        seconds=time.perf_counter() - started,
    )


def _size_of(store, addresses: list[bytes]) -> int:
    """Total bytes of ``addresses`` (read in batches; absent ones count 0)."""
    total = 0
    for i in range(0, len(addresses), BATCH):
        total += sum(map(len, store.get_many(addresses[i : i + BATCH]).values()))
    return total
