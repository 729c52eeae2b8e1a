"""INSERT ... ON DUPLICATE KEY UPDATE: binding the assignments (planner hook) and applying them (executor hook).

The assignments are evaluated over one combined row: the existing row that
holds the duplicate key (positions ``0..n-1``, what a bare column name means)
followed by the row that could not be inserted (positions ``n..2n-1``).  The
new row is what ``VALUES(c)`` reads, and what the 8.0.19 row alias reads:
``INSERT ... VALUES (...) AS new ON DUPLICATE KEY UPDATE c = new.c``, or with
column aliases ``AS new(m, n) ... UPDATE c = m``.  Assignments run left to
right, each seeing the ones before it, as in UPDATE.

Affected rows per row, as MySQL reports them: 1 inserted, 2 updated, 0 when
the update leaves the row as it was (https://dev.mysql.com/doc/refman/8.0/en/
insert-on-duplicate.html).  The duplicate found is the primary key's first,
then each unique index's in declaration order.
"""

from __future__ import annotations

from sqlglot import exp

from sqlserver.engine import constraints
from sqlserver.engine.sql_mode import note_rounding
from sqlserver.errors import SQLError

_NEW = "__grove_new"  # the scope name of the row that could not be inserted


def bind_updates(ins: exp.Insert, env, ref, types, db, positions) -> tuple:
    """((position, Expr), ...) for the ON DUPLICATE KEY UPDATE list of ``ins``.

    ``positions``: the table positions the inserted values go to (what ``AS new(m, n)`` names, in order).
    """
    from sqlserver.engine.planner import Binder, Scope, _ScopeTable, _table_scope

    conflict = ins.args["conflict"]
    schema = ref.schema
    n = len(schema.columns)
    alias, alias_columns = None, []
    values = ins.expression
    ta = values.args.get("alias") if isinstance(values, exp.Expression) else None
    if ta is not None:
        alias = ta.name
        alias_columns = [c.name for c in ta.args.get("columns") or ()]
        if alias_columns and len(alias_columns) != len(positions):
            raise SQLError(1136, "21S01", "Column count doesn't match value count at row 1")
    target = _table_scope(ref, ins.this.alias_or_name if isinstance(ins.this, exp.Table) else ref.name, types, db)
    new_cols = [(f"{_NEW}_{c.name}", i, types[i], True) for i, c in enumerate(schema.columns)]
    new_scope = _ScopeTable(_NEW, ref, new_cols, db, ref.name, n)
    scope = Scope([target, new_scope])
    by_alias = dict(zip((a.lower() for a in alias_columns), (schema.columns[p].name for p in positions)))

    def to_new(name: str) -> exp.Column:
        return exp.column(f"{_NEW}_{name}", table=_NEW)

    def rewrite(node):
        if isinstance(node, exp.Anonymous) and str(node.this).upper() == "VALUES" and len(node.expressions) == 1:
            arg = node.expressions[0]
            if isinstance(arg, (exp.Column, exp.Identifier)):
                if schema.column(arg.name) is None:
                    raise SQLError.of("BAD_FIELD", arg.name, "field list")
                return to_new(schema.column(arg.name).name)
        if isinstance(node, exp.Column) and alias is not None:
            if node.table and node.table.lower() == alias.lower():
                name = by_alias.get(node.name.lower(), node.name) if alias_columns else node.name
                if schema.column(name) is None:
                    raise SQLError.of("BAD_FIELD", f"{node.table}.{node.name}", "field list")
                return to_new(schema.column(name).name)
            if not node.table and node.name.lower() in by_alias and schema.column(node.name) is None:
                return to_new(by_alias[node.name.lower()])
        return node

    binder = Binder(env, scope, "field list")
    out = []
    for a in conflict.expressions:
        col = a.this
        c = target_position(schema, col)
        value = a.expression.transform(rewrite)
        out.append((c, binder.bind(value)))
    return tuple(out)


def target_position(schema, col) -> int:
    p = schema.position(col.name)
    if p is None or col.name.startswith("__grove"):
        raise SQLError.of("BAD_FIELD", col.name, "field list")
    return p


def insert_or_update(ctx, db, ts, row: tuple, updates, rownum: int) -> tuple[int, tuple]:
    """Insert ``row``, or apply ``updates`` (compiled: (position, fn)) to the row holding its key.

    Returns (affected rows, the row as the table now holds it).
    """
    old = ts.conflicting(row)
    if old is None:
        constraints.inserting(ctx, db, ts, row)
        ts.insert(row)
        return 1, row
    names, types, schema = ts.codec.names, ts.types, ts.schema
    new = list(old)
    for p, fn in updates:
        v = fn(tuple(new) + row, ctx)
        if v is None:
            if not schema.columns[p].nullable:
                raise SQLError.of("BAD_NULL", names[p])
        else:
            raw, v = v, types[p].coerce(v, names[p], rownum)
            if types[p].name == "decimal":
                note_rounding(types[p], raw, names[p], rownum, ctx)
            if schema.columns[p].auto_increment:
                ts.observe_auto_increment(v)
        new[p] = v
    new = tuple(new)
    if new == old:
        return 0, old
    constraints.updating(ctx, db, ts, old, new)
    ts.update(old, new)
    return 2, new


# --- INSERT IGNORE: errors that become warnings ----------------------------------------------------


def coerce_leniently(row: list, types, names, nullable, generate, rownum: int, ctx, missing) -> None:
    """INSERT IGNORE's value checks: what strict mode refuses becomes a warning and an adjusted value.

    NULL into NOT NULL (1048) and a missing value without default (1364) take the type's implicit
    default; too-long strings are cut (1265 "Data truncated"); out-of-range numbers are clamped
    (1264); unconvertible values take their numeric prefix or the implicit default (1366), as MySQL
    does under IGNORE (https://dev.mysql.com/doc/refman/8.0/en/sql-mode.html#ignore-effect-on-execution).
    """
    from sqlserver.engine.ddl import implicit_default

    for i, v in enumerate(row):
        if v is missing:
            ctx.warn(1364, f"Field '{names[i]}' doesn't have a default value")
            v = None if nullable[i] else implicit_default(types[i])
        if v is None:
            if not nullable[i] and i not in generate:
                ctx.warn(1048, f"Column '{names[i]}' cannot be null")
                row[i] = _implicit(types[i], names[i], rownum)
            else:
                row[i] = None
            continue
        if i in generate:
            continue
        row[i] = lenient_value(types[i], v, names[i], rownum, ctx)


def _implicit(t, name, rownum):
    from sqlserver.engine.ddl import implicit_default

    try:
        return t.coerce(implicit_default(t), name, rownum)
    except SQLError:
        raise SQLError.of("BAD_NULL", name) from None  # no representable zero value (zero dates): still an error


def lenient_value(t, v, name: str, rownum: int, ctx):
    """``t.coerce(v)``, or under IGNORE the nearest storable value plus MySQL's warning
    (``SqlType.coerce_lenient``, which non-strict sql_mode shares); a rounded DECIMAL adds a Note."""
    mark = len(ctx.state.warnings)
    out = t.coerce_lenient(v, name, rownum, ctx.warn)
    if t.name == "decimal" and len(ctx.state.warnings) == mark:
        note_rounding(t, v, name, rownum, ctx)
    return out
