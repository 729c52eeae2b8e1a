"""One table holding every column type of the engine, and what MySQL 8 sends back for it.

Each ``Column`` lists the SQL literal of the values the tests insert (row 1: the low end of the type's
range, row 2: the high end or an edge case; row 3 is all NULL), the Python value PyMySQL and mysqlclient
decode from MySQL 8's text protocol, and the text MySQL 8 puts on the wire (what the mariadb CLI
prints).  The drivers' documented conversions decide the Python values, given the column metadata
MySQL 8 sends:

* integers, YEAR -> int; DECIMAL -> Decimal (the declared scale kept: 0.05 in DECIMAL(12,4) is 0.0500);
  FLOAT, DOUBLE -> float (the text protocol prints a FLOAT with at most 6 significant digits, so a FLOAT
  holding 0.1 reads back as 0.1);
* BIT(n) arrives with the binary character set: bytes, big-endian, ceil(n/8) long (PyMySQL, mysqlclient);
  mysql-connector-python turns it into an int;
* CHAR (trailing spaces removed), VARCHAR, TEXT, ENUM -> str; BLOB, BINARY(n) (zero-padded to n),
  VARBINARY -> bytes;
* SET -> the members in definition order joined by commas (str), a Python set in mysql-connector-python;
* JSON arrives with the binary character set, yet every one of these drivers decodes it to str
  (MySQL's normalized JSON text), not to Python objects;
* DATE -> date, DATETIME/TIMESTAMP -> naive datetime, TIME -> timedelta (negative and > 24 h allowed).

ENUM and SET live in a second table (``ENUM_SET_COLUMNS``) so that a server lacking them fails only
the tests that use them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

D = datetime.date
DT = datetime.datetime
TD = datetime.timedelta


@dataclass(frozen=True)
class Column:
    name: str
    sql_type: str
    literals: tuple[str, str]  # SQL literals of rows 1 and 2
    values: tuple[object, object]  # as PyMySQL / mysqlclient decode them (text protocol)
    texts: tuple[bytes, bytes]  # MySQL 8's text-protocol bytes


COLUMNS = [
    Column("ti", "TINYINT", ("-128", "127"), (-128, 127), (b"-128", b"127")),
    Column("tiu", "TINYINT UNSIGNED", ("0", "255"), (0, 255), (b"0", b"255")),
    Column("si", "SMALLINT", ("-32768", "32767"), (-32768, 32767), (b"-32768", b"32767")),
    Column("siu", "SMALLINT UNSIGNED", ("0", "65535"), (0, 65535), (b"0", b"65535")),
    Column("mi", "MEDIUMINT", ("-8388608", "8388607"), (-8388608, 8388607), (b"-8388608", b"8388607")),
    Column("miu", "MEDIUMINT UNSIGNED", ("0", "16777215"), (0, 16777215), (b"0", b"16777215")),
    Column("i", "INT", ("-2147483648", "2147483647"), (-2147483648, 2147483647),
           (b"-2147483648", b"2147483647")),
    Column("iu", "INT UNSIGNED", ("0", "4294967295"), (0, 4294967295), (b"0", b"4294967295")),
    Column("bi", "BIGINT", ("-9223372036854775808", "9223372036854775807"),
           (-9223372036854775808, 9223372036854775807),
           (b"-9223372036854775808", b"9223372036854775807")),
    Column("biu", "BIGINT UNSIGNED", ("0", "18446744073709551615"), (0, 18446744073709551615),
           (b"0", b"18446744073709551615")),
    Column("de", "DECIMAL(12,4)", ("-99999999.9999", "0.05"), (Decimal("-99999999.9999"), Decimal("0.0500")),
           (b"-99999999.9999", b"0.0500")),
    Column("fl", "FLOAT", ("-1.5", "0.1"), (-1.5, 0.1), (b"-1.5", b"0.1")),
    Column("db", "DOUBLE", ("-1.7976931348623157e308", "2.5e-300"), (-1.7976931348623157e308, 2.5e-300),
           (b"-1.7976931348623157e308", b"2.5e-300")),
    Column("b", "BIT(10)", ("b'0'", "b'1010000001'"), (b"\x00\x00", b"\x02\x81"), (b"\x00\x00", b"\x02\x81")),
    Column("bo", "BOOL", ("FALSE", "TRUE"), (0, 1), (b"0", b"1")),
    Column("ch", "CHAR(5)", ("'abc  '", "'xyzzy'"), ("abc", "xyzzy"), (b"abc", b"xyzzy")),
    Column("vc", "VARCHAR(20)", (r"'it''s \\ a\tb\n'", "'héllo wörld'"), ("it's \\ a\tb\n", "héllo wörld"),
           (b"it's \\ a\tb\n", "héllo wörld".encode())),
    Column("tx", "TEXT", ("'日本語 text'", "''"), ("日本語 text", ""), ("日本語 text".encode(), b"")),
    Column("bl", "BLOB", ("x'00FF10'", "x''"), (b"\x00\xff\x10", b""), (b"\x00\xff\x10", b"")),
    Column("bn", "BINARY(4)", ("x'0102'", "x'DEADBEEF'"), (b"\x01\x02\x00\x00", b"\xde\xad\xbe\xef"),
           (b"\x01\x02\x00\x00", b"\xde\xad\xbe\xef")),
    Column("vb", "VARBINARY(10)", ("x'0A00'", "x'41'"), (b"\n\x00", b"A"), (b"\n\x00", b"A")),
    Column("d", "DATE", ("'1000-01-01'", "'9999-12-31'"), (D(1000, 1, 1), D(9999, 12, 31)),
           (b"1000-01-01", b"9999-12-31")),
    Column("tm", "TIME(6)", ("'-00:00:01.5'", "'100:02:03.25'"),
           (TD(seconds=-1.5), TD(hours=100, minutes=2, seconds=3.25)),
           (b"-00:00:01.500000", b"100:02:03.250000")),
    Column("t0", "TIME", ("'-838:59:59'", "'838:59:59'"),
           (-TD(hours=838, minutes=59, seconds=59), TD(hours=838, minutes=59, seconds=59)),
           (b"-838:59:59", b"838:59:59")),
    Column("dt", "DATETIME(6)", ("'1000-01-01 00:00:00'", "'9999-12-31 23:59:59.999999'"),
           (DT(1000, 1, 1), DT(9999, 12, 31, 23, 59, 59, 999999)),
           (b"1000-01-01 00:00:00.000000", b"9999-12-31 23:59:59.999999")),
    Column("ts", "TIMESTAMP", ("'2001-02-03 04:05:06'", "'2030-06-15 12:34:56'"),
           (DT(2001, 2, 3, 4, 5, 6), DT(2030, 6, 15, 12, 34, 56)),
           (b"2001-02-03 04:05:06", b"2030-06-15 12:34:56")),
    Column("y", "YEAR", ("1901", "2155"), (1901, 2155), (b"1901", b"2155")),
    Column("j", "JSON", ("""'{"b": true, "a": [1, 2.5, null, "s"]}'""", """'"é"'"""),
           ('{"a": [1, 2.5, null, "s"], "b": true}', '"é"'),
           (b'{"a": [1, 2.5, null, "s"], "b": true}', '"é"'.encode())),
]

ENUM_SET_COLUMNS = [
    Column("en", "ENUM('a','b','c')", ("'b'", "'a'"), ("b", "a"), (b"b", b"a")),
    # SET members come back in definition order, duplicates removed; the empty set is ''.
    Column("st", "SET('x','y','z')", ("'z,x,z'", "''"), ("x,z", ""), (b"x,z", b"")),
]


def create_table(name: str, columns: list[Column]) -> str:
    cols = ",\n  ".join(f"`{c.name}` {c.sql_type}" for c in columns)
    return f"CREATE TABLE `{name}` (\n  id INT PRIMARY KEY,\n  {cols}\n)"


def insert_rows(name: str, columns: list[Column]) -> list[str]:
    """Three INSERTs: row 1 and row 2 from the literals, row 3 all NULL."""
    names = ", ".join(f"`{c.name}`" for c in columns)
    return [
        f"INSERT INTO `{name}` (id, {names}) VALUES ({row + 1}, {', '.join(c.literals[row] for c in columns)})"
        for row in (0, 1)
    ] + [f"INSERT INTO `{name}` (id) VALUES (3)"]


def expected_rows(columns: list[Column], convert=None) -> list[tuple]:
    """Rows 1..3 as (id, values...); ``convert(column, value)`` adapts a value to one driver."""
    convert = convert or (lambda column, value: value)
    rows = [(row + 1, *(convert(c, c.values[row]) for c in columns)) for row in (0, 1)]
    return rows + [(3, *(None for _ in columns))]


def select_all(name: str, columns: list[Column]) -> str:
    return f"SELECT id, {', '.join(f'`{c.name}`' for c in columns)} FROM `{name}` ORDER BY id"
