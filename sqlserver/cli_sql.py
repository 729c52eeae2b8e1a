"""Where ``grove`` runs SQL: in-process, or through the server that owns the database.

One process owns a database directory (its store's exclusive flock).  When
no one holds it, the CLI opens it itself and runs statements with the engine
(``LocalSql``).  When a ``grove sql-server`` holds it, the server has written
``.grove/sql-server.json`` (pid, host, port), and the CLI sends the same
statements over the MySQL protocol instead (``RemoteSql``, pymysql as user
root) -- never opening the store behind the server's back.

Both runners take one statement at a time (the CLI splits the text with the
engine's own splitter, so ``;`` inside strings and comments is handled the
same way on both paths) and return ``cli_output.ResultText``/``OkText``, with
values in MySQL's text form: remotely that is literally what the server
sent (pymysql with no converters), locally it is produced by the same
encoders the wire layer uses.  So a command prints the same either way.

Errors come back as ``SqlFailure`` carrying errno and SQLSTATE; pymysql
drops the SQLSTATE of an error packet, so the remote runner recovers it
from ``sqlserver.errors.ER`` by error number.
"""

from __future__ import annotations

import datetime
import os

from sqlserver import errors
from sqlserver.cli_output import NUMERIC_TYPE_CODES, OkText, ResultText
from sqlserver.databases import read_server_info
from storage.disk_store import lock_holder


class SqlFailure(Exception):
    """A statement failed; ``str()`` is the MySQL client's one-line ``ERROR n (state): message``."""

    def __init__(self, errno: int, sqlstate: str, message: str):
        super().__init__(message)
        self.errno = errno
        self.sqlstate = sqlstate
        self.message = message

    def __str__(self) -> str:
        return f"ERROR {self.errno} ({self.sqlstate}): {self.message}"


class InUse(Exception):
    """The database directory is held by a process that is not a server we can talk to."""


def server_for(path: str) -> dict | None:
    """The live server holding database ``path`` (pid/host/port), or None if the store is free.

    The flock is the authority, the info file only says where to connect: a
    stale ``sql-server.json`` (server killed with -9, pid maybe reused) is
    ignored because nobody holds the lock.  A holder that left no matching
    info file (another CLI command, or a server still starting) raises InUse.
    """
    holder = lock_holder(path)
    if holder is None:
        return None
    info = read_server_info(path)
    if info is not None and int(info.get("pid", 0)) == holder:
        return info
    who = f"process {holder}" if holder > 0 else "another process"
    raise InUse(f"the grove database at {path} is in use by {who}")


# --- in-process -----------------------------------------------------------------------------


def _time_text(t: datetime.timedelta, fsp: int) -> str:
    us = (t.days * 86400 + t.seconds) * 1_000_000 + t.microseconds
    sign = "-" if us < 0 else ""
    s, frac = divmod(abs(us), 1_000_000)
    h, rem = divmod(s, 3600)
    m, s = divmod(rem, 60)
    return f"{sign}{h:02d}:{m:02d}:{s:02d}" + ("." + f"{frac:06d}"[:fsp] if fsp else "")


def _value_text(v, st) -> str:
    """``v`` as the server's text protocol sends a value of column type ``st`` (None: untyped)."""
    from sqlserver.engine.expressions import format_float
    from sqlserver.wire import text_value

    name = st.name if st is not None else ""
    t = type(v)
    if t is datetime.datetime and name in ("datetime", "timestamp"):
        return v.isoformat(" ", "microseconds")[:20 + st.fsp] if st.fsp else v.isoformat(" ", "seconds")
    if t is datetime.timedelta and name == "time":
        return _time_text(v, st.fsp)
    if t is float and name == "float":
        return format_float(v)
    raw = text_value(v)
    return raw.decode("utf-8", "replace") if isinstance(raw, (bytes, bytearray)) else str(raw)


def _local_text(result) -> ResultText | OkText:
    from sqlserver.engine.results import Rows
    from sqlserver.wire import infer_sqltype

    if not isinstance(result, Rows):
        return OkText(result.affected_rows, result.info)
    types, numeric = [], []
    for i, c in enumerate(result.columns):
        st = c.sqltype if c.sqltype is not None else infer_sqltype(row[i] for row in result.rows)
        types.append(st)
        numeric.append(st is not None and int(st.wire_type) in NUMERIC_TYPE_CODES)
    rows = [tuple(None if v is None else _value_text(v, st) for v, st in zip(row, types)) for row in result.rows]
    return ResultText([c.name for c in result.columns], numeric, rows)


class LocalSql:
    """A session of the in-process engine over the databases of ``data_dir``.

    ``database`` becomes the session's current database (so ``SET
    @@persist`` lands in its ``.grove/config.json``); opening it here, before
    any statement, is what surfaces a lock held by another process.
    """

    def __init__(self, data_dir: str, database: str | None):
        from sqlserver.databases import DatabaseProvider
        from sqlserver.engine import SessionState

        self.provider = DatabaseProvider(data_dir)
        try:
            self.state = SessionState(self.provider)
            if database is not None:
                self.state.current_db = self.provider.get(database).name
        except BaseException:
            self.provider.close()
            raise

    @property
    def current_db(self) -> str | None:
        return self.state.current_db

    def run(self, statement: str) -> list[ResultText | OkText]:
        from sqlserver.engine import execute_sync
        from sqlserver.errors import SQLError, translate

        try:
            results = execute_sync(self.state, statement)
        except SQLError as e:
            raise SqlFailure(e.errno, e.sqlstate, e.message) from None
        except Exception as e:  # noqa: BLE001 - storage errors etc.: one line, as the server would send
            if os.environ.get("GROVE_DEBUG"):
                raise
            t = translate(e)
            raise SqlFailure(t.errno, t.sqlstate, t.message) from None
        return [_local_text(r) for r in results]

    def close(self) -> None:
        try:
            self.state.rollback_all()  # a BEGIN left open at the end of input is not committed (MySQL)
        finally:
            self.provider.close()


# --- through a server -----------------------------------------------------------------------

_SQLSTATES = {errno: state for errno, state, _ in errors.ER.values()}


def _failure(e: Exception) -> SqlFailure:
    args = getattr(e, "args", ())
    if len(args) >= 2 and isinstance(args[0], int):
        errno, message = args[0], str(args[1])
        return SqlFailure(errno, _SQLSTATES.get(errno, "HY000"), message)
    return SqlFailure(2013, "HY000", f"Lost connection to the grove server: {e}")


def _ok_info(raw) -> str:
    """The OK packet's info text ("Rows matched: ...") from what pymysql kept of it.

    MySQL servers (and Grove's) write the info length-encoded, but pymysql
    without CLIENT_SESSION_TRACK keeps the rest of the packet as is, length
    prefix included; strip the prefix when it matches.
    """
    if not raw:
        return ""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogateescape")
    if raw[0] < 0xFB and raw[0] == len(raw) - 1:
        raw = raw[1:]
    elif raw[0] == 0xFC and len(raw) >= 3 and int.from_bytes(raw[1:3], "little") == len(raw) - 3:
        raw = raw[3:]
    return raw.decode("utf-8", "replace")


class RemoteSql:
    """A pymysql connection to the server in ``info``, as root, ``database`` selected."""

    def __init__(self, info: dict, database: str | None):
        import pymysql

        self.info = info
        host = info.get("host") or "127.0.0.1"
        if host in ("0.0.0.0", "::", ""):
            host = "127.0.0.1"  # the server listens on every interface; loopback reaches it
        try:
            self.conn = pymysql.connect(host=host, port=int(info["port"]), user="root", password="",
                                        database=database, conv={}, autocommit=True, charset="utf8mb4",
                                        connect_timeout=10)
        except pymysql.MySQLError as e:
            f = _failure(e)
            raise SqlFailure(f.errno, f.sqlstate,
                             f"cannot reach the grove sql-server (pid {info.get('pid')}, port {info.get('port')}) "
                             f"that holds this database: {f.message}") from None
        self._current_db = database

    @property
    def current_db(self) -> str | None:
        return self._current_db

    def run(self, statement: str) -> list[ResultText | OkText]:
        import pymysql

        try:
            with self.conn.cursor() as cur:
                cur.execute(statement)
                if cur.description is None:
                    info = _ok_info(getattr(getattr(self.conn, "_result", None), "message", None))
                    result = [OkText(max(cur.rowcount, 0), info)]
                else:
                    names = [d[0] for d in cur.description]
                    numeric = [d[1] in NUMERIC_TYPE_CODES for d in cur.description]
                    rows = [tuple(v.decode("utf-8", "replace") if isinstance(v, (bytes, bytearray)) else v
                                  for v in row) for row in cur.fetchall()]
                    result = [ResultText(names, numeric, rows)]
                if statement.lstrip()[:3].lower() == "use":
                    cur.execute("SELECT DATABASE()")
                    (self._current_db,) = cur.fetchone()
                return result
        except pymysql.MySQLError as e:
            raise _failure(e) from None

    def close(self) -> None:
        try:
            self.conn.close()
        except Exception:  # noqa: BLE001 - the server may already be gone
            pass
