"""One contract suite for every remote backend (replication.backend.Backend).

Each contract test runs against a file:// directory and against S3 +
DynamoDB served by a real moto server over HTTP, through the ``remote``
fixture.  Backend-specific checks (the on-disk layout, the DynamoDB item's
attributes, S3 keys, missing AWS resources) follow the contract.
"""

from __future__ import annotations

import os
import threading
import uuid
from dataclasses import dataclass
from typing import Callable

import pytest

from replication import Backend, RemoteAccessError, RemoteResourceMissingError, open_backend
from replication.aws_backend import AwsBackend
from replication.file_backend import FileBackend
from storage.address import address_of
from storage.errors import CorruptionError, StorageError
from storage.manifest import Manifest
from storage.table_file import FOOTER_SIZE, parse_footer, write_table_file

# -- fixtures and helpers ---------------------------------------------------


@dataclass
class Remote:
    kind: str  # "file" or "aws"
    url: Callable[..., str]  # path -> URL of the database at that path


@pytest.fixture(params=["file", "aws"])
def remote(request):
    if request.param == "file":
        base = request.getfixturevalue("file_remote")
        return Remote("file", lambda path="db": f"{base}/{path}")
    aws = request.getfixturevalue("aws_remote")
    return Remote("aws", aws.url)


@pytest.fixture
def connect(remote):
    """connect(path="db") -> a backend on the remote, closed at teardown."""
    opened = []

    def connect(path: str = "db", **options) -> Backend:
        backend = open_backend(remote.url(path), **options)
        opened.append(backend)
        return backend

    yield connect
    for backend in opened:
        backend.close()


@pytest.fixture
def backend(connect):
    return connect()


def table_file(seed: int, chunks: int = 5) -> tuple[str, bytes]:
    """A genuine table file (name, contents) with ``chunks`` distinct chunks."""
    data = [f"file {seed} chunk {i} ".encode() * (i + 3) for i in range(chunks)]
    return write_table_file((address_of(d), d) for d in data)


def manifest(counter: int, tables=()) -> Manifest:
    """A manifest whose root encodes ``counter`` (so each counter has its own lock)."""
    return Manifest.make(counter.to_bytes(20, "big"), tables)


def counter_of(m: Manifest) -> int:
    return int.from_bytes(m.root, "big")


# -- the contract -----------------------------------------------------------


def test_implements_the_protocol(backend, remote):
    assert isinstance(backend, Backend)
    assert backend.url == remote.url("db")


def test_no_manifest_yet(backend):
    assert backend.read_manifest() is None


def test_first_update_expects_none_and_only_one_wins(backend):
    first = manifest(1)
    assert backend.update_manifest(None, first) is True
    assert backend.read_manifest() == first
    assert backend.update_manifest(None, manifest(2)) is False
    assert backend.read_manifest() == first


def test_update_with_the_current_lock_replaces_the_whole_manifest(backend):
    assert backend.update_manifest(None, manifest(1))
    name_a, _ = table_file(1)
    name_b, _ = table_file(2)
    new = manifest(2, [(name_b, 7), (name_a, 5)])
    assert backend.update_manifest(manifest(1).lock, new)
    got = backend.read_manifest()
    assert got == new and got.tables == ((name_b, 7), (name_a, 5))


def test_stale_lock_fails_and_changes_nothing(backend):
    assert backend.update_manifest(None, manifest(1))
    assert backend.update_manifest(manifest(1).lock, manifest(2))
    assert backend.update_manifest(manifest(1).lock, manifest(3)) is False  # stale
    assert backend.update_manifest(b"\x07" * 20, manifest(3)) is False  # never existed
    assert backend.read_manifest() == manifest(2)


def test_update_refuses_a_manifest_whose_lock_is_wrong(backend):
    good = manifest(1)
    forged = Manifest(good.version, good.root, b"\x01" * 20, good.tables)
    with pytest.raises(ValueError):
        backend.update_manifest(None, forged)
    assert backend.read_manifest() is None


def test_table_files_round_trip_and_puts_are_idempotent(backend):
    name, data = table_file(1)
    assert not backend.table_file_exists(name)
    backend.put_table_file(name, data)
    assert backend.table_file_exists(name)
    assert backend.read_range(name, 0, len(data)) == data
    backend.put_table_file(name, data)  # same name, same bytes: harmless
    assert backend.read_range(name, 0, len(data)) == data


def test_put_refuses_a_name_that_is_not_the_content_hash(backend):
    name, data = table_file(1)
    with pytest.raises(ValueError):
        backend.put_table_file(name, data + b"x")
    with pytest.raises(ValueError):
        backend.put_table_file("../manifest", data)
    assert not backend.table_file_exists(name)


def test_range_reads(backend):
    name, data = table_file(1)
    backend.put_table_file(name, data)
    size = len(data)
    assert backend.read_range(name, 10, 20) == data[10:30]
    assert backend.read_range(name, 0, 1) == data[:1]
    assert backend.read_range(name, size - 5, 5) == data[-5:]
    # negative offset: the last `length` bytes, e.g. the footer without knowing the size
    footer = parse_footer(backend.read_range(name, -1, FOOTER_SIZE), file_size=size)
    assert footer.count == 5
    assert backend.read_range(name, -1, 100) == data[-100:]
    assert backend.read_range(name, -1, size + 1000) == data  # longer than the file: all of it
    # past the end: short, never an error (callers check sizes against the footer)
    assert backend.read_range(name, size - 3, 10) == data[-3:]
    assert backend.read_range(name, size, 10) == b""
    assert backend.read_range(name, 5, 0) == b""


def test_missing_table_file_is_reported_by_name(backend):
    name, data = table_file(1)
    for read in (lambda: backend.read_range(name, 0, 10), lambda: backend.read_range(name, -1, 32),
                 lambda: backend.read_range(name, 0, 0), lambda: backend.read_ranges([(name, 0, 1)] * 3)):
        with pytest.raises(RemoteResourceMissingError) as info:
            read()
        assert name in str(info.value)
        assert isinstance(info.value, StorageError) and not info.value.retryable


def test_read_ranges_come_back_in_request_order(backend):
    files = dict(table_file(i, chunks=3 + i) for i in range(4))
    for name, data in files.items():
        backend.put_table_file(name, data)
    requests = []
    for k in range(40):
        name = list(files)[k % 4]
        size = len(files[name])
        requests.append((name, (k * 37) % (size - 20), 1 + k % 19))
    requests.append((list(files)[0], -1, FOOTER_SIZE))
    got = backend.read_ranges(requests)
    want = [files[n][o : o + ln] for n, o, ln in requests[:-1]] + [files[list(files)[0]][-FOOTER_SIZE:]]
    assert got == want
    assert backend.read_ranges([]) == []


def test_stats_count_what_crossed_the_wire(backend):
    (a, data_a), (b, data_b) = table_file(1), table_file(2)
    backend.stats.reset()
    backend.put_table_file(a, data_a)
    backend.put_table_file(b, data_b)
    assert backend.stats.bytes_written == len(data_a) + len(data_b)
    assert backend.stats.files_written == 2
    assert backend.stats.requests == 2
    backend.stats.reset()
    backend.read_range(a, 0, 10)
    backend.read_ranges([(a, 3, 7), (b, -1, FOOTER_SIZE), (b, 0, len(data_b))])
    assert backend.stats.bytes_read == 10 + 7 + FOOTER_SIZE + len(data_b)
    assert backend.stats.requests == 4
    assert backend.stats.bytes_written == 0
    backend.read_manifest()
    assert backend.stats.snapshot() == {"requests": 5, "bytes_read": 10 + 7 + FOOTER_SIZE + len(data_b),
                                        "bytes_written": 0, "files_written": 0}


def test_two_backends_on_one_path_see_each_others_writes(connect):
    one, two = connect("shared/db"), connect("shared/db")
    assert one.update_manifest(None, manifest(1))
    assert two.read_manifest() == manifest(1)
    name, data = table_file(1)
    two.put_table_file(name, data)
    assert one.table_file_exists(name) and one.read_range(name, 0, 8) == data[:8]
    assert two.update_manifest(manifest(1).lock, manifest(2, [(name, 5)]))
    assert one.read_manifest() == manifest(2, [(name, 5)])
    assert one.update_manifest(manifest(1).lock, manifest(3)) is False


def test_databases_at_different_paths_are_independent(connect):
    a, b, nested = connect("team/a"), connect("team/b"), connect("team/a/b")
    assert a.update_manifest(None, manifest(1))
    assert b.read_manifest() is None and nested.read_manifest() is None
    assert b.update_manifest(None, manifest(2))
    assert a.read_manifest() == manifest(1) and b.read_manifest() == manifest(2)
    name, data = table_file(1)
    a.put_table_file(name, data)
    assert a.table_file_exists(name)
    assert not b.table_file_exists(name) and not nested.table_file_exists(name)


def test_delete_table_files_ignores_absent_ones(backend):
    (a, data_a), (b, data_b), (c, _) = table_file(1), table_file(2), table_file(3)
    backend.put_table_file(a, data_a)
    backend.put_table_file(b, data_b)
    backend.delete_table_files([a, c])
    assert not backend.table_file_exists(a) and backend.table_file_exists(b)
    backend.delete_table_files([])


def test_racing_compare_and_swap_loses_no_update(connect):
    """Writers loop read -> CAS(counter + 1); the final counter equals the number of wins."""
    assert connect().update_manifest(None, manifest(0))
    writers, attempts = 4, 8
    backends = [connect() for _ in range(writers)]
    wins = [0] * writers
    start = threading.Barrier(writers)
    errors = []

    def writer(i: int) -> None:
        try:
            start.wait(10)
            for _ in range(attempts):
                current = backends[i].read_manifest()
                if backends[i].update_manifest(current.lock, manifest(counter_of(current) + 1)):
                    wins[i] += 1
        except BaseException as e:  # reported below: a thread's assertion would be lost
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert sum(wins) >= attempts  # each round someone wins
    assert counter_of(connect().read_manifest()) == sum(wins)


def test_closed_backend_refuses_calls(connect):
    backend = connect()
    backend.close()
    with pytest.raises(ValueError):
        backend.read_manifest()
    backend.close()  # idempotent


# -- file:// specifics ------------------------------------------------------


def test_file_layout(file_remote):
    backend = open_backend(file_remote)
    assert isinstance(backend, FileBackend)
    directory = file_remote[len("file://"):]
    assert not os.path.exists(directory)
    assert backend.read_manifest() is None and not backend.table_file_exists(table_file(1)[0])
    name, data = table_file(1)
    backend.put_table_file(name, data)  # the first write creates the directory
    assert backend.update_manifest(None, manifest(1, [(name, 5)]))
    with open(os.path.join(directory, name), "rb") as f:
        assert f.read() == data
    with open(os.path.join(directory, "manifest"), "rb") as f:
        assert Manifest.decode(f.read()) == manifest(1, [(name, 5)])
    assert not [n for n in os.listdir(directory) if n.endswith(".tmp")]


def test_file_without_create_reports_the_missing_directory(file_remote):
    backend = open_backend(file_remote, create=False)
    directory = file_remote[len("file://"):]
    assert backend.read_manifest() is None
    name, data = table_file(1)
    for write in (lambda: backend.put_table_file(name, data),
                  lambda: backend.update_manifest(None, manifest(1))):
        with pytest.raises(RemoteResourceMissingError) as info:
            write()
        assert f"directory '{directory}'" in str(info.value)
    assert not os.path.exists(directory)


def test_file_os_errors_become_access_errors(tmp_path):
    not_a_dir = tmp_path / "plain-file"
    not_a_dir.write_bytes(b"")
    backend = open_backend(f"file://{not_a_dir}")
    with pytest.raises(RemoteAccessError) as info:
        backend.read_manifest()
    assert str(not_a_dir) in str(info.value)


# -- aws specifics ----------------------------------------------------------


def test_aws_manifest_item_has_exactly_the_documented_attributes(aws_remote):
    backend = open_backend(aws_remote.url("some/db"))
    assert isinstance(backend, AwsBackend)
    name, _ = table_file(1)
    new = manifest(9, [(name, 5), ("0" * 32, 1)])
    assert backend.update_manifest(None, new)
    item = aws_remote.dynamodb.get_item(TableName=aws_remote.table, Key={"db": {"S": "some/db"}},
                                        ConsistentRead=True)["Item"]
    assert item == {
        "db": {"S": "some/db"},
        "root": {"B": new.root},
        "lck": {"B": new.lock},
        "specs": {"S": f"{name}:5:{'0' * 32}:1"},
        "vers": {"S": "1"},
    }
    backend.close()


def test_aws_table_files_are_keyed_by_path(aws_remote):
    backend = open_backend(aws_remote.url("team/inventory"))
    name, data = table_file(1)
    backend.put_table_file(name, data)
    listing = aws_remote.s3.list_objects_v2(Bucket=aws_remote.bucket)
    assert [(o["Key"], o["Size"]) for o in listing["Contents"]] == [(f"team/inventory/{name}", len(data))]
    backend.close()


def test_aws_item_whose_lock_does_not_match_is_corruption(aws_remote):
    backend = open_backend(aws_remote.url())
    assert backend.update_manifest(None, manifest(1))
    aws_remote.dynamodb.update_item(TableName=aws_remote.table, Key={"db": {"S": "db"}},
                                    UpdateExpression="SET root = :r",
                                    ExpressionAttributeValues={":r": {"B": manifest(2).root}})
    with pytest.raises(CorruptionError, match="do not match its lock"):
        backend.read_manifest()
    backend.close()


def test_aws_missing_bucket_is_named(aws_remote):
    bucket = f"grove-missing-{uuid.uuid4().hex[:8]}"
    backend = AwsBackend(aws_remote.table, bucket, "db")
    name, data = table_file(1)
    for call in (lambda: backend.put_table_file(name, data), lambda: backend.read_range(name, 0, 10),
                 lambda: backend.table_file_exists(name), lambda: backend.delete_table_files([name])):
        with pytest.raises(RemoteResourceMissingError) as info:
            call()
        assert str(info.value) == f"S3 bucket '{bucket}' does not exist (Grove never creates AWS resources)"
        assert info.value.resource == f"S3 bucket '{bucket}'"
    assert backend.read_manifest() is None  # the table is there
    backend.close()


def test_aws_missing_table_is_named(aws_remote):
    table = f"grove-missing-{uuid.uuid4().hex[:8]}"
    backend = AwsBackend(table, aws_remote.bucket, "db")
    for call in (backend.read_manifest, lambda: backend.update_manifest(None, manifest(1)),
                 lambda: backend.update_manifest(b"\x01" * 20, manifest(1))):
        with pytest.raises(RemoteResourceMissingError) as info:
            call()
        assert str(info.value) == (f"DynamoDB table '{table}' does not exist "
                                   "(Grove never creates AWS resources)")
    backend.close()


def test_aws_unreachable_endpoint_is_a_retryable_access_error(aws_env, monkeypatch):
    import socket

    with socket.socket() as s:  # a port with nothing listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}")
    backend = open_backend("aws://[tbl:bkt]/db", connect_timeout=1, read_timeout=1, max_attempts=1)
    with pytest.raises(RemoteAccessError) as info:
        backend.read_manifest()
    assert info.value.retryable and "aws://[tbl:bkt]/db" in str(info.value)
    backend.close()


def test_aws_region_from_AWS_REGION_alone(aws_remote, monkeypatch):
    """boto3 itself reads only AWS_DEFAULT_REGION; AWS_REGION must work as with other AWS tools."""
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    backend = open_backend(aws_remote.url())
    assert backend.read_manifest() is None
    backend.close()
