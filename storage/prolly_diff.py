"""Diff of two prolly maps, reading only the subtrees that differ.

Why it is cheap: equal subtrees have equal addresses (history independence,
see ``storage.prolly_map``), so whenever the two walks stand at subtrees with
the same address, both are skipped unread.  The cost is O(changes x depth)
node reads, not O(size).

How: each side is a stack of pending items in key order (top = smallest
key): a *reference* to an unread subtree ``(level, last key, address)`` or
a leaf *entry* ``(-1, key, value)``.  At each step, with heads ``a`` and
``b``:

* both references with the same address -> identical content starting at the
  same key (everything before them has been consumed on both sides), so both
  are dropped;
* both entries -> compare keys and values, emit a difference if any;
* otherwise expand (read) the reference of higher level, or both if they are
  references of the same level.  Expanding never changes what is emitted,
  only how much is read, so differing node boundaries (a shifted chunk) and
  trees of different heights need no special case.

Invariant: each stack holds, from top to bottom, a key-ordered partition of
the entries of its map not yet consumed.
"""

from __future__ import annotations

from itertools import repeat
from typing import Iterator

from storage.prolly_map import ProllyMap
from storage.prolly_node import Node

_ENTRY = -1  # level marker of a leaf entry on a diff stack


def _push(stack: list, node: Node) -> None:
    """Push ``node``'s items so the smallest key ends on top."""
    if node.level == 0:
        stack.extend(zip(repeat(_ENTRY), reversed(node.keys), reversed(node.values)))
    else:
        stack.extend(zip(repeat(node.level - 1), reversed(node.keys), reversed(node.addresses)))


def _drain(stack: list, read, side: int) -> Iterator[tuple]:
    """Every entry left on ``stack``, as a one-sided difference (side 0 = old, 1 = new)."""
    while stack:
        level, key, payload = stack.pop()
        if level == _ENTRY:
            yield (key, payload, None) if side == 0 else (key, None, payload)
        else:
            _push(stack, read(payload))


def diff(old: ProllyMap, new: ProllyMap) -> Iterator[tuple[bytes, bytes | None, bytes | None]]:
    """Yield ``(key, old_value, new_value)`` for each key whose value differs, in key order.

    An absent side is None (an insert has ``old_value`` None, a delete
    ``new_value`` None).  The maps may use different node stores (each side
    reads through its own) but must share one ``Chunking`` for subtrees to
    be skipped; with different chunkings the result is still correct, only
    slower.
    """
    if old.address == new.address:
        return
    read_a, read_b = old.ns.read, new.ns.read
    a: list = []
    b: list = []
    _push(a, old.root)
    _push(b, new.root)
    while a and b:
        la, ka, pa = a[-1]
        lb, kb, pb = b[-1]
        if la == _ENTRY and lb == _ENTRY:
            if ka == kb:
                a.pop()
                b.pop()
                if pa != pb:
                    yield ka, pa, pb
            elif ka < kb:
                a.pop()
                yield ka, pa, None
            else:
                b.pop()
                yield kb, None, pb
            continue
        if la == lb:
            a.pop()
            b.pop()
            if pa != pb:
                _push(a, read_a(pa))
                _push(b, read_b(pb))
        elif la > lb:
            a.pop()
            _push(a, read_a(pa))
        else:
            b.pop()
            _push(b, read_b(pb))
    yield from _drain(a, read_a, 0)
    yield from _drain(b, read_b, 1)


def diff_count(old: ProllyMap, new: ProllyMap) -> int:
    """How many keys differ (a convenience for tests and status output)."""
    return sum(1 for _ in diff(old, new))
