"""A remote in a directory: ``file:///path/to/dir``.

Why: the simplest remote, for backups, tests, and sharing a database over a
network file system, in exactly the layout a disk store flushes to, so
the same table files and manifest code serve both.

Layout::

    <dir>/
      manifest           storage.manifest encoding (text, lock last)
      manifest.lock      empty; flock'ed by update_manifest for its CAS
      <name>             table files, name = to_text(sha256(contents)[:20])
      .table-*.tmp       a put in progress (or interrupted: harmless)

Like Dolt's file remotes, the first write creates the directory (and its
parents) unless the backend was opened with ``create=False``; reading a
directory that does not exist yet finds no manifest, so "no database here"
and "nothing pushed here yet" look the same.

Durability and visibility: a table file is written to a temporary name,
fsynced, renamed to its content name and the directory fsynced, so a reader
(or a crash) sees no file or the whole file.  The manifest is replaced the
same way by ``storage.manifest.FileManifest``, whose ``update`` holds an
exclusive ``flock`` while it compares and writes: a compare-and-swap
between threads and processes on one host.  On network file systems that
is only as good as their flock (NFSv4 and most cluster file systems honour
it; some SMB setups do not).
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from typing import Callable

from storage.address import ZERO
from storage.manifest import FileManifest, Manifest
from storage.table_file import fsync_dir

from replication.backend import RemoteStats, check_manifest, check_table_file, check_table_file_name
from replication.errors import RemoteAccessError, RemoteResourceMissingError
from replication.remote_url import RemoteURL

# OS errors worth retrying: the same call may pass once the condition clears.
_RETRYABLE_ERRNOS = {errno.EAGAIN, errno.EINTR, errno.EBUSY, errno.ETIMEDOUT, errno.ESTALE}


class FileBackend:
    """A remote database stored in one directory (see the module docstring)."""

    def __init__(self, directory: str, *, create: bool = True,
                 fsync: Callable[[int], None] = os.fsync) -> None:
        self.directory = os.path.abspath(directory)
        self.url = str(RemoteURL("file", self.directory))
        self.create = create
        self.stats = RemoteStats()
        self._fsync = fsync
        self._manifest = FileManifest(self.directory, fsync=fsync)
        self._closed = False

    def __repr__(self) -> str:
        return f"FileBackend({self.url!r})"

    # -- manifest ---------------------------------------------------------

    def read_manifest(self) -> Manifest | None:
        self._check_open()
        self.stats.add()
        with self._os_errors("reading the manifest"):
            return self._manifest.read()

    def update_manifest(self, expected_lock: bytes | None, new: Manifest) -> bool:
        self._check_open()
        check_manifest(new)
        self._ensure_directory()
        self.stats.add()
        with self._os_errors("updating the manifest"):
            return self._manifest.update(ZERO if expected_lock is None else expected_lock, new)

    # -- table files ------------------------------------------------------

    def put_table_file(self, name: str, data: bytes) -> None:
        self._check_open()
        check_table_file(name, data)
        self._ensure_directory()
        self.stats.add()
        with self._os_errors(f"writing table file {name}"):
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".table-", suffix=".tmp")
            try:
                with open(fd, "wb") as f:
                    f.write(data)
                    f.flush()
                    self._fsync(f.fileno())
                os.replace(tmp, os.path.join(self.directory, name))
            except BaseException:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)
                raise
            fsync_dir(self.directory, self._fsync)
        self.stats.add(requests=0, written=len(data), files=1)

    def read_range(self, name: str, offset: int, length: int) -> bytes:
        self._check_open()
        check_table_file_name(name)
        if length < 0:
            raise ValueError(f"negative length {length}")
        self.stats.add()
        with self._os_errors(f"reading table file {name}"):
            try:
                fd = os.open(os.path.join(self.directory, name), os.O_RDONLY)
            except (FileNotFoundError, NotADirectoryError):
                raise self._missing_file(name) from None
            try:
                if offset < 0:
                    offset = max(0, os.fstat(fd).st_size - length)
                data = os.pread(fd, length, offset) if length else b""
            finally:
                os.close(fd)
        self.stats.add(requests=0, read=len(data))
        return data

    def read_ranges(self, requests: list[tuple[str, int, int]]) -> list[bytes]:
        # Local reads are page-cache copies: threads would add overhead, not speed.
        return [self.read_range(name, offset, length) for name, offset, length in requests]

    def table_file_exists(self, name: str) -> bool:
        self._check_open()
        check_table_file_name(name)
        self.stats.add()
        return os.path.isfile(os.path.join(self.directory, name))

    def delete_table_files(self, names: list[str]) -> None:
        self._check_open()
        for name in names:
            check_table_file_name(name)
        if not names:
            return
        self.stats.add()
        with self._os_errors("deleting table files"):
            for name in names:
                with contextlib.suppress(FileNotFoundError, NotADirectoryError):
                    os.unlink(os.path.join(self.directory, name))

    def close(self) -> None:
        self._closed = True

    # -- helpers ----------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise ValueError(f"{self!r} is closed")

    def _ensure_directory(self) -> None:
        if os.path.isdir(self.directory):
            return
        if not self.create:
            raise RemoteResourceMissingError(
                f"directory '{self.directory}'",
                f"directory '{self.directory}' does not exist (remote {self.url} was opened "
                "without create)")
        with self._os_errors("creating the remote directory"):
            os.makedirs(self.directory, exist_ok=True)
            # Make the new entry durable: the manifest's own fsync covers only its directory.
            fsync_dir(os.path.dirname(self.directory), self._fsync)

    def _missing_file(self, name: str) -> RemoteResourceMissingError:
        return RemoteResourceMissingError(f"table file '{name}' in {self.url}")

    @contextlib.contextmanager
    def _os_errors(self, doing: str):
        """Report OS failures as RemoteAccessError naming the remote and the step."""
        try:
            yield
        except OSError as e:
            raise RemoteAccessError(f"{self.url}: {doing}: {e}",
                                    retryable=e.errno in _RETRYABLE_ERRNOS,
                                    code=errno.errorcode.get(e.errno or 0, "")) from e
