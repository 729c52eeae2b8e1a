"""The journal: torn tails are cut, corruption in the middle is reported, never skipped."""

from __future__ import annotations

import os
import struct

import pytest

from storage.address import ZERO, address_of, to_text
from storage.disk_store import DiskStore
from storage.errors import CorruptionError
from storage.journal import CHUNK, RECORD_OVERHEAD, ROOT, encode_record, replay


def record_offsets(data: bytes) -> list[int]:
    """Start offsets of the records in a well-formed journal image."""
    offsets, pos = [], 0
    while pos < len(data):
        offsets.append(pos)
        (length,) = struct.unpack_from("<I", data, pos)
        pos += RECORD_OVERHEAD + length
    assert pos == len(data)
    return offsets


def build_journal(path) -> tuple[bytes, list[bytes], list[bytes]]:
    """Five commits of two chunks each; returns (journal bytes, roots, chunk addresses)."""
    roots, chunks = [], []
    with DiskStore.open(path) as store:
        root = ZERO
        for i in range(5):
            a = store.put(f"commit {i} first".encode() * 5)
            b = store.put(f"commit {i} second".encode() * 7)
            chunks += [a, b]
            assert store.commit(b, root)
            root = b
            roots.append(root)
    with open(os.path.join(path, ".grove", "journal"), "rb") as f:
        return f.read(), roots, chunks


def write_journal(path, data: bytes) -> None:
    os.makedirs(os.path.join(path, ".grove", "tables"), exist_ok=True)
    with open(os.path.join(path, ".grove", "journal"), "wb") as f:
        f.write(data)


def test_records_roundtrip():
    a = address_of(b"payload")
    image = encode_record(CHUNK, a, b"payload") + encode_record(ROOT, a)
    state = replay(image)
    assert state.root == a
    assert state.index == {a: (0, 7)}
    assert state.records == 2 and state.torn_at is None
    assert state.committed_end == len(image)


def test_cut_anywhere_in_last_commit_opens_previous_commit(tmp_path):
    data, roots, chunks = build_journal(tmp_path / "src")
    offsets = record_offsets(data)
    assert len(offsets) == 15  # 5 x (chunk, chunk, root)
    last_commit_start = offsets[-3]
    target = tmp_path / "cut"
    for cut in range(last_commit_start, len(data)):
        write_journal(target, data[:cut])
        with DiskStore.open(target) as store:
            assert store.root() == roots[-2], f"cut at {cut}"
            assert store.get(chunks[-2]) is None  # uncommitted chunks are dropped
            assert store.get(chunks[-3]) is not None
        assert os.path.getsize(target / ".grove" / "journal") == last_commit_start


def test_cut_inside_only_the_last_record(tmp_path):
    data, roots, _ = build_journal(tmp_path / "src")
    start = record_offsets(data)[-1]
    for cut in range(start, len(data)):
        write_journal(tmp_path / "cut", data[:cut])
        with DiskStore.open(tmp_path / "cut") as store:
            assert store.root() == roots[-2]


def test_store_keeps_working_after_torn_tail(tmp_path):
    data, roots, _ = build_journal(tmp_path / "src")
    write_journal(tmp_path / "t", data[:-5] + b"\0" * 1000)  # torn ROOT record, then zeros
    with DiskStore.open(tmp_path / "t") as store:
        assert store.root() == roots[-2]
        c = store.put(b"after the tear")
        assert store.commit(c, roots[-2])
    with DiskStore.open(tmp_path / "t") as store:
        assert store.root() == c
        assert store.verify_chunks() == []


@pytest.mark.parametrize("field, delta", [("length", 0), ("length", 3), ("kind", 4), ("check", 6),
                                          ("address", 15), ("payload", 40), ("checksum", -2)])
def test_flipped_byte_in_earlier_record_is_corruption(tmp_path, field, delta):
    data, _, chunks = build_journal(tmp_path / "src")
    offsets = record_offsets(data)
    victim = 3  # commit 1's first chunk record
    start = offsets[victim]
    pos = (offsets[victim + 1] if delta < 0 else start) + delta
    bad = bytearray(data)
    bad[pos] ^= 0x40
    write_journal(tmp_path / "bad", bytes(bad))
    with pytest.raises(CorruptionError) as e:
        DiskStore.open(tmp_path / "bad")
    message = str(e.value)
    assert f"record #{victim} at byte {start}" in message, message
    if field in ("payload", "checksum"):  # the header is intact, so the address is readable
        assert to_text(chunks[2]) in message
        assert e.value.address == chunks[2]
    # The store did not "repair" anything: the file is untouched.
    assert (tmp_path / "bad" / ".grove" / "journal").read_bytes() == bytes(bad)


def test_flipped_byte_in_last_record_is_a_torn_tail(tmp_path):
    """Indistinguishable from a torn write: nothing valid follows it."""
    data, roots, _ = build_journal(tmp_path / "src")
    bad = bytearray(data)
    bad[record_offsets(data)[-1] + 10] ^= 1
    write_journal(tmp_path / "bad", bytes(bad))
    with DiskStore.open(tmp_path / "bad") as store:
        assert store.root() == roots[-2]


def test_complete_uncommitted_chunks_are_dropped(tmp_path):
    a = address_of(b"committed")
    b = address_of(b"uncommitted")
    image = encode_record(CHUNK, a, b"committed") + encode_record(ROOT, a)
    write_journal(tmp_path, image + encode_record(CHUNK, b, b"uncommitted"))
    with DiskStore.open(tmp_path) as store:
        assert store.root() == a
        assert store.get(a) == b"committed"
        assert store.get(b) is None
    assert (tmp_path / ".grove" / "journal").read_bytes() == image


def test_journal_read_detects_flip_after_open(tmp_path):
    with DiskStore.open(tmp_path) as store:
        a = store.put(b"x" * 500)
        assert store.commit(a, ZERO)
        path = tmp_path / ".grove" / "journal"
        raw = bytearray(path.read_bytes())
        raw[100] ^= 1
        path.write_bytes(bytes(raw))
        with pytest.raises(CorruptionError) as e:
            store.get(a)
        assert to_text(a) in str(e.value)
        assert [p[0] for p in store.verify_chunks()] == [a]
