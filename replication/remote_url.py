"""Remote URLs: where a remote lives, parsed once into a ``RemoteURL``.

Two schemes, after Dolt's::

    file:///abs/dir              a directory on a (possibly shared) file system
    file://rel/dir               relative to the current working directory, made
                                 absolute at parse time (so a URL stored in a
                                 config keeps meaning the same place)
    aws://[table:bucket]/path    DynamoDB table (manifest) + S3 bucket (table files);
                                 ``path`` names one database inside them

Why brackets: a bucket name may contain dots and a path contains slashes, so
``aws://table:bucket/path`` would be ambiguous to read and to write; the
brackets delimit the pair unmistakably.  Many databases share one table and
bucket by using different paths (the DynamoDB item key and the S3 key prefix).

Rules (anything else raises ``BadRemoteURLError`` saying what is wrong):

- The scheme is ``file`` or ``aws`` (case-insensitive).
- file: the path is taken literally (no ``~`` expansion, no percent
  decoding; ``file://localhost/x`` is the relative path ``localhost/x``) and
  normalized with ``os.path.abspath``.
- aws: the table name follows DynamoDB's rules (3-255 of ``A-Za-z0-9_.-``);
  the bucket is 3-255 of ``A-Za-z0-9._-`` starting and ending with a letter
  or digit (loose enough for legacy buckets; AWS checks the rest); the path
  is non-empty, its leading and trailing slashes are dropped, and it may not
  contain empty, ``.`` or ``..`` segments (S3 keys are not normalized, so
  ``a/../b`` would silently be a different database than ``b``) or control
  characters.

``str(url)`` is the canonical form: ``file:///abs/dir`` or
``aws://[table:bucket]/path``; parsing it again gives an equal ``RemoteURL``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from replication.errors import BadRemoteURLError

SCHEMES = ("file", "aws")
_TABLE = re.compile(r"[A-Za-z0-9_.\-]{3,255}")
_BUCKET = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-]{1,253}[A-Za-z0-9]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class RemoteURL:
    """A parsed remote URL.  ``path`` is absolute for file, a key prefix for aws."""

    scheme: str  # "file" or "aws"
    path: str
    table: str | None = None  # aws only: DynamoDB table holding manifests
    bucket: str | None = None  # aws only: S3 bucket holding table files

    def __str__(self) -> str:
        if self.scheme == "file":
            return "file://" + self.path
        return f"aws://[{self.table}:{self.bucket}]/{self.path}"


def parse_remote_url(url: str | RemoteURL) -> RemoteURL:
    """Parse ``url`` (a ``RemoteURL`` is returned unchanged); raises BadRemoteURLError."""
    if isinstance(url, RemoteURL):
        return url
    if not isinstance(url, str):
        raise BadRemoteURLError(repr(url), "a remote URL is a string")
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise BadRemoteURLError(url, "expected file://<directory> or aws://[table:bucket]/path")
    scheme = scheme.lower()
    if scheme == "file":
        return _parse_file(url, rest)
    if scheme == "aws":
        return _parse_aws(url, rest)
    raise BadRemoteURLError(url, f"unknown scheme {scheme!r} (supported: file, aws)")


def _parse_file(url: str, rest: str) -> RemoteURL:
    if not rest:
        raise BadRemoteURLError(url, "the directory is empty")
    if _CONTROL.search(rest):
        raise BadRemoteURLError(url, "the directory contains control characters")
    return RemoteURL("file", os.path.abspath(rest))


def _parse_aws(url: str, rest: str) -> RemoteURL:
    if not rest.startswith("["):
        raise BadRemoteURLError(url, "expected aws://[table:bucket]/path (missing '[')")
    pair, close, path = rest[1:].partition("]")
    if not close:
        raise BadRemoteURLError(url, "expected aws://[table:bucket]/path (missing ']')")
    table, colon, bucket = pair.partition(":")
    if not colon:
        raise BadRemoteURLError(url, "expected [table:bucket] (missing ':')")
    if not table:
        raise BadRemoteURLError(url, "the DynamoDB table name is empty")
    if not bucket:
        raise BadRemoteURLError(url, "the S3 bucket name is empty")
    if not _TABLE.fullmatch(table):
        raise BadRemoteURLError(url, f"{table!r} is not a DynamoDB table name "
                                     "(3-255 letters, digits, '_', '-', '.')")
    if not _BUCKET.fullmatch(bucket):
        raise BadRemoteURLError(url, f"{bucket!r} is not an S3 bucket name")
    if path and not path.startswith("/"):
        raise BadRemoteURLError(url, "expected '/' after ']'")
    path = path.strip("/")
    if not path:
        raise BadRemoteURLError(url, "the path is empty (aws://[table:bucket]/path names one database)")
    if _CONTROL.search(path):
        raise BadRemoteURLError(url, "the path contains control characters")
    for segment in path.split("/"):
        if segment == "":
            raise BadRemoteURLError(url, "the path may not contain empty segments ('//')")
        if segment in (".", ".."):
            raise BadRemoteURLError(url, f"the path may not contain {segment!r} segments")
    return RemoteURL("aws", path, table, bucket)
