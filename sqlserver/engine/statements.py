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

from sqlserver.engine import alter as alter_mod
from sqlserver.engine import constraints, ddl, information_schema, parser, procedures, system_tables, triggers
from sqlserver.engine import variables, views
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
    """SAVEPOINT / ROLLBACK [WORK] TO [SAVEPOINT] / RELEASE SAVEPOINT (SessionState; sqlserver.txn)."""
    if tree.action == "savepoint":
        state.set_savepoint(tree.name)
    elif tree.action == "release":
        state.release_savepoint(tree.name)
    else:
        state.rollback_to_savepoint(tree.name)
    return Ok()


# --- databases ------------------------------------------------------------------------------


def use(state, tree, ctx):
    name = tree.this.name if isinstance(tree.this, exp.Expression) else str(tree.this)
    if information_schema.is_schema(name):
        state.current_db = information_schema.NAME  # read-only, not stored: no transaction is opened on it
        return Ok()
    sdb = state.provider.get(name)
    state.current_db = sdb.name
    return Ok()


def create(state, tree, ctx):
    kind = (tree.args.get("kind") or "").upper()
    if kind in ("DATABASE", "SCHEMA"):
        if information_schema.is_schema(tree.this.name):
            if not tree.args.get("exists"):
                raise SQLError.of("DB_CREATE_EXISTS", tree.this.name)
            ctx.warn(1007, f"Can't create database '{tree.this.name}'; database exists", "Note")
            return Ok()
        created = state.provider.create(tree.this.name, if_not_exists=bool(tree.args.get("exists")))
        if not created:
            ctx.warn(1007, f"Can't create database '{tree.this.name}'; database exists", "Note")
        return Ok(1 if created else 0)
    if kind == "INDEX":
        return create_index(state, tree, ctx)
    if kind == "VIEW":
        return views.create_view(state, tree, ctx)
    if kind != "TABLE":
        raise SQLError.of("NOT_SUPPORTED_YET", f"CREATE {kind}")
    like = _like_source(tree)
    select = tree.expression if isinstance(tree.expression, (exp.Select, exp.SetOperation, exp.Subquery)) else None
    if like is not None:
        table = tree.this if isinstance(tree.this, exp.Table) else tree.this.this
        schema = None
    elif select is not None and not isinstance(tree.this, exp.Schema):
        table, schema = tree.this, None
    else:
        if select is not None:
            tree = tree.copy()
            tree.set("expression", None)
        table, schema = ddl.schema_from_create(tree)
    db = table.db or state.require_db()
    txn = state.transaction(db)
    if txn.has_table(table.name) or views.find(txn, table.name) is not None:
        if tree.args.get("exists"):
            ctx.warn(1050, f"Table '{table.name}' already exists", "Note")
            return Ok()
        raise SQLError.of("TABLE_EXISTS", table.name)
    if system_tables.columns(table.name) is not None:
        raise SQLError(1105, "HY000", f"'{table.name}' is a reserved system table name")
    if like is not None:
        src_txn = state.transaction(like.db or state.require_db())
        if not src_txn.has_table(like.name):
            if views.find(src_txn, like.name) is not None:
                raise SQLError(1347, "HY000", f"'{src_txn.sdb.name}.{like.name}' is not BASE TABLE")
            raise SQLError.of("NO_SUCH_TABLE", src_txn.sdb.name, like.name)
        src = src_txn.table(like.name)
        txn.create_table(table.name, ddl.schema_like(src.schema, src.name, table.name))
        return Ok()
    if select is not None:
        return _create_select(state, txn, table.name, schema, select, ctx)
    constraints.validate_references(txn, table.name, schema, bool(state.get_variable("foreign_key_checks")))
    txn.create_table(table.name, schema)
    return Ok()


def _like_source(tree):
    props = tree.args.get("properties")
    for p in (props.expressions if props else ()):
        if isinstance(p, exp.LikeProperty):
            return p.this
    return None


def _create_select(state, txn, name, declared, select, ctx):
    """CREATE TABLE ... [AS] SELECT: the query runs through the planner; its columns follow the declared ones.

    A declared column whose name the query also produces takes the query's values (MySQL's rule);
    the others keep their defaults.  Rows are written with one bulk build.
    """
    from sqlserver.engine.driver import _Catalog
    from sqlserver.engine.executor import _MISSING, build, column_defaults
    from sqlserver.engine.optimizer import optimize
    from sqlserver.engine.planner import HIDDEN_PK, Env, plan_statement
    from storage.schema import Column, Schema

    env = Env(_Catalog(ctx), state.current_db, ctx.slots, ctx.params)
    plan = optimize(plan_statement(select, env))
    columns = list(declared.columns) if declared is not None else []
    by_name = {c.name.lower(): i for i, c in enumerate(columns) if c.name != HIDDEN_PK}
    seen = set()
    for info in plan.columns:
        key = info.name.lower()
        if key in seen:
            raise SQLError.of("DUP_FIELDNAME", info.name)
        seen.add(key)
        if key in by_name:
            continue
        t = info.sqltype
        if t is None:
            t = SqlType("binary", length=0)
        columns.insert(len(columns) - (1 if columns and columns[-1].name == HIDDEN_PK else 0),
                       Column(info.name, t.sql(), bool(info.nullable) or info.nullable is None, None, False,
                              t.collation))
    if declared is None:
        columns.append(Column(HIDDEN_PK, "bigint unsigned", False, None, True, None))
        schema = Schema(tuple(columns), (HIDDEN_PK,))
    else:
        schema = ddl._replace(declared, columns=tuple(columns))
    positions = {c.name.lower(): i for i, c in enumerate(schema.columns)}
    targets = [positions[info.name.lower()] for info in plan.columns]
    types = [SqlType.parse(c.sql_type, c.collation) for c in schema.columns]
    defaults = column_defaults(schema, types)
    autos = [i for i, c in enumerate(schema.columns) if c.auto_increment]
    shown = next((i for i in autos if schema.columns[i].name != HIDDEN_PK), None)
    first_id = 0  # the first generated id of the declared AUTO_INCREMENT column: LAST_INSERT_ID() and the OK's id
    rows = []
    next_id = 1
    for rownum, src in enumerate(build(plan)(ctx), 1):
        row = [d(ctx) if callable(d) else d for d in defaults]
        for p, v in zip(targets, src):
            row[p] = v
        for i, v in enumerate(row):
            if v is _MISSING:
                raise SQLError.of("NO_DEFAULT_FOR_FIELD", schema.columns[i].name)
            if v is None:
                if i in autos:
                    row[i] = next_id
                    if i == shown and not first_id:
                        first_id = next_id
                elif not schema.columns[i].nullable:
                    raise SQLError.of("BAD_NULL", schema.columns[i].name)
                continue
            row[i] = types[i].coerce(v, schema.columns[i].name, rownum)
            if i in autos and isinstance(row[i], int):
                next_id = max(next_id, row[i])
        for i in autos:
            if row[i] == next_id:
                next_id += 1
        rows.append(tuple(row))
    table = alter_mod.build_table(txn.db.node_store, schema, rows, name, next_id)
    txn.create_table(name, schema, table)
    n = len(rows)
    if first_id:
        state.last_insert_id = first_id
    # mysql_insert_id() as for INSERT ... SELECT: the first generated id, else the last row's explicit value
    if first_id or ctx.insert_id_arg is None:
        insert_id = first_id or (rows[-1][shown] if rows and shown is not None else 0) or 0
    else:
        insert_id = ctx.insert_id_arg
    return Ok(n, insert_id, 0, f"Records: {n}  Duplicates: 0  Warnings: {{w}}")


def drop(state, tree, ctx):
    kind = (tree.args.get("kind") or "").upper()
    if_exists = bool(tree.args.get("exists"))
    if kind in ("DATABASE", "SCHEMA"):
        target = tree.this if tree.this is not None else (tree.args.get("tables") or [None])[0]
        name = target.name
        if information_schema.is_schema(name):
            raise information_schema.access_denied()
        tables = len(state.transaction(name).table_names()) if state.provider.exists(name) else 0
        state.forget_database(name)
        dropped = state.provider.drop(name, if_exists=if_exists)
        if not dropped:
            ctx.warn(1008, f"Can't drop database '{name}'; database doesn't exist", "Note")
        return Ok(tables)  # MySQL's affected rows: the tables dropped (views not counted)
    if kind == "INDEX":
        on = tree.args.get("cluster")
        if not isinstance(on, exp.OnProperty):
            raise SQLError.of("PARSE", "", 1)  # MySQL's DROP INDEX needs ON <table>
        index = (tree.args.get("tables") or [tree.this])[0]
        return _alter_indexes(state, on.this, [("drop", index.name)])
    if kind == "VIEW":
        return views.drop_views(state, tree, ctx)
    if kind == "TRIGGER":
        return triggers.drop_trigger(state, tree, ctx)
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
    dropping = {(t.db or state.require_db(), t.name.lower()) for t in tables}
    for t in tables:
        db = t.db or state.require_db()
        txn = state.transaction(db)
        if txn.has_table(t.name) and state.get_variable("foreign_key_checks"):
            for child, fk in constraints.children_of(txn, txn.table(t.name).name):
                if (db, child.lower()) not in dropping:
                    raise SQLError(3730, "HY000", f"Cannot drop table '{txn.table(t.name).name}' referenced by a "
                                                  f"foreign key constraint '{fk.name}' on table '{child}'.")
    for t in tables:
        db = t.db or state.require_db()
        txn = state.transaction(db)
        if txn.has_table(t.name):
            txn.drop_table(t.name)
            triggers.drop_for_table(txn, t.name)
    return Ok()


def truncate(state, tree, ctx):
    from storage.table import Table

    for t in tree.expressions:
        db = t.db or state.require_db()
        txn = state.transaction(db)
        ts = txn.table(t.name)
        if state.get_variable("foreign_key_checks"):
            for child, fk in constraints.children_of(txn, ts.name):
                if child.lower() != ts.name.lower():
                    raise SQLError(1701, "42000", "Cannot truncate a table referenced in a foreign key constraint "
                                                  f"(`{txn.sdb.name}`.`{child}`, CONSTRAINT `{fk.name}`)")
        txn.replace_table(ts.name, Table.create(txn.db.node_store, ts.schema))
        txn.forget_auto_increment(ts.name)  # TRUNCATE restarts AUTO_INCREMENT, as in MySQL
    return Ok()


# --- indexes: CREATE INDEX, DROP INDEX, ALTER TABLE ... ADD/DROP INDEX -------------------------


def create_index(state, tree, ctx):
    ix = tree.this
    params = ix.args.get("params")
    parts = ddl.index_parts(params.args.get("columns") or [] if params is not None else [])
    name = ix.this.name if ix.this is not None else None
    return _alter_indexes(state, ix.args["table"], [("add", name, bool(tree.args.get("unique")), parts)])


def alter(state, tree, ctx):
    """ALTER TABLE: column, key, constraint and rename actions, applied as one new table version (``alter``)."""
    if (tree.args.get("kind") or "TABLE").upper() != "TABLE":
        raise SQLError.of("NOT_SUPPORTED_YET", f"ALTER {tree.args.get('kind')}")
    actions = []
    for a in tree.args.get("actions") or ():
        if isinstance(a, exp.AddConstraint):
            for c in a.expressions:
                name = None
                if isinstance(c, exp.Constraint):
                    name = c.this.name if c.this is not None else None
                    if len(c.expressions) != 1:
                        raise SQLError.of("NOT_SUPPORTED_YET", "this ALTER TABLE constraint")
                    c = c.expressions[0]
                actions.append(_added_constraint(c, name))
        elif isinstance(a, exp.ColumnDef):
            actions.append(("add_column", a))
        elif isinstance(a, exp.IndexColumnConstraint):
            actions.append(_added_constraint(a, None))
        elif isinstance(a, exp.Drop):
            kind = (a.args.get("kind") or "").upper()
            target = (a.args.get("tables") or [a.this])[0]
            if kind == "INDEX":
                actions.append(("drop_index", target.name))
            elif kind == "COLUMN":
                actions.append(("drop_column", target.name))
            elif kind in ("CHECK", "CONSTRAINT", "FOREIGN KEY"):
                actions.append(("drop_constraint", kind, target.name))
            else:
                raise SQLError.of("NOT_SUPPORTED_YET", f"ALTER TABLE ... DROP {kind}")
        elif isinstance(a, exp.DropPrimaryKey):
            actions.append(("drop_pk",))
        elif isinstance(a, exp.ModifyColumn):
            old = a.args.get("rename_from")
            actions.append(("modify", a.this, old.name if old is not None else a.this.name))
        elif isinstance(a, exp.RenameColumn):
            actions.append(("rename_column", a.this.name, a.args["to"].name))
        elif isinstance(a, exp.AlterColumn):
            if a.args.get("drop"):
                actions.append(("default", a.this.name, None))
            elif a.args.get("default") is not None:
                actions.append(("default", a.this.name, a.args["default"]))
            else:
                raise SQLError.of("NOT_SUPPORTED_YET", "this ALTER COLUMN")
        elif isinstance(a, exp.AlterRename):
            actions.append(("rename", a.this))
        else:
            raise SQLError.of("NOT_SUPPORTED_YET", f"ALTER TABLE ... {type(a).__name__}")
    copied = alter_mod.alter_table(state, tree.this, actions, ctx)
    if actions and all(a[0] == "rename" for a in actions):
        return Ok()  # a plain rename is MySQL's simple_rename_or_index_change: an OK with no info line
    # the info line counts the rows a copying ALTER wrote (0 for INSTANT / INPLACE ones)
    return Ok(copied, 0, 0, f"Records: {copied}  Duplicates: 0  Warnings: {{w}}")


def _added_constraint(c, name):
    """One ALTER TABLE ADD [CONSTRAINT [name]] ... as an action tuple for ``alter``."""
    if isinstance(c, exp.IndexColumnConstraint):
        return ("add_index", c.this.name if c.this is not None else name, False, ddl.index_parts(c.expressions))
    if isinstance(c, exp.UniqueColumnConstraint):
        sch = c.this
        nm = sch.this.name if sch is not None and sch.this is not None else name
        return ("add_index", nm, True, ddl.index_parts(sch.expressions if sch is not None else []))
    if isinstance(c, exp.PrimaryKey):
        return ("add_pk", [ddl._col_name(x) for x in c.expressions])
    if isinstance(c, exp.CheckColumnConstraint):
        return ("add_check", name, c.this)
    if isinstance(c, exp.ForeignKey):
        return ("add_fk", name, c)
    raise SQLError.of("NOT_SUPPORTED_YET", "ALTER TABLE ADD " + c.sql(dialect="mysql")[:40])


def rename_tables(state, tree, ctx):
    """RENAME TABLE a TO b [, c TO d]: in order, all or nothing (one statement)."""
    for old, new in tree.pairs:
        txn = state.transaction(old.db or state.require_db())
        if not txn.has_table(old.name):
            raise SQLError.of("NO_SUCH_TABLE", txn.sdb.name, old.name)
        alter_mod.rename_table(state, txn, txn.table(old.name).name, new)
    return Ok()


def _alter_indexes(state, target: exp.Table, actions):
    """Apply index additions/removals to one table as one new table version (one statement, all or nothing)."""
    from sqlserver.tables import build_index

    txn = state.transaction(target.db or state.require_db())
    ts = txn.table(target.name)
    table = ts.to_table()
    schema = table.schema
    added = []
    for act in actions:
        if act[0] == "drop":
            schema, stored = ddl.without_index(schema, act[1])
            table = table.with_schema(schema).with_index(stored, None)
            added = [n for n in added if n != stored]
        else:
            _, name, unique, (cols, desc, lengths) = act
            schema = ddl.with_index(schema, name, cols, unique, desc, lengths)
            added.append(schema.indexes[-1].name)
    table = table.with_schema(schema)
    for name in added:
        table = build_index(table, txn.db.node_store, name, ts.name)
    txn.replace_table(ts.name, table)
    return Ok(0, 0, 0, "Records: 0  Duplicates: 0  Warnings: 0")


# --- SHOW / DESCRIBE ---------------------------------------------------------------------------
#
# Each SHOW builds its columns and rows, then ``_answer`` applies LIKE (to the first column, except
# where MySQL matches another) and WHERE (any column, bound like a query's WHERE over the result).
# Catalog SHOWs share their row makers with information_schema (``information_schema``).

_U = SqlType("int", unsigned=True)
_B = SqlType("bigint")


def _like_filter(tree):
    like = tree.args.get("like")
    if like is None:
        return lambda s: True
    rx = like_regex(like.this if isinstance(like, exp.Literal) else like.name)
    return lambda s: s is not None and rx.match(s) is not None


def _answer(state, tree, ctx, columns: list[ColumnInfo], rows, like_column: int | None = 0) -> Rows:
    """Rows of a SHOW after its LIKE (on ``like_column``) and WHERE clauses."""
    if like_column is not None and tree.args.get("like") is not None:
        ok = _like_filter(tree)
        rows = [r for r in rows if ok(r[like_column])]
    where = tree.args.get("where")
    if where is not None:
        from sqlserver.engine.expressions import compile_condition
        from sqlserver.engine.planner import _ScopeTable

        st = _ScopeTable("", None, [(c.name, i, c.sqltype, True) for i, c in enumerate(columns)])
        env = Env(None, state.current_db, ctx.slots, ctx.params)
        cond = compile_condition(Binder(env, Scope([st]), "where clause").bind(where.this))
        rows = [r for r in rows if cond(tuple(r), ctx)]
    return Rows(columns, [tuple(r) for r in rows])


def _with_pattern(header: str, tree) -> str:
    """SHOW DATABASES/TABLES LIKE 'p': MySQL names the column ``<header> (p)``."""
    like = tree.args.get("like")
    if like is None:
        return header
    return f"{header} ({like.this if isinstance(like, exp.Literal) else like.name})"


def _target_db(state, tree) -> str:
    """The database a SHOW names (``FROM db``, ``db.t``), else the current one (1046 if none)."""
    db = tree.args.get("db")
    if isinstance(db, exp.Expression):
        return db.name
    if isinstance(db, str) and db:
        return db
    t = tree.args.get("target")
    if isinstance(t, exp.Table) and t.db:
        return t.db
    return state.require_db()


def show(state, tree, ctx):
    what = str(tree.this).upper()
    full = bool(tree.args.get("full"))
    if what in ("DATABASES", "SCHEMAS"):
        names = sorted([information_schema.NAME, *state.provider.names()], key=str.lower)
        return _answer(state, tree, ctx, _cols(_with_pattern("Database", tree)), [(n,) for n in names])
    if what in ("TABLES", "FULL TABLES"):
        db = _target_db(state, tree)
        if information_schema.is_schema(db):
            col, kinds = f"Tables_in_{information_schema.NAME}", {n: "SYSTEM VIEW"
                                                                 for n in information_schema.table_names()}
        else:
            txn = state.transaction(db)
            col = f"Tables_in_{txn.sdb.name}"
            kinds = {n: "BASE TABLE" for n in txn.table_names()}
            kinds.update((n, "VIEW") for n in views.names(txn))
        names = sorted(kinds)
        col = _with_pattern(col, tree)
        if full or what == "FULL TABLES":
            return _answer(state, tree, ctx, _cols(col, "Table_type"), [(n, kinds[n]) for n in names])
        return _answer(state, tree, ctx, _cols(col), [(n,) for n in names])
    if what == "CREATE TABLE":
        t = tree.args.get("target")
        txn = state.transaction(_target_db(state, tree))
        if not txn.has_table(t.name) and views.find(txn, t.name) is not None:
            return _show_create_view(state, tree)  # MySQL answers SHOW CREATE TABLE on a view as SHOW CREATE VIEW
        ts = txn.table(t.name)
        return Rows(_cols("Table", "Create Table"), [(ts.name, ddl.show_create_table(ts.name, ts.schema))])
    if what == "CREATE VIEW":
        return _show_create_view(state, tree)
    if what == "CREATE DATABASE":
        return _show_create_database(state, tree)
    if what == "TRIGGERS":
        txn = state.transaction(_target_db(state, tree))
        return triggers.show_triggers(txn, _like_filter(tree))
    if what in ("COLUMNS", "FIELDS", "FULL COLUMNS"):
        return describe_table(state, tree.args.get("target"), tree.args.get("db"), tree=tree, ctx=ctx,
                              full=full or what == "FULL COLUMNS")
    if what in ("INDEX", "INDEXES", "KEYS"):
        return _show_index(state, tree, ctx)
    if what == "TABLE STATUS":
        return _show_table_status(state, tree, ctx)
    if what in ("VARIABLES", "SESSION VARIABLES", "GLOBAL VARIABLES"):
        scope = "global" if tree.args.get("global") or what.startswith("GLOBAL") else ""
        rows = [(name, _show_value(variables.DEFINITIONS[name], state.get_variable(name, scope)))
                for name in sorted(variables.DEFINITIONS)]
        return _answer(state, tree, ctx, _cols("Variable_name", "Value"), rows)
    if what in ("WARNINGS", "ERRORS"):
        ws = [w for w in state.warnings if what == "WARNINGS" or w[0] == "Error"]
        return Rows(_cols("Level", "Code", "Message", types={"Code": SqlType("int", unsigned=True)}),
                    [(lvl, code, msg) for lvl, code, msg in ws])
    if what in ("STATUS", "SESSION STATUS", "GLOBAL STATUS"):
        return _answer(state, tree, ctx, _cols("Variable_name", "Value"), _status_rows(state))
    if what == "ENGINES":
        return _answer(state, tree, ctx, _cols("Engine", "Support", "Comment", "Transactions", "XA", "Savepoints"),
                       information_schema.ENGINES)
    if what == "COLLATION":
        cols = _cols("Collation", "Charset", "Id", "Default", "Compiled", "Sortlen", "Pad_attribute",
                     types={"Id": SqlType("bigint", unsigned=True), "Sortlen": _U})
        rows = sorted((c, cs, i, d, "Yes", n, pad) for c, cs, i, d, n, pad in information_schema.COLLATIONS)
        return _answer(state, tree, ctx, cols, rows)
    if what in ("CHARACTER SET", "CHARSET"):
        cols = _cols("Charset", "Description", "Default collation", "Maxlen", types={"Maxlen": _U})
        rows = sorted((cs, desc, coll, n) for cs, coll, desc, n in information_schema.CHARACTER_SETS)
        return _answer(state, tree, ctx, cols, rows)
    if what == "PROCESSLIST":
        return _show_processlist(state, tree, full)
    if what == "GRANTS":
        return _show_grants(state, tree)
    if what == "OPEN TABLES":
        return _show_open_tables(state, tree, ctx)
    if what == "PLUGINS":
        rows = [(r[0], r[2], r[3], r[5], r[9]) for r in information_schema.rows("plugins", ctx)]
        return _answer(state, tree, ctx, _cols("Name", "Status", "Type", "Library", "License"), rows)
    if what == "PRIVILEGES":
        rows = [(p.title() if p != "SHOW DATABASES" else "Show databases", "Server Admin", "") for p in
                information_schema.PRIVILEGES]
        return _answer(state, tree, ctx, _cols("Privilege", "Context", "Comment"), rows)
    raise SQLError.of("NOT_SUPPORTED_YET", f"SHOW {what}")


def _show_create_view(state, tree):
    t = tree.args.get("target")
    name, text = views.show_create_view(state.transaction(_target_db(state, tree)), t.name)
    return Rows(_cols("View", "Create View", "character_set_client", "collation_connection"),
                [(name, text, "utf8mb4", "utf8mb4_0900_ai_ci")])


def _show_create_database(state, tree):
    """SHOW CREATE {DATABASE | SCHEMA} name: MySQL 8's text, version comments included."""
    t = tree.args.get("target")
    name = t.name if isinstance(t, exp.Expression) else str(t)
    if information_schema.is_schema(name):
        name, cs = information_schema.NAME, "utf8mb3"
    else:
        name, cs = state.provider.get(name).name, None
    charset = cs or f"utf8mb4 COLLATE {DEFAULT_COLLATION}"
    text = (f"CREATE DATABASE `{name.replace('`', '``')}` /*!40100 DEFAULT CHARACTER SET {charset} */ "
            f"/*!80016 DEFAULT ENCRYPTION='N' */")
    return Rows(_cols("Database", "Create Database"), [(name, text)])


def _show_index(state, tree, ctx):
    """SHOW {INDEX | INDEXES | KEYS} FROM t [FROM db]: MySQL 8's 15 columns, PRIMARY first."""
    t = tree.args.get("target")
    db = _target_db(state, tree)
    cols = _cols("Table", "Non_unique", "Key_name", "Seq_in_index", "Column_name", "Collation", "Cardinality",
                 "Sub_part", "Packed", "Null", "Index_type", "Comment", "Index_comment", "Visible", "Expression",
                 types={"Non_unique": SqlType("int"), "Seq_in_index": _U, "Cardinality": _B, "Sub_part": _B})
    if information_schema.is_schema(db):
        if information_schema.columns(t.name) is None:
            raise SQLError.of("NO_SUCH_TABLE", information_schema.NAME, t.name)
        return _answer(state, tree, ctx, cols, [], None)
    txn = state.transaction(db)
    ts = txn.table(t.name)
    rows = [(ts.name, nu, ix, seq, col, coll, card, sub, None, nullable, "BTREE", "", comment, "YES", None)
            for nu, ix, seq, col, coll, card, sub, nullable, comment in information_schema.index_rows(ts.schema,
                                                                                                     ts.count())]
    return _answer(state, tree, ctx, cols, rows, None)


def _show_table_status(state, tree, ctx):
    """SHOW TABLE STATUS [FROM db] [LIKE | WHERE]: MySQL 8's 18 columns, views with Comment VIEW."""
    db = _target_db(state, tree)
    names = ("Name", "Engine", "Version", "Row_format", "Rows", "Avg_row_length", "Data_length", "Max_data_length",
             "Index_length", "Data_free", "Auto_increment", "Create_time", "Update_time", "Check_time", "Collation",
             "Checksum", "Create_options", "Comment")
    types = dict(zip(names, (None, None, SqlType("int"), None) + (SqlType("bigint", unsigned=True),) * 7 +
                     (SqlType("datetime"),) * 3 + (None, _B, None, None)))
    cols = _cols(*names, types={k: v for k, v in types.items() if v is not None})
    rows = []
    if information_schema.is_schema(db):
        for r in information_schema.rows("tables", ctx):
            if r[1] == information_schema.NAME:
                rows.append((r[2],) + r[4:])
    else:
        txn = state.transaction(db)
        for n in txn.table_names():
            rows.append((n,) + information_schema.table_status(n, txn.table(n)))
        for n in views.names(txn):
            rows.append((n,) + information_schema.VIEW_STATUS)
        rows.sort(key=lambda r: r[0])
    return _answer(state, tree, ctx, cols, rows)


def _status_rows(state) -> list[tuple]:
    """SHOW STATUS: the counters Grove keeps (the server's, when the session belongs to one)."""
    control = getattr(state, "control", None)
    rows = []
    if control is not None:
        rows.append(("Questions", str(control.questions)))
        rows.append(("Threads_connected", str(control.connection_count())))
        rows.append(("Uptime", str(information_schema.uptime(control))))
    else:
        rows.append(("Threads_connected", "1"))  # a session run in-process (the CLI) is the only one
    return sorted(rows)


def _show_processlist(state, tree, full: bool):
    """SHOW [FULL] PROCESSLIST: one row per connection; Info is the statement running (cut to 100 characters
    without FULL, as MySQL)."""
    cols = _cols("Id", "User", "Host", "db", "Command", "Time", "State", "Info",
                 types={"Id": SqlType("bigint", unsigned=True), "Time": SqlType("int")})
    rows = []
    for pid, user, host, db, command, secs, st, info in information_schema.processes(state):
        if command == "Query" and info is None:
            info = tree.sql(dialect="mysql")
        if info is not None and not full:
            info = info[:100]
        rows.append((pid, user, host, db, command, secs, st, info))
    return Rows(cols, rows)


def _show_grants(state, tree):
    """SHOW GRANTS [FOR CURRENT_USER | FOR root]: Grove has one user, root, with every privilege."""
    target = tree.args.get("target")
    if target is not None:
        name = target.name if isinstance(target, exp.Expression) else str(target)
        if name.upper() not in ("CURRENT_USER", "ROOT"):
            raise SQLError(1141, "42000", f"There is no such grant defined for user '{name}' on host '%'")
    user, _, host = state.user.partition("@")
    host = host or "localhost"
    return Rows(_cols(f"Grants for {user}@{host}"),
                [(f"GRANT ALL PRIVILEGES ON *.* TO `{user}`@`{host}` WITH GRANT OPTION",)])


def _show_open_tables(state, tree, ctx):
    """SHOW OPEN TABLES [FROM db]: the base tables (Grove keeps every table open; none is in use or locked)."""
    cols = _cols("Database", "Table", "In_use", "Name_locked",
                 types={"In_use": SqlType("bigint", unsigned=True), "Name_locked": SqlType("bigint", unsigned=True)})
    db = tree.args.get("db")
    dbs = [db.name if isinstance(db, exp.Expression) else db] if db else state.provider.names()
    rows = []
    for d in dbs:
        txn = state.transaction(d)
        rows += [(txn.sdb.name, n, 0, 0) for n in txn.table_names()]
    return _answer(state, tree, ctx, cols, rows, 1)


def _show_value(d, v) -> str:
    if d.kind == "bool":
        return "ON" if v else "OFF"
    return "" if v is None else str(v)


def describe_table(state, t, db, tree=None, ctx=None, full=False):
    """DESCRIBE t / SHOW [FULL] COLUMNS FROM t [FROM db] [LIKE | WHERE]: MySQL 8's columns; views too."""
    dbn = db.name if isinstance(db, exp.Expression) else (t.db if isinstance(t, exp.Table) and t.db else None)
    dbn = dbn or state.require_db()
    if full:
        cols = _cols("Field", "Type", "Collation", "Null", "Key", "Default", "Extra", "Privileges", "Comment")
    else:
        cols = _cols("Field", "Type", "Null", "Key", "Default", "Extra")
    rows = []
    privileges = "select,insert,update,references"
    if information_schema.is_schema(dbn):
        spec = information_schema.columns(t.name)
        if spec is None:
            raise SQLError.of("NO_SUCH_TABLE", information_schema.NAME, t.name)
        for name, ty in spec:
            row = [name, ty.sql(), ty.collation, "YES", "", None, "", "select", ""]
            rows.append(row if full else [row[0], row[1], row[3], row[4], row[5], row[6]])
    else:
        txn = state.transaction(dbn)
        if not txn.has_table(t.name) and views.find(txn, t.name) is not None:
            for name, ty, nullable in information_schema.view_columns(state, txn.sdb.name, t.name):
                ty = ty or SqlType("binary", length=0)
                row = [name, ty.sql(), ty.collation, "YES" if nullable else "NO", "", None, "", privileges, ""]
                rows.append(row if full else [row[0], row[1], row[3], row[4], row[5], row[6]])
        else:
            ts = txn.table(t.name)
            for c, ty, _, key, default, extra in information_schema.column_rows(ts.schema):
                row = [c.name, ty.sql(), ty.collation, "YES" if c.nullable else "NO", key, default, extra,
                       privileges, c.comment or ""]
                rows.append(row if full else [row[0], row[1], row[3], row[4], row[5], row[6]])
    if tree is None:
        return Rows(cols, [tuple(r) for r in rows])
    return _answer(state, tree, ctx, cols, rows)


_EXPLAINABLE = (exp.Select, exp.SetOperation, exp.Subquery, exp.Insert, exp.Update, exp.Delete)


def describe(state, tree, ctx):
    """DESCRIBE t; EXPLAIN <statement>: the optimized plan tree, as the statement would run now.

    Plain EXPLAIN answers like Dolt (column ``plan``, one row per operator
    line); EXPLAIN FORMAT=TREE like MySQL 8 (column ``EXPLAIN``, one row
    holding the whole tree).  Nothing is executed.
    """
    t = tree.this
    if isinstance(t, exp.Table):
        return describe_table(state, t, None)
    if not isinstance(t, _EXPLAINABLE):
        raise SQLError.of("NOT_SUPPORTED_YET", "EXPLAIN of this statement")
    from sqlserver.engine.driver import _Catalog
    from sqlserver.engine.optimizer import optimize
    from sqlserver.engine.plan import render
    from sqlserver.engine.planner import plan_statement

    fmt = tree.args.get("format")
    fmt = fmt.this.name.lower() if isinstance(fmt, exp.Expression) and isinstance(fmt.this, exp.Expression) else None
    if fmt not in (None, "tree", "traditional"):
        raise SQLError(1235, "42000", f"This version of MySQL doesn't yet support 'EXPLAIN FORMAT={fmt.upper()}'")
    catalog = _Catalog(ctx)
    expanded, _, _ = views.expand(t, catalog.view, None)
    text = render(optimize(plan_statement(expanded, Env(catalog, state.current_db, {}, []))))
    if fmt == "tree":
        return Rows(_cols("EXPLAIN"), [(text,)])
    return Rows(_cols("plan"), [(line,) for line in text.split("\n")])


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
    if isinstance(tree, (exp.Select, exp.Insert, exp.Update, exp.Delete, exp.SetOperation, exp.Subquery)):
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
    if isinstance(tree, parser.CreateTrigger):
        return Kind(triggers.create_trigger, writes=True, implicit_commit=True, transactional=True)
    if isinstance(tree, parser.Savepoint):
        return Kind(savepoint)
    if isinstance(tree, exp.Alter):
        return Kind(alter, writes=True, implicit_commit=True, transactional=True)
    if isinstance(tree, parser.RenameTable):
        return Kind(rename_tables, writes=True, implicit_commit=True, transactional=True)
    raise SQLError.of("NOT_SUPPORTED_YET", type(tree).__name__)


def _is_persist(item) -> bool:
    t = item.this.this if isinstance(item.this, exp.EQ) else None
    return isinstance(t, exp.SessionParameter) and (t.args.get("kind") or "").lower().startswith("persist")
