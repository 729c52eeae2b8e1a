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
``Aggregate`` outputs (group values..., aggregate values...).  Joins (issue 6)
will concatenate their inputs' tuples, so ``Col`` indexes keep working.

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
    if isinstance(e, Agg):
        inner = "*" if e.arg is None else ("DISTINCT " if e.distinct else "") + _render(e.arg, params)
        return f"{e.func.replace('_star', '')}({inner})"
    if isinstance(e, Call):
        op, args = e.op, e.args
        if op.startswith("fn:"):
            return f"{op[3:]}({', '.join(_render(a, params) for a in args)})"
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


class Node:
    __slots__ = ()

    def inputs(self) -> tuple["Node", ...]:
        return ()


@dataclass(frozen=True)
class OneRow(Node):
    """The single empty row of a SELECT without FROM."""


@dataclass(frozen=True)
class Scan(Node):
    """Rows of a base table, in primary-key order.

    ``access``: 'full'; 'point' (``lo`` holds one value per pk column); or
    'range' (``lo``/``hi`` are value prefixes of the pk, None = unbounded).
    The optimizer chooses point/range; the executor falls back to a full scan
    when a bound value cannot be converted to the key column's type, which is
    safe because the Filter above keeps every original conjunct.
    """

    table: TableRef
    access: str = "full"
    lo: tuple[Expr, ...] | None = None
    hi: tuple[Expr, ...] | None = None
    lo_inclusive: bool = True
    hi_inclusive: bool = True
    reverse: bool = False


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

    def inputs(self):
        return (self.input,)


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
        return f"{pad}Insert {plan.table.name} rows={len(plan.rows)}"
    if isinstance(plan, (Update, Delete)):
        head = f"{pad}{type(plan).__name__} {plan.table.name}"
        if isinstance(plan, Update):
            head += " set " + ", ".join(f"#{i}={render_expr(e)}" for i, e in plan.assignments)
        return head + "\n" + render(plan.source, indent + 1)
    if isinstance(plan, Scan):
        line = f"{pad}Scan {plan.table.name} {plan.access}"
        if plan.access == "point":
            line += " key=(" + ", ".join(render_expr(e) for e in plan.lo) + ")"
        elif plan.access == "range":
            lo = "-inf" if plan.lo is None else ("[" if plan.lo_inclusive else "(") + ", ".join(
                render_expr(e) for e in plan.lo)
            hi = "+inf" if plan.hi is None else ", ".join(render_expr(e) for e in plan.hi) + (
                "]" if plan.hi_inclusive else ")")
            line += f" {lo} .. {hi}"
        if plan.reverse:
            line += " reverse"
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
    else:
        line = f"{pad}{type(plan).__name__}"
    return line + "".join("\n" + render(c, indent + 1) for c in plan.inputs())
