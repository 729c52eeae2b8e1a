"""Stage 4b: plans -> generators.  ``build(plan)`` compiles once; ``run(ctx)`` per execution.

``build`` turns each plan node into a function ``open(ctx) -> iterator of
row tuples``, with every expression compiled to a closure up front
(sqlserver.engine.expressions), so executing a cached plan allocates only the
generators and the rows.  Operators: point get, pk range scan, key lists (IN),
secondary-index scans (fetching rows by primary key, or covering), full scan,
system-table scan, filter, project, sort, limit, distinct, aggregate
(COUNT/SUM/MIN/MAX/AVG, with or without GROUP BY), row locking (FOR UPDATE),
joins (hash, nested loop, primary-key or secondary-index lookup per outer
row; inner and left),
derived tables, UNION, and subqueries (``compile_nested``).

Subqueries run inside the enclosing execution: a correlated one sets
``ctx.outer`` to its correlation values while it runs (``OuterRef`` reads
them) and restores it after, consuming its rows completely in between so no
suspended generator reads a later value.  Results are memoised in
``ctx.memo`` per execution: once for an uncorrelated subquery, once per
distinct correlation values otherwise.

DML programs (insert/update/delete) are generators too: they yield ``TICK``
once per row they write, which lets the async driver hand the event loop to
other connections during long statements (sqlserver.engine.driver), and put
their outcome in ``ctx.result``.

All reads of a statement go through the TableState its transaction holds,
whose maps are frozen until the statement ends, so an UPDATE never sees its
own writes (no Halloween problem).
"""

from __future__ import annotations

import datetime
import decimal
import time
from functools import cmp_to_key

from sqlserver.engine import constraints, timezones, upsert
from sqlserver.engine.grouping import accumulate
from sqlserver.enumset import EnumValue
from sqlserver.engine.expressions import (
    _DEC_CTX, compare_values, compile_condition, compile_expr, to_number, truth,
)
from sqlserver.engine.plan import (
    Aggregate, Delete, Derived, Distinct, Filter, IndexJoin, Insert, Join, Limit, LockRows, OneRow, OuterRef,
    Project, Query, Scan, SetOp, Sort, Subquery, SystemScan, Update,
)
from sqlserver.engine.results import Ok
from sqlserver.engine.sql_mode import WriteMode
from sqlserver.errors import SQLError
from sqlserver.sqltypes import SqlType
from storage.collation import DEFAULT_COLLATION, get_collation

TICK = object()  # yielded by DML programs once per row written


class ExecContext:
    """Everything one execution of a plan reads besides its rows."""

    __slots__ = ("state", "params", "slots", "_now", "result", "_tables", "outer", "memo", "insert_id_arg",
                 "deadline", "_seen")

    def __init__(self, state, params, slots=None):
        self.state = state
        self.params = params
        self.slots = slots or {}
        self._now = None
        self.result = None
        self._tables = {}
        self.outer = ()  # correlation values of the subquery running now (OuterRef reads them)
        self.memo = None  # subquery results of this execution, made on first use
        self.insert_id_arg = None  # LAST_INSERT_ID(expr)'s value when the statement called it (the OK packet's id)
        self.deadline = None  # time.monotonic() past which a SELECT stops (max_execution_time), None: no limit
        self._seen = 0  # rows scanned since the last deadline check

    @property
    def now(self) -> datetime.datetime:
        """The statement's time in the session's time zone (NOW(), CURRENT_TIMESTAMP, ...): read on first
        use, then fixed for the statement."""
        now = self._now
        if now is None:
            now = self._now = timezones.now(self.state)
        return now

    def check_deadline(self) -> None:
        """3024 once the statement's max_execution_time has passed (called only when ``deadline`` is set:
        by scans every ``DEADLINE_ROWS`` rows, by joins per outer row, by the driver per tick)."""
        if time.monotonic() > self.deadline:
            raise SQLError(3024, "HY000", "Query execution was interrupted, maximum statement execution time "
                                          "exceeded")

    def warn(self, code: int, message: str, level: str = "Warning") -> None:
        self.state.warnings.append((level, code, message))

    def transaction(self, db):
        return self.state.transaction(db if db is not None else self.state.require_db())

    def table(self, ref):
        key = ref.db, ref.name, ref.revision
        ts = self._tables.get(key)
        if ts is None:
            txn = self.transaction(ref.db)
            ts = self._tables[key] = txn.table(ref.name) if ref.revision is None else \
                txn.table_as_of(ref.name, ref.revision)
        return ts


# --- key conversion for point gets / ranges ------------------------------------------------


class _NoBound(Exception):
    """The bound cannot be expressed as a key of the column type: scan everything instead."""


class _Empty(Exception):
    """No row can match (a NULL bound, or 2.5 = int column)."""


def key_value(t: SqlType, v, equality: bool):
    if v is None:
        raise _Empty
    if t.name == "enum" or t.name == "set":
        return _enum_key_value(t, v, equality)
    if t.is_integer:
        if isinstance(v, bool):
            v = int(v)
        if isinstance(v, str):
            s = v.strip()
            if not s.lstrip("+-").isdigit():
                raise _NoBound
            v = int(s)
        if isinstance(v, (float, decimal.Decimal)):
            if v != v or v in (float("inf"), float("-inf")):
                raise _NoBound
            if v != int(v):
                if equality:
                    raise _Empty
                raise _NoBound
            v = int(v)
        if not isinstance(v, int):
            raise _NoBound
        lo, hi = t.int_range()
        if not lo <= v <= hi:
            if equality:
                raise _Empty
            raise _NoBound
        return v
    if t.is_string:
        if not isinstance(v, str):
            raise _NoBound
        if t.name == "char":
            v = v.rstrip(" ")
        return v
    if t.name == "decimal":
        try:
            d = decimal.Decimal(v) if not isinstance(v, float) else decimal.Decimal(repr(v))
        except (decimal.InvalidOperation, TypeError, ValueError):
            raise _NoBound from None
        if not d.is_finite():
            raise _NoBound
        if equality and d != d.quantize(decimal.Decimal(1).scaleb(-t.scale), context=_DEC_CTX):
            raise _Empty
        if not equality:
            raise _NoBound  # range bounds on decimals: let the filter decide (scale rounding)
        return d
    if t.name in ("float", "double"):
        if isinstance(v, (int, float, decimal.Decimal)):
            return float(v)
        raise _NoBound
    try:
        return t.coerce(v)
    except SQLError:
        raise _NoBound from None


def _enum_key_value(t: SqlType, v, equality: bool):
    """An ENUM/SET key (ordered by number) for an equality with ``v``: a string compares with the member
    text under the column's collation, a number with the index/bitmask.  Ranges: the filter decides
    (string order is not key order)."""
    if not equality:
        raise _NoBound
    from sqlserver import enumset

    m = enumset.members(t)
    if isinstance(v, (bytes, str)):
        text = v.decode("utf-8", "replace") if isinstance(v, bytes) else v
        n = m.number_of(text)
        if n is None:
            if m.is_set or m.key(text) != m.key(""):
                raise _Empty
            n = 0  # '' is the ENUM's error value, index 0
        found = m.of_number(n)
        if m.key(found) != m.key(text):  # '2' names member 2 on assignment, not in a comparison
            raise _Empty
        return found
    if isinstance(v, (int, float, decimal.Decimal)) and not isinstance(v, bool) or type(v) is bool:
        if v != int(v):
            raise _Empty
        n = int(v)
        if n < 0 or (n > m.max_mask if m.is_set else n > len(m.values)):
            raise _Empty
        return m.of_number(n)
    raise _NoBound


def _key_types(ref, index: str):
    """(column types, KeyCodec over them) of the primary key or of secondary index ``index``."""
    from sqlserver.engine.optimizer import table_codec

    codec = table_codec(ref.schema)
    if not index:
        return [codec.types[p] for p in codec.pk], codec.key
    ix = next(i for i in codec.indexes if i.name == index)
    return [codec.types[p] for p in ix.columns], ix.prefix


def _in_scan(node: Scan, types, key_codec):
    """IN lists: each distinct key once, in key order (reversed for ``reverse``)."""
    ref, reverse, index, covering = node.table, node.reverse, node.index, node.covering
    keys_f = [[compile_expr(e) for e in k] for k in node.keys]
    whole = not index and len(node.keys[0]) == len(types)

    def rows(ts, keys):
        for key in keys:
            if whole:
                row = ts.get(key)
                if row is not None:
                    yield row
            elif index:
                yield from ts.scan_index(index, key, key, reverse=reverse, covering=covering)
            else:
                yield from ts.scan(key, key, reverse=reverse)

    def run(ctx):
        ts = ctx.table(ref)
        found = {}
        for fns in keys_f:
            try:
                key = tuple([key_value(types[i], f((), ctx), True) for i, f in enumerate(fns)])
                found[key_codec.encode_prefix(key)] = key
            except _Empty:
                continue
            except (_NoBound, ValueError):
                return ts.scan(reverse=reverse)
        return rows(ts, [found[k] for k in sorted(found, reverse=reverse)])
    return run


def _scan(node: Scan):
    ref, access, reverse = node.table, node.access, node.reverse
    index, covering = node.index, node.covering
    pk_types, key_codec = _key_types(ref, index)
    if access == "in":
        return _in_scan(node, pk_types, key_codec)
    if access == "full":
        return lambda ctx: _watched(ctx.table(ref).scan(reverse=reverse), ctx)
    if node.exact is None:
        fallback = lambda rows, ctx: rows  # noqa: E731
    else:
        exact = compile_condition(node.exact)  # conjuncts the bounds implement: re-applied only on a full scan
        fallback = lambda rows, ctx: (row for row in rows if exact(row, ctx))  # noqa: E731
    if access == "point":  # one row, unless the key cannot be built and it falls back to a full scan
        return _bounded_scan(node, pk_types, lambda rows, ctx: _watched(fallback(rows, ctx), ctx))
    return _watched_scan(_bounded_scan(node, pk_types, fallback))


DEADLINE_ROWS = 1024  # scanned rows between two max_execution_time checks


def _watched(rows, ctx):
    """``rows``, checking the statement's deadline every DEADLINE_ROWS rows (as is, without a deadline)."""
    if ctx.deadline is None:
        return rows
    return _watching(rows, ctx)


def _watching(rows, ctx):
    for row in rows:
        ctx._seen += 1
        if ctx._seen >= DEADLINE_ROWS:
            ctx._seen = 0
            ctx.check_deadline()
        yield row


def _watched_scan(scan):
    return lambda ctx: _watched(scan(ctx), ctx)


def _range_bound(t: SqlType, v, lower: bool):
    """The key value bounding the range column, None for no bound on this side; clamps integers:
    an integer bound past the column's range is no bound (or an empty range), never a full scan."""
    if t.is_integer and v.__class__ is int:
        lo, hi = t.int_range()
        if v < lo:
            if lower:
                return None
            raise _Empty
        if v > hi:
            if lower:
                raise _Empty
            return None
        return v
    return key_value(t, v, False)


def _bounded_scan(node: Scan, pk_types, fallback):
    """Point gets and ranges; ``fallback(rows, ctx)`` filters the full scan taken when a bound value
    cannot become a key."""
    ref, access, reverse = node.table, node.access, node.reverse
    index, covering = node.index, node.covering
    if access == "point":
        fns = [compile_expr(e) for e in node.lo]
        if len(fns) == 1:
            (f0,), (t0,) = fns, pk_types[:1]

            def point1(ctx):
                ts = ctx.table(ref)
                try:
                    k = key_value(t0, f0((), ctx), True)
                except _Empty:
                    return iter(())
                except _NoBound:
                    return fallback(ts.scan(), ctx)
                row = ts.get((k,))
                return iter(()) if row is None else iter((row,))
            return point1

        def point(ctx):
            ts = ctx.table(ref)
            try:
                key = tuple(key_value(t, f((), ctx), True) for t, f in zip(pk_types, fns))
            except _Empty:
                return iter(())
            except _NoBound:
                return fallback(ts.scan(), ctx)
            row = ts.get(key)
            return iter(()) if row is None else iter((row,))
        return point

    lo_f = None if node.lo is None else [compile_expr(e) for e in node.lo]
    hi_f = None if node.hi is None else [compile_expr(e) for e in node.hi]
    n_eq = 0
    if node.lo is not None and node.hi is not None:
        while n_eq < min(len(node.lo), len(node.hi)) and node.lo[n_eq] is node.hi[n_eq]:
            n_eq += 1
    lo_inc, hi_inc = node.lo_inclusive, node.hi_inclusive

    def bound(ctx, fns, lower: bool):
        if fns is None:
            return None, True
        vals = [key_value(pk_types[i], f((), ctx), True) if i < n_eq else
                _range_bound(pk_types[i], f((), ctx), lower) for i, f in enumerate(fns)]
        if len(vals) > n_eq and vals[n_eq] is None:  # clamped away: only the equality prefix bounds
            return (tuple(vals[:n_eq]) or None), True
        return tuple(vals), (lo_inc if lower else hi_inc)

    def rng(ctx):
        ts = ctx.table(ref)
        try:
            lo, lo_i = bound(ctx, lo_f, True)
            hi, hi_i = bound(ctx, hi_f, False)
        except _Empty:
            return iter(())
        except _NoBound:
            return fallback(ts.scan(reverse=reverse), ctx)
        if index:
            return ts.scan_index(index, lo, hi, lo_inclusive=lo_i, hi_inclusive=hi_i, reverse=reverse,
                                 covering=covering)
        return ts.scan(lo, hi, lo_inclusive=lo_i, hi_inclusive=hi_i, reverse=reverse)
    return rng


def _filter(node: Filter):
    src, cond = build_node(node.input), compile_condition(node.cond)

    def run(ctx):
        for row in src(ctx):
            if cond(row, ctx):
                yield row
    return run


def _project(node: Project):
    src = build_node(node.input)
    fns = [compile_expr(e) for e in node.exprs]
    from sqlserver.engine.plan import Col

    if all(isinstance(e, Col) for e in node.exprs):
        idx = [e.index for e in node.exprs]
        if len(idx) == 1:
            i0 = idx[0]
            return lambda ctx: ((row[i0],) for row in src(ctx))
        import operator

        getter = operator.itemgetter(*idx)
        return lambda ctx: (getter(row) for row in src(ctx))
    return lambda ctx: (tuple([f(row, ctx) for f in fns]) for row in src(ctx))


def _sort_key_fn(keys):
    fns = [(_enum_number(compile_expr(e)) if e.type is not None and e.type.name in ("enum", "set")
            else compile_expr(e), desc,
            get_collation(e.type.collation if e.type is not None and e.type.collation
                          else DEFAULT_COLLATION).sort_key) for e, desc in keys]

    def make(ctx):
        def cmp(a, b):
            for (fn, desc, skey), va, vb in zip(fns, a[0], b[0]):
                if va is None or vb is None:
                    c = (va is not None) - (vb is not None)  # NULL sorts first ascending
                else:
                    c = compare_values(va, vb, skey, ctx)
                if c:
                    return -c if desc else c
            return 0
        return cmp
    return fns, make


def _enum_number(fn):
    """ORDER BY an ENUM/SET expression sorts by the index / bitmask, not by the text."""
    def number(row, ctx):
        v = fn(row, ctx)
        return v.number if type(v) is EnumValue else v
    return number


def _sort(node: Sort):
    src = build_node(node.input)
    fns, make = _sort_key_fn(node.keys)

    def run(ctx):
        decorated = [([f(row, ctx) for f, _, _ in fns], row) for row in src(ctx)]
        # A key column holding only strings compares by collation sort keys: compute each
        # row's key once (bytes compare bytewise) instead of twice per comparison.
        for i, (_, _, skey) in enumerate(fns):
            if all(type(d[0][i]) is str for d in decorated if d[0][i] is not None):
                for d in decorated:
                    v = d[0][i]
                    if v is not None:
                        d[0][i] = skey(v)
        if not _sort_by_keys(decorated, [desc for _, desc, _ in fns]):
            decorated.sort(key=cmp_to_key(make(ctx)))
        return (row for _, row in decorated)
    return run


_NUMBERS = (int, float, decimal.Decimal)  # bool is an int


def _sort_by_keys(decorated: list, descs: list) -> bool:
    """Sort ``decorated`` ([(key values, row)]) with plain key functions when every key column holds
    values Python orders as MySQL does: numbers, or one type among bytes (strings are collation sort
    keys by now), dates, datetimes, times.  One stable pass per column, last column first, each
    ascending or reversed (NULLs first ascending, last descending, as in MySQL).  False (nothing
    done) for mixed columns: the comparison-function sort handles those."""
    for i in range(len(descs)):
        kinds = {type(d[0][i]) for d in decorated}
        kinds.discard(type(None))
        if len(kinds) > 1 and not all(k in _NUMBERS for k in kinds):
            return False
        if kinds and not kinds <= {int, float, decimal.Decimal, bool, bytes, datetime.date, datetime.datetime,
                                   datetime.timedelta}:
            return False
    for i in range(len(descs) - 1, -1, -1):
        decorated.sort(key=lambda d, i=i: (False, 0) if d[0][i] is None else (True, d[0][i]), reverse=descs[i])
    return True


def _limit(node: Limit):
    src = build_node(node.input)
    lf = None if node.limit is None else compile_expr(node.limit)
    of = None if node.offset is None else compile_expr(node.offset)

    def run(ctx):
        limit = None if lf is None else _count(lf((), ctx))
        offset = 0 if of is None else _count(of((), ctx))
        if limit == 0:
            return
        n = 0
        for row in src(ctx):
            if offset:
                offset -= 1
                continue
            yield row
            n += 1
            if limit is not None and n >= limit:
                return
    return run


def _count(v) -> int:
    if not isinstance(v, int) or v < 0:
        raise SQLError(1210, "HY000", "Incorrect arguments to LIMIT")
    return v


def _distinct(node: Distinct):
    src = build_node(node.input)
    key = dedup_key_for(node.collations)

    def run(ctx):
        seen = set()
        for row in src(ctx):
            k = key(row)
            if k not in seen:
                seen.add(k)
                yield row
    return run


def _lock_rows(node: LockRows):
    src, ref = build_node(node.input), node.table

    def run(ctx):
        ts = ctx.table(ref)
        for row in src(ctx):
            ts.lock(row)
            yield row
    return run


def _one_row(node):
    return lambda ctx: iter(((),))


def _system_scan(node: SystemScan):
    from sqlserver.engine import system_tables

    return lambda ctx: iter(system_tables.rows(node.name, ctx, node.db))


# --- joins ------------------------------------------------------------------------------------


def _key_normaliser(kind: str):
    """Hash-join key kinds: values equal under MySQL's comparison get equal keys (planner picks the kind)."""
    if kind == "float":
        return lambda v: float(v) if not isinstance(v, (str, bytes)) else float(to_number(v))
    if kind.startswith("str:"):
        from sqlserver.engine.expressions import to_text

        skey = get_collation(kind[4:]).sort_key
        return lambda v: skey(v) if isinstance(v, str) else skey(to_text(v))
    return None  # 'num' (int/DECIMAL compare exactly in Python, with equal hashes) and 'raw'


def _key_fn(fns, norms):
    if len(fns) == 1:
        f, n = fns[0], norms[0]
        if n is None:
            return f  # None stays None: matches nothing

        def one(row, ctx):
            v = f(row, ctx)
            return None if v is None else n(v)
        return one

    def many(row, ctx):
        out = []
        for f, n in zip(fns, norms):
            v = f(row, ctx)
            if v is None:
                return None
            out.append(v if n is None else n(v))
        return tuple(out)
    return many


def _join(node: Join):
    left, right = build_node(node.left), build_node(node.right)
    cond = None if node.cond is None else compile_condition(node.cond)
    pad = (None,) * node.right_width
    outer = node.kind == "left"
    if node.left_keys:
        norms = [_key_normaliser(k) for k in node.key_kinds]
        lkey = _key_fn([compile_expr(e) for e in node.left_keys], norms)
        rkey = _key_fn([compile_expr(e) for e in node.right_keys], norms)

        def hash_join(ctx):
            table = None
            watch = ctx.deadline is not None
            for lrow in left(ctx):
                if watch:
                    ctx.check_deadline()
                if table is None:  # built on the first left row: an empty left side never reads the right
                    table = {}
                    for r in right(ctx):
                        k = rkey(r, ctx)
                        if k is not None:
                            bucket = table.get(k)
                            if bucket is None:
                                table[k] = [r]
                            else:
                                bucket.append(r)
                    if not table and not outer:
                        return
                k = lkey(lrow, ctx)
                matched = False
                if k is not None:
                    for r in table.get(k, ()):
                        row = lrow + r
                        if cond is None or cond(row, ctx):
                            matched = True
                            yield row
                if outer and not matched:
                    yield lrow + pad
        return hash_join

    def nested_loop(ctx):
        rows = None
        watch = ctx.deadline is not None
        for lrow in left(ctx):
            if watch:
                ctx.check_deadline()
            if rows is None:
                rows = list(right(ctx))
                if not rows and not outer:
                    return
            matched = False
            for r in rows:
                row = lrow + r
                if cond is None or cond(row, ctx):
                    matched = True
                    yield row
            if outer and not matched:
                yield lrow + pad
    return nested_loop


def _index_join(node: IndexJoin):
    left, ref, index = build_node(node.left), node.table, node.index
    key_types, _ = _key_types(ref, index)
    fns = [compile_expr(e) for e in node.keys]
    cond = None if node.cond is None else compile_condition(node.cond)
    pad = (None,) * node.right_width
    outer = node.kind == "left"
    keyed = list(zip(key_types, fns))

    def run(ctx):
        ts = ctx.table(ref)
        get = ts.get
        watch = ctx.deadline is not None
        for lrow in left(ctx):
            if watch:
                ctx.check_deadline()
            try:
                key = tuple([key_value(t, f(lrow, ctx), True) for t, f in keyed])
                if index:
                    candidates = ts.scan_index(index, key, key)
                else:
                    r = get(key)
                    candidates = () if r is None else (r,)
            except _Empty:
                candidates = ()
            except _NoBound:
                candidates = ts.scan()
            matched = False
            for r in candidates:
                row = lrow + r
                if cond is None or cond(row, ctx):
                    matched = True
                    yield row
            if outer and not matched:
                yield lrow + pad
    return run


def _derived(node: Derived):
    return build_node(node.query.root)


_DEFAULT_SORT_KEY = get_collation(DEFAULT_COLLATION).sort_key


def _dedup_key(row):
    """Rows equal under MySQL's comparison (strings by the default collation) share this key."""
    return tuple((0, _DEFAULT_SORT_KEY(v)) if v.__class__ is str else v for v in row)


def dedup_key_for(collations: tuple):
    """The dedup key for rows whose string columns compare under ``collations`` (per column, None:
    the default); strings become (0, sort key) so they never collide with byte-string values."""
    if not any(collations):
        return _dedup_key
    keys = [get_collation(c).sort_key if c else _DEFAULT_SORT_KEY for c in collations]
    n = len(keys)

    def key(row):
        return tuple((0, keys[i](v) if i < n else _DEFAULT_SORT_KEY(v)) if v.__class__ is str else v
                     for i, v in enumerate(row))
    return key


def _set_op(node: SetOp):
    srcs = [build_node(n) for n in node.inputs_]
    key = dedup_key_for(node.collations)
    if node.kinds:
        return _set_fold(srcs, node.kinds, node.distinct, key)
    # MySQL: a UNION DISTINCT removes duplicates from everything to its left too
    last_distinct = max((i + 1 for i, d in enumerate(node.distinct) if d), default=-1)

    def run(ctx):
        seen = set()
        for i, src in enumerate(srcs):
            if i <= last_distinct:
                for row in src(ctx):
                    k = key(row)
                    if k not in seen:
                        seen.add(k)
                        yield row
            else:
                yield from src(ctx)
    return run


def _distinct_rows(rows, key):
    seen, out = set(), []
    for row in rows:
        k = key(row)
        if k not in seen:
            seen.add(k)
            out.append(row)
    return out


def _set_fold(srcs, kinds, distinct, key):
    """A chain mixing EXCEPT/INTERSECT with UNION: each step combines the materialised result so far
    with the next input (the right side is read only when the left is not empty)."""
    steps = list(zip(srcs[1:], kinds, distinct))
    first = srcs[0]

    def run(ctx):
        acc = list(first(ctx))
        for src, kind, dist in steps:
            if kind == "union":
                acc.extend(src(ctx))
            elif not acc:
                continue  # nothing to remove from or intersect with: skip reading the right side
            elif dist:
                right = {key(r) for r in src(ctx)}
                keep = kind == "intersect"
                acc = [r for r in acc if (key(r) in right) is keep]
            else:
                counts: dict = {}
                for r in src(ctx):
                    k = key(r)
                    counts[k] = counts.get(k, 0) + 1
                out = []
                for r in acc:
                    k = key(r)
                    n = counts.get(k, 0)
                    if n:
                        counts[k] = n - 1
                    if bool(n) is (kind == "intersect"):
                        out.append(r)
                acc = out
            if dist:
                acc = _distinct_rows(acc, key)
        return iter(acc)
    return run


# --- subqueries ---------------------------------------------------------------------------------

_NONE = object()


class _ValueSet:
    """The first column of a subquery's rows, for IN / ANY / ALL."""

    __slots__ = ("values", "empty", "has_null", "ints", "keys")

    def __init__(self, values, sort_key):
        nonnull = [v for v in values if v is not None]
        self.empty = not values
        self.has_null = len(nonnull) != len(values)
        self.values = nonnull
        self.ints = set(nonnull) if all(type(v) is int for v in nonnull) else None
        self.keys = {sort_key(v) for v in nonnull} if all(type(v) is str for v in nonnull) else None

    def contains(self, a, sort_key, ctx) -> bool:
        if type(a) is int and self.ints is not None:
            return a in self.ints
        if type(a) is str and self.keys is not None:
            return sort_key(a) in self.keys
        return any(compare_values(a, v, sort_key, ctx) == 0 for v in self.values)


_TESTS = {"=": lambda c: c == 0, "<>": lambda c: c != 0, "<": lambda c: c < 0, "<=": lambda c: c <= 0,
          ">": lambda c: c > 0, ">=": lambda c: c >= 0}


def compile_nested(e):
    """Closures for the expressions only the executor can evaluate: ``Subquery`` and ``OuterRef``."""
    if isinstance(e, OuterRef):
        k = e.slot
        return lambda row, ctx: ctx.outer[k]
    assert isinstance(e, Subquery)
    program = build_node(e.query.root)
    kind = e.kind
    from sqlserver.engine.expressions import collation_of

    sort_key = None
    if e.operand is not None:
        col_type = e.query.columns[0].sqltype if e.query.columns else None
        sort_key = get_collation(collation_of(e.operand.type, col_type)).sort_key

    if kind == "scalar":
        def produce(ctx):
            it = iter(program(ctx))
            first = next(it, _NONE)
            if first is _NONE:
                return None
            if next(it, _NONE) is not _NONE:
                raise SQLError(1242, "21000", "Subquery returns more than 1 row")
            return first[0]
    elif kind == "exists":
        def produce(ctx):
            return 0 if next(iter(program(ctx)), _NONE) is _NONE else 1
    else:
        def produce(ctx):
            return _ValueSet([r[0] for r in program(ctx)], sort_key)

    outer_fns = [compile_expr(a) for a in e.outer]
    token = object()  # this subquery's key in ctx.memo

    if not outer_fns:
        def result(row, ctx):
            memo = ctx.memo
            if memo is None:
                memo = ctx.memo = {}
            r = memo.get(token, _NONE)
            if r is _NONE:
                r = memo[token] = produce(ctx)
            return r
    else:
        def result(row, ctx):
            vals = tuple([f(row, ctx) for f in outer_fns])
            memo = ctx.memo
            if memo is None:
                memo = ctx.memo = {}
            cache = memo.get(token)
            if cache is None:
                cache = memo[token] = {}
            key = vals + tuple(map(type, vals))  # 1 and 1.0 and '1' are different correlation values
            try:
                r = cache.get(key, _NONE)
            except TypeError:  # an unhashable value: no memo
                key, r = None, _NONE
            if r is _NONE:
                saved = ctx.outer
                ctx.outer = vals
                try:
                    r = produce(ctx)
                finally:
                    ctx.outer = saved
                if key is not None:
                    cache[key] = r
            return r

    if kind in ("scalar", "exists"):
        return result
    operand = compile_expr(e.operand)
    if kind == "in":
        def in_(row, ctx):
            vs = result(row, ctx)
            if vs.empty:
                return 0
            a = operand(row, ctx)
            if a is None:
                return None
            if vs.contains(a, sort_key, ctx):
                return 1
            return None if vs.has_null else 0
        return in_
    quant, op = kind.split(":")
    test, is_all = _TESTS[op], quant == "all"

    def quantified(row, ctx):
        vs = result(row, ctx)
        if vs.empty:
            return 1 if is_all else 0
        a = operand(row, ctx)
        if a is None:
            return None
        for v in vs.values:
            if test(compare_values(a, v, sort_key, ctx)) != is_all:
                return 0 if is_all else 1
        if vs.has_null:
            return None
        return 1 if is_all else 0
    return quantified


class _AggState:
    __slots__ = ("count", "total", "best", "seen")

    def __init__(self):
        self.count, self.total, self.best, self.seen = 0, None, None, None


def _aggregate(node: Aggregate):
    src = build_node(node.input)
    gfns = [compile_expr(g) for g in node.groups]
    specs = []
    for a in node.aggs:
        fn = None if a.arg is None else compile_expr(a.arg)
        t = a.arg.type if a.arg is not None else None
        skey = get_collation(t.collation if t is not None and t.collation else DEFAULT_COLLATION).sort_key
        specs.append((a.func, fn, a.distinct, skey, a.type))

    def run(ctx):
        groups: dict = {}
        for row in src(ctx):
            gk = tuple(f(row, ctx) for f in gfns)
            k = tuple(v.lower() if isinstance(v, str) else v for v in gk)
            entry = groups.get(k)
            if entry is None:
                entry = groups[k] = (gk, [_AggState() for _ in specs])
            for (func, fn, distinct, skey, _), st in zip(specs, entry[1]):
                if fn is None:
                    st.count += 1
                    continue
                v = fn(row, ctx)
                if v is not None:
                    accumulate(func, st, v, distinct, skey, ctx)
        if not groups and not gfns:
            groups[()] = ((), [_AggState() for _ in specs])
        for gk, states in groups.values():
            out = list(gk)
            for (func, fn, distinct, skey, t), st in zip(specs, states):
                out.append(_agg_result(func, st, t))
            yield tuple(out)
    return run


def _agg_result(func, st: _AggState, t: SqlType | None):
    if func in ("count", "count_star"):
        return st.count
    if func in ("min", "max"):
        return st.best
    if st.total is None:
        return None
    if t is not None and t.name == "double":
        total = float(st.total)
        return total if func == "sum" else total / st.count
    total = decimal.Decimal(st.total) if not isinstance(st.total, float) else decimal.Decimal(repr(st.total))
    q = decimal.Decimal(1).scaleb(-(t.scale if t is not None else 0))
    if func == "sum":
        return total.quantize(q, context=_DEC_CTX)
    return _DEC_CTX.divide(total, st.count).quantize(q, context=_DEC_CTX)


_BUILDERS = {
    Scan: _scan, Filter: _filter, Project: _project, Sort: _sort, Limit: _limit, Distinct: _distinct,
    LockRows: _lock_rows, OneRow: _one_row, SystemScan: _system_scan, Aggregate: _aggregate,
    Join: _join, IndexJoin: _index_join, Derived: _derived, SetOp: _set_op,
}


def build_node(node):
    return _BUILDERS[type(node)](node)


# --- statements ------------------------------------------------------------------------------


def build(plan):
    """A function ``run(ctx) -> iterator``: result rows for a Query, TICKs for DML."""
    if isinstance(plan, Query):
        return build_node(plan.root)
    if isinstance(plan, Insert):
        return _insert(plan)
    if isinstance(plan, Update):
        return _update(plan)
    if isinstance(plan, Delete):
        return _delete(plan)
    raise TypeError(plan)


_MISSING = object()


def column_defaults(schema, types):
    """Per column: a function ctx -> default value, or _MISSING (no default)."""
    from sqlserver.engine.ddl import default_value

    out = []
    for c, t in zip(schema.columns, types):
        if c.default is None:
            out.append(None if c.nullable or c.auto_increment else _MISSING)
        else:
            out.append(default_value(c.default, t))
    return out


def _insert(plan: Insert):
    ref = plan.table
    rows = [[None if e is None else compile_expr(e) for e in r] for r in plan.rows]
    source = None if plan.source is None else build_node(plan.source)
    positions = plan.columns
    schema = ref.schema
    names = [c.name for c in schema.columns]
    nullable = [c.nullable for c in schema.columns]
    autos = [i for i, c in enumerate(schema.columns) if c.auto_increment]
    from sqlserver.engine.planner import HIDDEN_PK

    hidden = schema.position(HIDDEN_PK)
    shown = next((a for a in autos if a != hidden), None)  # the user's AUTO_INCREMENT column (one at most)
    on_duplicate = plan.on_duplicate
    updates = [(p, compile_expr(e)) for p, e in plan.updates]
    # MySQL sends the info line for INSERT ... SELECT and multi-row VALUES, not for one row
    info = source is not None or len(rows) > 1

    memo = [None, None]  # (types, defaults): the column defaults, made once per table version

    def run(ctx):
        ts = ctx.table(ref)
        types = ts.types
        guarded = bool(ts.schema.checks or ts.schema.foreign_keys)  # constraints hook
        if memo[0] is not types:
            memo[1] = column_defaults(schema, types)
            memo[0] = types
        defaults = memo[1]
        first_id = 0  # the first generated id of a row that was stored: LAST_INSERT_ID() and the OK packet's id
        last_value = 0  # the AUTO_INCREMENT value of the last row written: the OK packet's id otherwise
        spare = None  # a generated id whose row was not stored: the next row takes it (restore_auto_increment)
        n = 0
        # MySQL's counters (COPY_INFO::stats): rows that reached the write, rows stored (inserted, replaced
        # or changed by the UPDATE), rows deleted by REPLACE, rows changed by ON DUPLICATE KEY UPDATE
        records = copied = deleted = updated = 0
        # INSERT ... SELECT reading its own table sees the statement-start version (TableState reads)
        inputs = rows if source is None else source(ctx)
        writes = WriteMode(ctx, on_duplicate == "ignore")  # strict sql_mode hook (sqlserver.engine.sql_mode)
        for rownum, fns in enumerate(inputs, 1):
            mark = len(ctx.state.warnings)
            row = [d(ctx) if callable(d) else d for d in defaults]
            if source is None:
                for p, f in zip(positions, fns):
                    if f is not None:
                        row[p] = f((), ctx)
            else:
                for p, v in zip(positions, fns):
                    row[p] = v
            writes.check_divisions(ctx, mark)
            generate = []
            for a in autos:
                v = row[a]
                if v is None or v == 0 and not isinstance(v, str):
                    generate.append(a)
            if on_duplicate == "ignore":  # INSERT IGNORE hook: errors become warnings (engine.upsert)
                upsert.coerce_leniently(row, types, names, nullable, generate, rownum, ctx, _MISSING)
            for i, v in enumerate(row):
                if v is _MISSING:
                    raise SQLError.of("NO_DEFAULT_FOR_FIELD", names[i])
                if v is None:
                    if not nullable[i] and i not in generate:
                        raise SQLError.of("BAD_NULL", names[i])
                    continue
                if i in generate:
                    continue
                row[i] = writes.store(types[i], v, names[i], rownum, ctx)
            # auto-increment values are taken only once the row is valid (MySQL hands them out at write time)
            generated = None
            for a in autos:
                if a in generate:
                    if a == shown and spare is not None:
                        v, spare = spare, None
                    else:
                        v = ts.next_auto_increment()
                    row[a] = v
                    if a == shown:
                        generated = v
                else:
                    ts.observe_auto_increment(row[a])
                    if a == shown and spare is not None and isinstance(row[a], int) and row[a] >= spare:
                        spare = None  # an explicit value at or past it moves the next id on
            if guarded and on_duplicate != "update" and \
                    not constraints.inserting(ctx, ref.db, ts, tuple(row), on_duplicate == "ignore"):
                # constraints hook (sqlserver.engine.constraints): INSERT IGNORE skipped the row; a CHECK is
                # evaluated before the write (the row is not counted), a foreign key during it
                if ctx.state.warnings[-1][1] != 3819:
                    records += 1
                    if shown is not None:
                        last_value = row[shown]
                elif shown is not None and source is None:
                    last_value = 0 if generated is not None else row[shown]
                if generated is not None:
                    spare = generated
                yield TICK
                continue
            records += 1
            final = row
            if on_duplicate == "error":
                ts.insert(tuple(row))
                n += 1
                stored = True
            elif on_duplicate == "replace":
                k = ts.replace(tuple(row))  # MySQL counts the deleted rows too
                n += k
                deleted += k - 1
                stored = True
            elif on_duplicate == "update":  # ON DUPLICATE KEY UPDATE hook (sqlserver.engine.upsert)
                k, final = upsert.insert_or_update(ctx, ref.db, ts, tuple(row), updates, rownum)
                n += k
                stored = k == 1
                if k == 2:  # an update that changed the row: counted as written, not as inserted
                    updated += 1
                    copied += 1
            else:
                stored = bool(ts.insert_ignore(tuple(row), ctx.warn))
                n += stored
            if stored:
                copied += 1
                if generated is not None and not first_id:
                    first_id = generated
            elif generated is not None:
                spare = generated  # an ignored or updated row gives its generated id back
            if shown is not None:
                # VALUES: the last row's value, an updated row's as updated (mysql_insert_id() documents
                # "the last of the inserted or updated values"); INSERT ... SELECT ... ON DUPLICATE KEY
                # UPDATE resets the row buffer after each row, so it reports 0
                last_value = final[shown] if source is None or on_duplicate != "update" else 0
            yield TICK
        if first_id:
            ctx.state.last_insert_id = first_id
        # mysql_insert_id(): the first generated id stored, else LAST_INSERT_ID(expr)'s value, else the
        # AUTO_INCREMENT value of the last row written (explicit values too) when any row was stored
        if first_id:
            insert_id = first_id
        elif ctx.insert_id_arg is not None:
            insert_id = ctx.insert_id_arg
        else:
            insert_id = (last_value if copied else 0) or 0
        if info:
            dups = records - copied if on_duplicate == "ignore" else deleted + updated
            ctx.result = Ok(n, insert_id, 0, f"Records: {records}  Duplicates: {dups}  Warnings: {{w}}")
        else:
            ctx.result = Ok(n, insert_id)
    return run


def _update(plan: Update):
    from sqlserver.engine.planner import DEFAULT_MARKER

    ref = plan.table
    src = build_node(plan.source)
    assigns = [(p, None if getattr(e, "value", None) is DEFAULT_MARKER else compile_expr(e))
               for p, e in plan.assignments]
    schema = ref.schema
    names = [c.name for c in schema.columns]
    nullable = [c.nullable for c in schema.columns]
    autos = {i for i, c in enumerate(schema.columns) if c.auto_increment}

    def run(ctx):
        ts = ctx.table(ref)
        types = ts.types
        defaults = None
        matched = changed = 0
        writes = WriteMode(ctx)  # strict sql_mode hook (sqlserver.engine.sql_mode)
        for rownum, row in enumerate(src(ctx), 1):
            new = list(row)
            mark = len(ctx.state.warnings)
            for p, f in assigns:
                if f is None:
                    if defaults is None:
                        defaults = column_defaults(schema, types)
                    d = defaults[p]
                    v = d(ctx) if callable(d) else (None if d is _MISSING else d)
                else:
                    v = f(new, ctx)
                if v is None:
                    if not nullable[p]:
                        raise SQLError.of("BAD_NULL", names[p])
                else:
                    v = writes.store(types[p], v, names[p], rownum, ctx)
                    if p in autos:
                        ts.observe_auto_increment(v)
                new[p] = v
            writes.check_divisions(ctx, mark)
            matched += 1
            t = tuple(new)
            if t != row:
                constraints.updating(ctx, ref.db, ts, row, t)  # constraints hook
                ts.update(row, t)
                changed += 1
            yield TICK
        # the OK packet's id: LAST_INSERT_ID(expr)'s value when the statement called it (mysql_insert_id())
        ctx.result = Ok(changed, ctx.insert_id_arg or 0, 0,
                        f"Rows matched: {matched}  Changed: {changed}  Warnings: {{w}}")
    return run


def _delete(plan: Delete):
    ref = plan.table
    src = build_node(plan.source)

    def run(ctx):
        ts = ctx.table(ref)
        n = 0
        for row in src(ctx):
            constraints.deleting(ctx, ref.db, ts, row)  # constraints hook
            ts.delete(row)
            n += 1
            yield TICK
        ctx.result = Ok(n)
    return run


__all__ = ["build", "ExecContext", "TICK", "truth"]


# --- hook: WITH RECURSIVE, window functions, ROLLUP/GROUP_CONCAT run in their own modules ---------


def _extension(module: str, fn: str):
    def builder(node):
        import importlib

        return getattr(importlib.import_module("sqlserver.engine." + module), fn)(node)
    return builder


def _register_extensions():
    from sqlserver.engine.plan import GroupAggregate, RecursiveCTE, Window, WorkTable

    _BUILDERS.update({RecursiveCTE: _extension("ctes", "build_recursive"),
                      WorkTable: _extension("ctes", "build_work_table"),
                      Window: _extension("windows", "build_window"),
                      GroupAggregate: _extension("grouping", "build_group_aggregate")})


_register_extensions()
