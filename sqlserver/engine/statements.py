"""Non-query statements: DDL, SHOW, SET, USE, transaction control, CALL (see ``procedures``).

Each handler is ``fn(state, tree, ctx) -> Result`` and runs inside the
statement driver (sqlserver.engine.driver), which owns transaction
boundaries: ``classify`` tells the driver, per statement, whether it writes
(read-only sessions refuse it), whether it commits implicitly before and
after (DDL, as MySQL), and whether it may be cached under its shape (only
statements whose literals are evaluated through ``Param``: SET).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlglot import exp

from sqlserver.engine import ddl, parser, procedures, system_tables, variables
from sqlserver.engine.expressions import T_TEXT, compile_expr, like_regex, to_text
from sqlserver.engine.planner import Binder, Env, Scope
from sqlserver.engine.results import ColumnInfo, Ok, Rows
from sqlserver.errors import SQLError
from sqlserver.sqltypes import SqlType
from storage.collation import DEFAULT_COLLATION

_T = T_TEXT


@dataclass(frozen=True)
class Kind:
    handler: object
    writes: bool = False
    implicit_commit: bool = False  # commit before and after (DDL)
    parametric: bool = False  # literals are Params: may be cached by shape
    transactional: bool = False  # runs inside the session's transactions (statement rollback/autocommit)
    keeps_warnings: bool = False


def _cols(*names, types=None) -> list[ColumnInfo]:
    return [ColumnInfo(n, (types or {}).get(n, _T)) for n in names]


# --- transaction control --------------------------------------------------------------


def begin(state, tree, ctx):
    state.commit_all()
    state.explicit = True
    return Ok()


def commit(state, tree, ctx):
    state.explicit = False
    state.commit_all()
    return Ok()


def rollback(state, tree, ctx):
    state.explicit = False
    state.rollback_all()
    return Ok()


def lock_tables(state, tree, ctx):
    return Ok()


def savepoint(state, tree, ctx):
    raise SQLError.of("NOT_SUPPORTED_YET", "SAVEPOINT")


# --- databases ------------------------------------------------------------------------------


def use(state, tree, ctx):
    name = tree.this.name if isinstance(tree.this, exp.Expression) else str(tree.this)
    sdb = state.provider.get(name)
    state.current_db = sdb.name
    return Ok()


def create(state, tree, ctx):
    kind = (tree.args.get("kind") or "").upper()
    if kind in ("DATABASE", "SCHEMA"):
        created = state.provider.create(tree.this.name, if_not_exists=bool(tree.args.get("exists")))
        if not created:
            ctx.warn(1007, f"Can't create database '{tree.this.name}'; database exists", "Note")
        return Ok(1 if created else 0)
    if kind != "TABLE":
        raise SQLError.of("NOT_SUPPORTED_YET", f"CREATE {kind}")
    table, schema = ddl.schema_from_create(tree)
    db = table.db or state.require_db()
    txn = state.transaction(db)
    if txn.has_table(table.name):
        if tree.args.get("exists"):
            ctx.warn(1050, f"Table '{table.name}' already exists", "Note")
            return Ok()
        raise SQLError.of("TABLE_EXISTS", table.name)
    if system_tables.columns(table.name) is not None:
        raise SQLError(1105, "HY000", f"'{table.name}' is a reserved system table name")
    txn.create_table(table.name, schema)
    return Ok()


def drop(state, tree, ctx):
    kind = (tree.args.get("kind") or "").upper()
    if_exists = bool(tree.args.get("exists"))
    if kind in ("DATABASE", "SCHEMA"):
        target = tree.this if tree.this is not None else (tree.args.get("tables") or [None])[0]
        name = target.name
        state.forget_database(name)
        dropped = state.provider.drop(name, if_exists=if_exists)
        if not dropped:
            ctx.warn(1008, f"Can't drop database '{name}'; database doesn't exist", "Note")
        return Ok(0)
    if kind != "TABLE":
        raise SQLError.of("NOT_SUPPORTED_YET", f"DROP {kind}")
    tables = tree.args.get("tables") or [tree.this]
    missing = []
    for t in tables:
        db = t.db or state.require_db()
        txn = state.transaction(db)
        if not txn.has_table(t.name):
            missing.append(f"{db}.{t.name}")
    if missing and not if_exists:
        raise SQLError.of("BAD_TABLE", ",".join(missing))
    for m in missing:
        ctx.warn(1051, f"Unknown table '{m}'", "Note")
    for t in tables:
        db = t.db or state.require_db()
        txn = state.transaction(db)
        if txn.has_table(t.name):
            txn.drop_table(t.name)
    return Ok()


def truncate(state, tree, ctx):
    from storage.table import Table

    for t in tree.expressions:
        db = t.db or state.require_db()
        txn = state.transaction(db)
        ts = txn.table(t.name)
        txn.replace_table(ts.name, Table.create(txn.db.node_store, ts.schema))
    return Ok()


# --- SHOW / DESCRIBE ---------------------------------------------------------------------------


def _like_filter(tree):
    like = tree.args.get("like")
    if like is None:
        return lambda s: True
    rx = like_regex(like.this if isinstance(like, exp.Literal) else like.name)
    return lambda s: rx.match(s) is not None


def show(state, tree, ctx):
    what = str(tree.this).upper()
    ok = _like_filter(tree)
    if what in ("DATABASES", "SCHEMAS"):
        names = [n for n in ["information_schema", *state.provider.names()] if ok(n)]
        return Rows(_cols("Database"), [(n,) for n in sorted(names, key=str.lower)])
    if what in ("TABLES", "FULL TABLES"):
        db = tree.args.get("db")
        db = db.name if isinstance(db, exp.Expression) else (db or state.require_db())
        txn = state.transaction(db)
        col = f"Tables_in_{txn.sdb.name}"
        names = [n for n in txn.table_names() if ok(n)]
        if tree.args.get("full") or what == "FULL TABLES":
            return Rows(_cols(col, "Table_type"), [(n, "BASE TABLE") for n in names])
        return Rows(_cols(col), [(n,) for n in names])
    if what == "CREATE TABLE":
        t = tree.args.get("target")
        db = tree.args.get("db")
        dbn = db.name if isinstance(db, exp.Expression) else (t.db if isinstance(t, exp.Table) and t.db else None)
        txn = state.transaction(dbn or state.require_db())
        ts = txn.table(t.name)
        return Rows(_cols("Table", "Create Table"), [(ts.name, ddl.show_create_table(ts.name, ts.schema))])
    if what in ("COLUMNS", "FIELDS", "FULL COLUMNS"):
        return describe_table(state, tree.args.get("target"), tree.args.get("db"), ok)
    if what in ("VARIABLES", "SESSION VARIABLES", "GLOBAL VARIABLES"):
        scope = "global" if tree.args.get("global") or what.startswith("GLOBAL") else ""
        rows = []
        for name in sorted(variables.DEFINITIONS):
            if ok(name):
                rows.append((name, _show_value(variables.DEFINITIONS[name], state.get_variable(name, scope))))
        return Rows(_cols("Variable_name", "Value"), rows)
    if what in ("WARNINGS", "ERRORS"):
        ws = [w for w in state.warnings if what == "WARNINGS" or w[0] == "Error"]
        return Rows(_cols("Level", "Code", "Message", types={"Code": SqlType("int", unsigned=True)}),
                    [(lvl, code, msg) for lvl, code, msg in ws])
    if what in ("STATUS", "SESSION STATUS", "GLOBAL STATUS"):
        return Rows(_cols("Variable_name", "Value"), [])
    if what in ("ENGINES",):
        return Rows(_cols("Engine", "Support", "Comment", "Transactions", "XA", "Savepoints"),
                    [("InnoDB", "DEFAULT", "Grove prolly-tree storage", "YES", "NO", "NO")])
    if what in ("COLLATION",):
        return Rows(_cols("Collation", "Charset", "Id", "Default", "Compiled", "Sortlen"),
                    [(c, "utf8mb4", i, "Yes" if c == DEFAULT_COLLATION else "", "Yes", 0)
                     for i, c in ((255, "utf8mb4_0900_ai_ci"), (278, "utf8mb4_0900_as_cs"), (46, "utf8mb4_bin"))
                     if ok(c)])
    raise SQLError.of("NOT_SUPPORTED_YET", f"SHOW {what}")


def _show_value(d, v) -> str:
    if d.kind == "bool":
        return "ON" if v else "OFF"
    return "" if v is None else str(v)


def describe_table(state, t, db, ok=lambda s: True):
    dbn = db.name if isinstance(db, exp.Expression) else (t.db if isinstance(t, exp.Table) and t.db else None)
    name = t.name
    txn = state.transaction(dbn or state.require_db())
    ts = txn.table(name)
    rows = [r for r in ddl.describe_rows(ts.schema) if ok(r[0])]
    return Rows(_cols("Field", "Type", "Null", "Key", "Default", "Extra"), rows)


def describe(state, tree, ctx):
    t = tree.this
    if not isinstance(t, exp.Table):
        raise SQLError.of("NOT_SUPPORTED_YET", "EXPLAIN of this statement")
    return describe_table(state, t, None)


# --- SET ----------------------------------------------------------------------------------------


def set_statement(state, tree, ctx):
    for item in tree.expressions:
        kind = (item.args.get("kind") or "").upper()
        if kind == "NAMES" or kind == "CHARACTER SET" or kind == "CHARSET":
            charset = item.this.name if isinstance(item.this, exp.Expression) else str(item.this)
            if charset.lower() not in ("utf8mb4", "utf8", "utf8mb3", "latin1", "binary", "ascii", "default"):
                raise SQLError(1115, "42000", f"Unknown character set: '{charset}'")
            collate = item.args.get("collate")
            coll = collate.name if isinstance(collate, exp.Expression) else DEFAULT_COLLATION
            for v in ("character_set_client", "character_set_connection", "character_set_results"):
                state.session_variables[v] = "utf8mb4" if charset.lower() != "binary" else "binary"
            state.session_variables["collation_connection"] = coll
            continue
        if kind == "TRANSACTION":
            continue  # SET TRANSACTION ISOLATION LEVEL ...: accepted, snapshot isolation regardless
        eq = item.this
        if not isinstance(eq, exp.EQ):
            raise SQLError.of("PARSE", item.sql(dialect="mysql"), 1)
        target, value = eq.this, eq.expression
        v = _eval(state, value, ctx)
        if isinstance(target, exp.Parameter):
            state.user_variables[target.name.lower()] = v
            continue
        scope = kind.lower() or "session"
        if isinstance(target, exp.SessionParameter):
            name = target.name
            scope = (target.args.get("kind") or scope).lower()
        elif isinstance(target, (exp.Column, exp.Identifier, exp.Var)):
            name = target.name
        else:
            raise SQLError.of("PARSE", eq.sql(dialect="mysql"), 1)
        if scope == "local":
            scope = "session"
        if isinstance(value, (exp.Column, exp.Var)) and not isinstance(value, exp.Parameter):
            v = value.name  # SET x = ON / SET sql_mode = TRADITIONAL: bare words are values
            if v.upper() == "DEFAULT":
                d = variables.definition(name)
                state.session_variables.pop(name.lower(), None) if scope == "session" else \
                    state.server.values.pop(name.lower(), None)
                if name.lower() == "autocommit":
                    state.set_variable(name, d.default, "session")
                continue
        state.set_variable(name, v, scope)
    return Ok()


def _eval(state, value, ctx):
    if isinstance(value, (exp.Column, exp.Var)) and not isinstance(value, exp.Parameter):
        return value.name
    env = Env(None, state.current_db, ctx.slots, ctx.params)
    e = Binder(env, Scope([]), "field list").bind(value)
    return compile_expr(e)((), ctx)


# --- CALL ------------------------------------------------------------------------------------------


def call(state, tree, ctx):
    """CALL of a version-control procedure (``procedures``); 1305 for any other name."""
    proc = procedures.lookup(tree.name)
    if proc is None:
        db = state.current_db
        raise SQLError.of("SP_DOES_NOT_EXIST", "PROCEDURE", f"{db}.{tree.name}" if db else tree.name)
    return proc.run(state, [to_text(_eval(state, a, ctx)) for a in tree.args])


# --- classification ------------------------------------------------------------------------------------


def classify(tree) -> Kind | None:
    """How the driver runs ``tree``; None for plan statements (SELECT/INSERT/UPDATE/DELETE)."""
    if isinstance(tree, (exp.Select, exp.Insert, exp.Update, exp.Delete, exp.Union)):
        return None
    if isinstance(tree, exp.Transaction):
        return Kind(begin, parametric=True)
    if isinstance(tree, exp.Commit):
        return Kind(commit, parametric=True)
    if isinstance(tree, exp.Rollback):
        return Kind(rollback, parametric=True)
    if isinstance(tree, exp.Set):
        persist_only = all(_is_persist(i) for i in tree.expressions)
        return Kind(set_statement, parametric=True, writes=False if persist_only else False)
    if isinstance(tree, exp.Use):
        return Kind(use)
    if isinstance(tree, exp.Show):
        return Kind(show, transactional=True, keeps_warnings=str(tree.this).upper() in ("WARNINGS", "ERRORS"))
    if isinstance(tree, exp.Describe):
        return Kind(describe, transactional=True)
    if isinstance(tree, exp.Create):
        return Kind(create, writes=True, implicit_commit=True, transactional=True)
    if isinstance(tree, exp.Drop):
        return Kind(drop, writes=True, implicit_commit=True, transactional=True)
    if isinstance(tree, exp.TruncateTable):
        return Kind(truncate, writes=True, implicit_commit=True, transactional=True)
    if isinstance(tree, parser.Call):
        proc = procedures.lookup(tree.name)
        if proc is None:
            return Kind(call)
        return Kind(call, writes=proc.writes, implicit_commit=proc.implicit_commit)
    if isinstance(tree, parser.LockTables):
        return Kind(lock_tables)
    if isinstance(tree, parser.Savepoint):
        return Kind(savepoint)
    if isinstance(tree, exp.Alter):
        raise SQLError.of("NOT_SUPPORTED_YET", "ALTER TABLE")
    raise SQLError.of("NOT_SUPPORTED_YET", type(tree).__name__)


def _is_persist(item) -> bool:
    t = item.this.this if isinstance(item.this, exp.EQ) else None
    return isinstance(t, exp.SessionParameter) and (t.args.get("kind") or "").lower().startswith("persist")
