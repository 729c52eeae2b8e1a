"""Join planning: a FROM clause's relations and conditions -> join operators.

The planner (sqlserver.engine.planner) binds every ON and WHERE condition
against the *written* layout: relations side by side in the order the FROM
clause names them.  ``plan_joins`` then

1. splits conditions into conjuncts and pushes each one as far down as its
   relations allow: a conjunct on one table becomes a Filter over that
   table's scan (where the optimizer's primary-key rule can turn it into a
   point get or range), a conjunct on two sides becomes a join condition;
   conditions never cross the null-supplying side of a LEFT JOIN (an ON
   conjunct on the inner table filters that table; a WHERE conjunct on it
   stays above the join);
2. orders inner joins greedily: start from the relation with the fewest
   estimated rows, then repeatedly add the smallest relation connected to
   what is joined so far by a condition (a cross product only when nothing
   is connected).  STRAIGHT_JOIN keeps the written order.  Planning is
   O(relations^2 x conjuncts), so sqllogictest's 64-table joins plan quickly;
3. picks each join's method: a primary-key lookup per outer row
   (``IndexJoin``) when equalities cover the inner table's whole primary key
   and the outer side is not larger than it; a secondary-index probe per
   outer row when equalities cover a prefix of one of the inner table's
   indexes and the probes cost less than reading the inner table once
   (``_secondary_lookup``); a hash join on the equalities whose two sides
   hash consistently with MySQL's comparison (``hash_kind``); else a nested
   loop over the inner side read once;
4. returns the operator tree and the *physical* offset of each relation, so
   the planner binds the select list against the order rows really have.

Estimates are table row counts (read from the prolly root, no scan) scaled by
pushed conjuncts; they only steer the order, never results.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlserver.engine.expressions import T_BIGINT, collation_of
from sqlserver.engine.plan import Call, Col, Derived, Expr, Filter, IndexJoin, Join, Node, Scan, TableRef, map_expr


@dataclass
class Relation:
    """One FROM item: a base table, system table or derived table."""

    node: Node
    width: int
    offset: int  # first column in the written layout
    ref: TableRef | None = None  # base table: primary-key lookups possible
    rows: float = 100.0


@dataclass
class Inner:
    """Inner/cross/comma joins of ``children``, with their ON conjuncts (written layout)."""

    children: list
    conds: list = field(default_factory=list)


@dataclass
class LeftOuter:
    """``left LEFT JOIN right ON conds``; RIGHT JOIN arrives with its inputs swapped."""

    left: object
    right: object
    conds: list = field(default_factory=list)


def conjuncts(e: Expr) -> list[Expr]:
    if isinstance(e, Call) and e.op == "and":
        return conjuncts(e.args[0]) + conjuncts(e.args[1])
    return [e]


def conjoin(conds: list[Expr]) -> Expr | None:
    out = None
    for c in conds:
        out = c if out is None else Call("and", (out, c), T_BIGINT)
    return out


def _type_class(t) -> str | None:
    if t is None:
        return None
    if t.is_integer or t.name in ("decimal", "year"):
        return "num"
    if t.name in ("float", "double"):
        return "float"
    if t.is_string:
        return "str"
    if t.name in ("date", "datetime", "timestamp", "time"):
        return "datetime" if t.name == "timestamp" else t.name
    return None


def hash_kind(ta, tb) -> str | None:
    """How to normalise hash keys for ``a = b`` so equal keys mean MySQL-equal values; None: don't hash."""
    ca, cb = _type_class(ta), _type_class(tb)
    if ca is None or cb is None:
        return None
    if ca == "num" and cb == "num":
        return "num"
    if ca in ("num", "float") and cb in ("num", "float"):
        return "float"
    if ca == "str" and cb == "str":
        return "str:" + collation_of(ta, tb)
    if ca == cb:
        return "raw"
    return None


@dataclass
class _Built:
    node: Node
    order: list  # relation indexes, in physical order
    est: float
    leaf: int | None = None
    local: list = field(default_factory=list)  # a leaf's pushed conjuncts (written layout)


class _JoinPlanner:
    def __init__(self, rels: list[Relation], fixed: bool):
        self.rels, self.fixed = rels, fixed
        self.owner = []
        for i, r in enumerate(rels):
            self.owner.extend([i] * r.width)
        self._refs: dict[int, frozenset] = {}

    # --- conjunct bookkeeping -------------------------------------------------------

    def refs(self, e: Expr) -> frozenset:
        key = id(e)
        r = self._refs.get(key)
        if r is None:
            found: set = set()
            self._collect(e, found)
            r = self._refs[key] = frozenset(found)
        return r

    def _collect(self, e, found):
        if isinstance(e, Col):
            found.add(self.owner[e.index])
        for c in e.children():
            self._collect(c, found)

    def rels_of(self, t) -> frozenset:
        if isinstance(t, int):
            return frozenset((t,))
        if isinstance(t, Inner):
            return frozenset().union(*(self.rels_of(c) for c in t.children))
        return self.rels_of(t.left) | self.rels_of(t.right)

    def positions(self, order) -> dict:
        pos, off = {}, 0
        for r in order:
            pos[r] = off
            off += self.rels[r].width
        return pos

    def remap(self, e: Expr, pos: dict) -> Expr:
        rels, owner = self.rels, self.owner

        def fn(x):
            if isinstance(x, Col):
                r = owner[x.index]
                i = pos[r] + x.index - rels[r].offset
                if i != x.index:
                    return Col(i, x.name, x.type, x.table, x.nullable)
            return x
        return map_expr(e, fn)

    # --- building -------------------------------------------------------------------

    def build(self, t, pushed: list) -> _Built:
        if isinstance(t, int):
            rel = self.rels[t]
            node = rel.node
            if pushed:
                node = Filter(node, self.remap(conjoin(pushed), {t: 0}))
            return _Built(node, [t], self._estimate(rel, node, len(pushed)), t, list(pushed))
        if isinstance(t, Inner):
            sets = [self.rels_of(c) for c in t.children]
            per_child: list[list] = [[] for _ in t.children]
            top, between = [], []
            for c in list(t.conds) + list(pushed):
                r = self.refs(c)
                if not r:
                    top.append(c)
                    continue
                for i, s in enumerate(sets):
                    if r <= s:
                        per_child[i].append(c)
                        break
                else:
                    between.append(c)
            built = [self.build(ch, per_child[i]) for i, ch in enumerate(t.children)]
            res = self._combine(built, between)
            if top:
                res.node = Filter(res.node, self.remap(conjoin(top), self.positions(res.order)))
                res.leaf = None
            return res
        lset, rset = self.rels_of(t.left), self.rels_of(t.right)
        down_left, above = [], []
        for c in pushed:
            r = self.refs(c)
            (down_left if r and r <= lset else above).append(c)
        down_right, on = [], []
        for c in t.conds:
            r = self.refs(c)
            (down_right if r and r <= rset else on).append(c)
        res = self.join(self.build(t.left, down_left), self.build(t.right, down_right), on, "left")
        if above:
            res.node = Filter(res.node, self.remap(conjoin(above), self.positions(res.order)))
        return res

    def _estimate(self, rel: Relation, node, n_conds: int) -> float:
        if n_conds and isinstance(node, Filter) and isinstance(node.input, Scan):
            from sqlserver.engine.optimizer import best_access

            scan, cost = best_access(node.input, node.cond)
            if scan.access == "point":
                return 1.0
            if scan.access != "full":
                return max(1.0, min(rel.rows * cost, rel.rows * 0.3 ** n_conds))
        return max(1.0, rel.rows * 0.3 ** n_conds)

    def _combine(self, built: list[_Built], conds: list) -> _Built:
        remaining = list(built)
        if self.fixed:
            cur = remaining.pop(0)
        else:
            cur = min(remaining, key=lambda b: b.est)
            remaining.remove(cur)
        pending = list(conds)
        while remaining:
            cur_set = set(cur.order)
            if self.fixed:
                nxt = remaining[0]
            else:
                connected = []
                for b in remaining:
                    both = cur_set | set(b.order)
                    for c in pending:
                        r = self.refs(c)
                        if r <= both and not r <= cur_set:
                            connected.append(b)
                            break
                nxt = min(connected or remaining, key=lambda b: b.est)
            remaining.remove(nxt)
            both = cur_set | set(nxt.order)
            now = [c for c in pending if self.refs(c) <= both]
            pending = [c for c in pending if not self.refs(c) <= both]
            cur = self.join(cur, nxt, now, "inner")
        if pending:  # cannot happen: every conjunct's relations are in this join
            cur.node = Filter(cur.node, self.remap(conjoin(pending), self.positions(cur.order)))
        return cur

    def join(self, left: _Built, right: _Built, conds: list, kind: str) -> _Built:
        lset, rset = set(left.order), set(right.order)
        pos_l, pos_r = self.positions(left.order), self.positions(right.order)
        order = left.order + right.order
        pos = self.positions(order)
        width = sum(self.rels[r].width for r in right.order)
        hashed = []  # (left expr, right expr, kind, conjunct)
        for c in conds:
            if not (isinstance(c, Call) and c.op == "=" and len(c.args) == 2):
                continue
            a, b = c.args
            ra, rb = self.refs(a), self.refs(b)
            if not ra or not rb:
                continue
            if ra <= rset and rb <= lset:
                a, b, ra, rb = b, a, rb, ra
            if not (ra <= lset and rb <= rset):
                continue
            hashed.append((a, b, hash_kind(a.type, b.type), c))

        # primary-key lookup per left row
        rel = self.rels[right.leaf] if right.leaf is not None else None
        if rel is not None and rel.ref is not None and isinstance(_scan_of(right.node), Scan):
            schema = rel.ref.schema
            pk = [schema.position(n) for n in schema.primary_key]
            by_col = {}
            for a, b, _, _ in hashed:
                if isinstance(b, Col) and b.index - rel.offset not in by_col:
                    by_col[b.index - rel.offset] = a
            if pk and all(p in by_col for p in pk) and (left.est <= rel.rows or not any(k for *_, k, _ in hashed)):
                cond = conjoin([self.remap(c, pos) for c in conds + right.local])
                node = IndexJoin(left.node, rel.ref, tuple(self.remap(by_col[p], pos_l) for p in pk), kind,
                                 width, cond)
                return _Built(node, order, max(left.est, 1.0))
            found = _secondary_lookup(rel, hashed, left.est)
            if found is not None:
                ix, n, per_key = found
                keys = tuple(self.remap(_key_expr(hashed, rel, p), pos_l) for p in ix.columns[:n])
                cond = conjoin([self.remap(c, pos) for c in conds + right.local])
                node = IndexJoin(left.node, rel.ref, keys, kind, width, cond, ix.name)
                return _Built(node, order, max(left.est * per_key, left.est if kind == "left" else 1.0))
        keyed = [h for h in hashed if h[2] is not None]
        if keyed:
            used = {id(h[3]) for h in keyed}
            rest = [c for c in conds if id(c) not in used]
            node = Join(left.node, right.node, kind, width, conjoin([self.remap(c, pos) for c in rest]),
                        tuple(self.remap(h[0], pos_l) for h in keyed), tuple(self.remap(h[1], pos_r) for h in keyed),
                        tuple(h[2] for h in keyed))
            est = max(left.est, right.est)
        else:
            node = Join(left.node, right.node, kind, width, conjoin([self.remap(c, pos) for c in conds]))
            est = left.est * right.est * (0.3 if conds else 1.0)
        if kind == "left":
            est = max(est, left.est)
        return _Built(node, order, est)


_INDEX_JOIN_FETCH = 4.0  # an index-join probe (index seek + row fetch) costs this many hash-join rows


def _key_expr(hashed, rel: Relation, p: int):
    """The left-side expression equated with column ``p`` of ``rel`` whose values the index can look up."""
    for a, b, kind, _ in hashed:
        if isinstance(b, Col) and b.index - rel.offset == p and _lookup_ok(kind, b.type):
            return a
    return None


def _lookup_ok(kind, col_type) -> bool:
    """Does an index on a column of ``col_type`` find every row MySQL's ``=`` of ``kind`` matches?"""
    if kind is None or col_type is None:
        return False
    if kind.startswith("str:"):  # the index orders by the column's collation: only that one finds all
        return kind[4:] == (col_type.collation or "")
    return kind in ("num", "float") or kind == "raw" and col_type.name in ("date", "datetime", "timestamp",
                                                                          "time", "year")


def _secondary_lookup(rel: Relation, hashed, left_est: float):
    """(index codec, key columns used, rows per key) when probing a secondary index of ``rel`` once per left
    row beats reading ``rel`` whole into a hash join; None otherwise."""
    from sqlserver.engine.optimizer import table_codec

    codec = table_codec(rel.ref.schema)
    best = None
    for ix in codec.indexes:
        if ix.lengths:
            continue
        n = 0
        while n < len(ix.columns) and _key_expr(hashed, rel, ix.columns[n]) is not None:
            n += 1
        if not n:
            continue
        per_key = 1.0 if ix.unique and n == len(ix.columns) else max(1.0, rel.rows * 0.1 ** n)
        if best is None or per_key < best[2]:
            best = (ix, n, per_key)
    if best is None:
        return None
    hashable = any(k is not None for _, _, k, _ in hashed)
    cost = left_est * best[2] * _INDEX_JOIN_FETCH
    if hashable and cost > rel.rows:
        return None
    return best


def _scan_of(node):
    if isinstance(node, Filter):
        node = node.input
    return node if isinstance(node, Scan) and node.access == "full" else None


def plan_joins(rels: list[Relation], tree, where: list[Expr], fixed: bool) -> tuple[Node, dict]:
    """The operator tree for ``tree`` filtered by ``where`` (written layout), and each relation's offset in it."""
    jp = _JoinPlanner(rels, fixed)
    if not isinstance(tree, Inner):
        tree = Inner([tree])
    built = jp.build(tree, where)
    return built.node, jp.positions(built.order)


__all__ = ["Relation", "Inner", "LeftOuter", "plan_joins", "conjuncts", "conjoin", "hash_kind", "Derived"]
