"""Remote URLs: what parses, to what, its canonical form, and what is refused (and why)."""

from __future__ import annotations

import os

import pytest

from replication import BadRemoteURLError, RemoteURL, parse_remote_url
from replication.errors import ReplicationError
from storage.errors import StorageError


def test_file_absolute():
    url = parse_remote_url("file:///srv/grove/remote")
    assert url == RemoteURL("file", "/srv/grove/remote")
    assert str(url) == "file:///srv/grove/remote"


def test_file_relative_is_resolved_against_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    url = parse_remote_url("file://remotes/db")
    assert url.path == os.path.join(str(tmp_path), "remotes", "db")
    assert str(url) == f"file://{tmp_path}/remotes/db"


def test_file_path_is_normalized():
    assert parse_remote_url("file:///a/b/../c/").path == "/a/c"
    assert parse_remote_url("file:///a//b/./c").path == "/a/b/c"


def test_aws():
    url = parse_remote_url("aws://[manifests:my.bucket-1]/team/inventory")
    assert url == RemoteURL("aws", "team/inventory", "manifests", "my.bucket-1")
    assert str(url) == "aws://[manifests:my.bucket-1]/team/inventory"


def test_aws_slashes_around_the_path_are_dropped():
    url = parse_remote_url("aws://[tbl:bkt]//db/")
    assert url.path == "db" and str(url) == "aws://[tbl:bkt]/db"


def test_scheme_is_case_insensitive():
    assert parse_remote_url("AWS://[tbl:bkt]/db") == parse_remote_url("aws://[tbl:bkt]/db")
    assert parse_remote_url("File:///x").scheme == "file"


@pytest.mark.parametrize("text", [
    "file:///tmp/x", "aws://[tbl:bkt]/db", "aws://[a_b.c-d:bucket.with.dots]/a/b/c",
])
def test_canonical_form_round_trips(text):
    url = parse_remote_url(text)
    assert str(url) == text
    assert parse_remote_url(str(url)) == url
    assert parse_remote_url(url) is url


@pytest.mark.parametrize("text, reason", [
    ("/just/a/path", "expected file://"),
    ("s3://bucket/path", "unknown scheme 's3'"),
    ("http://example.com/x", "unknown scheme 'http'"),
    ("file://", "directory is empty"),
    ("aws://tbl:bkt/db", "missing '['"),
    ("aws://[tbl:bkt/db", "missing ']'"),
    ("aws://[tblbkt]/db", "missing ':'"),
    ("aws://[:bkt]/db", "table name is empty"),
    ("aws://[tbl:]/db", "bucket name is empty"),
    ("aws://[tbl:bkt]", "path is empty"),
    ("aws://[tbl:bkt]/", "path is empty"),
    ("aws://[tbl:bkt]///", "path is empty"),
    ("aws://[tbl:bkt]db", "expected '/' after ']'"),
    ("aws://[tbl:bkt]/a//b", "empty segments"),
    ("aws://[tbl:bkt]/a/../b", "'..' segments"),
    ("aws://[tbl:bkt]/./b", "'.' segments"),
    ("aws://[tbl:bkt]/a\nb", "control characters"),
    ("aws://[t:bkt]/db", "not a DynamoDB table name"),
    ("aws://[tbl name:bkt]/db", "not a DynamoDB table name"),
    ("aws://[tbl:b]/db", "not an S3 bucket name"),
    ("aws://[tbl:-bkt]/db", "not an S3 bucket name"),
    ("aws://[tbl:bkt/x]/db", "not an S3 bucket name"),
])
def test_bad_urls_say_what_is_wrong(text, reason):
    with pytest.raises(BadRemoteURLError) as info:
        parse_remote_url(text)
    assert reason in str(info.value)
    assert info.value.url == text
    assert isinstance(info.value, ReplicationError) and isinstance(info.value, StorageError)
    assert not info.value.retryable


def test_not_a_string():
    with pytest.raises(BadRemoteURLError):
        parse_remote_url(None)  # type: ignore[arg-type]
