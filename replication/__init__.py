"""Grove's replication layer: remotes that hold a database's table files and manifest.

A remote keeps what a disk store keeps after a flush, in the same formats:
immutable, content-named table files (``storage.table_file``) and one
manifest (``storage.manifest``) replaced only by compare-and-swap.  Pushing
uploads the files the remote lacks, then swaps the manifest; pulling reads
them back by byte ranges.  This layer depends on ``storage`` only.

A guided tour, bottom-up (each module's docstring says more):

1. ``remote_url``    ``file:///dir`` and ``aws://[table:bucket]/path`` parsed into a
                     ``RemoteURL``; ``str()`` gives the canonical form back.
2. ``backend``       The narrow contract every remote keeps (``Backend``):
                     read/update (CAS) the manifest, put/read-range/check/delete
                     table files, ``stats``.  ``open_backend(url)`` picks by scheme.
3. ``file_backend``  A directory (local or shared file system); flock'ed CAS.
   ``aws_backend``   DynamoDB item (manifest, conditional PutItem) + S3 objects
                     (table files).  The only module in Grove that imports boto3.
4. (to come) ``remote_store``, ``sync``, remotes configuration: a chunk store over
                     a backend, push/pull/fetch and read replicas, named remotes.

Errors (``errors``) extend ``storage.errors.StorageError`` and keep its
``retryable`` flag; like storage, this layer knows nothing of SQL.
"""

from replication.backend import Backend, RemoteStats, open_backend
from replication.errors import (
    BadRemoteURLError,
    RemoteAccessError,
    RemoteNotFoundError,
    RemoteResourceMissingError,
    ReplicationError,
)
from replication.remote_url import RemoteURL, parse_remote_url

__all__ = [
    "Backend", "RemoteStats", "open_backend", "RemoteURL", "parse_remote_url",
    "ReplicationError", "BadRemoteURLError", "RemoteNotFoundError",
    "RemoteResourceMissingError", "RemoteAccessError",
]
