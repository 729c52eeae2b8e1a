"""Grove's storage layer: a versioned, content-addressed chunk store.

A guided tour, bottom-up (each module's docstring says more, and draws its
binary format):

1. ``address``      A chunk is immutable bytes named by the first 20 bytes of
                    its SHA-256.  Text form: 32 base32 characters.
2. ``chunk_store``  The contract every store keeps: get/get_many/has/has_many/
                    put/root/commit(new_root, expected_root) -> bool.  The only
                    way to change anything is that compare-and-swap of the root.
   ``memory_store`` The reference implementation (tests, throw-away work).
   ``disk_store``   The real one: ``journal`` (append-only, one fsync per
                    commit, shared by concurrent commits; the authority for the
                    root) flushed into immutable ``table_file``s named by their
                    content hash, listed in a ``manifest`` written by atomic
                    rename.  Remotes (``replication``) reuse the table-file and
                    manifest formats in S3/DynamoDB and file:// directories.
3. ``prolly_node``, ``node_store``, ``prolly_map``, ``prolly_diff``, ``prolly_merge``
                    Sorted maps bytes -> bytes as trees of chunks whose node
                    boundaries depend only on keys: equal contents, equal root
                    address, whatever the history; a one-row change rewrites one
                    path; a diff descends only into subtrees that differ.
4. ``row_types``, ``tuple_encoding``, ``value_encoding``, ``collation``
                    Rows as map entries: order-preserving keys (byte order = SQL
                    order; collated strings by UCA 9.0.0 sort keys) and compact,
                    deterministic values.
5. ``schema``, ``table``, ``root_value``, ``commit``, ``refs``, ``database``
                    Versioning: a table is a schema plus prolly-map roots; a root
                    value names the tables; a commit names a root value and its
                    parents; the store's root is a ref map naming branches, tags,
                    remote-tracking branches and working sets.  ``Database`` is
                    the API over all of it; every ref change is one CAS.
6. ``pending``, ``overlay``
                    Committed row edits not yet in the trees: one journal LOG
                    record per SQL commit (``DiskStore.append_log``), read
                    through ``OverlayMap``s, written into the trees in batches
                    or whenever a working set's hash is needed.
7. ``walk``, ``gc``, ``fsck``
                    Reachability from the root (by each chunk's kind byte, see
                    ``chunk_kinds``), garbage collection, and verification.

Errors (``errors``) know nothing of SQL; the SQL layer translates them.
"""

from storage.address import ADDRESS_SIZE, ZERO, address_of, from_text, to_text
from storage.chunk_store import ChunkStore, MaintainableStore, StoreStats
from storage.database import Database
from storage.disk_store import DiskStore
from storage.errors import (
    ChunkNotFoundError,
    ConflictError,
    CorruptionError,
    NotFastForwardError,
    RefError,
    StorageError,
    StoreLockedError,
)
from storage.memory_store import MemoryStore
from storage.node_store import Chunking, NodeStore
from storage.prolly_map import ProllyMap

__all__ = [
    "ADDRESS_SIZE", "ZERO", "address_of", "from_text", "to_text",
    "ChunkStore", "MaintainableStore", "StoreStats", "MemoryStore", "DiskStore",
    "Database", "Chunking", "NodeStore", "ProllyMap",
    "StorageError", "CorruptionError", "ChunkNotFoundError", "ConflictError",
    "StoreLockedError", "RefError", "NotFastForwardError",
]
