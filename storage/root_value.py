"""A root value: the whole content of a database at one point in time.

A commit, a working set and a staged set each point at one root value.  It
maps table names to table chunks, plus ``objects`` for database-level things
that are not tables (view definitions, triggers, stored routines, ...): name
-> text, interpreted by the SQL layer.  The SQL layer chooses the object names
(for example ``"view:v1"``); storage only keeps them.

Layout (kind ``storage.chunk_kinds.ROOT_VALUE``, canonical JSON)::

    R {"objects": {"view:v1": "select ..."},     name -> text
       "tables":  {"orders": "<address>"}}       table name -> table chunk

Names are kept exactly as given (MySQL table names are case-sensitive on
Linux); ``find_table`` offers a case-insensitive lookup for callers that
emulate ``lower_case_table_names``.  Two root values with the same tables and
objects encode to the same bytes, so "is anything changed?" is an address
comparison (``Database.commit`` relies on that for "nothing to commit").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

from storage import chunk_kinds
from storage.address import ADDRESS_SIZE, from_text, to_text
from storage.errors import CorruptionError
from storage.schema import decode_chunk, encode_chunk


@dataclass(frozen=True)
class RootValue:
    """Table name -> table chunk address, plus named text objects. Immutable."""

    table_map: Mapping[str, bytes] = field(default_factory=dict, hash=False)
    objects: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        for name, address in self.table_map.items():
            if len(address) != ADDRESS_SIZE:
                raise ValueError(f"table {name!r}: not a 20-byte address")
        object.__setattr__(self, "table_map", MappingProxyType(dict(sorted(self.table_map.items()))))
        object.__setattr__(self, "objects", MappingProxyType(dict(sorted(self.objects.items()))))

    def tables(self) -> list[str]:
        """Table names, sorted."""
        return list(self.table_map)

    def table(self, name: str) -> bytes | None:
        """The address of table ``name`` (exact name), or None."""
        return self.table_map.get(name)

    def has_table(self, name: str) -> bool:
        return name in self.table_map

    def find_table(self, name: str) -> str | None:
        """The stored name of the table called ``name`` ignoring case, or None.

        An exact match wins; otherwise the first match in sorted order, so the
        answer is deterministic even if two names differ only in case.
        """
        if name in self.table_map:
            return name
        lowered = name.lower()
        for stored in self.table_map:
            if stored.lower() == lowered:
                return stored
        return None

    def with_table(self, name: str, address: bytes) -> RootValue:
        tables = dict(self.table_map)
        tables[name] = address
        return RootValue(tables, self.objects)

    def without_table(self, name: str) -> RootValue:
        """A copy without table ``name``; KeyError if there is none."""
        tables = dict(self.table_map)
        del tables[name]
        return RootValue(tables, self.objects)

    def with_object(self, name: str, text: str) -> RootValue:
        objects = dict(self.objects)
        objects[name] = text
        return RootValue(self.table_map, objects)

    def without_object(self, name: str) -> RootValue:
        """A copy without object ``name``; KeyError if there is none."""
        objects = dict(self.objects)
        del objects[name]
        return RootValue(self.table_map, objects)

    def encode(self) -> bytes:
        return encode_chunk(
            chunk_kinds.ROOT_VALUE,
            {"tables": {n: to_text(a) for n, a in self.table_map.items()}, "objects": dict(self.objects)},
        )

    @classmethod
    def decode(cls, data: bytes) -> RootValue:
        j = decode_chunk(data, chunk_kinds.ROOT_VALUE, "root value")
        try:
            return cls({n: from_text(t) for n, t in j["tables"].items()}, j["objects"])
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            raise CorruptionError(f"root value: malformed chunk ({e})") from None


EMPTY = RootValue()


def root_value_children(data: bytes) -> list[tuple[str, bytes]]:
    """(label, address) of each table a root-value chunk refers to."""
    root = RootValue.decode(data)
    return [(f"table {name!r}", address) for name, address in root.table_map.items()]
