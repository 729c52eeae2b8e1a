"""Order-preserving key encoding: byte order must be SQL order, round trips exact.

SQL order here is computed independently of the encoder: NULL first, numbers
and times by value, ``binary`` by code point, ``utf8mb4_bin`` by space-padded
code points, UCA collations by pyuca's own primary (ai_ci) or full (as_cs)
weights.
"""

from __future__ import annotations

import datetime
import functools
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage import collation as collation_module
from storage.errors import CorruptionError
from storage.row_types import (
    INT64_MAX,
    INT64_MIN,
    TIME_MAX_US,
    UINT64_MAX,
    FieldType,
    Kind,
    string,
)
from storage.tuple_encoding import KeyCodec, prefix_upper_bound

# ------------------------------------------------------------ SQL order model


def _cmp(a, b) -> int:
    return (a > b) - (a < b)


def _uca_key(s: str, levels: int) -> tuple:
    full = collation_module._uca().collator.sort_key(s)
    return full[: full.index(0)] if levels == 1 else full[:-1]


def _sql_cmp_field(ft: FieldType, a, b) -> int:
    if a is None or b is None:
        return _cmp(a is not None, b is not None)
    if ft.kind is Kind.STRING:
        if ft.collation == "binary":
            return _cmp(a, b)
        if ft.collation == "utf8mb4_bin":
            width = max(len(a), len(b))
            return _cmp(a.ljust(width), b.ljust(width))
        levels = 1 if ft.collation.endswith("_ai_ci") else 3
        return _cmp(_uca_key(a, levels), _uca_key(b, levels))
    return _cmp(a, b)


def _sql_cmp(types, a, b) -> int:
    for ft, x, y in zip(types, a, b):
        c = _sql_cmp_field(ft, x, y)
        if c:
            return c
    return 0


def _roundtrip_expected(ft: FieldType, v):
    """What decode gives back for an exact field."""
    if v is None:
        return None
    if ft.kind is Kind.STRING and ft.collation == "utf8mb4_bin":
        return v.rstrip(" ")
    return v


# ---------------------------------------------------------------- strategies

_TIME_LIMIT = datetime.timedelta(microseconds=TIME_MAX_US)


@st.composite
def _decimals(draw):
    digits = draw(st.integers(1, 65))
    coefficient = draw(st.integers(-(10**digits) + 1, 10**digits - 1))
    exponent = draw(st.integers(-30, 30))
    trailing = draw(st.integers(0, 3))  # 1.50 vs 1.5: same value, different digits
    return Decimal(f"{coefficient}{'0' * trailing}E{exponent - trailing}")


_STRING_VALUES = st.text(
    st.one_of(st.sampled_from("aAáÅbß s\x00\t!\uffff\U0001f600"), st.characters(codec="utf-8")), max_size=8
)

VALUES = {
    Kind.INT: st.one_of(st.integers(INT64_MIN, INT64_MAX), st.sampled_from([INT64_MIN, INT64_MAX, -1, 0, 1])),
    Kind.UINT: st.one_of(st.integers(0, UINT64_MAX), st.sampled_from([0, 1, UINT64_MAX])),
    Kind.DECIMAL: st.one_of(
        _decimals(), st.sampled_from([Decimal("0"), Decimal("-0.00"), Decimal("1.50"), Decimal("1.5")])
    ),
    Kind.FLOAT: st.one_of(st.floats(allow_nan=False), st.sampled_from([-0.0, 0.0, 5e-324, -5e-324, float("inf")])),
    Kind.BYTES: st.one_of(st.binary(max_size=8), st.sampled_from([b"", b"\x00", b"\x00\x00", b"\xff", b"a\x00b"])),
    Kind.DATE: st.dates(),
    Kind.TIME: st.timedeltas(min_value=-_TIME_LIMIT, max_value=_TIME_LIMIT),
    Kind.DATETIME: st.datetimes(),
    Kind.YEAR: st.integers(0, 0xFFFF),
}

FIELD_TYPES = [FieldType(k) for k in VALUES] + [
    string("utf8mb4_0900_ai_ci"),
    string("utf8mb4_0900_as_cs"),
    string("utf8mb4_bin"),
    string("binary"),
]


def _values_for(ft: FieldType):
    base = _STRING_VALUES if ft.kind is Kind.STRING else VALUES[ft.kind]
    return st.one_of(st.none(), base)


@functools.lru_cache(maxsize=None)
def _codec(types: tuple) -> KeyCodec:
    return KeyCodec(types)


def _assert_order(types, a, b):
    codec = _codec(types)
    ka, kb = codec.encode(a), codec.encode(b)
    assert _cmp(ka, kb) == _sql_cmp(types, a, b), (a, b, ka.hex(), kb.hex())


def _assert_roundtrip(types, a):
    codec = _codec(types)
    decoded = codec.decode(codec.encode(a))
    for ft, exact, v, d in zip(types, codec.exact, a, decoded):
        if exact:
            assert d == _roundtrip_expected(ft, v)
            assert type(d) is type(v) or v is None or ft.kind is Kind.FLOAT
        else:  # a UCA sort key: bytes that re-encode to the same key
            assert d is None if v is None else d == collation_module.get_collation(ft.collation).sort_key(v)


# -------------------------------------------------------------- properties


@pytest.mark.parametrize("ft", FIELD_TYPES, ids=repr)
@settings(max_examples=120, deadline=None)
@given(data=st.data())
def test_single_field_order_and_roundtrip(ft, data):
    a = data.draw(_values_for(ft))
    b = data.draw(st.one_of(st.just(a), _values_for(ft)))
    _assert_order((ft,), (a,), (b,))
    _assert_roundtrip((ft,), (a,))


@st.composite
def _tuple_pairs(draw):
    types = tuple(draw(st.lists(st.sampled_from(FIELD_TYPES), min_size=1, max_size=4)))
    a = tuple(draw(_values_for(ft)) for ft in types)
    keep = draw(st.integers(0, len(types)))  # share a prefix, so later fields matter
    b = a[:keep] + tuple(draw(_values_for(ft)) for ft in types[keep:])
    return types, a, b


@settings(max_examples=400, deadline=None)
@given(_tuple_pairs())
def test_multi_column_order_and_roundtrip(pair):
    types, a, b = pair
    _assert_order(types, a, b)
    _assert_roundtrip(types, a)
    _assert_roundtrip(types, b)


@settings(max_examples=200, deadline=None)
@given(_tuple_pairs(), st.data())
def test_prefix_range_holds_exactly_the_extensions(pair, data):
    types, a, b = pair
    codec = _codec(types)
    k = data.draw(st.integers(0, len(types)))
    start, end = codec.prefix_range(a[:k])
    for t in (a, b):
        key = codec.encode(t)
        inside = start <= key and (end is None or key < end)
        extends = _sql_cmp(types[:k], t[:k], a[:k]) == 0
        assert inside == extends


# ------------------------------------------------------------- edge values

EDGES = {
    Kind.INT: [None, INT64_MIN, INT64_MIN + 1, -256, -1, 0, 1, 255, 256, INT64_MAX],
    Kind.UINT: [None, 0, 1, 255, 256, 2**63, UINT64_MAX],
    Kind.DECIMAL: [
        None, Decimal("-1e64"), Decimal("-123.45"), Decimal("-1.5"), Decimal("-1.23"), Decimal("-1e-30"),
        Decimal(0), Decimal("1e-30"), Decimal("0.000000000000000000000000000011"), Decimal("1.2"),
        Decimal("1.21"), Decimal("1.5"), Decimal("10"), Decimal("9" * 35 + "." + "9" * 30),
        Decimal("9" * 65),
    ],
    Kind.FLOAT: [None, float("-inf"), -1e308, -1.0, -5e-324, 0.0, 5e-324, 1.0, 1e308, float("inf")],
    Kind.BYTES: [
        None, b"", b"\x00", b"\x00\x00", b"\x00\x01", b"\x00\xff", b"\x01", b"a", b"a\x00", b"a\x00b", b"ab",
        b"\xff", b"\xff\xff",
    ],
    Kind.DATE: [None, datetime.date.min, datetime.date(1970, 1, 1), datetime.date(2024, 2, 29), datetime.date.max],
    Kind.TIME: [
        None, -_TIME_LIMIT, datetime.timedelta(hours=-1, microseconds=-1), datetime.timedelta(microseconds=-1),
        datetime.timedelta(0), datetime.timedelta(microseconds=1), datetime.timedelta(hours=25), _TIME_LIMIT,
    ],
    Kind.DATETIME: [
        None, datetime.datetime.min, datetime.datetime(2000, 1, 1), datetime.datetime(2000, 1, 1, 0, 0, 0, 1),
        datetime.datetime(2000, 1, 1, 0, 0, 1), datetime.datetime.max,
    ],
    Kind.YEAR: [None, 0, 1901, 2155, 0xFFFF],
}


@pytest.mark.parametrize("kind", list(EDGES), ids=lambda k: k.name)
def test_edge_values_sort_in_sql_order(kind):
    values = EDGES[kind]  # listed in ascending SQL order
    codec = KeyCodec([kind])
    keys = [codec.encode((v,)) for v in values]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert [codec.decode(k)[0] for k in keys] == values


def test_equal_values_encode_identically():
    assert KeyCodec([Kind.DECIMAL]).encode((Decimal("1.50"),)) == KeyCodec([Kind.DECIMAL]).encode((Decimal("1.5"),))
    assert KeyCodec([Kind.DECIMAL]).encode((Decimal("-0.00"),)) == KeyCodec([Kind.DECIMAL]).encode((Decimal(0),))
    assert KeyCodec([Kind.FLOAT]).encode((-0.0,)) == KeyCodec([Kind.FLOAT]).encode((0.0,))
    ci = KeyCodec([string("utf8mb4_0900_ai_ci"), Kind.INT])
    assert ci.encode(("Straße", 1)) == ci.encode(("STRASSE", 1))
    assert ci.exact == (False, True)
    cs = KeyCodec([string("utf8mb4_0900_as_cs")])
    assert cs.encode(("a",)) != cs.encode(("A",))


def test_decimal_decodes_normalized_and_equal():
    codec = KeyCodec([Kind.DECIMAL])
    assert codec.decode(codec.encode((Decimal("1.50"),)))[0] == Decimal("1.5")
    assert codec.decode(codec.encode((Decimal("-120.00"),)))[0] == Decimal("-120")


def test_rejects_bad_values():
    with pytest.raises(ValueError):
        KeyCodec([Kind.JSON])
    for kind, bad in [
        (Kind.FLOAT, float("nan")),
        (Kind.INT, INT64_MAX + 1),
        (Kind.INT, INT64_MIN - 1),
        (Kind.UINT, -1),
        (Kind.UINT, UINT64_MAX + 1),
        (Kind.TIME, _TIME_LIMIT + datetime.timedelta(microseconds=1)),
        (Kind.DECIMAL, Decimal("NaN")),
        (Kind.DECIMAL, Decimal("1" * 66)),
    ]:
        with pytest.raises(ValueError):
            KeyCodec([kind]).encode((bad,))
    with pytest.raises(ValueError):
        KeyCodec([Kind.INT, Kind.INT]).encode((1,))
    with pytest.raises(ValueError):
        KeyCodec([Kind.INT]).encode_prefix((1, 2))


def test_truncated_or_trailing_keys_are_corruption():
    codec = KeyCodec([Kind.INT, Kind.BYTES, Kind.DECIMAL])
    key = codec.encode((5, b"x\x00y", Decimal("-3.25")))
    for cut in range(len(key)):
        with pytest.raises(CorruptionError):
            codec.decode(key[:cut])
    with pytest.raises(CorruptionError):
        codec.decode(key + b"\x00")


def test_prefix_upper_bound():
    assert prefix_upper_bound(b"\x02\x05") == b"\x02\x06"
    assert prefix_upper_bound(b"\x02\xff\xff") == b"\x03"
    assert prefix_upper_bound(b"\xff") is None
    assert prefix_upper_bound(b"") is None


def test_prefix_scan_over_leading_column():
    codec = KeyCodec([Kind.INT, string("utf8mb4_0900_ai_ci")])
    rows = [(i % 5 - 2, name) for i, name in enumerate(["x", "b", "A", "", "zz", "a\x00", None] * 3)]
    keys = sorted(codec.encode(r) for r in rows)
    start, end = codec.prefix_range((1,))
    selected = [k for k in keys if start <= k < end]
    assert len(selected) == sum(1 for r in rows if r[0] == 1)
    assert all(codec.decode(k)[0] == 1 for k in selected)
