"""Window functions: ``f(...) OVER ([PARTITION BY ...] [ORDER BY ...] [frame])`` and ``WINDOW w AS (...)``.

Planning: the binder turns each call into a ``WinFunc`` expression; once the
select list and ORDER BY are bound (and, in a grouped query, rewritten over
the aggregated row, so ``SUM(SUM(x)) OVER ()`` works), ``plan`` puts one
``Window`` node under the Sort/Project.  That node's rows are the window
values followed by its input row, so the select list reads a window value as
``Col(k)`` and every other column shifted by the number of window values.

Execution materialises the input, and per window function sorts it by
(PARTITION BY, ORDER BY), splits partitions, and computes each row's value.
Frames follow MySQL (https://dev.mysql.com/doc/refman/8.0/en/window-functions-frames.html):
without a frame clause, RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
(peers included) when there is an ORDER BY, the whole partition otherwise;
ROW_NUMBER, RANK, DENSE_RANK, PERCENT_RANK, CUME_DIST, NTILE, LAG and LEAD
ignore frames.  ``RANGE n PRECEDING/FOLLOWING`` needs a single numeric
ORDER BY key.  Output rows come in the sort order of the first window.

Not done: RANGE offsets over dates/INTERVAL, NULL treatment / FROM LAST
options, window functions inside expressions of other windows.
"""

from __future__ import annotations

from functools import cmp_to_key

from sqlglot import exp

from sqlserver.engine.expressions import T_BIGINT, T_DOUBLE, compare_values, compile_expr, merge_types, to_number
from sqlserver.engine.plan import Col, Expr, WinFunc, Window, map_expr
from sqlserver.errors import SQLError
from sqlserver.sqltypes import SqlType
from storage.collation import DEFAULT_COLLATION, get_collation

_RANKING = {exp.RowNumber: "row_number", exp.Rank: "rank", exp.DenseRank: "dense_rank",
            exp.PercentRank: "percent_rank", exp.CumeDist: "cume_dist", exp.Ntile: "ntile",
            exp.Lag: "lag", exp.Lead: "lead", exp.FirstValue: "first_value", exp.LastValue: "last_value",
            exp.NthValue: "nth_value", exp.Count: "count", exp.Sum: "sum", exp.Avg: "avg", exp.Min: "min",
            exp.Max: "max"}
_UNSIGNED = SqlType("bigint", unsigned=True)
_CONTEXTS = ("field list", "order clause")


# --- planning -----------------------------------------------------------------------------------


def _named(e: exp.Window, name: str):
    sel = e.find_ancestor(exp.Select)
    for w in (sel.args.get("windows") or ()) if sel is not None else ():
        if w.name.lower() == name.lower():
            return w
    raise SQLError(3579, "HY000", f"Window name '{name}' is not defined.")


def _spec_parts(e: exp.Window, seen=()):
    """(partition, order, frame) sqlglot nodes, following a named window reference."""
    partition, order, spec = e.args.get("partition_by"), e.args.get("order"), e.args.get("spec")
    ref = e.args.get("alias")  # OVER w / OVER (w ...) / WINDOW v AS (w ...): the window it builds on
    if ref is not None:
        name = ref.name
        if name.lower() in seen:
            raise SQLError(3580, "HY000", "There is a circularity in the window dependency graph.")
        base = _named(e, name)
        bp, bo, bs = _spec_parts(base, seen + (name.lower(),))
        partition, order, spec = partition or bp, order or bo, spec or bs
    return partition, order, spec


def bind(binder, e: exp.Window) -> WinFunc:
    func = e.this
    name = _RANKING.get(type(func))
    if name is None:
        raise SQLError.of("NOT_SUPPORTED_YET", f"window function {func.sql(dialect='mysql')!r}")
    if binder.clause not in _CONTEXTS:
        raise SQLError(3593, "HY000", f"You cannot use the window function '{name}' in this context.'")
    partition, order, spec = _spec_parts(e)
    args: list[Expr] = []
    if name == "count" and (func.this is None or isinstance(func.this, exp.Star)):
        name = "count_star"
    elif isinstance(func.this, exp.Distinct):
        raise SQLError(1235, "42000", "This version of MySQL doesn't yet support '<window function>(DISTINCT ..)'")
    else:
        for k in ("this", "offset", "default"):
            v = func.args.get(k)
            if isinstance(v, exp.Expression):
                args.append(binder.bind(v))
    part = tuple(binder.bind(p) for p in partition or ())
    keys = tuple((binder.bind(o.this), bool(o.args.get("desc"))) for o in (order.expressions if order else ()))
    frame = _frame(binder, spec) if spec is not None else None
    if frame is not None and frame[0] == "range" and any(b[1] is not None for b in frame[1:]) and len(keys) != 1:
        raise SQLError(3587, "HY000", "Window '<unnamed window>' with RANGE N PRECEDING/FOLLOWING frame requires "
                       "exactly one ORDER BY expression, of numeric or temporal type")
    return WinFunc(name, tuple(args), part, keys, frame, _type(name, args))


def _frame(binder, spec) -> tuple:
    kind = str(spec.args.get("kind") or "rows").lower()

    def bound(value, side):
        side = str(side or "").upper()
        if isinstance(value, str) or value is None:
            v = str(value or "").upper()
            if v == "UNBOUNDED":
                return ("unbounded_following" if side == "FOLLOWING" else "unbounded_preceding", None)
            return ("current", None)
        return ("following" if side == "FOLLOWING" else "preceding", binder.bind(value))
    start = bound(spec.args.get("start"), spec.args.get("start_side"))
    end = bound(spec.args.get("end"), spec.args.get("end_side")) if spec.args.get("end") is not None else \
        ("current", None)
    return (kind, start, end)


def _type(name: str, args) -> SqlType | None:
    if name in ("row_number", "rank", "dense_rank", "ntile"):
        return _UNSIGNED
    if name in ("percent_rank", "cume_dist"):
        return T_DOUBLE
    if name in ("count", "count_star"):
        return T_BIGINT
    if name in ("lag", "lead"):
        return merge_types([args[0].type, args[2].type]) if len(args) > 2 else args[0].type
    if name in ("first_value", "last_value", "nth_value", "min", "max"):
        return args[0].type
    from sqlserver.engine.planner import _agg_type

    return _agg_type(name, args[0].type)


def _contains(e) -> bool:
    return isinstance(e, WinFunc) or any(_contains(c) for c in e.children())


def used(exprs, order_keys) -> bool:
    return any(_contains(e) for e in exprs) or any(_contains(k) for k, _ in order_keys)


def plan(source, exprs, order_keys):
    """(Window over ``source``, select list and ORDER BY keys reading the Window's rows)."""
    funcs: list[WinFunc] = []

    def collect(e):
        if isinstance(e, WinFunc):
            if e not in funcs:
                funcs.append(e)
            return
        for c in e.children():
            collect(c)
    for e in exprs:
        collect(e)
    for k, _ in order_keys:
        collect(k)
    n = len(funcs)

    def shift(x):
        if isinstance(x, WinFunc):
            return Col(funcs.index(x), x.name, x.type)
        if isinstance(x, Col):
            return Col(x.index + n, x.name, x.type, x.table, x.nullable)
        return x
    exprs = [map_expr(e, shift) for e in exprs]
    order_keys = [(map_expr(k, shift), d) for k, d in order_keys]
    return Window(source, tuple(funcs)), exprs, order_keys


# --- execution ------------------------------------------------------------------------------------


def _skey(e):
    return get_collation(e.type.collation if e.type is not None and e.type.collation else DEFAULT_COLLATION).sort_key


def _compiled(f: WinFunc):
    return ([compile_expr(a) for a in f.args],
            [(compile_expr(p), _skey(p)) for p in f.partition],
            [(compile_expr(k), d, _skey(k)) for k, d in f.order])


def _cmp_values(a, b, skey, ctx) -> int:
    if a is None or b is None:
        return (a is not None) - (b is not None)
    return compare_values(a, b, skey, ctx)


def build_window(node: Window):
    from sqlserver.engine.executor import build_node

    src = build_node(node.input)
    compiled = [(f, *_compiled(f)) for f in node.funcs]

    def run(ctx):
        rows = list(src(ctx))
        values = [[None] * len(compiled) for _ in rows]
        order = None
        for j, (f, args, parts, keys) in enumerate(compiled):
            pvals = [[fn(r, ctx) for fn, _ in parts] for r in rows]
            kvals = [[fn(r, ctx) for fn, _, _ in keys] for r in rows]

            def cmp(i, k):
                for (_, skey), a, b in zip(parts, pvals[i], pvals[k]):
                    c = _cmp_values(a, b, skey, ctx)
                    if c:
                        return c
                for (_, desc, skey), a, b in zip(keys, kvals[i], kvals[k]):
                    c = _cmp_values(a, b, skey, ctx)
                    if c:
                        return -c if desc else c
                return 0
            idx = sorted(range(len(rows)), key=cmp_to_key(cmp))
            if order is None:
                order = idx
            start = 0
            while start < len(idx):
                end = start + 1
                while end < len(idx) and all(_cmp_values(a, b, skey, ctx) == 0 for (_, skey), a, b in
                                             zip(parts, pvals[idx[start]], pvals[idx[end]])):
                    end += 1
                part = idx[start:end]
                for pos, v in enumerate(_partition(f, args, keys, part, rows, kvals, ctx)):
                    values[part[pos]][j] = v
                start = end
        return (tuple(values[i]) + rows[i] for i in (order or ()))
    return run


def _peers(part, kvals, keys, ctx):
    """Per position: (first, end) positions of its peer group (rows equal on ORDER BY)."""
    n = len(part)
    out = [None] * n
    i = 0
    while i < n:
        j = i + 1
        while j < n and all(_cmp_values(a, b, skey, ctx) == 0 for (_, _, skey), a, b in
                            zip(keys, kvals[part[i]], kvals[part[j]])):
            j += 1
        for p in range(i, j):
            out[p] = (i, j)
        i = j
    return out


def _offset(e_fn, row, ctx, name) -> int:
    v = e_fn(row, ctx)
    if v is None or isinstance(v, str) or to_number(v, ctx) < 0 or int(to_number(v, ctx)) != to_number(v, ctx):
        raise SQLError(1210, "HY000", f"Incorrect arguments to {name}")
    return int(to_number(v, ctx))


def _partition(f: WinFunc, args, keys, part, rows, kvals, ctx):
    n = len(part)
    name = f.name
    peers = _peers(part, kvals, keys, ctx) if keys else [(0, n)] * n
    if name == "row_number":
        return [i + 1 for i in range(n)]
    if name == "rank":
        return [peers[i][0] + 1 for i in range(n)]
    if name == "dense_rank":
        out, rank, last = [], 0, None
        for i in range(n):
            if peers[i] != last:
                rank, last = rank + 1, peers[i]
            out.append(rank)
        return out
    if name == "percent_rank":
        return [0.0 if n == 1 else peers[i][0] / (n - 1) for i in range(n)]
    if name == "cume_dist":
        return [peers[i][1] / n for i in range(n)]
    if name == "ntile":
        buckets = _offset(args[0], rows[part[0]], ctx, "ntile")
        if buckets == 0:
            raise SQLError(1210, "HY000", "Incorrect arguments to ntile")
        size, extra = divmod(n, buckets)
        out = []
        for b in range(min(buckets, n)):
            out += [b + 1] * (size + (1 if b < extra else 0))
        return out
    if name in ("lag", "lead"):
        off = _offset(args[1], rows[part[0]], ctx, name) if len(args) > 1 else 1
        out = []
        for i in range(n):
            k = i - off if name == "lag" else i + off
            if 0 <= k < n:
                out.append(args[0](rows[part[k]], ctx))
            else:
                out.append(args[2](rows[part[i]], ctx) if len(args) > 2 else None)
        return out
    frames = _frames(f, part, rows, kvals, peers, ctx)
    if name in ("first_value", "last_value", "nth_value"):
        nth = _offset(args[1], rows[part[0]], ctx, "nth_value") if name == "nth_value" else 1
        if name == "nth_value" and nth == 0:
            raise SQLError(1210, "HY000", "Incorrect arguments to nth_value")
        out = []
        for lo, hi in frames:
            if lo >= hi:
                out.append(None)
            elif name == "last_value":
                out.append(args[0](rows[part[hi - 1]], ctx))
            else:
                k = lo + nth - 1
                out.append(args[0](rows[part[k]], ctx) if k < hi else None)
        return out
    return _aggregates(f, args, part, rows, frames, ctx)


def _frames(f: WinFunc, part, rows, kvals, peers, ctx):
    n = len(part)
    if f.frame is None:
        return [(0, peers[i][1]) for i in range(n)] if f.order else [(0, n)] * n
    kind, start, end = f.frame
    if kind == "rows":
        def at(i, b, is_end):
            side, e = b
            if side == "unbounded_preceding":
                return 0
            if side == "unbounded_following":
                return n
            if side == "current":
                return i + is_end
            off = _offset(compile_expr(e), (), ctx, "frame")
            return (i - off if side == "preceding" else i + off) + is_end
        return [(max(0, at(i, start, 0)), min(n, max(0, at(i, end, 1)))) for i in range(n)]
    # RANGE: by ORDER BY value
    desc = f.order[0][1] if f.order else False

    def rng(i, b, is_end):
        side, e = b
        if side == "unbounded_preceding":
            return 0
        if side == "unbounded_following":
            return n
        if side == "current":
            return peers[i][1] if is_end else peers[i][0]
        off = to_number(compile_expr(e)((), ctx), ctx)
        v = kvals[part[i]][0]
        if v is None:
            return peers[i][1] if is_end else peers[i][0]
        v = to_number(v, ctx)
        target = v - off if (side == "preceding") != desc else v + off
        # first position whose key is past the target (ends) / not before it (starts), in sort direction
        for p in range(n):
            kv = kvals[part[p]][0]
            if kv is None:
                continue
            kv = to_number(kv, ctx)
            c = (kv > target) - (kv < target)
            c = -c if desc else c
            if (c > 0) if is_end else (c >= 0):
                return p
        return n
    return [(rng(i, start, 0), max(rng(i, start, 0), rng(i, end, 1))) for i in range(n)]


def _aggregates(f: WinFunc, args, part, rows, frames, ctx):
    from sqlserver.engine.executor import _AggState, _agg_result

    name = f.name
    fn = args[0] if args else None
    skey = _skey(f.args[0]) if f.args else None
    vals = [fn(rows[r], ctx) if fn is not None else 1 for r in part]

    def add(st, v):
        if v is None:
            return
        st.count += 1
        if name in ("sum", "avg"):
            x = to_number(v, ctx)
            st.total = x if st.total is None else st.total + x
        elif name in ("min", "max"):
            if st.best is None:
                st.best = v
            else:
                c = compare_values(v, st.best, skey, ctx)
                if (c < 0) if name == "min" else (c > 0):
                    st.best = v
    kind = "count" if name == "count_star" else name
    out = []
    cum, upto = _AggState(), 0  # frames starting at the partition's first row grow: accumulate
    cache = {}
    for lo, hi in frames:
        if (lo, hi) in cache:
            out.append(cache[(lo, hi)])
            continue
        if lo == 0 and hi >= upto:
            for p in range(upto, hi):
                add(cum, vals[p])
            upto = hi
            st = cum
        else:
            st = _AggState()
            for p in range(lo, hi):
                add(st, vals[p])
        r = _agg_result(kind, st, f.type)
        cache[(lo, hi)] = r
        out.append(r)
    return out
