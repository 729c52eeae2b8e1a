"""CAST / CONVERT: a value converted to a target type the way MySQL 8 converts it.

``converter(target)`` is called once per plan (``expressions.compile_expr``
on a ``Call("cast", (x,), target)``) and returns ``conv(v, ctx)``: the target
type is dispatched on at compile time, never per row.  The planner maps the
syntax (``SIGNED [INTEGER]``, ``UNSIGNED``, ``DECIMAL(p,s)``, ``CHAR(n)``,
``BINARY(n)``, ``DOUBLE``/``FLOAT``/``REAL``, ``DATE``, ``DATETIME(fsp)``,
``TIME(fsp)``, ``YEAR``, ``JSON``, ``CONVERT(x USING cs)``) to the target
``SqlType``.

MySQL's rules kept here (https://dev.mysql.com/doc/refman/8.0/en/cast-functions.html):

* string -> integer reads the leading integer (``'12abc'`` -> 12, ``'1.9'`` ->
  1, ``'1e3'`` -> 1) and warns 1292 "Truncated incorrect INTEGER value" when
  anything but spaces follows; an out-of-range string saturates at
  18446744073709551615 (which SIGNED then reads as -1, as the server does);
* decimal -> integer rounds half away from zero, double -> integer rounds half
  to even (the C library's ``rint``), both saturating at the BIGINT range;
* SIGNED reads an unsigned value above 2^63-1 as its two's complement and
  UNSIGNED a negative integer as its complement (a negative DECIMAL or DOUBLE
  becomes 0);
* DECIMAL(p,s) (default (10,0)) rounds half up to ``s`` digits and clips to
  the largest value with ``p`` digits, warning 1264;
* CHAR(n)/BINARY(n) cut longer values with warning 1292 ("Truncated incorrect
  CHAR(2) value"); BINARY(n) pads with NUL bytes;
* temporal targets give NULL with warning 1292 "Incorrect datetime value"
  for text that is not a date; numbers read as YYYYMMDD[hhmmss] / hhmmss.
"""

from __future__ import annotations

import datetime
import decimal
import math
import re

from sqlserver.engine.expressions import BIGINT_MAX, BIGINT_MIN, shown, to_number, to_text
from sqlserver import sqltypes
from sqlserver.sqltypes import SqlType, _round_fsp, _to_datetime, _to_time

U64_MAX = (1 << 64) - 1
_INT_PREFIX = re.compile(r"\s*[+-]?\d+")
_DEC_PREFIX = re.compile(r"\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def _as_str(v) -> str:
    return v.decode("utf-8", "replace") if isinstance(v, bytes) else v


def _bytes_number(b: bytes):
    """A binary string in numeric context: digits as text; otherwise (a hex literal) its big-endian integer."""
    s = b.decode("utf-8", "replace")
    if _DEC_PREFIX.match(s):
        return None
    return int.from_bytes(b, "big")


def str_to_int(s: str, ctx) -> int:
    """The leading integer of ``s`` (MySQL's string -> integer), saturating; warns on trailing garbage."""
    m = _INT_PREFIX.match(s)
    if m is None:
        if ctx is not None:
            ctx.warn(1292, f"Truncated incorrect INTEGER value: '{s}'")
        return 0
    if s[m.end():].strip() and ctx is not None:
        ctx.warn(1292, f"Truncated incorrect INTEGER value: '{s}'")
    v = int(m.group())
    if v > U64_MAX:
        if ctx is not None and not s[m.end():].strip():
            ctx.warn(1292, f"Truncated incorrect INTEGER value: '{s}'")
        return U64_MAX
    if v < BIGINT_MIN:
        if ctx is not None and not s[m.end():].strip():
            ctx.warn(1292, f"Truncated incorrect INTEGER value: '{s}'")
        return BIGINT_MIN
    return v


def str_to_decimal(s: str, ctx) -> decimal.Decimal:
    """The leading number of ``s`` as a DECIMAL; warns 1292 when text follows it."""
    m = _DEC_PREFIX.match(s)
    if m is None or s[m.end():].strip():
        if ctx is not None:
            ctx.warn(1292, f"Truncated incorrect DECIMAL value: '{s}'")
        if m is None:
            return decimal.Decimal(0)
    return decimal.Decimal(m.group().strip())


def to_integer(v, ctx, unsigned: bool) -> int:
    """``v`` as CAST(v AS SIGNED/UNSIGNED) gives it, before the signed/unsigned reinterpretation."""
    t = type(v)
    if t is int:
        return v
    if t is decimal.Decimal:
        if unsigned and v < 0:
            return 0
        r = int(v.to_integral_value(rounding=decimal.ROUND_HALF_UP))
        return max(BIGINT_MIN, min(r, U64_MAX if unsigned else BIGINT_MAX))
    if t is float:
        if v != v:
            return 0
        if unsigned and v < 0:
            return 0
        if v >= 2.0 ** 64 or v <= -(2.0 ** 63):
            return (U64_MAX if unsigned else BIGINT_MAX) if v > 0 else BIGINT_MIN
        r = int(round(v))
        return r if unsigned or r <= BIGINT_MAX else BIGINT_MAX
    if t is str:
        return str_to_int(v, ctx)
    if t is bytes:
        n = _bytes_number(v)
        return n if n is not None else str_to_int(v.decode("utf-8", "replace"), ctx)
    if t is bool:
        return int(v)
    return to_integer(to_number(v, ctx), ctx, unsigned)


def to_decimal(v, ctx) -> decimal.Decimal:
    t = type(v)
    if t is decimal.Decimal:
        return v
    if t is int or t is bool:
        return decimal.Decimal(int(v))
    if t is float:
        return decimal.Decimal(repr(v)) if math.isfinite(v) else decimal.Decimal(0)
    if t is str:
        return str_to_decimal(v, ctx)
    if t is bytes:
        n = _bytes_number(v)
        return decimal.Decimal(n) if n is not None else str_to_decimal(v.decode("utf-8", "replace"), ctx)
    return to_decimal(to_number(v, ctx), ctx)


def to_double(v, ctx) -> float:
    if type(v) is bytes:
        n = _bytes_number(v)
        if n is not None:
            return float(n)
    return float(to_number(v, ctx))


def _digits_datetime(n: int) -> datetime.datetime:
    """A number read as YYYYMMDD or YYYYMMDDhhmmss (MySQL's numeric datetime form)."""
    s = str(n)
    if len(s) <= 8:
        s = s.rjust(8, "0")
        return datetime.datetime(int(s[:4]), int(s[4:6]), int(s[6:8]))
    s = s.rjust(14, "0")
    return datetime.datetime(int(s[:4]), int(s[4:6]), int(s[6:8]), int(s[8:10]), int(s[10:12]), int(s[12:14]))


def to_datetime(v, ctx):
    """``v`` as a DATETIME, or None with warning 1292 when it is not one."""
    if isinstance(v, datetime.datetime):
        return v
    if isinstance(v, datetime.date):
        return datetime.datetime(v.year, v.month, v.day)
    try:
        if isinstance(v, (int, decimal.Decimal, float)):
            return _digits_datetime(int(v))
        if isinstance(v, datetime.timedelta):
            return datetime.datetime.combine(ctx.now.date() if ctx is not None else datetime.date.today(),
                                             datetime.time()) + v
        return _to_datetime(_as_str(v))
    except (ValueError, TypeError, OverflowError):
        if ctx is not None:
            ctx.warn(1292, f"Incorrect datetime value: '{to_text(v)}'")
        return None


def to_time(v, ctx):
    if isinstance(v, datetime.timedelta):
        return v
    if isinstance(v, datetime.datetime):
        return datetime.timedelta(hours=v.hour, minutes=v.minute, seconds=v.second, microseconds=v.microsecond)
    if isinstance(v, datetime.date):
        return datetime.timedelta(0)
    try:
        if isinstance(v, (int, decimal.Decimal, float)):
            neg = v < 0
            n = abs(int(v))
            t = datetime.timedelta(hours=n // 10000, minutes=n // 100 % 100, seconds=n % 100)
            if n % 100 >= 60 or n // 100 % 100 >= 60:
                raise ValueError(v)
            return -t if neg else t
        s = _as_str(v)
        if s.strip().lstrip("-").isdigit():
            return to_time(int(s), ctx)
        return _to_time(s)
    except (ValueError, TypeError, OverflowError):
        if ctx is not None:
            ctx.warn(1292, f"Truncated incorrect time value: '{to_text(v)}'")
        return None


def converter(t: SqlType, e=None):
    """``conv(v, ctx)`` converting a non-NULL value to ``t``; ``e`` (the CAST) names it in 1264."""
    n = t.name
    if n == "bigint":
        if t.unsigned:
            def conv(v, ctx):
                r = to_integer(v, ctx, True)
                if r < 0:
                    if ctx is not None:
                        ctx.warn(1105, "Cast to unsigned converted negative integer to it's positive complement",
                                 "Note")
                    return r & U64_MAX
                return r
            return conv

        def conv(v, ctx):
            if type(v) is int and BIGINT_MIN <= v <= BIGINT_MAX:
                return v
            r = to_integer(v, ctx, False)
            return r - (1 << 64) if r > BIGINT_MAX else r
        return conv
    if n == "decimal":
        p, s = t.precision or 10, t.scale or 0
        quantum = decimal.Decimal(1).scaleb(-s)
        biggest = decimal.Decimal(10) ** (p - s) - quantum
        ctx_dec = decimal.Context(prec=100, rounding=decimal.ROUND_HALF_UP)

        def conv(v, ctx):
            d = to_decimal(v, ctx).quantize(quantum, context=ctx_dec)
            if d.is_zero():
                d = d.copy_abs()
            if abs(d) > biggest:
                if ctx is not None:
                    ctx.warn(1264, f"Out of range value for column '{shown(e, ctx) if e is not None else 'cast'}'"
                             " at row 1")
                return biggest if d > 0 else -biggest
            return d
        return conv
    if n == "float":  # single precision (CAST(x AS FLOAT), MySQL 8.0.17+)
        def conv(v, ctx):
            d = to_double(v, ctx)
            return None if d is None else sqltypes.single_precision(d)
        return conv
    if n == "double":
        return to_double
    if t.is_string:
        limit = t.length if n in ("char", "varchar") else None

        def conv(v, ctx):
            s = to_text(v)
            if limit is not None and len(s) > limit:
                if ctx is not None:
                    ctx.warn(1292, f"Truncated incorrect CHAR({limit}) value: '{s}'")
                return s[:limit]
            return s
        return conv
    if n in ("binary", "varbinary", "longblob", "blob"):
        limit = t.length if n == "binary" else None

        def conv(v, ctx):
            b = v if isinstance(v, bytes) else to_text(v).encode("utf-8")
            if limit is not None:
                if len(b) > limit:
                    if ctx is not None:
                        ctx.warn(1292, f"Truncated incorrect BINARY({limit}) value: '{b.decode('utf-8', 'replace')}'")
                    return b[:limit]
                return b.ljust(limit, b"\0")
            return b
        return conv
    if n == "date":
        def conv(v, ctx):
            d = to_datetime(v, ctx)
            return None if d is None else d.date()
        return conv
    if n in ("datetime", "timestamp"):
        fsp = t.fsp

        def conv(v, ctx):
            d = to_datetime(v, ctx)
            return None if d is None else _round_fsp(d, fsp)
        return conv
    if n == "time":
        fsp = t.fsp

        def conv(v, ctx):
            d = to_time(v, ctx)
            if d is None or fsp >= 6 or not d.microseconds:
                return d
            unit = 10 ** (6 - fsp)
            us = d.days * 86400_000_000 + d.seconds * 1_000_000 + d.microseconds
            return datetime.timedelta(microseconds=(us + unit // 2) // unit * unit)
        return conv
    if n == "year":
        def conv(v, ctx):
            y = to_integer(v, ctx, False)
            if 0 < y < 70:
                return y + 2000
            if 70 <= y < 100:
                return y + 1900
            return y if y == 0 or 1901 <= y <= 2155 else None
        return conv
    if n == "json":
        from sqlserver.engine.json_values import Json, JsonSyntaxError, bad_text_in_argument, from_sql, parse

        json_arg = e is not None and e.args and e.args[0].type is not None and e.args[0].type.name == "json"

        def conv(v, ctx):  # text is parsed as JSON; other values become JSON scalars
            if type(v) is Json:
                return v
            if isinstance(v, (str, bytes)):
                try:
                    return Json(parse(_as_str(v)))
                except JsonSyntaxError as err:
                    if json_arg:
                        raise
                    raise bad_text_in_argument(err, 1, "cast_as_json") from None
            return Json(from_sql(v))
        return conv
    raise ValueError(f"no conversion to {n}")


def cast_type(name: str, args: list[int], charset: str | None = None) -> SqlType:
    """The result type of ``CAST(x AS name(args))``; ``name`` is MySQL's cast target keyword, lower case."""
    from storage.collation import DEFAULT_COLLATION

    if name in ("signed", "unsigned"):
        return SqlType("bigint", unsigned=name == "unsigned")
    if name == "decimal":
        p = args[0] if args else 10
        s = args[1] if len(args) > 1 else 0
        return SqlType("decimal", precision=p, scale=s)
    if name in ("char", "nchar"):
        if args:
            return SqlType("varchar", length=args[0], collation=DEFAULT_COLLATION)
        return SqlType("longtext", length=4294967295, collation=DEFAULT_COLLATION)
    if name == "binary":
        return SqlType("binary", length=args[0]) if args else SqlType("longblob", length=4294967295)
    if name in ("double", "real"):
        return SqlType("double")
    if name == "float":
        return SqlType("double") if args and args[0] > 24 else SqlType("float")
    if name in ("datetime", "time"):
        return SqlType(name, fsp=args[0] if args else 0)
    if name in ("date", "year", "json"):
        return SqlType(name)
    raise ValueError(name)
