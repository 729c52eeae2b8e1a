"""A table: its schema, the roots of its index prolly maps, its auto-increment.

A table chunk is tiny and changes on every write to the table (its map roots
move), while the maps themselves share every untouched node with the previous
version.  Embedding the schema costs a few hundred bytes per table version and
saves a second chunk read on every table open; a schema change simply writes a
new table chunk.

Layout (kind ``storage.chunk_kinds.TABLE``, canonical JSON, see
``storage.schema.encode_chunk``)::

    T {"auto_increment": 1,                    next value handed out
       "indexes": {"by_name": "<address>"},     secondary index name -> map root
       "primary": "<address>",                  primary-index map root (rows)
       "schema": {...}}                         storage.schema.Schema.to_json()

Invariants: ``primary`` and every index root are addresses of prolly-map root
nodes in the same store; each index named in ``indexes`` exists in the schema
(checked by the SQL layer, which owns index maintenance, not here: storage
keeps what it is given).  ``children`` lists exactly the map roots, which is
what walkers (gc, fsck, push) follow.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Mapping

from storage import chunk_kinds
from storage.address import ADDRESS_SIZE, from_text, to_text
from storage.errors import CorruptionError
from storage.schema import Schema, decode_chunk, encode_chunk


@dataclass(frozen=True)
class Table:
    """One version of a table. Immutable; ``with_*`` return new versions."""

    schema: Schema
    primary: bytes
    indexes: Mapping[str, bytes] = field(default_factory=dict, hash=False)
    auto_increment: int = 1

    def __post_init__(self) -> None:
        if len(self.primary) != ADDRESS_SIZE:
            raise ValueError("primary must be a 20-byte address")
        for name, root in self.indexes.items():
            if len(root) != ADDRESS_SIZE:
                raise ValueError(f"index {name!r} root must be a 20-byte address")
        object.__setattr__(self, "indexes", MappingProxyType(dict(sorted(self.indexes.items()))))

    @classmethod
    def create(cls, node_store, schema: Schema, *, auto_increment: int = 1) -> Table:
        """A new empty table: an empty map for the rows and for each index."""
        from storage.prolly_map import ProllyMap

        empty = ProllyMap.empty(node_store).address
        return cls(schema, empty, {index.name: empty for index in schema.indexes}, auto_increment)

    def with_primary(self, root: bytes) -> Table:
        return replace(self, primary=root)

    def with_index(self, name: str, root: bytes | None) -> Table:
        """Set (or with None, drop) the root of index ``name``."""
        indexes = dict(self.indexes)
        if root is None:
            indexes.pop(name, None)
        else:
            indexes[name] = root
        return replace(self, indexes=indexes)

    def with_schema(self, schema: Schema) -> Table:
        return replace(self, schema=schema)

    def with_auto_increment(self, next_value: int) -> Table:
        return replace(self, auto_increment=next_value)

    def with_row_edits(self, node_store, primary: Mapping, indexes: Mapping[str, Mapping],
                       auto_increment: int = 0) -> Table:
        """This table with row edits written into its maps (one batched ``mutate`` per edited map;
        value None deletes) and its auto-increment moved up to ``auto_increment``."""
        from storage.prolly_map import ProllyMap

        table = self
        if primary:
            table = table.with_primary(ProllyMap.load(node_store, self.primary).mutate(primary).address)
        for name, edits in indexes.items():
            if edits:
                table = table.with_index(name, ProllyMap.load(node_store, self.indexes[name]).mutate(edits).address)
        if auto_increment > table.auto_increment:
            table = table.with_auto_increment(auto_increment)
        return table

    def children(self) -> list[bytes]:
        """The map roots this table refers to (primary first)."""
        return [self.primary, *self.indexes.values()]

    def encode(self) -> bytes:
        return encode_chunk(
            chunk_kinds.TABLE,
            {
                "schema": self.schema.to_json(),
                "primary": to_text(self.primary),
                "indexes": {name: to_text(root) for name, root in self.indexes.items()},
                "auto_increment": self.auto_increment,
            },
        )

    @classmethod
    def decode(cls, data: bytes) -> Table:
        j = decode_chunk(data, chunk_kinds.TABLE, "table")
        try:
            return cls(
                Schema.from_json(j["schema"]),
                from_text(j["primary"]),
                {name: from_text(text) for name, text in j["indexes"].items()},
                j["auto_increment"],
            )
        except (KeyError, TypeError, ValueError) as e:
            raise CorruptionError(f"table: malformed chunk ({e})") from None


def table_children(data: bytes) -> list[tuple[str, bytes]]:
    """(label, address) of each map a table chunk refers to, for walkers.

    Builds no Schema objects, so walking many table versions stays cheap.
    """
    j = decode_chunk(data, chunk_kinds.TABLE, "table")
    try:
        out = [("primary index", from_text(j["primary"]))]
        out.extend((f"index {name!r}", from_text(text)) for name, text in j["indexes"].items())
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise CorruptionError(f"table: malformed chunk ({e})") from None
    return out
