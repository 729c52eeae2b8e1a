"""SQL column types: parsing the declared type, storing values, describing columns.

Storage keeps a column's type as the SQL text it was declared with
(``"bigint unsigned"``, ``"varchar(20)"``, ``"decimal(10,2)"``); this module is
the one place that interprets that text.  A ``SqlType`` knows

* which storage kind holds its values (``field_type``: the row codecs order
  and pack by it),
* how to turn an incoming value into a stored one under MySQL 8's strict
  sql_mode (``coerce``: range checks give 1264, over-long strings 1406, values
  that don't convert 1366, numbers followed by text 1265, bad dates 1292,
  text that is not JSON 3140), or, when sql_mode is not strict and under
  INSERT IGNORE, into the nearest storable value with a warning
  (``coerce_lenient``), and
* how it looks on the wire (``wire_type``, ``flags``, ``display_length``,
  ``decimals``), which clients use to decode values into the right types.

Values in rows are Python values: int for integer types (and BIT, YEAR),
Decimal for DECIMAL, float for FLOAT/DOUBLE, str for character types, bytes
for binary types, date/datetime/timedelta for temporal types, str (MySQL's
normalized text) for JSON.
"""

from __future__ import annotations

import datetime
import decimal
import math
import re
import struct
from dataclasses import dataclass, field

from mysql_mimic.types import ColumnType

from sqlserver import enumset
from sqlserver.errors import SQLError
from storage.collation import DEFAULT_COLLATION
from storage.row_types import FieldType, Kind

# name -> (storage kind, wire type, signed range bits or None)
_INT_BITS = {"tinyint": 8, "smallint": 16, "mediumint": 24, "int": 32, "integer": 32, "bigint": 64}
_INT_WIRE = {
    "tinyint": ColumnType.TINY,
    "smallint": ColumnType.SHORT,
    "mediumint": ColumnType.INT24,
    "int": ColumnType.LONG,
    "integer": ColumnType.LONG,
    "bigint": ColumnType.LONGLONG,
}
_TEXT_SIZES = {"tinytext": 255, "text": 65535, "mediumtext": 16777215, "longtext": 4294967295}
_BLOB_SIZES = {"tinyblob": 255, "blob": 65535, "mediumblob": 16777215, "longblob": 4294967295}
_TYPE_RE = re.compile(
    r"^\s*(?P<name>[a-z]+)\s*(?:\((?P<args>[^)]*)\))?(?P<rest>.*)$", re.IGNORECASE | re.DOTALL
)

# Column definition flags (MySQL protocol).
NOT_NULL_FLAG = 1
PRI_KEY_FLAG = 2
UNIQUE_KEY_FLAG = 4
MULTIPLE_KEY_FLAG = 8
BLOB_FLAG = 16
UNSIGNED_FLAG = 32
ZEROFILL_FLAG = 64
BINARY_FLAG = 128
ENUM_FLAG = 256
AUTO_INCREMENT_FLAG = 512
TIMESTAMP_FLAG = 1024
SET_FLAG = 2048
NUM_FLAG = 32768

BINARY_CHARSET = 63  # the "binary" character set id
UTF8MB4_CHARSET = 255  # utf8mb4_0900_ai_ci


@dataclass(frozen=True)
class SqlType:
    """A parsed column type.  ``name`` is lower-case MySQL (``int``, ``varchar``)."""

    name: str
    unsigned: bool = False
    length: int | None = None  # CHAR/VARCHAR/BINARY/VARBINARY/BIT length
    precision: int | None = None  # DECIMAL precision
    scale: int | None = None  # DECIMAL scale
    fsp: int = 0  # fractional seconds precision of TIME/DATETIME/TIMESTAMP
    values: tuple[str, ...] = ()  # ENUM/SET members
    collation: str | None = None  # character types only
    # set by an explicit ``expr COLLATE name``: that collation wins a comparison (MySQL's coercibility 0)
    explicit: bool = field(default=False, compare=False)

    # --- parsing ---------------------------------------------------------------

    @classmethod
    def parse(cls, text: str, collation: str | None = None) -> "SqlType":
        """Parse a declared type such as ``"decimal(10,2) unsigned"``.

        Raises SQLError (1064) for text that is not a type we know.
        """
        m = _TYPE_RE.match(text)
        if not m:
            raise SQLError.of("PARSE", text, 1)
        name = m.group("name").lower()
        args = [a.strip() for a in m.group("args").split(",")] if m.group("args") is not None else []
        rest = m.group("rest").lower()
        unsigned = "unsigned" in rest
        declared = name
        name = {"integer": "int", "bool": "tinyint", "boolean": "tinyint", "dec": "decimal",
                "numeric": "decimal", "fixed": "decimal", "real": "double", "character": "char"}.get(name, name)
        if name == "double" and "precision" in rest:
            rest = rest.replace("precision", "")
        if name in _INT_BITS:  # MySQL 8 keeps a display width only for tinyint(1) (and BOOL is tinyint(1))
            one = name == "tinyint" and (args == ["1"] or declared in ("bool", "boolean"))
            return cls(name, unsigned=unsigned, length=1 if one else None)
        if name == "decimal":
            precision = int(args[0]) if args else 10
            scale = int(args[1]) if len(args) > 1 else 0
            if precision > 65 or scale > 30 or scale > precision:
                raise SQLError(1426 if precision > 65 else 1425, "42000", f"Too big precision/scale for DECIMAL({precision},{scale})")
            return cls(name, unsigned=unsigned, precision=precision, scale=scale)
        if name in ("float", "double"):
            return cls(name, unsigned=unsigned)
        if name in ("char", "varchar", "binary", "varbinary"):
            if name in ("varchar", "varbinary") and not args:
                raise SQLError.of("PARSE", text, 1)
            length = int(args[0]) if args else 1
            coll = None if name in ("binary", "varbinary") else (collation or DEFAULT_COLLATION)
            return cls(name, length=length, collation=coll)
        if name in _TEXT_SIZES:
            return cls(name, length=_TEXT_SIZES[name], collation=collation or DEFAULT_COLLATION)
        if name in _BLOB_SIZES:
            return cls(name, length=_BLOB_SIZES[name])
        if name in ("date", "year", "json"):
            return cls(name)
        if name in ("time", "datetime", "timestamp"):
            return cls(name, fsp=int(args[0]) if args else 0)
        if name == "bit":
            return cls(name, length=int(args[0]) if args else 1)
        if name in ("enum", "set"):
            # MySQL removes trailing spaces of members at CREATE TABLE
            return cls(name, values=tuple(_unquote(a).rstrip(" ") for a in _split_members(m.group("args") or "")),
                       collation=collation or DEFAULT_COLLATION)
        raise SQLError.of("PARSE", text, 1)

    # --- storage -----------------------------------------------------------------

    @property
    def field_type(self) -> FieldType:
        """The storage kind (and collation) the row codecs use for this type."""
        n = self.name
        if n in _INT_BITS:
            return FieldType(Kind.UINT if self.unsigned else Kind.INT)
        if n == "decimal":
            return FieldType(Kind.DECIMAL)
        if n in ("float", "double"):
            return FieldType(Kind.FLOAT)
        if self.collation is not None and n not in ("enum", "set"):
            return FieldType(Kind.STRING, self.collation)
        if n in ("binary", "varbinary") or n in _BLOB_SIZES:
            return FieldType(Kind.BYTES)
        return FieldType({"date": Kind.DATE, "time": Kind.TIME, "datetime": Kind.DATETIME,
                          "timestamp": Kind.DATETIME, "year": Kind.YEAR, "json": Kind.JSON,
                          "bit": Kind.UINT, "enum": Kind.UINT, "set": Kind.UINT}[n])

    @property
    def is_integer(self) -> bool:
        return self.name in _INT_BITS

    @property
    def is_string(self) -> bool:
        return self.collation is not None and self.name not in ("enum", "set")

    def int_range(self) -> tuple[int, int]:
        bits = _INT_BITS[self.name]
        if self.unsigned:
            return 0, (1 << bits) - 1
        return -(1 << (bits - 1)), (1 << (bits - 1)) - 1

    # --- values ------------------------------------------------------------------

    def coerce(self, value: object, column: str = "?", row: int = 1) -> object:
        """The stored form of ``value`` under strict mode, or SQLError.

        NULL passes through (NOT NULL is the caller's check).
        """
        if value is None:
            return None
        n = self.name
        try:
            if type(value) is str and (n in _INT_BITS or n in ("decimal", "float", "double")):
                _check_number_text(value, self._kind_text(), column, row)
            if n in _INT_BITS:
                v = _to_int(value)
                lo, hi = self.int_range()
                if not lo <= v <= hi:
                    raise SQLError.of("WARN_DATA_OUT_OF_RANGE", column, row)
                return v
            if n == "decimal":
                v = _to_decimal(value)
                q = v.quantize(decimal.Decimal(1).scaleb(-self.scale), rounding=decimal.ROUND_HALF_UP,
                               context=decimal.Context(prec=100))
                if q.adjusted() >= self.precision - self.scale or (self.unsigned and q < 0):
                    raise SQLError.of("WARN_DATA_OUT_OF_RANGE", column, row)
                return q
            if n in ("float", "double"):
                v = _to_float(value)
                if self.unsigned and v < 0:
                    raise SQLError.of("WARN_DATA_OUT_OF_RANGE", column, row)
                if n == "float":
                    if not -FLOAT_MAX <= v <= FLOAT_MAX:
                        raise SQLError.of("WARN_DATA_OUT_OF_RANGE", column, row)
                    return single_precision(v)
                return v
            if self.is_string:
                s = _to_str(value)
                if len(s) > self.length:
                    raise SQLError.of("DATA_TOO_LONG", column, row)
                if n == "char":
                    s = s.rstrip(" ")  # CHAR drops trailing spaces on retrieval (PAD_CHAR_TO_FULL_LENGTH off)
                return s
            if n in ("binary", "varbinary") or n in _BLOB_SIZES:
                b = _to_bytes(value)
                if len(b) > self.length:
                    raise SQLError.of("DATA_TOO_LONG", column, row)
                if n == "binary":
                    b = b.ljust(self.length, b"\0")
                return b
            if n == "datetime" or n == "timestamp":
                return _round_fsp(_to_datetime(value), self.fsp)
            if n == "date":
                d = _to_datetime(value) if not isinstance(value, datetime.date) else value
                return d.date() if isinstance(d, datetime.datetime) else d
            if n == "time":
                return _to_time(value)
            if n == "year":
                v = _to_int(value)
                if 0 < v < 70:
                    v += 2000
                elif 70 <= v < 100:
                    v += 1900
                if not (v == 0 or 1901 <= v <= 2155):
                    raise SQLError.of("WARN_DATA_OUT_OF_RANGE", column, row)
                return v
            if n == "json":
                return _to_json_text(value, column)
            if n == "bit":
                v = int.from_bytes(value, "big") if isinstance(value, bytes) else _to_int(value)
                if not 0 <= v < (1 << self.length):
                    raise SQLError.of("DATA_TOO_LONG", column, row)
                return v
            if n == "enum" or n == "set":
                return enumset.coerce(self, value, column, row)
        except SQLError:
            raise
        except (ValueError, TypeError, ArithmeticError, OverflowError):
            if n in ("date", "datetime", "timestamp", "time"):
                raise SQLError.of("WRONG_TEMPORAL_VALUE_FOR_FIELD", n, _show(value), column, row) from None
            raise SQLError.of("TRUNCATED_WRONG_VALUE_FOR_FIELD", self._kind_text(), _show(value), column,
                              row) from None
        raise SQLError.of("NOT_SUPPORTED_YET", f"values of type {n}")

    def _kind_text(self) -> str:
        """The type as MySQL names it in 1366 "Incorrect integer value"."""
        n = self.name
        return "integer" if n in _INT_BITS else "double" if n == "float" else n

    def coerce_lenient(self, value: object, column: str, row: int, warn) -> object:
        """The stored form of ``value`` when sql_mode is not strict (or under INSERT IGNORE): what ``coerce``
        refuses becomes warning ``warn(code, message)`` and the nearest storable value, as MySQL does
        (https://dev.mysql.com/doc/refman/8.0/en/sql-mode.html#sql-mode-strict): numbers out of range are
        clipped (1264), text that is not a number gives its numeric prefix or 0 (1265 / 1366), too-long
        strings are cut (1265 "Data truncated").  Values with no storable substitute (a bad date: MySQL
        stores a zero date, which Grove cannot) still raise."""
        try:
            return self.coerce(value, column, row)
        except SQLError as e:
            if e.errno not in (1264, 1265, 1366, 1406):
                raise
            if self.name == "enum" or self.name == "set":  # ENUM: the error value ''; SET: the known members
                warn(e.errno, e.message)
                m = enumset.members(self)
                return m.of_number(m.lenient_number(value))
            clipped = self._clip(value)
            if clipped is None:
                raise
            if e.errno == 1406:
                warn(1265, f"Data truncated for column '{column}' at row {row}")
            else:
                warn(e.errno, e.message)
            return self.coerce(clipped, column, row)

    def _clip(self, value: object):
        """The nearest value ``coerce`` accepts, or None when there is none."""
        n = self.name
        if self.is_string or n in ("binary", "varbinary") or n in _BLOB_SIZES:
            if isinstance(value, bytes) and not self.is_string:
                return value[:self.length]
            return _to_str(value)[:self.length]
        if n in _INT_BITS or n in ("decimal", "float", "double", "year", "bit"):
            v = value
            if isinstance(v, (str, bytes)):
                m = _NUM_PREFIX.match(v.decode("utf-8", "replace") if isinstance(v, bytes) else v)
                v = decimal.Decimal(m.group().strip()) if m else decimal.Decimal(0)
            if n in _INT_BITS:
                lo, hi = self.int_range()
                return max(lo, min(hi, _to_int(v)))
            if n == "decimal":
                quantum = decimal.Decimal(1).scaleb(-self.scale)
                biggest = decimal.Decimal(10) ** (self.precision - self.scale) - quantum
                d = _to_decimal(v)
                low = decimal.Decimal(0) if self.unsigned else -biggest
                return max(low, min(biggest, d))
            if n in ("float", "double"):
                f = _to_float(v)
                f = 0.0 if self.unsigned and f < 0 else f
                return max(-FLOAT_MAX, min(FLOAT_MAX, f)) if n == "float" else f
            if n == "year":
                return 0
            return (1 << self.length) - 1 if _to_int(v) > 0 else 0
        return None

    # --- wire --------------------------------------------------------------------

    @property
    def wire_type(self) -> ColumnType:
        n = self.name
        if n in _INT_WIRE:
            return _INT_WIRE[n]
        return {
            "decimal": ColumnType.NEWDECIMAL, "float": ColumnType.FLOAT, "double": ColumnType.DOUBLE,
            "char": ColumnType.STRING, "binary": ColumnType.STRING, "varchar": ColumnType.VAR_STRING,
            "varbinary": ColumnType.VAR_STRING, "date": ColumnType.DATE, "time": ColumnType.TIME,
            "datetime": ColumnType.DATETIME, "timestamp": ColumnType.TIMESTAMP, "year": ColumnType.YEAR,
            "json": ColumnType.JSON, "bit": ColumnType.BIT, "enum": ColumnType.STRING, "set": ColumnType.STRING,
        }.get(n, ColumnType.BLOB)

    @property
    def charset(self) -> int:
        return UTF8MB4_CHARSET if self.collation is not None else BINARY_CHARSET

    @property
    def flags(self) -> int:
        f = 0
        if self.unsigned:
            f |= UNSIGNED_FLAG
        if self.name in _INT_BITS or self.name in ("decimal", "float", "double", "year"):
            f |= NUM_FLAG
        if self.name in _BLOB_SIZES or self.name in _TEXT_SIZES or self.name == "json":
            f |= BLOB_FLAG
        if self.collation is None and self.name not in _INT_BITS and self.name not in ("decimal", "float", "double"):
            f |= BINARY_FLAG
        if self.name == "enum":
            f |= ENUM_FLAG
        if self.name == "set":
            f |= SET_FLAG
        return f

    @property
    def display_length(self) -> int:
        n = self.name
        if n in _INT_BITS:
            if self.length:  # tinyint(1)
                return self.length
            return {8: 4, 16: 6, 24: 9, 32: 11, 64: 20}[_INT_BITS[n]] - (1 if self.unsigned and n != "bigint" else 0)
        if n == "decimal":
            return self.precision + (1 if self.scale else 0) + (0 if self.unsigned else 1)
        if n == "float":
            return 12
        if n == "double":
            return 22
        if self.length is not None:  # at most 2^32-1 (LONGTEXT/LONGBLOB), as MySQL sends it
            return min(self.length * (4 if self.collation is not None else 1), 4294967295)
        if n == "json":
            return 4294967295
        return {"date": 10, "time": 10, "datetime": 19, "timestamp": 19, "year": 4}.get(n, 0) + (
            self.fsp + 1 if self.fsp else 0)

    @property
    def decimals(self) -> int:
        if self.name == "decimal":
            return self.scale
        if self.name in ("float", "double"):
            return 31
        if self.name in ("time", "datetime", "timestamp"):
            return self.fsp
        return 0

    def sql(self) -> str:
        """The type as SHOW CREATE TABLE prints it."""
        n = self.name
        if n in _INT_BITS:
            base = f"{n}({self.length})" if self.length else n
        elif n == "decimal":
            base = f"decimal({self.precision},{self.scale})"
        elif n in ("char", "varchar", "binary", "varbinary", "bit"):
            base = f"{n}({self.length})"
        elif n in ("time", "datetime", "timestamp") and self.fsp:
            base = f"{n}({self.fsp})"
        elif n in ("enum", "set"):
            base = n + "(" + ",".join("'" + v.replace("'", "''") + "'" for v in self.values) + ")"
        else:
            base = n
        return base + (" unsigned" if self.unsigned else "")


def _to_json_text(value: object, column: str) -> str:
    """A JSON column's stored form: MySQL's normalized text; text that is not JSON is error 3140, and so is
    a non-JSON SQL value (MySQL: "not a JSON text, may need CAST")."""
    from sqlserver.engine.json_values import Json, JsonSyntaxError, parse, render

    if isinstance(value, Json):
        return render(value.value)
    if isinstance(value, (str, bytes)):
        text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
        try:
            return render(parse(text))
        except JsonSyntaxError as e:
            raise SQLError(3140, "22032", f'Invalid JSON text: "{e.message}" at position {e.pos} in value for '
                                          f"column '{column}'.") from None
    raise SQLError(3140, "22032", f'Invalid JSON text: "not a JSON text, may need CAST" at position 0 in value '
                                  f"for column '{column}'.")


def _check_number_text(s: str, kind: str, column: str, row: int) -> None:
    """Text stored into a numeric column must be a number: 1366 when it has no numeric prefix, 1265
    "Data truncated" when something follows the number (strict mode's errors)."""
    m = _NUM_PREFIX.match(s)
    if m is None:
        raise SQLError.of("TRUNCATED_WRONG_VALUE_FOR_FIELD", kind, s, column, row)
    if s[m.end():].strip():
        raise SQLError.of("WARN_DATA_TRUNCATED", column, row)


def _split_members(args: str) -> list[str]:
    return re.findall(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"", args)


def _unquote(s: str) -> str:
    q = s[0]
    return s[1:-1].replace(q + q, q)


def _show(value: object) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


_NUM_PREFIX = re.compile(r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _to_int(value: object) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, (float, decimal.Decimal)):
        return int(decimal.Decimal(value).to_integral_value(rounding=decimal.ROUND_HALF_UP))
    if isinstance(value, bytes):
        value = value.decode("utf-8")
    if isinstance(value, str):
        s = value.strip()
        if re.fullmatch(r"[+-]?\d+", s):
            return int(s)
        return _to_int(decimal.Decimal(s))
    raise TypeError(value)


def _to_decimal(value: object) -> decimal.Decimal:
    if isinstance(value, decimal.Decimal):
        return value
    if isinstance(value, (int, bool)):
        return decimal.Decimal(int(value))
    if isinstance(value, float):
        return decimal.Decimal(repr(value))
    if isinstance(value, bytes):
        value = value.decode("utf-8")
    if isinstance(value, str):
        d = decimal.Decimal(value.strip())
        if not d.is_finite():
            raise ValueError(value)
        return d
    raise TypeError(value)


# FLOAT is IEEE single precision in MySQL: a stored value is rounded to the nearest float32 (so a FLOAT
# column holding 0.1 does not equal the literal 0.1, as in MySQL) and must lie within +-FLOAT_MAX.
FLOAT_MAX = 3.4028234663852886e38
_F32 = struct.Struct("<f")


def single_precision(v: float) -> float:
    """``v`` rounded to the nearest IEEE single-precision value (NaN and infinities as they are)."""
    if v != v or v in (math.inf, -math.inf):
        return v
    return _F32.unpack(_F32.pack(v))[0]


def _to_float(value: object) -> float:
    if isinstance(value, (int, float, decimal.Decimal)):
        return float(value)
    if isinstance(value, bytes):
        value = value.decode("utf-8")
    if isinstance(value, str):
        return float(value.strip())
    raise TypeError(value)


def _to_str(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat(" ")
    if isinstance(value, datetime.timedelta):
        return format_time(value)
    return str(value)


def _to_bytes(value: object) -> bytes:
    if isinstance(value, bytes):
        return value
    return _to_str(value).encode("utf-8")


_DT_RE = re.compile(
    r"^\s*(\d{1,4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,6}))?)?)?\s*$"
)


def _to_datetime(value: object) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day)
    if isinstance(value, bytes):
        value = value.decode("utf-8")
    if isinstance(value, str):
        m = _DT_RE.match(value)
        if not m:
            raise ValueError(value)
        y, mo, d, h, mi, s, frac = m.groups()
        us = int((frac or "0").ljust(6, "0"))
        return datetime.datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0), us)
    raise TypeError(value)


def _round_fsp(v: datetime.datetime, fsp: int) -> datetime.datetime:
    if fsp >= 6 or not v.microsecond:
        return v
    unit = 10 ** (6 - fsp)
    us = (v.microsecond + unit // 2) // unit * unit
    return v.replace(microsecond=0) + datetime.timedelta(microseconds=us)


_TIME_RE = re.compile(r"^\s*(-)?(?:(\d+)\s+)?(\d+):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,6}))?)?\s*$")


def _to_time(value: object) -> datetime.timedelta:
    if isinstance(value, datetime.timedelta):
        return value
    if isinstance(value, bytes):
        value = value.decode("utf-8")
    if isinstance(value, str):
        m = _TIME_RE.match(value)
        if not m:
            raise ValueError(value)
        neg, days, h, mi, s, frac = m.groups()
        t = datetime.timedelta(days=int(days or 0), hours=int(h), minutes=int(mi), seconds=int(s or 0),
                               microseconds=int((frac or "0").ljust(6, "0")))
        return -t if neg else t
    raise TypeError(value)


def format_time(t: datetime.timedelta) -> str:
    """MySQL's text form of a TIME value: ``-838:59:59.000000`` style."""
    us = t.days * 86400_000_000 + t.seconds * 1_000_000 + t.microseconds
    sign = "-" if us < 0 else ""
    us = abs(us)
    s, frac = divmod(us, 1_000_000)
    h, rem = divmod(s, 3600)
    m, s = divmod(rem, 60)
    return f"{sign}{h:02d}:{m:02d}:{s:02d}" + (f".{frac:06d}" if frac else "")
