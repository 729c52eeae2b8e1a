"""ENUM and SET values (https://dev.mysql.com/doc/refman/8.0/en/enum.html, .../set.html).

Storage holds the number (an ENUM's 1-based member index, a SET's bitmask; storage kind UINT); rows in
the engine hold an ``EnumValue``: a ``str`` (the member text MySQL shows in string context, on the
wire, to string functions and string comparisons) that carries ``number`` (what MySQL uses in numeric
context, for comparisons with numbers, and for ORDER BY).  ``TableCodec`` converts between the two
only for tables that have ENUM/SET columns.
"""

from __future__ import annotations

import decimal

from sqlserver.errors import SQLError
from storage.collation import get_collation


class EnumValue(str):
    """An ENUM/SET value: its text, with ``number`` its index (ENUM) or bitmask (SET)."""

    def __new__(cls, text: str, number: int):
        v = str.__new__(cls, text)
        v.number = number
        return v

    def __reduce__(self):
        return (EnumValue, (str(self), self.number))


class Members:
    """The members of one ENUM/SET type, for converting values (cached per type)."""

    def __init__(self, name: str, values: tuple[str, ...], collation: str):
        self.is_set = name == "set"
        self.values = values
        key = get_collation(collation).sort_key
        self.key = key
        self.by_key: dict = {}
        for i, m in enumerate(values):
            self.by_key.setdefault(key(m), i + 1)
        self.enum_values = (EnumValue("", 0),) + tuple(EnumValue(m, i + 1) for i, m in enumerate(values))
        self.max_mask = (1 << len(values)) - 1
        self._sets: dict[int, EnumValue] = {}

    def of_number(self, n: int) -> EnumValue:
        """The value stored as ``n`` (an ENUM index or SET bitmask)."""
        if not self.is_set:
            return self.enum_values[n] if 0 <= n < len(self.enum_values) else EnumValue("", n)
        v = self._sets.get(n)
        if v is None:
            v = EnumValue(",".join(m for i, m in enumerate(self.values) if n >> i & 1), n)
            if len(self._sets) < 4096:
                self._sets[n] = v
        return v

    def number_of(self, value: object) -> int | None:
        """The number ``value`` stores as, or None when it is not storable (MySQL 1265)."""
        if isinstance(value, bool):
            value = int(value)
        if isinstance(value, (int, float, decimal.Decimal)):
            n = int(value)
            if self.is_set:
                return n if 0 <= n <= self.max_mask else None
            return n if 1 <= n <= len(self.values) else None
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        text = value if isinstance(value, str) else _text(value)
        if not self.is_set:
            n = self.by_key.get(self.key(text.rstrip(" ")))
            if n is not None:
                return n
            return _numeric_member(text, len(self.values))
        mask = 0
        if text:
            parts = text.split(",")
            if len(parts) > 1 and parts[-1] == "":  # a trailing comma ends the list
                parts.pop()
            for part in parts:
                n = self.by_key.get(self.key(part))
                if n is None:
                    return _numeric_set(text, self.max_mask)
                mask |= 1 << (n - 1)
        return mask

    def lenient_number(self, value: object) -> int:
        """What non-strict mode stores for a value ``number_of`` refuses: ENUM the error value 0, SET the
        members it recognizes (a number: its bits within the members)."""
        if not self.is_set:
            return 0
        if isinstance(value, (int, float, decimal.Decimal)):
            return int(value) & self.max_mask
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        mask = 0
        for part in (value if isinstance(value, str) else _text(value)).split(","):
            n = self.by_key.get(self.key(part))
            if n is not None:
                mask |= 1 << (n - 1)
        return mask


def _numeric_member(text: str, count: int) -> int | None:
    """MySQL reads a string that names no member as a member number ('2' -> the second member)."""
    t = text.strip()
    if t.isdigit() and len(t) < 6 and 1 <= int(t) <= count:
        return int(t)
    return None


def _numeric_set(text: str, max_mask: int) -> int | None:
    t = text.strip()
    if t.isdigit() and len(t) < 22 and int(t) <= max_mask:
        return int(t)
    return None


def _text(v: object) -> str:
    from sqlserver.engine.expressions import to_text

    return to_text(v)


_members: dict[tuple, Members] = {}


def members(sql_type) -> Members:
    """The (cached) ``Members`` of an ENUM/SET ``SqlType``."""
    k = (sql_type.name, sql_type.values, sql_type.collation)
    m = _members.get(k)
    if m is None:
        if len(_members) > 4096:
            _members.clear()
        m = _members[k] = Members(sql_type.name, sql_type.values, sql_type.collation or "utf8mb4_0900_ai_ci")
    return m


def coerce(sql_type, value: object, column: str, row: int) -> EnumValue:
    """The stored form of ``value`` in an ENUM/SET column under strict mode, or SQLError 1265."""
    m = members(sql_type)
    n = m.number_of(value)
    if n is None:
        raise SQLError.of("WARN_DATA_TRUNCATED", column, row)
    return m.of_number(n)
