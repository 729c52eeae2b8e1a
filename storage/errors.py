"""The storage layer's exceptions.

They know nothing of MySQL: the SQL server translates them at its boundary.
``retryable`` tells a caller whether doing the same thing again may succeed
(a lost compare-and-swap race) or never will (corruption, a missing chunk).
"""

from __future__ import annotations


class StorageError(Exception):
    """Base of every storage exception."""

    retryable = False


class CorruptionError(StorageError):
    """Stored bytes fail a checksum or cannot be decoded.

    ``where`` names the place (a file and offset, or a chunk address) so an
    operator can find it; ``address`` is the chunk's address when known.
    """

    def __init__(self, message: str, *, where: str = "", address: bytes | None = None):
        super().__init__(message)
        self.where = where
        self.address = address


class ChunkNotFoundError(StorageError):
    """A chunk that something refers to is not in the store."""

    def __init__(self, address: bytes, context: str = ""):
        from storage.address import to_text

        self.address = address
        msg = f"chunk {to_text(address)} not found"
        super().__init__(f"{msg} ({context})" if context else msg)


class StoreLockedError(StorageError):
    """Another process holds the database directory."""


class ConflictError(StorageError):
    """An optimistic update lost a race; re-read and try again."""

    retryable = True


class RefError(StorageError):
    """A branch, tag or other ref is missing, exists already, or may not move."""


class NotFastForwardError(RefError):
    """Moving a ref would drop commits that the new target does not contain."""
