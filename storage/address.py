"""Chunk addresses: the first 20 bytes of a chunk's SHA-256.

Why SHA-256 and not xxhash: row content is user-controlled, so an address
that a user could collide on purpose would let one user's chunk alias
another's data.  A cryptographic hash makes that infeasible.  xxh3 is used
elsewhere (journal checksums, chunk boundaries, cache keys), never here.

An address is a plain ``bytes`` of length 20 in memory (cheap to hash, compare
and slice).  Its text form is 32 characters of base32 over the alphabet
``0123456789abcdefghijklmnopqrstuv``, which sorts like the bytes do::

    20 bytes = 160 bits = 32 x 5-bit digits, no padding

``ZERO`` (twenty zero bytes) means "nothing": the root of an empty store.
"""

from __future__ import annotations

import base64
import hashlib

ADDRESS_SIZE = 20
ZERO = bytes(ADDRESS_SIZE)

_STD = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_OURS = b"0123456789abcdefghijklmnopqrstuv"
_TO_OURS = bytes.maketrans(_STD, _OURS)
_TO_STD = bytes.maketrans(_OURS, _STD)
_sha256 = hashlib.sha256


def address_of(data: bytes) -> bytes:
    """The address of ``data``: the first 20 bytes of its SHA-256."""
    return _sha256(data).digest()[:ADDRESS_SIZE]


def to_text(address: bytes) -> str:
    """The 32-character base32 text form of a 20-byte address."""
    if len(address) != ADDRESS_SIZE:
        raise ValueError(f"an address is {ADDRESS_SIZE} bytes, got {len(address)}")
    return base64.b32encode(address).translate(_TO_OURS).decode("ascii")


def from_text(text: str) -> bytes:
    """Parse the text form; raises ValueError for anything that is not one."""
    raw = text.encode("ascii", "replace")
    if len(raw) != 32 or raw.translate(None, _OURS):
        raise ValueError(f"not an address: {text!r}")
    return base64.b32decode(raw.translate(_TO_STD))


def is_text_address(text: str) -> bool:
    """True if ``text`` is a well-formed address text."""
    try:
        from_text(text)
    except ValueError:
        return False
    return True
