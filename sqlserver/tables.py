"""One table as a transaction sees it: rows in, rows out, indexes kept in step.

A table is stored as prolly maps (``storage.table.Table``): the primary index
maps the encoded primary key to the encoded rest of the row, and each
secondary index maps (index columns..., primary key columns...) to nothing.
``TableCodec`` turns rows into those bytes and back, once per schema;
``TableState`` holds one transaction's version of the maps.

Row layout in the primary map::

    key   = KeyCodec(pk column types).encode(pk values)          order = SQL order
    value = ValueCodec(inexact pk types + other column types)
              .encode(original values of inexact pk columns + other columns)

A primary-key column is *inexact* when its key bytes do not give the value
back: collated strings (the key holds the collation's sort key, so 'a' and 'A'
are one key under a case-insensitive collation) and decimals (the key holds
the normalized number; the column's scale is not in it).  Their original
values ride in the value.  New columns are appended at the end of the value,
so rows written before an ADD COLUMN decode with NULLs there.

Statement semantics: reads see the maps as of the statement's start; the
statement's writes collect in ``_edits`` and are applied in one batched
``mutate`` per map when the statement ends (``end_statement``).  The maps are
``storage.overlay.OverlayMap``s, so that ``mutate`` writes nothing: trees are
written only when something needs their hash (``to_table``), and a plain
commit hands its net edits to ``storage.pending`` instead.  That gives
MySQL's statement-level rollback for free (drop the edits) and keeps an
UPDATE from seeing its own output.  Duplicate-key checks look at both the
maps and the statement's pending edits.  Every key written or locked goes
into ``written``/``locked``: the transaction's conflict check at COMMIT.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Iterator

from sqlserver import enumset
from sqlserver.errors import SQLError
from sqlserver.sqltypes import SqlType
from storage.overlay import EMPTY as NO_EDITS
from storage.overlay import OverlayMap
from storage.pending import TableEdits
from storage.prolly_map import ProllyMap
from storage.row_types import FieldType, Kind
from storage.schema import Schema
from storage.table import Table
from storage.tuple_encoding import KeyCodec, prefix_upper_bound
from storage.value_encoding import ValueCodec


@dataclass(frozen=True)
class IndexCodec:
    """How one secondary index encodes its entries."""

    name: str
    columns: tuple[int, ...]  # positions of the indexed columns
    unique: bool
    key: KeyCodec  # over index columns + primary key columns
    prefix: KeyCodec  # over the index columns only (for lookups and uniqueness)
    # Prefix key parts (``KEY (a(10))``): per column, None or how many characters (bytes for binary
    # values) the index keeps.  Such an index holds truncated values, so a lookup through it must
    # re-check the full value on the row; uniqueness is on the truncated values, as in MySQL.
    lengths: tuple[int | None, ...] = ()

    def parts(self, row: tuple) -> list:
        """The indexed values of ``row`` (truncated for prefix key parts)."""
        if not self.lengths:
            return [row[i] for i in self.columns]
        return [row[i] if n is None or row[i] is None else row[i][:n] for i, n in zip(self.columns, self.lengths)]


class TableCodec:
    """Encodes rows of one schema into primary-map entries and index keys."""

    def __init__(self, schema: Schema):
        self.schema = schema
        self.names = tuple(c.name for c in schema.columns)
        self.types = tuple(SqlType.parse(c.sql_type, c.collation) for c in schema.columns)
        self.pk = tuple(schema.position(n) for n in schema.primary_key)
        fts = [t.field_type for t in self.types]
        self.key = KeyCodec([fts[i] for i in self.pk])
        self.inexact = tuple(
            p for p, exact in zip(self.pk, self.key.exact) if not exact or fts[p].kind is Kind.DECIMAL
        )
        pkset = set(self.pk)
        self.rest = tuple(i for i in range(len(fts)) if i not in pkset)
        self.value = ValueCodec([fts[i] for i in self.inexact] + [fts[i] for i in self.rest])
        self.indexes = tuple(
            IndexCodec(
                ix.name,
                cols := tuple(schema.position(c) for c in ix.columns),
                ix.unique,
                KeyCodec([fts[i] for i in cols] + [fts[i] for i in self.pk]),
                KeyCodec([fts[i] for i in cols]),
                tuple(ix.prefix_lengths) if any(n is not None for n in ix.prefix_lengths) else (),
            )
            for ix in schema.indexes
        )
        # ENUM/SET columns: rows hold EnumValue (the member text), maps the number; only such tables
        # get the converting codecs, others pay nothing.
        self._enum_members = {i: enumset.members(t) for i, t in enumerate(self.types) if t.name in ("enum", "set")}
        if self._enum_members:
            em = self._enum_members
            self.key = _EnumFields.over(self.key, [em.get(i) for i in self.pk])
            self.value = _EnumFields.over(self.value, [em.get(i) for i in self.inexact + self.rest])
            self.indexes = tuple(
                dataclasses.replace(
                    ix,
                    key=_EnumFields.over(ix.key, [em.get(i) for i in ix.columns + self.pk]),
                    prefix=_EnumFields.over(ix.prefix, [em.get(i) for i in ix.columns]),
                )
                for ix in self.indexes
            )
        self.decode_row = self._make_decoder()
        self._probes: dict[tuple[int, ...], KeyCodec] = {}

    def _make_decoder(self):
        n, pk, rest, inexact = len(self.types), self.pk, self.rest, self.inexact
        kdec, vdec = self.key.decode, self.value.decode
        if not inexact and pk == tuple(range(len(pk))) and rest == tuple(range(len(pk), n)):

            def decode(key: bytes, value: bytes) -> tuple:  # the common shape: pk first, all exact
                return kdec(key) + vdec(value)

            return decode
        n_inexact = len(inexact)

        def decode(key: bytes, value: bytes) -> tuple:
            row = [None] * n
            for p, v in zip(pk, kdec(key)):
                row[p] = v
            vals = vdec(value)
            for j, p in enumerate(inexact):
                row[p] = vals[j]
            for j, p in enumerate(rest):
                row[p] = vals[n_inexact + j]
            return tuple(row)

        return decode

    def pk_values(self, row: tuple) -> tuple:
        return tuple(row[i] for i in self.pk)

    def encode_key(self, row: tuple) -> bytes:
        return self.key.encode([row[i] for i in self.pk])

    def probe(self, positions: tuple[int, ...]) -> KeyCodec:
        """A key codec over the columns at ``positions`` (equality tests for foreign keys), cached."""
        c = self._probes.get(positions)
        if c is None:
            c = KeyCodec([self.types[p].field_type for p in positions])
            if self._enum_members:
                c = _EnumFields.over(c, [self._enum_members.get(p) for p in positions])
            self._probes[positions] = c
        return c

    def encode_value(self, row: tuple) -> bytes:
        return self.value.encode([row[i] for i in self.inexact] + [row[i] for i in self.rest])

    def index_key(self, ix: IndexCodec, row: tuple) -> bytes:
        if ix.lengths:
            return ix.key.encode(ix.parts(row) + [row[i] for i in self.pk])
        return ix.key.encode([row[i] for i in ix.columns] + [row[i] for i in self.pk])


class _EnumFields:
    """A KeyCodec/ValueCodec whose fields include ENUM/SET columns: rows hold ``EnumValue``s, the encoded
    bytes their numbers (index or bitmask), so keys order by the number as MySQL's indexes do."""

    def __init__(self, inner, at: tuple):
        self._inner = inner
        self._at = at  # (field position, enumset.Members)

    @classmethod
    def over(cls, inner, members: list):
        at = tuple((p, m) for p, m in enumerate(members) if m is not None)
        return cls(inner, at) if at else inner

    def _numbers(self, values) -> list:
        values = list(values)
        n = len(values)
        for p, m in self._at:
            if p < n:
                v = values[p]
                if v is not None and type(v) is not int:
                    values[p] = v.number if type(v) is enumset.EnumValue else (m.number_of(v) or 0)
        return values

    def encode(self, values) -> bytes:
        return self._inner.encode(self._numbers(values))

    def encode_prefix(self, values) -> bytes:
        return self._inner.encode_prefix(self._numbers(values))

    def decode(self, data) -> tuple:
        values = list(self._inner.decode(data))
        n = len(values)
        for p, m in self._at:
            if p < n and values[p] is not None:
                values[p] = m.of_number(values[p])
        return tuple(values)

    def __getattr__(self, name):
        return getattr(self._inner, name)


_codecs: dict[bytes, TableCodec] = {}


def codec_for(schema: Schema) -> TableCodec:
    """The (cached) codec of a schema; schemas with equal bytes share one."""
    hit = _by_object.get(id(schema))
    if hit is not None and hit[0] is schema:  # the same (immutable) object: skip encoding it
        return hit[1]
    key = schema.encode()
    codec = _codecs.get(key)
    if codec is None:
        if len(_codecs) > 4096:  # bounded: schemas are few, but DDL-heavy tests make many
            _codecs.clear()
        codec = _codecs[key] = TableCodec(schema)
    if len(_by_object) > 4096:
        _by_object.clear()
    _by_object[id(schema)] = (schema, codec)  # holds the schema, so its id is not reused meanwhile
    return codec


_by_object: dict[int, tuple[Schema, TableCodec]] = {}


class AutoIncrement:
    """The next auto-increment value of one table, shared by every session.

    Values handed out are never handed out again, even when the transaction
    that took them rolls back (as in MySQL), so concurrent inserts never
    collide on them.
    """

    def __init__(self, next_value: int):
        self.next_value = max(1, next_value)
        self.seen: bytes | None = None  # stored table address whose largest key was last observed

    def take(self) -> int:
        v = self.next_value
        self.next_value = v + 1
        return v

    def observe(self, value: int) -> None:
        if value >= self.next_value:
            self.next_value = value + 1


class TableState:
    """One table within one transaction."""

    def __init__(self, name: str, table: Table, node_store, auto_increment: AutoIncrement | None,
                 pending: TableEdits | None = None):
        self.name = name
        self.table = table  # the version this transaction started from (or last wrote)
        self.codec = codec_for(table.schema)
        self.schema = table.schema
        self.types = self.codec.types
        self.pk = self.codec.pk
        self.ns = node_store
        # The maps as committed: the stored trees seen through the branch's pending row edits
        # (storage.pending); this transaction's statements add their edits on top, unwritten.
        self.primary = _layers(ProllyMap.load(node_store, table.primary), pending.primary if pending else None)
        self.index_maps = {
            ix.name: _layers(ProllyMap.load(node_store, table.indexes[ix.name]),
                             pending.index(ix.name) if pending else None)
            for ix in self.codec.indexes
        }
        self.auto = auto_increment
        self._edits: dict[bytes, bytes | None] = {}  # this statement's primary edits
        self._index_edits: dict[str, dict[bytes, bytes | None]] = {}
        self._unique_added: dict[str, dict[bytes, set[bytes]]] = {}  # index -> prefix -> pk keys added
        self.txn_edits: dict[bytes, bytes | None] = {}  # net primary edits of the whole transaction
        self.txn_index_edits: dict[str, dict[bytes, bytes | None]] = {}
        self.txn_unique: dict[str, set[bytes]] = {}  # unique index -> value prefixes this transaction wrote
        self.written: set[bytes] = set()
        self.locked: set[bytes] = set()
        self.shared: set[bytes] = set()  # parent rows a foreign-key check relied on (commit re-check)

    # --- reads -----------------------------------------------------------------

    def count(self) -> int:
        return self.primary.count()

    def get(self, pk_values: tuple) -> tuple | None:
        """The row with this primary key as of the statement start, or None."""
        try:
            key = self.codec.key.encode(pk_values)
        except ValueError:
            return None
        value = self.primary.get(key)
        return None if value is None else self.codec.decode_row(key, value)

    def scan(
        self,
        lo: tuple | None = None,
        hi: tuple | None = None,
        *,
        lo_inclusive: bool = True,
        hi_inclusive: bool = True,
        reverse: bool = False,
    ) -> Iterator[tuple]:
        """Rows in primary-key order whose key lies between the pk prefixes ``lo`` and ``hi``."""
        start, stop = self._bounds(self.codec.key, lo, hi, lo_inclusive, hi_inclusive)
        decode = self.codec.decode_row
        for k, v in self.primary.items(start, stop, reverse=reverse):
            yield decode(k, v)

    def scan_index(
        self,
        name: str,
        lo: tuple | None = None,
        hi: tuple | None = None,
        *,
        lo_inclusive: bool = True,
        hi_inclusive: bool = True,
        reverse: bool = False,
        covering: bool = False,
    ) -> Iterator[tuple]:
        """Rows in the order of secondary index ``name``, between index-column prefixes.

        ``covering``: build each row from the index entry alone (no primary-map read); only the index
        and primary-key columns are set, the others are None.  The caller must need no other column
        and every one it needs must decode exactly from the key (``KeyCodec.exact``, not DECIMAL).
        """
        ix = next(i for i in self.codec.indexes if i.name == name)
        start, stop = self._bounds(ix.prefix, lo, hi, lo_inclusive, hi_inclusive)
        n_ix = len(ix.columns)
        entries = self.index_maps[name].items(start, stop, reverse=reverse)
        if covering:
            decode_ix, width = ix.key.decode, len(self.types)
            positions = ix.columns + self.pk
            for k, _ in entries:
                row = [None] * width
                for p, v in zip(positions, decode_ix(k)):
                    row[p] = v
                yield tuple(row)
            return
        split, get, decode = ix.key.prefix_end, self.primary.get, self.codec.decode_row
        for k, _ in entries:
            pk_key = k[split(k, n_ix):]  # the entry ends with the row's primary key bytes
            v = get(pk_key)
            if v is not None:
                yield decode(pk_key, v)

    @staticmethod
    def _bounds(codec: KeyCodec, lo, hi, lo_inclusive, hi_inclusive) -> tuple[bytes | None, bytes | None]:
        start = stop = None
        if lo is not None:
            start = codec.encode_prefix(lo)
            if not lo_inclusive:
                start = prefix_upper_bound(start)
                if start is None:
                    return b"\xff" * 64, b"\xff" * 64  # nothing is above the largest key
        if hi is not None:
            stop = codec.encode_prefix(hi)
            if hi_inclusive:
                stop = prefix_upper_bound(stop)
        return start, stop

    def matching(self, positions: tuple[int, ...], values, limit: int | None = None) -> list[tuple[bytes, tuple]]:
        """(primary key, row) of the rows whose columns ``positions`` equal ``values``, as this statement sees them.

        Unlike the other reads, this one includes the statement's own pending
        edits: foreign-key checks must see a parent inserted (or a child
        deleted) earlier in the same statement.  Equality is the columns' key
        equality (collations apply).  Uses the primary key or an index
        starting with those columns when there is one, else scans.
        """
        try:
            probe_codec = self.codec.probe(positions)
            probe = probe_codec.encode(list(values))
        except (ValueError, TypeError, OverflowError):
            return []
        edits = self._edits
        codec = self.codec
        if tuple(sorted(positions)) == tuple(sorted(self.pk)) and len(positions) == len(self.pk):
            by_pos = dict(zip(positions, values))
            try:
                key = codec.key.encode([by_pos[p] for p in self.pk])
            except (ValueError, TypeError, OverflowError):
                return []
            v = self._current(key)
            if v is None:
                return []
            row = codec.decode_row(key, v)
            return [(key, row)] if probe_codec.encode([row[p] for p in positions]) == probe else []
        candidates: list[bytes] = []
        n = len(positions)
        ix = next((i for i in codec.indexes if tuple(i.columns[:n]) == tuple(positions) and not i.lengths), None)
        if ix is not None:
            prefix = ix.prefix.encode_prefix(list(values))
            split = ix.key.prefix_end
            n_ix = len(ix.columns)
            for k, _ in self.index_maps[ix.name].items(prefix, prefix_upper_bound(prefix)):
                candidates.append(k[split(k, n_ix):])
        else:
            candidates.extend(k for k, _ in self.primary.items())
        candidates.extend(k for k, v in edits.items() if v is not None)
        out = []
        for key in dict.fromkeys(candidates):
            v = self._current(key)
            if v is None:
                continue
            row = codec.decode_row(key, v)
            if probe_codec.encode([row[p] for p in positions]) == probe:
                out.append((key, row))
                if limit is not None and len(out) >= limit:
                    break
        return out

    # --- writes ----------------------------------------------------------------

    def _current(self, key: bytes) -> bytes | None:
        if key in self._edits:
            return self._edits[key]
        return self.primary.get(key)

    read_only = False  # a table read AS OF a revision (Transaction.table_as_of)

    def _refuse_write(self) -> None:
        raise SQLError(1105, "HY000", f"table '{self.name}' is read AS OF a revision: it cannot be written")

    def insert(self, row: tuple) -> None:
        """Add a row; 1062 if its primary key or a unique key is taken."""
        if self.read_only:
            self._refuse_write()
        codec = self.codec
        key = codec.encode_key(row)
        if self._current(key) is not None:
            raise self._duplicate(codec.pk_values(row), "PRIMARY")
        self._check_unique(row, key)
        self._edits[key] = codec.encode_value(row)
        self._index_add(row, key)

    def update(self, old_row: tuple, new_row: tuple) -> None:
        if self.read_only:
            self._refuse_write()
        codec = self.codec
        old_key = codec.encode_key(old_row)
        new_key = codec.encode_key(new_row)
        if new_key != old_key and self._current(new_key) is not None:
            raise self._duplicate(codec.pk_values(new_row), "PRIMARY")
        self._index_remove(old_row, old_key)
        try:
            self._check_unique(new_row, new_key)
        except SQLError:
            self._index_add(old_row, old_key)
            raise
        if new_key != old_key:
            self._edits[old_key] = None
        self._edits[new_key] = codec.encode_value(new_row)
        self._index_add(new_row, new_key)

    def delete(self, row: tuple) -> None:
        if self.read_only:
            self._refuse_write()
        key = self.codec.encode_key(row)
        self._edits[key] = None
        self._index_remove(row, key)

    def lock(self, row: tuple) -> None:
        """SELECT ... FOR UPDATE: the row counts as written for conflict checks."""
        self.locked.add(self.codec.encode_key(row))

    def next_auto_increment(self) -> int:
        return self.auto.take()

    def observe_auto_increment(self, value: int) -> None:
        if self.auto is not None and isinstance(value, int):
            self.auto.observe(value)

    # --- secondary indexes --------------------------------------------------------

    def _index_add(self, row: tuple, key: bytes) -> None:
        for ix in self.codec.indexes:
            self._index_edits.setdefault(ix.name, {})[self.codec.index_key(ix, row)] = b""
            if ix.unique:
                prefix = self._unique_prefix(ix, row)
                if prefix is not None:
                    self._unique_added.setdefault(ix.name, {}).setdefault(prefix, set()).add(key)

    def _index_remove(self, row: tuple, key: bytes) -> None:
        for ix in self.codec.indexes:
            self._index_edits.setdefault(ix.name, {})[self.codec.index_key(ix, row)] = None
            if ix.unique:
                prefix = self._unique_prefix(ix, row)
                added = self._unique_added.get(ix.name, {}).get(prefix)
                if added:
                    added.discard(key)

    @staticmethod
    def _unique_prefix(ix: IndexCodec, row: tuple) -> bytes | None:
        values = ix.parts(row)
        if any(v is None for v in values):  # NULLs never collide in a unique index
            return None
        return ix.prefix.encode(values)

    def _check_unique(self, row: tuple, key: bytes) -> None:
        for ix in self.codec.indexes:
            if not ix.unique:
                continue
            prefix = self._unique_prefix(ix, row)
            if prefix is None:
                continue
            if any(other != key for other in self._unique_owners(ix, prefix)):
                raise self._duplicate(tuple(ix.parts(row)), ix.name)

    def _unique_owners(self, ix: IndexCodec, prefix: bytes) -> Iterator[bytes]:
        """Primary keys of the rows holding unique value ``prefix`` now (this statement's edits included)."""
        yield from self._unique_added.get(ix.name, {}).get(prefix, ())
        edits = self._index_edits.get(ix.name, {})
        n_ix = len(ix.columns)
        for k, _ in self.index_maps[ix.name].items(prefix, prefix_upper_bound(prefix)):
            if edits.get(k, b"") is None:
                continue  # deleted by this statement
            yield self.codec.key.encode(ix.key.decode(k)[n_ix:])

    def conflicting(self, row: tuple) -> tuple | None:
        """The row (as this statement sees it) holding ``row``'s primary key, else its first unique key; or None."""
        codec = self.codec
        key = codec.encode_key(row)
        v = self._current(key)
        if v is not None:
            return codec.decode_row(key, v)
        for ix in codec.indexes:
            if ix.unique:
                prefix = self._unique_prefix(ix, row)
                if prefix is None:
                    continue
                for k in self._unique_owners(ix, prefix):
                    v = self._current(k)
                    if v is not None:
                        return codec.decode_row(k, v)
        return None

    def replace(self, row: tuple) -> int:
        """REPLACE: delete the rows that share the primary key or a unique key with ``row``, then insert it.

        Returns the affected-row count MySQL reports: rows deleted + 1, where
        replacing a row by an identical one does not count as a deletion
        (MySQL updates in place there and the storage engine reports "same").
        """
        codec = self.codec
        key = codec.encode_key(row)
        victims = [key]
        same = self._current(key) == codec.encode_value(row)
        for ix in codec.indexes:
            if ix.unique:
                prefix = self._unique_prefix(ix, row)
                if prefix is not None:
                    victims.extend(self._unique_owners(ix, prefix))
        deleted = 0
        for k in dict.fromkeys(victims):
            value = self._current(k)
            if value is not None:
                self.delete(codec.decode_row(k, value))
                deleted += 1
        self.insert(row)
        return deleted + 1 - (1 if same else 0)

    def insert_ignore(self, row: tuple, warn) -> int:
        """INSERT IGNORE: insert, or on a duplicate key leave the table alone and warn (1062). Rows inserted."""
        try:
            self.insert(row)
        except SQLError as e:
            if e.errno != 1062:
                raise
            warn(e.errno, e.message)
            return 0
        return 1

    def _duplicate(self, values: tuple, key_name: str) -> SQLError:
        shown = "-".join(_show(v) for v in values)
        return SQLError.of("DUP_ENTRY", shown, f"{self.name}.{key_name}")

    # --- statement boundaries ------------------------------------------------------

    @property
    def dirty(self) -> bool:
        return bool(self._edits) or any(self._index_edits.values())

    def end_statement(self, ok: bool) -> None:
        """Apply (ok) or drop (not ok) this statement's edits."""
        if ok and self._edits:
            self.primary = self.primary.mutate(self._edits)
            self.txn_edits.update(self._edits)
            self.written.update(self._edits)
        if ok:
            for name, edits in self._index_edits.items():
                if edits:
                    self.index_maps[name] = self.index_maps[name].mutate(edits)
                    self.txn_index_edits.setdefault(name, {}).update(edits)
            for name, added in self._unique_added.items():
                self.txn_unique.setdefault(name, set()).update(p for p, ks in added.items() if ks)
        self._edits = {}
        self._index_edits = {}
        self._unique_added = {}

    # --- savepoints ----------------------------------------------------------------

    def savepoint(self) -> tuple:
        """This table's transaction state now (between statements), for ROLLBACK TO SAVEPOINT.

        The maps are immutable (a reference is a snapshot); the transaction's
        edit, unique-prefix, written and shared collections are copied once.
        Not kept: ``locked`` (row locks outlive a rollback to a savepoint, as
        in InnoDB) and ``auto`` (auto-increment values are never given back).
        """
        return (self.primary, dict(self.index_maps), dict(self.txn_edits),
                {n: dict(e) for n, e in self.txn_index_edits.items()},
                {n: set(p) for n, p in self.txn_unique.items()}, set(self.written), set(self.shared))

    def rollback_to(self, saved: tuple) -> None:
        """Back to the state ``savepoint`` returned (copied again: a savepoint can be rolled back to twice)."""
        primary, index_maps, txn_edits, txn_index_edits, txn_unique, written, shared = saved
        self.primary = primary
        self.index_maps = dict(index_maps)
        self.txn_edits = dict(txn_edits)
        self.txn_index_edits = {n: dict(e) for n, e in txn_index_edits.items()}
        self.txn_unique = {n: set(p) for n, p in txn_unique.items()}
        self.written = set(written)
        self.shared = set(shared)
        self._edits = {}
        self._index_edits = {}
        self._unique_added = {}

    def to_table(self) -> Table:
        """The storage table for this state (maps as of the last statement end)."""
        table = self.table.with_primary(self.primary.address)
        for name, m in self.index_maps.items():
            table = table.with_index(name, m.address)
        if self.auto is not None and self.auto.next_value > table.auto_increment:
            table = table.with_auto_increment(self.auto.next_value)
        return table


def _layers(stored: ProllyMap, pending) -> OverlayMap:
    """A map for one transaction: its own (initially no) edits over the branch's pending ones over the tree.

    Two layers, so that a statement's ``mutate`` copies only this
    transaction's edits, never the (larger, shared) pending ones.
    """
    if pending:
        return OverlayMap(OverlayMap(stored, pending), NO_EDITS)
    return OverlayMap(stored, NO_EDITS)


def build_index(table: Table, node_store, name: str, table_name: str) -> Table:
    """``table`` with the map of secondary index ``name`` (declared in its schema) filled from its rows.

    Used when CREATE INDEX / ALTER TABLE ADD INDEX adds an index to a table
    that already has rows: the entries are sorted in memory and written with
    one bulk build.  For a unique index, two rows with the same non-NULL
    index values raise 1062 (the first such value in index order), as MySQL
    does, and nothing is written.
    """
    codec = codec_for(table.schema)
    ix = next(i for i in codec.indexes if i.name == name)
    primary = ProllyMap.load(node_store, table.primary)
    decode, index_key = codec.decode_row, codec.index_key
    rows = [decode(k, v) for k, v in primary.items()]
    keys = sorted(index_key(ix, row) for row in rows)
    if ix.unique:
        seen: dict[bytes, tuple] = {}
        dups = []
        for row in rows:
            prefix = TableState._unique_prefix(ix, row)
            if prefix is None:
                continue
            if prefix in seen:
                dups.append((prefix, row))
            else:
                seen[prefix] = row
        if dups:
            _, row = min(dups, key=lambda d: d[0])
            shown = "-".join(_show(v) for v in ix.parts(row))
            raise SQLError.of("DUP_ENTRY", shown, f"{table_name}.{ix.name}")
    built = ProllyMap.from_sorted(node_store, ((k, b"") for k in keys))
    return table.with_index(name, built.address)


def _show(v: object) -> str:
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    return str(v)


def field_type_of(sql_type: str, collation: str | None = None) -> FieldType:
    return SqlType.parse(sql_type, collation).field_type
