"""Triggers: CREATE TRIGGER, DROP TRIGGER, SHOW TRIGGERS -- stored, versioned, not yet fired.

A trigger is the root-value object ``trigger:<name>`` whose text is the
CREATE TRIGGER statement as the client sent it, so triggers are versioned,
branched and merged like tables (they show in dolt_status as part of
``dolt_schemas``).  Names are per database and case-sensitive, as in MySQL.

Not done yet: trigger bodies are not executed on INSERT/UPDATE/DELETE.  The
statement is parsed far enough to know its name, timing, event and table
(``parser.CreateTrigger``); the body is kept as text.  A ``BEGIN END`` body
(all sqllogictest uses) does nothing anyway.

Errors as MySQL 8: 1359 for a name taken, 1360 for an unknown one (a Note
with IF EXISTS), 1146 for an unknown table, 1347 for a view.  DROP TABLE
drops the table's triggers (``drop_for_table``).
"""

from __future__ import annotations

from sqlserver.engine import views
from sqlserver.engine.parser import CreateTrigger, parse_create_trigger
from sqlserver.engine.results import ColumnInfo, Ok, Rows
from sqlserver.errors import SQLError

TRIGGER_PREFIX = "trigger:"


def create_trigger(state, tree: CreateTrigger, ctx):
    txn = state.transaction(tree.db or tree.table_db or state.require_db())
    table_txn = state.transaction(tree.table_db or tree.db or state.require_db())
    if not table_txn.has_table(tree.table):
        if views.find(table_txn, tree.table) is not None:
            raise SQLError(1347, "HY000", f"'{table_txn.sdb.name}.{tree.table}' is not BASE TABLE")
        raise SQLError.of("NO_SUCH_TABLE", table_txn.sdb.name, tree.table)
    if txn.get_object(TRIGGER_PREFIX + tree.name) is not None:
        if tree.if_not_exists:
            ctx.warn(1359, "Trigger already exists", "Note")
            return Ok()
        raise SQLError(1359, "HY000", "Trigger already exists")
    txn.set_object(TRIGGER_PREFIX + tree.name, tree.text)
    return Ok()


def drop_trigger(state, tree, ctx):
    t = (tree.args.get("tables") or [tree.this])[0]
    txn = state.transaction(t.db or state.require_db())
    if txn.get_object(TRIGGER_PREFIX + t.name) is None:
        if tree.args.get("exists"):
            ctx.warn(1360, "Trigger does not exist", "Note")
            return Ok()
        raise SQLError(1360, "HY000", "Trigger does not exist")
    txn.set_object(TRIGGER_PREFIX + t.name, None)
    return Ok()


def _all(txn) -> list[tuple[str, CreateTrigger]]:
    out = []
    for name in txn.object_names(TRIGGER_PREFIX):
        parsed = parse_create_trigger(txn.get_object(name))
        if parsed is not None:
            out.append((name[len(TRIGGER_PREFIX):], parsed))
    return out


def drop_for_table(txn, table: str) -> None:
    """Drop the triggers of ``table`` (DROP TABLE does, as in MySQL)."""
    for name, trg in _all(txn):
        if trg.table.lower() == table.lower():
            txn.set_object(TRIGGER_PREFIX + name, None)


def show_triggers(txn, ok) -> Rows:
    """SHOW TRIGGERS [LIKE 'table pattern']: MySQL's columns (Created and sql_mode are fixed for now)."""
    names = ("Trigger", "Event", "Table", "Statement", "Timing", "Created", "sql_mode", "Definer",
             "character_set_client", "collation_connection", "Database Collation")
    from sqlserver.engine.expressions import T_TEXT

    rows = [(name, trg.event, trg.table, trg.body, trg.timing, None, "", "root@localhost", "utf8mb4",
             "utf8mb4_0900_ai_ci", "utf8mb4_0900_ai_ci")
            for name, trg in _all(txn) if ok(trg.table)]
    return Rows([ColumnInfo(n, T_TEXT) for n in names], rows)
