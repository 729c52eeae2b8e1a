#!/usr/bin/env python3
"""Run the golden SQL files (tests/sql/*.sql) against MariaDB, the peer, and compare.

The expectations in the golden files are MySQL 8's answers.  This script sends
every record's statement to a MariaDB server and renders what comes back with
the golden files' own rules (tests/sqlserver/golden.py), so an expectation is
never just Grove's own output.  Per record the outcome is

    agree       MariaDB prints exactly the expected lines;
    differs     it does not, and the record carries ``# mariadb-differs: <reason>``
                (a documented MySQL 8 / MariaDB difference);
    grove-only  the record (``# grove-only: <reason>``) or the file
                (``# grove-only-file``) needs a Grove-only feature: not sent;
    known Grove deviation
                it does not, and the record carries ``# grove-differs: <reason>``:
                the expectation is Grove's answer to a case where Grove does not
                (yet) match MySQL 8; counted and listed in the summary, not a failure;
    DISAGREE    it does not, and nothing says why: a failure (exit status 1).

Usage (from the repository root, with the project's venv):

    .venv/bin/python bench/golden_vs_mariadb.py                # starts a throw-away mariadbd
    .venv/bin/python bench/golden_vs_mariadb.py --file alter   # one file (repeatable)
    .venv/bin/python bench/golden_vs_mariadb.py --verbose      # diffs of marked records too
    .venv/bin/python bench/golden_vs_mariadb.py --host 127.0.0.1 --port 3306 --user root

Without --port it starts Debian's MariaDB (/usr/sbin/mariadbd, mariadb-install-db;
see bench/servers.sh for the same flags) on a free 127.0.0.1 port in a temporary
directory and stops it (by its PID) at the end.  The server and every session get
MySQL 8's defaults where MariaDB's differ and the tests would notice: utf8mb4, the
sql_mode ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,
ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION.  max_statement_time bounds each
statement (MariaDB has no cte_max_recursion_depth, so a runaway CTE would not stop).

Each file runs on a new connection in a fresh database ``db`` (dropped and
created); databases the file creates are dropped afterwards, nothing else is.
Statements are sent as they are written, with CLIENT.MULTI_STATEMENTS so a record
holding several statements behaves as in Grove's in-process runner: every result
is rendered in order, and an error replaces the whole record's output.

Values are compared as the text protocol sends them: pymysql runs with no
converters, so DOUBLE, DECIMAL, DATETIME and TIME arrive as the server's own text
(exactly what the mysql client prints) instead of being parsed into Python values
and re-formatted, which could hide or invent differences; binary strings are
decoded as UTF-8 like golden.show_value does, and 32-character commit addresses
become <hash> through the same show_value.
"""

from __future__ import annotations

import argparse
import difflib
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pymysql  # noqa: E402
from pymysql.constants import CLIENT  # noqa: E402

from tests.sqlserver.golden import grove_only_file, parse_file, show_value  # noqa: E402

SQL_DIR = ROOT / "tests" / "sql"
MYSQL8_SQL_MODE = ("ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,"
                   "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION")
CHARSET = "utf8mb4"
COLLATION = "utf8mb4_general_ci"
SYSTEM_DATABASES = {"information_schema", "mysql", "performance_schema", "sys"}
STATEMENT_SECONDS = 20


# ----------------------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MariaDB:
    """A throw-away mariadbd on 127.0.0.1 (the flags of bench/servers.sh's start_mariadb)."""

    def __init__(self, keep: bool = False):
        self.dir = tempfile.mkdtemp(prefix="golden-mariadb-")
        self.port = free_port()
        self.keep = keep
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        user = pwd_name()
        datadir = os.path.join(self.dir, "data")
        install = shutil.which("mariadb-install-db") or "/usr/bin/mariadb-install-db"
        subprocess.run([install, "--no-defaults", f"--datadir={datadir}",
                        "--auth-root-authentication-method=normal", f"--user={user}"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
        self.proc = subprocess.Popen([
            "/usr/sbin/mariadbd", "--no-defaults", f"--datadir={datadir}",
            f"--socket={os.path.join(self.dir, 'sock')}", f"--port={self.port}",
            "--bind-address=127.0.0.1", f"--user={user}", "--innodb-buffer-pool-size=256M",
            "--skip-log-bin", "--innodb-flush-log-at-trx-commit=1", "--max-connections=50",
            f"--log-error={os.path.join(self.dir, 'err.log')}",
            f"--character-set-server={CHARSET}", f"--collation-server={COLLATION}",
            f"--sql-mode={MYSQL8_SQL_MODE}",
        ], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while True:  # until the port accepts (bounded), or the server dies
            if self.proc.poll() is not None:
                raise RuntimeError(f"mariadbd exited ({self.proc.returncode}); see {self.dir}/err.log")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"mariadbd never opened port {self.port}")
                try:
                    self.proc.wait(timeout=0.1)
                except subprocess.TimeoutExpired:
                    pass
        # mariadb-install-db creates an empty `test` database MySQL 8 does not have (SHOW DATABASES)
        conn = pymysql.connect(host="127.0.0.1", port=self.port, user="root", password="", connect_timeout=10)
        try:
            with conn.cursor() as cur:
                cur.execute("DROP DATABASE IF EXISTS test")
        finally:
            conn.close()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()  # this PID only: the server we started
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=30)
        if not self.keep:
            shutil.rmtree(self.dir, ignore_errors=True)


def pwd_name() -> str:
    import pwd

    return pwd.getpwuid(os.getuid()).pw_name


# ----------------------------------------------------------------------------- rendering


def render_cursor_result(cur) -> list[str]:
    """The current result of ``cur`` as golden.render_result writes Grove's."""
    if cur.description is not None:
        lines = ["\t".join(d[0] for d in cur.description)]
        lines += ["\t".join(show_value(v) for v in row).replace("\n", "\\n") for row in cur.fetchall()]
        return lines
    res = cur._result
    parts = [f"OK {cur.rowcount}"]
    if res.insert_id:
        parts.append(f"last_insert_id={res.insert_id}")
    if res.warning_count:
        parts.append(f"warnings={res.warning_count}")
    message = ok_info(res.message)
    if message:
        parts.append(f"info={message}")
    return [" ".join(parts)]


def ok_info(raw) -> str:
    """The OK packet's info string.  pymysql hands over the packet's tail as is; the server
    writes the info as a length-encoded string (the mysql client reads it that way), so the
    first byte(s) are its length and any session-state data may follow it."""
    if not raw:
        return ""
    if isinstance(raw, str):
        return raw
    first = raw[0]
    if first < 0xFB:
        length, start = first, 1
    elif first in (0xFC, 0xFD, 0xFE):
        size = {0xFC: 2, 0xFD: 3, 0xFE: 8}[first]
        length, start = int.from_bytes(raw[1:1 + size], "little"), 1 + size
    else:
        return raw.decode("utf-8", "replace")
    return raw[start:start + length].decode("utf-8", "replace")


def render_error(e: pymysql.MySQLError) -> list[str]:
    code, message = e.args[0], e.args[1] if len(e.args) > 1 else ""
    sqlstate = e.sqlstate
    return [f"ERROR {code} ({sqlstate}): {message}".replace("\n", "\\n")]


# ----------------------------------------------------------------------------- running


class Session:
    def __init__(self, args):
        self.args = args
        self.conn = None

    def connect(self, database: str | None) -> None:
        self.close()
        self.conn = pymysql.connect(
            host=self.args.host, port=self.args.port, user=self.args.user, password=self.args.password,
            database=database, charset=CHARSET, collation=COLLATION, conv={}, autocommit=True,
            client_flag=CLIENT.MULTI_STATEMENTS, connect_timeout=10,
            read_timeout=STATEMENT_SECONDS * 3, write_timeout=STATEMENT_SECONDS * 3)
        with self.conn.cursor() as cur:
            cur.execute(f"SET SESSION sql_mode = '{MYSQL8_SQL_MODE}'")
            cur.execute(f"SET SESSION max_statement_time = {STATEMENT_SECONDS}")

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.close()
            except Exception:
                pass
            self.conn = None

    def run(self, stmt: str) -> list[str]:
        out: list[str] = []
        cur = self.conn.cursor()
        try:
            cur.execute(stmt)
            out += render_cursor_result(cur)
            while cur.nextset():
                out += render_cursor_result(cur)
            return out
        except pymysql.err.MySQLError as e:
            if getattr(e, "sqlstate", None) is None:
                # no ERR packet with a SQLSTATE: lost connection, timeout, protocol trouble
                self.connect("db")
                return [f"CLIENT ERROR: {e!r}"]
            return render_error(e)
        finally:
            try:
                cur.close()
            except Exception:
                pass

    def databases(self) -> set[str]:
        with self.conn.cursor() as cur:
            cur.execute("SHOW DATABASES")
            return {r[0] for r in cur.fetchall()}


class Tally:
    def __init__(self):
        self.agree = self.differs = self.grove_only = self.grove_differs = self.disagree = 0
        self.stale: list[str] = []  # marked as differing but MariaDB agrees
        self.deviations: list[str] = []  # the records marked grove-differs that MariaDB answers otherwise

    def add(self, other: "Tally") -> None:
        self.agree += other.agree
        self.differs += other.differs
        self.grove_only += other.grove_only
        self.grove_differs += other.grove_differs
        self.disagree += other.disagree
        self.stale += other.stale
        self.deviations += other.deviations

    def line(self) -> str:
        return (f"{self.agree} agree, {self.differs} differ as marked, {self.grove_only} grove-only, "
                f"{self.grove_differs} known Grove deviations, {self.disagree} DISAGREE")


def show_diff(expected: list[str], actual: list[str], label: str = "expected (MySQL 8)") -> str:
    diff = difflib.unified_diff(expected, actual, label, "MariaDB", lineterm="", n=2)
    return "\n".join("      " + line for line in diff)


def run_file(session: Session, path: pathlib.Path, verbose: bool) -> Tally:
    tally = Tally()
    text = path.read_text()
    records = parse_file(text)
    reason = grove_only_file(text)
    if reason is not None:
        tally.grove_only = len(records)
        print(f"{path.name}: grove-only file ({reason}): {len(records)} records skipped")
        return tally
    session.connect(None)
    before = session.databases() - {"db"}
    with session.conn.cursor() as cur:
        cur.execute("DROP DATABASE IF EXISTS db")
        cur.execute(f"CREATE DATABASE db CHARACTER SET {CHARSET} COLLATE {COLLATION}")
    session.connect("db")
    lines = []
    try:
        for number, record in enumerate(records, 1):
            if record.grove_only is not None:
                tally.grove_only += 1
                continue
            actual = session.run(record.stmt)
            if actual == record.expected:
                tally.agree += 1
                if record.differs is not None or record.grove_differs is not None:
                    tally.stale.append(f"{path.name} #{number}: {record.stmt}")
                continue
            if record.grove_differs is not None:
                tally.grove_differs += 1
                tally.deviations.append(f"{path.name} #{number}: {record.grove_differs}")
                if verbose:
                    lines.append(f"  known Grove deviation (#{number}, {record.grove_differs}): {record.stmt}")
                    lines.append(show_diff(record.expected, actual, "expected (Grove today)"))
                continue
            if record.differs is not None:
                tally.differs += 1
                if verbose:
                    lines.append(f"  differs (#{number}, {record.differs}): {record.stmt}")
                    lines.append(show_diff(record.expected, actual))
                continue
            tally.disagree += 1
            lines.append(f"  DISAGREE (#{number}): {record.stmt}")
            lines.append(show_diff(record.expected, actual))
    finally:
        try:
            session.connect(None)
            for name in sorted(session.databases() - before - SYSTEM_DATABASES):
                with session.conn.cursor() as cur:
                    cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
        finally:
            session.close()
    print(f"{path.name}: {tally.line()}")
    for line in lines:
        print(line)
    return tally


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, help="an already running server (default: start one)")
    ap.add_argument("--user", default="root")
    ap.add_argument("--password", default="")
    ap.add_argument("--file", action="append", default=[], help="golden file name (alter, alter.sql); repeatable")
    ap.add_argument("--verbose", action="store_true",
                    help="also show the diffs of records marked mariadb-differs / grove-differs")
    ap.add_argument("--keep-dir", action="store_true", help="keep the started server's directory")
    args = ap.parse_args(argv)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        ap.error("only loopback servers")

    files = sorted(SQL_DIR.glob("*.sql"))
    if args.file:
        wanted = {f if f.endswith(".sql") else f + ".sql" for f in (pathlib.Path(x).name for x in args.file)}
        files = [f for f in files if f.name in wanted]
        missing = wanted - {f.name for f in files}
        if missing:
            ap.error(f"no such golden file: {', '.join(sorted(missing))}")

    server = None
    if args.port is None:
        server = MariaDB(keep=args.keep_dir)
        try:
            server.start()
        except BaseException:
            server.stop()
            raise
        args.host, args.port = "127.0.0.1", server.port
    total = Tally()
    try:
        session = Session(args)
        session.connect(None)
        with session.conn.cursor() as cur:
            cur.execute("SELECT VERSION()")
            print(f"MariaDB peer: {cur.fetchone()[0]} on {args.host}:{args.port}")
        session.close()
        for path in files:
            total.add(run_file(session, path, args.verbose))
    finally:
        if server is not None:
            server.stop()
    print(f"TOTAL: {total.line()}")
    for d in total.deviations:
        print(f"  known Grove deviation: {d}")
    for s in total.stale:
        print(f"  note: marked mariadb-differs / grove-differs but MariaDB agrees: {s}")
    return 1 if total.disagree else 0


if __name__ == "__main__":
    sys.exit(main())
