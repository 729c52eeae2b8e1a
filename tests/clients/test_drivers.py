"""PyMySQL, mysqlclient (MySQLdb), mysql-connector-python (pure Python and C extension) and the mariadb CLI
over the text protocol: DDL, DML and every column type read back as each driver decodes MySQL 8's answer.

Expected values come from ``all_types`` (what MySQL 8 sends, decoded by each driver's documented
conversions), never from Grove's own output.
"""

from __future__ import annotations

import importlib
import shutil
import subprocess
from decimal import Decimal

import pytest

from tests.clients import all_types
from tests.clients.all_types import COLUMNS, ENUM_SET_COLUMNS

CONNECT_TIMEOUT = 10


def _pymysql(server, **kw):
    import pymysql

    return pymysql.connect(host=server.host, port=server.port, user="root", password="", database="db",
                           connect_timeout=CONNECT_TIMEOUT, read_timeout=60, **kw)


def _mysqldb(server, **kw):
    import MySQLdb

    return MySQLdb.connect(host=server.host, port=server.port, user="root", password="", database="db",
                           connect_timeout=CONNECT_TIMEOUT, **kw)


def _connector(use_pure):
    def connect(server, **kw):
        import mysql.connector

        return mysql.connector.connect(host=server.host, port=server.port, user="root", password="",
                                       database="db", use_pure=use_pure, connection_timeout=CONNECT_TIMEOUT, **kw)
    return connect


def _bit_as_int(column, value):
    return int.from_bytes(value, "big") if column.sql_type.startswith("BIT") and value is not None else value


def _set_as_set(column, value):
    if column.sql_type.startswith("SET") and value is not None:
        return set(value.split(",")) if value else set()
    return value


def _connector_values(column, value):
    return _set_as_set(column, _bit_as_int(column, value))


# name -> (connect(server, **kw), adapt(column, value) from the PyMySQL value to this driver's)
DRIVERS = {
    "pymysql": (_pymysql, None),
    "mysqlclient": (_mysqldb, None),
    "connector-c": (_connector(False), _connector_values),
    "connector-pure": (_connector(True), _connector_values),
}


@pytest.fixture(params=sorted(DRIVERS))
def driver(request, grove_server):
    """(connection factory, value adapter, driver name) with the connections closed at teardown."""
    connect, adapt = DRIVERS[request.param]
    if request.param == "connector-c":
        from mysql.connector import HAVE_CEXT

        assert HAVE_CEXT, "mysql-connector-python was installed without its C extension"
    opened = []

    def factory(**kw):
        conn = connect(grove_server, **kw)
        opened.append(conn)
        return conn

    yield factory, adapt, request.param
    for conn in opened:
        try:
            conn.close()
        except Exception:  # noqa: BLE001 - the server may have closed it already
            pass


def typed(rows):
    """Rows with every value paired with its type: 1 == 1.0 == True and a str never equals bytes."""
    return [tuple((type(v).__name__, v) for v in row) for row in rows]


def _load(conn, table, columns):
    cur = conn.cursor()
    cur.execute(all_types.create_table(table, columns))
    for sql in all_types.insert_rows(table, columns):
        cur.execute(sql)
        assert cur.rowcount == 1
    conn.commit()
    cur.execute(all_types.select_all(table, columns))
    rows = cur.fetchall()
    cur.close()
    return rows


def test_every_type_reads_back_as_the_driver_decodes_mysql(driver):
    connect, adapt, _ = driver
    rows = _load(connect(), "all_types", COLUMNS)
    assert typed(rows) == typed(all_types.expected_rows(COLUMNS, adapt))


def test_enum_and_set_read_back(driver):
    connect, adapt, _ = driver
    rows = _load(connect(), "enum_set", ENUM_SET_COLUMNS)
    assert typed(rows) == typed(all_types.expected_rows(ENUM_SET_COLUMNS, adapt))


def test_column_descriptions_name_every_column(driver):
    connect, _, _ = driver
    conn = connect()
    cur = conn.cursor()
    cur.execute(all_types.create_table("all_types", COLUMNS))
    cur.execute(all_types.select_all("all_types", COLUMNS))
    assert [d[0] for d in cur.description] == ["id"] + [c.name for c in COLUMNS]
    assert list(cur.fetchall()) == []


def test_dml_with_client_side_parameters(driver):
    """DDL, INSERT/UPDATE/DELETE with the driver's own escaping of %s parameters, counts and insert ids."""
    connect, _, name = driver
    conn = connect()
    cur = conn.cursor()
    cur.execute("CREATE TABLE items (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40) NOT NULL, "
                "price DECIMAL(8,2), data VARBINARY(16), UNIQUE KEY uk_name (name))")
    tricky = "it's a \\ back\x00slash \"quoted\""
    cur.execute("INSERT INTO items (name, price, data) VALUES (%s, %s, %s)", (tricky, Decimal("9.99"), b"\x00'\\A"))
    assert cur.rowcount == 1
    assert cur.lastrowid == 1
    cur.executemany("INSERT INTO items (name, price) VALUES (%s, %s)",
                    [("b", Decimal("1.50")), ("c", None), ("d", Decimal("-0.01"))])
    assert cur.rowcount == 3
    conn.commit()
    cur.execute("SELECT id, name, price, data FROM items WHERE name = %s", (tricky,))
    assert cur.fetchall() in ([(1, tricky, Decimal("9.99"), b"\x00'\\A")],
                              ((1, tricky, Decimal("9.99"), b"\x00'\\A"),))
    cur.execute("UPDATE items SET price = price * 2 WHERE price > %s", (Decimal("0"),))
    assert cur.rowcount == 2
    cur.execute("DELETE FROM items WHERE price IS NULL OR price < 0")
    assert cur.rowcount == 2
    conn.commit()
    cur.execute("SELECT name, price FROM items ORDER BY id")
    assert list(cur.fetchall()) == [(tricky, Decimal("19.98")), ("b", Decimal("3.00"))]
    # A duplicate key is the driver's IntegrityError with MySQL's 1062.
    module = importlib.import_module({"pymysql": "pymysql", "mysqlclient": "MySQLdb"}.get(name, "mysql.connector"))
    with pytest.raises(module.IntegrityError) as e:
        cur.execute("INSERT INTO items (name) VALUES ('b')")
    assert getattr(e.value, "errno", None) == 1062 or e.value.args[0] == 1062


def test_bytes_parameter_that_is_not_utf8(driver):
    """mysqlclient and mysql-connector-python put bytes parameters in the query as _binary'...' with the raw
    bytes (PyMySQL 1.2 sends X'hex'): MySQL takes any byte sequence in a binary string literal."""
    connect, _, _ = driver
    conn = connect()
    cur = conn.cursor()
    cur.execute("CREATE TABLE blobs (id INT PRIMARY KEY, data VARBINARY(16))")
    data = b"\xff\xfe\x00'\\\x80"
    cur.execute("INSERT INTO blobs VALUES (%s, %s)", (1, data))
    conn.commit()
    cur.execute("SELECT data, HEX(data) FROM blobs WHERE data = %s", (data,))
    assert list(cur.fetchall()) == [(data, data.hex().upper())]


def test_transactions_commit_and_rollback(driver):
    connect, _, _ = driver
    writer, reader = connect(), connect()
    cur = writer.cursor()
    cur.execute("CREATE TABLE t (id INT PRIMARY KEY)")
    writer.commit()
    # These drivers start with autocommit off (PEP 249): every statement is in a transaction.
    cur.execute("INSERT INTO t VALUES (1)")
    writer.rollback()
    cur.execute("INSERT INTO t VALUES (2)")
    other = reader.cursor()
    other.execute("SELECT id FROM t")
    assert list(other.fetchall()) == []  # not committed yet
    reader.commit()  # end the reader's snapshot
    writer.commit()
    other.execute("SELECT id FROM t")
    assert list(other.fetchall()) == [(2,)]


# --- the mariadb CLI --------------------------------------------------------------------------------

needs_cli = pytest.mark.skipif(shutil.which("mariadb") is None, reason="mariadb CLI not installed (./dev installs it)")

_BATCH_ESCAPES = {b"0": b"\x00", b"t": b"\t", b"n": b"\n", b"\\": b"\\"}


def batch_fields(line: bytes) -> list[bytes | None]:
    """One line of ``mariadb --batch`` output as raw values: tab-separated, \\0 \\t \\n \\\\ escaped, NULL."""
    fields = []
    for raw in line.split(b"\t"):
        if raw == b"NULL":
            fields.append(None)
            continue
        out, i = bytearray(), 0
        while i < len(raw):
            if raw[i:i + 1] == b"\\" and raw[i + 1:i + 2] in _BATCH_ESCAPES:
                out += _BATCH_ESCAPES[raw[i + 1:i + 2]]
                i += 2
            else:
                out += raw[i:i + 1]
                i += 1
        fields.append(bytes(out))
    return fields


def run_cli(server, sql: str, *args: str, database: str = "db") -> subprocess.CompletedProcess:
    return subprocess.run(
        ["mariadb", "-h", "127.0.0.1", "-P", str(server.port), "-u", "root", "--batch", *args,
         "-D", database, "-e", sql],
        capture_output=True, timeout=60)


@needs_cli
@pytest.mark.parametrize("table, columns", [("all_types", COLUMNS), ("enum_set", ENUM_SET_COLUMNS)],
                         ids=["all_types", "enum_set"])
def test_cli_prints_every_type_as_mysql_text(grove_server, table, columns):
    sql = ";\n".join([all_types.create_table(table, columns), *all_types.insert_rows(table, columns),
                      all_types.select_all(table, columns)])
    done = run_cli(grove_server, sql)
    assert done.returncode == 0, done.stderr.decode()
    lines = done.stdout.split(b"\n")
    assert lines[-1] == b""
    header, *rows = lines[:-1]
    assert header.split(b"\t") == [b"id"] + [c.name.encode() for c in columns]
    expected = [[str(row + 1).encode(), *(c.texts[row] for c in columns)] for row in (0, 1)]
    expected.append([b"3", *(None for _ in columns)])
    assert [batch_fields(r) for r in rows] == expected


@needs_cli
def test_cli_dml_reports_errors_with_mysql_codes(grove_server):
    done = run_cli(grove_server, "CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(5)); "
                                 "INSERT INTO t VALUES (1, 'a'), (2, 'b'); UPDATE t SET v = 'c' WHERE id = 2; "
                                 "DELETE FROM t WHERE id = 1; SELECT * FROM t")
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout == b"id\tv\n2\tc\n"
    done = run_cli(grove_server, "INSERT INTO t VALUES (2, 'x')")
    assert done.returncode == 1
    assert "ERROR 1062 (23000)" in done.stderr.decode()
