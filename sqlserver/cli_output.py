"""How ``grove`` prints: result sets (table, csv, json), commits and status.

Why a module of its own: ``grove sql`` runs its statements either in-process
(the engine) or through a running ``grove sql-server`` (pymysql), and both
must print byte-for-byte the same.  So both paths first reduce a result to a
``ResultText``: column names, which columns are numeric, and every value
already in MySQL's *text protocol* form (what the server would send; None
for NULL).  Everything here works on that form only.

Formats, following the MySQL client and Dolt:

* ``table``: the MySQL client's box, numeric columns right-aligned, NULL
  printed as ``NULL``; an empty result still prints its header box.  A
  statement without a result set prints ``Query OK, n rows affected`` when
  it changed rows, and nothing otherwise.
* ``csv``: a header row, then the rows (RFC 4180 quoting); NULL is an empty
  field, as in Dolt's csv output.
* ``json``: one object per result set, ``{"rows": [{column: value}, ...]}``
  (Dolt's shape); numeric columns are JSON numbers written from their exact
  text (a DECIMAL keeps its digits), NULL is ``null``.

Commits print as ``git log``/``dolt log`` do; status groups tables the way
``dolt status`` does ("Changes to be committed", "Changes not staged for
commit", "Untracked tables").  ``ProgressLine`` shows a transfer's progress
on stderr (push, pull, fetch, clone, backups).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import sys
import time
import unicodedata
from dataclasses import dataclass

# MySQL's IS_NUM(): the protocol type codes the mysql client right-aligns
# (DECIMAL, TINY, SHORT, LONG, FLOAT, DOUBLE, LONGLONG, INT24, YEAR, NEWDECIMAL).
NUMERIC_TYPE_CODES = frozenset({0, 1, 2, 3, 4, 5, 8, 9, 13, 246})

_JSON_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?\Z")


@dataclass
class ResultText:
    """A result set reduced to text: ``rows`` hold str (MySQL's text form) or None (NULL)."""

    columns: list[str]
    numeric: list[bool]
    rows: list[tuple]


@dataclass
class OkText:
    """A statement without a result set."""

    affected_rows: int = 0
    info: str = ""


# --- result sets ----------------------------------------------------------------------------


def _width(s: str) -> int:
    """Terminal columns ``s`` takes: East Asian wide and fullwidth characters take two."""
    if s.isascii():
        return len(s)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, width: int, right: bool) -> str:
    gap = " " * (width - _width(s))
    return gap + s if right else s + gap


def format_table(result: ResultText) -> str:
    """The MySQL client's box format (``mysql -t``)."""
    cells = [["NULL" if v is None else v for v in row] for row in result.rows]
    widths = [_width(name) for name in result.columns]
    for row in cells:
        for i, v in enumerate(row):
            w = _width(v)
            if w > widths[i]:
                widths[i] = w
    rule = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    lines = [rule, "| " + " | ".join(_pad(n, w, False) for n, w in zip(result.columns, widths)) + " |", rule]
    for row in cells:
        lines.append("| " + " | ".join(_pad(v, w, num) for v, w, num in zip(row, widths, result.numeric)) + " |")
    if cells:
        lines.append(rule)
    return "\n".join(lines) + "\n"


def format_csv(result: ResultText) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(result.columns)
    writer.writerows(["" if v is None else v for v in row] for row in result.rows)
    return out.getvalue()


def _json_value(v: str | None, numeric: bool) -> str:
    if v is None:
        return "null"
    if numeric and _JSON_NUMBER.match(v):
        return v  # exact: a DECIMAL's digits are not rounded through float
    return json.dumps(v, ensure_ascii=False)


def format_json(result: ResultText) -> str:
    keys = [json.dumps(c, ensure_ascii=False) for c in result.columns]
    rows = []
    for row in result.rows:
        fields = ", ".join(f"{k}: {_json_value(v, num)}" for k, v, num in zip(keys, row, result.numeric))
        rows.append("{" + fields + "}")
    return '{"rows": [' + ", ".join(rows) + "]}\n"


FORMATS = {"table": format_table, "csv": format_csv, "json": format_json}


def format_result(result: ResultText | OkText, fmt: str) -> str:
    """What ``grove sql -r fmt`` prints for one statement's result."""
    if isinstance(result, ResultText):
        return FORMATS[fmt](result)
    if fmt == "table" and result.affected_rows:
        n = result.affected_rows
        text = f"Query OK, {n} row{'s' if n != 1 else ''} affected\n"
        if result.info:
            text += result.info + "\n"
        return text
    return ""


# --- commits and status ---------------------------------------------------------------------


@dataclass
class CommitText:
    """One commit as ``grove log`` prints it."""

    address: str
    author: str
    email: str
    timestamp: float  # seconds since the epoch
    message: str


def format_commit(c: CommitText, decoration: str = "") -> str:
    """``commit <address> (HEAD -> main)`` / Author / Date / indented message, as ``dolt log``."""
    when = datetime.datetime.fromtimestamp(c.timestamp).astimezone()
    date = when.strftime("%a %b %d %H:%M:%S %z %Y")
    head = f"commit {c.address}" + (f" ({decoration})" if decoration else "")
    body = "\n".join("\t" + line for line in (c.message.splitlines() or [""]))
    return f"{head}\nAuthor: {c.author} <{c.email}>\nDate:  {date}\n\n{body}\n\n"


def format_commit_oneline(c: CommitText, decoration: str = "") -> str:
    first = c.message.splitlines()[0] if c.message else ""
    return f"{c.address}" + (f" ({decoration})" if decoration else "") + f" {first}\n"


def format_status(branch: str, entries: list[tuple[str, bool, str]]) -> str:
    """``dolt status``'s text from (table, staged, status) entries."""
    staged = [(t, s) for t, st, s in entries if st]
    unstaged = [(t, s) for t, st, s in entries if not st and s != "new table"]
    untracked = [(t, s) for t, st, s in entries if not st and s == "new table"]
    out = [f"On branch {branch}", ""]
    if not entries:
        out.append("nothing to commit, working tree clean")
        return "\n".join(out) + "\n"
    groups = [
        ("Changes to be committed:", None, staged),
        ("Changes not staged for commit:", '(use "grove add <table>" to update what will be committed)', unstaged),
        ("Untracked tables:", '(use "grove add <table>" to include in what will be committed)', untracked),
    ]
    for title, hint, items in groups:
        if not items:
            continue
        out.append(title)
        if hint:
            out.append("  " + hint)
        out.extend(f"\t{s + ':':<18}{t}" for t, s in items)
        out.append("")
    return "\n".join(out) + "\n"


class ProgressLine:
    """The progress of a push, pull, fetch, clone or backup on stderr, fed replication Transfers.

    On a terminal every transfer shows, refreshed in place (at most every
    ``REFRESH`` seconds) and ended by its final line.  Otherwise (a pipe, a
    log file) a quick transfer prints nothing, so scripts see clean output;
    one that takes longer than ``DELAY`` prints a line every ``DELAY``
    seconds, then its final line.  ``close`` ends a line left open.
    """

    DELAY = 1.0  # seconds: transfers quicker than this stay silent when stderr is not a terminal
    REFRESH = 0.1  # seconds between in-place updates on a terminal: fast enough to look live

    def __init__(self, stream=None, *, clock=None):
        self.stream = stream if stream is not None else sys.stderr
        try:
            self.tty = self.stream.isatty()
        except (AttributeError, ValueError):
            self.tty = False
        self.clock = clock or time.monotonic
        self.started = self.clock()
        self.last: float | None = None  # when a line was last written
        self.open = False  # a terminal line is showing without its newline

    def __call__(self, transfer) -> None:
        now = self.clock()
        if transfer.done:
            if self.open or (self.tty and transfer.chunks) or self.last is not None \
                    or now - self.started >= self.DELAY:
                self._write(transfer.line(), now, final=True)
            return
        if self.tty:
            if self.last is None or now - self.last >= self.REFRESH:
                self._write(transfer.line(), now)
        elif now - self.started >= self.DELAY and (self.last is None or now - self.last >= self.DELAY):
            self._write(transfer.line(), now)

    def _write(self, line: str, now: float, final: bool = False) -> None:
        if self.tty:
            self.stream.write("\r" + line + "\x1b[K" + ("\n" if final else ""))
            self.open = not final
        else:
            self.stream.write(line + "\n")
        self.stream.flush()
        self.last = now

    def close(self) -> None:
        if self.open:
            self.stream.write("\n")
            self.stream.flush()
            self.open = False
