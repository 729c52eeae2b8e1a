"""Compact value encoding: exact round trips, determinism, appended columns."""

from __future__ import annotations

import datetime
import math
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage.errors import CorruptionError
from storage.row_types import INT64_MAX, INT64_MIN, TIME_MAX_US, UINT64_MAX, FieldType, Kind, string
from storage.value_encoding import ValueCodec

_TIME_LIMIT = datetime.timedelta(microseconds=TIME_MAX_US)

VALUES = {
    Kind.INT: st.integers(INT64_MIN, INT64_MAX),
    Kind.UINT: st.integers(0, UINT64_MAX),
    Kind.DECIMAL: st.decimals(allow_nan=False, allow_infinity=False),
    Kind.FLOAT: st.floats(allow_nan=False),
    Kind.STRING: st.text(max_size=300),  # > 255 UTF-8 bytes exercises wide lengths
    Kind.BYTES: st.binary(max_size=300),
    Kind.DATE: st.dates(),
    Kind.TIME: st.timedeltas(min_value=-_TIME_LIMIT, max_value=_TIME_LIMIT),
    Kind.DATETIME: st.datetimes(),
    Kind.YEAR: st.integers(0, 0xFFFF),
    Kind.JSON: st.sampled_from(['{"a": [1, 2]}', "null", '"x\\u0000"', "[]"]),
}
ALL_TYPES = [FieldType(k) for k in VALUES if k is not Kind.STRING] + [string(), string("utf8mb4_bin")]


def _values_for(ft):
    return st.one_of(st.none(), VALUES[ft.kind])


@st.composite
def _rows(draw, min_size=0):
    types = tuple(draw(st.lists(st.sampled_from(ALL_TYPES), min_size=min_size, max_size=12)))
    return types, tuple(draw(_values_for(ft)) for ft in types)


def _same(a, b) -> bool:
    """Equal and the same representation (float sign, decimal scale, type)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if isinstance(a, Decimal):
        return a.as_tuple() == b.as_tuple()
    return a == b


@settings(max_examples=400, deadline=None)
@given(_rows())
def test_roundtrip_any_schema(row):
    types, values = row
    codec = ValueCodec(types)
    data = codec.encode(values)
    decoded = codec.decode(data)
    assert len(decoded) == len(values)
    assert all(_same(a, b) for a, b in zip(values, decoded)), (values, decoded)
    assert codec.decode(data) == decoded  # the cached plan gives the same answer


@settings(max_examples=200, deadline=None)
@given(_rows())
def test_deterministic(row):
    types, values = row
    # A fresh codec and freshly built equal values give identical bytes.
    rebuilt = tuple(
        None if v is None else (type(v)(v) if isinstance(v, (str, bytes, int)) else v) for v in values
    )
    assert ValueCodec(types).encode(values) == ValueCodec(types).encode(rebuilt)


@settings(max_examples=200, deadline=None)
@given(_rows(min_size=1), st.data())
def test_old_rows_decode_with_appended_columns(row, data):
    types, values = row
    extra = tuple(data.draw(st.lists(st.sampled_from(ALL_TYPES), min_size=1, max_size=5)))
    old_bytes = ValueCodec(types).encode(values)
    decoded = ValueCodec(types + extra).decode(old_bytes)
    assert decoded[: len(values)] == values
    assert decoded[len(values) :] == (None,) * len(extra)


def test_every_kind_with_and_without_null():
    row = (
        -7, UINT64_MAX, Decimal("-1.50"), -0.0, datetime.date(2024, 2, 29),
        datetime.timedelta(hours=-838, minutes=-59, seconds=-59), datetime.datetime(2021, 2, 3, 4, 5, 6, 789),
        2155, b"\x00\xff", '{"k": "v"}', "Grüße", "a  ",
    )
    types = [Kind.INT, Kind.UINT, Kind.DECIMAL, Kind.FLOAT, Kind.DATE, Kind.TIME, Kind.DATETIME, Kind.YEAR,
             Kind.BYTES, Kind.JSON, string(), string("utf8mb4_bin")]
    codec = ValueCodec(types)
    decoded = codec.decode(codec.encode(row))
    assert all(_same(a, b) for a, b in zip(row, decoded))
    assert str(decoded[2]) == "-1.50"  # the value part keeps the scale
    for i in range(len(row)):
        holed = row[:i] + (None,) + row[i + 1 :]
        assert codec.decode(codec.encode(holed)) == holed
    assert codec.decode(codec.encode((None,) * len(row))) == (None,) * len(row)


def test_compact_for_a_sysbench_row():
    codec = ValueCodec([Kind.INT, string(), string()])
    data = codec.encode((5, "c" * 120, "p" * 60))
    # header + bitmap + 8-byte int + two u8 lengths + the text itself
    assert len(data) == 1 + 1 + 8 + 2 + 180
    assert codec.encode((5, None, "p")) != codec.encode((5, "", "p"))


def test_wide_values_and_many_columns():
    codec = ValueCodec([string(), Kind.BYTES])
    row = ("é" * 200, b"\x00" * 70000)
    assert codec.decode(codec.encode(row)) == row
    types = [Kind.INT] * 100  # header needs a two-byte varint past 63 columns
    codec = ValueCodec(types)
    row = tuple(None if i % 7 == 0 else i for i in range(100))
    assert codec.decode(codec.encode(row)) == row
    assert ValueCodec(types + [Kind.INT]).decode(codec.encode(row)) == row + (None,)


def test_empty_schema():
    codec = ValueCodec([])
    assert codec.decode(codec.encode(())) == ()


def test_rejects_bad_rows():
    codec = ValueCodec([Kind.INT, Kind.FLOAT])
    with pytest.raises(ValueError):
        codec.encode((1,))
    with pytest.raises(ValueError):
        codec.encode((1, float("nan")))
    with pytest.raises(ValueError):
        codec.encode((INT64_MAX + 1, 1.0))
    with pytest.raises(ValueError):
        codec.encode(("x", 1.0))
    with pytest.raises(ValueError):
        ValueCodec([Kind.TIME]).encode((_TIME_LIMIT * 2,))
    with pytest.raises(ValueError):
        ValueCodec([Kind.DECIMAL]).encode((Decimal("Infinity"),))


def test_corrupt_rows_raise_corruption():
    codec = ValueCodec([Kind.INT, string(), Kind.DECIMAL])
    data = codec.encode((1, "abc", Decimal("2.5")))
    for cut in range(len(data)):
        with pytest.raises(CorruptionError):
            codec.decode(data[:cut])
    with pytest.raises(CorruptionError):
        codec.decode(data + b"x")
    wider = ValueCodec([Kind.INT, string(), Kind.DECIMAL, Kind.INT]).encode((1, "a", None, 2))
    with pytest.raises(CorruptionError):
        codec.decode(wider)  # more columns than the schema knows
