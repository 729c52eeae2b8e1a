"""The narrow interface to a remote: one manifest plus immutable table files.

Why this shape: a remote holds exactly what a disk store holds after a
flush, in the same formats (``storage.table_file``, ``storage.manifest``),
so pushing is "upload the table files the remote lacks, then swap the
manifest" and pulling is the reverse.  A backend is the pair Dolt calls a
manifest + table persister; everything else (which files to ship, rebasing
after a lost race, caching, compaction) lives above it, in code written once
for every backend.

    remote (one database)
    +--------------------------------------------------------------+
    | manifest   version | root | lock | tables (name, count)...   |  mutable: replaced whole,
    |                                                              |  only by compare-and-swap
    +--------------------------------------------------------------+
    | table file <name>   (name = to_text(sha256(contents)[:20]))  |  immutable, content-named:
    | table file <name>                                            |  written once, read by
    | ...                                                          |  byte ranges
    +--------------------------------------------------------------+

Ordering rule for writers: every table file a manifest lists is put (and
visible) before the manifest naming it is swapped in, so a reader that sees
a manifest can read all of its files.  Table files that no manifest lists
(a push that lost its race) are harmless garbage.

Implementations: ``file_backend.FileBackend`` (a directory) and
``aws_backend.AwsBackend`` (DynamoDB item + S3 objects).  ``open_backend``
picks one by URL scheme.  Backends are thread-safe.
"""

from __future__ import annotations

import threading
from typing import Protocol, runtime_checkable

from storage.address import address_of, is_text_address, to_text
from storage.manifest import Manifest

from replication.remote_url import RemoteURL, parse_remote_url


class RemoteStats:
    """What a backend has done, counted under a lock (backends are shared by threads).

    ``bytes_read`` / ``bytes_written`` count table-file payload only (what
    ``read_range(s)`` returned and ``put_table_file`` sent); manifests are
    small and counted in ``requests`` alone.  ``requests`` counts every call
    to the remote (one per range read, file put, existence check, manifest
    read or update, delete batch) — not retries inside an SDK.
    """

    __slots__ = ("_lock", "bytes_read", "bytes_written", "requests", "files_written")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.bytes_read = self.bytes_written = self.requests = self.files_written = 0

    def add(self, *, requests: int = 1, read: int = 0, written: int = 0, files: int = 0) -> None:
        with self._lock:
            self.requests += requests
            self.bytes_read += read
            self.bytes_written += written
            self.files_written += files

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return {"requests": self.requests, "bytes_read": self.bytes_read,
                    "bytes_written": self.bytes_written, "files_written": self.files_written}

    def reset(self) -> None:
        with self._lock:
            self.bytes_read = self.bytes_written = self.requests = self.files_written = 0

    def __repr__(self) -> str:
        return f"RemoteStats({self.snapshot()})"


@runtime_checkable
class Backend(Protocol):
    url: str  # canonical remote URL (``str(RemoteURL)``)
    stats: RemoteStats

    def read_manifest(self) -> Manifest | None:
        """The current manifest, or None if no database exists at this path yet.

        Always current: reflects every ``update_manifest`` that returned True
        before this call began, from any process (strongly consistent read).
        """

    def update_manifest(self, expected_lock: bytes | None, new: Manifest) -> bool:
        """Replace the manifest with ``new`` if its lock is still ``expected_lock``.

        ``expected_lock`` None means "no manifest may exist yet".  Returns
        False, changing nothing, when the current lock differs (or a manifest
        exists when None was expected).  All or nothing: a reader sees the
        old manifest or ``new``, never a mix.  Durable when it returns True.
        """

    def put_table_file(self, name: str, data: bytes) -> None:
        """Store a table file under its content name; visible to every reader
        and durable once this returns.  Idempotent: a name always means the
        same bytes, so putting it again is harmless.  Raises ValueError if
        ``name`` is not ``to_text(sha256(data)[:20])``.
        """

    def read_range(self, name: str, offset: int, length: int) -> bytes:
        """``length`` bytes of table file ``name`` from ``offset``, in one request.

        A negative ``offset`` means "the last ``length`` bytes" (footers).
        Returns fewer bytes only where the file ends first (callers check
        sizes against the footer).  Raises RemoteResourceMissingError if the
        file does not exist.
        """

    def read_ranges(self, requests: list[tuple[str, int, int]]) -> list[bytes]:
        """``read_range`` for each (name, offset, length), results in request order.

        Remote backends issue them in parallel; the first failure is raised.
        """

    def table_file_exists(self, name: str) -> bool:
        """True if table file ``name`` is stored (one request)."""

    def delete_table_files(self, names: list[str]) -> None:
        """Delete table files, ignoring absent ones; best effort, not atomic.

        Only for files no manifest lists any longer (after compaction): a
        reader holding an older manifest may still want them, so callers
        delete late.
        """

    def close(self) -> None:
        """Release connections and threads.  Further calls are errors."""


def check_table_file(name: str, data: bytes) -> None:
    """Raise ValueError unless ``name`` is the content name of ``data``.

    Guards the remote's one invariant (a name never means two contents) and
    keeps names safe as file names and keys.  Hashing costs ~1 ms per MiB,
    small next to sending the bytes.
    """
    if not is_text_address(name):
        raise ValueError(f"{name!r} is not a table file name")
    if to_text(address_of(data)) != name:
        raise ValueError(f"table file {name} does not match its contents")


def check_manifest(manifest: Manifest) -> None:
    """Raise ValueError unless ``manifest`` is current-version and its lock matches.

    A remote stores what it is given; a manifest with a wrong lock would be
    unreadable (and unswappable) for every client after it.
    """
    if Manifest.make(manifest.root, manifest.tables) != manifest:
        raise ValueError("manifest lock does not match its contents (build it with Manifest.make)")


def check_table_file_name(name: str) -> None:
    """Raise ValueError unless ``name`` looks like a table file name (no paths)."""
    if not is_text_address(name):
        raise ValueError(f"{name!r} is not a table file name")


def open_backend(url: str | RemoteURL, *, create: bool = True, **options) -> Backend:
    """The backend for a remote URL (see ``remote_url``).

    ``create`` applies to file:// only: whether writing may create the
    directory (AWS resources are never created).  ``options`` go to the
    backend's constructor (``AwsBackend`` takes timeouts and retry counts).
    """
    parsed = parse_remote_url(url)
    if parsed.scheme == "file":
        from replication.file_backend import FileBackend

        return FileBackend(parsed.path, create=create, **options)
    # Imported here so that boto3 (slow to import) loads only for aws remotes.
    from replication.aws_backend import AwsBackend

    return AwsBackend(parsed.table, parsed.bucket, parsed.path, **options)
