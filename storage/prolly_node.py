"""Prolly tree nodes: the chunk encoding of one node and its decoded form.

A prolly tree (``storage.prolly_map``) is a B-tree-like tree of chunks whose
node boundaries are chosen by content, so every node here is an immutable
chunk addressed by its hash.  A *leaf* (level 0) holds sorted keys and their
values; an *internal* node (level >= 1) holds, for each child, the child's
last (largest) key, its address and the number of entries below it.  The
subtree counts make ``count()``, ``rank()`` and ``at()`` cost one path, not
a scan.

Layout (all integers little-endian).  Offsets are absolute positions inside
the chunk, so decoding is one ``struct.unpack_from`` plus one slice per
key/value, with no arithmetic per item::

    leaf, level 0, n entries
    +-----+-------+-------+----------------------------+--------+--------+
    | 'P' | level | n     | offsets: 2n+1 x u32        | key    | value  |
    | 1B  | u8    | u32   | o[0..n]   -> key i         | bytes  | bytes  |
    |     | = 0   |       | o[n..2n]  -> value i       |        |        |
    +-----+-------+-------+----------------------------+--------+--------+
      key i = chunk[o[i]:o[i+1]]      value i = chunk[o[n+i]:o[n+i+1]]
      o[0] = 6 + 4(2n+1)  (first byte after the offsets), o[2n] = len(chunk)

    internal, level L >= 1, n children
    +-----+-------+-------+----------------+-------------+-------------+-------+
    | 'P' | level | n     | offsets:       | counts:     | addresses:  | key   |
    | 1B  | u8    | u32   | n+1 x u32      | n x u64     | n x 20B     | bytes |
    +-----+-------+-------+----------------+-------------+-------------+-------+
      key i (child i's last key) = chunk[o[i]:o[i+1]], o[n] = len(chunk)
      count i = entries in child i's subtree, address i = child i's chunk

Invariants: keys inside a node are strictly increasing; an internal node has
at least one child; only the root of an empty map is an empty leaf.  The
decoded ``Node`` is shared through the node cache and must never be mutated.
"""

from __future__ import annotations

import sys
from array import array
from itertools import accumulate
from struct import Struct, error as StructError, pack, unpack_from

from storage.address import ADDRESS_SIZE
from storage.chunk_kinds import PROLLY_NODE
from storage.errors import CorruptionError

_HEADER = Struct("<cBI")
HEADER_SIZE = _HEADER.size  # 6
MAX_LEVEL = 255  # the level is one byte; a tree of fanout >= 2 never gets near it

# Rough CPython object sizes used to estimate a decoded node's memory, so the
# node cache can bound itself in bytes rather than in nodes.
_BYTES_OBJECT = 33 + 8  # bytes header + the list slot pointing at it
_INT_OBJECT = 28 + 8
_NODE_OVERHEAD = 300  # the Node itself, its lists, the cache entry


class Node:
    """A decoded node.  Leaves use ``values``; internal nodes ``addresses`` and ``counts``.

    ``count`` is the number of leaf entries below (for a leaf, ``len(keys)``).
    ``address`` is filled in by the node store when known.
    """

    __slots__ = ("level", "keys", "values", "addresses", "counts", "count", "address", "size", "_starts")

    def __init__(self, level, keys, values=None, addresses=None, counts=None, count=None, address=None, size=0):
        self.level = level
        self.keys = keys
        self.values = values
        self.addresses = addresses
        self.counts = counts
        if count is None:
            count = len(keys) if level == 0 else sum(counts)
        self.count = count
        self.address = address
        self.size = size  # encoded size in bytes (0 if not yet encoded)
        self._starts = None

    @property
    def is_leaf(self) -> bool:
        return self.level == 0

    def starts(self) -> list[int]:
        """For an internal node: entries before child i, for each i (plus the total at the end)."""
        s = self._starts
        if s is None:
            s = self._starts = list(accumulate(self.counts, initial=0))
        return s

    def memory_estimate(self) -> int:
        """Approximate bytes this decoded node keeps alive (for the node cache bound)."""
        n = len(self.keys)
        if self.level == 0:
            return self.size + n * 2 * _BYTES_OBJECT + _NODE_OVERHEAD
        return self.size + n * (2 * _BYTES_OBJECT + 2 * _INT_OBJECT) + _NODE_OVERHEAD

    def __repr__(self) -> str:
        return f"Node(level={self.level}, entries={len(self.keys)}, count={self.count})"


# array("I").tobytes() is the offsets' little-endian u32 layout on the
# platforms we run on, and ~20% faster than struct.pack(*offsets).
_NATIVE_U32LE = sys.byteorder == "little" and array("I").itemsize == 4


def _u32s(values) -> bytes:
    if _NATIVE_U32LE:
        return array("I", values).tobytes()
    values = list(values)
    return pack(f"<{len(values)}I", *values)


def encode_leaf(keys: list[bytes], values: list[bytes]) -> bytes:
    n = len(keys)
    offsets = accumulate(map(len, keys + values), initial=HEADER_SIZE + 4 * (2 * n + 1))
    return b"".join((_HEADER.pack(PROLLY_NODE, 0, n), _u32s(offsets), *keys, *values))


def encode_internal(level: int, keys: list[bytes], addresses: list[bytes], counts: list[int]) -> bytes:
    n = len(keys)
    if not n:
        raise ValueError("an internal node needs at least one child")
    if not 0 < level <= MAX_LEVEL:
        raise ValueError(f"bad internal level {level}")
    base = HEADER_SIZE + 4 * (n + 1) + 8 * n + ADDRESS_SIZE * n
    offsets = accumulate(map(len, keys), initial=base)
    return b"".join(
        (
            _HEADER.pack(PROLLY_NODE, level, n),
            _u32s(offsets),
            pack(f"<{n}Q", *counts),
            *addresses,
            *keys,
        )
    )


def encode_node(node: Node) -> bytes:
    """The chunk bytes of ``node``."""
    if node.level == 0:
        return encode_leaf(node.keys, node.values)
    return encode_internal(node.level, node.keys, node.addresses, node.counts)


def decode_node(data: bytes, address: bytes | None = None) -> Node:
    """Decode a node chunk; raises CorruptionError if it is not a well-formed one."""
    try:
        kind, level, n = _HEADER.unpack_from(data, 0)
        if kind != PROLLY_NODE:
            raise CorruptionError(f"not a prolly node (kind {kind!r})", address=address)
        if level == 0:
            o = unpack_from(f"<{2 * n + 1}I", data, HEADER_SIZE)
            if o[-1] != len(data) or o[0] != HEADER_SIZE + 4 * (2 * n + 1):
                raise CorruptionError("prolly leaf offsets do not match its size", address=address)
            sl = [data[a:b] for a, b in zip(o, o[1:])]
            return Node(0, sl[:n], sl[n:], None, None, n, address, len(data))
        o = unpack_from(f"<{n + 1}I", data, HEADER_SIZE)
        at = HEADER_SIZE + 4 * (n + 1)
        counts = list(unpack_from(f"<{n}Q", data, at))
        at += 8 * n
        end = at + ADDRESS_SIZE * n
        if o[-1] != len(data) or o[0] != end or n == 0:
            raise CorruptionError("prolly internal node offsets do not match its size", address=address)
        addresses = [data[i : i + ADDRESS_SIZE] for i in range(at, end, ADDRESS_SIZE)]
        keys = [data[a:b] for a, b in zip(o, o[1:])]
        return Node(level, keys, None, addresses, counts, sum(counts), address, len(data))
    except StructError as e:
        raise CorruptionError(f"truncated prolly node: {e}", address=address) from None


def child_addresses(data: bytes) -> list[bytes]:
    """Addresses a node chunk refers to (empty for a leaf); used by GC and fsck walkers."""
    try:
        kind, level, n = _HEADER.unpack_from(data, 0)
    except StructError as e:
        raise CorruptionError(f"truncated prolly node: {e}") from None
    if kind != PROLLY_NODE:
        raise CorruptionError(f"not a prolly node (kind {kind!r})")
    if level == 0:
        return []
    at = HEADER_SIZE + 4 * (n + 1) + 8 * n
    end = at + ADDRESS_SIZE * n
    if end > len(data):
        raise CorruptionError("truncated prolly internal node")
    return [data[i : i + ADDRESS_SIZE] for i in range(at, end, ADDRESS_SIZE)]
