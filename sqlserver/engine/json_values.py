"""JSON values as MySQL 8 has them: the value type, parsing, printing, comparison and path expressions.

A JSON value at run time is a ``Json`` wrapping a Python value: dict (str
keys), list, str, int, float, Decimal, bool, or None for JSON ``null``; so SQL
NULL (the Python None in a row) and JSON null (``Json(None)``) stay distinct.
A JSON column stores the normalized text (``render``); functions reading a
column of type JSON parse that text (cached, ``parse_cached``): the cached
values are shared, so code that modifies a document copies it first.

MySQL 8's rules (https://dev.mysql.com/doc/refman/8.0/en/json.html):

* text is printed normalized: object keys sorted by length, then bytewise
  (utf8mb4), the last of duplicate keys kept, ``", "`` and ``": "``
  separators; doubles always show a ``.`` or an exponent (``1.0``, ``1e20``);
  DECIMALs keep their scale;
* invalid text reports the parser's message and position, as MySQL's
  (rapidjson's) do: ``"Invalid value." at position 1``;
* comparison orders by type first (null < numbers < strings < objects <
  arrays < booleans), numbers numerically, strings bytewise (utf8mb4_bin),
  arrays element by element; objects are only equal or unequal;
* paths: ``$``, ``.key``, ``."quoted key"``, ``[n]``, ``[last]``,
  ``[last-n]``, ``[m to n]``, ``.*``, ``[*]``, ``**``; a scalar or object
  read with ``[0]``/``[last]`` is the value itself (auto-wrapping).

Differences from MariaDB: MariaDB's JSON is LONGTEXT holding the text as
inserted (no normalization: ``{"a":1}`` stays as typed, keys keep their
order, duplicates stay), and its comparisons are string comparisons.
"""

from __future__ import annotations

import datetime
import decimal
import functools
import re

from sqlserver.errors import SQLError

INT64_MIN, UINT64_MAX = -(1 << 63), (1 << 64) - 1


class Json:
    """A JSON value (``value`` is the Python form); prints as MySQL's normalized text."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __str__(self) -> str:
        return render(self.value)

    def __repr__(self) -> str:
        return f"Json({render(self.value)})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Json) and compare(self.value, other.value) == 0

    def __hash__(self) -> int:
        return hash(render(self.value))

    def __lt__(self, other) -> bool:
        return compare(self.value, other.value) < 0

    def __gt__(self, other) -> bool:
        return compare(self.value, other.value) > 0


# --- printing ----------------------------------------------------------------------------------

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f]')


def quote(s: str) -> str:
    """A string as a JSON string literal (MySQL escapes quotes, backslashes and control characters)."""
    return '"' + _NEEDS_ESCAPE.sub(lambda m: _ESCAPES.get(m.group(), "\\u%04x" % ord(m.group())), s) + '"'


def key_order(k: str):
    b = k.encode("utf-8")
    return len(b), b


def render(v) -> str:
    if v is None:
        return "null"
    t = type(v)
    if t is bool:
        return "true" if v else "false"
    if t is str:
        return quote(v)
    if t is int:
        return str(v)
    if t is float:
        from sqlserver.engine.expressions import format_double

        s = format_double(v)
        return s if ("." in s or "e" in s or "n" in s) else s + ".0"
    if t is decimal.Decimal:
        return format(v, "f")
    if t is list:
        return "[" + ", ".join(render(x) for x in v) + "]"
    if t is dict:
        return "{" + ", ".join(quote(k) + ": " + render(v[k]) for k in sorted(v, key=key_order)) + "}"
    if isinstance(v, Json):
        return render(v.value)
    return quote(str(v))


# --- parsing -----------------------------------------------------------------------------------


class JsonSyntaxError(ValueError):
    def __init__(self, message: str, pos: int):
        super().__init__(message)
        self.message, self.pos = message, pos


_WS = " \t\n\r"
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(\.\d*)?([eE][+-]?\d*)?")
_SIMPLE_STR = re.compile(r'[^"\\\x00-\x1f]*')


class _Parser:
    def __init__(self, text: str):
        self.s, self.i = text, 0

    def ws(self):
        s, i = self.s, self.i
        while i < len(s) and s[i] in _WS:
            i += 1
        self.i = i

    def value(self, depth: int = 0):
        if depth > 100:
            raise JsonSyntaxError("The JSON document exceeds the maximum depth.", self.i)
        self.ws()
        s, i = self.s, self.i
        if i >= len(s):
            raise JsonSyntaxError("Invalid value.", i)
        c = s[i]
        if c == "{":
            return self.obj(depth)
        if c == "[":
            return self.arr(depth)
        if c == '"':
            return self.string()
        for word, v in (("true", True), ("false", False), ("null", None)):
            if s.startswith(word, i):
                self.i = i + len(word)
                return v
        if c == "-" or c.isdigit():
            return self.number()
        raise JsonSyntaxError("Invalid value.", i)

    def number(self):
        m = _NUMBER.match(self.s, self.i)
        if m is None:
            raise JsonSyntaxError("Invalid value.", self.i)
        frac, exp_ = m.group(1), m.group(2)
        if frac is not None and len(frac) == 1:
            raise JsonSyntaxError("Miss fraction part in number.", self.i + m.group().index(".") + 1)
        if exp_ is not None and not exp_.lstrip("eE+-"):
            raise JsonSyntaxError("Miss exponent in number.", m.end())
        self.i = m.end()
        text = m.group()
        if frac is None and exp_ is None:
            n = int(text)
            if INT64_MIN <= n <= UINT64_MAX:
                return n
        f = float(text)
        if f in (float("inf"), float("-inf")):
            raise JsonSyntaxError("Number too big to be stored in double.", m.start())
        return f

    def string(self) -> str:
        s = self.s
        i = self.i + 1
        out = []
        while True:
            m = _SIMPLE_STR.match(s, i)
            out.append(m.group())
            i = m.end()
            if i >= len(s):
                raise JsonSyntaxError("Missing a closing quotation mark in string.", i)
            c = s[i]
            if c == '"':
                self.i = i + 1
                return "".join(out)
            if c != "\\":
                raise JsonSyntaxError("Invalid encoding in string.", i)
            e = s[i + 1:i + 2]
            if e == "u":
                h = s[i + 2:i + 6]
                if len(h) < 4 or not all(x in "0123456789abcdefABCDEF" for x in h):
                    raise JsonSyntaxError("Incorrect hex digit after \\u escape in string.", i + 2)
                code = int(h, 16)
                i += 6
                if 0xD800 <= code < 0xDC00 and s[i:i + 2] == "\\u":
                    low = s[i + 2:i + 6]
                    if len(low) == 4 and all(x in "0123456789abcdefABCDEF" for x in low):
                        code = 0x10000 + ((code - 0xD800) << 10) + (int(low, 16) - 0xDC00)
                        i += 6
                out.append(chr(code))
                continue
            r = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}.get(e)
            if r is None:
                raise JsonSyntaxError("Invalid escape character in string.", i + 1)
            out.append(r)
            i += 2

    def obj(self, depth):
        self.i += 1
        d: dict = {}
        self.ws()
        if self.s[self.i:self.i + 1] == "}":
            self.i += 1
            return d
        while True:
            self.ws()
            if self.s[self.i:self.i + 1] != '"':
                raise JsonSyntaxError("Missing a name for object member.", self.i)
            k = self.string()
            self.ws()
            if self.s[self.i:self.i + 1] != ":":
                raise JsonSyntaxError("Missing a colon after a name of object member.", self.i)
            self.i += 1
            d[k] = self.value(depth + 1)
            self.ws()
            c = self.s[self.i:self.i + 1]
            self.i += 1
            if c == "}":
                return d
            if c != ",":
                raise JsonSyntaxError("Missing a comma or '}' after an object member.", self.i - 1)

    def arr(self, depth):
        self.i += 1
        a: list = []
        self.ws()
        if self.s[self.i:self.i + 1] == "]":
            self.i += 1
            return a
        while True:
            a.append(self.value(depth + 1))
            self.ws()
            c = self.s[self.i:self.i + 1]
            self.i += 1
            if c == "]":
                return a
            if c != ",":
                raise JsonSyntaxError("Missing a comma or ']' after an array element.", self.i - 1)


def parse(text: str):
    """The Python form of JSON text; JsonSyntaxError (message, position) when it is not JSON."""
    p = _Parser(text)
    p.ws()
    if p.i >= len(text):
        raise JsonSyntaxError("The document is empty.", p.i)
    v = p.value()
    p.ws()
    if p.i < len(text):
        raise JsonSyntaxError("The document root must not be followed by other values.", p.i)
    return v


@functools.lru_cache(maxsize=1024)
def parse_cached(text: str):
    """``parse`` for texts read repeatedly (JSON columns, constant documents); the result is shared."""
    return parse(text)


def bad_text_in_argument(e: JsonSyntaxError, argno: int, fname: str) -> SQLError:
    return SQLError(3141, "22032", f'Invalid JSON text in argument {argno} to function {fname}: '
                                   f'"{e.message}" at position {e.pos}.')


# --- SQL values <-> JSON -----------------------------------------------------------------------


def from_sql(v):
    """A non-JSON SQL value as a JSON scalar's Python form (strings stay strings, dates become text)."""
    if isinstance(v, Json):
        return v.value
    t = type(v)
    if t is str or t is int or t is float or t is decimal.Decimal or t is bool or v is None:
        return v
    if t is bytes:
        return v.decode("utf-8", "replace")
    if t is datetime.datetime:
        return v.strftime("%Y-%m-%d %H:%M:%S.%f")
    if t is datetime.date:
        return v.isoformat()
    if t is datetime.timedelta:
        from sqlserver.sqltypes import format_time

        s = format_time(v)
        return s if "." in s else s + ".000000"
    return str(v)


# --- comparison --------------------------------------------------------------------------------


def _rank(v) -> int:
    if v is None:
        return 0
    t = type(v)
    if t is bool:
        return 5
    if t is int or t is float or t is decimal.Decimal:
        return 1
    if t is str:
        return 2
    if t is dict:
        return 3
    return 4


def compare(a, b) -> int:
    """-1/0/1 ordering two JSON values' Python forms as MySQL orders JSON."""
    ra, rb = _rank(a), _rank(b)
    if ra != rb:
        return (ra > rb) - (ra < rb)
    if ra == 2:
        a, b = a.encode("utf-8"), b.encode("utf-8")
    elif ra == 4:
        for x, y in zip(a, b):
            c = compare(x, y)
            if c:
                return c
        return (len(a) > len(b)) - (len(a) < len(b))
    elif ra == 3:
        if a.keys() == b.keys() and all(compare(a[k], b[k]) == 0 for k in a):
            return 0
        ta, tb = render(a), render(b)
        return (ta > tb) - (ta < tb) or 1
    elif ra == 0:
        return 0
    return (a > b) - (a < b)


# --- paths -------------------------------------------------------------------------------------
# A path is a tuple of legs: ("key", name) ("*",) ("idx", n, from_last) ("range", lo, lo_last, hi, hi_last)
# ("[*]",) ("**",).

_PATH_KEY = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_PATH_INDEX = re.compile(r"\s*(?:(last)(?:\s*-\s*(\d+))?|(\d+))\s*")


def _bad_path(pos: int) -> SQLError:
    return SQLError(3143, "42000", f"Invalid JSON path expression. The error is around character position {pos}.")


@functools.lru_cache(maxsize=512)
def parse_path(text: str) -> tuple:
    """MySQL path text -> legs; error 3143 at the character where it goes wrong."""
    s = text.strip()
    if not s.startswith("$"):
        raise _bad_path(1 if not s else 1)
    i, legs = 1, []
    while i < len(s):
        c = s[i]
        if c in " \t":
            i += 1
            continue
        if c == ".":
            i += 1
            while i < len(s) and s[i] == " ":
                i += 1
            if s[i:i + 1] == "*":
                legs.append(("*",))
                i += 1
            elif s[i:i + 1] == '"':
                j, out = i + 1, []
                while j < len(s) and s[j] != '"':
                    if s[j] == "\\" and j + 1 < len(s):
                        j += 1
                    out.append(s[j])
                    j += 1
                if j >= len(s):
                    raise _bad_path(j)
                legs.append(("key", "".join(out)))
                i = j + 1
            else:
                m = _PATH_KEY.match(s, i)
                if m is None:
                    raise _bad_path(i + 1)
                legs.append(("key", m.group()))
                i = m.end()
        elif c == "[":
            j = s.find("]", i)
            if j < 0:
                raise _bad_path(len(s))
            inner = s[i + 1:j]
            if inner.strip() == "*":
                legs.append(("[*]",))
            else:
                parts = re.split(r"\s+to\s+", inner.strip())
                bounds = []
                for p in parts:
                    m = _PATH_INDEX.fullmatch(p)
                    if m is None or len(parts) > 2:
                        raise _bad_path(i + 2)
                    bounds.append((int(m.group(2) or 0), True) if m.group(1) else (int(m.group(3)), False))
                if len(bounds) == 1:
                    legs.append(("idx", bounds[0][0], bounds[0][1]))
                else:
                    legs.append(("range", *bounds[0], *bounds[1]))
            i = j + 1
        elif c == "*" and s[i:i + 2] == "**":
            legs.append(("**",))
            i += 2
        else:
            raise _bad_path(i + 1)
    if legs and legs[-1] == ("**",):
        raise _bad_path(len(s))
    return tuple(legs)


def has_wildcard(legs) -> bool:
    return any(leg[0] in ("*", "[*]", "**", "range") for leg in legs)


def _index(n: int, from_last: bool, size: int) -> int:
    return size - 1 - n if from_last else n


def _step(v, leg, out: list) -> None:
    kind = leg[0]
    if kind == "key":
        if type(v) is dict and leg[1] in v:
            out.append(v[leg[1]])
    elif kind == "*":
        if type(v) is dict:
            out.extend(v[k] for k in sorted(v, key=key_order))
    elif kind == "idx":
        a = v if type(v) is list else [v]  # auto-wrapping: a non-array is an array of itself
        i = _index(leg[1], leg[2], len(a))
        if 0 <= i < len(a):
            out.append(a[i])
    elif kind == "[*]":
        if type(v) is list:
            out.extend(v)
    elif kind == "range":
        a = v if type(v) is list else [v]
        lo, hi = _index(leg[1], leg[2], len(a)), _index(leg[3], leg[4], len(a))
        out.extend(a[max(lo, 0):hi + 1])
    elif kind == "**":
        stack = [v]
        while stack:  # the value itself and every value inside it, in document order
            x = stack.pop()
            out.append(x)
            if type(x) is dict:
                stack.extend(x[k] for k in reversed(sorted(x, key=key_order)))
            elif type(x) is list:
                stack.extend(reversed(x))


def evaluate(doc, legs) -> list:
    """Every value ``legs`` reaches in ``doc`` (document order; each at most once)."""
    cur = [doc]
    for leg in legs:
        nxt: list = []
        for v in cur:
            _step(v, leg, nxt)
        cur = nxt
    if any(leg[0] == "**" for leg in legs):
        seen, uniq = set(), []
        for v in cur:
            if id(v) not in seen or not isinstance(v, (dict, list)):
                seen.add(id(v))
                uniq.append(v)
        return uniq
    return cur


__all__ = ["Json", "parse", "parse_cached", "render", "quote", "compare", "from_sql", "parse_path", "evaluate",
           "has_wildcard", "JsonSyntaxError", "bad_text_in_argument", "key_order"]
