"""GROUP BY extras: WITH ROLLUP and GROUPING(), GROUP_CONCAT, COUNT(DISTINCT a, b, ...).

The planner builds an ordinary ``Aggregate``; ``extend`` turns it into a
``GroupAggregate`` when the query needs one of these, and ``build_group_aggregate``
runs it.  Plain aggregates keep the executor's faster ``Aggregate`` loop.

How the extra aggregates are written in a plan (they stay ``Agg`` nodes so the
planner's GROUP BY validation and the optimizer's column analysis see their
arguments):

- ``COUNT(DISTINCT a, b)``: ``Agg('count', Call('row', (a, b)), distinct=True)``;
  a row with any NULL argument is not counted.
- ``GROUP_CONCAT([DISTINCT] a, b ORDER BY k1 DESC, k2 SEPARATOR s)``:
  ``Agg('group_concat', Call('group_concat:<n args>:<d|a per key>', (s, a, b, k1, k2)))``.
  A row with a NULL argument is skipped; the result is cut to
  ``@@group_concat_max_len`` bytes with warning 1260 (MySQL:
  https://dev.mysql.com/doc/refman/8.0/en/aggregate-functions.html#function_group-concat).
- ``GROUPING(a, b)``: ``Agg('grouping', Call('row', (a, b)))``: a bit per argument,
  set on the super-aggregate rows where that GROUP BY column was rolled up.

ROLLUP follows MySQL: the detail groups come out sorted by the GROUP BY
columns (NULLs first), each followed by its subtotal rows (rolled-up
columns NULL), the grand total last.
"""

from __future__ import annotations

from functools import cmp_to_key

from sqlglot import exp

from sqlserver.engine.expressions import T_BIGINT, compare_values, compile_expr, to_number, to_text
from sqlserver.engine.plan import Agg, Aggregate, Call, GroupAggregate
from sqlserver.errors import SQLError
from sqlserver.sqltypes import SqlType
from storage.collation import DEFAULT_COLLATION, get_collation


# --- planning -----------------------------------------------------------------------------------


def bind(binder, e) -> Agg:
    """GROUP_CONCAT(...) or GROUPING(...) as an ``Agg`` (see the module docstring)."""
    if not binder.allow_aggs:
        raise SQLError(1111, "HY000", "Invalid use of group function")
    saved, binder.allow_aggs = binder.allow_aggs, False
    try:
        if isinstance(e, exp.Grouping):
            return Agg("grouping", Call("row", tuple(binder.bind(a) for a in e.expressions)), False, T_BIGINT)
        inner, keys, distinct = e.this, [], False
        if isinstance(inner, exp.Order):
            keys = [(binder.bind(o.this), bool(o.args.get("desc"))) for o in inner.expressions]
            inner = inner.this
        if isinstance(inner, exp.Distinct):
            distinct = True
            items = list(inner.expressions)
        else:
            items = [inner]
        if len(items) == 1 and isinstance(items[0], exp.Concat):  # sqlglot reads GROUP_CONCAT(a, b) as CONCAT
            items = list(items[0].expressions)
        args = tuple(binder.bind(a) for a in items)
        sep = e.args.get("separator")
        sep_e = binder.bind(sep) if sep is not None else None
    finally:
        binder.allow_aggs = saved
    from sqlserver.engine.plan import Const

    if sep_e is None:
        sep_e = Const(",", None)
    flags = "".join("d" if d else "a" for _, d in keys)
    op = f"group_concat:{len(args)}:{flags}"
    binary = all(a.type is not None and a.type.name in ("varbinary", "binary", "blob") for a in args)
    t = SqlType("blob") if binary else SqlType("text", collation=DEFAULT_COLLATION)
    return Agg("group_concat", Call(op, (sep_e,) + args + tuple(k for k, _ in keys), t), distinct, t)


def count_distinct_rows(binder, e, items) -> Agg:
    """COUNT(DISTINCT a, b, ...)."""
    if not isinstance(e, exp.Count):
        raise SQLError.of("PARSE", e.sql(dialect="mysql"), 1)
    saved, binder.allow_aggs = binder.allow_aggs, False
    try:
        args = tuple(binder.bind(a) for a in items)
    finally:
        binder.allow_aggs = saved
    return Agg("count", Call("row", args), True, T_BIGINT)


def _extended(a: Agg) -> bool:
    return a.func in ("group_concat", "grouping") or isinstance(a.arg, Call) and a.arg.op == "row"


def extend(node: Aggregate, group) -> Aggregate:
    """``node`` as a GroupAggregate when it has ROLLUP or one of the extra aggregates."""
    rollup = bool(group is not None and group.args.get("rollup"))
    for a in node.aggs:
        if a.func == "grouping":
            if not rollup:
                raise SQLError(1111, "HY000", "Invalid use of group function")  # MySQL 8.4: only with ROLLUP
            for i, x in enumerate(a.arg.args, 1):
                if x not in node.groups:
                    raise SQLError(3602, "HY000", f"Argument #{i} of GROUPING function is not in GROUP BY")
    if not rollup and not any(_extended(a) for a in node.aggs):
        return node
    return GroupAggregate(node.input, node.groups, node.aggs, rollup)


# --- execution ------------------------------------------------------------------------------------


class _State:
    __slots__ = ("count", "total", "best", "seen", "items")

    def __init__(self):
        self.count, self.total, self.best, self.seen, self.items = 0, None, None, None, None


def _spec(a: Agg, groups):
    """(kind, argument closures, extra) for one aggregate."""
    if a.func == "grouping":
        return "grouping", [], [groups.index(x) for x in a.arg.args]
    if a.func == "group_concat":
        _, n, flags = a.arg.op.split(":")
        n = int(n)
        fns = [compile_expr(x) for x in a.arg.args]
        sort_keys = [get_collation(x.type.collation if x.type is not None and x.type.collation
                                   else DEFAULT_COLLATION).sort_key for x in a.arg.args[1 + n:]]
        return "group_concat", fns, (n, [f == "d" for f in flags], sort_keys)
    if isinstance(a.arg, Call) and a.arg.op == "row":
        keys = [get_collation(x.type.collation if x.type is not None and x.type.collation else DEFAULT_COLLATION)
                .sort_key for x in a.arg.args]
        return "count_rows", [compile_expr(x) for x in a.arg.args], keys
    fn = None if a.arg is None else compile_expr(a.arg)
    t = a.arg.type if a.arg is not None else None
    return a.func, [fn], get_collation(t.collation if t is not None and t.collation else DEFAULT_COLLATION).sort_key


def _update(kind, fns, extra, distinct, st: _State, row, ctx):
    if kind == "grouping":
        return
    if kind == "count_star":
        st.count += 1
        return
    if kind == "count_rows":
        vals = [f(row, ctx) for f in fns]
        if any(v is None for v in vals):
            return
        k = tuple(skey(v) if isinstance(v, str) else v for skey, v in zip(extra, vals))
        if st.seen is None:
            st.seen = set()
        if k not in st.seen:
            st.seen.add(k)
            st.count += 1
        return
    if kind == "group_concat":
        n = extra[0]
        vals = [f(row, ctx) for f in fns]
        args = vals[1:1 + n]
        if any(v is None for v in args):
            return
        text = "".join(to_text(v) if not isinstance(v, bytes) else v.decode("utf-8", "replace") for v in args)
        if distinct:
            if st.seen is None:
                st.seen = set()
            k = get_collation(DEFAULT_COLLATION).sort_key(text)
            if k in st.seen:
                return
            st.seen.add(k)
        if st.items is None:
            st.items = []
            st.best = vals[0]  # the separator
        st.items.append((vals[1 + n:], text, args))
        return
    v = fns[0](row, ctx)
    if v is not None:
        accumulate(kind, st, v, distinct, extra, ctx)


def accumulate(func: str, st, v, distinct: bool, skey, ctx) -> None:
    """Add one non-NULL value to an aggregate's state (COUNT/SUM/AVG/MIN/MAX, DISTINCT by collation key).

    The plain aggregate loop (``executor``) and GroupAggregate share it.
    """
    if distinct:
        if st.seen is None:
            st.seen = set()
        dk = skey(v) if isinstance(v, str) else v
        if dk in st.seen:
            return
        st.seen.add(dk)
    st.count += 1
    if func in ("sum", "avg"):
        n = to_number(v, ctx)
        st.total = n if st.total is None else st.total + n
    elif func in ("min", "max"):
        if st.best is None:
            st.best = v
        else:
            c = compare_values(v, st.best, skey, ctx)
            if (c < 0) if func == "min" else (c > 0):
                st.best = v


def _concat_result(st: _State, extra, ctx, distinct: bool):
    if st.items is None:
        return None
    n, descs, sort_keys = extra
    items = st.items
    if distinct and not descs:  # MySQL/MariaDB: DISTINCT without ORDER BY comes out sorted by the arguments
        skey = get_collation(DEFAULT_COLLATION).sort_key
        items = sorted(items, key=cmp_to_key(lambda a, b: next(
            (c for c in (compare_values(x, y, skey, ctx) for x, y in zip(a[2], b[2])) if c), 0)))
    if descs:
        def cmp(a, b):
            for d, skey, va, vb in zip(descs, sort_keys, a[0], b[0]):
                if va is None or vb is None:
                    c = (va is not None) - (vb is not None)
                else:
                    c = compare_values(va, vb, skey, ctx)
                if c:
                    return -c if d else c
            return 0
        items = sorted(items, key=cmp_to_key(cmp))
    sep = st.best
    sep = "" if sep is None else to_text(sep)
    limit = ctx.state.get_variable("group_concat_max_len")
    out, size = [], 0
    for k, (_, t, _) in enumerate(items, 1):
        piece = (sep + t if k > 1 else t).encode("utf-8")
        if size + len(piece) > limit:  # MySQL/MariaDB number the warning by the item that overflowed
            out.append(piece[:limit - size])
            ctx.warn(1260, f"Row {k} was cut by GROUP_CONCAT()")
            return b"".join(out).decode("utf-8", "ignore")
        out.append(piece)
        size += len(piece)
    return b"".join(out).decode("utf-8")


def build_group_aggregate(node: GroupAggregate):
    from sqlserver.engine.executor import _AggState, _agg_result, build_node

    src = build_node(node.input)
    gfns = [compile_expr(g) for g in node.groups]
    specs = [(_spec(a, node.groups), a) for a in node.aggs]
    n_groups = len(gfns)
    levels = range(n_groups, -1, -1) if node.rollup else (n_groups,)
    gkeys = [get_collation(g.type.collation if g.type is not None and g.type.collation else DEFAULT_COLLATION)
             .sort_key for g in node.groups]

    def run(ctx):
        table: dict = {}  # (level, normalised prefix) -> (group values, states)
        for row in src(ctx):
            gk = tuple(f(row, ctx) for f in gfns)
            norm = tuple(k(v) if isinstance(v, str) else v for k, v in zip(gkeys, gk))
            for level in levels:
                key = (level, norm[:level])
                entry = table.get(key)
                if entry is None:
                    entry = table[key] = (gk[:level] + (None,) * (n_groups - level), [_State() for _ in specs])
                for ((kind, fns, extra), a), st in zip(specs, entry[1]):
                    _update(kind, fns, extra, a.distinct, st, row, ctx)
        if not table and not gfns:  # no input rows: one row without GROUP BY, none with it (ROLLUP too)
            table[(0, ())] = ((None,) * n_groups, [_State() for _ in specs])
        keys = list(table)
        if node.rollup:
            def cmp(ka, kb):
                (la, _), (lb, _) = ka, kb
                va, vb = table[ka][0], table[kb][0]
                for i in range(n_groups):
                    sa, sb = i >= la, i >= lb  # rolled up here: after every row with the same prefix
                    if sa or sb:
                        if sa and sb:
                            return 0
                        return 1 if sa else -1
                    x, y = va[i], vb[i]
                    c = (x is not None) - (y is not None) if x is None or y is None else \
                        compare_values(x, y, gkeys[i], ctx)
                    if c:
                        return c
                return 0
            keys.sort(key=cmp_to_key(cmp))
        for group_no, key in enumerate(keys, 1):
            level = key[0]
            gk, states = table[key]
            out = list(gk)
            for ((kind, fns, extra), a), st in zip(specs, states):
                if kind == "grouping":
                    bits = 0
                    for i in extra:
                        bits = bits * 2 + (1 if i >= level else 0)
                    out.append(bits)
                elif kind == "group_concat":
                    out.append(_concat_result(st, extra, ctx, a.distinct))
                elif kind == "count_rows":
                    out.append(st.count)
                else:
                    agg = _AggState()
                    agg.count, agg.total, agg.best = st.count, st.total, st.best
                    out.append(_agg_result(kind, agg, a.type))
            yield tuple(out)
    return run
