"""The node store: prolly nodes over a chunk store, with a cache of decoded nodes.

Every prolly tree operation reads nodes by address and most read the same
few nodes again and again (the root and the upper levels on every lookup), so
decoding a chunk each time would dominate.  ``NodeStore`` keeps decoded nodes
in an LRU cache bounded by *memory*, not by count: each node is charged an
estimate of the Python objects it keeps alive (``Node.memory_estimate``), and
the least recently used nodes are dropped until the total is within
``cache_bytes``.  Nodes a write creates go into the cache too: the next
mutation of the same tree reads them back.

The node store also owns the ``Chunking`` of its trees.  Two trees can share
structure (and diffs can skip equal subtrees) only if they were cut with the
same rule, so a store uses one ``Chunking`` everywhere; tests pass tiny
targets to get deep trees from a few entries.

Invariants: a cached node is immutable and equals ``decode_node`` of the
chunk at its address; ``cache_used <= cache_bytes`` after every call (a single
node larger than the whole cache is returned but not kept).  The only
contract used on the wrapped store is ``get/get_many/put`` (and ``stats``
for the counters tests assert on).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Iterable

from storage.errors import ChunkNotFoundError
from storage.prolly_node import Node, decode_node, encode_internal, encode_leaf


@dataclass(frozen=True)
class Chunking:
    """How a prolly tree cuts its levels into nodes (see ``storage.prolly_map``).

    A node ends after an entry whose key hash falls under a threshold that
    rises with the node's byte size, never below ``min_size`` and always at
    ``max_size``.  The threshold is the hazard of a Weibull distribution of
    shape 2 and scale ``target``: an entry of ``e`` bytes that brings the
    node to ``s`` bytes ends it with probability ``2 e s / target^2``.  The
    boundaries depend only on the entries, never on the edit history.

    Why shape 2 and not a steeper 4: a steeper hazard gives more even node
    sizes (size sd/mean 0.27 instead of 0.47) but makes a moved boundary
    take longer to fall back in step with the old ones.  Measured on a 100k
    map of 4 KiB nodes, a one-row change wrote more than depth + 2 chunks in
    4.3% of random edits with shape 4 and 0.3% with shape 2 (mean depth +
    0.07); locality is what structural sharing and cheap diffs live on.
    """

    # 4 KiB: big enough that per-node Python overhead (decode, hash, cache
    # bookkeeping) is spread over ~30 rows, small enough that a one-row change
    # rewrites little and a disk or S3 read of one node is one small request.
    target: int = 4096
    # Below a quarter of the target a node never ends: the hazard would end
    # ~6% of nodes there, and the floor keeps tiny degenerate nodes out.
    min_size: int = 1024
    # Four targets: the hazard alone reaches it with probability e^-16; it
    # bounds nodes made of runs of huge entries.
    max_size: int = 16384

    def __post_init__(self) -> None:
        if not 0 < self.min_size <= self.target <= self.max_size:
            raise ValueError(f"need 0 < min_size <= target <= max_size, got {self}")

    @property
    def hazard_scale(self) -> float:
        """Multiplier c: an entry of e bytes ending a node at size s ends it iff hash < e * s * c."""
        return 2.0 * float(1 << 64) / float(self.target) ** 2


DEFAULT_CHUNKING = Chunking()

# 64 MiB holds the upper levels of many large trees plus a working set of
# leaves; the server may size it from configuration.
DEFAULT_CACHE_BYTES = 64 << 20


class NodeStore:
    """Reads and writes prolly nodes through a chunk store, caching decoded nodes."""

    def __init__(self, store, *, cache_bytes: int = DEFAULT_CACHE_BYTES, chunking: Chunking = DEFAULT_CHUNKING):
        self.store = store
        self.chunking = chunking
        self.cache_bytes = cache_bytes
        self.cache_used = 0
        self.misses = 0  # reads the cache could not answer (each one is a store get)
        self._cache: OrderedDict[bytes, Node] = OrderedDict()
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"NodeStore({self.store!r}, cached={len(self._cache)} nodes/{self.cache_used} B)"

    # -- reading ---------------------------------------------------------

    def read(self, address: bytes) -> Node:
        """The decoded node at ``address``; raises ChunkNotFoundError if the store lacks it."""
        cache = self._cache
        node = cache.get(address)
        if node is not None:
            try:
                cache.move_to_end(address)
            except KeyError:  # evicted by another thread in between: still a valid node
                pass
            return node
        data = self.store.get(address)
        if data is None:
            raise ChunkNotFoundError(address, "prolly node")
        self.misses += 1
        node = decode_node(data, address)
        self._remember(node)
        return node

    def read_many(self, addresses: Iterable[bytes]) -> list[Node]:
        """Decoded nodes for ``addresses``, in order; misses are fetched in one ``get_many``."""
        addresses = list(addresses)
        cache = self._cache
        missing = [a for a in addresses if a not in cache]
        if missing:
            found = self.store.get_many(missing)
            for a in missing:
                data = found.get(a)
                if data is None:
                    raise ChunkNotFoundError(a, "prolly node")
                self.misses += 1
                self._remember(decode_node(data, a))
        out = []
        for a in addresses:
            node = cache.get(a)
            out.append(node if node is not None else self.read(a))
        return out

    # -- writing ---------------------------------------------------------

    def write(self, node: Node) -> bytes:
        """Store ``node``; sets and returns its address."""
        if node.level == 0:
            data = encode_leaf(node.keys, node.values)
        else:
            data = encode_internal(node.level, node.keys, node.addresses, node.counts)
        node.size = len(data)
        node.address = address = self.store.put(data)
        self._remember(node)
        return address

    def write_leaf(self, keys: list[bytes], values: list[bytes]) -> Node:
        """Encode, store and cache a leaf; returns it with its address set."""
        data = encode_leaf(keys, values)
        node = Node(0, keys, values, None, None, len(keys), self.store.put(data), len(data))
        self._remember(node)
        return node

    def write_internal(self, level: int, keys: list[bytes], addresses: list[bytes], counts: list[int]) -> Node:
        """Encode, store and cache an internal node; returns it with its address set."""
        data = encode_internal(level, keys, addresses, counts)
        node = Node(level, keys, None, addresses, counts, None, self.store.put(data), len(data))
        self._remember(node)
        return node

    # -- cache -----------------------------------------------------------

    def _remember(self, node: Node) -> None:
        cost = node.memory_estimate()
        if cost > self.cache_bytes:
            return
        with self._lock:
            cache = self._cache
            old = cache.pop(node.address, None)
            if old is not None:
                self.cache_used -= old.memory_estimate()
            cache[node.address] = node
            self.cache_used += cost
            while self.cache_used > self.cache_bytes:
                _, dropped = cache.popitem(last=False)
                self.cache_used -= dropped.memory_estimate()

    def clear_cache(self) -> None:
        """Forget every cached node (benchmarks and tests use it for cold reads)."""
        with self._lock:
            self._cache.clear()
            self.cache_used = 0

    @property
    def cached_nodes(self) -> int:
        return len(self._cache)
