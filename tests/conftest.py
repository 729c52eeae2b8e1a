"""Shared fixtures.

``grove_server``: a real Grove sql-server (``sqlserver.server.GroveServer``)
on a free loopback port, running on its own uvloop event loop in a
background thread of the test process, serving a fresh data directory that
holds one empty database, ``db``.  It yields a ``ServerThread``:

    def test_something(grove_server):
        conn = grove_server.connect()            # pymysql, user root, database "db"
        grove_server.port, grove_server.data_dir, grove_server.server  # the GroveServer
        other = grove_server.connect(database=None, autocommit=False)

Connections made with ``connect`` have short timeouts (a hang fails the test
instead of stalling the run) and are closed at teardown; the server is then
shut down (sessions roll back, databases close, flocks are released).
Because the server runs in-process, tests may monkeypatch server-side code
(for example ``sqlserver.session.execute``) to create deterministic
interleavings.  Use ``ServerThread(data_dir, read_only=True)`` directly for a
server with other options.
"""

from __future__ import annotations

import asyncio
import os
import threading

import pytest

# One moto server (S3 + DynamoDB) per test run, started on first use: see tests/remote_fixtures.py.
from tests.remote_fixtures import aws_env, aws_remote, file_remote, moto_admin, moto_server  # noqa: F401,E402

START_TIMEOUT = 30  # seconds for the server thread to open its databases and listen


class ServerThread:
    """A GroveServer on its own event loop in a daemon thread."""

    def __init__(self, data_dir: str, **options):
        self.data_dir = data_dir
        self.options = options
        self.server = None
        self.port: int | None = None
        self.host = "127.0.0.1"
        self.log: list[str] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="grove-server", daemon=True)
        self._connections: list = []

    def _run(self) -> None:
        import uvloop

        from sqlserver.server import GroveServer

        async def main() -> None:
            self._loop = asyncio.get_running_loop()
            self.server = GroveServer(self.data_dir, self.host, 0, log=self.log.append, **self.options)
            try:
                await self.server.start()
            except BaseException as e:  # reported to the starting thread
                self._error = e
                self._ready.set()
                return
            self.port = self.server.port
            self._ready.set()
            await self.server.serve_forever()

        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            runner.run(main())

    def start(self) -> "ServerThread":
        self._thread.start()
        if not self._ready.wait(START_TIMEOUT):
            raise TimeoutError("grove server did not start")
        if self._error is not None:
            raise self._error
        return self

    def run_in_loop(self, coro_factory, timeout: float = 30):
        """Run ``coro_factory()`` on the server's loop and return its result."""
        return asyncio.run_coroutine_threadsafe(coro_factory(), self._loop).result(timeout)

    def connect(self, database: str | None = "db", **kw):
        import pymysql

        kw.setdefault("connect_timeout", 10)
        kw.setdefault("read_timeout", 60)
        kw.setdefault("write_timeout", 60)
        kw.setdefault("autocommit", True)
        conn = pymysql.connect(host=self.host, port=self.port, user=kw.pop("user", "root"),
                               password=kw.pop("password", ""), database=database, **kw)
        self._connections.append(conn)
        return conn

    def stop(self) -> None:
        for conn in self._connections:
            try:
                conn.close()
            except Exception:  # noqa: BLE001 - already closed by the test or the server
                pass
        if self._loop is not None and self.server is not None and self._thread.is_alive():
            try:
                self.run_in_loop(self.server.close)
            except RuntimeError:  # loop already stopped
                pass
        self._thread.join(START_TIMEOUT)


@pytest.fixture
def grove_server(tmp_path):
    from sqlserver.databases import init_database_dir

    data_dir = os.path.join(tmp_path, "data")
    init_database_dir(os.path.join(data_dir, "db"))
    server = ServerThread(data_dir).start()
    yield server
    server.stop()
