"""The binary protocol: mysql-connector-python's server-side prepared statements (``cursor(prepared=True)``:
COM_STMT_PREPARE, COM_STMT_EXECUTE with typed parameters, binary result rows, COM_STMT_CLOSE).

Every statement is executed twice with different parameters (the second execution reuses the statement
id and re-sends the parameter types).  Every column type of ``all_types`` goes in as a parameter and
comes back as a binary-protocol value.  In the binary protocol MySQL 8 sends a FLOAT as its 4 bytes, so
a FLOAT holding 0.1 reads back as the float32 nearest 0.1 (0.10000000149011612), unlike the text
protocol's "0.1".  The C extension has binding quirks of its own (seen against MariaDB 10.11, in the
client): Python floats go as 4-byte FLOAT, ints above 2**63-1 and timedelta cannot be bound faithfully,
so DOUBLE and TIME values go in as their text, huge unsigned ints as Decimal (``parameter``).  Uses the C extension (the connector's default); its conversions of binary values:
integers, YEAR -> int; DECIMAL -> Decimal; BIT -> int; character types -> str; binary types and JSON ->
bytearray; SET -> set of str; DATE/DATETIME/TIMESTAMP/TIME -> date/datetime/timedelta.
"""

from __future__ import annotations

import struct
from decimal import Decimal

import pytest

from tests.clients import all_types
from tests.clients.all_types import COLUMNS, ENUM_SET_COLUMNS
from tests.clients.test_drivers import _connector_values


def float32(v: float) -> float:
    return struct.unpack("<f", struct.pack("<f", v))[0]


def binary_value(column, value):
    """What the C extension returns for ``value`` (the text-protocol PyMySQL value) read in binary."""
    value = _connector_values(column, value)
    if value is None:
        return None
    if column.sql_type == "FLOAT":
        return float32(value)
    if column.sql_type == "JSON":
        # MySQL 8 sends JSON with the binary charset and BINARY_FLAG; in binary rows the C extension
        # decodes by that flag alone (unlike its text path), so JSON arrives as bytearray.
        return bytearray(value.encode())
    if isinstance(value, bytes):
        return bytearray(value)  # the C extension's binary rows hold bytearray, not bytes
    if column.sql_type == "BIGINT UNSIGNED" and value >= 2**63:
        # The C extension reads a binary BIGINT UNSIGNED as signed (it ignores UNSIGNED_FLAG there):
        # a client quirk, the same against MySQL 8.  test_unsigned_bigint_text_in_binary checks the value.
        return value - 2**64
    return value


def parameter(column, row):
    """The Python value bound for ``column`` in ``row`` (0 or 1): the value MySQL stores back."""
    value = _connector_values(column, column.values[row])
    if column.sql_type == "DOUBLE":
        # The C extension binds a Python float as MYSQL_TYPE_FLOAT (4 bytes: 2.5e-300 would arrive as 0.0),
        # and a Decimal as DECIMAL (at most 65 digits): the exact text goes as a string parameter.
        return repr(value)
    if column.sql_type.startswith("TIME") and not column.sql_type.startswith("TIMESTAMP"):
        return column.texts[row].decode()  # the C extension binds timedelta parameters as 00:00:00
    if isinstance(value, int) and value >= 2**63:
        return Decimal(value)  # the C extension binds ints as signed 64-bit only
    if column.sql_type.startswith("SET"):
        return ",".join(sorted(value))  # a SET parameter is the comma-separated text
    return value


@pytest.fixture
def connector(grove_server):
    import mysql.connector

    conn = mysql.connector.connect(host=grove_server.host, port=grove_server.port, user="root", password="",
                                   database="db", use_pure=False, connection_timeout=10)
    yield conn
    conn.close()


def typed(rows):
    return [tuple((type(v).__name__, v) for v in row) for row in rows]


def _round_trip(conn, table, columns):
    conn.cursor().execute(all_types.create_table(table, columns))
    cur = conn.cursor(prepared=True)
    names = ", ".join(f"`{c.name}`" for c in columns)
    insert = f"INSERT INTO `{table}` (id, {names}) VALUES (?, {', '.join('?' for _ in columns)})"
    for row in (0, 1):
        cur.execute(insert, (row + 1, *(parameter(c, row) for c in columns)))
        assert cur.rowcount == 1
    cur.execute(insert, (3, *(None for _ in columns)))  # NULL parameters
    conn.commit()
    select = f"SELECT id, {names} FROM `{table}` WHERE id = ?"
    rows = []
    for id_ in (1, 2, 3):
        cur.execute(select, (id_,))
        rows += cur.fetchall()
    assert typed(rows) == typed(all_types.expected_rows(columns, binary_value))
    return cur


def test_every_type_as_parameter_and_binary_result(connector):
    cur = _round_trip(connector, "all_types", COLUMNS)
    # Each value as a parameter of a comparison finds its row.  Not FLOAT (a double parameter never equals
    # the float32 stored) nor JSON (a string compared with JSON is a JSON string, not parsed JSON).
    for c in COLUMNS:
        if c.sql_type in ("FLOAT", "JSON"):
            continue
        for row in (0, 1):
            cur.execute(f"SELECT id FROM all_types WHERE `{c.name}` = ?", (parameter(c, row),))
            assert cur.fetchall() == [(row + 1,)], (c.name, parameter(c, row))


def test_unsigned_bigint_text_in_binary(connector):
    connector.cursor().execute("CREATE TABLE big (id INT PRIMARY KEY, v BIGINT UNSIGNED)")
    cur = connector.cursor(prepared=True)
    for i, v in enumerate([2**64 - 1, 2**63]):
        cur.execute("INSERT INTO big VALUES (?, ?)", (i, Decimal(v)))
    cur.execute("SELECT CAST(v AS CHAR), v + 0 = ? FROM big WHERE id >= ? ORDER BY id", (Decimal(2**63), 0))
    assert cur.fetchall() == [(str(2**64 - 1), 0), (str(2**63), 1)]


def test_enum_and_set_as_parameter_and_binary_result(connector):
    _round_trip(connector, "enum_set", ENUM_SET_COLUMNS)


def test_string_parameter_with_quote_backslash_and_nul_is_stored_unchanged(connector):
    connector.cursor().execute("CREATE TABLE s (id INT PRIMARY KEY, v VARCHAR(40), b VARBINARY(40))")
    cur = connector.cursor(prepared=True)
    values = ["it's a \\ back\x00slash", "'; DROP TABLE s; --\\'\x00"]
    for i, v in enumerate(values):
        cur.execute("INSERT INTO s VALUES (?, ?, ?)", (i, v, v.encode() + b"\xff"))
    connector.commit()
    for i, v in enumerate(values):
        # HEX(v), not v: the C extension cuts a str result at its first NUL (a client quirk).
        cur.execute("SELECT id, HEX(v), b, LENGTH(v) FROM s WHERE v = ?", (v,))
        assert cur.fetchall() == [(i, v.encode().hex().upper(), bytearray(v.encode() + b"\xff"), len(v.encode()))]
    plain = connector.cursor()
    plain.execute("SELECT v FROM s ORDER BY id")
    assert plain.fetchall() == [(v,) for v in values]


def test_update_and_delete_with_parameters_report_counts(connector):
    connector.cursor().execute("CREATE TABLE u (id INT PRIMARY KEY, n INT)")
    cur = connector.cursor(prepared=True)
    for i in range(1, 6):
        cur.execute("INSERT INTO u VALUES (?, ?)", (i, i * 10))
    cur.execute("UPDATE u SET n = n + ? WHERE id > ?", (1, 3))
    assert cur.rowcount == 2
    cur.execute("UPDATE u SET n = n + ? WHERE id > ?", (5, 4))
    assert cur.rowcount == 1
    cur.execute("DELETE FROM u WHERE n < ?", (25,))
    assert cur.rowcount == 2
    connector.commit()
    cur.execute("SELECT id, n FROM u WHERE id >= ? ORDER BY id", (0,))
    assert cur.fetchall() == [(3, 30), (4, 41), (5, 56)]
