"""String functions with MySQL 8 semantics (LENGTH, CHAR_LENGTH, SUBSTRING, TRIM, LOCATE, LPAD, HEX, ...).

Entries have the ``FUNCTIONS`` shape (sqlserver.engine.functions).  Rules
kept here (https://dev.mysql.com/doc/refman/8.0/en/string-functions.html):

* positions count characters from 1; ``SUBSTRING(s, 0)`` is '' and a
  negative position counts from the end; LEFT/RIGHT/REPEAT/LPAD with a
  negative count give '' (LPAD/RPAD: NULL when the pad is empty and padding
  is needed);
* LENGTH counts bytes (utf8mb4), CHAR_LENGTH characters;
* LOCATE/INSTR/POSITION search under the arguments' collation (case- and
  accent-insensitive by default, approximated by case folding); REPLACE is
  always case-sensitive, as in MySQL;
* CONCAT_WS skips NULL arguments (but a NULL separator gives NULL);
* every function is NULL when an argument it needs is NULL.
"""

from __future__ import annotations

import base64
import hashlib

from sqlserver.engine.expressions import (
    T_BIGINT, T_LONGTEXT, collation_of, compare_values, to_number, to_text,
)
from sqlserver.sqltypes import SqlType
from storage.collation import get_collation


def _text(ts):
    return T_LONGTEXT


def _int(ts):
    return T_BIGINT


def _bin_text(ts):
    return SqlType("longblob", length=4294967295)


def _n(v, ctx) -> int:
    """An integer argument (a count or a position)."""
    if type(v) is int:
        return v
    x = to_number(v, ctx)
    return int(round(x)) if not isinstance(x, int) else x


def _strict(fun):
    """``fun(ctx, *values)`` NULL when any argument is NULL."""
    def make(e, fns):
        if len(fns) == 1:
            (fa,) = fns

            def f1(row, ctx):
                a = fa(row, ctx)
                return None if a is None else fun(ctx, a)
            return f1

        def f(row, ctx):
            vals = []
            for fn in fns:
                v = fn(row, ctx)
                if v is None:
                    return None
                vals.append(v)
            return fun(ctx, *vals)
        return f
    return make


def _length(ctx, v):
    return len(v) if isinstance(v, bytes) else len(to_text(v).encode("utf-8"))


def _char_length(ctx, v):
    return len(v) if isinstance(v, bytes) else len(to_text(v))


def _substring(ctx, s, pos, length=None):
    s = to_text(s)
    pos = _n(pos, ctx)
    if pos == 0 or abs(pos) > len(s):
        return ""
    start = pos - 1 if pos > 0 else len(s) + pos
    if length is None:
        return s[start:]
    n = _n(length, ctx)
    return s[start:start + n] if n > 0 else ""


def _left(ctx, s, n):
    n = _n(n, ctx)
    return to_text(s)[:n] if n > 0 else ""


def _right(ctx, s, n):
    n = _n(n, ctx)
    return to_text(s)[-n:] if n > 0 else ""


def _trimmer(where: str):
    def fun(ctx, s, rem=" "):
        s, rem = to_text(s), to_text(rem)
        if not rem:
            return s
        if where in ("both", "leading"):
            while s.startswith(rem):
                s = s[len(rem):]
        if where in ("both", "trailing"):
            while s.endswith(rem):
                s = s[: len(s) - len(rem)]
        return s
    return fun


def _replace(ctx, s, a, b):
    s, a = to_text(s), to_text(a)
    return s.replace(a, to_text(b)) if a else s


def _locate_maker(e, fns):
    """LOCATE(substr, str[, pos]) (INSTR and POSITION are mapped onto it by the planner)."""
    coll = collation_of(*(a.type for a in e.args[:2]))
    fold = (lambda x: x) if coll.endswith("_bin") or coll.endswith("_cs") else str.casefold

    def f(row, ctx):
        sub = fns[0](row, ctx)
        s = fns[1](row, ctx)
        if sub is None or s is None:
            return None
        pos = 1
        if len(fns) > 2:
            p = fns[2](row, ctx)
            if p is None:
                return None
            pos = _n(p, ctx)
            if pos < 1:
                return 0
        sub, s = fold(to_text(sub)), fold(to_text(s))
        if pos > len(s) + 1:
            return 0
        return s.find(sub, pos - 1) + 1
    return f


def _concat_ws(e, fns):
    fsep, rest = fns[0], fns[1:]

    def f(row, ctx):
        sep = fsep(row, ctx)
        if sep is None:
            return None
        parts = []
        for fn in rest:
            v = fn(row, ctx)
            if v is not None:
                parts.append(to_text(v))
        return to_text(sep).join(parts)
    return f


def _repeat(ctx, s, n):
    n = _n(n, ctx)
    return to_text(s) * n if n > 0 else ""


def _reverse(ctx, s):
    return to_text(s)[::-1]


def _padder(left: bool):
    def fun(ctx, s, n, pad):
        s, n, pad = to_text(s), _n(n, ctx), to_text(pad)
        if n < 0:
            return None
        if len(s) >= n:
            return s[:n]
        if not pad:
            return None
        fill = (pad * ((n - len(s)) // len(pad) + 1))[: n - len(s)]
        return fill + s if left else s + fill
    return fun


def _hex(ctx, v):
    if isinstance(v, bytes):
        return v.hex().upper()
    if isinstance(v, str):
        return v.encode("utf-8").hex().upper()
    n = to_number(v, ctx)
    n = int(round(n)) if not isinstance(n, int) else n
    return format(n & ((1 << 64) - 1), "X")


def _unhex(ctx, v):
    s = to_text(v)
    if len(s) % 2:
        s = "0" + s
    try:
        return bytes.fromhex(s)
    except ValueError:
        return None


def _ascii(ctx, v):
    b = v if isinstance(v, bytes) else to_text(v).encode("utf-8")
    return b[0] if b else 0


def _ord(ctx, v):
    b = v[:1] if isinstance(v, bytes) else to_text(v)[:1].encode("utf-8")
    return int.from_bytes(b, "big") if b else 0


def _char(e, fns):
    def f(row, ctx):
        out = bytearray()
        for fn in fns:
            v = fn(row, ctx)
            if v is None:
                continue
            n = _n(v, ctx) & 0xFFFFFFFF
            out += n.to_bytes(max(1, (n.bit_length() + 7) // 8), "big")
        return bytes(out)
    return f


def _space(ctx, n):
    n = _n(n, ctx)
    return " " * n if n > 0 else ""


def _substring_index(ctx, s, delim, count):
    s, delim, count = to_text(s), to_text(delim), _n(count, ctx)
    if not delim or count == 0:
        return ""
    parts = s.split(delim)
    if count > 0:
        return delim.join(parts[:count])
    return delim.join(parts[count:])


def _strcmp_maker(e, fns):
    key = get_collation(collation_of(*(a.type for a in e.args))).sort_key
    fa, fb = fns

    def f(row, ctx):
        a, b = fa(row, ctx), fb(row, ctx)
        if a is None or b is None:
            return None
        ka, kb = key(to_text(a)), key(to_text(b))
        return (ka > kb) - (ka < kb)
    return f


def _field_maker(e, fns):
    key = get_collation(collation_of(*(a.type for a in e.args))).sort_key
    fa, rest = fns[0], fns[1:]

    def f(row, ctx):
        a = fa(row, ctx)
        if a is None:
            return 0
        for i, fn in enumerate(rest, 1):
            b = fn(row, ctx)
            if b is not None and compare_values(a, b, key, ctx) == 0:
                return i
        return 0
    return f


def _find_in_set_maker(e, fns):
    key = get_collation(collation_of(*(a.type for a in e.args))).sort_key
    fa, fb = fns
    st = e.args[1].type
    if st is not None and st.name == "set" and type(e.args[0]).__name__ in ("Const", "Param"):
        # MySQL's shortcut for FIND_IN_SET(constant, set_column): the constant's position among the
        # SET's declared members when the row holds that member (not its position in the row's value)
        positions = {get_collation(st.collation).sort_key(m): i for i, m in enumerate(st.values, 1)}

        def member(row, ctx):
            a, b = fa(row, ctx), fb(row, ctx)
            if a is None or b is None:
                return None
            pos = positions.get(get_collation(st.collation).sort_key(to_text(a)))
            if pos is not None and hasattr(b, "number"):
                return pos if b.number >> (pos - 1) & 1 else 0
            return f(row, ctx)
    else:
        member = None

    def f(row, ctx):
        a, b = fa(row, ctx), fb(row, ctx)
        if a is None or b is None:
            return None
        ka = key(to_text(a))
        for i, item in enumerate(to_text(b).split(","), 1):
            if key(item) == ka:
                return i
        return 0
    return member or f


def _elt(e, fns):
    fn_, rest = fns[0], fns[1:]

    def f(row, ctx):
        n = fn_(row, ctx)
        if n is None:
            return None
        n = _n(n, ctx)
        if not 1 <= n <= len(rest):
            return None
        v = rest[n - 1](row, ctx)
        return None if v is None else to_text(v)
    return f


def _insert(ctx, s, pos, length, new):
    s, pos, length, new = to_text(s), _n(pos, ctx), _n(length, ctx), to_text(new)
    if pos < 1 or pos > len(s):
        return s
    if length < 0 or pos - 1 + length > len(s):
        length = len(s) - pos + 1
    return s[: pos - 1] + new + s[pos - 1 + length:]


def _bytes_of(v) -> bytes:
    return v if isinstance(v, bytes) else to_text(v).encode("utf-8")


def _quote(e, fns):
    (fa,) = fns

    def f(row, ctx):
        v = fa(row, ctx)
        if v is None:
            return "NULL"
        s = to_text(v)
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'").replace("\0", "\\0").replace("\x1a", "\\Z") + "'"
    return f


def _bin(ctx, v):
    n = _n(v, ctx)
    return format(n & ((1 << 64) - 1), "b")


def _oct(ctx, v):
    n = _n(v, ctx)
    return format(n & ((1 << 64) - 1), "o")


def _upper(ctx, v):
    return v if isinstance(v, bytes) else to_text(v).upper()


def _lower(ctx, v):
    return v if isinstance(v, bytes) else to_text(v).lower()


STRING_FUNCTIONS = {
    "length": (1, 1, _int, _strict(_length)),
    "octet_length": (1, 1, _int, _strict(_length)),
    "char_length": (1, 1, _int, _strict(_char_length)),
    "character_length": (1, 1, _int, _strict(_char_length)),
    "bit_length": (1, 1, _int, _strict(lambda ctx, v: 8 * _length(ctx, v))),
    "upper": (1, 1, _text, _strict(_upper)),
    "ucase": (1, 1, _text, _strict(_upper)),
    "lower": (1, 1, _text, _strict(_lower)),
    "lcase": (1, 1, _text, _strict(_lower)),
    "substring": (2, 3, _text, _strict(_substring)),
    "substr": (2, 3, _text, _strict(_substring)),
    "mid": (3, 3, _text, _strict(_substring)),
    "left": (2, 2, _text, _strict(_left)),
    "right": (2, 2, _text, _strict(_right)),
    "trim": (1, 2, _text, _strict(_trimmer("both"))),
    "ltrim": (1, 2, _text, _strict(_trimmer("leading"))),
    "rtrim": (1, 2, _text, _strict(_trimmer("trailing"))),
    "replace": (3, 3, _text, _strict(_replace)),
    "locate": (2, 3, _int, _locate_maker),
    "concat_ws": (2, None, _text, _concat_ws),
    "repeat": (2, 2, _text, _strict(_repeat)),
    "reverse": (1, 1, _text, _strict(_reverse)),
    "lpad": (3, 3, _text, _strict(_padder(True))),
    "rpad": (3, 3, _text, _strict(_padder(False))),
    "hex": (1, 1, _text, _strict(_hex)),
    "unhex": (1, 1, _bin_text, _strict(_unhex)),
    "ascii": (1, 1, _int, _strict(_ascii)),
    "ord": (1, 1, _int, _strict(_ord)),
    "char": (1, None, _bin_text, _char),
    "space": (1, 1, _text, _strict(_space)),
    "substring_index": (3, 3, _text, _strict(_substring_index)),
    "strcmp": (2, 2, _int, _strcmp_maker),
    "field": (2, None, _int, _field_maker),
    "find_in_set": (2, 2, _int, _find_in_set_maker),
    "elt": (2, None, _text, _elt),
    "insert": (4, 4, _text, _strict(_insert)),
    "quote": (1, 1, _text, _quote),
    "md5": (1, 1, _text, _strict(lambda ctx, v: hashlib.md5(_bytes_of(v)).hexdigest())),
    "sha1": (1, 1, _text, _strict(lambda ctx, v: hashlib.sha1(_bytes_of(v)).hexdigest())),
    "sha": (1, 1, _text, _strict(lambda ctx, v: hashlib.sha1(_bytes_of(v)).hexdigest())),
    "to_base64": (1, 1, _text, _strict(lambda ctx, v: base64.b64encode(_bytes_of(v)).decode("ascii"))),
    "from_base64": (1, 1, _bin_text, _strict(lambda ctx, v: base64.b64decode(_bytes_of(v)))),
    "bin": (1, 1, _text, _strict(_bin)),
    "oct": (1, 1, _text, _strict(_oct)),
}
