"""max_execution_time: a SELECT running past it stops with 3024; writes and quick statements are untouched."""

import time

import pymysql
import pytest


@pytest.fixture
def cur(grove_server):
    conn = grove_server.connect()
    c = conn.cursor()
    c.execute("CREATE TABLE n (i INT PRIMARY KEY)")
    c.execute("INSERT INTO n VALUES " + ",".join(f"({i})" for i in range(200)))
    yield c
    conn.close()


SLOW = "SELECT COUNT(*) FROM n a, n b, n c"  # 8 million rows joined: many seconds without a limit


def test_select_past_the_limit_is_interrupted(cur):
    cur.execute("SET max_execution_time = 100")
    started = time.monotonic()
    with pytest.raises(pymysql.err.OperationalError) as e:
        cur.execute(SLOW)
    assert e.value.args[0] == 3024
    assert "maximum statement execution time exceeded" in e.value.args[1]
    assert time.monotonic() - started < 10
    cur.execute("SELECT COUNT(*) FROM n")  # the session goes on
    assert cur.fetchone() == (200,)


def test_no_limit_by_default_and_quick_selects_pass(cur):
    cur.execute("SELECT @@max_execution_time")
    assert cur.fetchone() == (0,)
    cur.execute("SET max_execution_time = 1")
    cur.execute("SELECT i FROM n WHERE i = 7")
    assert cur.fetchall() == ((7,),)


def test_writes_are_not_limited(cur):
    cur.execute("CREATE TABLE m (i INT PRIMARY KEY)")
    cur.execute("SET max_execution_time = 1")
    cur.execute("INSERT INTO m SELECT a.i * 200 + b.i FROM n a, n b")  # 40,000 rows: well past 1 ms
    cur.execute("SET max_execution_time = 0")
    cur.execute("SELECT COUNT(*) FROM m")
    assert cur.fetchone() == (40000,)
