"""Committed row edits not yet in the prolly trees: one journal record per SQL commit.

Why: a one-row SQL commit that rewrote its tables' trees, table, root value,
working set and ref map would hash and write ~10 chunks (~15 KB) and spend
most of its time in Python doing so.  Instead a commit that only changes rows
of one branch's working set appends its net edits to a durable log beside
the chunks (``DiskStore.append_log``: one small journal record, one fsync),
and readers see the working set through them (``storage.overlay``).  Later,
in one batch, the edits are written into the trees ("materialized"): when a
branch's edits pass ``LIMIT``, or as soon as anything needs the working set's
hash (``Database.refs``, ``working_set``, ``update_refs``: commits, diffs,
pushes, status, merges), so nothing outside the SQL fast path ever sees a
stale working set.  Prolly trees are history-independent, so the materialized
working set is the one the commits would have produced one by one.

Log entry layout (one per commit; integers little-endian)::

    u8 version=1 | u16 n + branch (utf-8) | base working-set address (20 bytes)
    u32 tables, then per table:
        u16 n + name | u64 auto_increment (0: unchanged) | u16 maps, then per map:
            u16 n + index name (empty: the primary map) | u32 edits, then per edit:
                u32 key length + key | u32 value length + 1 (0: deletion) + value

Recovery: an entry applies only while the branch's working-set ref still
equals its ``base``.  Materializing moves the ref first and then appends an
empty entry (the log starts over), so a crash between the two leaves entries
whose base no longer matches, and they are dropped.
"""

from __future__ import annotations

import functools
import struct

from storage.address import ADDRESS_SIZE, address_of
from storage.errors import CorruptionError
from storage.overlay import EMPTY, MapEdits

VERSION = 1
# Edits one branch may hold before they are written into its trees.  Each
# commit copies the touched maps' edit sets (copy-on-write snapshots) and
# scans merge through them, so this bounds both costs; one batched write of
# this many edits is still cheaper per edit than writing every commit.
LIMIT = 8192

_U8, _U16, _U32, _U64 = (struct.Struct(f) for f in ("<B", "<H", "<I", "<Q"))


@functools.lru_cache(maxsize=1024)
def log_id(branch: str) -> bytes:
    """The durable log holding ``branch``'s pending edits."""
    return address_of(b"grove/pending-edits\0" + branch.encode())


class TableChange:
    """One commit's net edits to one table (not to be changed once made)."""

    __slots__ = ("primary", "indexes", "auto_increment")

    def __init__(self, primary: dict[bytes, bytes | None], indexes: dict[str, dict[bytes, bytes | None]] | None = None,
                 auto_increment: int = 0):
        self.primary = primary
        self.indexes = indexes if indexes is not None else {}
        self.auto_increment = auto_increment  # the table's next auto-increment value after the commit; 0: unchanged

    def __eq__(self, other) -> bool:
        return isinstance(other, TableChange) and (self.primary, self.indexes, self.auto_increment) == \
            (other.primary, other.indexes, other.auto_increment)

    @property
    def size(self) -> int:
        return len(self.primary) + sum(len(e) for e in self.indexes.values())

    def __repr__(self) -> str:
        return f"TableChange({self.primary!r}, {self.indexes!r}, {self.auto_increment})"


class TableEdits:
    """Every pending edit of one table: immutable, except to its ``owner`` (see ``BranchEdits``)."""

    __slots__ = ("primary", "indexes", "auto_increment", "owner")

    def __init__(self, primary: MapEdits = EMPTY, indexes: dict[str, MapEdits] | None = None,
                 auto_increment: int = 0, owner: object = None):
        self.primary = primary
        self.indexes = indexes or {}
        self.auto_increment = auto_increment
        self.owner = owner

    def index(self, name: str) -> MapEdits:
        return self.indexes.get(name, EMPTY)

    def owned_by(self, owner: object) -> TableEdits:
        """This object if ``owner`` owns it, else a shallow copy ``owner`` owns (its maps copied on change)."""
        if self.owner is owner:
            return self
        return TableEdits(self.primary, dict(self.indexes), self.auto_increment, owner)

    def apply_in_place(self, change: TableChange) -> int:
        """Apply ``change`` to this object (its owner's call); returns the growth of ``size``.

        A map this object shares with another (an older snapshot's) is copied first."""
        owner = self.owner
        if change.primary:
            self.primary = self.primary.owned_by(owner)
        added = self.primary.apply_in_place(change.primary)
        for name, edits in change.indexes.items():
            if edits:
                mine = self.indexes[name] = self.indexes.get(name, EMPTY).owned_by(owner)
                added += mine.apply_in_place(edits)
        if change.auto_increment > self.auto_increment:
            self.auto_increment = change.auto_increment
        return added

    def with_change(self, change: TableChange, owner: object = None) -> TableEdits:
        """A copy with ``change`` applied, owned by ``owner``; unchanged maps are shared, not copied."""
        indexes = dict(self.indexes)
        for name, edits in change.indexes.items():
            indexes[name] = indexes.get(name, EMPTY).with_edits(edits, owner)
        return TableEdits(self.primary.with_edits(change.primary, owner), indexes,
                          max(self.auto_increment, change.auto_increment), owner)

    @property
    def size(self) -> int:
        return len(self.primary) + sum(len(e) for e in self.indexes.values())


class BranchEdits:
    """Every pending edit of one branch's working set, on top of working set ``base``.

    ``pins`` counts the open snapshots (SQL transactions) reading through
    this object.  While it is non-zero the object is immutable and a commit
    makes a changed copy (``with_changes``); when no snapshot holds it, a
    commit updates it in place (``apply_in_place``), so a run of autocommit
    statements costs O(its own edits) per commit, not O(all pending edits).

    A copy shares the tables and maps the commit did not touch with the
    original (which older snapshots may still read).  Every ``TableEdits`` and
    ``MapEdits`` names the one ``BranchEdits`` allowed to change it in place
    (``owner``); an in-place commit first copies whatever it would change but
    does not own.
    """

    __slots__ = ("base", "tables", "size", "pins")

    def __init__(self, base: bytes, tables: dict[str, TableEdits] | None = None, size: int = 0):
        self.base = base
        self.tables = tables or {}
        self.size = size
        self.pins = 0

    def table(self, name: str) -> TableEdits | None:
        return self.tables.get(name)

    def apply_in_place(self, changes: dict[str, TableChange]) -> None:
        tables = self.tables
        for name, change in changes.items():
            t = tables.get(name)
            t = tables[name] = t.owned_by(self) if t is not None else TableEdits(owner=self)
            self.size += t.apply_in_place(change)

    def with_changes(self, changes: dict[str, TableChange]) -> BranchEdits:
        out = BranchEdits(self.base, dict(self.tables), self.size)
        tables = out.tables
        for name, change in changes.items():
            old = tables.get(name)
            new = (old or TableEdits()).with_change(change, out)
            out.size += new.size - (old.size if old else 0)
            tables[name] = new
        return out


# --- the log entry --------------------------------------------------------------


def _text(s: str) -> bytes:
    b = s.encode()
    return _U16.pack(len(b)) + b


def encode_entry(branch: str, base: bytes, changes: dict[str, TableChange]) -> bytes:
    """One commit's log entry (layout in the module docstring)."""
    out: list[bytes] = [_U8.pack(VERSION), _text(branch), base, _U32.pack(len(changes))]
    append = out.append
    u32 = _U32.pack
    for name, change in changes.items():
        append(_text(name))
        append(_U64.pack(change.auto_increment))
        maps = [("", change.primary)]
        maps += [(n, e) for n, e in change.indexes.items() if e]
        append(_U16.pack(len(maps)))
        for map_name, edits in maps:
            append(_text(map_name))
            append(u32(len(edits)))
            for k, v in edits.items():
                if v is None:
                    append(b"".join((u32(len(k)), k, _NO_VALUE)))
                else:
                    append(b"".join((u32(len(k)), k, u32(len(v) + 1), v)))
    return b"".join(out)


_NO_VALUE = _U32.pack(0)


class _Reader:
    def __init__(self, data: bytes):
        self.data, self.pos = data, 0

    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise CorruptionError("a pending-edits log entry is truncated", where="pending-edits log")
        b = self.data[self.pos : self.pos + n]
        self.pos += n
        return b

    def num(self, s: struct.Struct) -> int:
        return s.unpack(self.take(s.size))[0]

    def text(self) -> str:
        return self.take(self.num(_U16)).decode()


def decode_entry(data: bytes) -> tuple[str, bytes, dict[str, TableChange]]:
    """(branch, base working-set address, table changes) of one log entry."""
    r = _Reader(data)
    if r.num(_U8) != VERSION:
        raise CorruptionError("a pending-edits log entry has an unknown version", where="pending-edits log")
    branch = r.text()
    base = r.take(ADDRESS_SIZE)
    changes = {}
    for _ in range(r.num(_U32)):
        name = r.text()
        auto = r.num(_U64)
        primary: dict = {}
        indexes: dict = {}
        for _ in range(r.num(_U16)):
            map_name = r.text()
            edits = primary if not map_name else indexes.setdefault(map_name, {})
            for _ in range(r.num(_U32)):
                k = r.take(r.num(_U32))
                n = r.num(_U32)
                edits[k] = None if n == 0 else r.take(n - 1)
        changes[name] = TableChange(primary, indexes, auto)
    if r.pos != len(data):
        raise CorruptionError("a pending-edits log entry has trailing bytes", where="pending-edits log")
    return branch, base, changes
