"""Finding every chunk reachable from some roots, whoever wrote them.

Garbage collection, fsck and push/pull all need "everything this root
reaches".  Each chunk's first byte is its kind (``storage.chunk_kinds``), so
one dispatch table maps a chunk to the addresses it refers to, without the
walker knowing anything else about the chunk::

    REF_MAP     -> every ref's target          (storage.refs)
    WORKING_SET -> working, staged roots (+ merge commit, pre-merge root)
    TAG         -> the tagged commit            (storage.commit)
    COMMIT      -> root value, parents
    ROOT_VALUE  -> tables                       (storage.root_value)
    TABLE       -> primary and index map roots  (storage.table)
    PROLLY_NODE -> children of internal nodes   (storage.prolly_node)
    BLOB        -> nothing

The walk goes a level at a time: all addresses first seen at depth d are
fetched with ``get_many`` in batches before depth d+1, so a disk store can
serve each batch in file order and a remote one in few round trips.  A chunk
already seen is never fetched again; since chunks are immutable, a seen
chunk's whole subtree is known to be in the set, which also makes an
incremental re-walk from a newer root cheap (``storage.gc`` relies on it).
"""

from __future__ import annotations

from typing import Callable, Iterable

from storage import chunk_kinds
from storage.address import ZERO
from storage.commit import commit_children, tag_children
from storage.errors import ChunkNotFoundError, CorruptionError
from storage.prolly_node import child_addresses
from storage.refs import ref_map_children, working_set_children
from storage.root_value import root_value_children
from storage.table import table_children

# Addresses per get_many: large enough to amortise per-call overhead (and let
# a disk or remote store batch its reads), small enough that one batch of
# ~4 KiB prolly nodes (~16 MiB) is all the walk holds at once.
BATCH = 4096

Labelled = Callable[[bytes], list[tuple[str, bytes]]]

_LABELLED: dict[bytes, Labelled] = {
    chunk_kinds.REF_MAP: ref_map_children,
    chunk_kinds.WORKING_SET: working_set_children,
    chunk_kinds.TAG: tag_children,
    chunk_kinds.COMMIT: commit_children,
    chunk_kinds.ROOT_VALUE: root_value_children,
    chunk_kinds.TABLE: table_children,
}


def children(data: bytes) -> list[bytes]:
    """The addresses chunk ``data`` refers to. CorruptionError for an unknown kind."""
    kind = data[:1]
    if kind == chunk_kinds.PROLLY_NODE:
        return child_addresses(data)
    if kind == chunk_kinds.BLOB:
        return []
    labelled = _LABELLED.get(kind)
    if labelled is None:
        raise CorruptionError(f"unknown chunk kind {kind!r}")
    return [address for _, address in labelled(data)]


def labelled_children(data: bytes) -> list[tuple[str, bytes]]:
    """(label, address) for each reference in chunk ``data``; labels say what it is."""
    kind = data[:1]
    if kind == chunk_kinds.PROLLY_NODE:
        return [("child", a) for a in child_addresses(data)]
    if kind == chunk_kinds.BLOB:
        return []
    labelled = _LABELLED.get(kind)
    if labelled is None:
        raise CorruptionError(f"unknown chunk kind {kind!r}")
    return labelled(data)


def mark(store, roots: Iterable[bytes], seen: set[bytes]) -> tuple[int, int]:
    """Add every chunk reachable from ``roots`` to ``seen``; returns (chunks, bytes) added.

    Chunks already in ``seen`` are taken as fully marked and not revisited.
    ZERO roots are skipped.  Raises ChunkNotFoundError for a reachable chunk
    the store lacks (the store is damaged: run fsck to see where).
    """
    frontier = []
    for root in roots:
        if root != ZERO and root not in seen:
            seen.add(root)
            frontier.append(root)
    chunks = size = 0
    while frontier:
        following: list[bytes] = []
        for i in range(0, len(frontier), BATCH):
            part = frontier[i : i + BATCH]
            found = store.get_many(part)
            if len(found) != len(part):
                lost = next(a for a in part if a not in found)
                raise ChunkNotFoundError(lost, "reachable from the database root")
            chunks += len(found)
            for data in found.values():
                size += len(data)
                for child in children(data):
                    if child not in seen:
                        seen.add(child)
                        following.append(child)
        frontier = following
    return chunks, size


def reachable(store, roots: Iterable[bytes]) -> set[bytes]:
    """Every chunk address reachable from ``roots`` (the roots included)."""
    seen: set[bytes] = set()
    mark(store, roots, seen)
    return seen
