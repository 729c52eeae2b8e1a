"""Stage 1: SQL text -> statements -> syntax trees.  The only module that calls sqlglot.parse.

Three jobs, cheapest first:

* ``split_statements``: cut a multi-statement string at top-level ``;``
  (quotes, backquotes and comments respected; not inside the BEGIN ... END
  body of CREATE TRIGGER/PROCEDURE/FUNCTION/EVENT).
* ``normalize``: one regex pass that replaces every literal with a typed
  placeholder (``?i`` int, ``?d<scale>`` decimal, ``?f`` float, ``?s``
  string, ``?b`` ``_binary'...'`` string (bytes), ``?x`` hex/bit) and
  returns the literal texts with their offsets.
  The placeholder text is the plan-cache key (sqlserver.engine.plan_cache);
  the literal kind is part of the key because MySQL's comparison and result
  types depend on it (``id = 5`` and ``id = '5'`` get different plans).
* ``parse``: sqlglot's MySQL dialect on the *original* text (so error
  messages and column names show what the client typed), after a small
  pre-parser for what sqlglot leaves as ``Command`` or misreads: CALL,
  SAVEPOINT, LOCK/UNLOCK TABLES, ``AS OF``, REPLACE (parsed as INSERT and
  marked ``alternative="REPLACE"``), CREATE TRIGGER (``CreateTrigger``).  The planner maps each sqlglot
  literal back to its parameter slot through the literal's start offset
  (``Literal.meta['start']``), which equals the offset ``normalize`` recorded.

Parse errors become 1064 with MySQL's wording: "... near '<the rest of the
statement from the offending token, at most 80 characters>' at line N".
"""

from __future__ import annotations

import bisect
import decimal
import logging
import re
from dataclasses import dataclass
from typing import NamedTuple

import sqlglot
from sqlglot import exp

from sqlserver.engine.dialect import Grove
from sqlserver.errors import SQLError

logging.getLogger("sqlglot").setLevel(logging.ERROR)  # "falling back to Command" warnings: we handle those

# One token regex for splitting and normalizing.  Words are matched whole so
# the digits inside identifiers (t1, col2) are never taken for numbers.
_TOKEN = re.compile(
    r"""(?P<ws>\s+)
    |(?P<comment>--(?=\s|$)[^\n]*|\#[^\n]*|/\*.*?(?:\*/|$))
    |(?P<str>'(?:[^'\\]++|\\.|'')*+(?:'|$)|"(?:[^"\\]++|\\.|"")*+(?:"|$))
    |(?P<bq>`(?:[^`]++|``)*+(?:`|$))
    |(?P<hex>0x[0-9a-fA-F]+(?![\w$])|[xX]'[0-9a-fA-F]*'|[bB]'[01]*'|0b[01]+(?![\w$]))
    |(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(?![\w$])
    |(?P<word>[\w$@][\w$@]*)
    |(?P<op>.)""",
    re.S | re.X,
)


# ``normalize`` needs only the tokens that are, or could hide, literals.  Instead of matching
# words (so the digits inside identifiers like t1 or col2 are not taken for numbers), numbers and
# hex literals must not follow a word character: words, whitespace and operators are all left to
# the regex engine's search, so a statement costs one Python step per literal, not per token.
# The leading lookahead lets the engine reject most positions with one character-class test
# (half the time of trying each alternative at every position).
_LITERAL = re.compile(
    r"""(?=[-\#/'"`0-9.xXbB])(?:(?P<comment>--(?=\s|$)[^\n]*|\#[^\n]*|/\*.*?(?:\*/|$))
    |(?P<str>'(?:[^'\\]++|\\.|'')*+(?:'|$)|"(?:[^"\\]++|\\.|"")*+(?:"|$))
    |(?P<bq>`(?:[^`]++|``)*+(?:`|$))
    |(?<![\w$@])(?P<hex>0x[0-9a-fA-F]+(?![\w$])|[xX]'[0-9a-fA-F]*'|[bB]'[01]*'|0b[01]+(?![\w$]))
    |(?<![\w$@])(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(?![\w$]))""",
    re.S | re.X,
)


def split_statements(sql: str) -> list[str]:
    """The statements of ``sql`` without their terminating ``;``; empty ones dropped."""
    if ";" not in sql:
        s = sql.strip()
        return [s] if s else []
    out, start = [], 0
    if not _ROUTINE_RE.search(sql):
        for m in _TOKEN.finditer(sql):
            if m.lastgroup == "op" and m.group() == ";":
                out.append(sql[start:m.start()].strip())
                start = m.end()
        out.append(sql[start:].strip())
        return [s for s in out if s and not _only_comments(s)]
    # Inside CREATE TRIGGER/PROCEDURE/FUNCTION/EVENT, ';' inside BEGIN ... END does not end the statement
    # (what the mysql client's DELIMITER is for).  CASE ... END nests like BEGIN ... END; END IF/LOOP/... close
    # blocks we do not count.
    first = None  # first word of the current statement
    routine = False  # saw TRIGGER/PROCEDURE/... in a CREATE statement
    depth = 0
    prev_end = False
    for m in _TOKEN.finditer(sql):
        g = m.lastgroup
        if g in ("ws", "comment"):
            continue
        if g == "word":
            w = m.group().lower()
            if first is None:
                first = w
            elif first == "create" and not routine and w in _ROUTINE_WORDS:
                routine = True
            elif routine:
                if prev_end and w in ("if", "loop", "while", "repeat"):
                    depth += 1  # END IF: undo the END's decrement
                elif w in ("begin", "case"):
                    depth += 1
                elif w == "end":
                    depth -= 1
            prev_end = routine and w == "end"
            continue
        prev_end = False
        if g == "op" and m.group() == ";" and depth <= 0:
            out.append(sql[start:m.start()].strip())
            start = m.end()
            first, routine, depth = None, False, 0
        elif first is None:
            first = ""
    out.append(sql[start:].strip())
    return [s for s in out if s and not _only_comments(s)]


_ROUTINE_WORDS = frozenset(("trigger", "procedure", "function", "event"))
_ROUTINE_RE = re.compile(r"\b(?:trigger|procedure|function|event)\b", re.I)


def _only_comments(s: str) -> bool:
    return all(m.lastgroup in ("ws", "comment") for m in _TOKEN.finditer(s))


class Literal(NamedTuple):
    """A literal found by ``normalize``: its kind letter, source text and offset (a tuple: made per literal)."""

    kind: str  # 'i' int, 'd' decimal, 'f' float, 's' string, 'b' _binary'string', 'x' hex/bit string
    text: str
    start: int


def normalize(sql: str) -> tuple[str, list[Literal]]:
    """(cache key, literals in text order).  See the module docstring."""
    parts: list[str] = []
    lits: list[Literal] = []
    pos = 0
    for m in _LITERAL.finditer(sql):
        g = m.lastgroup
        if g == "num":
            t = m.group()
            if "e" in t or "E" in t:
                kind = "f"
            elif "." in t:
                kind = "d"
            else:
                kind = "i"
        elif g == "str":
            kind, t = "s", m.group()
            if _after_binary(sql, m.start()) or not t.isascii() and _SURROGATE.search(t):
                kind = "b"  # _binary'...', or bytes that are not UTF-8 (decode_query): a binary string
        elif g == "hex":
            kind, t = "x", m.group()
        else:
            continue
        s = m.start()
        parts.append(sql[pos:s])
        parts.append("?" + kind + (str(len(t) - t.index(".") - 1) if kind == "d" else ""))
        lits.append(Literal(kind, t, s))
        pos = m.end()
    if not lits:
        return sql, lits
    parts.append(sql[pos:])
    return "".join(parts), lits


def _after_binary(sql: str, s: int) -> bool:
    """Whether the string literal at ``s`` has the ``_binary`` introducer (cheap: one character test
    for most literals)."""
    j = s
    while j and sql[j - 1] in " \t\r\n":
        j -= 1
    return (j >= 7 and sql[j - 1] in "yY" and sql[j - 7:j].lower() == "_binary"
            and (j == 7 or not (sql[j - 8].isalnum() or sql[j - 8] in "_$@")))


def decode_query(data: bytes, codec: str = "utf-8") -> str:
    """A statement's text whose bytes are not all valid in ``codec`` (the caller tried the strict decode
    first): each invalid byte becomes a lone surrogate (``surrogateescape``).  A string literal may hold
    them: its value is then the original bytes (``normalize`` makes it a binary string, kind 'b'), as
    MySQL copies a literal's bytes unchecked into a binary column (mysqlclient sends bytes parameters
    as plain '...').  MySQL's 1300 for them in an identifier or in a literal with a non-binary
    introducer (``_utf8mb4'...'``: MySQL checks those)."""
    sql = data.decode(codec, "surrogateescape")
    prev = None
    for m in _TOKEN.finditer(sql):
        g = m.lastgroup
        if g == "ws" or g == "comment":
            continue
        t = m.group()
        if _SURROGATE.search(t) and not (g == "str" and (prev is None or prev.group().lower() == "_binary"
                                                          or not prev.group().startswith("_"))):
            raise invalid_string(t)
        prev = m if g == "word" else None
    return sql


_SURROGATE = re.compile("[\udc80-\udcff]")


def invalid_string(text: str) -> SQLError:
    """1300 for text holding undecodable bytes: MySQL shows (in hex) up to 3 bytes from the first bad one."""
    raw = text.encode("utf-8", "surrogateescape")
    i = len(text[:_SURROGATE.search(text).start()].encode("utf-8"))
    return SQLError(1300, "HY000", f"Invalid utf8mb4 character string: '{raw[i:i + 3].hex().upper()}'")


_ESCAPES = {"0": "\0", "b": "\b", "n": "\n", "r": "\r", "t": "\t", "Z": "\x1a", "%": "\\%", "_": "\\_"}
_ESC_RE = re.compile(r"\\(.)|''|\"\"", re.S)


def unescape_string(text: str) -> str:
    """The value of a quoted MySQL string literal (``'it''s'``, ``'a\\nb'``)."""
    body = text[1:-1]
    if "\\" not in body and text[0] * 2 not in body:
        return body
    return _ESC_RE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(1)) if m.group(1) is not None
                       else m.group()[0], body)


def literal_value(lit: Literal) -> object:
    """The Python value of a literal (int, Decimal, float, str or bytes)."""
    k, t = lit.kind, lit.text
    if k == "i":
        return int(t)
    if k == "s":
        return unescape_string(t)
    if k == "b":
        return unescape_string(t).encode("utf-8", "surrogateescape")
    if k == "d":
        return decimal.Decimal(t)
    if k == "f":
        return float(t)
    return hex_value(t)


def hex_value(t: str) -> bytes:
    if t[0] in "bB" or t.startswith("0b"):
        bits = t[2:-1] if t[1] == "'" else t[2:]
        n = int(bits or "0", 2)
        return n.to_bytes((len(bits) + 7) // 8, "big")
    digits = t[2:-1] if t[1] == "'" else t[2:]
    if len(digits) % 2:
        digits = "0" + digits
    return bytes.fromhex(digits)


# --- statements sqlglot does not parse (or misparses) -------------------------------


@dataclass(frozen=True)
class Call:
    """CALL proc(args): args are sqlglot expressions."""

    name: str
    args: tuple


@dataclass(frozen=True)
class Savepoint:
    action: str  # 'savepoint' | 'release' | 'rollback_to'
    name: str


@dataclass(frozen=True)
class LockTables:
    unlock: bool


@dataclass(frozen=True)
class CreateTrigger:
    """CREATE TRIGGER: what the catalog needs; the body stays text (sqlserver.engine.triggers)."""

    name: str
    db: str | None
    timing: str  # BEFORE | AFTER
    event: str  # INSERT | UPDATE | DELETE
    table: str
    table_db: str | None
    body: str
    text: str  # the whole statement, as stored
    if_not_exists: bool = False


@dataclass(frozen=True)
class RenameTable:
    """RENAME TABLE a TO b [, c TO d ...]: ``pairs`` of sqlglot Tables."""

    pairs: tuple


_RENAME_RE = re.compile(r"^\s*rename\s+tables?\s+(.*?)\s*;?\s*$", re.I | re.S)
_ADD_CHECK_RE = re.compile(r"\badd\s+check\s*\(", re.I)
_CALL_RE = re.compile(r"^\s*call\s+([\w$.`]+)\s*(?:\((.*)\))?\s*$", re.I | re.S)
_SAVEPOINT_RE = re.compile(
    r"^\s*(savepoint|release\s+savepoint|rollback\s+(?:work\s+)?to\s+(?:savepoint\s+)?)\s*"
    r"(`(?:[^`]|``)+`|[\w$]+)\s*$", re.I)
_LOCK_RE = re.compile(r"^\s*(lock|unlock)\s+tables?\b", re.I)
_REPLACE_RE = re.compile(r"^\s*(replace)\b", re.I)
_AS_OF_RE = re.compile(r"\bas\s+of\b", re.I)
_NAME = r"(?:`(?:[^`]|``)+`|[\w$]+)"
_CREATE_TRIGGER_HEAD_RE = re.compile(r"^\s*create\s+(?:definer\s*=\s*\S+\s+)?trigger\b", re.I)
_CREATE_TRIGGER_RE = re.compile(
    rf"""^\s*create\s+(?:definer\s*=\s*\S+\s+)?trigger\s+(?P<ine>if\s+not\s+exists\s+)?
    (?:(?P<db>{_NAME})\s*\.\s*)?(?P<name>{_NAME})\s+(?P<timing>before|after)\s+(?P<event>insert|update|delete)\s+
    on\s+(?:(?P<tdb>{_NAME})\s*\.\s*)?(?P<table>{_NAME})\s+for\s+each\s+row\s+
    (?:(?:follows|precedes)\s+{_NAME}\s+)?(?P<body>\S.*?)\s*;?\s*$""",
    re.I | re.S | re.X)


def _unquote(name: str | None) -> str | None:
    if name is None or not name.startswith("`"):
        return name
    return name[1:-1].replace("``", "`")


_TRIGGER_STEPS = [re.compile(p, re.I | re.S) for p in (
    rf"^\s*create\s+(?:definer\s*=\s*\S+\s+)?trigger\s+(?:if\s+not\s+exists\s+)?(?:{_NAME}\s*\.\s*)?{_NAME}\s+",
    r"(?:before|after)\s+", r"(?:insert|update|delete)\s+", rf"on\s+(?:{_NAME}\s*\.\s*)?{_NAME}\s+",
    r"for\s+each\s+row\s+")]


def _trigger_error_offset(sql: str) -> int:
    """Where a malformed CREATE TRIGGER stops making sense (for 1064's "near '...'")."""
    pos = 0
    for step in _TRIGGER_STEPS:
        m = step.match(sql, pos)
        if m is None:
            return pos
        pos = m.end()
    return pos


def parse_create_trigger(sql: str) -> CreateTrigger | None:
    """The parts of a CREATE TRIGGER statement, or None if it is not one MySQL accepts the shape of."""
    m = _CREATE_TRIGGER_RE.match(sql)
    if m is None:
        return None
    return CreateTrigger(_unquote(m.group("name")), _unquote(m.group("db")), m.group("timing").upper(),
                         m.group("event").upper(), _unquote(m.group("table")), _unquote(m.group("tdb")),
                         m.group("body"), sql.strip().rstrip(";").rstrip(), bool(m.group("ine")))
_STATEMENTS = (exp.Select, exp.SetOperation, exp.Subquery, exp.Insert, exp.Update, exp.Delete, exp.Create,
               exp.Drop, exp.Set, exp.Show, exp.Use, exp.Describe, exp.Transaction, exp.Commit, exp.Rollback, exp.Alter,
               exp.TruncateTable, exp.Command)


_SHOW_SYNONYM_RE = re.compile(r"^show\s+(?:(?P<index>(?:index|indexes|keys)\s+(?:from|in))|(?P<schema>create\s+schema)"
                              r"|(?P<full>full\s+)?(?:fields|columns)\s+(?:from|in))\b", re.I)


def _show_canonical(m) -> str:
    if m.group("index"):
        return "SHOW INDEX FROM"
    if m.group("schema"):
        return "SHOW CREATE DATABASE"
    return "SHOW " + ("FULL " if m.group("full") else "") + "COLUMNS FROM"


def parse(sql: str):
    """One statement's syntax: a sqlglot expression or one of Call/Savepoint/LockTables."""
    head = sql[:12].lower()
    if head.startswith("call"):
        m = _CALL_RE.match(sql)
        if m:
            args = ()
            if m.group(2) and m.group(2).strip():
                sel = _sqlglot_parse("SELECT " + m.group(2), sql, offset=len("SELECT ") - m.start(2))
                args = tuple(sel.expressions)
            return Call(m.group(1).replace("`", ""), args)
    if head.startswith(("savepoint", "release", "rollback")):
        m = _SAVEPOINT_RE.match(sql)
        if m:
            action = m.group(1).lower().split()[0]
            return Savepoint({"savepoint": "savepoint", "release": "release"}.get(action, "rollback_to"),
                             _unquote(m.group(2)))
    if head.startswith(("lock", "unlock")):
        m = _LOCK_RE.match(sql)
        if m:
            return LockTables(m.group(1).lower() == "unlock")
    if head.startswith("replace"):
        m = _REPLACE_RE.match(sql)
        if m:
            # REPLACE is INSERT that deletes the rows in the way: same length, so literal offsets are unchanged
            tree = _sqlglot_parse(sql[:m.start(1)] + "insert " + sql[m.end(1):], sql)
            if not isinstance(tree, exp.Insert) or tree.args.get("ignore") or tree.args.get("conflict"):
                raise parse_error(sql, 0)
            tree.set("alternative", "REPLACE")
            return tree
    if head.startswith("rename"):
        m = _RENAME_RE.match(sql)
        if m:
            return _parse_rename(sql, m)
    if head.startswith("alter") and _ADD_CHECK_RE.search(sql):
        # sqlglot knows ADD CONSTRAINT [name] CHECK but not the short ADD CHECK; ALTER is not cached by
        # shape, so moving the literals' offsets is harmless
        sql = _ADD_CHECK_RE.sub("ADD CONSTRAINT CHECK (", sql)
    if head.startswith("create") and _CREATE_TRIGGER_HEAD_RE.match(sql):
        trg = parse_create_trigger(sql)
        if trg is None:
            raise parse_error(sql, _trigger_error_offset(sql))
        return trg
    if head.startswith("show"):
        # sqlglot knows SHOW INDEX FROM and SHOW CREATE DATABASE only: spell MySQL's synonyms that way
        # (SHOW is never cached by shape, so moving literal offsets is harmless)
        sql = _SHOW_SYNONYM_RE.sub(_show_canonical, sql, 1)
    if _AS_OF_RE.search(sql):
        tree = _parse_as_of(sql)
    else:
        tree = _sqlglot_parse(sql, sql)
    if not isinstance(tree, _STATEMENTS) or isinstance(tree, exp.Command):
        raise parse_error(sql, 0)  # sqlglot fell back to Command: a statement we do not know (yet)
    if isinstance(tree, exp.Create) and (tree.args.get("kind") or "").upper() == "VIEW":
        tree.meta["item_texts"] = select_item_texts(sql)  # the view's column names are its items as typed
    return tree


_VERSION = "VERSION "


def _parse_as_of(sql: str):
    """Dolt's ``FROM t AS OF <revision>``: sqlglot reads it written ``t VERSION AS OF <revision>``.

    The table then carries ``version=Version(expression=<revision>)``.  The
    inserted words move the offsets of everything after them, so literal
    offsets (the plan cache's parameter slots) are moved back afterwards.
    """
    inserts = []  # offsets in ``sql`` where _VERSION goes
    prev = None  # (lowercased word, start) of the previous significant token
    for m in _TOKEN.finditer(sql):
        g = m.lastgroup
        if g in ("ws", "comment"):
            continue
        if g == "word" and m.group().lower() == "of" and prev is not None and prev[0] == "as":
            inserts.append(prev[1])
        prev = (m.group().lower(), m.start()) if g == "word" else None
    if not inserts:
        return _sqlglot_parse(sql, sql)
    parts, pos = [], 0
    for at in inserts:
        parts += [sql[pos:at], _VERSION]
        pos = at
    parts.append(sql[pos:])
    tree = _sqlglot_parse("".join(parts), sql)
    n = len(_VERSION)
    moved = [at + n * (i + 1) for i, at in enumerate(inserts)]  # where each insertion ends in the new text
    for node in tree.walk():
        meta = node.meta if node._meta is not None else None
        if meta and "start" in meta:
            shift = n * bisect.bisect_right(moved, meta["start"])
            meta["start"] -= shift
            if "end" in meta:
                meta["end"] -= shift
    return tree


def _parse_rename(sql: str, m) -> RenameTable:
    pairs = []
    for part in _split_top_level(m.group(1)):
        words = re.split(r"\s+to\s+", part.strip(), flags=re.I)
        if len(words) != 2 or not words[0] or not words[1]:
            raise parse_error(sql, m.start(1))
        old, new = (_sqlglot_parse("SELECT * FROM " + w, sql) for w in words)
        pairs.append((old.args["from_"].this if "from_" in old.args else old.args["from"].this,
                      new.args["from_"].this if "from_" in new.args else new.args["from"].this))
    return RenameTable(tuple(pairs))


def _split_top_level(text: str) -> list[str]:
    out, start = [], 0
    for t in _TOKEN.finditer(text):
        if t.lastgroup == "op" and t.group() == ",":
            out.append(text[start:t.start()])
            start = t.end()
    out.append(text[start:])
    return out


def parse_expression(text: str):
    """A stored SQL expression (a CHECK condition) as a sqlglot expression."""
    tree = _sqlglot_parse("SELECT " + text, text, offset=len("SELECT "))
    return tree.expressions[0]


def _sqlglot_parse(text: str, original: str, offset: int = 0):
    try:
        trees = sqlglot.parse(text, read=Grove)
    except sqlglot.errors.ParseError as e:
        errors = e.errors or [{}]
        err = errors[0]
        pos = _error_offset(text, err)
        highlight = err.get("highlight") or ""
        if pos + len(highlight) >= len(text.rstrip().rstrip(";").rstrip()):
            pos = len(text)  # ran out of input: MySQL says near ''
        first = re.match(r"\s*(\w+)", original)
        if first is None or first.group(1).lower() not in _STATEMENT_WORDS:
            pos = offset + (first.start(1) if first else 0)  # not a statement MySQL knows: near the whole text
        if _AS_OF_RE.search(original):
            raise SQLError.of("NOT_SUPPORTED_YET", "AS OF") from None
        raise parse_error(original, max(0, pos - offset)) from None
    except sqlglot.errors.TokenError:
        raise parse_error(original, 0) from None
    trees = [t for t in trees if t is not None]
    if len(trees) != 1:
        raise parse_error(original, 0)
    return trees[0]


def _error_offset(text: str, err: dict) -> int:
    line, col = err.get("line"), err.get("col")
    if not line or col is None:
        return 0
    lines = text.split("\n")
    pos = sum(len(x) + 1 for x in lines[: line - 1]) + col - len(err.get("highlight") or "")
    return max(0, min(pos, len(text)))


def parse_error(sql: str, pos: int) -> SQLError:
    """1064 "near '...' at line N" for an error at character offset ``pos``."""
    line = sql.count("\n", 0, pos) + 1
    return SQLError.of("PARSE", sql[pos:pos + 80], line)


def select_item_texts(sql: str) -> list[str] | None:
    """The source text of each top-level select item of a SELECT statement, or None.

    MySQL names an unaliased result column by the item's text as typed
    (``SELECT 1+1`` -> ``1+1``, ``SELECT count(*)`` -> ``count(*)``); sqlglot
    does not keep spans, so we cut the list ourselves at depth-0 commas
    between SELECT [DISTINCT...] and the first depth-0 clause keyword.
    """
    items: list[str] = []
    depth, start, began = 0, None, False
    with_depth, leading = None, True  # WITH ... AS (SELECT ...): the items are the depth-0 SELECT's (ctes)
    for m in _TOKEN.finditer(sql):
        g, t = m.lastgroup, m.group()
        if g in ("ws", "comment"):
            continue
        if not began:
            if leading and g == "word" and t.lower() == "with":
                with_depth = 0
            leading = False
            if with_depth is not None and g == "op" and t in "()":
                with_depth += 1 if t == "(" else -1
            if g == "word" and t.lower() == "select" and not with_depth:
                began = True
            continue
        lt = t.lower()
        if start is None:
            if g == "word" and lt in _SELECT_MODIFIERS:
                continue
            start = m.start()
        if g == "op":
            if t == "(":
                depth += 1
            elif t == ")":
                depth -= 1
                if depth < 0:
                    break
            elif t == "," and depth == 0:
                items.append(sql[start:m.start()].strip())
                start = m.end()
        elif g == "word" and depth == 0 and lt in _CLAUSE_WORDS:
            items.append(sql[start:m.start()].strip())
            return items
    if start is None or not began:
        return None
    items.append(sql[start:].strip().rstrip(";").strip())
    return items


_STATEMENT_WORDS = {"select", "insert", "update", "delete", "create", "drop", "alter", "set", "show", "use",
                    "describe", "desc", "explain", "begin", "start", "commit", "rollback", "call", "replace",
                    "truncate", "with", "lock", "unlock", "savepoint", "release", "grant", "revoke", "rename",
                    "analyze", "optimize", "kill", "do", "handler", "load", "prepare", "execute", "deallocate",
                    "flush", "reset", "purge", "xa", "help", "checksum", "check", "repair", "table", "values"}
_SELECT_MODIFIERS = {"distinct", "all", "distinctrow", "high_priority", "straight_join", "sql_small_result",
                     "sql_big_result", "sql_buffer_result", "sql_no_cache", "sql_calc_found_rows"}
_CLAUSE_WORDS = {"from", "where", "group", "having", "order", "limit", "for", "into", "union", "except", "intersect",
                 "window", "lock"}
