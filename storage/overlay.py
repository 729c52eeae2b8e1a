"""A prolly map seen through a sorted set of unwritten edits.

Why: writing a prolly map's changed path costs a leaf rewrite, a re-chunk and
a SHA-256 per level, so a one-row SQL commit that wrote its trees would spend
most of its time hashing nodes that the next commit rewrites again.  Instead
committed row edits collect in memory (``storage.pending`` makes them durable
as one small journal record per commit) and readers see the tree through
them.  The edits go into the tree in one batched ``mutate`` much later, and
since prolly trees are history-independent the result is the same tree a
commit-by-commit write would have built.

``MapEdits`` holds the edits as a dict (point lookups) plus the edited keys
in sorted order (range scans).  It is treated as immutable while any
snapshot can see it (``with_edits`` copies); its owner may update it in
place when none can (``storage.pending``).  ``OverlayMap`` is the read side:
the ``ProllyMap`` read methods, answering from the edits first; its base may
itself be an ``OverlayMap`` (a transaction's own edits layered over the
branch's pending ones).  A value of None in the edits is a deletion.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from typing import Iterator, Mapping

from storage.prolly_map import ProllyMap


class MapEdits:
    """A set of edits to one map: key -> new value, or None for a deletion.

    Immutable, except to its ``owner`` (``storage.pending.BranchEdits``), which
    may change it in place while no snapshot can see it.  Copies never share
    the dict or the key list with the original, so changing a copy in place
    can never show through an older snapshot.
    """

    __slots__ = ("edits", "keys", "owner")

    def __init__(self, edits: dict[bytes, bytes | None] | None = None, keys: list[bytes] | None = None,
                 owner: object = None):
        self.edits = edits if edits is not None else {}
        self.keys = keys if keys is not None else sorted(self.edits)
        self.owner = owner

    def __len__(self) -> int:
        return len(self.edits)

    def with_edits(self, new: Mapping[bytes, bytes | None], owner: object = None) -> MapEdits:
        """A copy with ``new`` applied on top (later edits of a key win), owned by ``owner``."""
        if not new:
            return self
        old = self.edits
        fresh = [k for k in new if k not in old]
        edits = dict(old)
        edits.update(new)
        # sorted() on an already sorted list plus a short tail is a linear merge (timsort runs)
        keys = sorted(self.keys + fresh) if fresh else list(self.keys)
        return MapEdits(edits, keys, owner)

    def owned_by(self, owner: object) -> MapEdits:
        """This object if ``owner`` owns it, else a copy that ``owner`` owns (to change in place)."""
        if self.owner is owner:
            return self
        return MapEdits(dict(self.edits), list(self.keys), owner)

    def apply_in_place(self, new: Mapping[bytes, bytes | None]) -> int:
        """Apply ``new`` to this object itself: only by its owner while no snapshot can see it
        (``BranchEdits.pins``).

        Returns how many keys it added (its growth)."""
        edits, keys = self.edits, self.keys
        added = 0
        for k, v in new.items():
            if k not in edits:
                insort(keys, k)
                added += 1
            edits[k] = v
        return added

    def span(self, start, stop, start_inclusive: bool, stop_inclusive: bool) -> tuple[int, int]:
        """The slice of ``keys`` within the bounds (``ProllyMap.items`` semantics)."""
        keys = self.keys
        i = 0 if start is None else (bisect_left if start_inclusive else bisect_right)(keys, start)
        j = len(keys) if stop is None else (bisect_right if stop_inclusive else bisect_left)(keys, stop)
        return i, j


EMPTY = MapEdits({}, [])


class OverlayMap:
    """``base`` with ``edits`` applied, for reading; ``materialize`` writes the real map."""

    __slots__ = ("base", "overlay", "_count", "_written")

    def __init__(self, base: ProllyMap, overlay: MapEdits = EMPTY):
        self.base = base
        self.overlay = overlay
        self._count: int | None = None  # computed on demand: O(edits) base lookups
        self._written: ProllyMap | None = base if not overlay.edits and isinstance(base, ProllyMap) else None

    @property
    def ns(self):
        return self.base.ns

    # -- writes -------------------------------------------------------------

    def mutate(self, edits: Mapping[bytes, bytes | None]) -> OverlayMap:
        """A new overlay with ``edits`` on top; writes nothing."""
        if type(edits) is not dict and not isinstance(edits, Mapping):  # the dict test skips an ABC check
            edits = dict(edits)
        if not edits:
            return self
        out = OverlayMap(self.base, self.overlay.with_edits(edits))
        if self._count is not None and len(edits) <= 64:  # keep a known count when that is cheap
            get = self.get
            out._count = self._count + sum(
                (v is not None) - (get(k) is not None) for k, v in edits.items())
        return out

    def materialize(self) -> ProllyMap:
        """The prolly map with every edit applied (written to the node store once, then cached)."""
        if self._written is None:
            base = self.base
            if isinstance(base, OverlayMap):  # a layer over a layer: the transaction's edits over pending ones
                base = base.materialize()
            self._written = base.mutate(self.overlay.edits)
        return self._written

    @property
    def address(self) -> bytes:
        return self.materialize().address

    # -- whole-map facts ----------------------------------------------------

    def count(self) -> int:
        if self._count is None and not self.overlay.edits:
            self._count = self.base.count()
        if self._count is None:
            get = self.base.get
            self._count = self.base.count() + sum(
                (v is not None) - (get(k) is not None) for k, v in self.overlay.edits.items())
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __bool__(self) -> bool:
        return self.count() > 0

    # -- point reads ----------------------------------------------------------

    def get(self, key: bytes, default: bytes | None = None) -> bytes | None:
        edits = self.overlay.edits
        if key in edits:
            v = edits[key]
            return default if v is None else v
        return self.base.get(key, default)

    def __contains__(self, key: bytes) -> bool:
        return self.get(key) is not None

    def at(self, offset: int) -> tuple[bytes, bytes]:
        """The entry at ``offset`` in key order (negative counts from the end)."""
        if not self.overlay.edits:
            return self.base.at(offset)
        if offset in (0, -1):
            for kv in self.items(reverse=offset == -1):
                return kv
            raise IndexError(f"offset {offset} out of range for 0 entries")
        return self.materialize().at(offset)

    # -- scans ----------------------------------------------------------------

    def items(
        self,
        start: bytes | None = None,
        stop: bytes | None = None,
        *,
        reverse: bool = False,
        start_inclusive: bool = True,
        stop_inclusive: bool = False,
    ) -> Iterator[tuple[bytes, bytes]]:
        base = self.base.items(start, stop, reverse=reverse, start_inclusive=start_inclusive,
                               stop_inclusive=stop_inclusive)
        overlay = self.overlay
        if not overlay.keys:
            return base
        if start is not None and stop is not None:
            if start > stop or (start == stop and not (start_inclusive and stop_inclusive)):
                return iter(())
        i, j = overlay.span(start, stop, start_inclusive, stop_inclusive)
        if i >= j:
            return base
        keys = overlay.keys[i:j]
        if reverse:
            keys.reverse()
            return _merge(base, keys, overlay.edits, _after)
        return _merge(base, keys, overlay.edits, _before)

    def keys(self, start: bytes | None = None, stop: bytes | None = None, **kw) -> Iterator[bytes]:
        return (k for k, _ in self.items(start, stop, **kw))

    def values(self, start: bytes | None = None, stop: bytes | None = None, **kw) -> Iterator[bytes]:
        return (v for _, v in self.items(start, stop, **kw))

    def __iter__(self) -> Iterator[bytes]:
        return self.keys()

    def __repr__(self) -> str:
        return f"OverlayMap({self.base!r}, {len(self.overlay)} edits)"


def _before(a: bytes, b: bytes) -> bool:
    return a < b


def _after(a: bytes, b: bytes) -> bool:
    return a > b


def _merge(base: Iterator, keys: list[bytes], edits: dict, first) -> Iterator[tuple[bytes, bytes]]:
    """Merge the base entries with the edited ``keys`` (in scan order): edits win, None hides."""
    n = len(keys)
    i = 0
    ok = keys[0]
    for k, v in base:
        while i < n and first(ok, k):
            ov = edits[ok]
            if ov is not None:
                yield ok, ov
            i += 1
            ok = keys[i] if i < n else None
        if i < n and ok == k:
            ov = edits[ok]
            if ov is not None:
                yield ok, ov
            i += 1
            ok = keys[i] if i < n else None
        else:
            yield k, v
    while i < n:
        ov = edits[keys[i]]
        if ov is not None:
            yield keys[i], ov
        i += 1
