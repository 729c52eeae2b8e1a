"""Three-way merge of prolly maps, key by key, in O(changes).

Given a common ancestor ``base`` and two descendants ``ours`` and
``theirs``, the merge walks ``diff(base, ours)`` and ``diff(base, theirs)``
side by side (both in key order) and decides per key:

=====================================  ==========================================
ours vs base / theirs vs base          result
=====================================  ==========================================
changed / unchanged                    ours' value (already in ``ours``)
unchanged / changed                    theirs' value (applied to ``ours``)
both changed to the same value         that value, or a conflict when
                                       ``identical_edits_conflict`` (the SQL
                                       layer uses it so two concurrent
                                       ``x = x + 1`` never lose an increment;
                                       two deletes of one key count as the
                                       same edit too)
both changed, differently              conflict; the result keeps ours' value
=====================================  ==========================================

"Changed" includes inserted and deleted: a delete on one side against a
modification on the other is a conflict.  The result is ``ours.mutate`` of
theirs' one-sided changes, so it shares every untouched node with ``ours``.
Nothing here reads more than the two diffs read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from storage.prolly_diff import diff
from storage.prolly_map import ProllyMap

Conflict = tuple[bytes, "bytes | None", "bytes | None", "bytes | None"]  # key, base, ours, theirs


@dataclass
class MergeResult:
    """The merged map and the keys both sides changed incompatibly (in key order)."""

    map: ProllyMap
    conflicts: list[Conflict] = field(default_factory=list)


_DONE = object()


def _next(it: Iterator):
    return next(it, _DONE)


def merge(
    base: ProllyMap, ours: ProllyMap, theirs: ProllyMap, *, identical_edits_conflict: bool = False
) -> MergeResult:
    """Three-way merge of ``theirs`` into ``ours`` relative to ``base`` (see the module doc)."""
    if theirs.address == base.address:
        return MergeResult(ours)
    if ours.address == base.address:
        return MergeResult(theirs)
    if ours.address == theirs.address and not identical_edits_conflict:
        return MergeResult(ours)
    conflicts: list[Conflict] = []
    apply: list[tuple[bytes, bytes | None]] = []
    a = diff(base, ours)
    b = diff(base, theirs)
    x, y = _next(a), _next(b)
    while x is not _DONE and y is not _DONE:
        kx, ky = x[0], y[0]
        if kx < ky:
            x = _next(a)  # only ours changed it: ours already holds it
        elif ky < kx:
            apply.append((ky, y[2]))  # only theirs changed it
            y = _next(b)
        else:
            if x[2] != y[2] or identical_edits_conflict:
                conflicts.append((kx, x[1], x[2], y[2]))
            x, y = _next(a), _next(b)
    while y is not _DONE:
        apply.append((y[0], y[2]))
        y = _next(b)
    merged = ours.mutate(apply) if apply else ours
    return MergeResult(merged, conflicts)
