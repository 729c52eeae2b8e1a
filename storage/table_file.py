"""Table files: immutable, content-named files of chunks with a sorted index.

Why: the journal is cheap to append to but must be replayed on open; a table
file is written once (when the journal is flushed, or by garbage collection)
and opened by reading only its footer and index, however many chunks it
holds.  The same bytes work on local disk (``TableFileReader`` uses
``os.pread``) and in an object store (a remote reader fetches the footer with
one range read, the index with a second, and each chunk with a third; the
pure functions ``parse_footer``, ``TableIndex.from_bytes`` and
``decode_record`` are all it needs).

Layout (integers little-endian unless said)::

    0 +--------------------------------------------------------+
      | record: chunk bytes (length L) | u64 xxh3_64(chunk)     |  one per chunk,
      | record: ...                                             |  in written order
      +--------------------------------------------------------+ index offset
      | index: n entries sorted by address, stored by column    |
      |   n x 8 B   address[0:8]   (big-endian: the sort key)   |
      |   n x 12 B  address[8:20]                               |
      |   n x u64   record offset                               |
      |   n x u32   chunk length L (the record is L + 8 bytes)  |
      +--------------------------------------------------------+ size - FOOTER_SIZE
      | footer (32 B): u32 chunk count | u64 index offset |     |
      |   u64 xxh3_64(index) | u32 format version | 8 B magic   |
      +--------------------------------------------------------+

The index is columnar (32 bytes per entry, as address/offset/length would
be) so loading it is four slices and ``array.frombytes``: no Python loop per
entry.  Lookups bisect the array of 8-byte prefixes, then compare suffixes.

Invariants: a table file's name is ``to_text(sha256(contents)[:20])``, so a
name never refers to two different files and a copy can be checked; files
are never modified after they are named; every chunk read is checked
against its xxh3 checksum (a mismatch raises ``CorruptionError`` naming the
file, offset and address).  Duplicate addresses are written once.
"""

from __future__ import annotations

import hashlib
import os
import struct
import sys
import tempfile
from array import array
from bisect import bisect_left
from dataclasses import dataclass
from typing import BinaryIO, Callable, Iterable, Iterator

import xxhash

from storage.address import ADDRESS_SIZE, to_text
from storage.errors import CorruptionError

FORMAT_VERSION = 1
MAGIC = b"GROVETBL"
_FOOTER = struct.Struct("<IQQI8s")
FOOTER_SIZE = _FOOTER.size  # 32
ENTRY_SIZE = 8 + 12 + 8 + 4  # index bytes per chunk
CHECKSUM_SIZE = 8  # the xxh3 after each chunk
_PREFIX = 8  # bytes of the address kept in the bisected prefix column
_SUM = struct.Struct("<Q")
_xxh = xxhash.xxh3_64_intdigest
_LITTLE = sys.byteorder == "little"

assert array("Q").itemsize == 8 and array("I").itemsize == 4


def index_size(count: int) -> int:
    """Bytes of the index of a table file with ``count`` chunks."""
    return count * ENTRY_SIZE


@dataclass(frozen=True)
class Footer:
    count: int
    index_offset: int
    index_checksum: int
    version: int

    @property
    def index_length(self) -> int:
        return index_size(self.count)

    @property
    def file_size(self) -> int:
        return self.index_offset + self.index_length + FOOTER_SIZE


def parse_footer(data: bytes, *, file_size: int | None = None, name: str = "table file") -> Footer:
    """Decode the last ``FOOTER_SIZE`` bytes of a table file; checks magic, version, sizes."""
    if len(data) < FOOTER_SIZE:
        raise CorruptionError(f"{name}: shorter than a footer", where=name)
    count, index_offset, checksum, version, magic = _FOOTER.unpack_from(data, len(data) - FOOTER_SIZE)
    if magic != MAGIC:
        raise CorruptionError(f"{name}: bad magic {magic!r}; not a table file", where=name)
    if version != FORMAT_VERSION:
        raise CorruptionError(f"{name}: unknown table file format version {version}", where=name)
    footer = Footer(count, index_offset, checksum, version)
    if file_size is not None and footer.file_size != file_size:
        raise CorruptionError(
            f"{name}: footer says {footer.file_size} bytes ({count} chunks, index at "
            f"{index_offset}) but the file has {file_size}",
            where=name,
        )
    return footer


def _le(arr: array) -> array:
    if not _LITTLE:
        arr.byteswap()
    return arr


class TableIndex:
    """The sorted index of one table file: lookup by address, iteration in address order."""

    __slots__ = ("count", "_prefixes", "_heads", "_tails", "_offsets", "_lengths", "_window")

    def __init__(self, heads: bytes, tails: bytes, offsets: array, lengths: array) -> None:
        self.count = len(offsets)
        self._heads = heads
        self._tails = tails
        self._offsets = offsets
        self._lengths = lengths
        prefixes = array("Q")
        prefixes.frombytes(heads)
        if _LITTLE:
            prefixes.byteswap()  # stored big-endian so numeric order is address order
        self._prefixes = prefixes
        # The k-th of n uniform values strays about sqrt(n)/2 entries from
        # k; four times that (plus slack for tiny tables) almost never misses.
        self._window = 16 + 2 * int(self.count**0.5)

    @classmethod
    def from_bytes(cls, data: bytes, count: int | None = None, *, checksum: int | None = None,
                   name: str = "table file") -> "TableIndex":
        """Parse index bytes; verifies ``checksum`` (from the footer) when given."""
        if checksum is not None and _xxh(data) != checksum:
            raise CorruptionError(f"{name}: index checksum mismatch", where=name)
        if count is None:
            count, rest = divmod(len(data), ENTRY_SIZE)
        else:
            rest = len(data) - index_size(count)
        if rest:
            raise CorruptionError(f"{name}: index is {len(data)} bytes, not whole entries", where=name)
        a, b, c = count * 8, count * 20, count * 28
        offsets, lengths = array("Q"), array("I")
        offsets.frombytes(data[b:c])
        lengths.frombytes(data[c:])
        # Sortedness is the writer's invariant; the checksum guards the bytes.
        return cls(bytes(data[:a]), bytes(data[a:b]), _le(offsets), _le(lengths))

    @classmethod
    def build(cls, entries: list[tuple[bytes, int, int]]) -> "TableIndex":
        """An index from (address, offset, length) entries in any order."""
        entries = sorted(entries)
        return cls(
            b"".join(e[0][:_PREFIX] for e in entries),
            b"".join(e[0][_PREFIX:] for e in entries),
            array("Q", [e[1] for e in entries]),
            array("I", [e[2] for e in entries]),
        )

    def to_bytes(self) -> bytes:
        return b"".join((self._heads, self._tails, _le(array("Q", self._offsets)).tobytes(),
                         _le(array("I", self._lengths)).tobytes()))

    def __len__(self) -> int:
        return self.count

    def _find(self, address: bytes) -> int:
        p = int.from_bytes(address[:_PREFIX], "big")
        prefixes = self._prefixes
        n = self.count
        # Addresses are uniform hashes, so entry p * n / 2**64 is close to the
        # answer; bisect a window around it, widening to all when it misses.
        guess = (p * n) >> 64
        lo, hi = guess - self._window, guess + self._window
        if lo <= 0 or prefixes[lo - 1] >= p:
            lo = 0
        if hi >= n or prefixes[hi] < p:
            hi = n
        i = bisect_left(prefixes, p, lo, hi)
        tail = address[_PREFIX:]
        while i < n and prefixes[i] == p:
            if self._tails[i * 12 : i * 12 + 12] == tail:
                return i
            i += 1
        return -1

    def lookup(self, address: bytes) -> tuple[int, int] | None:
        """(record offset, chunk length) of ``address``, or None."""
        i = self._find(address)
        return None if i < 0 else (self._offsets[i], self._lengths[i])

    def __contains__(self, address: bytes) -> bool:
        return self._find(address) >= 0

    def address(self, i: int) -> bytes:
        return self._heads[i * 8 : i * 8 + 8] + self._tails[i * 12 : i * 12 + 12]

    def __iter__(self) -> Iterator[tuple[bytes, int, int]]:
        """(address, offset, length) in address order."""
        heads, tails, offsets, lengths = self._heads, self._tails, self._offsets, self._lengths
        for i in range(self.count):
            yield heads[i * 8 : i * 8 + 8] + tails[i * 12 : i * 12 + 12], offsets[i], lengths[i]

    def addresses(self) -> list[bytes]:
        heads, tails = self._heads, self._tails
        return [heads[i * 8 : i * 8 + 8] + tails[i * 12 : i * 12 + 12] for i in range(self.count)]

    @property
    def data_bytes(self) -> int:
        return sum(self._lengths)


def decode_record(record: bytes, *, name: str, offset: int, address: bytes) -> bytes:
    """The chunk inside a record read from ``offset`` (chunk + checksum); verifies the checksum."""
    if len(record) < CHECKSUM_SIZE or _SUM.unpack_from(record, len(record) - CHECKSUM_SIZE)[0] != _xxh(
        memoryview(record)[:-CHECKSUM_SIZE]
    ):
        where = f"{name} at byte {offset}"
        raise CorruptionError(
            f"{where}: checksum mismatch for chunk {to_text(address)}", where=where, address=address
        )
    return record[:-CHECKSUM_SIZE]


class TableFileWriter:
    """Streams chunk records to a binary file object, then the index and footer.

    ``finish()`` returns (name, chunk count); the name hashes every byte written.
    """

    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self._sha = hashlib.sha256()
        self._entries: list[tuple[bytes, int, int]] = []
        self._seen: set[bytes] = set()
        self._offset = 0

    def _emit(self, data: bytes) -> None:
        self._out.write(data)
        self._sha.update(data)
        self._offset += len(data)

    def add(self, address: bytes, data: bytes) -> None:
        if address in self._seen:
            return
        if len(address) != ADDRESS_SIZE:
            raise ValueError("an address is 20 bytes")
        self._seen.add(address)
        self._entries.append((address, self._offset, len(data)))
        self._emit(data)
        self._emit(_SUM.pack(_xxh(data)))

    def finish(self) -> tuple[str, int]:
        index = TableIndex.build(self._entries).to_bytes()
        count = len(self._entries)
        footer = _FOOTER.pack(count, self._offset, _xxh(index), FORMAT_VERSION, MAGIC)
        self._emit(index)
        self._emit(footer)
        return to_text(self._sha.digest()[:ADDRESS_SIZE]), count


def write_table_file(chunks: Iterable[tuple[bytes, bytes]]) -> tuple[str, bytes]:
    """An in-memory table file: (name, contents) for (address, data) pairs."""
    import io

    buf = io.BytesIO()
    writer = TableFileWriter(buf)
    for address, data in chunks:
        writer.add(address, data)
    name, _ = writer.finish()
    return name, buf.getvalue()


def fsync_dir(directory: str, fsync: Callable[[int], None] = os.fsync) -> None:
    """Make a rename or create in ``directory`` durable."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        fsync(fd)
    finally:
        os.close(fd)


def persist_table_file(directory: str, chunks: Iterable[tuple[bytes, bytes]], *,
                       fsync: Callable[[int], None] = os.fsync) -> tuple[str, int]:
    """Write a table file into ``directory`` durably; returns (name, chunk count).

    Written under a temporary name, fsynced, renamed to its content name, and
    the directory fsynced: a crash leaves either no file or a whole one (a
    stray ``*.tmp`` at worst).
    """
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".table-", suffix=".tmp")
    try:
        with open(fd, "wb", buffering=1 << 20) as f:
            writer = TableFileWriter(f)
            for address, data in chunks:
                writer.add(address, data)
            name, count = writer.finish()
            f.flush()
            fsync(f.fileno())
        os.replace(tmp, os.path.join(directory, name))
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    fsync_dir(directory, fsync)
    return name, count


class TableFileReader:
    """A local table file opened by reading its footer and index only.

    Thread-safe for reads (``os.pread`` has no shared file position).
    ``bytes_read`` counts every byte read, so tests can check what opening costs.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.name = os.path.basename(path)
        self._fd = os.open(path, os.O_RDONLY)
        try:
            size = os.fstat(self._fd).st_size
            self.bytes_read = 0
            self.footer = parse_footer(self._pread(FOOTER_SIZE, size - FOOTER_SIZE) if size >= FOOTER_SIZE
                                       else b"", file_size=size, name=path)
            f = self.footer
            self.index = TableIndex.from_bytes(self._pread(f.index_length, f.index_offset), f.count,
                                               checksum=f.index_checksum, name=path)
        except BaseException:
            os.close(self._fd)
            raise
        self.size = size

    def _pread(self, n: int, offset: int) -> bytes:
        data = os.pread(self._fd, n, offset)
        self.bytes_read += len(data)
        return data

    def __len__(self) -> int:
        return self.index.count

    def __contains__(self, address: bytes) -> bool:
        return address in self.index

    def read(self, address: bytes) -> bytes | None:
        loc = self.index.lookup(address)
        if loc is None:
            return None
        return self.read_at(address, *loc)

    def read_at(self, address: bytes, offset: int, length: int) -> bytes:
        record = self._pread(length + CHECKSUM_SIZE, offset)
        return decode_record(record, name=self.path, offset=offset, address=address)

    def chunks(self) -> Iterator[tuple[bytes, bytes]]:
        """Every (address, chunk) in file order, checksums verified."""
        for address, offset, length in sorted(self.index, key=lambda e: e[1]):
            yield address, self.read_at(address, offset, length)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
