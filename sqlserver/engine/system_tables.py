"""System tables the engine can read: dolt_log and dolt_status.

A system table is a name, its columns (name, SqlType) and a function that
makes its rows at execution time from the session's view of the database.
The planner asks ``columns(name)`` (None: not a system table); the executor
calls ``rows``.  dolt_status reads the branch's working set as committed
(what ``grove status`` shows), not the session's uncommitted edits.
"""

from __future__ import annotations

import datetime

from sqlserver.engine import versioning
from sqlserver.sqltypes import SqlType
from storage.address import to_text
from storage.collation import DEFAULT_COLLATION

_TEXT = SqlType("varchar", length=1023, collation=DEFAULT_COLLATION)
_LONG = SqlType("text", length=65535, collation=DEFAULT_COLLATION)

TABLES = {
    "dolt_log": [("commit_hash", _TEXT), ("committer", _TEXT), ("email", _TEXT),
                 ("date", SqlType("datetime", fsp=3)), ("message", _LONG)],
    "dolt_status": [("table_name", _TEXT), ("staged", SqlType("tinyint")), ("status", _TEXT)],
}


def columns(name: str):
    return TABLES.get(name.lower())


def rows(name: str, ctx, db: str | None):
    txn = ctx.transaction(db)
    if name == "dolt_log":
        out = []
        for address, c in versioning.log(txn.sdb, txn.branch):
            date = datetime.datetime.fromtimestamp(c.timestamp, datetime.timezone.utc).replace(tzinfo=None)
            out.append((to_text(address), c.author, c.email, date, c.message))
        return out
    if name == "dolt_status":
        return [(t, int(staged), s) for t, staged, s in versioning.status(txn.sdb, txn.branch)]
    raise KeyError(name)
