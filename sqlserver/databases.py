"""Databases and directories: which databases a server serves, and their shared state.

A database is a directory holding ``.grove/``; its SQL name is the directory
name with ``-`` turned into ``_``.  The data directory is served if it is a
database itself, and so is every immediate subdirectory holding ``.grove/``.
CREATE DATABASE makes a subdirectory of the data directory (so it is found
again after a restart); DROP DATABASE removes one.  ``clone_database_dir``
and ``restore_database_dir`` make a database directory from a remote or a
backup (``grove clone``, ``grove backup restore``, and, as new
subdirectories of a server's data directory, ``CALL dolt_clone`` and
``dolt_backup('restore', ...)``); they never touch an existing database, and
remove what they made if they fail.

One process owns a database directory: opening its store takes an exclusive
``flock`` (``storage.disk_store``) that dies with the process, and the server
writes ``.grove/sql-server.json`` (pid, host, port) so a CLI command run
against a served directory can send its SQL through the server instead of
writing behind its back.

``SqlDatabase`` is the state every session of one database shares: the
storage ``Database``, the commit sequence and recent write sets that
transactions check for conflicts (``sqlserver.txn``), and auto-increment
counters.
"""

from __future__ import annotations

import collections
import json
import os
import re
import shutil
import tempfile
from typing import Any

from sqlserver import config
from sqlserver.errors import SQLError
from sqlserver.tables import AutoIncrement
from storage.database import Database
from storage.disk_store import DiskStore

SERVER_INFO = "sql-server.json"
CONFLICT_LOG_LIMIT = 20000  # commits remembered for conflict checks; older snapshots must restart


def is_database_dir(path: str) -> bool:
    return os.path.isdir(os.path.join(path, ".grove"))


def sql_name(path: str) -> str:
    return os.path.basename(os.path.abspath(path)).replace("-", "_")


def init_database_dir(path: str, *, branch: str = "main") -> None:
    """Create an empty Grove database in directory ``path`` (which may exist)."""
    os.makedirs(path, exist_ok=True)
    if is_database_dir(path):
        raise FileExistsError(f"{path} is already a Grove database")
    store = DiskStore.open(path)
    try:
        name, email = config.identity(path)
        Database.init(store, branch=branch, author=name, email=email)
    finally:
        store.close()


def _empty_or_absent(path: str) -> bool:
    return not os.path.lexists(path) or (os.path.isdir(path) and not os.listdir(path))


def _fill_new_dir(path: str, fill) -> None:
    """Run ``fill(Database over an empty store in path)``; on failure remove what was made.

    ``path`` must be absent or an empty directory (FileExistsError otherwise);
    on failure it is left as it was found.
    """
    if not _empty_or_absent(path):
        raise FileExistsError(f"{path} already exists and is not an empty directory")
    existed = os.path.isdir(path)
    os.makedirs(path, exist_ok=True)
    try:
        store = DiskStore.open(path)
        try:
            fill(Database(store))
        finally:
            store.close()
    except BaseException:
        if existed:
            for entry in os.listdir(path):
                full = os.path.join(path, entry)
                shutil.rmtree(full) if os.path.isdir(full) and not os.path.islink(full) else os.unlink(full)
        else:
            shutil.rmtree(path, ignore_errors=True)
        raise


def default_clone_name(url: str) -> str:
    """The last path component of a remote URL: what a clone is named when no name is given."""
    from replication import parse_remote_url

    return parse_remote_url(url).path.rstrip("/").rsplit("/", 1)[-1]


def clone_database_dir(path: str, url: str, *, branch: str | None = None, remote: str = "origin",
                       progress=None) -> str:
    """Make ``path`` (absent or empty) a clone of the database at ``url``; returns the branch checked out.

    Every branch of the remote becomes a remote-tracking branch; ``branch``
    (default: main, else master, else the first) becomes the local branch,
    with ``remote``/``branch`` as its upstream; ``remote`` is configured as
    ``url``.  On failure nothing is left behind.
    """
    from replication import open_backend, parse_remote_url
    from replication.remote_store import RemoteStore
    from replication.remotes import Remotes
    from replication.sync import clone_into

    canonical = str(parse_remote_url(url))  # a bad URL fails before anything is made
    chosen: list[str] = []

    def fill(db: Database) -> None:
        remote_store = RemoteStore(open_backend(canonical, create=False))
        try:
            chosen.append(clone_into(db, remote_store, remote, branch, progress=progress))
        finally:
            remote_store.close()
        remotes = Remotes(path)
        remotes.add(remote, canonical)
        remotes.set_upstream(chosen[0], remote, chosen[0])

    _fill_new_dir(path, fill)
    return chosen[0]


def restore_database_dir(path: str, url: str, *, force: bool = False, progress=None) -> None:
    """Make ``path`` a database holding everything the backup at ``url`` holds.

    ``path`` must be absent or empty, unless ``force``: then an existing
    directory is replaced, but only once the restore has fully succeeded
    (it is restored beside it first).  The caller makes sure no process
    holds a database there.
    """
    from replication import open_backend, parse_remote_url
    from replication.remote_store import RemoteStore
    from replication.sync import backup_restore

    canonical = str(parse_remote_url(url))

    def fill(db: Database) -> None:
        remote_store = RemoteStore(open_backend(canonical, create=False))
        try:
            backup_restore(db, remote_store, progress=progress)
        finally:
            remote_store.close()

    if not force or _empty_or_absent(path):
        _fill_new_dir(path, fill)
        return
    parent, name = os.path.split(os.path.abspath(path))
    staging = tempfile.mkdtemp(prefix=f".{name}.restore-", dir=parent)
    try:
        _fill_new_dir(staging, fill)
        old = tempfile.mkdtemp(prefix=f".{name}.replaced-", dir=parent)
        os.rename(path, os.path.join(old, name))
        os.rename(staging, path)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)


class SqlDatabase:
    """One served database and the state its sessions share."""

    def __init__(self, name: str, path: str):
        self.name = name
        self.path = os.path.abspath(path)
        self.store = DiskStore.open(self.path)
        self.db = Database(self.store)
        branches = self.db.branches()
        self.default_branch = "main" if "main" in branches or not branches else sorted(branches)[0]
        self.seq = 0  # bumped by every commit of a writing transaction
        # (seq, frozenset of (table, key)) for recent commits, oldest first
        self.conflict_log: collections.deque = collections.deque()
        self.log_floor = 0  # snapshots older than this cannot be checked
        self.auto_increments: dict[tuple[str, str], AutoIncrement] = {}
        self.persisted: dict[str, Any] = config.persisted_variables(self.path)
        self.replicator = None  # replication.replicas.PushReplicator when pushing on write
        self.replica = None  # replication.replicas.ReplicaPuller when a read replica
        self.replication_error = ""  # why configured replication is not running

    # --- replication (issue 5): started by the server only, from the persisted settings ----------

    def setting(self, name: str, default: Any = None) -> Any:
        v = self.persisted.get(name)
        return default if v in (None, "") else v

    def start_replication(self, log) -> None:
        """Start push on write and/or the read-replica puller as ``.grove/config.json`` asks."""
        from replication import open_backend
        from replication.remote_store import RemoteStore
        from replication.remotes import Remotes
        from replication.replicas import PushReplicator, ReplicaPuller

        def opener(remote: str, create: bool):
            def open_remote():
                return RemoteStore(open_backend(Remotes(self.path).url(remote), create=create))
            return open_remote

        replica_remote = self.setting("dolt_read_replica_remote")
        push_remote = self.setting("dolt_replicate_to_remote")
        try:
            if replica_remote:
                Remotes(self.path).url(replica_remote)  # fail now, clearly, for an unknown name
                all_heads = bool(self.setting("dolt_replicate_all_heads", 0))
                heads = [h.strip() for h in str(self.setting("dolt_replicate_heads", "")).split(",") if h.strip()]
                if all_heads == bool(heads):
                    raise ValueError("exactly one of @@dolt_replicate_all_heads and @@dolt_replicate_heads "
                                     "must be set on a read replica")
                self.replica = ReplicaPuller(self.db, replica_remote, opener(replica_remote, False),
                                             all_heads=all_heads, patterns=heads,
                                             poll_ms=int(self.setting("grove_read_replica_poll_ms", 200))).start()
                log(f"database {self.name}: read replica of remote '{replica_remote}' "
                    f"({'all heads' if all_heads else ', '.join(heads)})")
            if push_remote:
                if replica_remote:
                    raise ValueError("a read replica cannot also push on write")
                Remotes(self.path).url(push_remote)
                self.replicator = PushReplicator(self.db, push_remote, opener(push_remote, True)).start()
                mode = "async" if self.setting("dolt_async_replication", 0) else "sync"
                log(f"database {self.name}: pushes to remote '{push_remote}' on every commit ({mode})")
        except Exception as e:  # noqa: BLE001 - a bad setting disables replication, loudly
            self.replication_error = f"replication disabled for database {self.name}: {e}"
            log(f"ERROR: {self.replication_error}")

    def identity(self) -> tuple[str, str]:
        return config.identity(self.path)

    def persist(self, name: str, value: Any) -> None:
        config.persist_variable(self.path, name, value)
        self.persisted[name.lower()] = value

    def auto_increment(self, branch: str, table_name: str, stored_next: int, max_key) -> AutoIncrement:
        """The shared counter for a table, at least past the stored value and the largest key.

        Called whenever a transaction first touches the table, with what that
        transaction's snapshot holds, so keys a pull brought in are never
        handed out again.
        """
        key = (branch, table_name.lower())
        start = stored_next
        if isinstance(max_key, int) and max_key >= start:
            start = max_key + 1
        counter = self.auto_increments.get(key)
        if counter is None:
            counter = self.auto_increments[key] = AutoIncrement(start)
        else:
            # Rows can arrive without passing through this counter (a pull, a merge):
            # every new transaction's view moves it past what it sees, never back.
            counter.observe(start - 1)
        return counter

    def record_commit(self, keys: frozenset) -> int:
        """Remember a committed transaction's write and lock set; returns its sequence number."""
        self.seq += 1
        self.conflict_log.append((self.seq, keys))
        while len(self.conflict_log) > CONFLICT_LOG_LIMIT:
            old_seq, _ = self.conflict_log.popleft()
            self.log_floor = old_seq
        return self.seq

    def write_server_info(self, host: str, port: int) -> None:
        path = os.path.join(self.path, ".grove", SERVER_INFO)
        with open(path, "w", encoding="utf-8") as f:
            json.dump({"pid": os.getpid(), "host": host, "port": port}, f)

    def close(self) -> None:
        for worker in (self.replicator, self.replica):
            if worker is not None:
                worker.close()
        self.replicator = self.replica = None
        try:
            os.unlink(os.path.join(self.path, ".grove", SERVER_INFO))
        except FileNotFoundError:
            pass
        self.store.close()


def read_server_info(path: str) -> dict | None:
    """The pid/host/port of a live server holding database ``path``, or None."""
    try:
        with open(os.path.join(path, ".grove", SERVER_INFO), encoding="utf-8") as f:
            info = json.load(f)
    except (OSError, ValueError):
        return None
    try:
        os.kill(int(info["pid"]), 0)
    except (OSError, KeyError, ValueError):
        return None  # the server died (kill -9): its flock is gone too
    return info


_NAME_RE = re.compile(r"^[A-Za-z0-9_$][A-Za-z0-9_$-]{0,63}$")


class DatabaseProvider:
    """The databases of one data directory, opened on first use."""

    def __init__(self, data_dir: str):
        self.data_dir = os.path.abspath(data_dir)
        self._paths: dict[str, str] = {}
        self._open: dict[str, SqlDatabase] = {}
        self._serving: tuple[str, int] | None = None  # set once a server listens
        self.log = lambda line: None
        self.rescan()

    def rescan(self) -> None:
        paths = {}
        if is_database_dir(self.data_dir):
            paths[sql_name(self.data_dir)] = self.data_dir
        for entry in sorted(os.listdir(self.data_dir)):
            sub = os.path.join(self.data_dir, entry)
            if not entry.startswith(".") and is_database_dir(sub):
                paths.setdefault(sql_name(sub), sub)
        self._paths = paths

    def names(self) -> list[str]:
        return sorted(self._paths)

    def _key(self, name: str) -> str | None:
        if name in self._paths:
            return name
        lowered = name.lower()
        for n in self._paths:
            if n.lower() == lowered:
                return n
        if "-" in name:  # the directory's name, as given to clone or restore
            return self._key(name.replace("-", "_"))
        return None

    def exists(self, name: str) -> bool:
        return self._key(name) is not None

    def get(self, name: str) -> SqlDatabase:
        """The open database called ``name``; 1049 if there is none."""
        key = self._key(name)
        if key is None:
            raise SQLError.of("BAD_DB", name)
        sdb = self._open.get(key)
        if sdb is None:
            sdb = self._open[key] = SqlDatabase(key, self._paths[key])
            if self._serving is not None:  # e.g. CREATE DATABASE while serving
                sdb.write_server_info(*self._serving)
                sdb.start_replication(self.log)
        return sdb

    def open_all(self) -> list[SqlDatabase]:
        return [self.get(n) for n in self.names()]

    def create(self, name: str, *, if_not_exists: bool = False) -> bool:
        """CREATE DATABASE: a new subdirectory of the data directory. False if it existed."""
        if if_not_exists and self.exists(name):
            return False
        path = self._new_path(name)
        init_database_dir(path)
        self._paths[name] = path
        if self._serving is not None:
            self.get(name)  # the server holds it from now on, like every served database
        return True

    def _new_path(self, name: str) -> str:
        """The directory for new database ``name``: 1007 if it exists, 1102 if the name is bad."""
        if self.exists(name):
            raise SQLError.of("DB_CREATE_EXISTS", name)
        if not _NAME_RE.match(name):
            raise SQLError(1102, "42000", f"Incorrect database name '{name}'")
        path = os.path.join(self.data_dir, name)
        if os.path.lexists(path):
            raise SQLError(1007, "HY000", f"Can't create database '{name}'; directory {path} exists")
        return path

    def _adopt(self, path: str) -> str:
        name = sql_name(path)
        self._paths[name] = path
        if self._serving is not None:
            self.get(name)  # held and routed like every served database
        return name

    def clone(self, name: str, url: str, *, branch: str | None = None, remote: str = "origin",
              progress=None) -> str:
        """CALL dolt_clone: a new database ``name`` cloned from ``url``; returns its SQL name."""
        path = self._new_path(name)
        clone_database_dir(path, url, branch=branch, remote=remote, progress=progress)
        return self._adopt(path)

    def restore(self, name: str, url: str, *, force: bool = False, progress=None) -> str:
        """CALL dolt_backup('restore', url, name): a database restored from a backup.

        With ``force`` an existing database of that name is dropped first
        (only after the restore itself succeeded beside it).
        """
        key = self._key(name)
        if key is not None and not force:
            raise SQLError(1007, "HY000", f"Can't restore database '{name}'; database exists (use --force to "
                                          "replace it)")
        if key is None:
            path = self._new_path(name)
            restore_database_dir(path, url, progress=progress)
            return self._adopt(path)
        path = self._paths[key]
        if os.path.abspath(path) == self.data_dir:
            raise SQLError(1105, "HY000", f"cannot replace database '{key}': it is the data directory itself")
        sdb = self._open.pop(key, None)
        if sdb is not None:
            sdb.close()  # sessions holding it see it gone, as after DROP DATABASE
        try:
            restore_database_dir(path, url, force=True, progress=progress)
        finally:
            del self._paths[key]
            self._adopt(path)
        return sql_name(path)

    def drop(self, name: str, *, if_exists: bool = False) -> bool:
        """DROP DATABASE: removes the database's directory. False if it did not exist."""
        key = self._key(name)
        if key is None:
            if if_exists:
                return False
            raise SQLError.of("DB_DROP_EXISTS", name)
        path = self._paths[key]
        if os.path.abspath(path) == self.data_dir:
            raise SQLError(1105, "HY000", f"cannot drop database '{key}': it is the data directory itself")
        sdb = self._open.pop(key, None)
        if sdb is not None:
            sdb.close()
        del self._paths[key]
        shutil.rmtree(path)
        return True

    def write_server_info(self, host: str, port: int, log=None) -> None:
        """Called once the server listens: from now on databases are served (and replicate)."""
        self._serving = (host, port)
        if log is not None:
            self.log = log
        for sdb in self.open_all():
            sdb.write_server_info(host, port)
            sdb.start_replication(self.log)

    def close(self) -> None:
        for sdb in self._open.values():
            sdb.close()
        self._open.clear()
