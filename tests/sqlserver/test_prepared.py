"""Server-side prepared statements over the binary protocol (sqlserver.prepared, wire item 9).

Three clients: mysql-connector-python in pure-Python mode (its own
protocol code), the same package's C extension (libmysqlclient's
mysql_stmt_* API: it trusts the column count of the prepare answer), and a
raw client (PyMySQL for the handshake, then hand-built packets) for what
the libraries never send: re-execution without types, COM_STMT_RESET,
execution after COM_STMT_CLOSE, COM_STMT_FETCH.
"""

from __future__ import annotations

import datetime
import decimal
import io
import struct

import pytest

import sqlserver.wire as wire
from sqlserver.engine import driver
from sqlserver.engine.parser import normalize

mysql_connector = pytest.importorskip("mysql.connector")
try:
    import _mysql_connector  # noqa: F401 - the C extension (libmysqlclient)
    HAVE_CEXT = True
except ImportError:
    HAVE_CEXT = False


def connect(server, pure=True, **kw):
    conn = mysql_connector.connect(host=server.host, port=server.port, user="root", password="", database="db",
                                   use_pure=pure, autocommit=True, **kw)
    server._connections.append(conn)
    return conn


# --- the engine half: markers, cache keys -----------------------------------------------------


def test_markers_inside_strings_comments_and_backquotes_do_not_count():
    stmt = driver.parse_prepared("SELECT '?', `a?`, \"?\" FROM t /* ? */ WHERE id = ? -- ?\n AND k = ?")
    assert stmt.param_count == 2


def test_prepared_key_is_the_text_query_key():
    stmt = driver.parse_prepared("SELECT c FROM t WHERE id = ? AND k BETWEEN 1.50 AND ? AND s = ?")
    key, params = driver._bind(stmt, [5, decimal.Decimal("2.5"), "x'y"])
    text_key, _ = normalize("SELECT c FROM t WHERE id = 7 AND k BETWEEN 1.50 AND 2.5 AND s = 'z'")
    assert key == text_key
    assert params == [5, decimal.Decimal("1.50"), decimal.Decimal("2.5"), "x'y"]
    key, params = driver._bind(stmt, [None, 1.5, b"\x00"])  # NULL is a constant, not a slot
    assert key == "SELECT c FROM t WHERE id = NULL AND k BETWEEN ?d2 AND ?f AND s = ?x"
    assert params == [decimal.Decimal("1.50"), 1.5, b"\x00"]


# --- mysql-connector-python, pure protocol --------------------------------------------------

COLUMNS = """id INT PRIMARY KEY, ti TINYINT, tu TINYINT UNSIGNED, si SMALLINT, su SMALLINT UNSIGNED, mi MEDIUMINT,
 mu MEDIUMINT UNSIGNED, i INT, iu INT UNSIGNED, bi BIGINT, bu BIGINT UNSIGNED, de DECIMAL(10,3), f FLOAT,
 db DOUBLE, bt BIT(10), ch CHAR(5), vc VARCHAR(30), tx TEXT, bl BLOB, bn BINARY(4), vb VARBINARY(10), dt DATE,
 tm TIME, tm6 TIME(6), dtt DATETIME(6), ts TIMESTAMP, yr YEAR, js JSON, n INT"""
NAMES = [c.split()[0] for c in COLUMNS.replace("\n", " ").split(", ")]
ROWS = [
    (1, -128, 0, -32768, 0, -8388608, 0, -2147483648, 0, -9223372036854775808, 0, decimal.Decimal("-1234567.891"),
     1.5, -2.25e100, 5, "ab", "héllo", "long text", b"\x00\xffblob", b"\x01\x02\x03\x04", b"\x00v",
     datetime.date(2024, 2, 29), -datetime.timedelta(hours=30, minutes=1, seconds=2),
     datetime.timedelta(hours=100, minutes=59, seconds=59, microseconds=5),
     datetime.datetime(2024, 1, 2, 3, 4, 5, 678901), datetime.datetime(2020, 1, 1, 0, 0, 1), 1901,
     '{"a": [1, 2]}', None),
    (2, 127, 255, 32767, 65535, 8388607, 16777215, 2147483647, 4294967295, 9223372036854775807,
     18446744073709551615, decimal.Decimal("9999999.999"), -0.25, 1e-300, 1023, "", "", "", b"", b"\xff\x00\x00\x00",
     b"", datetime.date(1000, 1, 1), datetime.timedelta(0), -datetime.timedelta(hours=838, minutes=59, seconds=59),
     datetime.datetime(9999, 12, 31, 23, 59, 59, 999999), datetime.datetime(2038, 1, 19, 3, 14, 7), 2155,
     "[]", 7),
]


def _as_parameter(value):
    """connector/python's pure encoder sends a negative timedelta as -days + positive seconds (its bug, against
    MySQL too): negative TIME values go as MySQL text, which the server reads as TIME."""
    if isinstance(value, datetime.timedelta) and value < datetime.timedelta(0):
        us = -(value // datetime.timedelta(microseconds=1))
        s, frac = divmod(us, 1_000_000)
        return f"-{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}.{frac:06d}"
    return value


def _expected_pure(name, value):
    """What connector/python's pure binary-protocol decoder makes of a value (as against MySQL)."""
    if value is None:
        return None
    if name == "bt":  # BIT arrives as its big-endian bytes
        return value.to_bytes(2, "big")
    if name == "js":  # JSON columns have the binary charset: bytes
        return value.encode()
    return value


@pytest.fixture
def typed_table(grove_server):
    conn = connect(grove_server)
    cur = conn.cursor(prepared=True)
    cur.execute(f"CREATE TABLE t ({COLUMNS})")
    insert = "INSERT INTO t VALUES (" + ", ".join(["?"] * len(NAMES)) + ")"
    for row in ROWS:  # one statement, executed twice with different values
        cur.execute(insert, [_as_parameter(v) for v in row])
        assert cur.rowcount == 1
    return conn


def test_every_type_as_parameter_and_result(grove_server, typed_table):
    cur = typed_table.cursor(prepared=True)
    # connector/python's pure decoder reads YEAR as a length-encoded string (MySQL sends int<2>), which
    # derails the rest of the row: YEAR is read by libmysqlclient and the text protocol below
    names = [n for n in NAMES if n != "yr"]
    for row in ROWS:
        cur.execute(f"SELECT {', '.join(names)} FROM t WHERE id = ?", (row[0],))
        (got,) = cur.fetchall()
        assert [d[0] for d in cur.description] == names
        for name, want, value in zip(names, [v for n, v in zip(NAMES, row) if n != "yr"], got):
            if name in ("tm", "tm6") and want < datetime.timedelta(0):
                continue  # its decoder negates only the days (see _as_parameter): checked below and in C
            assert value == _expected_pure(name, want), name
    # the stored values, through the text protocol: nothing was lost or reinterpreted on the way in
    text = grove_server.connect().cursor()
    text.execute("SELECT bu, de, db, bt, vc, bl, tm, tm6, dtt, yr, js FROM t ORDER BY id")
    assert text.fetchall() == tuple(
        (r[10], r[11], r[13], r[14].to_bytes(2, "big"), r[16], r[18], r[22], r[23], r[24], r[26], r[27])
        for r in ROWS)


def test_every_type_as_comparison_parameter(grove_server, typed_table):
    cur = typed_table.cursor(prepared=True)
    for i, name in enumerate(NAMES):
        if name in ("f", "js", "n"):  # FLOAT compares as float32; JSON compares as JSON; n holds a NULL
            continue
        for row in ROWS:
            cur.execute(f"SELECT id FROM t WHERE {name} = ?", (_as_parameter(row[i]),))
            assert cur.fetchall() == [(row[0],)], name


def test_null_parameter_and_null_result(grove_server, typed_table):
    cur = typed_table.cursor(prepared=True)
    cur.execute("SELECT id, ? IS NULL, n FROM t WHERE n IS NULL OR n = ? ORDER BY id", (None, 7))
    assert cur.fetchall() == [(1, 1, None), (2, 1, 7)]
    cur.execute("SELECT id, ? IS NULL, n FROM t WHERE n IS NULL OR n = ? ORDER BY id", (5, None))
    assert cur.fetchall() == [(1, 0, None)]


def test_strings_with_quote_backslash_and_nul_are_never_sql_text(grove_server):
    conn = connect(grove_server)
    cur = conn.cursor(prepared=True)
    cur.execute("CREATE TABLE s (id INT PRIMARY KEY, v VARCHAR(50), b VARBINARY(50))")
    nasty = "it's \\ a ' \0 NUL'); DROP TABLE s; --"
    cur.execute("INSERT INTO s VALUES (?, ?, ?)", (1, nasty, nasty.encode()))
    cur.execute("INSERT INTO s VALUES (?, ?, ?)", (2, "plain", b"\\'"))
    cur.execute("SELECT v, b FROM s WHERE v = ?", (nasty,))
    assert cur.fetchall() == [(nasty, nasty.encode())]
    text = grove_server.connect().cursor()
    text.execute("SELECT id, v, b, LENGTH(v) FROM s ORDER BY id")
    assert text.fetchall() == ((1, nasty, nasty.encode(), len(nasty.encode())), (2, "plain", b"\\'", 5))


def test_insert_lastrowid_rowcount_and_update(grove_server):
    conn = connect(grove_server)
    cur = conn.cursor(prepared=True)
    cur.execute("CREATE TABLE a (id INT PRIMARY KEY AUTO_INCREMENT, v INT)")
    cur.execute("INSERT INTO a (v) VALUES (?)", (10,))
    assert (cur.lastrowid, cur.rowcount) == (1, 1)
    cur.execute("INSERT INTO a (v) VALUES (?)", (20,))
    assert (cur.lastrowid, cur.rowcount) == (2, 1)
    cur.execute("UPDATE a SET v = v + ? WHERE id >= ?", (1, 1))
    assert cur.rowcount == 2
    cur.execute("UPDATE a SET v = v + ? WHERE id >= ?", (0, 2))
    assert cur.rowcount == 0  # matched 1, changed 0: MySQL reports changed rows
    cur.execute("DELETE FROM a WHERE v = ?", (11,))
    assert cur.rowcount == 1


def test_errors_carry_errno_and_sqlstate_and_the_connection_survives(grove_server):
    conn = connect(grove_server)
    cur = conn.cursor(prepared=True)
    cur.execute("CREATE TABLE u (id INT PRIMARY KEY)")
    cur.execute("INSERT INTO u VALUES (?)", (1,))
    with pytest.raises(mysql_connector.Error) as e:
        cur.execute("INSERT INTO u VALUES (?)", (1,))
    assert (e.value.errno, e.value.sqlstate) == (1062, "23000")
    with pytest.raises(mysql_connector.Error) as e:  # at prepare time, as MySQL
        cur.execute("SELECT * FROM missing WHERE id = ?", (1,))
    assert (e.value.errno, e.value.sqlstate) == (1146, "42S02")
    with pytest.raises(mysql_connector.Error) as e:
        cur.execute("SELEC ?", (1,))
    assert (e.value.errno, e.value.sqlstate) == (1064, "42000")
    cur.execute("INSERT INTO u VALUES (?)", (2,))
    cur.execute("SELECT COUNT(*) FROM u")
    assert cur.fetchall() == [(2,)]


def test_statement_without_parameters_and_schema_change(grove_server):
    conn = connect(grove_server)
    cur = conn.cursor(prepared=True)
    cur.execute("CREATE TABLE w (id INT PRIMARY KEY, a INT)")
    cur.execute("INSERT INTO w VALUES (1, 10)")
    cur.execute("SELECT * FROM w")
    assert cur.fetchall() == [(1, 10)]
    grove_server.connect().cursor().execute("ALTER TABLE w ADD COLUMN b VARCHAR(5) DEFAULT 'x'")
    cur.execute("SELECT * FROM w")  # the same prepared statement: the plan is redone for the new schema
    assert cur.fetchall() == [(1, 10, "x")]
    assert [d[0] for d in cur.description] == ["id", "a", "b"]


def test_transactions_behave_as_for_text_queries(grove_server):
    conn = connect(grove_server)
    cur = conn.cursor(prepared=True)
    cur.execute("CREATE TABLE x (id INT PRIMARY KEY)")
    conn.start_transaction()
    cur.execute("INSERT INTO x VALUES (?)", (1,))
    other = grove_server.connect().cursor()
    other.execute("SELECT COUNT(*) FROM x")
    assert other.fetchall() == ((0,),)
    conn.rollback()
    cur.execute("INSERT INTO x VALUES (?)", (2,))  # autocommit again
    other.execute("SELECT id FROM x")
    assert other.fetchall() == ((2,),)


def test_send_long_data(grove_server):
    conn = connect(grove_server)
    cur = conn.cursor(prepared=True)
    cur.execute("CREATE TABLE l (id INT PRIMARY KEY, b LONGBLOB)")
    blob = bytes(range(256)) * 300  # 76800 bytes: several long-data packets
    cur.execute("INSERT INTO l VALUES (?, ?)", (1, io.BytesIO(blob)))
    cur.execute("INSERT INTO l VALUES (?, ?)", (2, io.BytesIO(b"second")))
    cur.execute("SELECT id, LENGTH(b), b FROM l ORDER BY id")
    assert cur.fetchall() == [(1, len(blob), blob), (2, 6, b"second")]


def test_max_prepared_stmt_count(grove_server, monkeypatch):
    monkeypatch.setattr(wire, "MAX_PREPARED_STMT_COUNT", wire._open_statements + 2)
    raw = RawClient(grove_server)
    a = raw.prepare("SELECT 1")
    raw.prepare("SELECT 2")
    with pytest.raises(ServerError) as e:
        raw.prepare("SELECT 3")
    assert e.value.errno == 1461
    raw.close_statement(a)
    raw.prepare("SELECT 3")


# --- libmysqlclient (connector/python's C extension) ---------------------------------------


@pytest.mark.skipif(not HAVE_CEXT, reason="mysql-connector-python without its C extension")
def test_libmysqlclient_types_and_reexecution(grove_server, typed_table):
    conn = connect(grove_server, pure=False)
    cur = conn.cursor(prepared=True)
    for _ in range(2):
        for row in ROWS:
            cur.execute("SELECT * FROM t WHERE id = ?", (row[0],))
            (got,) = cur.fetchall()
            for name, want, value in zip(NAMES, row, got):
                if name == "js":
                    want = want.encode()
                if name == "bu" and want >= 1 << 63:  # the C extension binds BIGINT results signed
                    want -= 1 << 64
                assert value == want, name
    cur.execute("INSERT INTO t (id, vc) VALUES (?, ?)", (3, "c ext"))
    assert cur.rowcount == 1
    cur.execute("SELECT vc FROM t WHERE id = ?", (3,))
    assert cur.fetchall() == [("c ext",)]


# --- a raw client: what the libraries never send ---------------------------------------------


class ServerError(Exception):
    def __init__(self, errno, sqlstate, message):
        super().__init__(f"{errno} ({sqlstate}): {message}")
        self.errno, self.sqlstate, self.message = errno, sqlstate, message


class RawClient:
    """PyMySQL does the handshake (no CLIENT_DEPRECATE_EOF, no query attributes); packets are ours."""

    def __init__(self, server):
        self.conn = server.connect()

    def command(self, cmd: int, payload: bytes) -> None:
        self.conn._next_seq_id = 0
        self.conn._write_bytes(struct.pack("<I", len(payload) + 1)[:3] + b"\x00" + bytes((cmd,)) + payload)
        self.conn._next_seq_id = 1

    def read(self) -> bytes:
        data = self.conn._read_packet(packet_type=_Raw)._data
        if data[:1] == b"\xff":
            raise ServerError(struct.unpack_from("<H", data, 1)[0], data[4:9].decode(), data[9:].decode())
        return data

    def prepare(self, sql: str) -> int:
        self.command(0x16, sql.encode())
        ok = self.read()
        _, stmt_id, ncols, nparams = struct.unpack_from("<BIHH", ok)
        for _ in range(nparams + (1 if nparams else 0) + ncols + (1 if ncols else 0)):
            self.read()
        return stmt_id

    def execute(self, stmt_id: int, types=None, values=b"", nulls=b"", nparams=0) -> list[bytes]:
        """Send COM_STMT_EXECUTE; return the packets of the answer (OK, or the result set)."""
        payload = struct.pack("<IBI", stmt_id, 0, 1)
        if nparams:
            payload += nulls.ljust((nparams + 7) // 8, b"\x00")
            payload += (b"\x01" + b"".join(struct.pack("<BB", t, u) for t, u in types)) if types else b"\x00"
            payload += values
        self.command(0x17, payload)
        first = self.read()
        if first[0] == 0x00:
            return [first]
        out = [first]
        eofs = 0
        while eofs < 2:
            p = self.read()
            out.append(p)
            if p[0] == 0xFE and len(p) < 9:
                eofs += 1
        return out

    def close_statement(self, stmt_id: int) -> None:
        self.command(0x19, struct.pack("<I", stmt_id))

    def ping(self) -> None:
        self.command(0x0E, b"")
        assert self.read()[0] == 0


class _Raw:
    """A packet as PyMySQL reads it, errors included (RawClient.read decodes them)."""

    def __init__(self, data, encoding):
        self._data = data

    def is_error_packet(self):
        return False


def _lenenc(b: bytes) -> bytes:
    return bytes((len(b),)) + b


def test_raw_reexecute_without_types_reset_close_fetch(grove_server):
    grove_server.connect().cursor().execute("CREATE TABLE r (id BIGINT PRIMARY KEY, v VARCHAR(10))")
    raw = RawClient(grove_server)
    ins = raw.prepare("INSERT INTO r VALUES (?, ?)")
    longlong, var_string = 0x08, 0xFD
    ok = raw.execute(ins, [(longlong, 0), (var_string, 0)], struct.pack("<q", 1) + _lenenc(b"one"), nparams=2)
    assert ok[0][:2] == b"\x00\x01"  # OK, one row affected
    # the second execution sends no types: those of the first apply
    raw.execute(ins, None, struct.pack("<q", 2) + _lenenc(b"two"), nparams=2)
    raw.execute(ins, None, struct.pack("<q", 3), nulls=b"\x02", nparams=2)  # v is NULL
    sel = raw.prepare("SELECT id, v FROM r WHERE id >= ? ORDER BY id")
    packets = raw.execute(sel, [(longlong, 0)], struct.pack("<q", 2), nparams=1)
    rows = packets[4:-1]  # count, 2 column definitions, EOF, rows..., EOF
    assert packets[0] == b"\x02"
    assert rows == [b"\x00\x00" + struct.pack("<q", 2) + _lenenc(b"two"),
                    b"\x00\x08" + struct.pack("<q", 3)]  # bit 1 + 2: v is NULL
    # COM_STMT_SEND_LONG_DATA then COM_STMT_RESET: the buffer is gone
    raw.command(0x18, struct.pack("<IH", ins, 1) + b"dropped")
    raw.command(0x1A, struct.pack("<I", ins))
    assert raw.read()[0] == 0x00
    raw.execute(ins, None, struct.pack("<q", 4) + _lenenc(b"four"), nparams=2)
    text = grove_server.connect().cursor()
    text.execute("SELECT id, v FROM r ORDER BY id")
    assert text.fetchall() == ((1, "one"), (2, "two"), (3, None), (4, "four"))
    # COM_STMT_FETCH: no cursor is ever opened
    raw.command(0x1C, struct.pack("<II", sel, 1))
    with pytest.raises(ServerError) as e:
        raw.read()
    assert e.value.errno == 1421
    # COM_STMT_CLOSE (no answer), then execute: 1243
    raw.close_statement(ins)
    with pytest.raises(ServerError) as e:
        raw.execute(ins, None, struct.pack("<q", 5) + _lenenc(b"x"), nparams=2)
    assert (e.value.errno, e.value.sqlstate) == (1243, "HY000")
    assert e.value.message == f"Unknown prepared statement handler ({ins}) given to mysqld_stmt_execute"
    raw.command(0x1A, struct.pack("<I", 999))
    with pytest.raises(ServerError) as e:
        raw.read()
    assert e.value.errno == 1243
    raw.ping()  # still in step


def test_raw_reexecute_without_types_before_any_types_is_refused(grove_server):
    raw = RawClient(grove_server)
    stmt = raw.prepare("SELECT ?")
    with pytest.raises(ServerError) as e:
        raw.execute(stmt, None, b"", nparams=1)
    assert e.value.errno == 1210
    raw.ping()


def test_raw_prepare_answers_parameter_and_column_definitions(grove_server):
    grove_server.connect().cursor().execute("CREATE TABLE p (id INT PRIMARY KEY, v VARCHAR(10))")
    raw = RawClient(grove_server)
    raw.command(0x16, b"SELECT v, id FROM p WHERE id = ? AND v <> '?'")
    ok = raw.read()
    assert struct.unpack_from("<BIHHBH", ok)[2:4] == (2, 1)  # 2 columns, 1 parameter
    packets = [raw.read() for _ in range(1 + 1 + 2 + 1)]  # param def, EOF, 2 column defs, EOF
    assert packets[1][0] == 0xFE and packets[4][0] == 0xFE
    assert b"\x01v" in packets[2] and b"\x02id" in packets[3]
    raw.command(0x16, b"INSERT INTO p VALUES (?, ?)")
    assert struct.unpack_from("<BIHHBH", raw.read())[2:4] == (0, 2)


def test_decimal_parameters_beyond_decimal_range_are_doubles():
    from sqlserver import prepared

    def execute_packet(text: bytes) -> bytes:
        return (b"\x17" + struct.pack("<IBI", 1, 0, 1) + b"\x00\x01" + struct.pack("<BB", 0xF6, 0)
                + bytes((len(text),)) + text)

    def decode(text: bytes):
        return prepared.parse_execute(execute_packet(text), 1, None, {}, query_attrs=False,
                                      encoding="utf-8").values[0]

    assert decode(b"1E+2") == decimal.Decimal(100) and decode(b"1E+2").as_tuple().exponent == 0
    assert decode(b"-12.50") == decimal.Decimal("-12.50")
    assert decode(b"1E-8") == decimal.Decimal("0.00000001")
    assert decode(b"2.5E-300") == 2.5e-300 and decode(b"1e+300") == 1e300


def test_text_and_prepared_statements_share_one_plan(tmp_path):
    from sqlserver.databases import DatabaseProvider, init_database_dir
    from sqlserver.engine import SessionState, execute_sync

    init_database_dir(str(tmp_path / "db"))
    state = SessionState(DatabaseProvider(str(tmp_path)))
    execute_sync(state, "USE db")
    execute_sync(state, "CREATE TABLE t (id INT PRIMARY KEY, c VARCHAR(5))")
    execute_sync(state, "INSERT INTO t VALUES (1, 'a'), (2, 'b')")
    execute_sync(state, "SELECT c FROM t WHERE id = 1")
    text_key, _ = normalize("SELECT c FROM t WHERE id = 1")
    entry = state.plan_cache.get(text_key)
    stmt = driver.parse_prepared("SELECT c FROM t WHERE id = ?")
    gen = driver.run_prepared(state, stmt, [2])
    with pytest.raises(StopIteration) as stop:
        while True:
            next(gen)
    assert stop.value.value.rows == [("b",)]
    assert state.plan_cache.get(text_key) is entry  # a cache hit: the text query's plan served the execute
