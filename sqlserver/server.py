"""``grove sql-server``: serve the databases of a data directory over the MySQL protocol.

Start-up order, and why:

1. Open every database of the data directory (``DatabaseProvider.
   open_all``).  Opening takes each store's exclusive flock, so a directory
   another live process serves makes start-up fail at once, with one line
   naming that process's pid -- not later, at the first query.  A process
   killed with -9 loses its flocks with it, so a new server starts cleanly.
2. Listen (``SO_REUSEADDR``: a restart does not wait out TIME_WAIT).
3. Write each database's ``.grove/sql-server.json`` (pid, host, port): CLI
   commands run against a served directory find the server there.
4. Log one line to stderr.

Shutdown (SIGTERM/SIGINT, or ``close()``): stop accepting, kill every
connection (each session rolls back its open transaction), wait for them,
then close the databases, which removes ``sql-server.json`` and releases the
flocks.

The event loop is uvloop (``run``); ``MysqlServer._client_connected_cb`` is
overridden because mysql-mimic hard-codes its own ``Connection`` class there.
Users: ``root`` with an empty password, like Dolt's default.  Between
commands the client sockets are busy-polled for a moment before the loop
sleeps (``sqlserver.busy_poll``, ``--busy-poll-us``).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import signal
import sys
import time
from typing import Callable

from mysql_mimic.auth import IdentityProvider, NativePasswordAuthPlugin, User
from mysql_mimic.control import LocalControl, TooManyConnections
from mysql_mimic.server import MysqlServer
from mysql_mimic.stream import MysqlStream

from sqlserver.busy_poll import DEFAULT_US, BusyPoll
from sqlserver.databases import DatabaseProvider
from sqlserver.session import GroveSession
from sqlserver.wire import SERVER_CAPABILITIES, GroveConnection, error_packet
from storage.errors import StoreLockedError

logger = logging.getLogger(__name__)

SHUTDOWN_GRACE = 5.0  # seconds connections get to finish after being killed at shutdown
MAX_CONNECTION_ID = 2**32 - 1  # connection ids are 4 bytes on the wire


class ServerStartError(Exception):
    """The server could not start; the message is one line for the user."""


class GroveIdentityProvider(IdentityProvider):
    """Known users and their passwords; by default just ``root`` with an empty password."""

    def __init__(self, users: dict[str, str] | None = None):
        users = {"root": ""} if users is None else users
        self.users = {
            name: User(name=name, auth_string=NativePasswordAuthPlugin.create_auth_string(pw) if pw else None,
                       auth_plugin=NativePasswordAuthPlugin.name)
            for name, pw in users.items()
        }

    async def get_user(self, username: str) -> User | None:
        return self.users.get(username)


class GroveControl(LocalControl):
    """Connection registry: ids 1, 2, 3... like MySQL and Dolt, plus COM_STATISTICS counters."""

    def __init__(self, provider: DatabaseProvider | None = None, busy_poll: BusyPoll | None = None):
        super().__init__(server_id=1)
        self.provider = provider
        self.busy_poll = busy_poll  # client sockets polled between commands (sqlserver.busy_poll)
        self.started = time.monotonic()
        self.questions = 0  # COM_QUERY count (MySQL's "Questions")
        self._next_id = 0

    def _new_connection_id(self) -> int:
        if len(self._connections) >= MAX_CONNECTION_ID:
            raise TooManyConnections()
        while True:
            self._next_id = self._next_id % MAX_CONNECTION_ID + 1
            if self._next_id not in self._connections:
                return self._next_id

    def has(self, connection_id: int) -> bool:
        return connection_id in self._connections

    def connections(self) -> list:
        return list(self._connections.values())

    def connection_count(self) -> int:
        return len(self._connections)

    def open_tables(self) -> int:
        return len(self.provider.names()) if self.provider is not None else 0


class GroveServer(MysqlServer):
    """A MySQL-protocol server over the Grove databases in ``data_dir``."""

    def __init__(self, data_dir: str, host: str = "127.0.0.1", port: int = 3306, *, read_only: bool = False,
                 users: dict[str, str] | None = None, log: Callable[[str], None] | None = None,
                 busy_poll_us: int = DEFAULT_US):
        self.data_dir = os.path.abspath(data_dir)
        self.host = host
        self.port = port
        self.read_only = read_only
        self.provider: DatabaseProvider | None = None
        self._log = log or (lambda line: print(line, file=sys.stderr, flush=True))
        self._tasks: set[asyncio.Task] = set()
        self._closed: asyncio.Event | None = None
        super().__init__(session_factory=self._new_session, capabilities=SERVER_CAPABILITIES,
                         control=GroveControl(busy_poll=BusyPoll(busy_poll_us)), identity_provider=GroveIdentityProvider(users))

    def _new_session(self) -> GroveSession:
        return GroveSession(self.provider, read_only=self.read_only)

    # --- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Open the databases, listen, write sql-server.json.  Raises ServerStartError (one line)."""
        if not os.path.isdir(self.data_dir):
            raise ServerStartError(f"grove sql-server: data directory {self.data_dir} does not exist")
        provider = DatabaseProvider(self.data_dir)
        try:
            for name in provider.names():
                try:
                    provider.get(name)
                except StoreLockedError as e:
                    raise ServerStartError(f"grove sql-server: cannot serve database '{name}': {e}") from None
            try:
                self._server = await asyncio.start_server(self._client_connected_cb, self.host, self.port,
                                                          reuse_address=True)
            except OSError as e:
                raise ServerStartError(
                    f"grove sql-server: cannot listen on {self.host}:{self.port}: {e.strerror or e}") from None
        except BaseException:
            provider.close()
            raise
        self.provider = provider
        self.control.provider = provider
        self.port = self._server.sockets[0].getsockname()[1]
        provider.write_server_info(self.host, self.port, self._log)
        self._closed = asyncio.Event()
        names = ", ".join(provider.names()) or "(none)"
        self._log(f"Grove sql-server listening on {self.host}:{self.port}, data dir {self.data_dir}, "
                  f"databases: {names}")

    async def start_server(self, **kwargs) -> None:
        """mysql-mimic's name for ``start`` (its version would skip opening the databases)."""
        await self.start()

    async def serve_forever(self) -> None:
        """Start if needed, then serve until ``close()``."""
        if self._server is None:
            await self.start()
        await self._closed.wait()

    async def close(self) -> None:
        """Stop accepting, end every connection (rolling back), then close the databases."""
        if self._server is None:
            return
        self._server.close()
        for conn in self.control.connections():
            conn.kill()
        tasks = [t for t in self._tasks if not t.done()]
        if tasks:
            await asyncio.wait(tasks, timeout=SHUTDOWN_GRACE)
        self._server = None
        if self.provider is not None:
            self.provider.close()
        if self._closed is not None:
            self._closed.set()

    # --- connections -----------------------------------------------------------------------

    async def _client_connected_cb(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        self._tasks.add(task)
        stream = MysqlStream(reader, writer)
        connection_id = None
        sock = writer.get_extra_info("socket")
        fd = sock.fileno() if sock is not None else -1
        busy_poll = self.control.busy_poll
        try:
            connection = GroveConnection(stream, self._new_session(), self.control, self.identity_provider,
                                         self.capabilities)
            try:
                connection_id = await self.control.add(connection)
            except TooManyConnections:
                await stream.write(error_packet(1040, "08004", "Too many connections"))
                return
            connection.connection_id = connection_id
            busy_poll.add(fd)
            await connection.start()
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.CancelledError):
            pass
        except Exception:  # noqa: BLE001 - one connection's failure must not take the server down
            logger.exception("connection %s failed", connection_id)
        finally:
            busy_poll.remove(fd)
            if connection_id is not None:
                await self.control.remove(connection_id)
            writer.close()
            self._tasks.discard(task)


# The cyclic garbage collector's youngest generation is collected every 700 net allocations by
# default: several times per SQL statement, each time walking every young object.  Statements make
# few reference cycles, so a server collects far less often (5-10% of a one-row write's CPU in an
# in-process loop of sysbench-shaped UPDATEs), and the modules, plans and caches loaded at start-up
# are frozen out of collections altogether.
GC_THRESHOLDS = (50_000, 20, 100)


def tune_gc() -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def run(data_dir: str, host: str = "127.0.0.1", port: int = 3306, *, read_only: bool = False,
        busy_poll_us: int = DEFAULT_US) -> int:
    """Serve until SIGTERM/SIGINT on a uvloop event loop; the exit status (1: could not start)."""
    import uvloop

    async def main() -> int:
        server = GroveServer(data_dir, host, port, read_only=read_only, busy_poll_us=busy_poll_us)
        try:
            await server.start()
        except ServerStartError as e:
            print(str(e), file=sys.stderr, flush=True)
            return 1
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, lambda: asyncio.ensure_future(server.close()))
        tune_gc()
        await server.serve_forever()
        return 0

    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(main())


def main(argv: list[str] | None = None) -> int:
    """``python -m sqlserver.server``: the same as ``grove sql-server`` (used by tests and benchmarks)."""
    ap = argparse.ArgumentParser(prog="grove sql-server")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=3306)
    ap.add_argument("--data-dir", default=".")
    ap.add_argument("--read-only", action="store_true")
    ap.add_argument("--busy-poll-us", type=int, default=DEFAULT_US)
    args = ap.parse_args(argv)
    return run(args.data_dir, args.host, args.port, read_only=args.read_only, busy_poll_us=args.busy_poll_us)


if __name__ == "__main__":
    sys.exit(main())
