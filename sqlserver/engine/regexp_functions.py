"""Regular expressions: ``REGEXP``/``RLIKE``, REGEXP_LIKE, REGEXP_INSTR, REGEXP_SUBSTR, REGEXP_REPLACE.

Entries have the ``FUNCTIONS`` shape (sqlserver.engine.functions); the
binder maps ``a REGEXP p`` and ``a RLIKE p`` to ``fn:regexp_like(a, p)``
(``special_forms``) and ``NOT REGEXP`` to its negation.

MySQL 8 evaluates patterns with ICU
(https://dev.mysql.com/doc/refman/8.0/en/regexp.html); Grove uses Python's
``re`` after translating the ICU spellings that differ (``translate``):
POSIX classes inside brackets (``[[:alpha:]]``, ``[^[:digit:]]``), ``\\z``.
A pattern that is a constant is compiled once with the plan; a pattern that
is a statement parameter or computed goes through a bounded cache keyed by
(pattern, flags), so no row recompiles a pattern seen before.

Rules kept:

* matching is case-insensitive unless the operands' collation is ``_bin``
  or ``_cs`` (or a binary string), or the match type says ``c``; the
  match-type letters are ``c``, ``i``, ``m`` (multi-line), ``n`` (``.``
  matches line ends), ``u`` (accepted; Unix line ends are Python's default);
  the last of ``c``/``i`` wins; any other letter is error 1210;
* positions and lengths count characters, from 1; a position outside
  1..length+1 is error 3686; an occurrence below 1 means the first;
* REGEXP_REPLACE's replacement refers to groups as ``$n`` and escapes with
  ``\\`` (ICU's syntax); occurrence 0 (the default) replaces every match;
* an empty pattern is error 3685; bad patterns give ICU's errors (3688
  syntax, 3689 escape, 3691 parenthesis, 3692 interval, 3693 max < min, 3694
  back-reference, 3696 bracket, 3697 range).

Differences from MariaDB (PCRE, the golden files' reference where they
agree): MariaDB accepts an empty pattern (matches everything) and invalid
match-type letters; MariaDB's REGEXP is case-insensitive too under its
default collation.  The golden file marks those lines.
"""

from __future__ import annotations

import functools
import re

from sqlserver.engine.expressions import T_BIGINT, collation_of, to_number, to_text
from sqlserver.engine.plan import Const
from sqlserver.errors import SQLError
from sqlserver.sqltypes import SqlType
from storage.collation import DEFAULT_COLLATION

_POSIX = {
    "alpha": "a-zA-Z", "digit": "0-9", "alnum": "a-zA-Z0-9", "upper": "A-Z", "lower": "a-z",
    "space": r"\s", "blank": r" \t", "punct": r"!-/:-@\[-`{-~", "xdigit": "0-9A-Fa-f", "word": r"\w",
    "cntrl": r"\x00-\x1f\x7f", "print": r"\x20-\x7e", "graph": r"\x21-\x7e",
}
_POSIX_RE = re.compile(r"\[:([a-z]+):\]")
_BAD_INTERVAL = re.compile(r"(?<!\\)\{\d+(?:,\d*)?(?:[^\d,}]|$)")


def _err(errno: int, message: str) -> SQLError:
    return SQLError(errno, "HY000", message)


def translate(pattern: str) -> str:
    """ICU pattern text -> Python ``re`` text (the spellings that differ)."""
    if "[:" in pattern:
        def posix(m):
            cls = _POSIX.get(m.group(1))
            if cls is None:
                raise _err(3688, "Syntax error in regular expression on line 1, character %d." % (m.start() + 1))
            return cls
        pattern = _POSIX_RE.sub(posix, pattern)
    if "\\z" in pattern:
        pattern = re.sub(r"(?<!\\)((?:\\\\)*)\\z", r"\1\\Z", pattern)
    return pattern


_RE_ERRORS = (
    ("missing ), unterminated subpattern", 3691, "Mismatched parenthesis in regular expression."),
    ("unbalanced parenthesis", 3691, "Mismatched parenthesis in regular expression."),
    ("unterminated character set", 3696, "The regular expression contains an unclosed bracket expression."),
    ("bad character range", 3697,
     "The regular expression contains an [x-y] character range where x comes after y."),
    ("min repeat greater than max repeat", 3693,
     "The maximum is less than the minimum in a {min,max} interval."),
    ("bad escape", 3689, "Unrecognized escape sequence in regular expression."),
    ("invalid group reference", 3694, "Invalid back-reference in regular expression."),
    ("unknown group", 3694, "Invalid back-reference in regular expression."),
    ("look-behind requires fixed-width pattern", 3695,
     "The look-behind assertion exceeds the limit in regular expression."),
)


@functools.lru_cache(maxsize=512)
def compile_pattern(pattern: str, flags: int) -> re.Pattern:
    """The compiled form of an ICU pattern (cached: patterns that are parameters are compiled once each)."""
    if pattern == "":
        raise _err(3685, "Illegal argument to a regular expression.")
    if _BAD_INTERVAL.search(pattern):
        raise _err(3692, "Incorrect description of a {min,max} interval.")
    try:
        return re.compile(translate(pattern), flags)
    except re.error as e:
        for text, errno, message in _RE_ERRORS:
            if e.msg.startswith(text):
                raise _err(errno, message) from None
        pos = (e.pos or 0) + 1
        raise _err(3688, f"Syntax error in regular expression on line 1, character {pos}.") from None


def _flags(match_type: str | None, case_insensitive: bool, name: str) -> int:
    ci, flags = case_insensitive, 0
    for c in match_type or "":
        if c == "c":
            ci = False
        elif c == "i":
            ci = True
        elif c == "m":
            flags |= re.M
        elif c == "n":
            flags |= re.S
        elif c != "u":
            raise SQLError(1210, "HY000", f"Incorrect arguments to {name}")
    return flags | (re.I if ci else 0)


def _case_insensitive(types) -> bool:
    """Whether matching ignores case: not under a _bin/_cs collation nor for binary strings."""
    strings = [t for t in types if t is not None and (t.is_string or t.name in ("varbinary", "binary", "blob",
                                                                                  "longblob"))]
    if any(t.collation is None for t in strings):
        return False
    coll = collation_of(*strings) if strings else DEFAULT_COLLATION
    return not (coll.endswith("_bin") or coll.endswith("_cs"))


def _matcher(e, fns, name: str, flag_index: int | None):
    """``get(row, ctx) -> (subject, compiled pattern)`` or None for a NULL operand."""
    fs, fp = fns[0], fns[1]
    fm = fns[flag_index] if flag_index is not None and len(fns) > flag_index else None
    ci = _case_insensitive([e.args[0].type, e.args[1].type])
    pat_arg = e.args[1]
    fixed = None
    if isinstance(pat_arg, Const) and pat_arg.value is not None and (
            fm is None or isinstance(e.args[flag_index], Const) and e.args[flag_index].value is not None):
        m = e.args[flag_index].value if fm is not None else None
        fixed = compile_pattern(to_text(pat_arg.value), _flags(None if m is None else to_text(m), ci, name))

    def get(row, ctx):
        s = fs(row, ctx)
        if s is None:
            return None
        if fixed is not None:
            return to_text(s), fixed
        p = fp(row, ctx)
        if p is None:
            return None
        m = None
        if fm is not None:
            m = fm(row, ctx)
            if m is None:
                return None
            m = to_text(m)
        return to_text(s), compile_pattern(to_text(p), _flags(m, ci, name))
    return get


def _int_arg(fn, row, ctx, default: int):
    if fn is None:
        return default
    v = fn(row, ctx)
    return None if v is None else int(to_number(v, ctx))


def _start(s: str, pos: int) -> int:
    if pos < 1 or pos > len(s) + 1:
        raise _err(3686, "Index out of bounds in regular expression search.")
    return pos - 1


def _nth(rx: re.Pattern, s: str, start: int, occurrence: int):
    n = 0
    for m in rx.finditer(s, start):
        n += 1
        if n >= occurrence:
            return m
    return None


def _regexp_like(e, fns):
    get = _matcher(e, fns, "regexp_like", 2)

    def f(row, ctx):
        sp = get(row, ctx)
        if sp is None:
            return None
        s, rx = sp
        return 1 if rx.search(s) else 0
    return f


def _regexp_instr(e, fns):
    get = _matcher(e, fns, "regexp_instr", 5)
    fpos, focc, fret = (fns[i] if len(fns) > i else None for i in (2, 3, 4))

    def f(row, ctx):
        sp = get(row, ctx)
        if sp is None:
            return None
        s, rx = sp
        pos, occ, ret = _int_arg(fpos, row, ctx, 1), _int_arg(focc, row, ctx, 1), _int_arg(fret, row, ctx, 0)
        if pos is None or occ is None or ret is None:
            return None
        if ret not in (0, 1):
            raise SQLError(1210, "HY000", "Incorrect arguments to regexp_instr: return_option must be 1 or 0.")
        m = _nth(rx, s, _start(s, pos), occ)
        if m is None:
            return 0
        return (m.end() if ret else m.start()) + 1
    return f


def _regexp_substr(e, fns):
    get = _matcher(e, fns, "regexp_substr", 4)
    fpos, focc = (fns[i] if len(fns) > i else None for i in (2, 3))

    def f(row, ctx):
        sp = get(row, ctx)
        if sp is None:
            return None
        s, rx = sp
        pos, occ = _int_arg(fpos, row, ctx, 1), _int_arg(focc, row, ctx, 1)
        if pos is None or occ is None:
            return None
        m = _nth(rx, s, _start(s, pos), occ)
        return None if m is None else m.group()
    return f


@functools.lru_cache(maxsize=256)
def _replacement(text: str):
    """ICU replacement text -> list of str parts and int group numbers."""
    parts: list = []
    buf, i = [], 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            buf.append(text[i + 1])
            i += 2
        elif c == "$" and i + 1 < len(text) and text[i + 1].isdigit():
            j = i + 1
            while j < len(text) and text[j].isdigit():
                j += 1
            if buf:
                parts.append("".join(buf))
                buf = []
            parts.append(int(text[i + 1:j]))
            i = j
        else:
            buf.append(c)
            i += 1
    if buf:
        parts.append("".join(buf))
    return tuple(parts)


def _expand(parts, m: re.Match) -> str:
    out = []
    for p in parts:
        if type(p) is int:
            if p > (m.re.groups or 0):
                raise _err(3686, "Index out of bounds in regular expression search.")
            out.append(m.group(p) or "")
        else:
            out.append(p)
    return "".join(out)


def _regexp_replace(e, fns):
    get = _matcher(e, fns, "regexp_replace", 5)
    frep = fns[2]
    fpos, focc = (fns[i] if len(fns) > i else None for i in (3, 4))

    def f(row, ctx):
        sp = get(row, ctx)
        if sp is None:
            return None
        r = frep(row, ctx)
        if r is None:
            return None
        s, rx = sp
        pos, occ = _int_arg(fpos, row, ctx, 1), _int_arg(focc, row, ctx, 0)
        if pos is None or occ is None:
            return None
        start = _start(s, pos)
        parts = _replacement(to_text(r))
        out, last, n = [s[:start]], start, 0
        for m in rx.finditer(s, start):
            n += 1
            if occ > 0 and n < occ:
                continue
            out.append(s[last:m.start()])
            out.append(_expand(parts, m))
            last = m.end()
            if occ > 0:
                break
        out.append(s[last:])
        return "".join(out)
    return f


def _text_type(ts):
    t = ts[0]
    coll = t.collation if t is not None and t.collation is not None else DEFAULT_COLLATION
    return SqlType("longtext", length=4294967295, collation=coll)


# name -> (min args, max args, result type, maker): the FUNCTIONS shape
REGEXP_FUNCTIONS = {
    "regexp_like": (2, 3, lambda ts: T_BIGINT, _regexp_like),
    "regexp_instr": (2, 6, lambda ts: T_BIGINT, _regexp_instr),
    "regexp_substr": (2, 5, _text_type, _regexp_substr),
    "regexp_replace": (3, 6, _text_type, _regexp_replace),
}

__all__ = ["REGEXP_FUNCTIONS", "compile_pattern", "translate"]
