"""The replication layer's exceptions.

They extend the storage hierarchy (``storage.errors.StorageError``), so code
that already handles storage failures handles remote ones too, and like it
they know nothing of MySQL.  ``retryable`` keeps its meaning: doing the same
thing again may succeed (a throttled or dropped request) or never will (a
bucket that does not exist, a malformed URL).

    StorageError
     └─ ReplicationError
         ├─ BadRemoteURLError           the URL cannot be parsed
         ├─ RemoteNotFoundError         no remote of that name is configured
         ├─ RemoteResourceMissingError  a bucket, table, directory or table file is absent
         └─ RemoteAccessError           any other failure talking to the remote
"""

from __future__ import annotations

from storage.errors import StorageError


class ReplicationError(StorageError):
    """Base of every replication exception."""


class BadRemoteURLError(ReplicationError):
    """A remote URL that is not ``file://...`` or ``aws://[table:bucket]/path``."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"bad remote URL {url!r}: {reason}")
        self.url = url
        self.reason = reason


class RemoteNotFoundError(ReplicationError):
    """A remote name (``origin``) that the database has no configuration for."""

    def __init__(self, name: str, message: str | None = None) -> None:
        super().__init__(message or f"remote {name!r} not found")
        self.name = name


class RemoteResourceMissingError(ReplicationError):
    """Something the remote needs does not exist.

    ``resource`` says exactly which (``"S3 bucket 'x'"``, ``"DynamoDB table
    't'"``, ``"directory '/srv/remote'"``, ``"table file '0123...' in
    aws://[t:b]/db"``).  Not retryable: Grove never creates AWS resources, so
    an operator has to; a missing table file means the remote lost data.
    """

    def __init__(self, resource: str, message: str | None = None) -> None:
        super().__init__(message or f"{resource} does not exist")
        self.resource = resource


class RemoteAccessError(ReplicationError):
    """Any other failure reaching or using the remote (credentials, permissions,
    network, throttling, an OS error), carrying the underlying message.

    ``retryable`` is set per instance: True for failures that may pass
    (connection lost, throttled, a server error), False for those that will
    not (access denied, invalid credentials).
    """

    def __init__(self, message: str, *, retryable: bool = False, code: str = "") -> None:
        super().__init__(message)
        self.retryable = retryable
        self.code = code
