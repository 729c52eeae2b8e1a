"""Order-preserving tuple encoding: the bytes of prolly-map keys.

Why: a table is a prolly map ordered by raw key bytes, and range scans,
seeks, merges and unique checks all rely on that order being SQL's order.
So the one invariant of this module is, for tuples ``a`` and ``b`` of the
same schema::

    encode(a) <  encode(b)  iff  a < b   in SQL order (NULL first, strings
    encode(a) == encode(b)  iff  a = b   by their collation, 1.50 = 1.5,
                                         -0.0 = 0.0)

and each field's encoding is self-delimiting, so ``encode_prefix(v1..vk)``
is a byte prefix of every key whose leading fields are v1..vk; all of them
sort in ``[encode_prefix(p), prefix_upper_bound(encode_prefix(p)))``.

Layout: fields are concatenated; each starts with a tag byte::

    +-----+----------+-----+----------+---
    | tag | payload  | tag | payload  | ...
    +-----+----------+-----+----------+---
    tag 0x01 = NULL (no payload), 0x02 = a value; DECIMAL uses 0x02/0x03/0x04
    for negative/zero/positive.  No tag is 0xFF (see strings below).

    INT       8 bytes big-endian of v + 2**63        (sign bit flipped)
    UINT      8 bytes big-endian
    FLOAT     IEEE-754 big-endian; positives get the sign bit set, negatives
              have every bit inverted (so more negative sorts lower)
    DECIMAL   zero: tag only.  Otherwise: u16 exponent (adjusted() + 0x8000),
              then the digits with trailing zeros stripped, two per byte as
              1 + 10*d1 + d2 (1..100), then 0x00.  Negative: every byte after
              the tag inverted, so a bigger magnitude sorts lower.  1.50 and
              1.5 have the same digits, hence the same bytes.
    DATE      3 bytes big-endian proleptic ordinal (date.toordinal)
    TIME      8 bytes: signed microseconds, encoded as INT
    DATETIME  8 bytes big-endian microseconds since 0001-01-01 00:00:00
    YEAR      2 bytes big-endian
    BYTES     the bytes with 0x00 escaped as 00 FF, then a 00 terminator
    STRING    the collation's sort key, escaped like BYTES

The 00 terminator sorts below the 00 FF escape and below every tag of a
following field (tags are < 0xFF), so 'ab' < 'ab\\x00' < 'ab\\x01' and a
string that is a prefix of another sorts first, whatever follows.

Collated strings: the key holds the collation's sort key, so 'a' and 'A'
are one key under utf8mb4_0900_ai_ci and a unique index treats them as one.
``decode`` cannot recover the original text from a UCA sort key: for such
fields it returns the sort key *bytes*; the row layer keeps the original
string in the row's value part.  ``utf8mb4_bin`` and ``binary`` keys are
reversible and decode to ``str`` (``utf8mb4_bin`` is PAD SPACE, so its
trailing spaces are not part of the key and do not come back).
``KeyCodec.exact`` says, per field, whether decode returns the value itself.
DECIMAL keys decode to the normalized Decimal (Decimal('1.5') for 1.50),
equal in SQL; the row layer re-applies the column's scale.  JSON may not be
a key column.
"""

from __future__ import annotations

import datetime
import decimal
from operator import call as _call
from struct import Struct
from struct import error as StructError
from typing import Callable, Iterable, Sequence

from storage.collation import get_collation
from storage.errors import CorruptionError
from storage.row_types import (
    DECIMAL_MAX_DIGITS,
    TIME_MAX_US,
    TIME_MIN_US,
    FieldLike,
    FieldType,
    Kind,
    field_types,
)

NULL_TAG = 0x01
VALUE_TAG = 0x02
DEC_NEG, DEC_ZERO, DEC_POS = 0x02, 0x03, 0x04

_NULL = bytes([NULL_TAG])
_DEC_ZERO = bytes([DEC_ZERO])
_BQ = Struct(">BQ")
_BH = Struct(">BH")
_Q = Struct(">Q")
_H = Struct(">H")
_D = Struct(">d")
_SIGN = 1 << 63
_ALL64 = (1 << 64) - 1
_EXP_BIAS = 0x8000  # adjusted exponent as u16; MySQL needs only -30..64
_US = datetime.timedelta(microseconds=1)
_DT_MIN = datetime.datetime.min
_INVERT = bytes(range(255, -1, -1))  # translate table: b -> 255 - b

Encoder = Callable[[object], bytes]
Decoder = Callable[[bytes, int], tuple]


# ----------------------------------------------------------------- escaping


def _unescape(data: bytes, pos: int) -> tuple[bytes, int]:
    end = data.find(b"\x00", pos)
    if end < 0:
        raise CorruptionError("unterminated string in key")
    if data[end + 1 : end + 2] != b"\xff":
        return data[pos:end], end + 1
    parts = []
    while True:  # bounded: each pass consumes at least one escape
        parts.append(data[pos : end + 1])  # keep the real 0x00
        pos = end + 2
        end = data.find(b"\x00", pos)
        if end < 0:
            raise CorruptionError("unterminated string in key")
        if data[end + 1 : end + 2] != b"\xff":
            parts.append(data[pos:end])
            return b"".join(parts), end + 1


# ------------------------------------------------------------ field codecs


def _fixed(st: Struct, to_int, from_int) -> tuple[Encoder, Decoder]:
    """A fixed-width field stored as tag + one unsigned struct field."""
    pack, unpack_from, size = st.pack, st.unpack_from, st.size

    def enc(v):
        if v is None:
            return _NULL
        return pack(VALUE_TAG, to_int(v))

    def dec(data, pos):
        if data[pos] == NULL_TAG:
            return None, pos + 1
        return from_int(unpack_from(data, pos)[1]), pos + size

    return enc, dec


def _int_codec():
    return _fixed(_BQ, lambda v: v + _SIGN, lambda u: u - _SIGN)


def _uint_codec():
    ident = lambda v: v  # noqa: E731
    return _fixed(_BQ, ident, ident)


def _year_codec():
    ident = lambda v: v  # noqa: E731
    return _fixed(_BH, ident, ident)


def _float_to_int(v: float) -> int:
    if v != v:
        raise ValueError("NaN cannot be stored")
    bits = _Q.unpack(_D.pack(v + 0.0))[0]  # + 0.0 turns -0.0 into 0.0
    return bits ^ _ALL64 if bits & _SIGN else bits | _SIGN


def _int_to_float(u: int) -> float:
    bits = u ^ _SIGN if u & _SIGN else u ^ _ALL64
    return _D.unpack(_Q.pack(bits))[0]


def _float_codec():
    return _fixed(_BQ, _float_to_int, _int_to_float)


def _time_to_int(v: datetime.timedelta) -> int:
    us = v // _US
    if not TIME_MIN_US <= us <= TIME_MAX_US:
        raise ValueError(f"TIME out of range: {v}")
    return us + _SIGN


def _time_codec():
    return _fixed(_BQ, _time_to_int, lambda u: datetime.timedelta(microseconds=u - _SIGN))


def _datetime_codec():
    return _fixed(
        _BQ,
        lambda v: (v - _DT_MIN) // _US,  # an aware datetime raises TypeError here
        lambda u: _DT_MIN + datetime.timedelta(microseconds=u),
    )


def _date_codec():
    def enc(v):
        if v is None:
            return _NULL
        return b"\x02" + v.toordinal().to_bytes(3, "big")

    def dec(data, pos):
        if data[pos] == NULL_TAG:
            return None, pos + 1
        return datetime.date.fromordinal(int.from_bytes(data[pos + 1 : pos + 4], "big")), pos + 4

    return enc, dec


def _decimal_codec():
    def enc(v):
        if v is None:
            return _NULL
        if not v.is_finite():
            raise ValueError(f"DECIMAL must be finite, got {v}")
        if not v:
            return _DEC_ZERO
        sign, digits, _ = v.as_tuple()
        n = len(digits)
        while digits[n - 1] == 0:  # terminates: a non-zero value has a non-zero digit
            n -= 1
        if n > DECIMAL_MAX_DIGITS:
            raise ValueError(f"DECIMAL has more than {DECIMAL_MAX_DIGITS} significant digits: {v}")
        exp = v.adjusted() + _EXP_BIAS
        if not 0 <= exp <= 0xFFFF:
            raise ValueError(f"DECIMAL exponent out of range: {v}")
        padded = digits[:n] + (0,) if n & 1 else digits[:n]
        body = _H.pack(exp) + bytes(1 + 10 * padded[i] + padded[i + 1] for i in range(0, n, 2)) + b"\x00"
        if sign:
            return bytes([DEC_NEG]) + body.translate(_INVERT)
        return bytes([DEC_POS]) + body

    def dec(data, pos):
        tag = data[pos]
        if tag == NULL_TAG:
            return None, pos + 1
        if tag == DEC_ZERO:
            return decimal.Decimal(0), pos + 1
        negative = tag == DEC_NEG
        end = data.find(b"\xff" if negative else b"\x00", pos + 3)
        if end < 0 or tag not in (DEC_NEG, DEC_POS):
            raise CorruptionError("bad DECIMAL in key")
        body = data[pos + 1 : end]
        if negative:
            body = body.translate(_INVERT)
        adjusted = _H.unpack_from(body)[0] - _EXP_BIAS
        digits = []
        for b in body[2:]:
            digits += divmod(b - 1, 10)
        if digits and digits[-1] == 0:
            digits.pop()  # the pad of an odd digit count
        value = decimal.Decimal((int(negative), tuple(digits), adjusted - len(digits) + 1))
        return value, end + 1

    return enc, dec


def _bytes_codec():
    def enc(v):
        if v is None:
            return _NULL
        return b"\x02" + bytes(v).replace(b"\x00", b"\x00\xff") + b"\x00"

    def dec(data, pos):
        if data[pos] == NULL_TAG:
            return None, pos + 1
        return _unescape(data, pos + 1)

    return enc, dec


def _string_codec(collation_name: str):
    collation = get_collation(collation_name)
    sort_key = collation.sort_key
    reverse = collation.reverse_key

    def enc(v):
        if v is None:
            return _NULL
        return b"\x02" + sort_key(v).replace(b"\x00", b"\x00\xff") + b"\x00"

    def dec(data, pos):
        if data[pos] == NULL_TAG:
            return None, pos + 1
        key, pos = _unescape(data, pos + 1)
        return (reverse(key) if reverse is not None else key), pos

    return enc, dec


_FACTORIES = {
    Kind.INT: _int_codec,
    Kind.UINT: _uint_codec,
    Kind.FLOAT: _float_codec,
    Kind.DECIMAL: _decimal_codec,
    Kind.DATE: _date_codec,
    Kind.TIME: _time_codec,
    Kind.DATETIME: _datetime_codec,
    Kind.YEAR: _year_codec,
    Kind.BYTES: _bytes_codec,
}


def _field_codec(ft: FieldType) -> tuple[Encoder, Decoder]:
    if ft.kind is Kind.STRING:
        return _string_codec(ft.collation)
    if ft.kind is Kind.JSON:
        raise ValueError("a JSON column cannot be part of a key")
    return _FACTORIES[ft.kind]()


# -------------------------------------------------------------------- codec


def prefix_upper_bound(prefix: bytes) -> bytes | None:
    """The smallest byte string greater than every string starting with ``prefix``.

    None when there is none (``prefix`` is empty or all 0xFF): scan to the end.
    """
    stripped = prefix.rstrip(b"\xff")
    if not stripped:
        return None
    return stripped[:-1] + bytes([stripped[-1] + 1])


class KeyCodec:
    """Encodes and decodes key tuples of one schema; build once per schema.

    ``encode(values) -> bytes`` is the key of a full tuple (ValueError for a
    wrong arity or an unencodable value); ``decode(data) -> tuple`` inverts
    it (see the module doc for collated strings and decimals).  Both are
    closures over the per-field codecs, built here once.
    """

    __slots__ = ("types", "exact", "encode", "decode", "_encoders", "_decoders", "_n")

    def __init__(self, kinds: Iterable[FieldLike]):
        self.types: tuple[FieldType, ...] = field_types(kinds)
        codecs = [_field_codec(ft) for ft in self.types]
        self._encoders = tuple(e for e, _ in codecs)
        self._decoders = tuple(d for _, d in codecs)
        self._n = len(self.types)
        # exact[i]: decode returns field i's value itself (not a sort key).
        self.exact = tuple(
            ft.kind is not Kind.STRING or get_collation(ft.collation).reverse_key is not None
            for ft in self.types
        )
        self.encode: Callable[[Sequence], bytes] = self._make_encode()
        self.decode: Callable[[bytes], tuple] = self._make_decode(tuple(d for _, d in codecs))

    def _make_encode(self) -> Callable[[Sequence], bytes]:
        n, encoders, join = self._n, self._encoders, b"".join

        if n == 1:  # the most common primary key: one column
            only = encoders[0]

            def encode(values):
                if len(values) != 1:
                    raise ValueError(f"key has 1 field, got {len(values)}")
                try:
                    return only(values[0])
                except (StructError, OverflowError) as exc:
                    raise ValueError(f"key value out of range in {tuple(values)!r}: {exc}") from None

            return encode

        def encode(values):
            if len(values) != n:
                raise ValueError(f"key has {n} fields, got {len(values)}")
            try:
                return join(map(_call, encoders, values))
            except (StructError, OverflowError) as exc:
                raise ValueError(f"key value out of range in {tuple(values)!r}: {exc}") from None

        return encode

    @staticmethod
    def _make_decode(decoders: tuple[Decoder, ...]) -> Callable[[bytes], tuple]:
        if len(decoders) == 1:
            only = decoders[0]

            def decode_one(data):
                try:
                    value, pos = only(data, 0)
                except (IndexError, StructError, ValueError) as exc:
                    raise CorruptionError(f"undecodable key {data.hex()}: {exc}") from None
                if pos != len(data):
                    raise CorruptionError(f"trailing bytes in key {data.hex()}")
                return (value,)

            return decode_one

        def decode(data):
            pos = 0
            out = []
            append = out.append
            try:
                for dec in decoders:
                    value, pos = dec(data, pos)
                    append(value)
            except (IndexError, StructError, ValueError) as exc:
                raise CorruptionError(f"undecodable key {data.hex()}: {exc}") from None
            if pos != len(data):
                raise CorruptionError(f"trailing bytes in key {data.hex()}")
            return tuple(out)

        return decode

    def encode_prefix(self, values: Sequence) -> bytes:
        """The encoding of the leading ``len(values)`` fields: a byte prefix of
        every full key with those leading values (and sorting before them)."""
        if len(values) > self._n:
            raise ValueError(f"key has {self._n} fields, prefix has {len(values)}")
        try:
            return b"".join(map(_call, self._encoders, values))
        except (StructError, OverflowError) as exc:
            raise ValueError(f"key value out of range in {tuple(values)!r}: {exc}") from None

    def prefix_end(self, data: bytes, n: int) -> int:
        """Where the first ``n`` fields of key ``data`` end: ``data[prefix_end(data, n):]`` is the key of the
        remaining fields (a secondary-index entry's primary key, without decoding it)."""
        pos = 0
        try:
            for dec in self._decoders[:n]:
                _, pos = dec(data, pos)
        except (IndexError, StructError, ValueError) as exc:
            raise CorruptionError(f"undecodable key {data.hex()}: {exc}") from None
        return pos

    def prefix_range(self, values: Sequence) -> tuple[bytes, bytes | None]:
        """``[start, end)`` holding exactly the keys whose leading fields are
        ``values``; ``end`` None means "to the end of the map"."""
        start = self.encode_prefix(values)
        return start, prefix_upper_bound(start)
