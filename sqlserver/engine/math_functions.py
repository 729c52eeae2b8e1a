"""Numeric functions (ABS, SIGN, ROUND, TRUNCATE, CEIL, FLOOR, POW, SQRT, EXP, LN/LOG, PI, trigonometry, RAND,
CRC32) with MySQL 8's result types and edge cases.

Entries have the ``FUNCTIONS`` shape (sqlserver.engine.functions): name ->
(min args, max args, result type of the argument types, maker).  MySQL's
rules (https://dev.mysql.com/doc/refman/8.0/en/mathematical-functions.html):

* exact arguments give exact results: ROUND/TRUNCATE/ABS of an integer are
  integers, of a DECIMAL are DECIMALs (rounding half away from zero);
  strings and floating-point arguments give DOUBLE, where ROUND rounds half
  to even (the C library's ``rint``);
* CEIL/FLOOR of an exact number are BIGINT;
* domain errors give NULL: SQRT(-1); LN/LOG of a value <= 0 also warn 3020;
* a DOUBLE that overflows (POW(10, 400), EXP(1000)) is error 1690.
"""

from __future__ import annotations

import decimal
import math
import random
import zlib

from sqlserver.engine.expressions import (
    T_BIGINT, T_DOUBLE, decimal_type, shown, to_number, to_text,
)
from sqlserver.errors import SQLError
from sqlserver.sqltypes import SqlType

_CTX = decimal.Context(prec=100)


def _exact(t) -> bool:
    return t is not None and (t.is_integer or t.name in ("decimal", "year", "bit"))


def _type_same_numeric(ts):
    """ABS/ROUND/TRUNCATE: integers stay BIGINT, DECIMAL stays DECIMAL, the rest is DOUBLE."""
    t = ts[0]
    if t is None:
        return T_BIGINT
    if t.is_integer or t.name in ("year", "bit"):
        return SqlType("bigint", unsigned=t.unsigned)
    if t.name == "decimal":
        return t
    return T_DOUBLE


def _type_int_val(ts):
    """CEIL/FLOOR: BIGINT for exact arguments that fit, DECIMAL(p,0) for wider ones, else DOUBLE."""
    t = ts[0]
    if t is None or t.is_integer or t.name in ("year", "bit"):
        return T_BIGINT
    if t.name == "decimal":
        return T_BIGINT if t.precision - (t.scale or 0) < 18 else decimal_type(0, t.precision - (t.scale or 0) + 1)
    return T_DOUBLE


def _double(ts):
    return T_DOUBLE


def _num(v, ctx):
    """``v`` as an int, Decimal or float (strings: DOUBLE by numeric prefix, warning 1292)."""
    t = type(v)
    if t is int or t is float or t is decimal.Decimal:
        return v
    return float(to_number(v, ctx))


def _check_double(r: float, e, ctx) -> float:
    if r in (math.inf, -math.inf) or r != r:
        raise SQLError.of("DATA_OUT_OF_RANGE", "DOUBLE", shown(e, ctx))
    return r


# --- makers ---------------------------------------------------------------------------


def _abs(e, fns):
    (fa,) = fns

    def f(row, ctx):
        v = fa(row, ctx)
        if v is None:
            return None
        v = _num(v, ctx)
        if type(v) is int and v == -(1 << 63):
            raise SQLError.of("DATA_OUT_OF_RANGE", "BIGINT", shown(e, ctx))
        return abs(v)
    return f


def _sign(e, fns):
    (fa,) = fns

    def f(row, ctx):
        v = fa(row, ctx)
        if v is None:
            return None
        v = _num(v, ctx)
        return (v > 0) - (v < 0)
    return f


def _int_val(rounding, float_fn):
    def make(e, fns):
        (fa,) = fns
        as_int = e.type is not None and e.type.is_integer

        def f(row, ctx):
            v = fa(row, ctx)
            if v is None:
                return None
            v = _num(v, ctx)
            t = type(v)
            if t is int:
                return v
            if t is float:
                return float(float_fn(v)) if math.isfinite(v) else v
            r = v.to_integral_value(rounding=rounding)
            return int(r) if as_int else r
        return f
    return make


def _round_value(v, d: int, ctx, truncate: bool):
    t = type(v)
    if t is int:
        if d >= 0:
            return v
        q = decimal.Decimal(1).scaleb(-d)
        r = decimal.Decimal(v).quantize(q, rounding=decimal.ROUND_DOWN if truncate else decimal.ROUND_HALF_UP,
                                        context=_CTX)
        return int(r)
    if t is decimal.Decimal:
        d = min(d, 30)
        rounding = decimal.ROUND_DOWN if truncate else decimal.ROUND_HALF_UP
        if d >= 0:
            r = v.quantize(decimal.Decimal(1).scaleb(-d), rounding=rounding, context=_CTX)
            return r.copy_abs() if r.is_zero() else r
        r = v.quantize(decimal.Decimal(1).scaleb(-d), rounding=rounding, context=_CTX)
        r = r.quantize(decimal.Decimal(1), context=_CTX)
        return r.copy_abs() if r.is_zero() else r
    if not math.isfinite(v):
        return v
    if d > 308:
        return v
    if d < -308:
        return 0.0
    f = 10.0 ** abs(d)
    x = v * f if d >= 0 else v / f
    if truncate:
        x = float(math.trunc(x))
    else:
        x = float(round(x))  # round half to even, like rint()
        if abs(x) >= 2 ** 52:
            return v
    return x / f if d >= 0 else x * f


def _rounder(truncate: bool):
    def make(e, fns):
        fa = fns[0]
        fd = fns[1] if len(fns) > 1 else None

        def f(row, ctx):
            v = fa(row, ctx)
            if v is None:
                return None
            if fd is None:
                d = 0
            else:
                dv = fd(row, ctx)
                if dv is None:
                    return None
                d = int(to_number(dv, ctx))
            return _round_value(_num(v, ctx), d, ctx, truncate)
        return f
    return make


def _float_fn(fun, domain=None, warn_log=False):
    """A DOUBLE function of DOUBLE arguments; ``domain(*args)`` false -> NULL (with 3020 for logarithms)."""
    def make(e, fns):
        def f(row, ctx):
            args = []
            for fn in fns:
                v = fn(row, ctx)
                if v is None:
                    return None
                args.append(float(to_number(v, ctx)))
            if domain is not None and not domain(*args):
                if warn_log:
                    ctx.warn(3020, "Invalid argument for logarithm")
                return None
            try:
                r = fun(*args)
            except OverflowError:
                raise SQLError.of("DATA_OUT_OF_RANGE", "DOUBLE", shown(e, ctx)) from None
            except (ValueError, ZeroDivisionError):
                return None
            return _check_double(r, e, ctx)
        return f
    return make


def _log(*args):
    if len(args) == 1:
        return math.log(args[0])
    base, x = args
    if base == 10:  # LOG10(x) arrives as LOG(10, x)
        return math.log10(x)
    if base == 2:
        return math.log2(x)
    return math.log(x) / math.log(base)


def _log_domain(*args):
    if len(args) == 1:
        return args[0] > 0
    return args[0] > 0 and args[0] != 1 and args[1] > 0


def _pow(a, b):
    r = math.pow(a, b)
    return r


def _cot(x):
    t = math.tan(x)
    if t == 0:
        raise OverflowError
    return 1.0 / t


def _pi(e, fns):
    return lambda row, ctx: math.pi


def _rand(e, fns):
    if not fns:
        return lambda row, ctx: random.random()
    (fs,) = fns
    state: dict = {}

    def f(row, ctx):  # RAND(seed): a repeatable sequence per statement execution
        gen = state.get(id(ctx))
        if gen is None:
            state.clear()
            seed = fs(row, ctx)
            gen = state[id(ctx)] = random.Random(0 if seed is None else int(to_number(seed, ctx)))
        return gen.random()
    return f


def _crc32(ctx, v):
    b = v if isinstance(v, bytes) else to_text(v).encode("utf-8")
    return zlib.crc32(b) & 0xFFFFFFFF


def _strict1(fun):
    def make(e, fns):
        (fa,) = fns

        def f(row, ctx):
            v = fa(row, ctx)
            return None if v is None else fun(ctx, v)
        return f
    return make


MATH_FUNCTIONS = {
    "abs": (1, 1, _type_same_numeric, _abs),
    "sign": (1, 1, lambda ts: T_BIGINT, _sign),
    "ceil": (1, 1, _type_int_val, _int_val(decimal.ROUND_CEILING, math.ceil)),
    "ceiling": (1, 1, _type_int_val, _int_val(decimal.ROUND_CEILING, math.ceil)),
    "floor": (1, 1, _type_int_val, _int_val(decimal.ROUND_FLOOR, math.floor)),
    "round": (1, 2, _type_same_numeric, _rounder(False)),
    "truncate": (2, 2, _type_same_numeric, _rounder(True)),
    "pow": (2, 2, _double, _float_fn(_pow)),
    "power": (2, 2, _double, _float_fn(_pow)),
    "sqrt": (1, 1, _double, _float_fn(math.sqrt, lambda x: x >= 0)),
    "exp": (1, 1, _double, _float_fn(math.exp)),
    "ln": (1, 1, _double, _float_fn(math.log, lambda x: x > 0, True)),
    "log": (1, 2, _double, _float_fn(_log, _log_domain, True)),
    "log2": (1, 1, _double, _float_fn(math.log2, lambda x: x > 0, True)),
    "log10": (1, 1, _double, _float_fn(math.log10, lambda x: x > 0, True)),
    "pi": (0, 0, _double, _pi),
    "sin": (1, 1, _double, _float_fn(math.sin)),
    "cos": (1, 1, _double, _float_fn(math.cos)),
    "tan": (1, 1, _double, _float_fn(math.tan)),
    "cot": (1, 1, _double, _float_fn(_cot)),
    "asin": (1, 1, _double, _float_fn(math.asin, lambda x: -1 <= x <= 1)),
    "acos": (1, 1, _double, _float_fn(math.acos, lambda x: -1 <= x <= 1)),
    "atan": (1, 2, _double, _float_fn(lambda *a: math.atan(a[0]) if len(a) == 1 else math.atan2(a[0], a[1]))),
    "atan2": (2, 2, _double, _float_fn(math.atan2)),
    "degrees": (1, 1, _double, _float_fn(math.degrees)),
    "radians": (1, 1, _double, _float_fn(math.radians)),
    "rand": (0, 1, _double, _rand),
    "crc32": (1, 1, lambda ts: SqlType("int", unsigned=True), _strict1(_crc32)),
}
