"""Stage 3: an ordered list of small rewrite rules over plans.

Each rule is a function ``plan -> plan`` that returns its input unchanged
when it does not apply; ``optimize`` runs them in order.  Rules must keep
results identical: the ones here only change *how* rows are found.

1. ``fold_constants``: operators whose arguments are all constants (not
   parameters: those change between executions of a cached plan) are
   evaluated once.
2. ``primary_key_access``: WHERE conjuncts that compare primary-key columns
   with constants/parameters turn a full scan into a point get (every pk
   column fixed by ``=``) or a key range (``=`` on a pk prefix, then a range
   on the next column).  The Filter stays above: the executor's key
   conversion may fall back to a full scan, and MySQL's comparison rules
   (strings vs numbers, collations) are then applied by the Filter alone.
3. ``sort_by_primary_key``: ORDER BY a pk prefix (all ASC or all DESC) over a
   scan drops the Sort and scans forward or in reverse, so
   ``ORDER BY id DESC LIMIT 1`` reads one row.

Issue 6 adds rules here (secondary-index selection, join ordering, predicate
pushdown into joins) without touching planner or executor.
"""

from __future__ import annotations

import dataclasses

from sqlserver.engine.plan import Call, Col, Const, Filter, LockRows, Node, Param, Scan, Sort, Expr

_COMPARISONS = {"=": "=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}  # op -> op with sides swapped
_FOLDABLE = {"+", "-", "*", "=", "<>", "<", "<=", ">", ">=", "and", "or", "not", "neg", "is_null", "is_not_null"}


def optimize(plan):
    for rule in RULES:
        plan = rule(plan)
    return plan


def _map_nodes(plan, fn):
    """Rebuild ``plan`` bottom-up applying ``fn`` to every relational node."""
    if not dataclasses.is_dataclass(plan):
        return plan
    changes = {}
    for f in dataclasses.fields(plan):
        v = getattr(plan, f.name)
        if isinstance(v, Node) or f.name in ("source", "root", "query"):
            nv = _map_nodes(v, fn)
            if nv is not v:
                changes[f.name] = nv
        elif type(v) is tuple and v and isinstance(v[0], Node):  # SetOp inputs
            nv = tuple(_map_nodes(x, fn) for x in v)
            if any(a is not b for a, b in zip(nv, v)):
                changes[f.name] = nv
    if changes:
        plan = dataclasses.replace(plan, **changes)
    return fn(plan) if isinstance(plan, Node) else plan


# --- rule 1 -------------------------------------------------------------------------------


def _fold(e: Expr) -> Expr:
    if isinstance(e, Call):
        args = tuple(_fold(a) for a in e.args)
        if e.op in _FOLDABLE and all(isinstance(a, Const) for a in args):
            from sqlserver.engine.expressions import compile_expr

            try:
                return Const(compile_expr(Call(e.op, args, e.type))((), None), e.type)
            except Exception:  # noqa: BLE001 - errors (overflow) must surface at execution, not here
                return Call(e.op, args, e.type)
        if args != e.args:
            return Call(e.op, args, e.type)
    return e


def fold_constants(plan):
    def fn(node):
        if isinstance(node, Filter):
            cond = _fold(node.cond)
            return node if cond is node.cond else Filter(node.input, cond)
        return node
    return _map_nodes(plan, fn)


# --- rule 2 -------------------------------------------------------------------------------


def conjuncts(e: Expr) -> list[Expr]:
    if isinstance(e, Call) and e.op == "and":
        return conjuncts(e.args[0]) + conjuncts(e.args[1])
    return [e]


def _bindable(col_type, value: Expr) -> bool:
    """Can ``value`` bound a key of ``col_type`` with MySQL's comparison meaning?"""
    if not isinstance(value, (Param, Const)):
        return False
    vt = value.type
    if vt is None:
        return isinstance(value, Const) and value.value is None
    if col_type.is_string:
        return vt.is_string
    if col_type.is_integer or col_type.name in ("decimal", "float", "double"):
        return vt.is_integer or vt.name in ("decimal", "float", "double") or vt.is_string
    if col_type.name in ("date", "datetime", "timestamp"):
        return vt.is_string or vt.name in ("date", "datetime", "timestamp")
    return False


def _key_bounds(scan: Scan, cond: Expr) -> Scan:
    ref = scan.table
    schema = ref.schema
    pk = [schema.position(n) for n in schema.primary_key]
    if not pk:
        return scan
    from sqlserver.sqltypes import SqlType

    types = {p: SqlType.parse(schema.columns[p].sql_type, schema.columns[p].collation) for p in pk}
    eq: dict[int, Expr] = {}
    ranges: dict[int, list[tuple[str, Expr]]] = {}
    for c in conjuncts(cond):
        if not isinstance(c, Call):
            continue
        if c.op in _COMPARISONS and len(c.args) == 2:
            a, b = c.args
            op = c.op
            if isinstance(b, Col) and not isinstance(a, Col):
                a, b, op = b, a, _COMPARISONS[op]
            if isinstance(a, Col) and a.index in types and _bindable(types[a.index], b):
                if op == "=":
                    eq.setdefault(a.index, b)
                else:
                    ranges.setdefault(a.index, []).append((op, b))
        elif c.op == "between":
            a, lo, hi = c.args
            if isinstance(a, Col) and a.index in types and _bindable(types[a.index], lo) and \
                    _bindable(types[a.index], hi):
                ranges.setdefault(a.index, []).extend([(">=", lo), ("<=", hi)])
    prefix = []
    for p in pk:
        if p in eq:
            prefix.append(eq[p])
        else:
            break
    if len(prefix) == len(pk):
        return dataclasses.replace(scan, access="point", lo=tuple(prefix), hi=None)
    nxt = pk[len(prefix)]
    lo = hi = tuple(prefix) if prefix else None
    lo_inc = hi_inc = True
    for op, v in ranges.get(nxt, ()):
        if op in (">", ">=") and (lo is None or len(lo) == len(prefix)):
            lo, lo_inc = tuple(prefix) + (v,), op == ">="
        elif op in ("<", "<=") and (hi is None or len(hi) == len(prefix)):
            hi, hi_inc = tuple(prefix) + (v,), op == "<="
    if lo is None and hi is None:
        return scan
    return dataclasses.replace(scan, access="range", lo=lo, hi=hi, lo_inclusive=lo_inc, hi_inclusive=hi_inc)


def primary_key_access(plan):
    def fn(node):
        if isinstance(node, Filter) and isinstance(node.input, Scan) and node.input.access == "full":
            scan = _key_bounds(node.input, node.cond)
            if scan is not node.input:
                return Filter(scan, node.cond)
        return node
    return _map_nodes(plan, fn)


# --- rule 3 -------------------------------------------------------------------------------


def _scan_below(node):
    """The Scan feeding ``node`` through Filters/LockRows only, with a rebuild function."""
    if isinstance(node, Scan):
        return node, lambda s: s
    if isinstance(node, (Filter, LockRows)):
        found = _scan_below(node.input)
        if found is None:
            return None
        scan, rebuild = found
        return scan, lambda s, node=node, rebuild=rebuild: dataclasses.replace(node, input=rebuild(s))
    return None


def sort_by_primary_key(plan):
    def fn(node):
        if not isinstance(node, Sort):
            return node
        found = _scan_below(node.input)
        if found is None:
            return node
        scan, rebuild = found
        if scan.access == "point":
            return node.input  # at most one row
        schema = scan.table.schema
        pk = [schema.position(n) for n in schema.primary_key]
        if not pk or len(node.keys) > len(pk):
            return node
        descs = {d for _, d in node.keys}
        if len(descs) != 1:
            return node
        for (e, _), p in zip(node.keys, pk):
            if not (isinstance(e, Col) and e.index == p):
                return node
        return rebuild(dataclasses.replace(scan, reverse=descs.pop()))
    return _map_nodes(plan, fn)


RULES = (fold_constants, primary_key_access, sort_by_primary_key)
