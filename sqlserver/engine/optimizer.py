"""Stage 3: an ordered list of small rewrite rules over plans.

Each rule is a function ``plan -> plan`` that returns its input unchanged
when it does not apply; ``optimize`` runs them in order.  Rules must keep
results identical: the ones here only change *how* rows are found.

1. ``fold_constants``: operators whose arguments are all constants (not
   parameters: those change between executions of a cached plan) are
   evaluated once.
2. ``choose_access``: WHERE conjuncts that compare key columns with
   constants/parameters (``=``, ``IN (...)``, ranges, BETWEEN) turn a full
   scan into a primary-key point get, a key range (``=``/IN on a key prefix,
   then a range on the next column), a list of keys (IN), or the same over a
   secondary index, whose entries fetch their rows by primary key unless the
   index *covers* the columns the query reads.  The cheapest path wins by a
   fixed selectivity guess per conjunct (``_SEL_*``, ``_FETCH_COST``); plans
   are cached per statement shape, so nothing here looks at literal values.
   The Filter stays above: the executor's key conversion may fall back to a
   full scan, and MySQL's comparison rules (strings vs numbers, collations)
   are then applied by the Filter alone.
3. ``sort_by_primary_key``: ORDER BY a pk prefix (all ASC or all DESC) over a
   scan drops the Sort and scans forward or in reverse, so
   ``ORDER BY id DESC LIMIT 1`` reads one row.

Join order, join methods (including index joins) and predicate pushdown
are decided while planning FROM (sqlserver.engine.joins), which asks
``best_access`` for its estimates.
"""

from __future__ import annotations

import dataclasses

from sqlserver.engine.expressions import T_BIGINT
from sqlserver.engine.plan import (
    Aggregate, Call, Col, Const, Expr, Filter, Limit, LockRows, Node, Param, Project, Scan, Sort,
)

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
        if any(a is not b for a, b in zip(args, e.args)):  # identity: == would compare whole subtrees
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
    if col_type.name in ("enum", "set"):  # equalities only: executor.key_value gives ranges to the filter
        return vt.is_string or vt.is_integer or vt.name in ("decimal", "float", "double")
    return False


# Selectivity guesses (no statistics yet; they only choose between access paths, never change results).
_SEL_EQ = 0.1  # one key column fixed by = (or one value of an IN list)
_SEL_RANGE2 = 0.25  # a range bounded on both sides
_SEL_RANGE1 = 0.4  # a range bounded on one side
_FETCH_COST = 3.0  # an index entry that must fetch its row by primary key costs this many sequential rows
_MAX_IN_KEYS = 1000  # IN-list key combinations past this many: use only the equality prefix
_COVERING_TYPES = frozenset(("tinyint", "smallint", "mediumint", "int", "bigint", "float", "double", "date",
                             "datetime", "timestamp", "time", "year"))  # decode exactly from key bytes


_CODECS: dict[int, tuple] = {}  # id(schema) -> (schema, codec): plans hold their schema objects, so cheap hits


def table_codec(schema):
    """``sqlserver.tables.codec_for(schema)`` without re-encoding a schema object already seen."""
    hit = _CODECS.get(id(schema))
    if hit is not None and hit[0] is schema:
        return hit[1]
    from sqlserver.tables import codec_for

    if len(_CODECS) > 1024:
        _CODECS.clear()
    codec = codec_for(schema)
    _CODECS[id(schema)] = (schema, codec)
    return codec


class _Sargs:
    """What a WHERE clause's conjuncts say about single columns: ``col = v``, ``col IN (...)``, ranges."""

    def __init__(self, cond: Expr, types):
        self.eq: dict[int, Expr] = {}
        self.ins: dict[int, tuple[Expr, ...]] = {}
        self.ranges: dict[int, list[tuple[str, Expr]]] = {}
        for c in conjuncts(cond):
            if not isinstance(c, Call):
                continue
            if c.op in _COMPARISONS and len(c.args) == 2:
                a, b = c.args
                op = c.op
                if isinstance(b, Col) and not isinstance(a, Col):
                    a, b, op = b, a, _COMPARISONS[op]
                if isinstance(a, Col) and a.index < len(types) and _bindable(types[a.index], b):
                    if op == "=":
                        self.eq.setdefault(a.index, b)
                    else:
                        self.ranges.setdefault(a.index, []).append((op, b))
            elif c.op == "between":
                a, lo, hi = c.args
                if isinstance(a, Col) and a.index < len(types) and _bindable(types[a.index], lo) and \
                        _bindable(types[a.index], hi):
                    self.ranges.setdefault(a.index, []).extend([(">=", lo), ("<=", hi)])
            elif c.op == "in" and len(c.args) > 1:
                a = c.args[0]
                if isinstance(a, Col) and a.index < len(types) and \
                        all(_bindable(types[a.index], v) for v in c.args[1:]):
                    self.ins.setdefault(a.index, c.args[1:])


def _key_access(scan: Scan, cols, sargs: _Sargs, unique: bool, primary: bool):
    """The best access over key ``cols`` (positions) given ``sargs``: (Scan, selectivity) or None."""
    lists = []
    for p in cols:
        if p in sargs.eq:
            lists.append((sargs.eq[p],))
        elif p in sargs.ins:
            lists.append(sargs.ins[p])
        else:
            break
    combos = 1
    for values in lists:
        combos *= len(values)
    if combos > _MAX_IN_KEYS:
        lists = lists[:next(i for i, v in enumerate(lists) if len(v) > 1)]
        combos = 1
    n = len(lists)
    full = n == len(cols)
    if combos > 1:
        import itertools

        keys = tuple(itertools.product(*lists))
        sel = combos * (0.0001 if full and unique else _SEL_EQ ** n)
        return dataclasses.replace(scan, access="in", keys=keys), sel
    prefix = tuple(v[0] for v in lists)
    if full and primary:
        return dataclasses.replace(scan, access="point", lo=prefix, hi=None), 0.0001
    if full and unique:
        sel = 0.0001
    else:
        sel = _SEL_EQ ** n
    lo = hi = prefix if prefix else None
    lo_inc = hi_inc = True
    if not full:
        for op, v in sargs.ranges.get(cols[n], ()):
            if op in (">", ">=") and (lo is None or len(lo) == n):
                lo, lo_inc = prefix + (v,), op == ">="
            elif op in ("<", "<=") and (hi is None or len(hi) == n):
                hi, hi_inc = prefix + (v,), op == "<="
        bounded = (lo is not None and len(lo) > n) + (hi is not None and len(hi) > n)
        sel *= (1.0, _SEL_RANGE1, _SEL_RANGE2)[bounded]
    if lo is None and hi is None:
        return None
    return dataclasses.replace(scan, access="range", lo=lo, hi=hi, lo_inclusive=lo_inc, hi_inclusive=hi_inc), sel


def _covers(ix, codec, needed) -> bool:
    if needed is None or ix.lengths:
        return False
    have = ix.columns + codec.pk
    return all(p in have and codec.types[p].name in _COVERING_TYPES for p in needed)


def best_access(scan: Scan, cond: Expr, needed: frozenset | None = None) -> tuple[Scan, float]:
    """The cheapest way to find the rows of ``scan`` that may satisfy ``cond``, and its estimated cost as a
    fraction of a full scan.  ``needed``: the row columns the query reads above (None: all of them)."""
    codec = table_codec(scan.table.schema)
    sargs = _Sargs(cond, codec.types)
    if not (sargs.eq or sargs.ins or sargs.ranges):
        return scan, 1.0
    best, best_cost = scan, 1.0
    if codec.pk:
        found = _key_access(scan, codec.pk, sargs, True, True)
        if found is not None and found[1] < best_cost:
            best, best_cost = found
    for ix in codec.indexes:
        if ix.lengths or ix.columns[0] not in sargs.eq and ix.columns[0] not in sargs.ins and \
                ix.columns[0] not in sargs.ranges:
            continue
        found = _key_access(dataclasses.replace(scan, index=ix.name), ix.columns, sargs, ix.unique, False)
        if found is None:
            continue
        cand, sel = found
        covering = _covers(ix, codec, needed)
        cost = sel if covering else sel * _FETCH_COST
        if cost < best_cost:
            best, best_cost = (dataclasses.replace(cand, covering=True) if covering else cand), cost
    return best, best_cost


def _key_bounds(scan: Scan, cond: Expr) -> Scan:
    """Kept for callers that only ask "is there a key access": the chosen access path."""
    return best_access(scan, cond)[0]


def _columns(exprs, out: set) -> set:
    for e in exprs:
        if isinstance(e, Col):
            out.add(e.index)
        elif e is not None:
            _columns(e.children(), out)
    return out


def _choose(node, needed):
    """Top-down: each Filter over a full Scan gets its best access path; ``needed`` is the set of
    columns of ``node``'s rows read above it (None: unknown, all)."""
    if isinstance(node, Filter) and isinstance(node.input, Scan) and node.input.access == "full":
        cols = None if needed is None else frozenset(_columns((node.cond,), set(needed)))
        scan = best_access(node.input, node.cond, cols)[0]
        if scan is node.input:
            return node
        exact, rest = _split_exact(scan, node.cond)
        if not exact:
            return Filter(scan, node.cond)
        scan = dataclasses.replace(scan, exact=_and(exact))
        return scan if not rest else Filter(scan, _and(rest))
    if isinstance(node, Project):
        below = frozenset(_columns(node.exprs, set()))
    elif isinstance(node, Aggregate):
        below = frozenset(_columns(node.groups + node.aggs, set()))
    elif isinstance(node, Sort) and needed is not None:
        below = frozenset(_columns([k for k, _ in node.keys], set(needed)))
    elif isinstance(node, Filter) and needed is not None:
        below = frozenset(_columns((node.cond,), set(needed)))
    elif isinstance(node, Limit):
        below = needed
    else:
        below = None
    changes = {}
    for f in dataclasses.fields(node):
        v = getattr(node, f.name)
        if isinstance(v, Node):
            nv = _choose(v, below)
        elif f.name in ("source", "root", "query") and dataclasses.is_dataclass(v):
            nv = _choose(v, None)
        elif type(v) is tuple and v and isinstance(v[0], Node):  # SetOp inputs
            nv = tuple(_choose(x, None) for x in v)
            if all(a is b for a, b in zip(nv, v)):
                nv = v
        else:
            continue
        if nv is not v:
            changes[f.name] = nv
    return dataclasses.replace(node, **changes) if changes else node


def _and(parts: list) -> Expr:
    out = parts[0]
    for p in parts[1:]:
        out = Call("and", (out, p), T_BIGINT)
    return out


def _split_exact(scan: Scan, cond: Expr) -> tuple[list, list]:
    """(conjuncts the primary-key bounds of ``scan`` implement exactly, the others).

    Exact means: an integer key column bounded by an integer value, which the
    executor turns into a key bound without ever falling back to a full scan
    (out-of-range values clamp: sqlserver.engine.executor), so the conjunct
    need not be evaluated again per row.  Only the very conjunct whose value
    became the bound counts (``id > 5 AND id > 7`` keeps the one not used).
    """
    if scan.index or scan.access not in ("point", "range"):
        return [], conjuncts(cond)
    codec = table_codec(scan.table.schema)
    pk, types = codec.pk, codec.types
    lo, hi = scan.lo or (), scan.hi or ()
    if scan.access == "point":
        n_eq, rng_lo, rng_hi = len(lo), None, None
    else:
        n_eq = 0
        while n_eq < min(len(lo), len(hi)) and lo[n_eq] is hi[n_eq]:
            n_eq += 1
        rng_lo = lo[n_eq] if len(lo) > n_eq else None
        rng_hi = hi[n_eq] if len(hi) > n_eq else None

    def integer(pos: int, v: Expr) -> bool:
        return types[pos].is_integer and isinstance(v, (Param, Const)) and v.type is not None and \
            v.type.is_integer and not (isinstance(v, Const) and not isinstance(v.value, int))

    def implemented(c) -> bool:
        if not isinstance(c, Call):
            return False
        if c.op == "between" and n_eq < len(pk):
            a, b_lo, b_hi = c.args
            return isinstance(a, Col) and a.index == pk[n_eq] and rng_lo is b_lo and rng_hi is b_hi and \
                scan.lo_inclusive and scan.hi_inclusive and integer(a.index, b_lo) and integer(a.index, b_hi)
        if c.op not in _COMPARISONS or len(c.args) != 2:
            return False
        a, v = c.args
        op = c.op
        if isinstance(v, Col) and not isinstance(a, Col):
            a, v, op = v, a, _COMPARISONS[op]
        if not isinstance(a, Col) or not integer(a.index, v):
            return False
        if op == "=":
            return any(a.index == pk[i] and lo[i] is v for i in range(n_eq))
        if n_eq >= len(pk) or a.index != pk[n_eq]:
            return False
        if op in (">", ">="):
            return rng_lo is v and scan.lo_inclusive == (op == ">=")
        return rng_hi is v and scan.hi_inclusive == (op == "<=")

    exact, rest = [], []
    for c in conjuncts(cond):
        (exact if implemented(c) else rest).append(c)
    return exact, rest


def choose_access(plan):
    """Rule 2: primary-key point gets and ranges, IN lists, secondary-index lookups (covering or not)."""
    return _choose(plan, None)


primary_key_access = choose_access  # the rule's former name


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
        if scan.index:
            return node  # index order, not primary-key order
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


RULES = (fold_constants, choose_access, sort_by_primary_key)
