"""An in-memory chunk store: the reference implementation of the contract.

Used by tests, by throw-away computations, and as the model the disk store is
checked against (one contract suite runs on both).  Nothing is durable.
"""

from __future__ import annotations

import threading
from typing import Iterable, Iterator

from storage.address import ZERO, address_of
from storage.chunk_store import StoreStats


class MemoryStore:
    """A dict of chunks and a root behind a lock."""

    def __init__(self) -> None:
        self._chunks: dict[bytes, bytes] = {}
        self._root = ZERO
        self._lock = threading.Lock()
        self.stats = StoreStats()
        self._closed = False
        self._logs: dict[bytes, list[bytes]] = {}

    def append_log(self, log_id: bytes, entry: bytes) -> None:
        """A log beside the chunks (see ``DiskStore.append_log``); empty ``entry`` starts it over."""
        with self._lock:
            if entry:
                self._logs.setdefault(log_id, []).append(bytes(entry))
            else:
                self._logs.pop(log_id, None)

    def logs(self) -> dict[bytes, list[bytes]]:
        with self._lock:
            return {i: list(e) for i, e in self._logs.items()}

    def get(self, address: bytes) -> bytes | None:
        data = self._chunks.get(address)
        if data is not None:
            self.stats.chunks_read += 1
        return data

    def get_many(self, addresses: Iterable[bytes]) -> dict[bytes, bytes]:
        chunks = self._chunks
        found = {a: chunks[a] for a in addresses if a in chunks}
        self.stats.chunks_read += len(found)
        return found

    def has(self, address: bytes) -> bool:
        return address in self._chunks

    def has_many(self, addresses: Iterable[bytes]) -> set[bytes]:
        chunks = self._chunks
        return {a for a in addresses if a in chunks}

    def put(self, data: bytes) -> bytes:
        data = bytes(data)
        address = address_of(data)
        if address not in self._chunks:
            self._chunks[address] = data
            self.stats.chunks_written += 1
            self.stats.bytes_written += len(data)
        return address

    def root(self) -> bytes:
        return self._root

    def commit(self, new_root: bytes, expected_root: bytes) -> bool:
        with self._lock:
            if self._root != expected_root:
                return False
            self._root = new_root
            self.stats.commits += 1
            return True

    def all_addresses(self) -> Iterator[bytes]:
        return iter(list(self._chunks))

    def retain(self, keep: set[bytes]) -> int:
        """Drop every chunk not in ``keep`` (garbage collection); returns how many."""
        with self._lock:
            dead = [a for a in self._chunks if a not in keep]
            for a in dead:
                del self._chunks[a]
            return len(dead)

    def close(self) -> None:
        self._closed = True
