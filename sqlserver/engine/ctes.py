"""WITH [RECURSIVE] common table expressions (MySQL 8 semantics).

A non-recursive CTE is planned once per reference, exactly like a derived
table written in its place (``Derived``): nothing is shared between two
references, which keeps every reference free to get its own access paths.

A recursive CTE (``WITH RECURSIVE c AS (anchor UNION [ALL|DISTINCT] step)``)
becomes a ``RecursiveCTE`` node: the anchor SELECTs (those not naming ``c``)
run once, then the recursive SELECTs run repeatedly, each time reading only
the rows the previous iteration produced (``WorkTable``), until an iteration
produces nothing new.  As in MySQL, the column types come from the anchor
alone, UNION DISTINCT drops rows already produced, and more than
``@@cte_max_recursion_depth`` (default 1000) iterations is error 3636
(https://dev.mysql.com/doc/refman/8.0/en/with.html#common-table-expressions-recursive).

Name visibility follows MySQL: a CTE sees the CTEs defined before it in the
same WITH (and, when RECURSIVE, itself); the query sees all of them; an inner
WITH hides an outer CTE of the same name.  ``env.ctes`` is that list of
visible entries, innermost last.

Not done: correlated CTE bodies (a CTE inside a subquery reading the
enclosing row), LIMIT inside a recursive CTE stopping the recursion (8.0.19),
MySQL's check that recursive parts use no aggregate/window/ORDER BY (3575).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from sqlglot import exp

from sqlserver.engine.plan import Derived, Query, RecursiveCTE, WorkTable
from sqlserver.engine.results import ColumnInfo
from sqlserver.errors import SQLError

_SLOTS = itertools.count(1)  # one id per recursive CTE reference: its work table's key in ctx.memo


@dataclass
class _Entry:
    name: str
    body: object  # the sqlglot query
    columns: list  # names from ``c(a, b)``, or empty
    recursive: bool
    visible: list  # entries visible inside the body (those defined before it)
    work: object = None  # while planning the recursive parts: (slot, ColumnInfos) of the work table


def plan_with(node, env, outer, top, plan):
    """Plan ``node`` (a SELECT or set operation carrying a WITH clause) with its CTEs visible.

    ``plan(node, env, outer, top)`` plans the query with the WITH clause removed.
    """
    with_ = node.args.get("with_") or node.args.get("with")
    saved = list(getattr(env, "ctes", None) or [])
    visible = list(saved)
    recursive = bool(with_.args.get("recursive"))
    seen = set()
    for cte in with_.expressions:
        name = cte.alias
        if name.lower() in seen:
            raise SQLError(1066, "42000", f"Not unique table/alias: '{name}'")
        seen.add(name.lower())
        alias = cte.args.get("alias")
        cols = [c.name for c in (alias.columns if alias is not None else ())]
        entry = _Entry(name, cte.this, cols, recursive, list(visible))
        visible.append(entry)
    key = "with_" if "with_" in node.args else "with"
    node.set(key, None)
    env.ctes = visible
    try:
        return plan(node, env, outer, top)
    finally:
        node.set(key, with_)
        env.ctes = saved


def reference(env, t: exp.Table):
    """(plan node, [(name, index, type, nullable)]) for a FROM item naming a visible CTE, else None."""
    entries = getattr(env, "ctes", None)
    if not entries or t.db:
        return None
    lname = t.name.lower()
    entry = next((e for e in reversed(entries) if e.name.lower() == lname), None)
    if entry is None:
        return None
    alias = t.alias_or_name
    if entry.work is not None:  # the recursive part reading the previous iteration's rows
        slot, infos = entry.work
        return WorkTable(slot, alias), _scope_columns(infos)
    saved = env.ctes
    env.ctes = entry.visible + ([entry] if entry.recursive else [])
    try:
        if entry.recursive and _names(entry.body, lname):
            query = _plan_recursive(entry, env)
        else:
            query = _plan_body(entry, entry.body, env)
    finally:
        env.ctes = saved
    return Derived(query, alias), _scope_columns(query.columns)


def _plan_body(entry: _Entry, body, env) -> Query:
    from sqlserver.engine.planner import plan_query

    query = plan_query(body, env, None)
    return Query(query.root, _renamed(entry, query.columns))


def _renamed(entry: _Entry, infos) -> tuple:
    if entry.columns:
        if len(entry.columns) != len(infos):
            raise SQLError(1353, "HY000", "In definition of view, derived table or common table expression, "
                           "SELECT list and column names list have different column counts")
        infos = tuple(ColumnInfo(n, c.sqltype) for n, c in zip(entry.columns, infos))
    seen = set()
    for c in infos:
        if c.name.lower() in seen:
            raise SQLError(1060, "42S21", f"Duplicate column name '{c.name}'")
        seen.add(c.name.lower())
    return tuple(ColumnInfo(c.name, c.sqltype) for c in infos)


def _scope_columns(infos) -> list:
    return [(c.name, i, c.sqltype, True) for i, c in enumerate(infos)]


def _names(node, lname: str) -> bool:
    """Does ``node`` read a table called ``lname`` (unqualified) anywhere?"""
    return any(not t.db and t.name.lower() == lname for t in node.find_all(exp.Table))


def _plan_recursive(entry: _Entry, env) -> Query:
    from sqlserver.engine.planner import plan_query

    body = entry.body
    while isinstance(body, exp.Subquery) and not body.args.get("alias"):
        body = body.this
    if not isinstance(body, exp.Union):
        raise SQLError(3573, "HY000", f"Recursive Common Table Expression '{entry.name}' should contain a UNION")
    parts, distinct = [], False

    def flatten(n):
        nonlocal distinct
        if isinstance(n, exp.Union) and not (n.args.get("order") or n.args.get("limit")):
            flatten(n.this)
            distinct = distinct or bool(n.args.get("distinct"))
            parts.append(n.expression)
        else:
            parts.append(n)
    flatten(body)
    lname = entry.name.lower()
    anchors = [p for p in parts if not _names(p, lname)]
    steps = [p for p in parts if _names(p, lname)]
    if not anchors:
        raise SQLError(3574, "HY000", f"Recursive Common Table Expression '{entry.name}' should have one or "
                       "more non-recursive query blocks followed by one or more recursive ones")
    anchor_q = [plan_query(p, env, None) for p in anchors]
    width = len(anchor_q[0].columns)
    for q in anchor_q[1:]:
        if len(q.columns) != width:
            raise SQLError(1222, "21000", "The used SELECT statements have a different number of columns")
    infos = _renamed(entry, anchor_q[0].columns)
    slot = next(_SLOTS)
    entry.work = (slot, infos)
    try:
        step_q = [plan_query(p, env, None) for p in steps]
    finally:
        entry.work = None
    for q in step_q:
        if len(q.columns) != width:
            raise SQLError(1222, "21000", "The used SELECT statements have a different number of columns")
    node = RecursiveCTE(tuple(q.root for q in anchor_q), tuple(q.root for q in step_q), distinct, slot,
                        entry.name, tuple((c.name, c.sqltype) for c in infos))
    return Query(node, infos)


# --- execution ----------------------------------------------------------------------------------

MAX_RECURSION_ERRNO = 3636


def build_recursive(node: RecursiveCTE):
    from sqlserver.engine.executor import _dedup_key, build_node

    anchors = [build_node(n) for n in node.anchors]
    steps = [build_node(n) for n in node.steps]
    key, distinct = ("cte", node.slot), node.distinct
    # string columns: the anchor's type is the column's (MySQL: a longer recursive value is 1406 in strict
    # mode, truncated with warning 1265 otherwise)
    sized = [(i, name, t.length) for i, (name, t) in enumerate(node.columns)
             if t is not None and t.name in ("varchar", "char") and t.length is not None]

    def fit(rows, ctx, strict):
        for rownum, r in enumerate(rows, 1):  # MySQL numbers the rows within the iteration
            for i, name, length in sized:
                v = r[i]
                if isinstance(v, str) and len(v) > length:
                    if strict:
                        raise SQLError(1406, "22001", f"Data too long for column '{name}' at row {rownum}")
                    ctx.warn(1265, f"Data truncated for column '{name}' at row {rownum}")
                    r = r[:i] + (v[:length],) + r[i + 1:]
            yield r

    def run(ctx):
        from sqlserver.engine.sql_mode import WriteMode

        limit = ctx.state.get_variable("cte_max_recursion_depth")
        strict = WriteMode(ctx).strict
        seen = set()
        out = []

        def fresh(rows):
            if not distinct:
                return list(rows)
            new = []
            for r in rows:
                k = _dedup_key(r)
                if k not in seen:
                    seen.add(k)
                    new.append(r)
            return new
        work = fresh(r for a in anchors for r in a(ctx))
        out.extend(work)
        depth = 0
        if ctx.memo is None:
            ctx.memo = {}
        saved = ctx.memo.get(key)
        try:
            while work:
                depth += 1
                if depth > limit:
                    raise SQLError(MAX_RECURSION_ERRNO, "HY000", f"Recursive query aborted after {depth} "
                                   "iterations. Try increasing @@cte_max_recursion_depth to a larger value.")
                ctx.memo[key] = work
                work = fresh(fit([r for s in steps for r in s(ctx)], ctx, strict) if sized else
                             [r for s in steps for r in s(ctx)])
                out.extend(work)
        finally:
            ctx.memo[key] = saved
        return iter(out)
    return run


def build_work_table(node: WorkTable):
    key = ("cte", node.slot)
    return lambda ctx: iter(ctx.memo[key])

