"""The journal: an append-only log of chunks and roots, the disk store's write path.

Why a journal: a commit must be durable when it returns, and writing a whole
immutable table file (plus a manifest) per commit would cost several fsyncs
and rewrite data.  Instead every ``put`` appends a CHUNK record and every
``commit`` appends a ROOT record, then one ``fsync`` of this one file makes
the commit durable (and concurrent committers share it: group commit, see
``storage.disk_store``).  When the journal grows large the disk store moves
its chunks into a table file and starts an empty journal.

Record layout (all integers little-endian)::

    offset 0      4    5           9                      29           29+n       37+n
           +------+----+-----------+----------------------+------------+----------+
           |length|kind| hdr check |  address (20 bytes)  |  payload   | checksum |
           | u32  | u8 |    u32    |                      |  n=length  |   u64    |
           +------+----+-----------+----------------------+------------+----------+
           hdr check = low 32 bits of xxh3_64(bytes 0..5)   -- protects ``length``
           checksum  = xxh3_64(bytes 0..29+n) -- the whole record before it

    kind CHUNK (1): address = address_of(payload), payload = the chunk's bytes
    kind ROOT  (2): address = the new root, payload empty; ends one commit
    kind LOG   (3): address = a log's id, payload = one entry of that log (empty:
                    the log starts over); ends one commit, like ROOT

LOG records hold small durable logs beside the chunks: a database's committed
row edits that are not yet written into prolly trees (``storage.pending``).
The journal keeps every live log entry in memory (they are small and bounded
by their owner) and carries them into the new journal when it is emptied.

Invariants:

* A commit is durable exactly when its ROOT record is on disk (fsynced); the
  last ROOT record in the journal is the authority for the current root (when
  there is none, the manifest's root is).
* Replay never skips a bad record silently.  At the first bad record (header
  check fails, the length runs past the end of file, or the body checksum
  fails) it searches every later byte offset for a fully valid record.  If
  one exists, the bad record sits in the middle of good data: that is
  corruption, and ``CorruptionError`` names the record (index, byte offset,
  and address when the header is intact).  If none exists, the bad bytes are
  a torn tail left by a crash during an append, and are cut off.
* Torn-tail policy (which also removes the zeros the file is preallocated
  with): the file is truncated at the end of the last valid ROOT or LOG
  record, so CHUNK records after it (never committed) are dropped too.  The
  journal is then always a whole number of commits.
* Emptying a journal that holds live log entries writes a new journal holding
  just those entries beside it, fsyncs it and renames it over the old one, so
  a crash leaves either the old journal or the new one, never neither.

Known limits: after a power loss (not a process crash) a file system may
persist later unsynced pages but not earlier ones, leaving a hole followed by
valid but uncommitted records; replay reports that as corruption rather than
guessing.  A chunk whose payload embeds a valid journal record could make a
torn tail look like corruption (an error, never lost data).
"""

from __future__ import annotations

import os
import re
import struct
from typing import Callable

import xxhash

from storage.address import ADDRESS_SIZE, to_text
from storage.errors import CorruptionError

CHUNK = 1
ROOT = 2
LOG = 3
_KINDS = (CHUNK, ROOT, LOG)

_HEAD = struct.Struct("<IBI")  # length, kind, header check
HEADER_SIZE = _HEAD.size + ADDRESS_SIZE  # 29: everything before the payload
_SUM = struct.Struct("<Q")
RECORD_OVERHEAD = HEADER_SIZE + _SUM.size  # 37 bytes around each payload
_LEN_KIND = struct.Struct("<IB")

# put() appends to an in-memory buffer; it is written to the file at commit,
# or when it passes this size so a long import doesn't hold it all in memory.
# 1 MiB amortises the write syscall while staying small.
WRITE_BUFFER_BYTES = 1 << 20
# The file is grown ahead of its records in steps of this size (posix_fallocate):
# an fdatasync after writing into allocated space need not also commit a new
# file size and extent, which on ext4 here makes a small commit's sync ~25%
# cheaper (168 -> 127 us p50).  Replay cuts the unused tail off like a torn one.
PREALLOCATE_BYTES = 4 << 20

_xxh = xxhash.xxh3_64_intdigest
# A valid record's kind byte sits 4 bytes into it: candidates for the
# forward scan are the positions of those bytes, found by the regex engine
# instead of a Python loop over every offset.
_KIND_BYTE = re.compile(b"[\x01\x02\x03]")


def header_check(length: int, kind: int) -> int:
    """The 32-bit check stored after ``length`` and ``kind``."""
    return _xxh(_LEN_KIND.pack(length, kind)) & 0xFFFFFFFF


def encode_record(kind: int, address: bytes, payload: bytes = b"") -> bytes:
    """One journal record as bytes (see the layout in the module docstring)."""
    n = len(payload)
    body = b"".join((_HEAD.pack(n, kind, header_check(n, kind)), address, payload))
    return body + _SUM.pack(_xxh(body))


def _parse_at(data, pos: int, end: int):
    """Parse the record at ``pos``: (kind, address, payload_len, next_pos) or an error string."""
    if end - pos < RECORD_OVERHEAD:
        return "record header runs past the end of the journal"
    length, kind, check = _HEAD.unpack_from(data, pos)
    if kind not in _KINDS or check != header_check(length, kind):
        return "bad header check"
    stop = pos + HEADER_SIZE + length
    if stop + _SUM.size > end:
        return "record length runs past the end of the journal"
    (stored,) = _SUM.unpack_from(data, stop)
    if stored != _xxh(memoryview(data)[pos:stop]):
        return "bad record checksum"
    address = bytes(data[pos + _HEAD.size : pos + HEADER_SIZE])
    return kind, address, length, stop + _SUM.size


def find_valid_record(data, start: int) -> int | None:
    """The offset of the first fully valid record at or after ``start``, or None."""
    end = len(data)
    for m in _KIND_BYTE.finditer(data, start + 4):
        pos = m.start() - 4
        if end - pos < RECORD_OVERHEAD:
            return None
        if not isinstance(_parse_at(data, pos, end), str):
            return pos
    return None


class Replay:
    """What reading a journal found: its chunks, its last root, its valid end."""

    def __init__(self) -> None:
        self.index: dict[bytes, tuple[int, int]] = {}  # address -> (record offset, payload length)
        self.root: bytes | None = None  # last ROOT record's address; None if there is none
        self.logs: dict[bytes, list[bytes]] = {}  # log id -> live entries, oldest first
        self.records = 0
        self.committed_end = 0  # end of the last ROOT record
        self.valid_end = 0  # end of the last valid record
        self.torn_at: int | None = None  # where a torn tail began, if there was one


def replay(data, name: str = "journal") -> Replay:
    """Parse a whole journal image; raises CorruptionError for a bad record in the middle."""
    out = Replay()
    index = out.index
    pos, end, i = 0, len(data), 0
    while pos < end:
        parsed = _parse_at(data, pos, end)
        if isinstance(parsed, str):
            later = find_valid_record(data, pos + 1)
            if later is None:
                out.torn_at = pos
                break
            address = None
            where = f"{name} record #{i} at byte {pos}"
            if parsed not in ("bad header check", "record header runs past the end of the journal"):
                address = bytes(data[pos + _HEAD.size : pos + HEADER_SIZE])
                where += f" (address {to_text(address)})"
            raise CorruptionError(
                f"{where}: {parsed}; a valid record follows at byte {later}, so this is "
                "corruption, not a torn tail",
                where=where,
                address=address,
            )
        kind, address, length, nxt = parsed
        if kind == CHUNK:
            index.setdefault(address, (pos, length))
        else:
            if kind == ROOT:
                out.root = address
            elif length:
                start = pos + HEADER_SIZE
                out.logs.setdefault(address, []).append(bytes(data[start : start + length]))
            else:
                out.logs.pop(address, None)
            out.committed_end = nxt
        out.valid_end = nxt
        pos = nxt
        i += 1
    out.records = i
    return out


class Journal:
    """An open journal file: appends through a buffer, reads by address.

    Not thread-safe on its own: ``DiskStore`` calls it under its lock, except
    ``sync`` which may run concurrently with appends (that is the point).
    """

    def __init__(self, path: str, fsync: Callable[[int], None] = os.fsync) -> None:
        self.path = path
        self._fsync = fsync
        if os.path.exists(path + ".new"):  # a reset that crashed before its rename; the old file stands
            os.unlink(path + ".new")
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            with open(self._fd, "rb", closefd=False) as f:
                data = f.read()
            state = replay(data, path)
            # Cut a torn tail and any uncommitted chunks (see the docstring).
            if state.committed_end != len(data):
                os.ftruncate(self._fd, state.committed_end)
                fsync(self._fd)
                self.index = {a: loc for a, loc in state.index.items() if loc[0] < state.committed_end}
            else:
                self.index = state.index
        except BaseException:
            os.close(self._fd)
            raise
        self.root = state.root
        self.logs = state.logs
        self.replayed = state
        self.written = state.committed_end  # bytes of records in the file
        self._allocated = self.written  # bytes the file spans (records, then preallocated zeros)
        self._buf = bytearray()  # records not yet written; they start at self.written
        self.chunk_bytes = sum(n for _, n in self.index.values())

    # -- appending --------------------------------------------------------

    @property
    def size(self) -> int:
        """Bytes in the journal, written or still buffered."""
        return self.written + len(self._buf)

    def append_chunk(self, address: bytes, data: bytes) -> None:
        self.index[address] = (self.size, len(data))
        self.chunk_bytes += len(data)
        self._buf += encode_record(CHUNK, address, data)
        if len(self._buf) >= WRITE_BUFFER_BYTES:
            self.write()

    def append_root(self, root: bytes) -> None:
        self._buf += encode_record(ROOT, root)
        self.root = root

    def append_log(self, log_id: bytes, entry: bytes) -> None:
        """Append one entry to log ``log_id``; an empty ``entry`` starts the log over."""
        self._buf += encode_record(LOG, log_id, entry)
        if entry:
            self.logs.setdefault(log_id, []).append(bytes(entry))
        else:
            self.logs.pop(log_id, None)

    def write(self) -> int:
        """Write the buffer to the file (no fsync); returns the file's new end."""
        buf = self._buf
        if buf:
            end = self.written + len(buf)
            if end > self._allocated:
                self._preallocate(end)
            view = memoryview(buf)
            done = 0
            try:
                while done < len(buf):
                    done += os.pwrite(self._fd, view[done:], self.written + done)
            finally:
                view.release()
            self.written += len(buf)
            self._buf = bytearray()
        return self.written

    def _preallocate(self, end: int) -> None:
        size = max(end, self._allocated + PREALLOCATE_BYTES)
        try:
            os.posix_fallocate(self._fd, self._allocated, size - self._allocated)
        except OSError:  # not supported here: plain appends
            size = end
        self._allocated = size

    def sync(self) -> None:
        self._fsync(self._fd)

    def reset(self) -> None:
        """Empty the journal (its chunks are in a table file and the manifest is written).

        Live log entries are kept: they go into a fresh file renamed over this
        one (see the module docstring), which then holds only them.
        """
        self._buf = bytearray()
        carry = b"".join(encode_record(LOG, i, e) for i, entries in self.logs.items() for e in entries)
        if carry:
            tmp = self.path + ".new"
            fd = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
            try:
                view, done = memoryview(carry), 0
                while done < len(carry):
                    done += os.pwrite(fd, view[done:], done)
                self._fsync(fd)
                os.rename(tmp, self.path)
            except BaseException:
                os.close(fd)
                raise
            os.close(self._fd)
            self._fd = fd
            dir_fd = os.open(os.path.dirname(self.path) or ".", os.O_RDONLY)
            try:
                self._fsync(dir_fd)
            finally:
                os.close(dir_fd)
        else:
            os.ftruncate(self._fd, 0)
            self._fsync(self._fd)
        self.written = self._allocated = len(carry)
        self.index = {}
        self.chunk_bytes = 0
        self.root = None

    # -- reading ----------------------------------------------------------

    def read(self, address: bytes) -> bytes | None:
        loc = self.index.get(address)
        if loc is None:
            return None
        return self.read_at(address, *loc)

    def read_at(self, address: bytes, offset: int, length: int) -> bytes:
        """The payload of the CHUNK record at ``offset``, checksum verified."""
        n = length + RECORD_OVERHEAD
        if offset >= self.written:
            start = offset - self.written
            record = bytes(self._buf[start : start + n])
        else:
            record = os.pread(self._fd, n, offset)
        if len(record) != n or _SUM.unpack_from(record, n - 8)[0] != _xxh(memoryview(record)[:-8]):
            where = f"{self.path} record at byte {offset} (address {to_text(address)})"
            raise CorruptionError(f"{where}: bad record checksum", where=where, address=address)
        return record[HEADER_SIZE:-8]

    def close(self) -> None:
        if self._fd >= 0:
            if self._allocated > self.written:  # leave just the records (a crash leaves zeros: cut at replay)
                try:
                    os.ftruncate(self._fd, self.written)
                except OSError:
                    pass
            os.close(self._fd)
            self._fd = -1


__all__ = [
    "CHUNK",
    "LOG",
    "ROOT",
    "HEADER_SIZE",
    "RECORD_OVERHEAD",
    "Journal",
    "Replay",
    "encode_record",
    "find_valid_record",
    "header_check",
    "replay",
]
