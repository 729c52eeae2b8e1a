"""The chunk-store contract: the one narrow interface under everything else.

A chunk store is a set of immutable chunks, each addressed by the hash of its
bytes (``storage.address``), plus one mutable value: the *root*, the address
of the chunk from which everything live is reachable.

Semantics every implementation keeps (``tests/storage/test_chunk_store_contract``
checks them against each one):

* ``put(data)`` returns the address and makes the chunk visible to ``get`` and
  ``has`` at once, in this process.  It is *durable* only after a later
  ``commit`` returns True (a chunk put and never committed may vanish on a
  crash; nothing reachable from a committed root ever does).
* ``get`` returns the bytes, or None when the store lacks the chunk.
* ``commit(new_root, expected_root)`` is the only mutation of the root: an
  optimistic compare-and-swap.  It returns False, changing nothing, when the
  root is no longer ``expected_root``; the caller re-reads, rebases and
  retries.  When it returns True the new root and every chunk put before it
  are durable.
* All methods are safe to call from several threads.  Concurrent commits may
  share one fsync (group commit).
* ``stats`` counts chunks read and written, so tests and benchmarks can assert
  structural sharing instead of assuming it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator, Protocol, runtime_checkable


@dataclass
class StoreStats:
    """Counters a store keeps; tests reset them with ``reset()``."""

    chunks_read: int = 0  # chunks returned by get/get_many (cache hits in layers above don't count)
    chunks_written: int = 0  # new chunks accepted by put (a put of a present chunk doesn't count)
    bytes_written: int = 0  # bytes those new chunks hold
    commits: int = 0  # successful commits
    fsyncs: int = 0  # fsync calls (0 for memory stores)

    def reset(self) -> None:
        self.chunks_read = self.chunks_written = self.bytes_written = 0
        self.commits = self.fsyncs = 0


@runtime_checkable
class ChunkStore(Protocol):
    stats: StoreStats

    def get(self, address: bytes) -> bytes | None:
        """The chunk's bytes, or None if absent."""

    def get_many(self, addresses: Iterable[bytes]) -> dict[bytes, bytes]:
        """The present chunks among ``addresses`` (absent ones are left out)."""

    def has(self, address: bytes) -> bool:
        """True if the chunk is present (put, or committed earlier)."""

    def has_many(self, addresses: Iterable[bytes]) -> set[bytes]:
        """The subset of ``addresses`` that is present."""

    def put(self, data: bytes) -> bytes:
        """Store a chunk; returns its address. Visible at once, durable after commit."""

    def root(self) -> bytes:
        """The current root address (``address.ZERO`` for a new store)."""

    def commit(self, new_root: bytes, expected_root: bytes) -> bool:
        """Compare-and-swap the root; True once durable, False if the root moved."""

    def close(self) -> None:
        """Release files and locks. Further calls are errors."""


@runtime_checkable
class MaintainableStore(ChunkStore, Protocol):
    """What garbage collection and fsck need on top of the core contract."""

    def all_addresses(self) -> Iterator[bytes]:
        """Every chunk address the store holds."""

    def retain(self, keep: set[bytes]) -> int:
        """Drop every chunk whose address is not in ``keep``; returns how many went.

        The root must be reachable within ``keep``; callers hold off writers
        (``storage.gc`` does) so nothing put concurrently is lost.
        """
