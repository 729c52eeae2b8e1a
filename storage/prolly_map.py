"""ProllyMap: an immutable sorted map bytes -> bytes stored as a prolly tree.

A prolly ("probabilistic B-") tree is a B-tree whose node boundaries are
chosen by the content, not by the order of inserts.  That gives the three
properties the versioned database is built on:

* **History independence.**  The same set of entries always makes the same
  tree, byte for byte, so the root address *is* the content's identity: two
  branches that reach the same rows by different edits have equal roots.
* **Structural sharing.**  An edit rewrites only the nodes on the paths it
  touches (plus, rarely, a neighbour whose boundary moved); every other node
  is shared by address with the previous version.
* **Cheap diffs.**  Equal subtrees have equal addresses, so ``prolly_diff``
  skips them without reading them.

The chunking rule (``Chunking`` in ``storage.node_store``).  Each level of
the tree is a sorted sequence of entries (leaf level: key/value; level L:
one entry per node of level L-1: its last key, address and entry count).  A
level is cut into nodes left to right: a node ends after entry ``(k, e
bytes)`` when, with ``s`` the node's size including that entry::

    s >= min_size  and  ( s >= max_size  or  xxh3_64(k, seed[level]) < e * s * c )

with ``c = 2 * 2^64 / target^2`` (the hazard of a Weibull distribution of
shape 2: the chance to end grows with the node's size).  Internal nodes also
need two entries, so each level is smaller than the one below and the tree
is finite.  The decision looks only at the key's hash and at the entries
since the previous boundary, so a level's cut depends only on its entries:
this is what makes the tree history independent.  Per-level seeds keep the
levels' boundaries independent of each other (a leaf's last key is its
parent entry's key).

Mutation (``mutate``) works a level at a time.  For each run of edits it
re-cuts from the start of the first node the edits touch (the boundary
before it cannot move: it depends only on earlier entries), merging the old
entries with the edits, and stops at the first new boundary that falls at
the end of an old node after the run's last edit: from there on the old
cut is the new cut.  The old nodes it replaced and the new nodes it made
become delete/insert edits of the level above, keyed by last key, and the
same procedure runs there.  At the top, new levels are built or single-child
roots dropped, so the result is exactly what ``from_sorted`` would build.

Invariants: keys are unique and strictly increasing across a level; an
internal entry's key is the last key of its child and its count is the
number of leaf entries below; the root of an empty map is an empty leaf.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import islice
from operator import itemgetter, lt
from typing import Iterable, Iterator, Mapping

from xxhash import xxh3_64_intdigest

from storage.node_store import NodeStore
from storage.prolly_node import Node

_LEAF_ENTRY_OVERHEAD = 8  # two u32 offsets per leaf entry (see prolly_node)
_INTERNAL_ENTRY_OVERHEAD = 4 + 8 + 20  # offset + count + address per child
_BUILD_BATCH = 4096  # input entries cut per call: amortizes call overhead, bounds memory
_SEED_STEP = 0x9E3779B97F4A7C15  # golden-ratio step: well-spread per-level seeds
_MASK64 = (1 << 64) - 1


def level_seed(level: int) -> int:
    """The xxh3 seed for boundary hashes at ``level``."""
    return ((level + 1) * _SEED_STEP) & _MASK64


def _cut_leaf_entries(keys, values, chunking, size):
    """Cut leaf entries: (end indices of finished nodes, size of the open node after).

    ``size`` is the byte size of the open node before ``keys[0]``.
    """
    lo, hi, c = chunking.min_size, chunking.max_size, chunking.hazard_scale
    seed = level_seed(0)
    ends = []
    i = 0
    for k, v in zip(keys, values):
        i += 1
        e = len(k) + len(v) + _LEAF_ENTRY_OVERHEAD
        size += e
        if size >= lo and (size >= hi or xxh3_64_intdigest(k, seed) < e * size * c):
            ends.append(i)
            size = 0
    return ends, size


def _cut_internal_entries(keys, level, chunking, size, pending):
    """Like ``_cut_leaf_entries`` for a level >= 1; ``pending`` counts the open node's entries."""
    lo, hi, c = chunking.min_size, chunking.max_size, chunking.hazard_scale
    seed = level_seed(level)
    ends = []
    i = 0
    for k in keys:
        i += 1
        pending += 1
        e = len(k) + _INTERNAL_ENTRY_OVERHEAD
        size += e
        if (
            size >= lo
            and pending >= 2
            and (size >= hi or xxh3_64_intdigest(k, seed) < e * size * c)
        ):
            ends.append(i)
            size = pending = 0
    return ends, size, pending


class _OpenLevel:
    """The open (unfinished) node of one level while building, and what the level made."""

    __slots__ = ("keys", "values", "counts", "size", "pending", "last", "made")

    def __init__(self) -> None:
        self.keys: list = []
        self.values: list = []  # leaf values, or child addresses at levels >= 1
        self.counts: list = []  # child entry counts (levels >= 1)
        self.size = 0  # bytes of the open node so far (as the chunking counts them)
        self.pending = 0  # entries in the open node (levels >= 1)
        self.last: Node | None = None  # the last node this level finished
        self.made = 0  # nodes this level finished


class _Builder:
    """Builds a tree bottom-up from sorted entries, holding only each level's open node.

    Memory is O(height x node size) whatever the input length.  ``base`` is
    the lowest level fed: 0 for key/value entries, L >= 1 for entries that
    describe existing nodes of level L-1.
    """

    def __init__(self, ns: NodeStore, base: int = 0):
        self.ns = ns
        self.base = base
        self.levels: list[_OpenLevel] = []  # index = level - base

    def _level(self, level: int) -> _OpenLevel:
        while len(self.levels) <= level - self.base:
            self.levels.append(_OpenLevel())
        return self.levels[level - self.base]

    def add_leaves(self, keys: list[bytes], values: list[bytes]) -> None:
        """Feed key/value entries (only when ``base`` is 0)."""
        st = self._level(0)
        ends, st.size = _cut_leaf_entries(keys, values, self.ns.chunking, st.size)
        if not ends:
            st.keys += keys
            st.values += values
            return
        write = self.ns.write_leaf
        pk, pv, pc = [], [], []
        start = 0
        for end in ends:
            if start == 0 and st.keys:
                node = write(st.keys + keys[:end], st.values + values[:end])
                st.keys, st.values = [], []
            else:
                node = write(keys[start:end], values[start:end])
            pk.append(node.keys[-1])
            pv.append(node.address)
            pc.append(node.count)
            start = end
        st.keys += keys[start:]
        st.values += values[start:]
        st.last = node
        st.made += len(ends)
        self.add_children(1, pk, pv, pc)

    def add_children(self, level: int, keys: list[bytes], addresses: list[bytes], counts: list[int]) -> None:
        """Feed entries of ``level`` (each one a node of ``level - 1``)."""
        st = self._level(level)
        ends, st.size, st.pending = _cut_internal_entries(keys, level, self.ns.chunking, st.size, st.pending)
        if not ends:
            st.keys += keys
            st.values += addresses
            st.counts += counts
            return
        write = self.ns.write_internal
        pk, pv, pc = [], [], []
        start = 0
        for end in ends:
            if start == 0 and st.keys:
                node = write(level, st.keys + keys[:end], st.values + addresses[:end], st.counts + counts[:end])
                st.keys, st.values, st.counts = [], [], []
            else:
                node = write(level, keys[start:end], addresses[start:end], counts[start:end])
            pk.append(node.keys[-1])
            pv.append(node.address)
            pc.append(node.count)
            start = end
        st.keys += keys[start:]
        st.values += addresses[start:]
        st.counts += counts[start:]
        st.last = node
        st.made += len(ends)
        self.add_children(level + 1, pk, pv, pc)

    def finish(self) -> Node | None:
        """Close every open node; returns the root (None if nothing was fed).

        The root is the only node of the lowest level that made exactly one
        node; the single entry that node left in the level above is dropped.
        """
        level = self.base
        while level - self.base < len(self.levels):
            st = self.levels[level - self.base]
            if st.keys:
                if level == 0:
                    node = self.ns.write_leaf(st.keys, st.values)
                else:
                    node = self.ns.write_internal(level, st.keys, st.values, st.counts)
                st.keys, st.values, st.counts = [], [], []
                st.last = node
                st.made += 1
                if st.made > 1:
                    self.add_children(level + 1, [node.keys[-1]], [node.address], [node.count])
            if st.made == 1:
                return st.last
            level += 1
        return None


class _LevelCursor:
    """Walks the nodes of one level of an existing tree, left to right."""

    __slots__ = ("ns", "path", "node")

    def __init__(self, ns: NodeStore, root: Node, level: int, key: bytes):
        """Position on the first node of ``level`` whose last key is >= ``key`` (else the last node)."""
        self.ns = ns
        self.path: list[list] = []
        node = root
        while node.level > level:
            i = bisect_left(node.keys, key)
            if i == len(node.keys):
                i -= 1
            self.path.append([node, i])
            node = ns.read(node.addresses[i])
        self.node = node

    def is_last(self) -> bool:
        return all(i == len(n.keys) - 1 for n, i in self.path)

    def advance(self) -> None:
        path = self.path
        depth = len(path) - 1
        while path[depth][1] == len(path[depth][0].keys) - 1:
            depth -= 1
        path[depth][1] += 1
        node = self.ns.read(path[depth][0].addresses[path[depth][1]])
        for d in range(depth + 1, len(path)):
            path[d] = [node, 0]
            node = self.ns.read(node.addresses[0])
        self.node = node


def _merge_edits(keys, values, ekeys, evals, lo, hi):
    """``keys``/``values`` with the edits ``ekeys[lo:hi]`` applied (None deletes)."""
    out_k: list = []
    out_v: list = []
    pos = 0
    n = len(keys)
    for x in range(lo, hi):
        k = ekeys[x]
        i = bisect_left(keys, k, pos)
        if i > pos:
            out_k += keys[pos:i]
            out_v += values[pos:i]
        if i < n and keys[i] == k:
            i += 1
        v = evals[x]
        if v is not None:
            out_k.append(k)
            out_v.append(v)
        pos = i
    if pos < n:
        out_k += keys[pos:]
        out_v += values[pos:]
    return out_k, out_v


def _rewrite_level(ns: NodeStore, root: Node, level: int, ekeys: list, evals: list):
    """Apply sorted edits to one level of the tree under ``root``.

    Values at level 0 are bytes (None deletes); at level >= 1 they are
    ``(address, count)`` pairs.  Returns ``(parent_edits, produced)``:
    the edits for the level above (dict key -> (address, count) or None) and
    the new nodes of the last run (the whole new level when ``level`` is the
    root's).
    """
    chunking = ns.chunking
    parent: dict = {}
    produced: list[Node] = []
    i, n_edits = 0, len(ekeys)
    while i < n_edits:
        cur = _LevelCursor(ns, root, level, ekeys[i])
        consumed: list[Node] = []
        produced = []
        pk: list = []
        pv: list = []
        size = pending = 0
        while True:
            node = cur.node
            consumed.append(node)
            last = cur.is_last()
            j = n_edits if last else bisect_right(ekeys, node.keys[-1], i)
            if level == 0:
                nk, nv = node.keys, node.values
            else:
                nk, nv = node.keys, list(zip(node.addresses, node.counts))
            skip = 0
            if j > i:
                if not pk and size == 0:
                    # The node starts fresh and its entries before the first
                    # edit are unchanged, so none of them but the last (the
                    # last node of a level may end on a boundary) can end it:
                    # cut from the first edit on, with their size carried in.
                    skip = min(bisect_left(nk, ekeys[i]), len(nk) - 1)
                    size = sum(map(len, nk[:skip])) + skip * _INTERNAL_ENTRY_OVERHEAD
                    if level == 0:
                        size += sum(map(len, nv[:skip])) + skip * (_LEAF_ENTRY_OVERHEAD - _INTERNAL_ENTRY_OVERHEAD)
                    pending = skip
                nk, nv = _merge_edits(nk, nv, ekeys, evals, i, j)
                i = j
            if level == 0:
                ends, size = _cut_leaf_entries(nk[skip:] if skip else nk, nv[skip:] if skip else nv, chunking, size)
            else:
                ends, size, pending = _cut_internal_entries(nk[skip:] if skip else nk, level, chunking, size, pending)
            if skip:
                ends = [e + skip for e in ends]
            start = 0
            for end in ends:
                if start == 0 and pk:
                    ks, vs = pk + nk[:end], pv + nv[:end]
                    pk, pv = [], []
                else:
                    ks, vs = nk[start:end], nv[start:end]
                produced.append(_write(ns, level, ks, vs))
                start = end
            if start < len(nk):
                pk += nk[start:]
                pv += nv[start:]
            if not pk:
                break  # a new boundary at an old node's end: the rest of the level is unchanged
            if last:
                produced.append(_write(ns, level, pk, pv))
                break
            cur.advance()
        if len(consumed) != len(produced) or any(a.address != b.address for a, b in zip(consumed, produced)):
            for node in consumed:
                parent[node.keys[-1]] = None
            for node in produced:
                parent[node.keys[-1]] = (node.address, node.count)
    return parent, produced


def _write(ns: NodeStore, level: int, keys: list, values: list) -> Node:
    if level == 0:
        return ns.write_leaf(keys, values)
    return ns.write_internal(level, keys, [a for a, _ in values], [c for _, c in values])


class ProllyMap:
    """An immutable sorted map bytes -> bytes: a node store plus a root node.

    Equality is by root address (which history independence makes equality
    of content).  Every "modifying" method returns a new map.
    """

    __slots__ = ("ns", "_root")

    def __init__(self, ns: NodeStore, root: Node):
        self.ns = ns
        self._root = root

    # -- construction ----------------------------------------------------

    @classmethod
    def empty(cls, ns: NodeStore) -> ProllyMap:
        return cls(ns, ns.write_leaf([], []))

    @classmethod
    def load(cls, ns: NodeStore, address: bytes) -> ProllyMap:
        """The map whose root chunk is at ``address`` (reads that one chunk)."""
        return cls(ns, ns.read(address))

    @classmethod
    def from_sorted(cls, ns: NodeStore, items: Iterable[tuple[bytes, bytes]]) -> ProllyMap:
        """Build from (key, value) pairs in strictly increasing key order, streaming.

        Raises ValueError if the keys are not sorted and unique.
        """
        builder = _Builder(ns)
        it = iter(items)
        prev = None
        while True:
            batch = list(islice(it, _BUILD_BATCH))
            if not batch:
                break
            keys = [kv[0] for kv in batch]
            values = [kv[1] for kv in batch]
            if (prev is not None and not prev < keys[0]) or not all(map(lt, keys, islice(keys, 1, None))):
                raise ValueError("from_sorted needs strictly increasing keys")
            prev = keys[-1]
            builder.add_leaves(keys, values)
        root = builder.finish()
        return cls(ns, root) if root is not None else cls.empty(ns)

    # -- whole-map facts -------------------------------------------------

    @property
    def address(self) -> bytes:
        """The root chunk's address: equal addresses mean equal contents."""
        return self._root.address

    @property
    def root(self) -> Node:
        return self._root

    @property
    def depth(self) -> int:
        """Levels of nodes (1 for a single leaf): the chunks a point lookup reads."""
        return self._root.level + 1

    height = depth  # an alias: same meaning as ``depth``

    def count(self) -> int:
        """Number of entries, from the root's subtree counts (no scan)."""
        return self._root.count

    def __len__(self) -> int:
        return self._root.count

    def __bool__(self) -> bool:
        return self._root.count > 0

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ProllyMap) and other._root.address == self._root.address

    def __hash__(self) -> int:
        return hash(self._root.address)

    def __repr__(self) -> str:
        from storage.address import to_text

        return f"ProllyMap({to_text(self.address)}, count={self.count()}, depth={self.depth})"

    # -- point reads -----------------------------------------------------

    def get(self, key: bytes, default: bytes | None = None) -> bytes | None:
        """The value of ``key`` or ``default``; reads at most ``depth`` chunks."""
        node = self._root
        read = self.ns.read
        while node.level:
            keys = node.keys
            i = bisect_left(keys, key)
            if i == len(keys):
                return default
            node = read(node.addresses[i])
        keys = node.keys
        i = bisect_left(keys, key)
        if i < len(keys) and keys[i] == key:
            return node.values[i]
        return default

    def __contains__(self, key: bytes) -> bool:
        return self.get(key) is not None

    def __getitem__(self, key: bytes) -> bytes:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def rank(self, key: bytes) -> int:
        """How many keys are < ``key`` (the offset ``key`` has or would have)."""
        node = self._root
        total = 0
        while node.level:
            i = bisect_left(node.keys, key)
            if i == len(node.keys):
                return total + node.count
            total += node.starts()[i]
            node = self.ns.read(node.addresses[i])
        return total + bisect_left(node.keys, key)

    def at(self, offset: int) -> tuple[bytes, bytes]:
        """The entry at ``offset`` in key order (negative counts from the end)."""
        node = self._root
        if offset < 0:
            offset += node.count
        if not 0 <= offset < node.count:
            raise IndexError(f"offset {offset} out of range for {node.count} entries")
        while node.level:
            starts = node.starts()
            i = bisect_right(starts, offset) - 1
            offset -= starts[i]
            node = self.ns.read(node.addresses[i])
        return node.keys[offset], node.values[offset]

    # -- scans -----------------------------------------------------------

    def items(
        self,
        start: bytes | None = None,
        stop: bytes | None = None,
        *,
        reverse: bool = False,
        start_inclusive: bool = True,
        stop_inclusive: bool = False,
    ) -> Iterator[tuple[bytes, bytes]]:
        """Entries with start <= key < stop (bounds per the flags; None = unbounded), in key order.

        ``reverse=True`` yields the same entries from the largest key down.
        """
        if start is not None and stop is not None:
            if start > stop or (start == stop and not (start_inclusive and stop_inclusive)):
                return iter(())
        if reverse:
            return self._backward(start, stop, start_inclusive, stop_inclusive)
        return self._forward(start, stop, start_inclusive, stop_inclusive)

    def keys(self, start: bytes | None = None, stop: bytes | None = None, **kw) -> Iterator[bytes]:
        return map(itemgetter(0), self.items(start, stop, **kw))

    def values(self, start: bytes | None = None, stop: bytes | None = None, **kw) -> Iterator[bytes]:
        return map(itemgetter(1), self.items(start, stop, **kw))

    def __iter__(self) -> Iterator[bytes]:
        return self.keys()

    def _forward(self, start, stop, start_inclusive, stop_inclusive):
        read = self.ns.read
        node = self._root
        stack = []
        while node.level:
            i = 0 if start is None else bisect_left(node.keys, start)
            if i == len(node.keys):
                return
            stack.append([node, i])
            node = read(node.addresses[i])
        if start is None:
            i = 0
        else:
            i = (bisect_left if start_inclusive else bisect_right)(node.keys, start)
        while True:
            keys = node.keys
            if stop is not None and keys and keys[-1] >= stop:
                j = (bisect_right if stop_inclusive else bisect_left)(keys, stop)
                yield from zip(keys[i:j], node.values[i:j])
                return
            if i:
                yield from zip(keys[i:], node.values[i:])
            else:
                yield from zip(keys, node.values)
            # step to the next leaf
            while stack and stack[-1][1] == len(stack[-1][0].keys) - 1:
                stack.pop()
            if not stack:
                return
            stack[-1][1] += 1
            parent, pi = stack[-1]
            node = read(parent.addresses[pi])
            while node.level:
                stack.append([node, 0])
                node = read(node.addresses[0])
            i = 0

    def _backward(self, start, stop, start_inclusive, stop_inclusive):
        read = self.ns.read
        node = self._root
        stack = []
        while node.level:
            n = len(node.keys)
            i = n - 1 if stop is None else min(bisect_left(node.keys, stop), n - 1)
            stack.append([node, i])
            node = read(node.addresses[i])
        keys = node.keys
        if stop is None:
            j = len(keys)
        else:
            j = (bisect_right if stop_inclusive else bisect_left)(keys, stop)
        while True:
            keys = node.keys
            if start is not None and keys and keys[0] <= start:
                i = (bisect_left if start_inclusive else bisect_right)(keys, start)
                if j > i:
                    yield from zip(reversed(keys[i:j]), reversed(node.values[i:j]))
                return
            yield from zip(reversed(keys[:j]), reversed(node.values[:j]))
            # step to the previous leaf
            while stack and stack[-1][1] == 0:
                stack.pop()
            if not stack:
                return
            stack[-1][1] -= 1
            parent, pi = stack[-1]
            node = read(parent.addresses[pi])
            while node.level:
                stack.append([node, len(node.keys) - 1])
                node = read(node.addresses[-1])
            j = len(node.keys)

    # -- mutation --------------------------------------------------------

    def mutate(self, edits: Mapping[bytes, bytes | None] | Iterable[tuple[bytes, bytes | None]]) -> ProllyMap:
        """A new map with ``edits`` applied: value None deletes, later edits of a key win.

        Rewrites only the nodes on the changed paths; the result has the
        address a fresh ``from_sorted`` of the same entries would have.
        """
        if type(edits) is not dict and not isinstance(edits, Mapping):
            edits = dict(edits)
        if not edits:
            return self
        ordered = sorted(edits.items(), key=itemgetter(0))
        ns = self.ns
        root = self._root
        if root.count == 0:
            return ProllyMap.from_sorted(ns, [kv for kv in ordered if kv[1] is not None])
        ekeys = [kv[0] for kv in ordered]
        evals = [kv[1] for kv in ordered]
        level = 0
        while True:
            parent, produced = _rewrite_level(ns, root, level, ekeys, evals)
            if not parent:
                return self  # nothing changed at this level, so nothing above changes
            if level == root.level:
                break
            ordered = sorted(parent.items(), key=itemgetter(0))
            ekeys = [kv[0] for kv in ordered]
            evals = [kv[1] for kv in ordered]
            level += 1
        # ``produced`` is now the whole new top level
        if not produced:
            return ProllyMap.empty(ns)
        if len(produced) == 1:
            node = produced[0]
            while node.level and len(node.keys) == 1:
                node = ns.read(node.addresses[0])
            return ProllyMap(ns, node)
        builder = _Builder(ns, base=level + 1)
        builder.add_children(
            level + 1, [n.keys[-1] for n in produced], [n.address for n in produced], [n.count for n in produced]
        )
        return ProllyMap(ns, builder.finish())

    def set(self, key: bytes, value: bytes) -> ProllyMap:
        return self.mutate(((key, value),))

    def delete(self, key: bytes) -> ProllyMap:
        return self.mutate(((key, None),))
