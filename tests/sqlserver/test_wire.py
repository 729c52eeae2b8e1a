"""The wire layer against real clients over real TCP: PyMySQL, and the mariadb CLI when installed.

Each test talks to a real server (the ``grove_server`` fixture: in-process
thread, free loopback port, the real engine).  Where a test needs a
statement to stay at an await point (KILL QUERY) or a server-side bug (the
1105 path), it monkeypatches ``sqlserver.session.execute``: the server runs
in this process, so the interleaving is deterministic.
"""

from __future__ import annotations

import asyncio
import datetime
import decimal
import re
import shutil
import subprocess
import threading

import pymysql
import pytest
from pymysql.constants import CLIENT, COMMAND, FIELD_TYPE, FLAG, SERVER_STATUS

import sqlserver.session as session_mod
from sqlserver import wire
from sqlserver.databases import init_database_dir

# --- pure functions: packets and values ---------------------------------------------------


def test_error_packet_layout():
    pkt = wire.error_packet(1146, "42S02", "Table 'db.t' doesn't exist")
    assert pkt[:1] == b"\xff"
    assert int.from_bytes(pkt[1:3], "little") == 1146
    assert pkt[3:9] == b"#42S02"
    assert pkt[9:] == b"Table 'db.t' doesn't exist"


def test_ok_packet_carries_counts_status_and_info():
    pkt = wire.ok_packet(wire.STATUS_AUTOCOMMIT | wire.STATUS_IN_TRANS, 300, 7, 2, "Rows matched: 1")
    # 0x00, lenenc 300 (0xfc + 2 bytes), lenenc 7, status, warnings, lenenc info
    assert pkt == b"\x00\xfc\x2c\x01\x07\x03\x00\x02\x00\x0fRows matched: 1"


@pytest.mark.parametrize("value, text", [
    (decimal.Decimal("0E-8"), b"0.00000000"),
    (decimal.Decimal("-12.50"), b"-12.50"),
    (1e20, b"1e20"),
    (2.0, b"2"),
    (0.1, b"0.1"),
    (-1.5e-7, b"-1.5e-7"),
    (True, b"1"),
    (12345678901234567890, b"12345678901234567890"),
    (datetime.datetime(2020, 1, 2, 3, 4, 5, 60), b"2020-01-02 03:04:05.000060"),
    (datetime.datetime(2020, 1, 2, 3, 4, 5), b"2020-01-02 03:04:05"),
    (datetime.date(999, 1, 2), b"0999-01-02"),
    (datetime.timedelta(hours=-1, minutes=-2, seconds=-3), b"-01:02:03"),
    (datetime.timedelta(days=34, hours=22, minutes=59, seconds=59), b"838:59:59"),
    (datetime.timedelta(seconds=1, microseconds=500), b"00:00:01.000500"),
    (b"\x00\xff", b"\x00\xff"),
    ("héllo", "héllo".encode()),
])
def test_text_values_as_mysql_prints_them(value, text):
    assert wire.text_value(value) == text


def test_column_encoders_follow_declared_precision():
    from sqlserver.sqltypes import SqlType

    dt = datetime.datetime(2020, 1, 2, 3, 4, 5, 500000)
    c3 = wire._result_column("c", SqlType.parse("datetime(3)"))
    c6 = wire._result_column("c", SqlType.parse("datetime(6)"))
    t2 = wire._result_column("c", SqlType.parse("time(2)"))
    f = wire._result_column("c", SqlType.parse("float"))
    bit = wire._result_column("c", SqlType.parse("bit(12)"))
    assert c3.text_encoder(c3, dt) == b"2020-01-02 03:04:05.500"
    assert c6.text_encoder(c6, dt.replace(microsecond=0)) == b"2020-01-02 03:04:05.000000"
    assert t2.text_encoder(t2, datetime.timedelta(seconds=61, microseconds=250000)) == b"00:01:01.25"
    assert f.text_encoder(f, 0.10000000149011612) == b"0.1"  # the float32 nearest 0.1
    assert bit.text_encoder(bit, 5) == b"\x00\x05"


# --- PyMySQL over TCP ----------------------------------------------------------------------


def test_connect_many_times_quickly_no_tls_attempt(grove_server):
    """PyMySQL >= 1.2 tries TLS whenever offered; we never offer it, so no connect hangs."""
    for _ in range(20):
        conn = grove_server.connect(connect_timeout=5)
        assert conn.server_capabilities & CLIENT.SSL == 0
        with conn.cursor() as cur:
            cur.execute("SELECT 1")
            assert cur.fetchall() == ((1,),)
        conn.close()


def test_server_info_and_connection_id(grove_server):
    conn = grove_server.connect()
    assert conn.get_server_info() == "8.0.33-grove"
    with conn.cursor() as cur:
        cur.execute("SELECT CONNECTION_ID()")
        assert cur.fetchone()[0] == conn.thread_id()


def test_rowcount_and_lastrowid(grove_server):
    conn = grove_server.connect()
    cur = conn.cursor()
    cur.execute("CREATE TABLE t (id INT PRIMARY KEY AUTO_INCREMENT, v VARCHAR(10))")
    assert cur.execute("INSERT INTO t (v) VALUES ('a'), ('b'), ('c')") == 3
    assert cur.rowcount == 3 and cur.lastrowid == 1  # MySQL: the first id of a multi-row insert
    cur.execute("INSERT INTO t (v) VALUES ('d')")
    assert cur.lastrowid == 4
    assert cur.execute("UPDATE t SET v = 'x' WHERE id <= 2") == 2
    assert cur.execute("UPDATE t SET v = 'x' WHERE id <= 2") == 0  # matched but unchanged
    assert cur.execute("DELETE FROM t WHERE id > 2") == 2
    cur.execute("SELECT id, v FROM t ORDER BY id")
    assert cur.fetchall() == ((1, "x"), (2, "x"))


def test_found_rows_flag_reports_matched_rows(grove_server):
    conn = grove_server.connect(client_flag=CLIENT.FOUND_ROWS)
    cur = conn.cursor()
    cur.execute("CREATE TABLE t (id INT PRIMARY KEY, v INT)")
    cur.execute("INSERT INTO t VALUES (1, 0), (2, 0)")
    assert cur.execute("UPDATE t SET v = 0") == 2  # matched 2, changed 0


def test_values_arrive_as_python_types(grove_server):
    conn = grove_server.connect()
    cur = conn.cursor()
    cur.execute("CREATE TABLE v (id BIGINT UNSIGNED PRIMARY KEY, d DECIMAL(12,4), dt DATETIME(6), da DATE, "
                "tm TIME, s VARCHAR(20), f DOUBLE, fl FLOAT, b VARBINARY(8), tx TEXT, n INT)")
    cur.execute("INSERT INTO v VALUES (18446744073709551615, -12.5, '2021-03-04 05:06:07.000008', "
                "'2021-03-04', '-12:34:56', 'héllo', 1.25e100, 0.5, x'00ff', 'long', NULL)")
    cur.execute("SELECT * FROM v")
    assert cur.fetchall() == ((18446744073709551615, decimal.Decimal("-12.5000"),
                               datetime.datetime(2021, 3, 4, 5, 6, 7, 8), datetime.date(2021, 3, 4),
                               -datetime.timedelta(hours=12, minutes=34, seconds=56), "héllo", 1.25e100, 0.5,
                               b"\x00\xff", "long", None),)
    cur.execute("SELECT 1, 1.5, 'x', NULL, 2e0")
    assert cur.fetchall() == ((1, decimal.Decimal("1.5"), "x", None, 2.0),)


def test_column_definitions_carry_type_flags_and_names(grove_server):
    conn = grove_server.connect()
    cur = conn.cursor()
    cur.execute("CREATE TABLE c (id INT UNSIGNED PRIMARY KEY, name VARCHAR(30) NOT NULL, body BLOB, "
                "price DECIMAL(8,3))")
    cur.execute("SELECT id, name AS label, body, price FROM c AS x")
    f = {field.name: field for field in cur._result.fields}
    assert f["id"].type_code == FIELD_TYPE.LONG
    assert f["id"].flags & FLAG.UNSIGNED and f["id"].flags & FLAG.NOT_NULL
    assert f["label"].type_code == FIELD_TYPE.VAR_STRING and f["label"].flags & FLAG.NOT_NULL
    assert f["label"].org_name == "name" and f["label"].table_name == "x" and f["label"].org_table == "c"
    assert f["label"].db == b"db" and f["label"].length == 120 and f["label"].charsetnr == 255
    assert f["body"].type_code == FIELD_TYPE.BLOB and f["body"].flags & FLAG.BLOB
    assert f["body"].flags & FLAG.BINARY and f["body"].charsetnr == 63
    assert f["body"].flags & FLAG.NOT_NULL == 0
    assert f["price"].type_code == FIELD_TYPE.NEWDECIMAL and f["price"].scale == 3
    assert [d[0] for d in cur.description] == ["id", "label", "body", "price"]


@pytest.mark.parametrize("sql, errno", [
    ("SELECT * FROM no_such_table", 1146),
    ("SELEC 1", 1064),
    ("INSERT INTO u VALUES (1)", 1062),
    ("USE no_such_db", 1049),
])
def test_errors_have_mysql_errno_and_connection_survives(grove_server, sql, errno):
    conn = grove_server.connect()
    cur = conn.cursor()
    cur.execute("CREATE TABLE u (id INT PRIMARY KEY)")
    cur.execute("INSERT INTO u VALUES (1)")
    with pytest.raises(pymysql.MySQLError) as info:
        cur.execute(sql)
    assert info.value.args[0] == errno
    cur.execute("SELECT COUNT(*) FROM u")
    assert cur.fetchone() == (1,)


def test_non_sql_error_becomes_1105_and_connection_survives(grove_server, monkeypatch):
    real = session_mod.execute

    async def buggy(state, sql):
        if sql == "SELECT 'boom'":
            raise ZeroDivisionError("a bug in the engine")
        return await real(state, sql)

    monkeypatch.setattr(session_mod, "execute", buggy)
    conn = grove_server.connect()
    cur = conn.cursor()
    with pytest.raises(pymysql.MySQLError) as info:
        cur.execute("SELECT 'boom'")
    assert info.value.args[0] == 1105 and "ZeroDivisionError" in info.value.args[1]
    cur.execute("SELECT 2")
    assert cur.fetchone() == (2,)


def test_status_flags_follow_autocommit_and_transactions(grove_server):
    conn = grove_server.connect(autocommit=True)
    cur = conn.cursor()
    assert conn.server_status & SERVER_STATUS.SERVER_STATUS_AUTOCOMMIT
    assert not conn.server_status & SERVER_STATUS.SERVER_STATUS_IN_TRANS
    cur.execute("BEGIN")
    assert conn.server_status & SERVER_STATUS.SERVER_STATUS_IN_TRANS
    cur.execute("SELECT 1")  # the EOF after a result set carries the flags too
    cur.fetchall()
    assert conn.server_status & SERVER_STATUS.SERVER_STATUS_IN_TRANS
    cur.execute("COMMIT")
    assert not conn.server_status & SERVER_STATUS.SERVER_STATUS_IN_TRANS

    cur.execute("CREATE TABLE s (id INT PRIMARY KEY)")
    off = grove_server.connect(autocommit=False)  # PyMySQL sends SET autocommit=0
    assert not off.server_status & SERVER_STATUS.SERVER_STATUS_AUTOCOMMIT
    off.cursor().execute("INSERT INTO s VALUES (1)")  # the write opens the transaction
    assert off.server_status & SERVER_STATUS.SERVER_STATUS_IN_TRANS
    off.rollback()
    assert not off.server_status & SERVER_STATUS.SERVER_STATUS_IN_TRANS


def test_ping_and_select_db(grove_server):
    init_database_dir(f"{grove_server.data_dir}/other")
    conn = grove_server.connect()
    conn.ping(reconnect=False)
    cur = conn.cursor()
    cur.execute("CREATE DATABASE made")
    conn.select_db("made")
    cur.execute("SELECT DATABASE()")
    assert cur.fetchone() == ("made",)
    conn.select_db("db")
    cur.execute("SELECT DATABASE()")
    assert cur.fetchone() == ("db",)
    with pytest.raises(pymysql.MySQLError) as info:
        conn.select_db("nope")
    assert info.value.args[0] == 1049
    conn.ping(reconnect=False)


def test_unknown_initial_database_and_unknown_user_are_refused(grove_server):
    with pytest.raises(pymysql.MySQLError) as info:
        grove_server.connect(database="nope")
    assert info.value.args[0] == 1049
    with pytest.raises(pymysql.MySQLError) as info:
        grove_server.connect(user="mallory")
    assert info.value.args[0] == 1045
    with pytest.raises(pymysql.MySQLError) as info:
        grove_server.connect(password="not-empty")
    assert info.value.args[0] == 1045


def test_multi_statements_return_every_result(grove_server):
    conn = grove_server.connect(client_flag=CLIENT.MULTI_STATEMENTS)
    cur = conn.cursor()
    cur.execute("CREATE TABLE m (id INT PRIMARY KEY); INSERT INTO m VALUES (1), (2); SELECT id FROM m ORDER BY id; "
                "SELECT COUNT(*) FROM m")
    assert cur.rowcount == 0
    assert cur.nextset()
    assert cur.rowcount == 2
    assert cur.nextset()
    assert cur.fetchall() == ((1,), (2,))
    assert cur.nextset()
    assert cur.fetchall() == ((2,),)
    assert not cur.nextset()
    # an error in a later statement comes after the earlier results
    cur.execute("SELECT 7; SELECT * FROM nope; SELECT 8")
    assert cur.fetchall() == ((7,),)
    with pytest.raises(pymysql.MySQLError) as info:
        cur.nextset()
    assert info.value.args[0] == 1146
    cur.execute("SELECT 9")
    assert cur.fetchall() == ((9,),)


def test_multi_statements_refused_without_the_capability(grove_server):
    cur = grove_server.connect().cursor()
    with pytest.raises(pymysql.MySQLError) as info:
        cur.execute("SELECT 1; SELECT 2")
    assert info.value.args[0] == 1064
    cur.execute("SELECT 3;")  # one statement with a trailing semicolon is fine
    assert cur.fetchall() == ((3,),)


def test_large_result_streams_in_batches(grove_server):
    cur = grove_server.connect().cursor()
    cur.execute("CREATE TABLE big (id INT PRIMARY KEY, s VARCHAR(20))")
    n = wire.ROW_BATCH * 2 + 123
    for start in range(0, n, 2000):
        cur.execute("INSERT INTO big VALUES " + ",".join(f"({i}, 'row{i}')" for i in range(start, min(n, start + 2000))))
    cur.execute("SELECT id, s FROM big")
    rows = cur.fetchall()
    assert len(rows) == n and rows[0] == (0, "row0") and rows[-1] == (n - 1, f"row{n - 1}")


def _raw_command(conn, command: int, payload: bytes):
    conn._execute_command(command, payload)
    return conn._read_packet()


def test_com_statistics_returns_a_status_line(grove_server):
    conn = grove_server.connect()
    packet = _raw_command(conn, COMMAND.COM_STATISTICS, b"")
    text = packet.get_all_data().decode()
    assert text.startswith("Uptime: ") and "Threads: 1" in text and "Questions: " in text
    conn.ping(reconnect=False)


def test_com_field_list_describes_the_table(grove_server):
    conn = grove_server.connect()
    conn.cursor().execute("CREATE TABLE fl (id INT PRIMARY KEY, name VARCHAR(5))")
    packet = _raw_command(conn, COMMAND.COM_FIELD_LIST, b"fl\0")
    names = []
    while not packet.is_eof_packet():
        field = pymysql.protocol.FieldDescriptorPacket(packet.get_all_data(), conn.encoding)
        names.append((field.name, field.type_code))
        packet = conn._read_packet()
    assert names == [("id", FIELD_TYPE.LONG), ("name", FIELD_TYPE.VAR_STRING)]
    conn.ping(reconnect=False)


@pytest.fixture
def blocking_statement(monkeypatch):
    """``SELECT 'block'`` parks at an await point (like a long scan) until killed; signals when it starts."""
    started = threading.Event()
    real = session_mod.execute

    async def execute(state, sql):
        if sql == "SELECT 'block'":
            started.set()
            await asyncio.Event().wait()
        return await real(state, sql)

    monkeypatch.setattr(session_mod, "execute", execute)
    return started


def _in_thread(fn):
    out = {}

    def run():
        try:
            out["value"] = fn()
        except BaseException as e:  # noqa: BLE001 - inspected by the test
            out["error"] = e

    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t, out


def test_kill_query_interrupts_only_the_statement(grove_server, blocking_statement):
    victim = grove_server.connect()
    killer = grove_server.connect()
    t, out = _in_thread(lambda: victim.cursor().execute("SELECT 'block'"))
    assert blocking_statement.wait(10)
    killer.cursor().execute(f"KILL QUERY {victim.thread_id()}")
    t.join(10)
    assert out["error"].args[0] == 1317
    cur = victim.cursor()
    cur.execute("SELECT 'alive'")
    assert cur.fetchone() == ("alive",)
    killer.cursor().execute(f"KILL QUERY {victim.thread_id()}")  # idle: nothing to interrupt
    cur.execute("SELECT 'still alive'")
    assert cur.fetchone() == ("still alive",)


def test_kill_connection_ends_it(grove_server, blocking_statement):
    victim = grove_server.connect()
    killer = grove_server.connect()
    t, out = _in_thread(lambda: victim.cursor().execute("SELECT 'block'"))
    assert blocking_statement.wait(10)
    killer.cursor().execute(f"KILL {victim.thread_id()}")
    t.join(10)
    assert isinstance(out["error"], pymysql.MySQLError)
    with pytest.raises(pymysql.MySQLError) as info:
        killer.cursor().execute(f"KILL {victim.thread_id()}")
    assert info.value.args[0] == 1094  # unknown thread id: it is gone


def test_kill_own_query_and_unknown_id(grove_server):
    conn = grove_server.connect()
    cur = conn.cursor()
    with pytest.raises(pymysql.MySQLError) as info:
        cur.execute(f"KILL QUERY {conn.thread_id()}")
    assert info.value.args[0] == 1317
    with pytest.raises(pymysql.MySQLError) as info:
        cur.execute("KILL 987654")
    assert info.value.args[0] == 1094
    cur.execute("SELECT 1")
    assert cur.fetchone() == (1,)
    with pytest.raises(pymysql.MySQLError) as info:
        cur.execute(f"KILL {conn.thread_id()}")  # one's own connection: 1317, then it is closed
    assert info.value.args[0] == 1317
    with pytest.raises(pymysql.MySQLError):
        cur.execute("SELECT 1")


def test_killed_statement_is_rolled_back(tmp_path):
    """A statement cancelled at one of the engine's yields leaves no trace (session-level, no network)."""
    from sqlserver.databases import DatabaseProvider
    from sqlserver.engine import execute_sync
    from sqlserver.session import GroveSession

    init_database_dir(str(tmp_path / "db"))
    provider = DatabaseProvider(str(tmp_path))
    session = GroveSession(provider)
    session.multi_statements = True
    execute_sync(session.state, "USE db")
    execute_sync(session.state, "CREATE TABLE c (id INT PRIMARY KEY, n INT)")
    execute_sync(session.state, "INSERT INTO c VALUES " + ",".join(f"({i}, 0)" for i in range(50)))
    session.state.yield_every = 1

    async def scenario():
        task = asyncio.ensure_future(session.handle_query("UPDATE c SET n = n + 1", {}))
        for _ in range(10):  # the update yields after each row: ten rows in, cancel it
            await asyncio.sleep(0)
        assert not task.done()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return await session.handle_query("SELECT SUM(n), COUNT(*) FROM c", {})

    result = asyncio.run(scenario())[-1]
    assert result.rows == [(0, 50)]
    provider.close()


def test_read_only_server_refuses_writes(tmp_path):
    from tests.conftest import ServerThread

    init_database_dir(str(tmp_path / "db"))
    server = ServerThread(str(tmp_path), read_only=True).start()
    try:
        cur = server.connect().cursor()
        cur.execute("SELECT 1")
        with pytest.raises(pymysql.MySQLError) as info:
            cur.execute("CREATE TABLE t (id INT PRIMARY KEY)")
        assert info.value.args[0] == 1290
    finally:
        server.stop()


# --- the mariadb CLI -----------------------------------------------------------------------

MARIADB = shutil.which("mariadb") or shutil.which("mysql")
needs_cli = pytest.mark.skipif(MARIADB is None, reason="the mariadb CLI is not installed (./dev test installs "
                                                       "mariadb-client)")


@pytest.fixture
def primes(grove_server):
    conn = grove_server.connect(database=None)
    cur = conn.cursor()
    cur.execute("CREATE DATABASE primes")
    cur.execute("USE primes")
    cur.execute("CREATE TABLE primes (i INT PRIMARY KEY, p INT NOT NULL)")
    cur.execute("INSERT INTO primes VALUES (1,2),(2,3),(3,5),(4,7),(5,11),(6,13),(7,17),(8,19),(9,23),(10,29)")
    return grove_server


def _cli(server, *args, stdin: str | None = None):
    return subprocess.run([MARIADB, "-h", "127.0.0.1", "-P", str(server.port), "-u", "root", *args],
                          input=stdin, capture_output=True, text=True, timeout=60)


@needs_cli
def test_cli_query(primes):
    r = _cli(primes, "-e", "use primes; select * from primes where i = 7")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "i\tp\n7\t17\n"


@needs_cli
def test_cli_batch_mode_with_error(primes):
    script = ("select p from primes where i between 2 and 4 order by i;\n"
              "select * from nope;\n")
    r = _cli(primes, "--batch", "primes", stdin=script)
    assert r.stdout == "p\n3\n5\n7\n"
    assert r.returncode == 1
    assert r.stderr.strip().splitlines()[-1] == "ERROR 1146 (42S02) at line 2: Table 'primes.nope' doesn't exist"


@needs_cli
def test_cli_table_output_and_affected_rows(primes):
    r = _cli(primes, "-t", "-vv", "primes", "-e", "update primes set p = p where i < 3; select count(*) as n from primes")
    assert r.returncode == 0, r.stderr
    assert "Rows matched: 2  Changed: 0  Warnings: 0" in r.stdout
    assert re.search(r"^\|\s+n\s+\|$", r.stdout, re.M) and re.search(r"^\|\s+10 \|$", r.stdout, re.M)


def _mysql_escape(data: bytes) -> bytes:
    """What mysqlclient / mysql-connector do to bytes in a query: escape only ' \\ NUL LF CR ^Z."""
    out = bytearray()
    for b in data:
        esc = {0: b"\\0", 10: b"\\n", 13: b"\\r", 26: b"\\Z", 39: b"\\'", 92: b"\\\\"}.get(b)
        out += esc if esc is not None else bytes([b])
    return bytes(out)


def test_query_with_bytes_that_are_not_utf8(grove_server):
    """A COM_QUERY holding raw bytes in a string literal (_binary'...' or plain '...'): the literal's
    value is exactly those bytes; elsewhere (or under a non-binary introducer) MySQL's 1300."""
    conn = grove_server.connect()
    cur = conn.cursor()
    cur.execute("CREATE TABLE blobs (id INT PRIMARY KEY, data VARBINARY(300))")
    every = bytes(range(256))
    cur.execute(b"INSERT INTO blobs VALUES (1, _binary'" + _mysql_escape(every) + b"'), (2, '"
                + _mysql_escape(b"\xff\xfe\x00'\\") + b"'), (3, _binary 'abc')")
    cur.execute(b"SELECT id, HEX(data), LENGTH(data) FROM blobs WHERE data = _binary'" + _mysql_escape(every) + b"'")
    assert cur.fetchall() == ((1, every.hex().upper(), 256),)
    cur.execute(b"SELECT id FROM blobs WHERE data = '\xff\xfe\\0\\'\\\\' OR data = _binary'abc' ORDER BY id")
    assert cur.fetchall() == ((2,), (3,))
    cur.execute("SELECT data FROM blobs WHERE id = 1")
    assert cur.fetchone() == (every,)
    for bad, shown in [(b"SELECT _utf8mb4'a\xff\xfeb'", "FFFE62"), (b"SELECT 1 AS `\xc3\x28`", "C32860"),
                       (b"SELECT * FROM t\xff", "FF")]:
        with pytest.raises(pymysql.MySQLError) as info:
            cur.execute(bad)
        assert info.value.args == (1300, f"Invalid utf8mb4 character string: '{shown}'")
    cur.execute("SELECT COUNT(*) FROM blobs")  # the connection survives
    assert cur.fetchone() == (3,)


def test_column_definition_lengths_of_big_and_boolean_types(grove_server):
    conn = grove_server.connect()
    cur = conn.cursor()
    cur.execute("CREATE TABLE m (id INT PRIMARY KEY, j JSON, lt LONGTEXT, lb LONGBLOB, b BOOL, t TINYINT)")
    cur.execute("SELECT j, lt, lb, b, t FROM m")
    f = {field.name: field.length for field in cur._result.fields}
    assert f == {"j": 4294967295, "lt": 4294967295, "lb": 4294967295, "b": 1, "t": 4}
