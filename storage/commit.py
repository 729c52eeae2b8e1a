"""Commits and annotated tags: the history graph.

A commit names a root value (the database content) and its parent commits:
none for the initial commit, one normally, two or more for a merge.  Its
``height`` is 1 + the largest parent height (1 for a root commit), which lets
ancestry queries prune: a commit can only be an ancestor of commits that are
higher than it, so walks ordered by height stop early
(``Database.is_ancestor``, ``Database.merge_base``).

Layout (kind ``storage.chunk_kinds.COMMIT``, canonical JSON)::

    C {"author": "Ada", "email": "ada@example.com",
       "height": 3,                          1 + max parent height
       "message": "add orders",
       "parents": ["<address>", ...],        order matters: first = the branch's previous head
       "root": "<address>",                  root value
       "time_ms": 1700000000123,             UTC milliseconds since the epoch
       "tz": 60}                             author's offset from UTC, minutes

An annotated tag (kind ``storage.chunk_kinds.TAG``)::

    G {"commit": "<address>", "email": ..., "message": ..., "name": "v1.0",
       "tagger": ..., "time_ms": ..., "tz": ...}

The history-graph queries (``is_ancestor``, ``merge_bases``, ``log``) live
here too; ``Database`` exposes them with its commit cache.

Timestamps are kept to the millisecond (as Dolt does): ``timestamp`` is
float seconds in the API, normalised on construction, so a commit equals
its decoded copy and encodes to the same bytes.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import Callable, Iterator

from storage import chunk_kinds
from storage.address import ADDRESS_SIZE, from_text, to_text
from storage.errors import CorruptionError
from storage.schema import decode_chunk, encode_chunk


def _millis(timestamp: float) -> int:
    return round(timestamp * 1000)


@dataclass(frozen=True)
class Commit:
    """One commit. ``parents[0]`` is the previous head of the branch."""

    root: bytes
    parents: tuple[bytes, ...]
    author: str
    email: str
    timestamp: float
    message: str
    height: int
    tz_offset: int = 0  # minutes east of UTC

    def __post_init__(self) -> None:
        object.__setattr__(self, "parents", tuple(self.parents))
        for address in (self.root, *self.parents):
            if len(address) != ADDRESS_SIZE:
                raise ValueError("commit root and parents must be 20-byte addresses")
        if self.height < 1 or (self.parents and self.height < 2):
            raise ValueError(f"bad commit height {self.height}")
        object.__setattr__(self, "timestamp", _millis(self.timestamp) / 1000)

    @property
    def is_merge(self) -> bool:
        return len(self.parents) > 1

    def encode(self) -> bytes:
        return encode_chunk(
            chunk_kinds.COMMIT,
            {
                "root": to_text(self.root),
                "parents": [to_text(p) for p in self.parents],
                "author": self.author,
                "email": self.email,
                "time_ms": _millis(self.timestamp),
                "tz": self.tz_offset,
                "message": self.message,
                "height": self.height,
            },
        )

    @classmethod
    def decode(cls, data: bytes) -> Commit:
        j = decode_chunk(data, chunk_kinds.COMMIT, "commit")
        try:
            return cls(
                root=from_text(j["root"]),
                parents=tuple(from_text(p) for p in j["parents"]),
                author=j["author"],
                email=j["email"],
                timestamp=j["time_ms"] / 1000,
                message=j["message"],
                height=j["height"],
                tz_offset=j["tz"],
            )
        except (KeyError, TypeError, ValueError) as e:
            raise CorruptionError(f"commit: malformed chunk ({e})") from None


@dataclass(frozen=True)
class Tag:
    """An annotated tag: a named, signed-off pointer to a commit."""

    name: str
    commit: bytes
    tagger: str
    email: str
    timestamp: float
    message: str
    tz_offset: int = 0

    def __post_init__(self) -> None:
        if len(self.commit) != ADDRESS_SIZE:
            raise ValueError("tag commit must be a 20-byte address")
        object.__setattr__(self, "timestamp", _millis(self.timestamp) / 1000)

    def encode(self) -> bytes:
        return encode_chunk(
            chunk_kinds.TAG,
            {
                "name": self.name,
                "commit": to_text(self.commit),
                "tagger": self.tagger,
                "email": self.email,
                "time_ms": _millis(self.timestamp),
                "tz": self.tz_offset,
                "message": self.message,
            },
        )

    @classmethod
    def decode(cls, data: bytes) -> Tag:
        j = decode_chunk(data, chunk_kinds.TAG, "tag")
        try:
            return cls(j["name"], from_text(j["commit"]), j["tagger"], j["email"], j["time_ms"] / 1000, j["message"], j["tz"])
        except (KeyError, TypeError, ValueError) as e:
            raise CorruptionError(f"tag: malformed chunk ({e})") from None


def commit_children(data: bytes) -> list[tuple[str, bytes]]:
    """(label, address) of a commit chunk's root value and parents, for walkers."""
    j = decode_chunk(data, chunk_kinds.COMMIT, "commit")
    try:
        out = [("root value", from_text(j["root"]))]
        out.extend(("parent", from_text(p)) for p in j["parents"])
    except (KeyError, TypeError, ValueError) as e:
        raise CorruptionError(f"commit: malformed chunk ({e})") from None
    return out


def tag_children(data: bytes) -> list[tuple[str, bytes]]:
    """The commit an annotated-tag chunk points at."""
    j = decode_chunk(data, chunk_kinds.TAG, "tag")
    try:
        return [("tagged commit", from_text(j["commit"]))]
    except (KeyError, TypeError, ValueError) as e:
        raise CorruptionError(f"tag: malformed chunk ({e})") from None


# --- the commit graph ---------------------------------------------------------
# These take ``read``: address -> Commit (``Database.read_commit``, which caches).

ReadCommit = Callable[[bytes], Commit]


def is_ancestor(read: ReadCommit, ancestor: bytes, descendant: bytes) -> bool:
    """True if ``ancestor`` is ``descendant`` or reachable through its parents.

    Walks only commits higher than ``ancestor``: lower ones cannot lead to it.
    """
    if ancestor == descendant:
        return True
    floor = read(ancestor).height
    seen = {descendant}
    stack = [descendant]
    while stack:
        for parent in read(stack.pop()).parents:
            if parent == ancestor:
                return True
            if parent not in seen and read(parent).height > floor:
                seen.add(parent)
                stack.append(parent)
    return False


_SIDE_A, _SIDE_B, _STALE = 1, 2, 4
_BOTH = _SIDE_A | _SIDE_B


def merge_bases(read: ReadCommit, a: bytes, b: bytes) -> list[bytes]:
    """Every best common ancestor of ``a`` and ``b`` (none an ancestor of another).

    Highest first, ties by address; empty when the histories are disjoint.
    Usually one; a criss-cross history has several.  Walks down from both in
    height order, painting commits with the side(s) that reach them: a commit
    painted by both is a common ancestor and everything below it is "stale".
    Heights make the order safe: every child of a commit is higher, so a
    commit is popped only after every commit that can paint it.
    """
    if a == b:
        return [a]
    flags: dict[bytes, int] = {}
    queued: set[bytes] = set()
    heap: list[tuple[int, bytes]] = []
    active = 0  # queued commits not yet stale: the walk ends when none remain
    found: list[bytes] = []

    def paint(c: bytes, f: int) -> None:
        nonlocal active
        old = flags.get(c, 0)
        new = old | f
        if new == old:
            return
        flags[c] = new
        if c in queued:
            if not old & _STALE and new & _STALE:
                active -= 1
        else:
            queued.add(c)
            heapq.heappush(heap, (-read(c).height, c))
            if not new & _STALE:
                active += 1

    paint(a, _SIDE_A)
    paint(b, _SIDE_B)
    while active:
        _, c = heapq.heappop(heap)
        queued.discard(c)
        f = flags[c]
        if not f & _STALE:
            active -= 1
            if f & _BOTH == _BOTH:
                found.append(c)
                f |= _STALE
                flags[c] = f
        for parent in read(c).parents:
            paint(parent, f)
    # No found commit is an ancestor of another: the path from a higher one
    # down to a lower one runs through commits higher than the lower one, all
    # popped (passing STALE on) before it.  (Git must re-check this because
    # its generation numbers can be skewed; heights cannot.)
    return sorted(found, key=lambda c: (-read(c).height, c))


def log(read: ReadCommit, start: bytes, limit: int | None = None) -> Iterator[tuple[bytes, Commit]]:
    """(address, commit) from ``start`` back through all parents, newest first.

    Order: height, then timestamp (both descending), then address, so every
    commit comes after all its descendants and the order never varies.
    """
    first = read(start)
    heap = [(-first.height, -first.timestamp, start)]
    seen = {start}
    emitted = 0
    while heap and (limit is None or emitted < limit):
        _, _, address = heapq.heappop(heap)
        commit = read(address)
        yield address, commit
        emitted += 1
        for parent in commit.parents:
            if parent not in seen:
                seen.add(parent)
                pc = read(parent)
                heapq.heappush(heap, (-pc.height, -pc.timestamp, parent))
