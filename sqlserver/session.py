"""One client connection's session: the bridge from the wire to the engine.

``GroveSession`` is a mysql-mimic ``BaseSession``, not a ``Session``: mimic's
``Session`` parses every statement with sqlglot and runs eleven middlewares
before the application sees it (~320 us of CPU per query, measured), and our
engine parses (and plan-caches) itself.  ``handle_query`` hands the raw SQL
to ``sqlserver.engine.execute`` and returns its ``list[Result]`` unchanged;
``sqlserver.wire`` writes them.  Per query this layer adds a few attribute
reads and, for text that contains a ``;``, one statement split.

The engine's ``SessionState`` holds everything SQL-visible (current
database, variables, transactions, last insert id, warnings); this class
adds what only the wire knows: the connection (for KILL), the authenticated
user, whether the client allowed multi-statements.

Statements the engine does not see:
- ``KILL [CONNECTION | QUERY] id``: acts on other connections through the
  server's control (mysql-mimic's, which cancels the target's task; a
  cancelled statement is rolled back here, since the engine's statement
  generator is abandoned mid-way).
- several statements in one COM_QUERY without CLIENT_MULTI_STATEMENTS:
  1064, as MySQL answers.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from mysql_mimic.constants import KillKind
from mysql_mimic.session import BaseSession

from sqlserver.engine import ColumnInfo, Ok, Result, Rows, SessionState, execute, execute_prepared
from sqlserver.engine import prepare as engine_prepare
from sqlserver.engine.parser import split_statements
from sqlserver.errors import SQLError

_KILL_FIRST = frozenset("kK \t\r\n")
_KILL = re.compile(r"\s*kill\s+(?:(query|connection)\s+)?(\d+)\s*;?\s*\Z", re.IGNORECASE)


class SessionEnd(SQLError):
    """An error after which the server closes the connection (KILL of one's own connection)."""

    close_connection = True


class _HandshakeVariables:
    """The two calls mysql-mimic's handshake and COM_CHANGE_USER make on ``session.variables``.

    System variables live in the engine's SessionState; this only records
    what the handshake reports (client charset, user name).
    """

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def get(self, name: str) -> Any:
        return self.values.get(name)

    def set(self, name: str, value: Any, force: bool = False) -> None:
        self.values[name] = value


class GroveSession(BaseSession):
    """Per-connection state for the wire layer; SQL state lives in ``self.state``."""

    def __init__(self, provider, *, read_only: bool = False):
        self.provider = provider
        self.read_only = read_only
        self.variables = _HandshakeVariables()
        self.username: str | None = None
        self.multi_statements = False  # set from the client's capabilities (and COM_SET_OPTION)
        self.connection = None
        self.state = SessionState(provider, read_only=read_only)

    # --- identity ---------------------------------------------------------------------

    @property
    def connection_id(self) -> int:
        return self.state.connection_id

    @property
    def database(self) -> str | None:
        return self.state.current_db

    @database.setter
    def database(self, name: str | None) -> None:
        """Set by mysql-mimic for CONNECT_WITH_DB and COM_CHANGE_USER; unknown names are ignored."""
        if name and self.provider.exists(name):
            self.state.current_db = self.provider.get(name).name

    def has_database(self, name: str) -> bool:
        return self.provider.exists(name)

    # --- mysql-mimic's session interface ------------------------------------------------

    async def init(self, connection) -> None:
        self.connection = connection
        self.state.connection_id = connection.connection_id
        self.state.control = connection.control  # SHOW PROCESSLIST / STATUS read the server's registry
        if self.username:
            self.state.user = f"{self.username}@localhost"

    async def handle_query(self, sql: str, attrs: dict[str, str] | None = None) -> list[Result]:
        """Run ``sql`` (one or more statements); one Result per statement.

        Raises SQLError; a statement cancelled by KILL QUERY is rolled back
        before the CancelledError propagates.
        """
        if ";" in sql and not self.multi_statements:
            texts = split_statements(sql)
            if len(texts) > 1:
                raise SQLError.of("PARSE", texts[1][:80], 1)
        if sql[:1] in _KILL_FIRST:  # rare: KILL (or leading blanks) costs a regex match
            m = _KILL.match(sql)
            if m is not None:
                await self.kill(int(m.group(2)), query=(m.group(1) or "").lower() == "query")
                return [Ok()]
        results = await self._with_deferred(execute(self.state, sql))
        if self.state.deferred:
            await self._run_deferred(results)
        return results

    async def _with_deferred(self, running):
        """Await a statement's engine run; on failure or cancellation its deferred work is dropped
        (and a cancelled statement rolled back), so only a success leaves ``state.deferred`` to run."""
        try:
            return await running
        except asyncio.CancelledError:
            self.state.deferred.clear()
            self._abandon_statement()
            raise
        except SQLError:
            self.state.deferred.clear()
            raise

    def prepare(self, sql: str):
        """COM_STMT_PREPARE: (engine Statement, result columns or None); see engine.prepare."""
        return engine_prepare(self.state, sql)

    async def handle_prepared(self, stmt, values: list) -> Result:
        """COM_STMT_EXECUTE: ``handle_query`` for one prepared statement and its parameter values."""
        result = await self._with_deferred(execute_prepared(self.state, stmt, values))
        if self.state.deferred:
            await self._run_deferred([result])
        return result

    async def _run_deferred(self, results: list[Result]) -> None:
        """Waits the statements asked for, run in threads so other sessions keep going.

        - push on write (sync mode): wait up to grove_replication_timeout_ms for the
          remote to hold the new head; past that, or on a push error, the client
          still gets OK (the commit is durable locally) plus a warning, and the
          background worker keeps retrying.
        - grove_wait_for_commit: wait for a replica to hold a commit; 1105 on timeout.
        """
        state = self.state
        items, state.deferred = state.deferred, []
        loop = asyncio.get_running_loop()
        for kind, args in items:
            if kind == "push":
                remote, branch, fut, timeout = args
                try:
                    await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(fut)), timeout)
                    continue
                except asyncio.TimeoutError:
                    why = f"no answer within {int(timeout * 1000)} ms"
                except Exception as e:  # noqa: BLE001 - reported as a warning, retried in the background
                    why = str(e)
                state.warnings.append(("Warning", 1105, f"push of branch '{branch}' to remote '{remote}' did not "
                                       f"complete ({why}); the commit is durable here and will be pushed in the "
                                       "background (see grove_replication_status)"))
                if results:
                    results[-1].warnings = (results[-1].warnings or 0) + 1
            elif kind == "wait":
                puller, commit, timeout, branch, text, timeout_ms = args
                ok = await loop.run_in_executor(None, puller.wait_for_commit, commit, timeout, branch)
                if not ok:
                    raise SQLError(1105, "HY000", f"grove_wait_for_commit: commit {text} did not reach this "
                                   f"replica within {timeout_ms} ms")

    async def use(self, database: str) -> None:
        """COM_INIT_DB: the same as ``USE db`` (1049 for an unknown database)."""
        await execute(self.state, "USE `" + database.replace("`", "``") + "`")

    async def table_columns(self, table: str) -> list[ColumnInfo]:
        """The columns of ``table`` in the current database (COM_FIELD_LIST)."""
        results = await execute(self.state, "SELECT * FROM `" + table.replace("`", "``") + "` LIMIT 0")
        last = results[-1]
        return last.columns if isinstance(last, Rows) else []

    async def reset(self) -> None:
        """COM_RESET_CONNECTION / COM_CHANGE_USER: roll back, fresh variables; keep the database."""
        old = self.state
        old.rollback_all()
        self.state = SessionState(self.provider, connection_id=old.connection_id, read_only=self.read_only,
                                  user=old.user)
        self.state.current_db = old.current_db

    async def close(self) -> None:
        """The client went away (or was killed): an open transaction is rolled back."""
        self.state.explicit = False
        self.state.rollback_all()

    # --- KILL ---------------------------------------------------------------------------

    async def kill(self, target: int, *, query: bool) -> None:
        """KILL [QUERY] ``target``: 1094 if no such connection; one's own connection ends with 1317."""
        if target == self.state.connection_id:
            if query:
                raise SQLError.of("QUERY_INTERRUPTED")
            raise SessionEnd.of("QUERY_INTERRUPTED")
        control = self.connection.control if self.connection is not None else None
        if control is None or not control.has(target):
            raise SQLError(1094, "HY000", f"Unknown thread id: {target}")
        await control.kill(target, KillKind.QUERY if query else KillKind.CONNECTION)

    def _abandon_statement(self) -> None:
        """Undo the statement the engine was running when it was cancelled (the engine's error path)."""
        state = self.state
        state.end_statement(False)
        if state.autocommit and not state.explicit:
            state.rollback_all()
