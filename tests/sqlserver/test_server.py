"""Server lifecycle: start-up checks, sql-server.json, locks held by other processes, kill -9, SIGTERM.

Servers in other processes run ``python -m sqlserver.server`` (what ``grove
sql-server`` calls); the test learns the port from the one stderr line the
server prints once it listens, read with a bounded wait.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading

import pymysql
import pytest

from sqlserver.databases import SERVER_INFO, init_database_dir, read_server_info
from sqlserver.server import GroveServer, ServerStartError
from storage.disk_store import lock_holder
from tests.conftest import ServerThread

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WAIT = 60  # seconds any subprocess step may take before the test fails


class ServerProcess:
    """``python -m sqlserver.server`` in a child process."""

    def __init__(self, data_dir: str, *args: str):
        self.proc = subprocess.Popen([sys.executable, "-m", "sqlserver.server", "--data-dir", data_dir,
                                      "--port", "0", *args], cwd=ROOT, stderr=subprocess.PIPE, text=True)
        watchdog = threading.Timer(WAIT, self.proc.kill)  # a hung start fails instead of blocking
        watchdog.start()
        try:
            self.first_line = self.proc.stderr.readline().strip()
        finally:
            watchdog.cancel()
        self.port = None
        if " listening on " in self.first_line:
            self.port = int(self.first_line.split(" listening on ")[1].split(",")[0].rsplit(":", 1)[1])

    def connect(self, **kw):
        return pymysql.connect(host="127.0.0.1", port=self.port, user="root", connect_timeout=10,
                               read_timeout=60, autocommit=True, **kw)

    def finish(self) -> tuple[int, str]:
        rest = self.proc.communicate(timeout=WAIT)[1]
        return self.proc.returncode, rest


@pytest.fixture
def data_dir(tmp_path):
    d = str(tmp_path / "data")
    init_database_dir(os.path.join(d, "alpha"))
    init_database_dir(os.path.join(d, "beta-db"))
    return d


def _info_path(data_dir, name):
    return os.path.join(data_dir, name, ".grove", SERVER_INFO)


def test_start_writes_server_info_and_close_removes_it(data_dir):
    server = ServerThread(data_dir).start()
    try:
        assert server.log == [f"Grove sql-server listening on 127.0.0.1:{server.port}, data dir {data_dir}, "
                              f"databases: alpha, beta_db"]
        for name in ("alpha", "beta-db"):
            info = read_server_info(os.path.join(data_dir, name))
            assert info == {"pid": os.getpid(), "host": "127.0.0.1", "port": server.port}
            assert lock_holder(os.path.join(data_dir, name)) == os.getpid()
        cur = server.connect(database="beta_db").cursor()
        cur.execute("SELECT DATABASE()")
        assert cur.fetchone() == ("beta_db",)
    finally:
        server.stop()
    for name in ("alpha", "beta-db"):
        assert not os.path.exists(_info_path(data_dir, name))
        assert lock_holder(os.path.join(data_dir, name)) is None


def test_refuses_a_directory_another_process_serves(data_dir):
    other = ServerProcess(data_dir)
    try:
        assert other.port is not None, other.first_line
        pid = other.proc.pid
        # in-process start: one-line error naming the holder's pid; nothing left open or overwritten
        with pytest.raises(ServerStartError) as info:
            ServerThread(data_dir).start()
        message = str(info.value)
        assert "\n" not in message and f"process {pid}" in message
        assert json.load(open(_info_path(data_dir, "alpha")))["pid"] == pid
        # the command line: exit status 1 and exactly one line on stderr
        refused = ServerProcess(data_dir)
        status, rest = refused.finish()
        assert status == 1 and rest == ""
        assert refused.first_line.startswith("grove sql-server: ") and f"process {pid}" in refused.first_line
        # the first server is unaffected
        conn = other.connect(database="alpha")
        conn.cursor().execute("SELECT 1")
        conn.close()
    finally:
        other.proc.kill()
        other.proc.wait(WAIT)


def test_restart_after_kill_9(data_dir):
    first = ServerProcess(data_dir)
    assert first.port is not None, first.first_line
    conn = first.connect(database="alpha")
    cur = conn.cursor()
    cur.execute("CREATE TABLE t (id INT PRIMARY KEY)")
    cur.execute("INSERT INTO t VALUES (1), (2), (3)")  # autocommit: durable before the OK
    cur.execute("UPDATE t SET id = 4 WHERE id = 3")  # row-only commits: pending edits (storage.pending)
    cur.execute("DELETE FROM t WHERE id = 4")
    first.proc.send_signal(signal.SIGKILL)
    first.proc.wait(WAIT)
    conn.close()
    assert read_server_info(os.path.join(data_dir, "alpha")) is None  # stale file, dead pid

    second = ServerThread(data_dir).start()
    try:
        assert read_server_info(os.path.join(data_dir, "alpha"))["port"] == second.port
        cur = second.connect(database="alpha").cursor()
        cur.execute("SELECT id FROM t ORDER BY id")
        assert cur.fetchall() == ((1,), (2,))
        cur.execute("CALL dolt_commit('-Am', 'after the crash')")  # the replayed edits reach the trees
        cur.execute("SELECT COUNT(*) FROM dolt_status")
        assert cur.fetchone() == (0,)
        cur.execute("SELECT id FROM t ORDER BY id")
        assert cur.fetchall() == ((1,), (2,))
    finally:
        second.stop()


def test_sigterm_shuts_down_cleanly_and_rolls_back(data_dir):
    server = ServerProcess(data_dir)
    assert server.port is not None, server.first_line
    conn = server.connect(database="alpha")
    cur = conn.cursor()
    cur.execute("CREATE TABLE t (id INT PRIMARY KEY)")
    cur.execute("BEGIN")
    cur.execute("INSERT INTO t VALUES (1)")  # never committed
    server.proc.send_signal(signal.SIGTERM)
    status, rest = server.finish()
    assert status == 0, rest
    assert not os.path.exists(_info_path(data_dir, "alpha"))
    assert lock_holder(os.path.join(data_dir, "alpha")) is None
    again = ServerThread(data_dir).start()
    try:
        cur = again.connect(database="alpha").cursor()
        cur.execute("SELECT COUNT(*) FROM t")
        assert cur.fetchone() == (0,)
    finally:
        again.stop()


def test_start_errors_are_one_line(tmp_path, data_dir):
    with pytest.raises(ServerStartError) as info:
        ServerThread(str(tmp_path / "missing")).start()
    assert "does not exist" in str(info.value)
    holder = ServerThread(data_dir).start()
    try:
        os.makedirs(tmp_path / "other")
        init_database_dir(str(tmp_path / "other" / "db"))
        server = GroveServer(str(tmp_path / "other"), "127.0.0.1", holder.port, log=lambda line: None)
        with pytest.raises(ServerStartError) as info:
            holder.run_in_loop(server.start)
        assert f"cannot listen on 127.0.0.1:{holder.port}" in str(info.value) and "\n" not in str(info.value)
        assert lock_holder(str(tmp_path / "other" / "db")) is None  # released again
    finally:
        holder.stop()


def test_serves_an_empty_data_dir_and_create_database(tmp_path):
    server = ServerThread(str(tmp_path)).start()
    try:
        assert server.log[0].endswith("databases: (none)")
        cur = server.connect(database=None).cursor()
        cur.execute("CREATE DATABASE fresh")
        cur.execute("USE fresh")
        cur.execute("CREATE TABLE t (id INT PRIMARY KEY)")
        cur.execute("SHOW DATABASES")
        assert ("fresh",) in cur.fetchall()
    finally:
        server.stop()
