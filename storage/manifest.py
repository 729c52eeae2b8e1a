"""The manifest: which table files make up a store, and its root at that point.

Why: table files are immutable and content-named, so the one mutable fact of
a table-file store is the list of live files plus the root.  The manifest
records it and is replaced whole, atomically: a reader sees the old
manifest or the new one, never a mix.  Remotes (issue 4) keep the same
value elsewhere (a DynamoDB item with a ``specs`` string, or this file on
a shared file system) and update it with a compare-and-swap on ``lock``.

Encoding: deterministic ASCII text, one fact per line, lock last::

    grove manifest 1                         <- format version
    root 0123456789abcdefghijklmnopqrstuv    <- to_text(root)
    table <name> <chunk count>               <- zero or more, newest first
    lock <to_text(lock)>

``lock`` = sha256[:20] of every byte before the ``lock`` line.  It names the
contents (two managers that write the same contents agree on the lock, so a
compare-and-swap on it is a compare-and-swap on the value) and doubles as a
checksum: decoding a manifest whose lock does not match raises
``CorruptionError``.

``specs`` form (DynamoDB): ``name:count:name:count`` ("" for no tables).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
from dataclasses import dataclass
from typing import Callable

from storage.address import ADDRESS_SIZE, ZERO, from_text, to_text
from storage.errors import CorruptionError
from storage.table_file import fsync_dir

FORMAT_VERSION = 1
_MAGIC = "grove manifest"


def _lock_of(body: bytes) -> bytes:
    return hashlib.sha256(body).digest()[:ADDRESS_SIZE]


@dataclass(frozen=True)
class Manifest:
    version: int
    root: bytes
    lock: bytes
    tables: tuple[tuple[str, int], ...]  # (table file name, chunk count), newest first

    @classmethod
    def make(cls, root: bytes, tables) -> "Manifest":
        """A current-version manifest with its lock computed."""
        tables = tuple((str(n), int(c)) for n, c in tables)
        return cls(FORMAT_VERSION, root, _lock_of(_body(FORMAT_VERSION, root, tables)), tables)

    def encode(self) -> bytes:
        return _body(self.version, self.root, self.tables) + f"lock {to_text(self.lock)}\n".encode()

    @classmethod
    def decode(cls, data: bytes, where: str = "manifest") -> "Manifest":
        """Parse and check a manifest; raises CorruptionError for anything malformed."""
        try:
            text = data.decode("ascii")
            lines = text.split("\n")
            if lines[-1] != "" or not lines[-2].startswith("lock "):
                raise ValueError("no lock line at the end")
            head = lines[0].split(" ")
            if " ".join(head[:2]) != _MAGIC or len(head) != 3:
                raise ValueError("not a grove manifest")
            version = int(head[2])
            if version != FORMAT_VERSION:
                raise ValueError(f"unknown manifest version {version}")
            kw, root_text = lines[1].split(" ")
            if kw != "root":
                raise ValueError("second line is not the root")
            tables = []
            for line in lines[2:-2]:
                kw, name, count = line.split(" ")
                if kw != "table" or not count.isdigit():
                    raise ValueError(f"bad table line {line!r}")
                tables.append((name, int(count)))
            lock = from_text(lines[-2][5:])
            m = cls(version, from_text(root_text), lock, tuple(tables))
        except (ValueError, UnicodeDecodeError, IndexError) as e:
            raise CorruptionError(f"{where}: cannot decode manifest: {e}", where=where) from None
        if _lock_of(_body(m.version, m.root, m.tables)) != lock:
            raise CorruptionError(f"{where}: manifest contents do not match its lock", where=where)
        if m.encode() != data:
            raise CorruptionError(f"{where}: manifest is not in canonical form", where=where)
        return m

    @property
    def specs(self) -> str:
        return ":".join(f"{n}:{c}" for n, c in self.tables)


def _body(version: int, root: bytes, tables) -> bytes:
    lines = [f"{_MAGIC} {version}", f"root {to_text(root)}"]
    lines += [f"table {n} {c}" for n, c in tables]
    return ("\n".join(lines) + "\n").encode("ascii")


def parse_specs(specs: str) -> tuple[tuple[str, int], ...]:
    """The inverse of ``Manifest.specs``."""
    if not specs:
        return ()
    parts = specs.split(":")
    if len(parts) % 2:
        raise ValueError(f"bad specs {specs!r}")
    return tuple((parts[i], int(parts[i + 1])) for i in range(0, len(parts), 2))


EMPTY = Manifest.make(ZERO, ())


class FileManifest:
    """The manifest as a file, replaced atomically (temp file, fsync, rename, fsync dir).

    ``update`` adds a compare-and-swap across processes: it holds an exclusive
    ``flock`` on ``<path>.lock`` while it reads, compares and writes.
    """

    def __init__(self, directory: str, name: str = "manifest", *,
                 fsync: Callable[[int], None] = os.fsync) -> None:
        self.directory = directory
        self.path = os.path.join(directory, name)
        self._fsync = fsync

    def read(self) -> Manifest | None:
        """The current manifest, or None if there is none yet."""
        try:
            with open(self.path, "rb") as f:
                data = f.read()
        except FileNotFoundError:
            return None
        return Manifest.decode(data, self.path)

    def write(self, manifest: Manifest) -> None:
        """Replace the manifest atomically and durably."""
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".manifest-", suffix=".tmp")
        try:
            with open(fd, "wb") as f:
                f.write(manifest.encode())
                f.flush()
                self._fsync(f.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
            raise
        fsync_dir(self.directory, self._fsync)

    def update(self, expected_lock: bytes, new: Manifest) -> bool:
        """Write ``new`` if the current lock is ``expected_lock`` (ZERO: no manifest yet)."""
        fd = os.open(self.path + ".lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            current = self.read()
            if (current.lock if current else ZERO) != expected_lock:
                return False
            self.write(new)
            return True
        finally:
            os.close(fd)  # releases the flock
