"""Storage kinds: the few value shapes the row encodings know.

Why a separate, smaller type system: the SQL layer has dozens of MySQL types
(TINYINT, VARCHAR(20), DECIMAL(10,2), ENUM(...)), but the byte encodings only
care how a value is represented and ordered.  Each SQL type maps to one kind
here; width, precision, display and range checks stay in the SQL layer.

    Kind      Python value                 notes
    --------  ---------------------------  ------------------------------------
    INT       int, -2**63 .. 2**63-1       TINYINT .. BIGINT
    UINT      int, 0 .. 2**64-1            unsigned ints; BIT, ENUM, SET too
    DECIMAL   decimal.Decimal (finite)     exact, up to 65 digits
    FLOAT     float (not NaN)              FLOAT and DOUBLE; -0.0 == 0.0
    STRING    str                          with a collation (FieldType)
    BYTES     bytes                        BINARY, VARBINARY, BLOB
    DATE      datetime.date
    TIME      datetime.timedelta           -838:59:59 .. 838:59:59, microseconds
    DATETIME  datetime.datetime (naive)    DATETIME and TIMESTAMP, microseconds
    YEAR      int, 0 .. 65535              MySQL stores 0 and 1901 .. 2155
    JSON      str (canonical JSON text)    value encoding only, never in keys

``None`` (SQL NULL) is allowed for every kind, in keys and values.

A column's full storage type is a ``FieldType``: the kind plus, for STRING,
the collation name (``storage.collation``).  Codecs accept a bare ``Kind``
wherever a ``FieldType`` goes; a bare ``Kind.STRING`` means MySQL 8's default
collation, utf8mb4_0900_ai_ci.
"""

from __future__ import annotations

import datetime
import decimal
import enum
from dataclasses import dataclass
from typing import Iterable, Union

from storage.collation import DEFAULT_COLLATION, SUPPORTED


class Kind(enum.Enum):
    INT = 1
    UINT = 2
    DECIMAL = 3
    FLOAT = 4
    STRING = 5
    BYTES = 6
    DATE = 7
    TIME = 8
    DATETIME = 9
    YEAR = 10
    JSON = 11
    # MySQL types with no kind of their own: aliases (Kind.BIT is Kind.UINT).
    BIT = 2
    ENUM = 2  # the 1-based member index
    SET = 2  # the member bitmask
    TIMESTAMP = 9


PYTHON_TYPES: dict[Kind, type] = {
    Kind.INT: int,
    Kind.UINT: int,
    Kind.DECIMAL: decimal.Decimal,
    Kind.FLOAT: float,
    Kind.STRING: str,
    Kind.BYTES: bytes,
    Kind.DATE: datetime.date,
    Kind.TIME: datetime.timedelta,
    Kind.DATETIME: datetime.datetime,
    Kind.YEAR: int,
    Kind.JSON: str,
}

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
UINT64_MAX = 2**64 - 1
YEAR_MAX = 0xFFFF  # stored as u16; the SQL layer enforces MySQL's 1901..2155 (and 0)
DECIMAL_MAX_DIGITS = 65  # MySQL's DECIMAL(65, 30) limit
# MySQL TIME range, in microseconds: 838:59:59.000000 either side of zero.
TIME_MAX_US = (838 * 3600 + 59 * 60 + 59) * 1_000_000
TIME_MIN_US = -TIME_MAX_US


@dataclass(frozen=True)
class FieldType:
    """A kind, and for STRING the collation deciding its key order."""

    kind: Kind
    collation: str | None = None

    def __post_init__(self) -> None:
        if self.kind is Kind.STRING:
            name = (self.collation or DEFAULT_COLLATION).lower()
            if name not in SUPPORTED:  # fail at schema time, not at first row
                raise ValueError(f"unknown collation {self.collation!r}")
            object.__setattr__(self, "collation", name)
        elif self.collation is not None:
            raise ValueError(f"{self.kind.name} has no collation")

    @property
    def python_type(self) -> type:
        return PYTHON_TYPES[self.kind]

    def __repr__(self) -> str:
        if self.kind is Kind.STRING:
            return f"STRING({self.collation})"
        return self.kind.name


FieldLike = Union[FieldType, Kind]


def string(collation: str = DEFAULT_COLLATION) -> FieldType:
    """Shorthand for a STRING field type with ``collation``."""
    return FieldType(Kind.STRING, collation)


def field_types(kinds: Iterable[FieldLike]) -> tuple[FieldType, ...]:
    """Normalize a schema given as ``Kind``s and/or ``FieldType``s."""
    out = []
    for k in kinds:
        if isinstance(k, FieldType):
            out.append(k)
        elif isinstance(k, Kind):
            out.append(FieldType(k))
        else:
            raise TypeError(f"not a storage kind: {k!r}")
    return tuple(out)
