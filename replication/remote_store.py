"""A remote seen as a chunk store: table-file indexes, batched range reads, one file per push.

Why: a remote (``replication.backend``) only knows whole table files and one
manifest.  Push, fetch, clone and read replicas need chunk-level questions
answered: "which of these addresses does the remote hold?" and "give me these
chunks".  ``RemoteStore`` answers them from the table files' indexes, which
it loads once per file (files are immutable, so an index never goes stale)::

    manifest (root, lock, [(name, count), ...])     one consistent read
        |
        +-- per table file, ONE suffix range read: index + footer
        |   (the manifest gives the chunk count, so the index length
        |    count * 32 is known before reading anything)
        |
        +-- get_many(addresses): locate each address in some index,
            group by file, coalesce neighbouring records (gaps up to
            COALESCE_GAP bytes) into one range read, run the reads in
            parallel (backend.read_ranges), verify each record's xxh3
            and each chunk's address (sha256) before handing it out.

Writes go the other way: ``write_table_file`` streams chunks into one
content-named table file, uploads it, and returns its (name, count) for the
manifest; ``publish`` moves the manifest with a compare-and-swap on the lock
that was read.  Nothing here decides *what* to write: that is ``sync``.

Invariant kept by every writer (``sync``): a manifest lists only files that
were fully uploaded before it, and a chunk is in the remote only together
with everything it reaches, so "the remote has X" means "the remote has X's
whole subtree" and walks can stop there.
"""

from __future__ import annotations

import tempfile
import threading
from typing import Iterable

from storage.address import ZERO, address_of, to_text
from storage.errors import ChunkNotFoundError, CorruptionError
from storage.manifest import Manifest
from storage.refs import RefMap
from storage.table_file import (
    CHECKSUM_SIZE,
    FOOTER_SIZE,
    TableFileWriter,
    TableIndex,
    decode_record,
    index_size,
    parse_footer,
)

# Records closer than this in one file are read with one request: a request
# costs far more (a round trip) than a few KiB of extra bytes.
COALESCE_GAP = 64 * 1024
# One range read carries at most this much, so a big fetch stays parallel.
MAX_READ = 8 * 1024 * 1024


class RemoteStore:
    """Read chunks from, and publish table files to, one remote database."""

    def __init__(self, backend) -> None:
        self.backend = backend
        self.manifest: Manifest | None = None
        self._indexes: dict[str, TableIndex] = {}
        self._live: list[str] = []  # table files of the current manifest, newest first
        self._refs: tuple[bytes, RefMap] = (ZERO, RefMap())
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        return self.backend.url

    # --- the manifest and the indexes -------------------------------------------------

    def refresh(self, manifest: Manifest | None | bool = False) -> Manifest | None:
        """Re-read the manifest (or take one just read) and load the indexes of files not seen before."""
        if manifest is False:
            manifest = self.backend.read_manifest()
        self._load(manifest.tables if manifest else ())
        self.manifest = manifest
        return manifest

    def _load(self, tables: Iterable[tuple[str, int]]) -> None:
        tables = list(tables)
        new = [(n, c) for n, c in tables if n not in self._indexes]
        if new:
            blobs = self.backend.read_ranges([(n, -(index_size(c) + FOOTER_SIZE), index_size(c) + FOOTER_SIZE)
                                              for n, c in new])
            for (name, count), blob in zip(new, blobs):
                footer = parse_footer(blob, name=name)
                if footer.count != count:
                    raise CorruptionError(f"remote table file {name}: footer says {footer.count} chunks, "
                                          f"the manifest {count}", where=name)
                index = TableIndex.from_bytes(blob[:-FOOTER_SIZE], count, checksum=footer.index_checksum,
                                              name=name)
                with self._lock:
                    self._indexes[name] = index
        self._live = [n for n, _ in tables]

    def add_file(self, name: str, index: TableIndex) -> None:
        """Know a file this process just wrote (its index is in hand) without reading it back."""
        with self._lock:
            self._indexes[name] = index

    def know_refs(self, root: bytes, refs: RefMap) -> None:
        """Remember the ref map at ``root`` (one this process just wrote): no read-back."""
        self._refs = (root, refs)

    def root(self) -> bytes:
        return self.manifest.root if self.manifest else ZERO

    def refs(self) -> RefMap:
        """The remote's ref map at the last refresh (empty for a new remote)."""
        root = self.root()
        if root == ZERO:
            return RefMap()
        if self._refs[0] != root:
            self._refs = (root, RefMap.decode(self.get_required(root, "the remote's ref map")))
        return self._refs[1]

    # --- reads -------------------------------------------------------------------------

    def _locate(self, address: bytes, files: list[str]) -> tuple[str, int, int] | None:
        for name in files:
            hit = self._indexes[name].lookup(address)
            if hit is not None:
                return name, hit[0], hit[1]
        return None

    def has_many(self, addresses: Iterable[bytes], extra: Iterable[str] = ()) -> set[bytes]:
        """The addresses some live table file (or one of ``extra`` files) holds."""
        files = list(extra) + self._live
        indexes = [self._indexes[n] for n in files]
        return {a for a in addresses if any(a in ix for ix in indexes)}

    def has(self, address: bytes) -> bool:
        return bool(self.has_many([address]))

    def get_many(self, addresses: Iterable[bytes]) -> dict[bytes, bytes]:
        """Chunks by address (absent ones are left out), fetched in few parallel range reads."""
        per_file: dict[str, list[tuple[int, int, bytes]]] = {}
        for a in set(addresses):
            where = self._locate(a, self._live)
            if where is not None:
                per_file.setdefault(where[0], []).append((where[1], where[2], a))
        requests: list[tuple[str, int, int]] = []
        members: list[list[tuple[int, int, bytes]]] = []
        for name, recs in per_file.items():
            recs.sort()
            start = end = 0
            group: list[tuple[int, int, bytes]] = []
            for off, length, a in recs:
                rec_end = off + length + CHECKSUM_SIZE
                if group and (off - end > COALESCE_GAP or rec_end - start > MAX_READ):
                    requests.append((name, start, end - start))
                    members.append(group)
                    group = []
                if not group:
                    start, end = off, rec_end
                else:
                    end = max(end, rec_end)
                group.append((off, length, a))
            requests.append((name, start, end - start))
            members.append(group)
        out: dict[bytes, bytes] = {}
        if not requests:
            return out
        for (name, start, _), blob, group in zip(requests, self.backend.read_ranges(requests), members):
            for off, length, a in group:
                rel = off - start
                data = decode_record(blob[rel:rel + length + CHECKSUM_SIZE], name=name, offset=off, address=a)
                if address_of(data) != a:
                    raise CorruptionError(f"remote table file {name} at byte {off}: chunk does not hash to "
                                          f"{to_text(a)}", where=name, address=a)
                out[a] = data
        return out

    def get(self, address: bytes) -> bytes | None:
        return self.get_many([address]).get(address)

    def get_required(self, address: bytes, what: str) -> bytes:
        data = self.get(address)
        if data is None:
            raise ChunkNotFoundError(address, f"{what} at {self.url}")
        return data

    # --- writes ------------------------------------------------------------------------

    def write_table_file(self, chunks: Iterable[tuple[bytes, bytes]]) -> tuple[str, int, int]:
        """Upload one table file of ``chunks``; returns (name, chunk count, bytes)."""
        with tempfile.TemporaryFile(prefix="grove-push-") as f:
            writer = TableFileWriter(f)
            for address, data in chunks:
                writer.add(address, data)
            name, count = writer.finish()
            size = f.tell()
            f.seek(0)
            data = f.read()
        self.backend.put_table_file(name, data)
        footer = parse_footer(data, name=name)
        index = TableIndex.from_bytes(data[footer.index_offset:len(data) - FOOTER_SIZE], count, name=name)
        self.add_file(name, index)
        return name, count, size

    def table_file_chunks(self, name: str) -> list[tuple[bytes, bytes]]:
        """Every chunk of one table file (for compaction), in one read."""
        index = self._indexes[name]
        size = index.data_bytes + CHECKSUM_SIZE * len(index)
        blob = self.backend.read_range(name, 0, size) if size else b""
        out = []
        for a, off, length in index:
            out.append((a, decode_record(blob[off:off + length + CHECKSUM_SIZE], name=name, offset=off, address=a)))
        return out

    def publish(self, expected: Manifest | None, new: Manifest) -> bool:
        """Compare-and-swap the manifest; on success this store follows the new one."""
        if not self.backend.update_manifest(expected.lock if expected else None, new):
            return False
        self._load(new.tables)
        self.manifest = new
        return True

    def close(self) -> None:
        self.backend.close()

