"""Stage 4a: compile expressions, once per plan, into closures ``fn(row, ctx)``.

``compile_expr(expr)`` walks a plan expression (sqlserver.engine.plan) and
returns a Python closure that evaluates it against an input row tuple and an
execution context (statement parameters, the session, the warning list).
Specialising at compile time (column index, operator, static types) keeps the
per-row work to a few Python calls; nothing is interpreted per row.

MySQL semantics kept here (https://dev.mysql.com/doc/refman/8.0/en/):

* three-valued logic: NULL propagates through operators; AND/OR follow the
  SQL truth tables (``NULL AND 0`` is 0, ``NULL OR 1`` is 1); a WHERE keeps
  a row only when its condition is true (non-NULL, non-zero);
* comparisons: two strings compare under a collation (the column's, else
  the connection default utf8mb4_0900_ai_ci, so ``'a' = 'A'``); a string and a
  number compare as numbers (the string's numeric prefix); a temporal value
  and a string compare as temporal values; a JSON value (``json_values.Json``,
  or a JSON column's text) and anything compare as JSON, the other side
  taken as a JSON scalar; comparisons return 1/0/NULL;
* arithmetic: integer + - * stay BIGINT and overflow raises 1690 (BIGINT
  UNSIGNED when an operand is unsigned, so ``CAST(0 AS UNSIGNED) - 1`` fails);
  any DECIMAL operand gives DECIMAL; a float or a string operand gives DOUBLE;
  ``/`` gives DECIMAL with 4 more digits of scale (div_precision_increment),
  computed to a multiple of 9 digits and rounded to that scale where a client
  or a comparison sees it (``compile_expr``); division by zero gives NULL with
  warning 1365 (silently when sql_mode lacks ERROR_FOR_DIVISION_BY_ZERO);
  DIV is integer division; DECIMAL has no negative zero;
* CASE/IF/IFNULL/COALESCE/GREATEST/LEAST results take MySQL's aggregated
  type (``merge_types``), and their values are converted to it.

CAST lives in ``casts``; named functions in ``functions`` (control flow,
session, dates), ``math_functions``, ``string_functions``,
``regexp_functions`` and ``json_functions``.
"""

from __future__ import annotations

import datetime
import decimal
import re
import unicodedata

from sqlserver.engine.json_values import Json
from sqlserver.enumset import EnumValue
from sqlserver.engine.plan import Agg, Call, Col, Const, Expr, Param, SysVar, UserVar, render_expr
from sqlserver.errors import SQLError
from sqlserver.sqltypes import SqlType
from storage.collation import DEFAULT_COLLATION, get_collation

BIGINT_MIN, BIGINT_MAX = -(1 << 63), (1 << 63) - 1
U64_MAX = (1 << 64) - 1
DIV_PRECISION_INCREMENT = 4  # MySQL's default @@div_precision_increment
_DEC_CTX = decimal.Context(prec=80, rounding=decimal.ROUND_HALF_UP)

T_BIGINT = SqlType("bigint")
T_INT = SqlType("int")
T_DOUBLE = SqlType("double")
T_DATETIME = SqlType("datetime")
T_TEXT = SqlType("varchar", length=255, collation=DEFAULT_COLLATION)
T_LONGTEXT = SqlType("longtext", length=4294967295, collation=DEFAULT_COLLATION)


def decimal_type(scale: int, precision: int = 65) -> SqlType:
    return SqlType("decimal", precision=max(precision, scale, 1), scale=min(scale, 30))


# --- value classes and conversions ----------------------------------------------------

_NUM_PREFIX = re.compile(r"^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def to_number(v, ctx=None):
    """A value as a number for arithmetic/comparison: strings by numeric prefix (like MySQL)."""
    if isinstance(v, (int, float, decimal.Decimal)):
        return v
    if isinstance(v, bytes):
        v = v.decode("utf-8", "replace")
    if isinstance(v, str):
        if type(v) is EnumValue:  # ENUM/SET in numeric context: the index / bitmask
            return v.number
        m = _NUM_PREFIX.match(v)
        if m is None or m.end() != len(v.rstrip()):
            if ctx is not None:
                ctx.warn(1292, f"Truncated incorrect DOUBLE value: '{v}'")
            if m is None:
                return 0.0
        return float(m.group())
    if isinstance(v, datetime.datetime):
        return int(v.strftime("%Y%m%d%H%M%S"))
    if isinstance(v, datetime.date):
        return int(v.strftime("%Y%m%d"))
    if isinstance(v, datetime.timedelta):
        s = int(v.total_seconds())
        sign = -1 if s < 0 else 1
        s = abs(s)
        return sign * (s // 3600 * 10000 + s % 3600 // 60 * 100 + s % 60)
    if type(v) is Json:  # a JSON number is its number; other JSON values read as their text
        x = v.value
        if type(x) is not bool and isinstance(x, (int, float, decimal.Decimal)):
            return x
        return to_number(x if type(x) is str else str(v), ctx)
    return float(v)


def truth(v) -> bool:
    """MySQL truth of a value: NULL and 0 (and strings with numeric value 0) are not true."""
    if v is None:
        return False
    if isinstance(v, (str, bytes)):
        return to_number(v) != 0
    return bool(v)


def to_text(v) -> str | None:
    """A value as MySQL shows it in string context."""
    if v is None:
        return None
    if isinstance(v, str):
        return v
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    if isinstance(v, float):
        return format_double(v)
    if isinstance(v, datetime.datetime):
        return v.isoformat(" ") if v.microsecond else v.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, datetime.timedelta):
        from sqlserver.sqltypes import format_time

        return format_time(v)
    if isinstance(v, decimal.Decimal):
        return format(v, "f")
    return str(v)


def format_double(f: float) -> str:
    """MySQL's shortest text for a DOUBLE (1e20 -> 1e20, 2.0 -> 2)."""
    if f != f or f in (float("inf"), float("-inf")):
        return str(f)
    if f == int(f) and abs(f) < 1e15:
        return str(int(f))
    r = repr(f)
    if "e" in r:
        mant, ex = r.split("e")
        return f"{mant}e{int(ex)}" if not mant.endswith(".0") else f"{mant[:-2]}e{int(ex)}"
    return r


def format_float(f: float) -> str:
    """MySQL's text for a FLOAT (single precision) value: at most 6 significant digits (FLT_DIG),
    the shortest that do (0.1 for the float32 nearest 0.1; 123457000 for 123456789; 3.40282e38)."""
    if f != f or f in (float("inf"), float("-inf")):
        return str(f)
    return format_double(float("%.6g" % f))


def _is_num(v) -> bool:
    return isinstance(v, (int, float, decimal.Decimal))


def _is_temporal(v) -> bool:
    return isinstance(v, (datetime.date, datetime.timedelta))


def _temporal_from(v, like):
    from sqlserver import sqltypes

    try:
        if isinstance(like, datetime.datetime):
            return sqltypes._to_datetime(v)
        if isinstance(like, datetime.date):
            d = sqltypes._to_datetime(v)
            return d if d.time() != datetime.time() else d.date()
        if isinstance(like, datetime.timedelta):
            return sqltypes._to_time(v)
    except (ValueError, TypeError):
        return None
    return None


_Json = Json


def compare_values(a, b, sort_key, ctx=None) -> int | None:
    """-1/0/1 comparing two non-NULL values under MySQL's conversion rules."""
    ta, tb = type(a), type(b)
    if ta is tb and ta is not str and ta is not EnumValue:
        return (a > b) - (a < b)
    if isinstance(a, str) and isinstance(b, str):
        ka, kb = sort_key(a), sort_key(b)
        return (ka > kb) - (ka < kb)
    if _is_num(a) and _is_num(b):
        if ta is float and tb is decimal.Decimal:  # MySQL compares a DOUBLE/FLOAT with a DECIMAL as doubles
            b = float(b)
        elif tb is float and ta is decimal.Decimal:
            a = float(a)
        return (a > b) - (a < b)
    if ta is _Json or tb is _Json:  # a JSON value against anything: the other side as a JSON scalar
        return json_compare(a, b)
    if _is_temporal(a) or _is_temporal(b):
        if _is_temporal(a) and _is_temporal(b):
            if isinstance(a, datetime.datetime) != isinstance(b, datetime.datetime):
                a = a if isinstance(a, datetime.datetime) else datetime.datetime(a.year, a.month, a.day)
                b = b if isinstance(b, datetime.datetime) else datetime.datetime(b.year, b.month, b.day)
            return (a > b) - (a < b)
        if isinstance(a, (str, bytes)):
            c = _temporal_from(a, b)
            if c is not None:
                if isinstance(c, datetime.datetime) != isinstance(b, datetime.datetime):
                    return compare_values(c, b, sort_key, ctx)
                return (c > b) - (c < b)
        elif isinstance(b, (str, bytes)):
            r = compare_values(b, a, sort_key, ctx)
            return None if r is None else -r
        a, b = to_number(a), to_number(b)
        return (a > b) - (a < b)
    if isinstance(a, bytes) or isinstance(b, bytes):
        if isinstance(a, (bytes, str)) and isinstance(b, (bytes, str)):
            a = a if isinstance(a, bytes) else a.encode()
            b = b if isinstance(b, bytes) else b.encode()
            return (a > b) - (a < b)
    a, b = to_number(a, ctx), to_number(b, ctx)
    if isinstance(a, float) != isinstance(b, float):
        a, b = float(a), float(b)
    return (a > b) - (a < b)


def json_compare(a, b) -> int:
    """-1/0/1 comparing values where one is JSON: MySQL converts the other to a JSON scalar."""
    from sqlserver.engine.json_values import compare, from_sql

    return compare(from_sql(a), from_sql(b))


def _same(v):
    return v


def _json_side(t: SqlType | None):
    """For a JSON-typed operand, ``f(v)`` reading its value as JSON (a JSON column holds text), else None."""
    if t is None or t.name != "json":
        return None
    from sqlserver.engine.json_values import parse_cached

    return lambda v: Json(parse_cached(v)) if type(v) is str else v


_NUMERIC_NAMES = frozenset(("tinyint", "smallint", "mediumint", "int", "integer", "bigint", "decimal", "float",
                            "double", "year", "bit"))
_TEMPORAL_NAMES = frozenset(("date", "datetime", "timestamp", "time"))
_INT_DIGITS = {"tinyint": 3, "smallint": 5, "mediumint": 8, "int": 10, "integer": 10, "bigint": 20, "year": 4,
               "bit": 20}


def merge_types(types) -> SqlType | None:
    """The type of a value that may come from any of ``types`` (CASE, IF, IFNULL, COALESCE, GREATEST):
    MySQL's type aggregation.  NULLs (None) don't count; integers stay BIGINT, any DECIMAL makes a DECIMAL
    wide enough for every operand, any FLOAT/DOUBLE a DOUBLE; temporal types of one kind stay that kind;
    anything else (strings, numbers mixed with strings or dates) becomes a string."""
    ts = [t for t in types if t is not None]
    if not ts:
        return None
    names = {t.name for t in ts}
    if names <= _NUMERIC_NAMES:
        if all(t.is_integer or t.name in ("year", "bit") for t in ts):
            return SqlType("bigint", unsigned=all(t.unsigned for t in ts))
        if names & {"float", "double"}:
            return T_DOUBLE
        scale = max((t.scale or 0) if t.name == "decimal" else 0 for t in ts)
        digits = max((t.precision - (t.scale or 0)) if t.name == "decimal" else _INT_DIGITS[t.name] for t in ts)
        return decimal_type(scale, min(65, digits + scale))
    if names <= _TEMPORAL_NAMES:
        if len(names) == 1:
            return SqlType(ts[0].name, fsp=max(t.fsp for t in ts))
        if "time" not in names:
            return SqlType("datetime", fsp=max(t.fsp for t in ts))
    if names == {"json"}:
        return ts[0]
    coll = next((t.collation for t in ts if t.is_string), None)
    if coll is None and all(t.collation is None and t.name not in _NUMERIC_NAMES and t.name not in _TEMPORAL_NAMES
                            for t in ts):
        return SqlType("varbinary", length=65535)
    return SqlType("varchar", length=max(t.display_length for t in ts) or 1, collation=coll or DEFAULT_COLLATION)


def result_coercer(t: SqlType | None):
    """None, or ``f(v)`` making a value of any type fit a string-typed result (the wire sends text)."""
    if t is None:
        return None
    if t.is_string:
        return lambda v: v if v is None or type(v) is str else to_text(v)
    if t.name in ("varbinary", "binary", "blob", "longblob"):
        return lambda v: v if v is None or type(v) is bytes else to_text(v).encode("utf-8")
    if t.name == "decimal":
        quantum = decimal.Decimal(1).scaleb(-(t.scale or 0))

        def to_scale(v):  # IFNULL(1, 2.5) is 1.0: the value takes the result type's scale
            if type(v) is int or type(v) is decimal.Decimal and v.as_tuple().exponent != quantum.as_tuple().exponent:
                return decimal.Decimal(v).quantize(quantum, context=_DEC_CTX)
            return v
        return to_scale
    return None


def collation_of(*types: SqlType | None) -> str:
    """The collation two operands compare under: an explicit COLLATE's, else the first collated
    column's, else the default."""
    for t in types:
        if t is not None and t.explicit and t.collation is not None:
            return t.collation
    for t in types:
        if t is not None and t.collation is not None:
            return t.collation
    return DEFAULT_COLLATION


# --- compilation -------------------------------------------------------------------------


def compile_expr(e: Expr):
    """A closure ``fn(row, ctx) -> value`` evaluating ``e``.

    A DECIMAL computed through ``/`` carries more digits than its type's scale
    (MySQL divides to a multiple of 9 fractional digits, so ``1/3*3`` is
    1.0000); the value a client, a comparison or a column sees is rounded to
    the scale, which this entry point does.  Operators compile their operands
    with ``_compile`` and keep the extra digits.
    """
    fn = _compile(e)
    t = e.type
    if t is not None and t.name == "decimal" and _has_division(e):
        quantum = decimal.Decimal(1).scaleb(-(t.scale or 0))

        def rounded(row, ctx):
            v = fn(row, ctx)
            if type(v) is decimal.Decimal:
                v = v.quantize(quantum, context=_DEC_CTX)
                return v.copy_abs() if v.is_zero() else v  # MySQL has no negative zero DECIMAL
            return v
        return rounded
    return fn


_PASS_THROUGH = frozenset(("+", "-", "*", "%", "neg", "case", "case_simple", "fn:if", "fn:ifnull", "fn:coalesce",
                           "fn:nullif", "fn:abs", "fn:greatest", "fn:least"))


def _has_division(e: Expr) -> bool:
    """Whether ``e``'s DECIMAL value can carry a division's extra digits."""
    if isinstance(e, Call):
        if e.op == "/":
            return True
        return e.op in _PASS_THROUGH and any(_has_division(a) for a in e.args)
    return False


def _compile(e: Expr):
    if isinstance(e, Col):
        i = e.index
        return lambda row, ctx: row[i]
    if isinstance(e, Param):
        s = e.slot
        return lambda row, ctx: ctx.params[s]
    if isinstance(e, Const):
        v = e.value
        return lambda row, ctx: v
    if isinstance(e, SysVar):
        name, scope = e.name, e.scope
        return lambda row, ctx: ctx.state.get_variable(name, scope)
    if isinstance(e, UserVar):
        name = e.name
        return lambda row, ctx: ctx.state.user_variables.get(name)
    if isinstance(e, Agg):
        raise SQLError(1111, "HY000", "Invalid use of group function")
    if isinstance(e, Call):
        maker = _OPS.get(e.op)
        if maker is None:
            from sqlserver.engine import functions

            return functions.compile_function(e, _compile)
        if maker in _COMPARING:  # comparisons see values rounded to their type's scale
            return maker(e, [compile_expr(a) for a in e.args])
        return maker(e, [_compile(a) for a in e.args])
    from sqlserver.engine.plan import OuterRef, Subquery

    if isinstance(e, (Subquery, OuterRef)):  # subqueries run plans: the executor compiles them
        from sqlserver.engine.executor import compile_nested

        return compile_nested(e)
    raise SQLError.of("NOT_SUPPORTED_YET", f"expression {e!r}")


def compile_condition(e: Expr):
    """A closure returning a Python truth value for WHERE/HAVING (NULL -> false)."""
    fn = compile_expr(e)
    if e.type is not None and e.type.is_integer:
        return fn  # comparisons and logic give 1/0/None: already usable as truth values
    return lambda row, ctx: truth(fn(row, ctx))


def _cmp_maker(test):
    def make(e: Call, fns):
        fa, fb = fns
        ta, tb = e.args[0].type, e.args[1].type
        if _int_like(ta) and _int_like(tb):
            def fast(row, ctx):
                a = fa(row, ctx)
                if a is None:
                    return None
                b = fb(row, ctx)
                if b is None:
                    return None
                if type(a) is int and type(b) is int:
                    return 1 if test((a > b) - (a < b)) else 0
                return 1 if test(compare_values(a, b, _DEFAULT_KEY, ctx)) else 0
            return fast
        key = get_collation(collation_of(ta, tb)).sort_key
        ja, jb = _json_side(ta), _json_side(tb)
        if ja is not None or jb is not None:  # JSON comparison: JSON text is read as JSON, not as a string
            ja, jb = ja or _same, jb or _same

            def cmp_json(row, ctx):
                a = fa(row, ctx)
                if a is None:
                    return None
                b = fb(row, ctx)
                if b is None:
                    return None
                return 1 if test(json_compare(ja(a), jb(b))) else 0
            return cmp_json

        def cmp(row, ctx):
            a = fa(row, ctx)
            if a is None:
                return None
            b = fb(row, ctx)
            if b is None:
                return None
            return 1 if test(compare_values(a, b, key, ctx)) else 0
        return cmp
    return make


_DEFAULT_KEY = DEFAULT_KEY = get_collation(DEFAULT_COLLATION).sort_key


def _int_like(t: SqlType | None) -> bool:
    return t is not None and t.is_integer


def _null_safe_eq(e, fns):
    fa, fb = fns
    key = get_collation(collation_of(e.args[0].type, e.args[1].type)).sort_key

    def f(row, ctx):
        a, b = fa(row, ctx), fb(row, ctx)
        if a is None or b is None:
            return 1 if a is None and b is None else 0
        return 1 if compare_values(a, b, key, ctx) == 0 else 0
    return f


def _and(e, fns):
    fa, fb = fns

    def f(row, ctx):
        a = fa(row, ctx)
        if a is not None and not truth(a):
            return 0
        b = fb(row, ctx)
        if b is not None and not truth(b):
            return 0
        return None if a is None or b is None else 1
    return f


def _or(e, fns):
    fa, fb = fns

    def f(row, ctx):
        a = fa(row, ctx)
        if a is not None and truth(a):
            return 1
        b = fb(row, ctx)
        if b is not None and truth(b):
            return 1
        return None if a is None or b is None else 0
    return f


def _xor(e, fns):
    fa, fb = fns

    def f(row, ctx):
        a, b = fa(row, ctx), fb(row, ctx)
        if a is None or b is None:
            return None
        return 1 if truth(a) != truth(b) else 0
    return f


def _not(e, fns):
    (fa,) = fns

    def f(row, ctx):
        a = fa(row, ctx)
        return None if a is None else (0 if truth(a) else 1)
    return f


def _is_null(e, fns):
    (fa,) = fns
    return lambda row, ctx: 1 if fa(row, ctx) is None else 0


def _is_not_null(e, fns):
    (fa,) = fns
    return lambda row, ctx: 0 if fa(row, ctx) is None else 1


def _is_bool(want: bool):
    def make(e, fns):
        (fa,) = fns

        def f(row, ctx):
            a = fa(row, ctx)
            return 1 if a is not None and truth(a) == want else 0
        return f
    return make


def _in(e, fns):
    fa, rest = fns[0], fns[1:]
    key = get_collation(collation_of(*(a.type for a in e.args))).sort_key

    def f(row, ctx):
        a = fa(row, ctx)
        if a is None:
            return None
        saw_null = False
        for fb in rest:
            b = fb(row, ctx)
            if b is None:
                saw_null = True
            elif compare_values(a, b, key, ctx) == 0:
                return 1
        return None if saw_null else 0
    return f


def _between(e, fns):
    fa, flo, fhi = fns
    key = get_collation(collation_of(*(a.type for a in e.args))).sort_key

    def f(row, ctx):
        a, lo, hi = fa(row, ctx), flo(row, ctx), fhi(row, ctx)
        if a is None:
            return None
        ge = None if lo is None else compare_values(a, lo, key, ctx) >= 0
        le = None if hi is None else compare_values(a, hi, key, ctx) <= 0
        if ge is False or le is False:
            return 0
        return None if ge is None or le is None else 1
    return f


def like_regex(pattern: str, escape: str = "\\", case_insensitive: bool = True):
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == escape and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if c == "%" else "." if c == "_" else re.escape(c))
        i += 1
    return re.compile("".join(out) + r"\Z", re.S | (re.I if case_insensitive else 0))


def _like(e, fns):
    """a LIKE p [ESCAPE c]: c is one character ('' means the default backslash; more is error 1210)."""
    fa, fp = fns[0], fns[1]
    fe = fns[2] if len(fns) > 2 else None
    # MySQL matches LIKE under the comparison's collation: accent- and case-insensitively under
    # utf8mb4_0900_ai_ci (both sides folded, see _fold_ai), exactly under _as_cs, _bin and binary
    fold = _fold_ai if collation_of(e.args[0].type, e.args[1].type) == DEFAULT_COLLATION else None
    cache: dict = {}

    def f(row, ctx):
        a, p = fa(row, ctx), fp(row, ctx)
        if a is None or p is None:
            return None
        p = to_text(p)
        esc = "\\"
        if fe is not None:
            x = fe(row, ctx)
            esc = to_text(x) if x is not None else ""
            if len(esc) > 1:
                raise SQLError(1210, "HY000", "Incorrect arguments to ESCAPE")
            esc = esc or "\\"
        rx = cache.get((p, esc))
        if rx is None:
            if len(cache) > 64:
                cache.clear()
            rx = cache[(p, esc)] = like_regex(fold(p) if fold else p, fold(esc) if fold else esc,
                                              case_insensitive=False)
        a = to_text(a)
        return 1 if rx.match(fold(a) if fold else a) else 0
    return f


def _fold_ai(s: str) -> str:
    """A string with case and accents folded away (lower case, combining marks dropped after NFD):
    characters that are equal under utf8mb4_0900_ai_ci's primary weights fold alike (Latin, Greek,
    Cyrillic letters with diacritics), one character to one, so LIKE's '_' still counts characters."""
    if s.isascii():
        return s.lower()
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c)).lower()


def _arith(op: str):
    def make(e: Call, fns):
        fa, fb = fns
        kind = arith_kind(e.args[0].type, e.args[1].type)
        unsigned = e.type is not None and e.type.unsigned

        def f(row, ctx):
            a = fa(row, ctx)
            if a is None:
                return None
            b = fb(row, ctx)
            if b is None:
                return None
            return arith(op, a, b, kind, e, ctx, unsigned)
        return f
    return make


def arith_kind(ta: SqlType | None, tb: SqlType | None) -> str:
    """'int', 'decimal' or 'double': the result class of an arithmetic operator."""
    def k(t):
        if t is None:
            return "int"
        if t.is_integer or t.name in ("year", "bit"):
            return "int"
        if t.name == "decimal":
            return "decimal"
        return "double"
    ka, kb = k(ta), k(tb)
    if "double" in (ka, kb):
        return "double"
    if "decimal" in (ka, kb):
        return "decimal"
    return "int"


def _as_kind(v, kind, ctx):
    v = to_number(v, ctx)
    if kind == "double":
        return float(v)
    if kind == "decimal":
        return v if isinstance(v, decimal.Decimal) else decimal.Decimal(repr(v) if isinstance(v, float) else v)
    return v


def shown(e, ctx) -> str:
    """An expression as MySQL 8 prints it in messages (1690: ``Item::print``), with this execution's
    literal values: operators in parentheses ``(a + b)``, function arguments without spaces
    (``pow(10,400)``), columns as `db`.`table`.`column` (no database for an alias), a DOUBLE literal
    in its shortest form (``1e308``), unary minus as ``-(x)``."""
    if ctx is None:
        return render_expr(e, None)
    return _mysql_print(e, ctx, {})


def _mysql_print(e, ctx, seen: dict) -> str:
    from sqlserver.engine.plan import _cast_target, _literal_text

    if isinstance(e, (Const, Param)):
        v = e.value if isinstance(e, Const) else ctx.params[e.slot]
        if isinstance(v, float):
            return format_double(v)
        return _literal_text(v)
    if isinstance(e, Col):
        if not e.table:
            return f"`{e.name}`"
        db = _column_db(e.table, ctx, seen)
        return (f"`{db}`." if db else "") + f"`{e.table}`.`{e.name}`"
    if isinstance(e, Call):
        op, args = e.op, e.args
        sub = [_mysql_print(a, ctx, seen) for a in args]
        if op.startswith("fn:"):
            return f"{op[3:]}({','.join(sub)})"
        if op == "cast" and e.type is not None:
            return f"cast({sub[0]} as {_cast_target(e.type)})"
        if op == "neg" and len(sub) == 1:
            return f"-({sub[0]})"
        if len(sub) == 2 and op not in ("in", "between"):
            return f"({sub[0]} {'DIV' if op == 'div' else op} {sub[1]})"
    return render_expr(e, ctx.params)


def _column_db(table: str, ctx, seen: dict) -> str:
    """The database MySQL names before `table`: the current one when it holds a table of that name
    (an alias or a derived table is printed without one)."""
    if table not in seen:
        db = getattr(ctx.state, "current_db", None)
        try:
            seen[table] = db if db and ctx.transaction(db).has_table(table) else ""
        except Exception:  # noqa: BLE001 - only a message is being built
            seen[table] = ""
    return seen[table]


def arith(op, a, b, kind, e, ctx, unsigned=False):
    """``a op b`` in result class ``kind``; ``e`` (the expression) is only used for 1690's message."""
    a, b = _as_kind(a, kind, ctx), _as_kind(b, kind, ctx)
    if isinstance(a, float) or isinstance(b, float):
        a, b = float(a), float(b)
        kind = "double"
    elif isinstance(a, decimal.Decimal) or isinstance(b, decimal.Decimal):
        kind = "decimal"
    if op == "+":
        r = a + b if kind != "decimal" else _DEC_CTX.add(decimal.Decimal(a), decimal.Decimal(b))
    elif op == "-":
        r = a - b if kind != "decimal" else _DEC_CTX.subtract(decimal.Decimal(a), decimal.Decimal(b))
    elif op == "*":
        r = a * b if kind != "decimal" else _DEC_CTX.multiply(decimal.Decimal(a), decimal.Decimal(b))
    elif op == "/":
        if b == 0:
            _division_by_zero(ctx)
            return None
        if kind == "double":
            r = a / b
            if r in (float("inf"), float("-inf")):
                raise SQLError.of("DATA_OUT_OF_RANGE", "DOUBLE", shown(e, ctx))
            return r
        return decimal_divide(decimal.Decimal(a), decimal.Decimal(b))
    elif op == "div":
        if b == 0:
            _division_by_zero(ctx)
            return None
        q = abs(a) // abs(b)
        r = int(q if (a >= 0) == (b >= 0) else -q)
    elif op == "%":
        if b == 0:
            _division_by_zero(ctx)
            return None
        if kind == "double":
            import math

            return math.fmod(a, b)
        r = abs(a) % abs(b)
        r = r if a >= 0 else -r
        if kind == "decimal":
            r = decimal.Decimal(r)
    else:
        raise SQLError.of("NOT_SUPPORTED_YET", op)
    if type(r) is decimal.Decimal:
        return r.copy_abs() if r.is_zero() else r  # MySQL has no negative zero DECIMAL
    if kind == "int" and isinstance(r, int):
        if unsigned:
            if not 0 <= r <= U64_MAX:
                raise SQLError.of("DATA_OUT_OF_RANGE", "BIGINT UNSIGNED", shown(e, ctx))
        elif not BIGINT_MIN <= r <= BIGINT_MAX:
            # a literal above 2^63-1 is BIGINT UNSIGNED, and so is the result of arithmetic on it
            if (a > BIGINT_MAX or b > BIGINT_MAX) and op in ("+", "-", "*"):
                if not 0 <= r <= U64_MAX:
                    raise SQLError.of("DATA_OUT_OF_RANGE", "BIGINT UNSIGNED", shown(e, ctx))
                return r
            raise SQLError.of("DATA_OUT_OF_RANGE", "BIGINT", shown(e, ctx))
    elif kind == "double" and r in (float("inf"), float("-inf")):
        raise SQLError.of("DATA_OUT_OF_RANGE", "DOUBLE", shown(e, ctx))
    return r


def _division_by_zero(ctx) -> None:
    """Warning 1365 for a division by zero, when sql_mode has ERROR_FOR_DIVISION_BY_ZERO (MySQL 8's
    default); without it the NULL comes silently.  INSERT/UPDATE turn the warning into an error under
    strict mode (``sql_mode.WriteMode``)."""
    state = getattr(ctx, "state", None)
    if state is not None and "ERROR_FOR_DIVISION_BY_ZERO" not in str(state.get_variable("sql_mode") or "").upper():
        return
    ctx.warn(1365, "Division by 0")


def decimal_divide(a: decimal.Decimal, b: decimal.Decimal) -> decimal.Decimal:
    """``a / b`` (b != 0) as MySQL's decimal division computes it: truncated to the multiple of 9
    fractional digits that holds both operands' digits plus div_precision_increment."""
    fa = max(0, -a.as_tuple().exponent)
    fb = max(0, -b.as_tuple().exponent)
    frac = min(-(-(fa + fb + DIV_PRECISION_INCREMENT) // 9) * 9, 30 + 9)
    q = _DIV_CTX.divide(a, b)
    return q.quantize(decimal.Decimal(1).scaleb(-frac), rounding=decimal.ROUND_DOWN, context=_DIV_CTX)


_DIV_CTX = decimal.Context(prec=120, rounding=decimal.ROUND_DOWN)


def _neg(e, fns):
    (fa,) = fns

    def f(row, ctx):
        a = fa(row, ctx)
        if a is None:
            return None
        a = to_number(a, ctx)
        if type(a) is int and not BIGINT_MIN <= -a <= BIGINT_MAX:
            raise SQLError.of("DATA_OUT_OF_RANGE", "BIGINT", "-" + shown(e.args[0], ctx))
        return -a
    return f


def _bitnot(e, fns):
    (fa,) = fns

    def f(row, ctx):
        a = fa(row, ctx)
        return None if a is None else ~_uint64(a, ctx) & U64_MAX
    return f


def _uint64(v, ctx) -> int:
    if type(v) is not int:
        v = to_number(v, ctx)
        v = int(v.to_integral_value(rounding=decimal.ROUND_HALF_UP)) if isinstance(v, decimal.Decimal) else int(round(v))
    return v & U64_MAX


def _bitop(fun):
    """& | ^ << >>: 64-bit unsigned integer operations (MySQL's bit functions without binary-string args)."""
    def make(e, fns):
        fa, fb = fns

        def f(row, ctx):
            a = fa(row, ctx)
            if a is None:
                return None
            b = fb(row, ctx)
            if b is None:
                return None
            return fun(_uint64(a, ctx), _uint64(b, ctx)) & U64_MAX
        return f
    return make


def _case(e, fns):
    """CASE: args = [operand or Const(None) marker?] handled as pairs: cond1, val1, ..., else."""
    has_operand = e.op == "case_simple"
    it = list(fns)
    operand = it.pop(0) if has_operand else None
    default = it.pop() if len(it) % 2 else (lambda row, ctx: None)
    pairs = list(zip(it[0::2], it[1::2]))
    key = get_collation(collation_of(*(a.type for a in e.args))).sort_key

    def f(row, ctx):
        if operand is not None:
            v = operand(row, ctx)
            for w, t in pairs:
                x = w(row, ctx)
                if v is not None and x is not None and compare_values(v, x, key, ctx) == 0:
                    return t(row, ctx)
            return default(row, ctx)
        for w, t in pairs:
            if truth(w(row, ctx)):
                return t(row, ctx)
        return default(row, ctx)
    coerce = result_coercer(e.type)
    if coerce is not None:
        return lambda row, ctx: coerce(f(row, ctx))
    return f


def _cast(e, fns):
    from sqlserver.engine.casts import converter

    (fa,) = fns
    conv = converter(e.type, e)

    def f(row, ctx):
        v = fa(row, ctx)
        return None if v is None else conv(v, ctx)
    return f


def _nullif(e, fns):
    """NULLIF(a, b): NULL when a = b (compared as ``=`` would), else a."""
    fa, fb = fns
    key = get_collation(collation_of(e.args[0].type, e.args[1].type)).sort_key

    def f(row, ctx):
        a = fa(row, ctx)
        if a is None:
            return None
        b = fb(row, ctx)
        if b is not None and compare_values(a, b, key, ctx) == 0:
            return None
        return a
    return f


_OPS = {
    "=": _cmp_maker(lambda c: c == 0),
    "<>": _cmp_maker(lambda c: c != 0),
    "<": _cmp_maker(lambda c: c < 0),
    "<=": _cmp_maker(lambda c: c <= 0),
    ">": _cmp_maker(lambda c: c > 0),
    ">=": _cmp_maker(lambda c: c >= 0),
    "<=>": _null_safe_eq,
    "and": _and,
    "or": _or,
    "xor": _xor,
    "not": _not,
    "is_null": _is_null,
    "is_not_null": _is_not_null,
    "is_true": _is_bool(True),
    "is_false": _is_bool(False),
    "in": _in,
    "between": _between,
    "like": _like,
    "+": _arith("+"),
    "-": _arith("-"),
    "*": _arith("*"),
    "/": _arith("/"),
    "div": _arith("div"),
    "%": _arith("%"),
    "neg": _neg,
    "collate": lambda e, fns: fns[0],  # the value as is: only the type (its collation) changes
    "~": _bitnot,
    "case": _case,
    "case_simple": _case,
    "cast": _cast,
    "&": _bitop(lambda a, b: a & b),
    "|": _bitop(lambda a, b: a | b),
    "^": _bitop(lambda a, b: a ^ b),
    "<<": _bitop(lambda a, b: a << b if b < 64 else 0),
    ">>": _bitop(lambda a, b: a >> b if b < 64 else 0),
    "fn:nullif": _nullif,
}
# operators whose operands are compared: they see DECIMALs rounded to their scale (MySQL: 1/3 = 0.3333 is 1)
_COMPARING = {_OPS[op] for op in ("=", "<>", "<", "<=", ">", ">=", "<=>", "in", "between", "fn:nullif")}
