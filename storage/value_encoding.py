"""Compact value encoding: the bytes of a row's non-key columns.

Why its own format: the value part is decoded once per scanned row, so it
must be cheap to decode in Python, and it is hashed into chunk addresses, so
it must be deterministic (equal rows give identical bytes, or identical
tables would not share chunks).  Order does not matter here (the key
carries it), so the layout is chosen for one ``struct.unpack_from`` call::

    +--------+-------------+---------------------------+---------------------+
    | header | null bitmap | fixed part (little-endian) | variable data       |
    | varint | ceil(n/8) B | non-NULL fixed-width values | non-NULL variable  |
    |        | bit i = col | in column order, then one   | values' bytes,     |
    |        | i is NULL   | length per non-NULL         | concatenated in    |
    |        |             | variable-width value        | column order       |
    +--------+-------------+---------------------------+---------------------+
    header = n << 1 | wide: n is the number of columns the row was written
    with; wide=0 stores lengths as u8, wide=1 as u32 (set iff some length
    > 255, so the choice is a function of the row: determinism holds).

    fixed-width kinds     struct  stored as
    INT / UINT / FLOAT    q Q d   the value (FLOAT keeps -0.0; NaN rejected)
    YEAR                  H       the value
    DATE                  I       date.toordinal()
    TIME                  q       microseconds (MySQL TIME range enforced)
    DATETIME              q       microseconds since 0001-01-01 00:00:00
    variable-width kinds
    STRING / JSON         UTF-8 bytes
    BYTES                 the bytes
    DECIMAL               str(value) in ASCII: exact, keeps the scale (1.50)

Schema evolution: columns may only be appended.  A row written with n
columns decodes under a codec with more columns as the n values followed by
None for the rest (ALTER TABLE ADD COLUMN without rewriting rows).

Speed: the header and bitmap (a few bytes) select a decode *plan*, a small
function generated once per (columns written, NULL pattern, width) with the
struct format, slice offsets and conversions inlined, so decoding a row is
one dict lookup, one ``unpack_from`` and one slice per variable-width value.
Encoding rows without NULLs uses one generated function per schema too.
Generated code only ever contains names derived from column positions.
"""

from __future__ import annotations

import datetime
import decimal
from struct import Struct
from struct import error as StructError
from typing import Callable, Iterable, Sequence

from storage.errors import CorruptionError
from storage.row_types import TIME_MAX_US, TIME_MIN_US, FieldLike, FieldType, Kind, field_types

# A decode plan is cached per distinct (n, NULL pattern, width).  Real tables
# see a handful of patterns; the cap only bounds memory for a pathological
# table with many nullable columns (the cache is then simply rebuilt).
_MAX_PLANS = 1024
_NARROW_MAX = 255  # longest variable-width value whose length fits a u8

_US = datetime.timedelta(microseconds=1)


def _time_us(v: datetime.timedelta) -> int:
    us = v // _US
    if not TIME_MIN_US <= us <= TIME_MAX_US:
        raise ValueError(f"TIME out of range: {v}")
    return us


def _nan() -> float:
    raise ValueError("NaN cannot be stored")


def _dec_text(v: decimal.Decimal) -> bytes:
    if not v.is_finite():
        raise ValueError(f"DECIMAL must be finite, got {v}")
    return str(v).encode("ascii")


# Names the generated code may use.
_NAMESPACE = {
    "_time_us": _time_us,
    "_nan": _nan,
    "_dec_text": _dec_text,
    "_Decimal": decimal.Decimal,
    "_td": datetime.timedelta,
    "_fromordinal": datetime.date.fromordinal,
    "_DT_MIN": datetime.datetime.min,
    "_US": _US,
    "_StructError": StructError,
    "_CorruptionError": CorruptionError,
}

# kind -> (struct code, encode expression of {v}, decode expression of {x});
# the code is None for variable-width kinds, whose decode {x} is a slice.
_FORMATS: dict[Kind, tuple[str | None, str, str]] = {
    Kind.INT: ("q", "{v}", "{x}"),
    Kind.UINT: ("Q", "{v}", "{x}"),
    Kind.FLOAT: ("d", "({v} if {v} == {v} else _nan())", "{x}"),
    Kind.YEAR: ("H", "{v}", "{x}"),
    Kind.DATE: ("I", "{v}.toordinal()", "_fromordinal({x})"),
    Kind.TIME: ("q", "_time_us({v})", "_td(microseconds={x})"),
    Kind.DATETIME: ("q", "(({v} - _DT_MIN) // _US)", "(_DT_MIN + _td(microseconds={x}))"),
    Kind.STRING: (None, "{v}.encode('utf-8')", "{x}.decode('utf-8')"),
    Kind.JSON: (None, "{v}.encode('utf-8')", "{x}.decode('utf-8')"),
    Kind.BYTES: (None, "bytes({v})", "{x}"),
    Kind.DECIMAL: (None, "_dec_text({v})", "_Decimal({x}.decode('ascii'))"),
}


def _varint(n: int) -> bytes:
    out = bytearray()
    while n >= 0x80:  # bounded: n shrinks by 7 bits a pass
        out.append(n & 0x7F | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _read_varint(data: bytes) -> tuple[int, int]:
    n = shift = pos = 0
    while True:  # bounded by len(data): data[pos] raises IndexError past the end
        b = data[pos]
        n |= (b & 0x7F) << shift
        pos += 1
        if b < 0x80:
            return n, pos
        shift += 7


class ValueCodec:
    """Encodes and decodes value tuples of one schema; build once per schema."""

    __slots__ = ("types", "_n", "_plans", "_prefix_len", "encode", "_to_bytes", "_struct_cache")

    def __init__(self, kinds: Iterable[FieldLike]):
        self.types: tuple[FieldType, ...] = field_types(kinds)
        self._n = len(self.types)
        self._plans: dict[bytes, Callable[[bytes], tuple]] = {}
        self._struct_cache: dict[str, Struct] = {}
        # Header + bitmap length for a 1-byte header, indexed by that byte.
        self._prefix_len = [1 + ((b >> 1) + 7 >> 3) for b in range(128)]
        # Per-column converters for the general (NULL-holding) encode path.
        self._to_bytes = [
            eval("lambda v: " + _FORMATS[ft.kind][1].format(v="v"), dict(_NAMESPACE)) for ft in self.types
        ]
        self.encode: Callable[[Sequence], bytes] = self._compile_encoder()

    # ---------------------------------------------------------------- encode

    def _compile_encoder(self) -> Callable[[Sequence], bytes]:
        """``encode(values) -> bytes``, generated for this schema's no-NULL,
        narrow case; anything else falls back to ``_encode_general``."""
        n = self._n
        fixed, var = [], []
        for i, ft in enumerate(self.types):
            code, enc, _ = _FORMATS[ft.kind]
            (fixed if code else var).append((i, code, enc.format(v=f"v{i}")))
        fmt = "<" + "".join(c for _, c, _ in fixed) + "B" * len(var)
        header = _varint(n << 1) + bytes((n + 7) // 8)
        names = "".join(f"v{i}, " for i in range(n))
        lines = [
            "def encode(values):",
            f"    if len(values) != {n} or None in values:",
            "        return general(values)",
            f"    {names}= values" if n else "    pass",
            "    try:",
        ]
        for i, _, expr in var:
            lines.append(f"        b{i} = {expr}")
        if var:
            lines.append("        if " + " or ".join(f"len(b{i}) > {_NARROW_MAX}" for i, _, _ in var) + ":")
            lines.append("            return general(values)")
        args = [expr for _, _, expr in fixed] + [f"len(b{i})" for i, _, _ in var]
        body = " + ".join(["header", f"pack({', '.join(args)})"] + [f"b{i}" for i, _, _ in var])
        lines += [
            f"        return {body}",
            "    except (_StructError, OverflowError, AttributeError, TypeError) as exc:",
            "        raise ValueError(f'cannot encode row {values!r}: {exc}') from None",
        ]
        source = "\n".join(lines)
        namespace = dict(_NAMESPACE, general=self._encode_general, header=header, pack=Struct(fmt).pack)
        exec(compile(source, "<value_encoding encode>", "exec"), namespace)
        return namespace["encode"]

    def _encode_general(self, values: Sequence) -> bytes:
        if len(values) != self._n:
            raise ValueError(f"row has {self._n} columns, got {len(values)}")
        mask = 0
        codes = []
        fixed_values = []
        var_values = []
        try:
            for i, (v, ft, conv) in enumerate(zip(values, self.types, self._to_bytes)):
                if v is None:
                    mask |= 1 << i
                    continue
                code = _FORMATS[ft.kind][0]
                if code:
                    codes.append(code)
                    fixed_values.append(conv(v))
                else:
                    var_values.append(conv(v))
            lengths = [len(b) for b in var_values]
            wide = bool(lengths) and max(lengths) > _NARROW_MAX
            fmt = "<" + "".join(codes) + ("I" if wide else "B") * len(lengths)
            st = self._struct_cache.get(fmt)
            if st is None:
                st = self._struct_cache[fmt] = Struct(fmt)
            fixed_part = st.pack(*fixed_values, *lengths)
        except (StructError, OverflowError, AttributeError, TypeError) as exc:
            raise ValueError(f"cannot encode row {tuple(values)!r}: {exc}") from None
        header = _varint(self._n << 1 | wide) + mask.to_bytes((self._n + 7) // 8, "little")
        return b"".join([header, fixed_part, *var_values])

    # ---------------------------------------------------------------- decode

    def decode(self, data: bytes) -> tuple:
        """The row ``data`` encodes, padded with None to this schema's width."""
        try:
            b0 = data[0]
            key = data[: self._prefix_len[b0]] if b0 < 0x80 else None
            plan = self._plans.get(key) if key is not None else None
            if plan is None:
                plan = self._plan_for(data)
            return plan(data)
        except (IndexError, StructError, UnicodeDecodeError, decimal.InvalidOperation, OverflowError) as exc:
            raise CorruptionError(f"undecodable row value {data[:64].hex()}: {exc}") from None

    def _plan_for(self, data: bytes) -> Callable[[bytes], tuple]:
        header, pos = _read_varint(data)
        ncols, wide = header >> 1, header & 1
        if ncols > self._n:
            raise CorruptionError(f"row has {ncols} columns, schema only {self._n}")
        nbytes = (ncols + 7) // 8
        key = data[: pos + nbytes]
        plan = self._plans.get(key)
        if plan is None:
            mask = int.from_bytes(data[pos : pos + nbytes], "little")
            plan = self._compile_plan(ncols, mask, wide, pos + nbytes)
            if len(self._plans) >= _MAX_PLANS:
                self._plans.clear()
            self._plans[key] = plan
        return plan

    def _compile_plan(self, ncols: int, mask: int, wide: int, offset: int) -> Callable[[bytes], tuple]:
        fixed, var = [], []
        for i in range(ncols):
            if not mask >> i & 1:
                code, _, dec = _FORMATS[self.types[i].kind]
                (fixed if code else var).append((i, code, dec))
        st = Struct("<" + "".join(c for _, c, _ in fixed) + ("I" if wide else "B") * len(var))
        exprs = ["None"] * self._n
        lines = ["def plan(data):"]
        names = [f"f{i}" for i, _, _ in fixed] + [f"l{i}" for i, _, _ in var]
        if names:
            lines.append(f"    {', '.join(names)}, = unpack_from(data, {offset})")
        for i, _, dec in fixed:
            exprs[i] = dec.format(x=f"f{i}")
        lines.append(f"    p = {offset + st.size}")
        for i, _, dec in var:
            lines.append(f"    e = p + l{i}")
            lines.append(f"    x{i} = data[p:e]")
            lines.append("    p = e")
            exprs[i] = dec.format(x=f"x{i}")
        lines += [
            "    if p != len(data):",
            "        raise _CorruptionError('row value length does not match its header')",
            f"    return ({''.join(e + ', ' for e in exprs)})",
        ]
        namespace = dict(_NAMESPACE, unpack_from=st.unpack_from)
        exec(compile("\n".join(lines), "<value_encoding plan>", "exec"), namespace)
        return namespace["plan"]
