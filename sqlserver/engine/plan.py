"""Plans: immutable trees of relational operators over typed expressions.

The planner (sqlserver.engine.planner) builds these from syntax trees, the
optimizer (sqlserver.engine.optimizer) rewrites them with small rules, the
executor (sqlserver.engine.executor) compiles them once into generators.
Every node is a frozen dataclass, so rules build new trees instead of
editing, equal subtrees compare equal (GROUP BY matching relies on it), and
``render`` gives the one text form used by EXPLAIN, tests and logs.

Rows flowing between operators are tuples.  An expression reads the row of
its operator's input through ``Col(index)``; a scan's row is the table's full
row in column order (hidden columns included, at the end), and an
``Aggregate`` outputs (group values..., aggregate values...); a ``Join``
outputs its left row followed by its right row.

Subqueries are expressions (``Subquery``) holding their own ``Query``.  A
correlated subquery lists the enclosing-row expressions it reads in
``outer``; inside it those values are ``OuterRef(k)``, read from the
execution context, so the inner plan never sees the enclosing row itself.

Literal values appear as ``Param(slot)``: the value comes from the statement
being executed, which is what lets one cached plan serve every statement
that differs only in literals.  Nothing in a plan may depend on a Param's
value (the planner folds a value in only for plans it marks uncacheable).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlserver.sqltypes import SqlType
from storage.schema import Schema


# --- expressions ----------------------------------------------------------------


class Expr:
    """Base of expression nodes; ``type`` is the static result type (None: NULL/unknown)."""

    __slots__ = ()
    type: SqlType | None

    def children(self) -> tuple["Expr", ...]:
        return ()


@dataclass(frozen=True)
class Const(Expr):
    value: object
    type: SqlType | None = None


@dataclass(frozen=True)
class Param(Expr):
    slot: int
    type: SqlType | None = None


@dataclass(frozen=True)
class Col(Expr):
    index: int
    name: str
    type: SqlType | None = None
    table: str = ""
    nullable: bool = True


@dataclass(frozen=True)
class Call(Expr):
    """An operator or function: ``op`` is '+', '=', 'and', 'like', 'fn:concat', ..."""

    op: str
    args: tuple[Expr, ...]
    type: SqlType | None = None

    def children(self) -> tuple[Expr, ...]:
        return self.args


@dataclass(frozen=True)
class SysVar(Expr):
    name: str
    scope: str = ""  # '' (session then global), 'session', 'global'
    type: SqlType | None = None


@dataclass(frozen=True)
class UserVar(Expr):
    name: str
    type: SqlType | None = None


@dataclass(frozen=True)
class Agg(Expr):
    """An aggregate call; only valid inside Aggregate.aggs."""

    func: str  # count, count_star, sum, min, max, avg
    arg: Expr | None
    distinct: bool = False
    type: SqlType | None = None

    def children(self) -> tuple[Expr, ...]:
        return () if self.arg is None else (self.arg,)


@dataclass(frozen=True)
class OuterRef(Expr):
    """Inside a correlated subquery: the ``slot``-th value of the enclosing ``Subquery.outer``."""

    slot: int
    name: str
    type: SqlType | None = None
    table: str = ""
    nullable: bool = True


@dataclass(frozen=True)
class Subquery(Expr):
    """A subquery used as a value.

    ``kind``: 'scalar' (its one value; 1242 past one row), 'exists', 'in'
    (``operand IN (query)``), or 'any:<op>' / 'all:<op>' (``operand <op> ANY
    (query)``).  ``outer``: expressions over the enclosing row whose values the
    query reads as ``OuterRef``; empty means uncorrelated, evaluated once per
    execution.  The result is cached per distinct ``outer`` values.
    """

    kind: str
    query: "Query"
    outer: tuple[Expr, ...] = ()
    operand: Expr | None = None
    type: SqlType | None = None

    def children(self) -> tuple[Expr, ...]:
        return self.outer + (() if self.operand is None else (self.operand,))


def map_expr(e: Expr, fn) -> Expr:
    """``e`` with ``fn`` applied bottom-up to every node (``fn`` returns the node or a replacement)."""
    if isinstance(e, Call):
        args = tuple(map_expr(a, fn) for a in e.args)
        if any(a is not b for a, b in zip(args, e.args)):  # identity: == would compare whole subtrees
            e = Call(e.op, args, e.type)
    elif isinstance(e, Agg) and e.arg is not None:
        arg = map_expr(e.arg, fn)
        if arg is not e.arg:
            e = Agg(e.func, arg, e.distinct, e.type)
    elif isinstance(e, Subquery):
        outer = tuple(map_expr(a, fn) for a in e.outer)
        operand = None if e.operand is None else map_expr(e.operand, fn)
        if any(a is not b for a, b in zip(outer, e.outer)) or operand is not e.operand:
            e = Subquery(e.kind, e.query, outer, operand, e.type)
    return fn(e)


def _literal_text(v) -> str:
    if v is None:
        return "NULL"
    if isinstance(v, str):
        return "'" + v.replace("'", "''") + "'"
    return str(v)


def render_expr(e: Expr, params=None) -> str:
    """Text of an expression; with ``params``, parameters show their values (for error messages)."""
    if params is not None:
        return _render(e, params)
    return _render(e, None)


def _cast_target(t: SqlType) -> str:
    if t.name == "bigint":
        return "unsigned" if t.unsigned else "signed"
    if t.name == "decimal":
        return f"decimal({t.precision},{t.scale})"
    if t.name in ("varchar", "longtext"):
        return f"char({t.length})" if t.name == "varchar" else "char"
    return t.sql()


def _render(e: Expr, params) -> str:
    if isinstance(e, Const):
        return _literal_text(e.value)
    if isinstance(e, Param):
        return _literal_text(params[e.slot]) if params is not None else f"?{e.slot}"
    if isinstance(e, Col):
        return f"`{e.table}`.`{e.name}`" if e.table else f"`{e.name}`"
    if isinstance(e, SysVar):
        return f"@@{e.scope + '.' if e.scope else ''}{e.name}"
    if isinstance(e, UserVar):
        return f"@{e.name}"
    if isinstance(e, OuterRef):
        return f"outer({e.table}.{e.name})" if e.table else f"outer({e.name})"
    if isinstance(e, Subquery):
        head = "" if e.operand is None else _render(e.operand, params) + " " + e.kind + " "
        corr = "" if not e.outer else " correlated on " + ", ".join(_render(a, params) for a in e.outer)
        return f"{head}(subquery{corr})"
    if isinstance(e, Agg):
        inner = "*" if e.arg is None else ("DISTINCT " if e.distinct else "") + _render(e.arg, params)
        return f"{e.func.replace('_star', '')}({inner})"
    if isinstance(e, Call):
        op, args = e.op, e.args
        if op.startswith("fn:"):
            return f"{op[3:]}({', '.join(_render(a, params) for a in args)})"
        if op == "cast" and e.type is not None:  # MySQL 8 prints cast(x as signed)
            return f"cast({_render(args[0], params)} as {_cast_target(e.type)})"
        if len(args) == 2 and op not in ("in", "between"):
            return f"({_render(args[0], params)} {op} {_render(args[1], params)})"
        if op == "in":
            return f"({_render(args[0], params)} in ({', '.join(_render(a, params) for a in args[1:])}))"
        if op == "between":
            return f"({_render(args[0], params)} between {_render(args[1], params)} and {_render(args[2], params)})"
        return f"{op}({', '.join(_render(a, params) for a in args)})"
    return repr(e)


# --- relational operators ---------------------------------------------------------


@dataclass(frozen=True)
class TableRef:
    """A base table as the plan was made for it.

    ``db`` is None for "the session's current database", so one plan serves
    every database whose table has the same schema; ``schema`` is checked at
    execution (a changed schema means re-plan).
    """

    db: str | None
    name: str
    schema: Schema = field(compare=False)
    alias: str = ""
    revision: str | None = None  # Dolt's ``AS OF``: the table as of this branch/tag/commit (read-only)


class Node:
    __slots__ = ()

    def inputs(self) -> tuple["Node", ...]:
        return ()


@dataclass(frozen=True)
class OneRow(Node):
    """The single empty row of a SELECT without FROM."""


@dataclass(frozen=True)
class Scan(Node):
    """Rows of a base table, in primary-key order, or through secondary index ``index``.

    ``access``: 'full'; 'point' (``lo`` holds one value per pk column); 'range'
    (``lo``/``hi`` are value prefixes of the key, None = unbounded); or 'in'
    (``keys``: several key prefixes, IN lists; rows come once each, in key
    order).  The key is the primary key, or with ``index`` that secondary
    index's columns: each entry then fetches its row by primary key, unless
    ``covering`` (every column the query reads is in the index entry, so the
    row holds only index and pk columns, the rest None).  The optimizer
    chooses the access; the executor falls back to a full scan when a bound
    value cannot be converted to the key column's type, which is safe because
    the Filter above keeps every original conjunct -- except those in
    ``exact``: conjuncts the key bounds implement exactly (integer key column,
    integer bound), which the executor re-applies only on such a fallback.
    """

    table: TableRef
    access: str = "full"
    lo: tuple[Expr, ...] | None = None
    hi: tuple[Expr, ...] | None = None
    lo_inclusive: bool = True
    hi_inclusive: bool = True
    reverse: bool = False
    index: str = ""
    keys: tuple[tuple[Expr, ...], ...] = ()
    covering: bool = False
    exact: Expr | None = None


@dataclass(frozen=True)
class SystemScan(Node):
    """Rows of a system table (dolt_log, ...) made at execution time."""

    name: str
    db: str | None


@dataclass(frozen=True)
class Filter(Node):
    input: Node
    cond: Expr

    def inputs(self):
        return (self.input,)


@dataclass(frozen=True)
class Project(Node):
    input: Node
    exprs: tuple[Expr, ...]

    def inputs(self):
        return (self.input,)


@dataclass(frozen=True)
class Aggregate(Node):
    input: Node
    groups: tuple[Expr, ...]
    aggs: tuple[Agg, ...]

    def inputs(self):
        return (self.input,)


@dataclass(frozen=True)
class Sort(Node):
    input: Node
    keys: tuple[tuple[Expr, bool], ...]  # (expression, descending)

    def inputs(self):
        return (self.input,)


@dataclass(frozen=True)
class Limit(Node):
    input: Node
    limit: Expr | None
    offset: Expr | None = None

    def inputs(self):
        return (self.input,)


@dataclass(frozen=True)
class Distinct(Node):
    input: Node
    collations: tuple = ()  # per column: the collation string values are told apart by (None: default)

    def inputs(self):
        return (self.input,)


@dataclass(frozen=True)
class Join(Node):
    """Rows of ``left`` each followed by the matching rows of ``right``.

    ``kind``: 'inner' or 'left' (a left row without a match is padded with
    ``right_width`` NULLs; RIGHT JOIN is planned as LEFT JOIN with the inputs
    swapped).  With ``left_keys``/``right_keys`` it is a hash join: ``right``
    is read once into a hash table on its keys (each normalised by
    ``key_kinds``: 'num', 'float', 'str:<collation>', 'raw'), and a NULL key
    matches nothing.  Without keys it is a nested loop over ``right`` read
    once.  ``cond`` (over the joined row) decides the remaining conjuncts.
    """

    left: Node
    right: Node
    kind: str
    right_width: int
    cond: Expr | None = None
    left_keys: tuple[Expr, ...] = ()
    right_keys: tuple[Expr, ...] = ()
    key_kinds: tuple[str, ...] = ()

    def inputs(self):
        return (self.left, self.right)


@dataclass(frozen=True)
class IndexJoin(Node):
    """For each ``left`` row, the ``table`` rows whose key is ``keys`` (over the left row).

    The key is the whole primary key, or with ``index`` a prefix of that
    secondary index's columns (any number of rows per key).  ``cond`` (over
    the joined row) holds every conjunct of the join, the key equalities
    included, so a key value that cannot be converted to the key column's
    type falls back to testing every row of ``table``.
    """

    left: Node
    table: TableRef
    keys: tuple[Expr, ...]
    kind: str
    right_width: int
    cond: Expr | None = None
    index: str = ""

    def inputs(self):
        return (self.left,)


@dataclass(frozen=True)
class Derived(Node):
    """A subquery in FROM: the rows of ``query``, named ``alias``."""

    query: "Query"
    alias: str

    def inputs(self):
        return (self.query.root,)


@dataclass(frozen=True)
class SetOp(Node):
    """UNION / EXCEPT / INTERSECT of ``inputs_`` (same column count), folded left to right.

    Per input after the first: ``kinds`` names the operation joining it to
    the result so far ('union', 'except', 'intersect'; empty: all 'union')
    and ``distinct`` says DISTINCT (duplicates removed from the result so
    far too) or ALL (multiset semantics: EXCEPT ALL removes one left row per
    right row, INTERSECT ALL keeps min(left count, right count)).  Rows are
    equal when their values are, NULLs included.
    """

    inputs_: tuple[Node, ...]
    distinct: tuple[bool, ...]
    kinds: tuple[str, ...] = ()
    collations: tuple = ()  # per column, as in Distinct

    def inputs(self):
        return self.inputs_


@dataclass(frozen=True)
class LockRows(Node):
    """SELECT ... FOR UPDATE: every row passing through is locked in ``table``."""

    input: Node
    table: TableRef

    def inputs(self):
        return (self.input,)


# --- statements ---------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    root: Node
    columns: tuple  # tuple[ColumnInfo, ...]


@dataclass(frozen=True)
class Insert:
    table: TableRef
    columns: tuple[int, ...]  # target positions, in VALUES order
    rows: tuple[tuple[Expr | None, ...], ...]  # None = DEFAULT
    source: Node | None = None  # INSERT ... SELECT: rows come from this plan instead of ``rows``
    on_duplicate: str = "error"  # a key already taken: "error" (1062), "replace" (REPLACE), "ignore" (INSERT IGNORE)
    # ... or "update" (ON DUPLICATE KEY UPDATE): these assignments over existing row + new row (engine.upsert)
    updates: tuple[tuple[int, Expr], ...] = ()


@dataclass(frozen=True)
class Update:
    table: TableRef
    source: Node
    assignments: tuple[tuple[int, Expr], ...]


@dataclass(frozen=True)
class Delete:
    table: TableRef
    source: Node


def node_fields(node) -> dict:
    return {k: getattr(node, k) for k in node.__dataclass_fields__}


def render(plan, indent: int = 0) -> str:
    """The plan as indented text, one operator per line."""
    pad = "  " * indent
    if isinstance(plan, Query):
        return render(plan.root, indent)
    if isinstance(plan, Insert):
        if plan.source is not None:
            return f"{pad}Insert {plan.table.name}\n" + render(plan.source, indent + 1)
        return f"{pad}Insert {plan.table.name} rows={len(plan.rows)}"
    if isinstance(plan, (Update, Delete)):
        head = f"{pad}{type(plan).__name__} {plan.table.name}"
        if isinstance(plan, Update):
            head += " set " + ", ".join(f"#{i}={render_expr(e)}" for i, e in plan.assignments)
        return head + "\n" + render(plan.source, indent + 1)
    if isinstance(plan, Scan):
        line = f"{pad}Scan {plan.table.name} " + (f"index {plan.index} " if plan.index else "") + plan.access
        if plan.access == "in":
            line += " keys=" + ", ".join("(" + ", ".join(render_expr(e) for e in k) + ")" for k in plan.keys)
        elif plan.access == "point":
            line += " key=(" + ", ".join(render_expr(e) for e in plan.lo) + ")"
        elif plan.access == "range":
            lo = "(-inf" if plan.lo is None else ("[" if plan.lo_inclusive else "(") + ", ".join(
                render_expr(e) for e in plan.lo)
            hi = "+inf)" if plan.hi is None else ", ".join(render_expr(e) for e in plan.hi) + (
                "]" if plan.hi_inclusive else ")")
            line += f" {lo} .. {hi}"
        if plan.reverse:
            line += " reverse"
        if plan.covering:
            line += " covering"
        return line
    if isinstance(plan, SystemScan):
        return f"{pad}SystemScan {plan.name}"
    if isinstance(plan, OneRow):
        return f"{pad}OneRow"
    if isinstance(plan, Filter):
        line = f"{pad}Filter {render_expr(plan.cond)}"
    elif isinstance(plan, Project):
        line = f"{pad}Project " + ", ".join(render_expr(e) for e in plan.exprs)
    elif isinstance(plan, Aggregate):
        line = f"{pad}Aggregate groups=[{', '.join(render_expr(e) for e in plan.groups)}] aggs=[" + ", ".join(
            render_expr(a) for a in plan.aggs) + "]"
    elif isinstance(plan, Sort):
        line = f"{pad}Sort " + ", ".join(render_expr(e) + (" DESC" if d else "") for e, d in plan.keys)
    elif isinstance(plan, Limit):
        line = f"{pad}Limit {render_expr(plan.limit) if plan.limit else '-'}" + (
            f" offset {render_expr(plan.offset)}" if plan.offset else "")
    elif isinstance(plan, LockRows):
        line = f"{pad}LockRows {plan.table.name}"
    elif isinstance(plan, Join):
        method = "HashJoin" if plan.left_keys else "NestedLoopJoin"
        line = f"{pad}{method} {plan.kind}"
        if plan.left_keys:
            line += " on " + ", ".join(f"{render_expr(a)} = {render_expr(b)}"
                                      for a, b in zip(plan.left_keys, plan.right_keys))
        if plan.cond is not None:
            line += f" cond {render_expr(plan.cond)}"
    elif isinstance(plan, IndexJoin):
        via = f"index {plan.index} " if plan.index else ""
        line = f"{pad}IndexJoin {plan.kind} {plan.table.name} {via}key=(" + ", ".join(
            render_expr(e) for e in plan.keys) + ")"
        if plan.cond is not None:
            line += f" cond {render_expr(plan.cond)}"
    elif isinstance(plan, Derived):
        line = f"{pad}Derived {plan.alias}"
    elif isinstance(plan, SetOp):
        if plan.kinds:
            line = f"{pad}SetOp " + ", ".join(f"{k} {'distinct' if d else 'all'}"
                                              for k, d in zip(plan.kinds, plan.distinct))
        else:
            line = f"{pad}Union " + " ".join("distinct" if d else "all" for d in plan.distinct)
    else:
        line = f"{pad}{type(plan).__name__}"
    return line + "".join("\n" + render(c, indent + 1) for c in plan.inputs())


# --- WITH RECURSIVE, window functions, ROLLUP (modules ctes, windows, grouping) -----------------


@dataclass(frozen=True)
class RecursiveCTE(Node):
    """WITH RECURSIVE: ``anchors`` once, then ``steps`` repeatedly over the last iteration's rows.

    Inside ``steps`` the CTE's own name is a ``WorkTable`` with the same ``slot``; the rows of every
    iteration are the result (``distinct``: UNION DISTINCT, rows already produced are dropped).
    """

    anchors: tuple[Node, ...]
    steps: tuple[Node, ...]
    distinct: bool
    slot: int
    name: str
    columns: tuple = ()  # (name, SqlType) per column, from the anchors: the recursive rows must fit them

    def inputs(self):
        return self.anchors + self.steps


@dataclass(frozen=True)
class WorkTable(Node):
    """The rows the previous iteration of recursive CTE ``slot`` produced."""

    slot: int
    alias: str


@dataclass(frozen=True)
class WinFunc(Expr):
    """A window function call; only valid inside ``Window.funcs`` (the planner replaces it by a Col).

    ``frame``: None (MySQL's default: RANGE UNBOUNDED PRECEDING..CURRENT ROW with ORDER BY, the
    whole partition without) or (kind 'rows'|'range', start, end), each bound a pair
    (side 'unbounded_preceding'|'preceding'|'current'|'following'|'unbounded_following', offset Expr|None).
    """

    name: str
    args: tuple[Expr, ...]
    partition: tuple[Expr, ...] = ()
    order: tuple[tuple[Expr, bool], ...] = ()
    frame: tuple | None = None
    type: SqlType | None = None

    def children(self) -> tuple[Expr, ...]:
        return self.args + self.partition + tuple(k for k, _ in self.order)

    def rewrite(self, fn) -> "WinFunc":
        """This call with ``fn`` applied to every expression it reads (args, partition, order)."""
        return WinFunc(self.name, tuple(fn(a) for a in self.args), tuple(fn(p) for p in self.partition),
                       tuple((fn(k), d) for k, d in self.order), self.frame, self.type)


@dataclass(frozen=True)
class Window(Node):
    """Rows of ``input`` each prefixed by the values of ``funcs`` (in that order) for that row."""

    input: Node
    funcs: tuple[WinFunc, ...]

    def inputs(self):
        return (self.input,)


@dataclass(frozen=True)
class GroupAggregate(Aggregate):
    """An Aggregate with MySQL's extras (module grouping): ``rollup`` adds super-aggregate rows
    (group values NULL from the right, one level at a time) and the aggregates may be
    GROUP_CONCAT, COUNT(DISTINCT a, b, ...) or GROUPING()."""

    rollup: bool = False
