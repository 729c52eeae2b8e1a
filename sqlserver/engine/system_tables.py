"""System tables the engine can read: dolt_log, dolt_status, dolt_branches, dolt_remote_branches,
dolt_remotes, grove_replication_status, and information_schema's tables (``information_schema``).

A system table is a name, its columns (name, SqlType) and a function that
makes its rows at execution time from the session's view of the database.
The planner asks ``columns(name)`` (None: not a system table); the executor
calls ``rows``.  dolt_status reads the branch's working set as committed
(what ``grove status`` shows), not the session's uncommitted edits; the
branch tables read the refs as they are now, and dolt_remotes reads
``.grove/remotes.json`` (``replication.remotes``), so all of them show what
``CALL dolt_branch``/``dolt_fetch``/``dolt_remote`` just did.

Columns follow Dolt's: dolt_remote_branches has dolt_branches' columns,
its names spelled ``remotes/origin/main``; dolt_remotes' ``fetch_specs`` is
the JSON array git would use (``["refs/heads/*:refs/remotes/origin/*"]``)
and ``params`` an empty JSON object (no remote takes parameters yet).
"""

from __future__ import annotations

import datetime
import json

from sqlserver.engine import information_schema, versioning
from sqlserver.sqltypes import SqlType
from storage.address import to_text
from storage.collation import DEFAULT_COLLATION

_TEXT = SqlType("varchar", length=1023, collation=DEFAULT_COLLATION)
_LONG = SqlType("text", length=65535, collation=DEFAULT_COLLATION)
_DATE = SqlType("datetime", fsp=3)
_JSON = SqlType("json")

_BRANCH_COLUMNS = [("name", _TEXT), ("hash", _TEXT), ("latest_committer", _TEXT),
                   ("latest_committer_email", _TEXT), ("latest_commit_date", _DATE),
                   ("latest_commit_message", _LONG)]

TABLES = {
    "grove_replication_status": [("role", _TEXT), ("remote", _TEXT), ("branch", _TEXT), ("local_head", _TEXT),
                                 ("remote_head", _TEXT), ("state", _TEXT), ("pending_since", _DATE),
                                 ("last_error", _LONG), ("last_success", _DATE), ("lag_ms", SqlType("bigint"))],
    "dolt_log": [("commit_hash", _TEXT), ("committer", _TEXT), ("email", _TEXT), ("date", _DATE),
                 ("message", _LONG)],
    "dolt_status": [("table_name", _TEXT), ("staged", SqlType("tinyint")), ("status", _TEXT)],
    "dolt_branches": _BRANCH_COLUMNS,
    "dolt_remote_branches": _BRANCH_COLUMNS,
    "dolt_remotes": [("name", _TEXT), ("url", _TEXT), ("fetch_specs", _JSON), ("params", _JSON)],
}


def columns(name: str):
    return TABLES.get(name.lower())


def _utc(timestamp: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc).replace(tzinfo=None)


def _branch_rows(db, heads: dict[str, bytes], prefix: str) -> list[tuple]:
    out = []
    for name, address in heads.items():
        c = db.read_commit(address)
        out.append((prefix + name, to_text(address), c.author, c.email, _utc(c.timestamp), c.message))
    return out


def _replication_rows(sdb) -> list[tuple]:
    """grove_replication_status: one row per replicated branch (primary or replica), or the error."""
    import time

    out = []
    now = time.time()
    if sdb.replication_error:
        out.append(("disabled", "", "", None, None, "error", None, sdb.replication_error, None, None))
    if sdb.replicator is not None:
        for st in sdb.replicator.status():
            lag = int((now - st.pending_since) * 1000) if st.pending_since else 0
            out.append(("primary", st.remote, st.branch, _text(st.local_head), _text(st.remote_head), st.state,
                        _utc(st.pending_since) if st.pending_since else None, st.last_error or None,
                        _utc(st.last_success) if st.last_success else None, lag))
    if sdb.replica is not None:
        lag = sdb.replica.lag()
        for st in sdb.replica.status():
            out.append(("replica", st.remote, st.branch, _text(st.local_head), _text(st.remote_head), st.state,
                        _utc(st.pending_since) if st.pending_since else None, st.last_error or None,
                        _utc(st.last_success) if st.last_success else None,
                        None if lag is None else int(lag * 1000)))
    return out


def _text(address):
    return to_text(address) if address else None


def rows(name: str, ctx, db: str | None):
    """The rows of system table ``name``; information_schema's when ``db`` (else the current database) is
    information_schema (a cached plan made elsewhere may name a table it lacks: 1109, as planning says)."""
    name = name.lower()
    if information_schema.is_schema(db or ctx.state.current_db):
        if information_schema.columns(name) is None:
            raise information_schema.unknown_table(name)
        return information_schema.rows(name, ctx)
    if name == "grove_replication_status":  # not versioned: no transaction needed
        state = ctx.state
        return _replication_rows(state.provider.get(db or state.require_db()))
    txn = ctx.transaction(db)
    if name == "dolt_log":
        return [(to_text(address), c.author, c.email, _utc(c.timestamp), c.message)
                for address, c in versioning.log(txn.sdb, txn.branch)]
    if name == "dolt_status":
        return [(t, int(staged), s) for t, staged, s in versioning.status(txn.sdb, txn.branch)]
    if name == "dolt_branches":
        return _branch_rows(txn.db, txn.db.branches(), "")
    if name == "dolt_remote_branches":
        return _branch_rows(txn.db, txn.db.remote_branches(), "remotes/")
    if name == "dolt_remotes":
        from replication.remotes import Remotes

        return [(n, url, json.dumps([f"refs/heads/*:refs/remotes/{n}/*"]), "{}")
                for n, url in Remotes(txn.sdb.path).all().items()]
    raise KeyError(name)
