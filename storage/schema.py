"""Table schemas, and the canonical JSON every versioning chunk is written in.

Why the schema lives in storage at all: a table chunk must be self-describing
so that a commit read years later (or pulled from a remote) can be decoded
without the server's catalog.  Storage keeps the schema *verbatim*: a column's
``sql_type`` is the SQL text (``"bigint unsigned"``, ``"decimal(10,2)"``),
defaults and checks are SQL expression text.  Only the SQL layer interprets
them; storage never parses SQL.

Invariants (checked in ``__post_init__``):

* every object is immutable (tuples, read-only mappings), so a decoded schema
  can be shared between sessions and cached by address;
* column names are unique ignoring case (MySQL column names are
  case-insensitive) and keep the case they were declared with;
* primary-key, index and foreign-key columns name existing columns.

Canonical encoding.  Schemas, tables, root values, commits, tags, ref maps and
working sets are small, rarely-read objects, so they are stored as a kind byte
followed by canonical JSON (``encode_chunk``)::

    +------+----------------------------------------------------------+
    | kind | UTF-8 JSON: sorted keys, no spaces, addresses as base32   |
    | 1 B  | text (storage.address.to_text)                            |
    +------+----------------------------------------------------------+

Sorted keys and fixed separators make the bytes a pure function of the value,
so equal objects get equal addresses (commits of identical content dedupe,
and a working set's address can be recomputed to compare-and-swap on it).
JSON over a custom binary form: these chunks are a tiny fraction of a
database's bytes, and JSON keeps them readable in a hex dump and easy to
extend with new optional fields.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping

from storage.errors import CorruptionError

_EMPTY: Mapping[str, Any] = MappingProxyType({})


def encode_chunk(kind: bytes, obj: Any) -> bytes:
    """``kind`` followed by the canonical JSON of ``obj``."""
    return kind + json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def decode_chunk(data: bytes, kind: bytes, what: str) -> Any:
    """The JSON value of a chunk written by ``encode_chunk(kind, ...)``.

    Raises CorruptionError when the kind byte is wrong or the JSON is broken;
    ``what`` names the object for the message.
    """
    if data[:1] != kind:
        raise CorruptionError(f"{what}: expected chunk kind {kind!r}, found {data[:1]!r}")
    try:
        return json.loads(data[1:].decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise CorruptionError(f"{what}: undecodable chunk body ({e})") from None


def _frozen(mapping: Mapping[str, Any] | None) -> Mapping[str, Any]:
    if not mapping:
        return _EMPTY
    return MappingProxyType(dict(sorted(mapping.items())))


# Mapping fields are read-only proxies: equal by content, never hashed.
def _mapping_field() -> Any:
    return field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Column:
    """One column. ``default``/``on_update`` are SQL text (None: no clause)."""

    name: str
    sql_type: str
    nullable: bool = True
    default: str | None = None
    auto_increment: bool = False
    collation: str | None = None
    comment: str = ""
    on_update: str | None = None
    extra: Mapping[str, Any] = _mapping_field()  # anything else the SQL layer keeps (JSON values)

    def __post_init__(self) -> None:
        object.__setattr__(self, "extra", _frozen(self.extra))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "type": self.sql_type, "null": self.nullable}
        # Optional fields are written only when set, keeping chunks small.
        if self.default is not None:
            out["default"] = self.default
        if self.auto_increment:
            out["auto_increment"] = True
        if self.collation is not None:
            out["collation"] = self.collation
        if self.comment:
            out["comment"] = self.comment
        if self.on_update is not None:
            out["on_update"] = self.on_update
        if self.extra:
            out["extra"] = dict(self.extra)
        return out

    @classmethod
    def from_json(cls, j: Mapping[str, Any]) -> Column:
        return cls(
            name=j["name"],
            sql_type=j["type"],
            nullable=j["null"],
            default=j.get("default"),
            auto_increment=j.get("auto_increment", False),
            collation=j.get("collation"),
            comment=j.get("comment", ""),
            on_update=j.get("on_update"),
            extra=j.get("extra"),
        )


@dataclass(frozen=True)
class Index:
    """A secondary index. ``prefix_lengths[i]`` is None for a whole column."""

    name: str
    columns: tuple[str, ...]
    unique: bool = False
    prefix_lengths: tuple[int | None, ...] = ()
    extra: Mapping[str, Any] = _mapping_field()  # e.g. index type, comment, visibility

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns", tuple(self.columns))
        lengths = tuple(self.prefix_lengths) or (None,) * len(self.columns)
        if len(lengths) != len(self.columns):
            raise ValueError(f"index {self.name!r}: {len(lengths)} prefix lengths for {len(self.columns)} columns")
        object.__setattr__(self, "prefix_lengths", lengths)
        object.__setattr__(self, "extra", _frozen(self.extra))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "columns": list(self.columns), "unique": self.unique}
        if any(n is not None for n in self.prefix_lengths):
            out["prefix_lengths"] = list(self.prefix_lengths)
        if self.extra:
            out["extra"] = dict(self.extra)
        return out

    @classmethod
    def from_json(cls, j: Mapping[str, Any]) -> Index:
        return cls(j["name"], tuple(j["columns"]), j["unique"], tuple(j.get("prefix_lengths", ())), j.get("extra"))


@dataclass(frozen=True)
class ForeignKey:
    """A foreign key; ``on_delete``/``on_update`` are the MySQL action words."""

    name: str
    columns: tuple[str, ...]
    ref_table: str
    ref_columns: tuple[str, ...]
    on_delete: str = "RESTRICT"
    on_update: str = "RESTRICT"

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns", tuple(self.columns))
        object.__setattr__(self, "ref_columns", tuple(self.ref_columns))
        if len(self.columns) != len(self.ref_columns):
            raise ValueError(f"foreign key {self.name!r}: column counts differ")

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "columns": list(self.columns),
            "ref_table": self.ref_table,
            "ref_columns": list(self.ref_columns),
            "on_delete": self.on_delete,
            "on_update": self.on_update,
        }

    @classmethod
    def from_json(cls, j: Mapping[str, Any]) -> ForeignKey:
        return cls(j["name"], tuple(j["columns"]), j["ref_table"], tuple(j["ref_columns"]), j["on_delete"], j["on_update"])


@dataclass(frozen=True)
class Check:
    """A CHECK constraint; ``expression`` is SQL text."""

    name: str
    expression: str
    enforced: bool = True

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "expression": self.expression, "enforced": self.enforced}

    @classmethod
    def from_json(cls, j: Mapping[str, Any]) -> Check:
        return cls(j["name"], j["expression"], j.get("enforced", True))


@dataclass(frozen=True)
class Schema:
    """Columns in declaration order, primary key, indexes and constraints.

    ``options`` holds table options (engine, charset, comment, ...) as JSON
    values.  Lookups by column or index name ignore case.
    """

    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    indexes: tuple[Index, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    checks: tuple[Check, ...] = ()
    options: Mapping[str, Any] = _mapping_field()
    _positions: Mapping[str, int] = field(default_factory=dict, init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        for name in ("columns", "primary_key", "indexes", "foreign_keys", "checks"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        object.__setattr__(self, "options", _frozen(self.options))
        positions: dict[str, int] = {}
        for i, col in enumerate(self.columns):
            key = col.name.lower()
            if key in positions:
                raise ValueError(f"duplicate column name {col.name!r}")
            positions[key] = i
        object.__setattr__(self, "_positions", MappingProxyType(positions))
        for col in self.primary_key:
            self._require(col, "primary key")
        seen: set[str] = set()
        for index in self.indexes:
            if index.name.lower() in seen:
                raise ValueError(f"duplicate index name {index.name!r}")
            seen.add(index.name.lower())
            for col in index.columns:
                self._require(col, f"index {index.name!r}")
        for fk in self.foreign_keys:
            for col in fk.columns:
                self._require(col, f"foreign key {fk.name!r}")

    def _require(self, name: str, where: str) -> None:
        if name.lower() not in self._positions:
            raise ValueError(f"{where} names unknown column {name!r}")

    def column(self, name: str) -> Column | None:
        """The column called ``name`` (any case), or None."""
        i = self._positions.get(name.lower())
        return None if i is None else self.columns[i]

    def position(self, name: str) -> int | None:
        """The 0-based position of column ``name`` (any case), or None."""
        return self._positions.get(name.lower())

    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def index(self, name: str) -> Index | None:
        """The secondary index called ``name`` (any case), or None."""
        key = name.lower()
        for index in self.indexes:
            if index.name.lower() == key:
                return index
        return None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"columns": [c.to_json() for c in self.columns], "primary_key": list(self.primary_key)}
        if self.indexes:
            out["indexes"] = [i.to_json() for i in self.indexes]
        if self.foreign_keys:
            out["foreign_keys"] = [f.to_json() for f in self.foreign_keys]
        if self.checks:
            out["checks"] = [c.to_json() for c in self.checks]
        if self.options:
            out["options"] = dict(self.options)
        return out

    @classmethod
    def from_json(cls, j: Mapping[str, Any]) -> Schema:
        return cls(
            columns=tuple(Column.from_json(c) for c in j["columns"]),
            primary_key=tuple(j["primary_key"]),
            indexes=tuple(Index.from_json(i) for i in j.get("indexes", ())),
            foreign_keys=tuple(ForeignKey.from_json(f) for f in j.get("foreign_keys", ())),
            checks=tuple(Check.from_json(c) for c in j.get("checks", ())),
            options=j.get("options"),
        )

    def encode(self) -> bytes:
        """Canonical bytes of the schema (no kind byte: it is embedded in tables)."""
        return json.dumps(self.to_json(), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")

    @classmethod
    def decode(cls, data: bytes) -> Schema:
        try:
            return cls.from_json(json.loads(data.decode("utf-8")))
        except (UnicodeDecodeError, ValueError, KeyError, TypeError) as e:
            raise CorruptionError(f"undecodable schema ({e})") from None
