"""CHECK and FOREIGN KEY constraints: enforced per row by the DML programs, re-checked at COMMIT.

The executor calls one hook per row it writes (``inserting``, ``updating``,
``deleting``), before the write.  Each returns quickly when the table has no
constraint and nothing references it, so tables without constraints pay one
call and a dict lookup per row.

CHECK (MySQL 8.0.16+): the stored condition (SQL text, ``storage.schema.Check``)
is compiled once per schema against the row; a FALSE result is 3819, NULL
passes (https://dev.mysql.com/doc/refman/8.0/en/create-table-check-constraints.html).

FOREIGN KEY (InnoDB semantics, checked row by row, not at statement end):

* child side: a row whose key columns are all non-NULL must match a parent
  row (1452), looking through the parent's statement-pending edits too;
* parent side: deleting a parent row, or changing its referenced columns,
  applies the child's ON DELETE / ON UPDATE action: RESTRICT, NO ACTION and
  SET DEFAULT (which InnoDB rejects) refuse with 1451; CASCADE deletes or
  updates the children; SET NULL nulls their key columns.  Cascades nest up
  to 15 levels, as InnoDB's.
* ``foreign_key_checks = 0`` skips all of it (no checks, no cascades).

Concurrency: a parent row a child check relied on is recorded in the parent
TableState's ``shared`` set, and the transaction's conflict check
(sqlserver.txn) fails a COMMIT with 1213 when another transaction that
committed after our snapshot wrote that row -- and, the other way round,
fails a parent's delete/update whose snapshot missed a child inserted by a
transaction that relied on that parent row and committed first.  Two
transactions that only rely on the same parent do not conflict.  So one
transaction inserting a child while another deletes its parent cannot both
commit: the second COMMIT gets 1213 (a retry then sees the other's work and
gets 1451/1452).
"""

from __future__ import annotations

from sqlserver.engine.expressions import compile_expr, truth
from sqlserver.engine.parser import parse_expression
from sqlserver.errors import SQLError
from storage.schema import ForeignKey, Schema

MAX_CASCADE_DEPTH = 15  # InnoDB's limit on nested cascading operations

_checks: dict[bytes, list] = {}


def _compiled_checks(schema: Schema, types) -> list:
    """[(name, fn(row, ctx) -> value)] for the enforced CHECKs of ``schema``, cached by schema bytes."""
    if not schema.checks:
        return []
    key = schema.encode()
    found = _checks.get(key)
    if found is None:
        from sqlserver.engine.plan import TableRef
        from sqlserver.engine.planner import Binder, Env, Scope, _table_scope

        ref = TableRef(None, "", schema)
        scope = Scope([_table_scope(ref, "", list(types), "")])
        found = []
        for ck in schema.checks:
            if ck.enforced:
                bound = Binder(Env(None, None, {}, []), scope, "check constraint").bind(
                    parse_expression(ck.expression))
                found.append((ck.name, compile_expr(bound)))
        if len(_checks) > 1024:
            _checks.clear()
        _checks[key] = found
    return found


def check_row(ctx, ts, row) -> None:
    """3819 when ``row`` makes a CHECK of ``ts``'s table FALSE."""
    for name, fn in _compiled_checks(ts.schema, ts.types):
        v = fn(row, ctx)
        if v is not None and not truth(v):
            raise SQLError.of("CHECK_CONSTRAINT_VIOLATED", name)


# --- foreign keys ------------------------------------------------------------------------


def _fk_checks_on(ctx) -> bool:
    return bool(ctx.state.get_variable("foreign_key_checks"))


def describe(db: str, table: str, fk: ForeignKey) -> str:
    """The parenthesised part of MySQL's 1451/1452 message."""
    q = lambda n: "`" + n.replace("`", "``") + "`"  # noqa: E731
    text = (f"{q(db)}.{q(table)}, CONSTRAINT {q(fk.name)} FOREIGN KEY ({', '.join(q(c) for c in fk.columns)}) "
            f"REFERENCES {q(fk.ref_table)} ({', '.join(q(c) for c in fk.ref_columns)})")
    for verb, action in (("DELETE", fk.on_delete), ("UPDATE", fk.on_update)):
        if action != "NO ACTION":
            text += f" ON {verb} {action}"
    return text


# Foreign-key children by stored root value (schemas are part of it): building the map reads every
# table's schema, which per one-row autocommit write would cost O(tables).  Transactions with DDL of
# their own build theirs privately.
_CHILDREN_BY_ROOT: dict[bytes, dict] = {}
_CHILDREN_CACHE_LIMIT = 256


def children_of(txn, table: str) -> list[tuple[str, ForeignKey]]:
    """(child table, foreign key) for every foreign key referencing ``table``; cached per transaction."""
    cache = txn.fk_children
    if cache is None:
        shared = not txn.ddl and not txn.has_statement_ddl
        root = txn.base_ws.working
        cache = _CHILDREN_BY_ROOT.get(root) if shared else None
        if cache is None:
            cache = {}
            for name in txn.table_names():
                for fk in txn.table_schema(name).foreign_keys:
                    cache.setdefault(fk.ref_table.lower(), []).append((name, fk))
            if shared:
                if len(_CHILDREN_BY_ROOT) >= _CHILDREN_CACHE_LIMIT:
                    _CHILDREN_BY_ROOT.clear()
                _CHILDREN_BY_ROOT[root] = cache
        txn.fk_children = cache
    return cache.get(table.lower(), ())


def _parent_positions(parent_ts, fk: ForeignKey) -> tuple[int, ...]:
    return tuple(parent_ts.schema.position(c) for c in fk.ref_columns)


def _child_positions(child_ts, fk: ForeignKey) -> tuple[int, ...]:
    return tuple(child_ts.schema.position(c) for c in fk.columns)


def _check_parent(ctx, txn, ts, fk: ForeignKey, row) -> None:
    values = [row[p] for p in _child_positions(ts, fk)]
    if any(v is None for v in values):
        return  # MATCH SIMPLE: a NULL in the key satisfies the constraint
    if not txn.has_table(fk.ref_table):
        raise SQLError.of("NO_REFERENCED_ROW_2", describe(txn.sdb.name, ts.name, fk))
    parent = txn.table(fk.ref_table)
    positions = _parent_positions(parent, fk)
    if None in positions:
        raise SQLError.of("NO_REFERENCED_ROW_2", describe(txn.sdb.name, ts.name, fk))
    found = parent.matching(positions, values, limit=1)
    if not found:
        raise SQLError.of("NO_REFERENCED_ROW_2", describe(txn.sdb.name, ts.name, fk))
    parent.shared.add(found[0][0])


def inserting(ctx, db, ts, row, ignore: bool = False) -> bool:
    """Before inserting ``row`` into ``ts``: CHECKs and the row's foreign keys.

    With INSERT IGNORE, a violation is a warning and the row is skipped (returns False), as MySQL does.
    """
    schema = ts.schema
    if not schema.checks and not schema.foreign_keys:
        return True
    try:
        check_row(ctx, ts, row)
        if schema.foreign_keys and _fk_checks_on(ctx):
            txn = ctx.transaction(db)
            for fk in schema.foreign_keys:
                _check_parent(ctx, txn, ts, fk, row)
    except SQLError as e:
        if ignore and e.errno in (1452, 3819):
            ctx.warn(e.errno, e.message)
            return False
        raise
    return True


def updating(ctx, db, ts, old, new, depth: int = 0, cascading: ForeignKey | None = None) -> None:
    """Before ``old`` becomes ``new`` in ``ts``: CHECKs, the new row's foreign keys, and children's ON UPDATE.

    ``cascading``: the foreign key whose ON UPDATE CASCADE / SET NULL makes this change; it is not
    re-checked (its parent row changes in the same step).
    """
    schema = ts.schema
    if schema.checks:
        check_row(ctx, ts, new)
    txn = ctx.transaction(db)
    children = children_of(txn, ts.name)
    if not (schema.foreign_keys or children) or not _fk_checks_on(ctx):
        return
    for fk in schema.foreign_keys:
        if fk is cascading:
            continue
        pos = _child_positions(ts, fk)
        if any(old[p] != new[p] for p in pos):
            _check_parent(ctx, txn, ts, fk, new)
    if children:
        _parent_changing(ctx, db, txn, ts, old, new, children, depth)


def deleting(ctx, db, ts, row, depth: int = 0) -> None:
    """Before deleting ``row`` from ``ts``: children's ON DELETE actions."""
    txn = ctx.transaction(db)
    children = children_of(txn, ts.name)
    if children and _fk_checks_on(ctx):
        _parent_changing(ctx, db, txn, ts, row, None, children, depth)


def _parent_changing(ctx, db, txn, ts, old, new, children, depth) -> None:
    if depth >= MAX_CASCADE_DEPTH:
        raise SQLError(3008, "HY000", f"Foreign key cascade delete/update exceeds max depth of "
                                      f"{MAX_CASCADE_DEPTH}.")
    for child_name, fk in children:
        positions = _parent_positions(ts, fk)
        if None in positions:
            continue
        old_values = [old[p] for p in positions]
        if any(v is None for v in old_values):
            continue
        if new is not None:
            new_values = [new[p] for p in positions]
            if new_values == old_values:
                continue  # unchanged; 'a' -> 'A' is a change even where the collation equates them (InnoDB)
        child = txn.table(child_name)
        cpos = _child_positions(child, fk)
        rows = child.matching(cpos, old_values)
        if child is ts:
            rows = [(k, r) for k, r in rows if r != old]  # a row referencing itself
        if not rows:
            continue
        action = fk.on_delete if new is None else fk.on_update
        if action == "CASCADE":
            for _, r in rows:
                if new is None:
                    deleting(ctx, db, child, r, depth + 1)
                    child.delete(r)
                else:
                    changed = list(r)
                    for p, v in zip(cpos, new_values):
                        changed[p] = v
                    changed = tuple(changed)
                    updating(ctx, db, child, r, changed, depth + 1, fk)
                    child.update(r, changed)
        elif action == "SET NULL":
            for _, r in rows:
                changed = list(r)
                for p in cpos:
                    changed[p] = None
                changed = tuple(changed)
                updating(ctx, db, child, r, changed, depth + 1, fk)
                child.update(r, changed)
        else:  # RESTRICT, NO ACTION, SET DEFAULT
            raise SQLError.of("ROW_IS_REFERENCED_2", describe(txn.sdb.name, child.name, fk))


def validate_references(txn, table: str, schema: Schema, checks_on: bool) -> None:
    """CREATE/ALTER TABLE: each foreign key's parent exists with an index on the referenced columns.

    1824 for a missing parent, 3734 for a missing referenced column, 1822 for a missing index.
    With ``foreign_key_checks = 0`` a missing parent is accepted, as MySQL does.
    """
    for fk in schema.foreign_keys:
        if fk.ref_table.lower() == table.lower():
            parent_schema = schema
        elif txn.has_table(fk.ref_table):
            parent_schema = txn.table(fk.ref_table).schema
        else:
            if not checks_on:
                continue
            raise SQLError(1824, "HY000", f"Failed to open the referenced table '{fk.ref_table}'")
        for c in fk.ref_columns:
            if parent_schema.column(c) is None:
                raise SQLError(3734, "HY000", f"Failed to add the foreign key constraint. Missing column '{c}' "
                                              f"for constraint '{fk.name}' in the referenced table "
                                              f"'{fk.ref_table}'")
        lower = [c.lower() for c in fk.ref_columns]
        n = len(lower)
        if [c.lower() for c in parent_schema.primary_key][:n] != lower and not any(
                [c.lower() for c in ix.columns][:n] == lower for ix in parent_schema.indexes):
            raise SQLError(1822, "HY000", f"Failed to add the foreign key constraint. Missing index for "
                                          f"constraint '{fk.name}' in the referenced table '{fk.ref_table}'")
