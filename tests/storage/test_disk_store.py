"""The disk store: flushes, group commit, manifests, table-file checksums, GC, locking."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from storage import disk_store, table_file
from storage.address import ZERO, address_of, from_text, to_text
from storage.disk_store import MAX_TABLES, DiskStore, lock_holder
from storage.errors import CorruptionError, StoreLockedError
from storage.manifest import EMPTY, FileManifest, Manifest, parse_specs
from storage.table_file import (
    FOOTER_SIZE,
    TableFileReader,
    TableIndex,
    index_size,
    parse_footer,
    write_table_file,
)

ROOT_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def chunk(i: int, size: int = 200) -> bytes:
    return f"chunk {i} ".encode().ljust(size, b"~")


def tables_dir(path) -> str:
    return os.path.join(path, ".grove", "tables")


# -- table files as bytes (what a remote reader sees) ------------------------


def test_table_file_from_bytes_only():
    chunks = {address_of(chunk(i, 10 + i)): chunk(i, 10 + i) for i in range(100)}
    name, data = write_table_file(list(chunks.items()) + list(chunks.items())[:5])  # duplicates dropped
    assert from_text(name) == hashlib.sha256(data).digest()[:20]
    footer = parse_footer(data[-FOOTER_SIZE:], file_size=len(data))
    assert footer.count == 100
    index_bytes = data[footer.index_offset : footer.index_offset + index_size(footer.count)]
    index = TableIndex.from_bytes(index_bytes, footer.count, checksum=footer.index_checksum)
    listed = list(index)
    assert [e[0] for e in listed] == sorted(chunks)
    for address, expected in chunks.items():
        offset, length = index.lookup(address)
        record = data[offset : offset + length + table_file.CHECKSUM_SIZE]
        assert table_file.decode_record(record, name=name, offset=offset, address=address) == expected
    assert index.lookup(address_of(b"absent")) is None
    with pytest.raises(CorruptionError):
        TableIndex.from_bytes(index_bytes[:-1] + bytes([index_bytes[-1] ^ 1]), footer.count, checksum=footer.index_checksum)
    with pytest.raises(CorruptionError):
        parse_footer(data[-FOOTER_SIZE:], file_size=len(data) + 1)


# -- flush and reopen ---------------------------------------------------------


def test_flush_and_reopen_reads_only_indexes(tmp_path, monkeypatch):
    addresses = []
    with DiskStore.open(tmp_path, journal_flush_bytes=20_000) as store:
        root = ZERO
        for i in range(300):
            a = store.put(chunk(i))
            addresses.append(a)
            if i % 10 == 9:
                assert store.commit(a, root)
                root = a
        store.flush()
        assert os.path.getsize(tmp_path / ".grove" / "journal") == 0
        names = store.table_files()
    assert 1 < len(names) <= MAX_TABLES + 1

    read = []
    real_pread = os.pread
    monkeypatch.setattr(os, "pread", lambda fd, n, off: read.append(n) or real_pread(fd, n, off))
    with DiskStore.open(tmp_path) as store:
        counts = [len(TableFileReader(os.path.join(tables_dir(tmp_path), n))) for n in names]
        # Opening read each footer and index, and not one chunk.
        assert sum(read[: 2 * len(names)]) == sum(FOOTER_SIZE + index_size(c) for c in counts)
        assert store.stats.chunks_read == 0
        assert store.root() == root
        assert store.get_many(addresses) == {a: chunk(i) for i, a in enumerate(addresses)}
        assert sum(counts) == len(addresses)
        assert store.verify_chunks() == []


def test_many_flushes_are_conjoined(tmp_path):
    with DiskStore.open(tmp_path) as store:
        addresses = []
        for i in range(MAX_TABLES + 3):
            addresses.append(store.put(chunk(i)))
            store.flush()
        assert len(store.table_files()) <= MAX_TABLES
        assert set(store.all_addresses()) == set(addresses)
        assert sorted(os.listdir(tables_dir(tmp_path))) == sorted(store.table_files())


def test_crash_between_manifest_and_journal_reset(tmp_path):
    """The journal still holds flushed chunks: reopening is fine and nothing is stored twice."""
    with DiskStore.open(tmp_path) as store:
        a = store.put(chunk(1))
        assert store.commit(a, ZERO)
        journal = (tmp_path / ".grove" / "journal").read_bytes()
        store.flush()
    (tmp_path / ".grove" / "journal").write_bytes(journal)  # as if reset never happened
    with DiskStore.open(tmp_path) as store:
        assert store.root() == a
        b = store.put(chunk(2))
        assert store.commit(b, a)
        store.flush()
        new = TableFileReader(os.path.join(tables_dir(tmp_path), store.table_files()[0]))
        assert [e[0] for e in new.index] == [b]
        new.close()


def test_orphan_table_files_are_removed_and_missing_ones_reported(tmp_path):
    with DiskStore.open(tmp_path) as store:
        a = store.put(chunk(1))
        assert store.commit(a, ZERO)
        store.flush()
        name = store.table_files()[0]
    orphan, data = write_table_file([(address_of(b"orphan"), b"orphan")])
    (tmp_path / ".grove" / "tables" / orphan).write_bytes(data)
    (tmp_path / ".grove" / "tables" / ".table-x.tmp").write_bytes(b"half")
    with DiskStore.open(tmp_path) as store:
        assert os.listdir(tables_dir(tmp_path)) == [name]
        assert store.get(a) == chunk(1)
    os.unlink(os.path.join(tables_dir(tmp_path), name))
    with pytest.raises(CorruptionError, match="missing"):
        DiskStore.open(tmp_path)


# -- group commit -------------------------------------------------------------


def test_group_commit_shares_fsyncs(tmp_path):
    n = 8
    armed = threading.Event()
    holder = {}

    def slow_fsync(fd):
        # While armed, an fsync waits until every thread's commit is written,
        # so the threads overlap however fast the disk is.
        deadline = time.monotonic() + 10
        while armed.is_set() and holder["store"].stats.commits < n and time.monotonic() < deadline:
            time.sleep(0.001)
        os.fsync(fd)

    store = DiskStore.open(tmp_path, fsync=slow_fsync)
    holder["store"] = store
    store.stats.reset()
    armed.set()
    start = threading.Barrier(n)
    errors = []

    def work(t):
        try:
            start.wait()
            for _ in range(1000):
                parent = store.root()
                c = store.put(b"thread %d parent " % t + parent)
                if store.commit(c, parent):
                    return
            raise AssertionError("never committed")
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert store.stats.commits == n
    assert 1 <= store.stats.fsyncs < n, store.stats
    root = store.root()
    store.close()
    with DiskStore.open(tmp_path) as store:
        node, seen = root, 0
        while node != ZERO:
            node = store.get(node).partition(b" parent ")[2]
            seen += 1
        assert seen == n


def test_one_fsync_per_lone_commit(tmp_path):
    with DiskStore.open(tmp_path) as store:
        store.stats.reset()
        root = ZERO
        for i in range(5):
            a = store.put(chunk(i))
            assert store.commit(a, root)
            root = a
        assert store.stats.fsyncs == 5


# -- manifest -----------------------------------------------------------------


def test_manifest_encoding_is_deterministic_and_checked():
    tables = [("a" * 32, 3), ("b" * 32, 10)]
    m = Manifest.make(address_of(b"r"), tables)
    assert Manifest.make(address_of(b"r"), tables) == m
    assert Manifest.decode(m.encode()) == m
    assert m.specs == f"{'a' * 32}:3:{'b' * 32}:10"
    assert parse_specs(m.specs) == m.tables
    assert parse_specs(EMPTY.specs) == ()
    assert Manifest.make(address_of(b"r"), tables[:1]).lock != m.lock
    raw = bytearray(m.encode())
    for pos in (0, 10, 30, 60, len(raw) - 3):
        bad = bytearray(raw)
        bad[pos] ^= 1
        with pytest.raises(CorruptionError):
            Manifest.decode(bytes(bad))


def test_manifest_write_is_atomic(tmp_path, monkeypatch):
    fm = FileManifest(str(tmp_path))
    assert fm.read() is None
    first = Manifest.make(address_of(b"1"), [])
    fm.write(first)

    def crash(*_):
        raise OSError("simulated crash before rename")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        fm.write(Manifest.make(address_of(b"2"), [("c" * 32, 1)]))
    monkeypatch.undo()
    assert fm.read() == first
    assert os.listdir(tmp_path) == ["manifest"]  # no temp file left behind


def test_manifest_update_is_compare_and_swap(tmp_path):
    fm = FileManifest(str(tmp_path))
    one = Manifest.make(address_of(b"1"), [])
    assert fm.update(ZERO, one)
    assert not fm.update(ZERO, Manifest.make(address_of(b"x"), []))
    assert fm.update(one.lock, Manifest.make(address_of(b"2"), []))
    assert fm.read().root == address_of(b"2")


def test_manifest_update_across_threads(tmp_path):
    """Separate FileManifests contend on the flock like separate processes would."""
    FileManifest(str(tmp_path)).write(Manifest.make((0).to_bytes(20, "big"), []))
    errors = []

    def work():
        fm = FileManifest(str(tmp_path))
        try:
            for _ in range(15):
                for _ in range(1000):
                    cur = fm.read()
                    n = int.from_bytes(cur.root, "big")
                    if fm.update(cur.lock, Manifest.make((n + 1).to_bytes(20, "big"), [])):
                        break
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert int.from_bytes(FileManifest(str(tmp_path)).read().root, "big") == 60


def test_corrupt_manifest_refuses_to_open(tmp_path):
    with DiskStore.open(tmp_path) as store:
        assert store.commit(store.put(b"x"), ZERO)
        store.flush()
    path = tmp_path / ".grove" / "manifest"
    raw = bytearray(path.read_bytes())
    raw[25] ^= 1
    path.write_bytes(bytes(raw))
    with pytest.raises(CorruptionError):
        DiskStore.open(tmp_path)


# -- checksums ------------------------------------------------------------------


def test_table_file_flip_is_detected_naming_the_chunk(tmp_path):
    with DiskStore.open(tmp_path) as store:
        addresses = [store.put(chunk(i)) for i in range(20)]
        assert store.commit(addresses[-1], ZERO)
        store.flush()
        name = store.table_files()[0]
    path = os.path.join(tables_dir(tmp_path), name)
    reader = TableFileReader(path)
    victim = addresses[7]
    offset, length = reader.index.lookup(victim)
    reader.close()
    with open(path, "r+b") as f:
        f.seek(offset + length // 2)
        byte = f.read(1)
        f.seek(offset + length // 2)
        f.write(bytes([byte[0] ^ 0x20]))
    with DiskStore.open(tmp_path) as store:
        with pytest.raises(CorruptionError) as e:
            store.get(victim)
        assert to_text(victim) in str(e.value) and name in str(e.value) and str(offset) in str(e.value)
        assert e.value.address == victim
        assert store.get(addresses[6]) == chunk(6)
        problems = store.verify_chunks()
        assert [p[0] for p in problems] == [victim]


def test_verify_chunks_finds_wrong_content(tmp_path):
    """A record with a valid checksum whose bytes do not hash to its address."""
    wrong = address_of(b"something else")
    name, data = write_table_file([(wrong, b"not that"), (address_of(b"ok"), b"ok")])
    (tmp_path / ".grove" / "tables").mkdir(parents=True)
    (tmp_path / ".grove" / "tables" / name).write_bytes(data)
    FileManifest(str(tmp_path / ".grove")).write(Manifest.make(ZERO, [(name, 2)]))
    with DiskStore.open(tmp_path) as store:
        assert [p[0] for p in store.verify_chunks()] == [wrong]


# -- garbage collection -----------------------------------------------------------


def test_retain_shrinks_the_store(tmp_path):
    with DiskStore.open(tmp_path) as store:
        addresses = [store.put(chunk(i, 1000)) for i in range(100)]
        store.flush()
        addresses += [store.put(chunk(i, 1000)) for i in range(100, 200)]
        assert store.commit(addresses[0], ZERO)
        before = sum(os.path.getsize(os.path.join(tables_dir(tmp_path), n)) for n in store.table_files())
        before += os.path.getsize(tmp_path / ".grove" / "journal")
        old = store.table_files()
        keep = set(addresses[::4])
        assert store.retain(keep) == 150
        assert set(store.all_addresses()) == keep
        assert not set(old) & set(os.listdir(tables_dir(tmp_path)))
        after = sum(os.path.getsize(os.path.join(tables_dir(tmp_path), n)) for n in store.table_files())
        assert after < before / 3
        assert store.retain(keep) == 0
    with DiskStore.open(tmp_path) as store:
        assert store.root() == addresses[0]
        assert set(store.all_addresses()) == keep
        assert store.get(addresses[1]) is None
        assert store.get(addresses[4]) == chunk(4, 1000)


# -- the lock ---------------------------------------------------------------------

HOLDER = """
import sys
from storage.disk_store import DiskStore
store = DiskStore.open(sys.argv[1])
print("ready", flush=True)
sys.stdin.read()
"""


def test_second_open_fails_naming_the_holder_and_sigkill_frees_it(tmp_path):
    with DiskStore.open(tmp_path):
        with pytest.raises(StoreLockedError):
            DiskStore.open(tmp_path)  # even in the same process
    child = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path)], cwd=ROOT_DIR,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "ready"
        with pytest.raises(StoreLockedError) as e:
            DiskStore.open(tmp_path)
        assert str(child.pid) in str(e.value)
        assert lock_holder(str(tmp_path)) == child.pid
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        child.stdin.close()
        child.stdout.close()
    assert lock_holder(str(tmp_path)) is None
    with DiskStore.open(tmp_path) as store:
        assert lock_holder(str(tmp_path)) == os.getpid()
        assert store.root() == ZERO
    assert disk_store.lock_holder(str(tmp_path)) is None


def test_index_lookup_with_skewed_addresses():
    """Lookups guess a position from the address; skewed addresses must still be found."""
    addresses = [bytes([0] * 7 + [i % 256]) + i.to_bytes(12, "big") for i in range(3000)]
    addresses += [bytes([255] * 8) + i.to_bytes(12, "big") for i in range(50)]
    index = TableIndex.build([(a, i * 10, i) for i, a in enumerate(addresses)])
    for i, a in enumerate(addresses):
        assert index.lookup(a) == (i * 10, i)
    assert index.lookup(bytes(8) + (5000).to_bytes(12, "big")) is None
    assert index.lookup(bytes([128] * 20)) is None
    assert index.lookup(bytes([255] * 20)) is None
    again = TableIndex.from_bytes(index.to_bytes())
    assert [e[0] for e in again] == sorted(addresses)
