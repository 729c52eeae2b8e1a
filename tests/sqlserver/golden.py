"""Golden-file SQL tests: the file format, and how results are written as text.

A file in tests/sql/ is a list of records::

    # comment lines (ignored)
    SELECT id, v FROM t ORDER BY id;
    ----
    id	v
    1	a
    NULL	b

A record is one or more statement lines, a ``----`` line, then the expected
output up to a blank line.  Output is the column names then one line per
row, tab-separated (NULL as ``NULL``, values as MySQL's text protocol shows
them); ``OK <affected rows>`` plus ``last_insert_id=N``/``info``/
``warnings=N`` when non-zero; or the error exactly as the mysql client prints
it: ``ERROR 1146 (42S02): Table 'db.t' doesn't exist``.

Expectations are MySQL 8's answers (except under ``# grove-differs``, below), and
bench/golden_vs_mariadb.py runs the same files against MariaDB.  Comment lines
directly above a statement may carry a marker for that script (Grove itself must
still match the expectation):

    # mariadb-differs: MySQL 8 names the key t.uc in 1062, MariaDB uc
        a documented MySQL 8 / MariaDB difference: MariaDB's answer is not
        compared.
    # grove-only: CALL dolt_commit is a Grove/Dolt procedure
        the statement needs a Grove-only feature and is not sent to MariaDB.
    # grove-differs: SHOW DATABASES lacks MySQL 8's mysql, performance_schema and sys
        a known Grove deviation from MySQL 8, not fixed yet: here the expectation
        is what Grove answers today (so any change is noticed) and the reason says
        what MySQL 8 answers; the script counts MariaDB's differing answer as a
        known Grove deviation.  Keep these few and honest: the fix removes the marker.

A ``# grove-only-file: <reason>`` line among the file's leading comments
skips the whole file on MariaDB.
"""

from __future__ import annotations

import datetime
import decimal
import re

from sqlserver.engine.expressions import format_double, format_float
from sqlserver.engine.results import Ok, Rows
from sqlserver.errors import SQLError
from sqlserver.sqltypes import format_time
from sqlserver.wire import _time_text


DIFFERS_MARKER = "# mariadb-differs:"
GROVE_ONLY_MARKER = "# grove-only:"
GROVE_DIFFERS_MARKER = "# grove-differs:"
GROVE_ONLY_FILE_MARKER = "# grove-only-file"


class Record(tuple):
    """One record; unpacks as ``(stmt, expected)``.

    ``comments`` holds the lines between the previous record and this one's
    statement (comment and blank lines, kept verbatim so a rewrite preserves
    them); ``differs`` / ``grove_only`` / ``grove_differs`` are the reasons of the
    markers found in the comment lines directly above the statement, else None.
    """

    stmt: str
    expected: list[str]
    comments: list[str]
    differs: str | None
    grove_only: str | None
    grove_differs: str | None

    def __new__(cls, stmt: str, expected: list[str], comments: list[str] | None = None):
        self = super().__new__(cls, (stmt, expected))
        self.stmt, self.expected = stmt, expected
        self.comments = list(comments or [])
        self.differs = self.grove_only = self.grove_differs = None
        for line in _adjacent_comments(self.comments):
            if line.startswith(DIFFERS_MARKER):
                self.differs = line[len(DIFFERS_MARKER):].strip() or "(no reason given)"
            elif line.startswith(GROVE_ONLY_MARKER):
                self.grove_only = line[len(GROVE_ONLY_MARKER):].strip() or "(no reason given)"
            elif line.startswith(GROVE_DIFFERS_MARKER):
                self.grove_differs = line[len(GROVE_DIFFERS_MARKER):].strip() or "(no reason given)"
        return self


def _adjacent_comments(comments: list[str]) -> list[str]:
    """The comment lines with no blank line between them and the statement."""
    out = []
    for line in reversed(comments):
        if not line.strip():
            break
        out.append(line)
    return out[::-1]


def parse_file(text: str) -> list[Record]:
    records, stmt, expected, in_expected, comments = [], [], [], False, []
    for line in text.split("\n") + [""]:
        if in_expected:
            if line.strip() == "":
                records.append(Record("\n".join(stmt), expected, comments))
                stmt, expected, in_expected, comments = [], [], False, []
            else:
                expected.append(line)
        elif line.strip() == "----":
            in_expected = True
        elif line.startswith("#") and not stmt:
            comments.append(line)
        elif line.strip() or stmt:
            if line.strip():
                stmt.append(line)
        elif comments:
            comments.append(line)  # a blank line inside a comment block
    return records


def grove_only_file(text: str) -> str | None:
    """The reason of a ``# grove-only-file`` line among the file's leading comments, else None."""
    for line in text.split("\n"):
        if not line.startswith("#") and line.strip():
            return None
        if line.startswith(GROVE_ONLY_FILE_MARKER):
            return line[len(GROVE_ONLY_FILE_MARKER):].lstrip(":").strip() or "(no reason given)"
    return None


_ADDRESS = re.compile(r"^[0-9a-v]{32}$")


def show_value(v, sqltype=None) -> str:
    """A value as the mysql client prints it; commit/chunk addresses (time-dependent) as <hash>.

    ``sqltype``: the result column's type, when known: DATETIME/TIMESTAMP/TIME values then show the
    column's fractional digits (``DATETIME(2)``: ``03:04:05.68``), as the server sends them."""
    if isinstance(v, str) and _ADDRESS.match(v):
        return "<hash>"
    if v is None:
        return "NULL"
    if isinstance(v, float):
        return format_float(v) if sqltype is not None and sqltype.name == "float" else format_double(v)
    if isinstance(v, datetime.datetime):
        if sqltype is not None and sqltype.name in ("datetime", "timestamp"):
            return _datetime_text(v, sqltype.fsp)
        return v.isoformat(" ")
    if isinstance(v, datetime.timedelta):
        if sqltype is not None and sqltype.name == "time":
            return _time_text(v, sqltype.fsp)
        return format_time(v)
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    if isinstance(v, decimal.Decimal):
        return str(v)
    return str(v)


def _datetime_text(v: datetime.datetime, fsp: int) -> str:
    fsp = min(fsp or 0, 6)
    return v.isoformat(" ", "microseconds")[:20 + fsp] if fsp else v.isoformat(" ", "seconds")


def render_result(result) -> list[str]:
    if isinstance(result, Rows):
        lines = ["\t".join(c.name for c in result.columns)]
        types = [c.sqltype for c in result.columns]
        lines += ["\t".join(show_value(v, t) for v, t in zip(row, types)).replace("\n", "\\n")
                  for row in result.rows]
        return lines
    assert isinstance(result, Ok)
    parts = [f"OK {result.affected_rows}"]
    if result.last_insert_id:
        parts.append(f"last_insert_id={result.last_insert_id}")
    if result.warnings:
        parts.append(f"warnings={result.warnings}")
    if result.info:
        parts.append(f"info={result.info}")
    return [" ".join(parts)]


def render_error(e: SQLError) -> list[str]:
    return [str(e).replace("\n", "\\n")]
