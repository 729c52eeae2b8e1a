"""The on-disk chunk store: a journal in front of immutable table files.

A database directory holds everything under ``.grove/``::

    .grove/LOCK              flock'd by the open store; holds its pid
    .grove/manifest          root + live table files (storage.manifest)
    .grove/journal           chunks and roots since the last flush (storage.journal)
    .grove/tables/<name>     table files (storage.table_file)

Write path: ``put`` appends a CHUNK record to the journal's buffer (visible
at once through the journal index); ``commit`` compare-and-swaps the root,
appends a ROOT record, writes the buffer, then waits until the journal is
fsynced up to its record.  Group commit: one waiting committer (the leader)
fsyncs up to the highest written offset while the others wait on a
condition; one fsync makes every commit written before it durable.  The new
root is visible to ``root()`` as soon as its record is written (before the
fsync) so others can build on it; any commit built on it fsyncs it too.

Flush: when the journal passes ``journal_flush_bytes`` (or on ``flush()``),
its chunks go into a new table file (fsynced), the manifest is replaced
(root = current root, tables + the new file), then the journal is emptied.
A crash between those steps is harmless: before the manifest the new file is
an orphan (deleted at the next open); after it the journal merely repeats
chunks the table file holds (flush skips those) and its last root equals the
manifest's.

Invariants:

* The current root is the journal's last ROOT record, or the manifest's root
  when the journal has none.
* Every chunk read is checked against its checksum (journal or table file).
* Offsets for group commit are *logical*: bytes ever written to the journal,
  so emptying the journal never makes a waiter's offset ambiguous.
* Only the process holding ``.grove/LOCK`` writes.  ``lock=False`` skips the
  flock for callers that guarantee exclusivity some other way; open still
  truncates a torn journal tail.

Costs: reads and writes hold one store lock (pread of a cached page is
microseconds); a flush holds it while it writes the table file, and more than
``MAX_TABLES`` table files are conjoined into one (a full rewrite; a tiered
policy can replace it when stores get large).
"""

from __future__ import annotations

import fcntl
import os
import threading
from typing import Callable, Iterable, Iterator

from storage.address import ADDRESS_SIZE, ZERO, address_of, to_text
from storage.chunk_store import StoreStats
from storage.errors import CorruptionError, StorageError, StoreLockedError
from storage.journal import Journal
from storage.manifest import FileManifest, Manifest
from storage.table_file import TableFileReader, fsync_dir, persist_table_file

GROVE_DIR = ".grove"
LOCK_NAME = "LOCK"
JOURNAL_NAME = "journal"
MANIFEST_NAME = "manifest"
TABLES_DIR = "tables"

# 64 MiB: replaying a journal this size on open takes well under a second,
# and table files this size amortise their index and fsync costs.
DEFAULT_JOURNAL_FLUSH_BYTES = 64 << 20
# Every lookup of an absent chunk probes each table file's index; past this
# many files they are conjoined into one.
MAX_TABLES = 16


def _lock_path(path: str) -> str:
    return os.path.join(path, GROVE_DIR, LOCK_NAME)


def _read_pid(fd: int) -> int | None:
    text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    return int(text) if text.isdigit() else None


def lock_holder(path: str) -> int | None:
    """The pid of the process holding the store at ``path``, or None if it is free.

    -1 means it is held but the lock file names no pid (the holder is still
    starting up).
    Probes with a shared non-blocking flock, so an open racing with this call
    may briefly see the store as locked.
    """
    try:
        fd = os.open(_lock_path(path), os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read_pid(fd) or -1
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


DATA_SYNC: Callable[[int], None] = getattr(os, "fdatasync", os.fsync)


class DiskStore:
    """A durable ``MaintainableStore`` in a database directory; see the module docstring."""

    @classmethod
    def open(cls, path: str, *, journal_flush_bytes: int = DEFAULT_JOURNAL_FLUSH_BYTES,
             lock: bool = True, create: bool = True,
             fsync: Callable[[int], None] = DATA_SYNC) -> "DiskStore":
        """Open (or create) the store in ``path``; raises StoreLockedError if another holds it.

        ``fsync`` is injectable so tests can observe or slow down syncs.  The
        default is ``fdatasync``: it makes a file's data durable together with
        the metadata needed to read it back (its size, so an append is safe),
        without waiting for timestamps; on this machine an append plus
        fdatasync costs ~60% of an append plus fsync.
        """
        return cls(path, journal_flush_bytes, lock, create, fsync)

    def __init__(self, path, journal_flush_bytes, lock, create, fsync) -> None:
        self.path = str(path)
        self._dir = os.path.join(self.path, GROVE_DIR)
        self._tables_dir = os.path.join(self._dir, TABLES_DIR)
        self._flush_bytes = journal_flush_bytes
        self._os_fsync = fsync
        self.stats = StoreStats()
        self._stats_lock = threading.Lock()
        self._lock = threading.Lock()
        self._closed = True
        self._lock_fd = -1
        if not os.path.isdir(self._dir):
            if not create:
                raise StorageError(f"no grove store at {self.path}")
            os.makedirs(self._tables_dir, exist_ok=True)
            fsync_dir(self._dir, self._fsync)
            fsync_dir(self.path, self._fsync)
        os.makedirs(self._tables_dir, exist_ok=True)
        if lock:
            self._take_lock()
        try:
            self._manifests = FileManifest(self._dir, MANIFEST_NAME, fsync=self._fsync)
            manifest = self._manifests.read()
            self._tables: list[TableFileReader] = []
            for name, count in manifest.tables if manifest else ():
                self._tables.append(self._open_table(name, count))
            if lock:
                self._remove_orphans({t.name for t in self._tables})
            self._journal = Journal(os.path.join(self._dir, JOURNAL_NAME), self._fsync)
            if self._journal.written:
                # A killed writer may have left records in the page cache that
                # were never fsynced; make them durable before building on them.
                self._journal.sync()
        except BaseException:
            for t in getattr(self, "_tables", ()):
                t.close()
            self._release_lock()
            raise
        root = self._journal.root
        self._root = root if root is not None else (manifest.root if manifest else ZERO)
        # Group commit state, all logical offsets (see the docstring).
        self._sync_cond = threading.Condition(threading.Lock())
        self._syncing = False
        self._failed: BaseException | None = None
        self._log_base = 0
        self._written = self._journal.written
        self._synced = self._written
        self._closed = False

    # -- opening ----------------------------------------------------------

    def _take_lock(self) -> None:
        fd = os.open(_lock_path(self.path), os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = _read_pid(fd)
            os.close(fd)
            who = f"process {pid}" if pid else "another process"
            raise StoreLockedError(
                f"the grove store at {self.path} is locked by {who} "
                f"({_lock_path(self.path)}); stop it or open elsewhere"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._lock_fd = fd

    def _release_lock(self) -> None:
        if self._lock_fd >= 0:
            os.close(self._lock_fd)  # closing the descriptor drops the flock
            self._lock_fd = -1

    def _open_table(self, name: str, count: int) -> TableFileReader:
        path = os.path.join(self._tables_dir, name)
        try:
            reader = TableFileReader(path)
        except FileNotFoundError:
            raise CorruptionError(f"the manifest names table file {path}, which is missing",
                                  where=path) from None
        if len(reader) != count:
            reader.close()
            raise CorruptionError(f"{path} holds {len(reader)} chunks; the manifest says {count}",
                                  where=path)
        return reader

    def _remove_orphans(self, live: set[str]) -> None:
        """Delete table files (and temp files) a crash left outside the manifest."""
        for name in os.listdir(self._tables_dir):
            if name not in live:
                os.unlink(os.path.join(self._tables_dir, name))

    def _fsync(self, fd: int) -> None:
        self._os_fsync(fd)
        with self._stats_lock:
            self.stats.fsyncs += 1

    def _check_open(self) -> None:
        if self._closed:
            raise StorageError(f"the store at {self.path} is closed")
        if self._failed is not None:
            raise StorageError(f"an fsync failed earlier ({self._failed}); reopen the store")

    # -- reads ------------------------------------------------------------

    def _read_locked(self, address: bytes) -> bytes | None:
        data = self._journal.read(address)
        if data is None:
            for table in self._tables:
                loc = table.index.lookup(address)
                if loc is not None:
                    return table.read_at(address, *loc)
        return data

    def _has_locked(self, address: bytes) -> bool:
        if address in self._journal.index:
            return True
        return any(address in t.index for t in self._tables)

    def get(self, address: bytes) -> bytes | None:
        with self._lock:
            self._check_open()
            data = self._read_locked(address)
            if data is not None:
                self.stats.chunks_read += 1
            return data

    def get_many(self, addresses: Iterable[bytes]) -> dict[bytes, bytes]:
        with self._lock:
            self._check_open()
            found = {}
            for address in addresses:
                data = self._read_locked(address)
                if data is not None:
                    found[address] = data
            self.stats.chunks_read += len(found)
            return found

    def has(self, address: bytes) -> bool:
        with self._lock:
            self._check_open()
            return self._has_locked(address)

    def has_many(self, addresses: Iterable[bytes]) -> set[bytes]:
        with self._lock:
            self._check_open()
            has = self._has_locked
            return {a for a in addresses if has(a)}

    def root(self) -> bytes:
        return self._root

    def all_addresses(self) -> Iterator[bytes]:
        with self._lock:
            self._check_open()
            seen = set(self._journal.index)
            for table in self._tables:
                seen.update(table.index.addresses())
            return iter(list(seen))

    # -- writes -----------------------------------------------------------

    def put(self, data: bytes) -> bytes:
        data = bytes(data)
        address = address_of(data)
        with self._lock:
            self._check_open()
            if self._has_locked(address):
                return address
            self._journal.append_chunk(address, data)
            self.stats.chunks_written += 1
            self.stats.bytes_written += len(data)
            if self._journal.size >= self._flush_bytes:
                self._flush_locked()
        return address

    def commit(self, new_root: bytes, expected_root: bytes) -> bool:
        if len(new_root) != ADDRESS_SIZE:
            raise ValueError(f"a root is a {ADDRESS_SIZE}-byte address")
        with self._lock:
            self._check_open()
            if self._root != expected_root:
                return False
            self._journal.append_root(new_root)
            self._write_journal()
            self._root = new_root
            self.stats.commits += 1
            mine = self._written
        self._wait_durable(mine)
        if self._journal.size >= self._flush_bytes:  # unlocked peek; rechecked below
            with self._lock:
                if not self._closed and self._journal.size >= self._flush_bytes:
                    self._flush_locked()
        return True

    def append_log(self, log_id: bytes, entry: bytes) -> None:
        """Append ``entry`` to the durable log ``log_id`` (empty: start it over); returns once fsynced.

        Logs are small records beside the chunks (``storage.journal``, kind
        LOG): ``storage.pending`` keeps a branch's committed row edits there
        until they are written into prolly trees.  Group commit applies.
        """
        if len(log_id) != ADDRESS_SIZE:
            raise ValueError(f"a log id is a {ADDRESS_SIZE}-byte value")
        with self._lock:
            self._check_open()
            self._journal.append_log(log_id, entry)
            self._write_journal()
            mine = self._written
        self._wait_durable(mine)

    def logs(self) -> dict[bytes, list[bytes]]:
        """Every live log: id -> entries, oldest first."""
        with self._lock:
            return {i: list(e) for i, e in self._journal.logs.items()}

    def _write_journal(self) -> None:
        self._journal.write()
        self._written = self._log_base + self._journal.written

    def _wait_durable(self, offset: int) -> None:
        """Return once the journal is fsynced past logical ``offset`` (group commit)."""
        cond = self._sync_cond
        while True:
            with cond:
                while self._synced < offset and self._syncing:
                    cond.wait()
                if self._failed is not None:
                    raise StorageError(f"fsync of the journal failed: {self._failed}")
                if self._synced >= offset:
                    return
                self._syncing = True  # this thread leads the next fsync
            target = self._written  # everything written so far is covered by the fsync below
            error = None
            try:
                self._journal.sync()
            except BaseException as e:  # an fsync error leaves the file's state unknown
                error = e
            with cond:
                self._syncing = False
                if error is None:
                    self._synced = max(self._synced, target)
                else:
                    self._failed = error
                cond.notify_all()

    # -- flush, conjoin, retain -------------------------------------------

    def flush(self) -> None:
        """Move the journal's chunks into a table file and empty the journal."""
        with self._lock:
            self._check_open()
            self._flush_locked()

    def _journal_chunks(self, skip) -> Iterator[tuple[bytes, bytes]]:
        journal = self._journal
        for address, (offset, length) in sorted(journal.index.items(), key=lambda e: e[1][0]):
            if not skip(address):
                yield address, journal.read_at(address, offset, length)

    def _flush_locked(self) -> None:
        journal = self._journal
        if journal.size == 0:
            return
        self._write_journal()
        tables = self._tables

        def in_tables(address: bytes) -> bool:  # after a crash mid-flush
            return any(address in t.index for t in tables)

        new = []
        if any(not in_tables(a) for a in journal.index):
            name, count = persist_table_file(self._tables_dir, self._journal_chunks(in_tables),
                                             fsync=self._fsync)
            new = [self._open_table(name, count)]
        self._install(new + tables, [])
        if len(self._tables) > MAX_TABLES:
            self._rewrite_locked(None)

    def _install(self, tables: list[TableFileReader], dead: list[TableFileReader]) -> None:
        """Write the manifest for ``tables`` and the current root, then empty the journal."""
        self._manifests.write(Manifest.make(self._root, [(t.name, len(t)) for t in tables]))
        with self._sync_cond:  # the manifest made everything written durable
            self._synced = max(self._synced, self._written)
            self._log_base = self._written
        self._journal.reset()
        self._tables = tables
        live = {t.name for t in tables}
        for t in dead:
            t.close()
            if t.name not in live:
                os.unlink(t.path)
        if dead:
            fsync_dir(self._tables_dir, self._fsync)

    def _rewrite_locked(self, keep: set[bytes] | None) -> int:
        """Rewrite every chunk (in ``keep``, if given) into one table file; returns chunks dropped."""
        self._write_journal()
        journal, tables = self._journal, self._tables
        sources: dict[bytes, object] = {}
        dropped = 0
        for t in reversed(tables):  # oldest first: keeps the write order of old data
            for address, offset, length in sorted(t.index, key=lambda e: e[1]):
                if address not in sources:
                    sources[address] = (t, offset, length)
        for address, loc in journal.index.items():
            if address not in sources:
                sources[address] = (journal, *loc)
        if keep is not None:
            dead = [a for a in sources if a not in keep]
            for a in dead:
                del sources[a]
            dropped = len(dead)
            if not dropped and len(tables) <= 1 and journal.size == 0:
                return 0
        new = []
        if sources:
            chunks = ((a, src.read_at(a, off, n)) for a, (src, off, n) in sources.items())
            name, count = persist_table_file(self._tables_dir, chunks, fsync=self._fsync)
            new = [self._open_table(name, count)]
        self._install(new, tables)
        return dropped

    def retain(self, keep: set[bytes]) -> int:
        """Drop every chunk not in ``keep`` (garbage collection); returns how many went.

        Live chunks are rewritten into one table file, the manifest replaced,
        the journal emptied and the old table files deleted.
        """
        with self._lock:
            self._check_open()
            return self._rewrite_locked(keep)

    # -- checking ---------------------------------------------------------

    def verify_chunks(self) -> list[tuple[bytes, str]]:
        """Check every record's checksum and every chunk's sha256; returns (address, problem)s.

        Reads every chunk while holding the store lock (writers wait), so it
        is for fsck and tests, not for a busy server.
        """
        problems: list[tuple[bytes, str]] = []
        with self._lock:
            self._check_open()
            self._write_journal()
            journal = self._journal
            for address, (offset, length) in sorted(journal.index.items(), key=lambda e: e[1][0]):
                try:
                    data = journal.read_at(address, offset, length)
                except CorruptionError as e:
                    problems.append((address, str(e)))
                    continue
                if address_of(data) != address:
                    problems.append((address, f"{journal.path} at byte {offset}: chunk content "
                                              f"does not hash to its address {to_text(address)}"))
            for table in self._tables:
                for address, offset, length in sorted(table.index, key=lambda e: e[1]):
                    try:
                        data = table.read_at(address, offset, length)
                    except CorruptionError as e:
                        problems.append((address, str(e)))
                        continue
                    if address_of(data) != address:
                        problems.append((address, f"{table.path} at byte {offset}: chunk content "
                                                  f"does not hash to its address {to_text(address)}"))
        return problems

    def table_files(self) -> list[str]:
        """Names of the live table files, newest first."""
        with self._lock:
            return [t.name for t in self._tables]

    # -- closing ----------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            with self._sync_cond:
                while self._syncing:
                    self._sync_cond.wait()
            self._journal.close()
            for t in self._tables:
                t.close()
            self._release_lock()

    def __enter__(self) -> "DiskStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
