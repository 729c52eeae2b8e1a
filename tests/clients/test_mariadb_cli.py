"""The mariadb CLI's own queries: ``\\s`` (status), SHOW CREATE TABLE as it prints it, and the queries its
tab completion sends when it starts interactively with --auto-rehash.

Auto-rehash runs only in an interactive session (not with -e or a piped stdin), so that test starts the
CLI on a pseudo-terminal.  The server runs in this process, so the statements it receives are recorded by
wrapping ``sqlserver.session.execute`` (every COM_QUERY and COM_FIELD_LIST goes through it).
"""

from __future__ import annotations

import os
import re
import select
import shutil
import time

import pytest

import sqlserver.session as session_mod
from tests.clients.test_drivers import batch_fields, run_cli

pytestmark = pytest.mark.skipif(shutil.which("mariadb") is None, reason="mariadb CLI not installed (./dev installs it)")

PTY_TIMEOUT = 30  # seconds for the interactive session to finish


def test_status_command_reports_version_connection_and_database(grove_server):
    done = run_cli(grove_server, "SELECT CONNECTION_ID(), VERSION(), @@version_comment; \\s")
    assert done.returncode == 0, done.stderr.decode()
    out = done.stdout.decode()
    conn_id, version, comment = out.splitlines()[1].split("\t")
    status = dict(re.findall(r"^([A-Za-z. ]+?):\s+(.*)$", out, re.M))
    assert status["Connection id"] == conn_id
    assert status["Current database"] == "db"
    assert status["Current user"] == "root@localhost"
    assert status["Server version"] == f"{version} {comment}"
    assert version.startswith("8.")
    assert status["Server characterset"] == "utf8mb4"
    assert status["Conn.  characterset"] == "utf8mb4"
    assert status["TCP port"] == str(grove_server.port)


def test_show_create_table_as_mysql_8_prints_it(grove_server):
    ddl = ("CREATE TABLE t (id INT NOT NULL AUTO_INCREMENT, name VARCHAR(20) NOT NULL DEFAULT 'x', n INT, "
           "d DECIMAL(10,2) DEFAULT '1.50', PRIMARY KEY (id), KEY ix_n (n), UNIQUE KEY uq_name (name))")
    done = run_cli(grove_server, ddl + "; SHOW CREATE TABLE t")
    assert done.returncode == 0, done.stderr.decode()
    header, row = done.stdout.split(b"\n")[:2]
    assert header == b"Table\tCreate Table"
    assert batch_fields(row) == [b"t", (
        "CREATE TABLE `t` (\n"
        "  `id` int NOT NULL AUTO_INCREMENT,\n"
        "  `name` varchar(20) NOT NULL DEFAULT 'x',\n"
        "  `n` int DEFAULT NULL,\n"
        "  `d` decimal(10,2) DEFAULT '1.50',\n"
        "  PRIMARY KEY (`id`),\n"
        "  UNIQUE KEY `uq_name` (`name`),\n"
        "  KEY `ix_n` (`n`)\n"
        ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci").encode()]


def _interactive(port: int, script: bytes, *args: str) -> bytes:
    """Run the mariadb CLI on a pseudo-terminal, type ``script``, return everything it printed."""
    import pty

    pid, fd = pty.fork()
    if pid == 0:  # the child: become the CLI
        try:
            os.execvp("mariadb", ["mariadb", "-h", "127.0.0.1", "-P", str(port), "-u", "root", *args])
        finally:
            os._exit(127)
    out = b""
    try:
        os.write(fd, script)
        deadline = time.monotonic() + PTY_TIMEOUT
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], deadline - time.monotonic())
            if not ready:
                break
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # EIO: the CLI exited and closed the terminal
                break
            if not chunk:
                break
            out += chunk
    finally:
        os.close(fd)
        _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, out.decode(errors="replace")
    return out


def test_auto_rehash_queries_succeed(grove_server, monkeypatch):
    conn = grove_server.connect()
    conn.cursor().execute("CREATE TABLE first_table (a INT PRIMARY KEY, bee VARCHAR(3))")
    conn.cursor().execute("CREATE TABLE second_table (c DATE)")
    received: list[str] = []
    failed: list[tuple[str, str]] = []
    real = session_mod.execute

    async def recording(state, sql, *args, **kwargs):
        received.append(sql)
        try:
            return await real(state, sql, *args, **kwargs)
        except Exception as e:  # noqa: BLE001 - recorded, then raised as the server would
            failed.append((sql, repr(e)))
            raise

    monkeypatch.setattr(session_mod, "execute", recording)
    out = _interactive(grove_server.port, b"select 41 + 1 as answer;\nquit\n", "--auto-rehash", "-D", "db")
    assert re.search(rb"\|\s+42 \|", out), out.decode(errors="replace")
    assert b"ERROR" not in out
    assert failed == []
    # What the completion hash is built from: databases, tables, and each table's columns (COM_FIELD_LIST).
    lowered = [q.lower() for q in received]
    assert "show databases" in lowered and "show tables" in lowered
    assert sum("first_table" in q for q in lowered) == 1 and sum("second_table" in q for q in lowered) == 1
    # and the answers are the ones completion needs
    cur = conn.cursor()
    cur.execute("show databases")
    assert "db" in [r[0] for r in cur.fetchall()]
    cur.execute("show tables")
    assert sorted(r[0] for r in cur.fetchall()) == ["first_table", "second_table"]
