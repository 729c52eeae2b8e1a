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
"""

from __future__ import annotations

import datetime
import decimal
import re

from sqlserver.engine.expressions import format_double
from sqlserver.engine.results import Ok, Rows
from sqlserver.errors import SQLError
from sqlserver.sqltypes import format_time


def parse_file(text: str) -> list[tuple[str, list[str]]]:
    records, stmt, expected, in_expected = [], [], [], False
    for line in text.split("\n") + [""]:
        if in_expected:
            if line.strip() == "":
                records.append(("\n".join(stmt), expected))
                stmt, expected, in_expected = [], [], False
            else:
                expected.append(line)
        elif line.strip() == "----":
            in_expected = True
        elif line.startswith("#") and not stmt:
            continue
        elif line.strip() or stmt:
            if line.strip():
                stmt.append(line)
    return records


_ADDRESS = re.compile(r"^[0-9a-v]{32}$")


def show_value(v) -> str:
    """A value as the mysql client prints it; commit/chunk addresses (time-dependent) as <hash>."""
    if isinstance(v, str) and _ADDRESS.match(v):
        return "<hash>"
    if v is None:
        return "NULL"
    if isinstance(v, float):
        return format_double(v)
    if isinstance(v, datetime.datetime):
        return v.isoformat(" ")
    if isinstance(v, datetime.timedelta):
        return format_time(v)
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    if isinstance(v, decimal.Decimal):
        return str(v)
    return str(v)


def render_result(result) -> list[str]:
    if isinstance(result, Rows):
        lines = ["\t".join(c.name for c in result.columns)]
        lines += ["\t".join(show_value(v) for v in row).replace("\n", "\\n") for row in result.rows]
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
