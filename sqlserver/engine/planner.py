"""Stage 2: syntax tree -> plan.  Name resolution, types, validation.

``plan_statement(tree, env)`` turns a parsed SELECT/INSERT/UPDATE/DELETE
into an immutable plan (sqlserver.engine.plan).  ``env`` supplies the
catalog (a table's schema as the session's transaction sees it) and the
literal slots found by the parser: each sqlglot literal becomes
``Param(slot)`` by its start offset, so the plan serves any statement with
the same shape.  When planning needs a literal's *value* (``ORDER BY 2``
names a select item by position) the planner reads it and sets
``env.cacheable = False``: such plans are cached only under the exact text.

Scopes are lists of tables, each owning a contiguous slice of the row tuple,
so joins (issue 6) add entries and offsets without changing resolution.
Hidden columns (the implicit primary key of a table declared without one,
``HIDDEN_PK``) are in the row but not in the scope.
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass, field

from sqlglot import exp

from sqlserver.engine import functions
from sqlserver.engine.expressions import T_BIGINT, T_DOUBLE, arith_kind, decimal_type
from sqlserver.engine.plan import (
    Agg, Aggregate, Call, Col, Const, Delete, Distinct, Expr, Filter, Insert, Limit, LockRows, OneRow,
    Param, Project, Query, Scan, Sort, SysVar, SystemScan, TableRef, Update, UserVar,
)
from sqlserver.engine.results import ColumnInfo
from sqlserver.engine import variables
from sqlserver.errors import SQLError
from sqlserver.sqltypes import SqlType, NOT_NULL_FLAG
from storage.collation import DEFAULT_COLLATION

HIDDEN_PK = "__grove_row_id"


@dataclass
class Env:
    """What the planner needs from the outside world."""

    catalog: object  # .schema(db, name) -> Schema ; .system_table(name) -> columns or None
    current_db: str | None
    slots: dict  # literal start offset -> (slot, parser.Literal)
    params: list  # literal values (read only for uncacheable decisions)
    item_texts: list | None = None
    cacheable: bool = True
    literal_names: bool = False  # a column name contains literal text: recompute names per statement
    tables: list = field(default_factory=list)  # TableRefs used


@dataclass
class _ScopeTable:
    alias: str
    ref: TableRef | None
    columns: list  # (name, index, type, nullable)
    db: str = ""
    table_name: str = ""


class Scope:
    def __init__(self, tables: list[_ScopeTable]):
        self.tables = tables

    def resolve(self, name: str, table: str, clause: str) -> Col:
        lname, ltable = name.lower(), table.lower()
        found = None
        for t in self.tables:
            if ltable and t.alias.lower() != ltable:
                continue
            for cname, idx, ctype, nullable in t.columns:
                if cname.lower() == lname:
                    if found is not None:
                        raise SQLError.of("NON_UNIQ", name, clause)
                    found = Col(idx, cname, ctype, t.alias, nullable)
        if found is None:
            raise SQLError.of("BAD_FIELD", f"{table}.{name}" if table else name, clause)
        return found


def visible_columns(schema) -> list:
    return [(c.name, i) for i, c in enumerate(schema.columns) if c.name != HIDDEN_PK]


def _table_scope(ref: TableRef, alias: str, types: list, db: str) -> _ScopeTable:
    cols = [(c.name, i, types[i], c.nullable) for i, c in enumerate(ref.schema.columns) if c.name != HIDDEN_PK]
    return _ScopeTable(alias, ref, cols, db, ref.name)


# --- expressions -------------------------------------------------------------------------

_BINARY = {
    exp.Add: "+", exp.Sub: "-", exp.Mul: "*", exp.Div: "/", exp.IntDiv: "div", exp.Mod: "%",
    exp.EQ: "=", exp.NEQ: "<>", exp.LT: "<", exp.LTE: "<=", exp.GT: ">", exp.GTE: ">=",
    exp.NullSafeEQ: "<=>", exp.And: "and", exp.Or: "or", exp.Xor: "xor",
}
_FUNC_ALIASES = {"current_timestamp": "now", "current_schema": "database", "current_version": "version",
                 "current_user": "current_user"}


class Binder:
    def __init__(self, env: Env, scope: Scope, clause: str, allow_aggs: bool = False):
        self.env, self.scope, self.clause, self.allow_aggs = env, scope, clause, allow_aggs
        self.aliases: dict[str, Expr] = {}  # select aliases visible (ORDER BY / HAVING)

    def bind(self, e) -> Expr:
        env = self.env
        if isinstance(e, exp.Column):
            if isinstance(e.this, exp.Star):
                raise SQLError.of("PARSE", "*", 1)
            name, table = e.name, e.table
            if not table and self.aliases and name.lower() in self.aliases:
                try:
                    return self.scope.resolve(name, table, self.clause)
                except SQLError:
                    return self.aliases[name.lower()]
            return self.scope.resolve(name, table, self.clause)
        if isinstance(e, exp.Literal):
            slot = env.slots.get(e.meta.get("start")) if e.meta else None
            if slot is not None:
                i, lit = slot
                return Param(i, _literal_type(lit, env.params[i]))
            v = e.this if e.is_string else _number(e.this)
            return Const(v, _value_type(v))
        if isinstance(e, (exp.HexString, exp.BitString)):
            slot = env.slots.get(e.meta.get("start")) if e.meta else None
            if slot is not None:
                i, lit = slot
                return Param(i, _literal_type(lit, env.params[i]))
            raise SQLError.of("NOT_SUPPORTED_YET", "this literal")
        if isinstance(e, exp.Null):
            return Const(None, None)
        if isinstance(e, exp.Boolean):
            return Const(1 if e.this else 0, T_BIGINT)
        if isinstance(e, exp.Paren):
            return self.bind(e.this)
        op = _BINARY.get(type(e))
        if op is not None:
            a, b = self.bind(e.this), self.bind(e.expression)
            return Call(op, (a, b), _binary_type(op, a.type, b.type))
        if isinstance(e, exp.Neg):
            a = self.bind(e.this)
            t = a.type if a.type is not None and (a.type.name == "decimal" or a.type.name == "double") else (
                T_BIGINT if a.type is None or a.type.is_integer else T_DOUBLE)
            return Call("neg", (a,), t)
        if isinstance(e, exp.BitwiseNot):
            return Call("~", (self.bind(e.this),), SqlType("bigint", unsigned=True))
        if isinstance(e, exp.Not):
            inner = e.this
            if isinstance(inner, exp.Is) and isinstance(inner.expression, exp.Null):
                return Call("is_not_null", (self.bind(inner.this),), T_BIGINT)
            return Call("not", (self.bind(inner),), T_BIGINT)
        if isinstance(e, exp.Is):
            a = self.bind(e.this)
            if isinstance(e.expression, exp.Null):
                return Call("is_null", (a,), T_BIGINT)
            if isinstance(e.expression, exp.Boolean):
                return Call("is_true" if e.expression.this else "is_false", (a,), T_BIGINT)
            raise SQLError.of("PARSE", e.sql(dialect="mysql"), 1)
        if isinstance(e, exp.In):
            if e.args.get("query") is not None:
                raise SQLError.of("NOT_SUPPORTED_YET", "subqueries")
            args = (self.bind(e.this), *(self.bind(x) for x in e.expressions))
            return Call("in", args, T_BIGINT)
        if isinstance(e, exp.Between):
            return Call("between", (self.bind(e.this), self.bind(e.args["low"]), self.bind(e.args["high"])), T_BIGINT)
        if isinstance(e, exp.Like):
            c = Call("like", (self.bind(e.this), self.bind(e.expression)), T_BIGINT)
            return Call("not", (c,), T_BIGINT) if e.args.get("negate") else c
        if isinstance(e, exp.Escape):
            raise SQLError.of("NOT_SUPPORTED_YET", "LIKE ... ESCAPE")
        if isinstance(e, exp.Case):
            args, has_operand = [], e.this is not None
            if has_operand:
                args.append(self.bind(e.this))
            for w in e.args.get("ifs") or ():
                args.append(self.bind(w.this))
                args.append(self.bind(w.args["true"]))
            if e.args.get("default") is not None:
                args.append(self.bind(e.args["default"]))
            results = args[1 if has_operand else 0::2][: len(e.args.get("ifs") or ())]
            t = next((a.type for a in results if a.type is not None), None)
            return Call("case_simple" if has_operand else "case", tuple(args), t)
        if isinstance(e, exp.SessionParameter):
            name = e.name.lower()
            scope = (e.args.get("kind") or "").lower()
            d = variables.definition(name)
            if scope == "session" and d.scope == "global":
                raise SQLError(1238, "HY000", f"Variable '{name}' is a GLOBAL variable")
            if scope == "global" and d.scope == "session":
                raise SQLError(1238, "HY000", f"Variable '{name}' is a SESSION variable")
            return SysVar(name, scope, _var_type(d))
        if isinstance(e, exp.Parameter):
            return UserVar(e.name.lower(), None)
        if isinstance(e, exp.Placeholder):
            raise SQLError.of("PARSE", "?", 1)
        if isinstance(e, (exp.Count, exp.Sum, exp.Min, exp.Max, exp.Avg)):
            return self._agg(e)
        if isinstance(e, exp.Subquery) or isinstance(e, exp.Select):
            raise SQLError.of("NOT_SUPPORTED_YET", "subqueries")
        if isinstance(e, exp.Func):
            return self._func(e)
        if isinstance(e, exp.Var) and e.name.upper() == "DEFAULT":
            raise SQLError.of("PARSE", "DEFAULT", 1)
        raise SQLError.of("NOT_SUPPORTED_YET", f"expression {e.sql(dialect='mysql')!r}")

    def _func(self, e: exp.Func) -> Expr:
        if isinstance(e, exp.Anonymous):
            name = str(e.this).lower()
            raw_args = list(e.expressions)
        else:
            name = e.sql_name().lower()
            name = _FUNC_ALIASES.get(name, name)
            raw_args = []
            for k in e.arg_types:
                v = e.args.get(k)
                if v is None or isinstance(v, bool):
                    continue
                if isinstance(v, list):
                    raw_args.extend(v)
                elif isinstance(v, exp.Expression):
                    raw_args.append(v)
        args = tuple(self.bind(a) for a in raw_args)
        t = functions.result_type(name, [a.type for a in args], self.env.current_db)
        return Call("fn:" + name, args, t)

    def _agg(self, e) -> Expr:
        if not self.allow_aggs:
            raise SQLError(1111, "HY000", "Invalid use of group function")
        inner = e.this
        distinct = False
        if isinstance(inner, exp.Distinct):
            distinct = True
            if len(inner.expressions) != 1:
                raise SQLError.of("NOT_SUPPORTED_YET", "COUNT(DISTINCT with several expressions)")
            inner = inner.expressions[0]
        saved, self.allow_aggs = self.allow_aggs, False
        try:
            if isinstance(e, exp.Count) and (inner is None or isinstance(inner, exp.Star)):
                return Agg("count_star", None, False, T_BIGINT)
            arg = self.bind(inner)
        finally:
            self.allow_aggs = saved
        func = type(e).__name__.lower()
        return Agg(func, arg, distinct, _agg_type(func, arg.type))


def _number(text: str):
    if "e" in text.lower():
        return float(text)
    if "." in text:
        return decimal.Decimal(text)
    return int(text)


def _literal_type(lit, value) -> SqlType:
    k = lit.kind
    if k == "i":
        return T_BIGINT if -(1 << 63) <= value < (1 << 63) else SqlType("bigint", unsigned=True)
    if k == "d":
        scale = max(0, -value.as_tuple().exponent)
        return decimal_type(scale, max(len(value.as_tuple().digits), scale))
    if k == "f":
        return T_DOUBLE
    if k == "s":
        return SqlType("varchar", length=max(len(value), 1), collation=DEFAULT_COLLATION)
    return SqlType("varbinary", length=max(len(value), 1))


def _value_type(v) -> SqlType | None:
    if isinstance(v, bool) or isinstance(v, int):
        return T_BIGINT
    if isinstance(v, decimal.Decimal):
        return decimal_type(max(0, -v.as_tuple().exponent))
    if isinstance(v, float):
        return T_DOUBLE
    if isinstance(v, str):
        return SqlType("varchar", length=max(len(v), 1), collation=DEFAULT_COLLATION)
    return None


def _var_type(d) -> SqlType:
    if d.kind in ("int", "bool"):
        return SqlType("bigint", unsigned=d.kind == "int")
    return SqlType("varchar", length=1024, collation=DEFAULT_COLLATION)


def _binary_type(op: str, ta, tb) -> SqlType | None:
    if op in ("+", "-", "*", "/", "%", "div"):
        if op == "div":
            return T_BIGINT
        kind = arith_kind(ta, tb)
        if kind == "double":
            return T_DOUBLE
        sa = ta.scale if ta is not None and ta.name == "decimal" else 0
        sb = tb.scale if tb is not None and tb.name == "decimal" else 0
        if op == "/":
            if kind == "int" or kind == "decimal":
                return decimal_type(sa + 4)
        if kind == "decimal":
            return decimal_type(sa + sb if op == "*" else max(sa, sb))
        unsigned = bool(ta and tb and ta.unsigned and tb.unsigned and op != "-")
        return SqlType("bigint", unsigned=unsigned)
    return T_BIGINT


def _agg_type(func: str, t: SqlType | None) -> SqlType | None:
    if func == "count":
        return T_BIGINT
    if func in ("min", "max"):
        return t
    if t is not None and t.name in ("float", "double") or t is not None and t.is_string:
        return T_DOUBLE
    scale = t.scale if t is not None and t.name == "decimal" else 0
    return decimal_type(scale + 4 if func == "avg" else scale)


# --- SELECT -------------------------------------------------------------------------------


def _from_table(sel):
    f = sel.args.get("from_") or sel.args.get("from")
    return None if f is None else f.this


def table_ref(env: Env, t: exp.Table) -> tuple[TableRef, list, str, bool]:
    """(ref, types, db name for metadata, is_system) for a FROM/INTO table."""
    name = t.name
    db = t.db or None
    cat = env.catalog
    sys_cols = cat.system_table(name) if not db else None
    if sys_cols is not None:
        return None, sys_cols, db or env.current_db or "", True
    schema, types, real_name = cat.schema(db, name)
    ref = TableRef(db, real_name, schema, t.alias_or_name)
    env.tables.append(ref)
    return ref, types, db or env.current_db or "", False


def plan_select(sel: exp.Select, env: Env) -> Query:
    if sel.args.get("joins"):
        raise SQLError.of("NOT_SUPPORTED_YET", "JOIN (coming with the full engine)")
    if sel.args.get("with") or sel.args.get("windows"):
        raise SQLError.of("NOT_SUPPORTED_YET", "this SELECT form")
    t = _from_table(sel)
    ref = None
    if t is None or (isinstance(t, exp.Table) and t.name.lower() == "dual" and not t.db):
        source, scope = OneRow(), Scope([])
    elif isinstance(t, exp.Table):
        ref, types, db, is_sys = table_ref(env, t)
        if is_sys:
            cols = [(n, i, ty, True) for i, (n, ty) in enumerate(types)]
            source = SystemScan(t.name.lower(), t.db or None)
            scope = Scope([_ScopeTable(t.alias_or_name, None, cols, db, t.name.lower())])
        else:
            source = Scan(ref)
            scope = Scope([_table_scope(ref, t.alias_or_name, types, db)])
    else:
        raise SQLError.of("NOT_SUPPORTED_YET", "subqueries in FROM")

    where = sel.args.get("where")
    if where is not None:
        source = Filter(source, Binder(env, scope, "where clause").bind(where.this))
    if sel.args.get("locks") and ref is not None:
        source = LockRows(source, ref)

    # select list
    binder = Binder(env, scope, "field list", allow_aggs=True)
    exprs: list[Expr] = []
    infos: list[ColumnInfo] = []
    texts = env.item_texts
    for pos, item in enumerate(sel.expressions):
        node = item.this if isinstance(item, exp.Alias) else item
        if isinstance(node, exp.Star) or isinstance(node, exp.Column) and isinstance(node.this, exp.Star):
            tname = node.table if isinstance(node, exp.Column) else ""
            matched = False
            for st in scope.tables:
                if tname and st.alias.lower() != tname.lower():
                    continue
                matched = True
                for cname, idx, ctype, nullable in st.columns:
                    exprs.append(Col(idx, cname, ctype, st.alias, nullable))
                    infos.append(_col_info(cname, exprs[-1], st))
            if not matched:
                if not scope.tables:
                    raise SQLError(1096, "HY000", "No tables used")
                raise SQLError.of("BAD_TABLE", tname)
            continue
        e = binder.bind(node)
        if isinstance(item, exp.Alias):
            name = item.alias
        else:
            name = _item_name(texts, pos, node)
            if texts is not None and _has_literal(node):
                env.literal_names = True
        exprs.append(e)
        st = next((s for s in scope.tables if isinstance(e, Col) and s.alias == e.table), None)
        infos.append(_col_info(name, e, st))
    aliases = {}
    for item, e in zip(sel.expressions, exprs):
        if isinstance(item, exp.Alias):
            aliases.setdefault(item.alias.lower(), e)

    group = sel.args.get("group")
    having = sel.args.get("having")
    order = sel.args.get("order")
    has_aggs = group is not None or any(_contains_agg(x) for x in exprs)
    having_e = None
    order_keys: list[tuple[Expr, bool]] = []
    hb = Binder(env, scope, "having clause", allow_aggs=True)
    hb.aliases = aliases
    if having is not None:
        having_e = hb.bind(having.this)
        has_aggs = has_aggs or _contains_agg(having_e)
    if order is not None:
        ob = Binder(env, scope, "order clause", allow_aggs=True)
        ob.aliases = aliases
        for o in order.expressions:
            key = o.this
            if isinstance(key, exp.Literal) and not key.is_string:
                env.cacheable = False
                n = int(_number(key.this)) if "." not in key.this else None
                if n is None or not 1 <= n <= len(exprs):
                    raise SQLError.of("BAD_FIELD", key.this, "order clause")
                ke = exprs[n - 1]
            else:
                ke = ob.bind(key)
            order_keys.append((ke, bool(o.args.get("desc"))))
        has_aggs = has_aggs or any(_contains_agg(k) for k, _ in order_keys)

    if has_aggs:
        groups = tuple(Binder(env, scope, "group statement").bind(g) for g in (group.expressions if group else ()))
        aggs: list[Agg] = []
        db = scope.tables[0].db if scope.tables else ""
        exprs = [_rewrite_agg(x, groups, aggs, group is not None, i + 1, db) for i, x in enumerate(exprs)]
        if having_e is not None:
            having_e = _rewrite_agg(having_e, groups, aggs, True, 0, db)
        order_keys = [(_rewrite_agg(k, groups, aggs, True, 0, db), d) for k, d in order_keys]
        source = Aggregate(source, groups, tuple(aggs))
        if having_e is not None:
            source = Filter(source, having_e)
    elif having_e is not None:
        source = Filter(source, having_e)
    if order_keys:
        source = Sort(source, tuple(order_keys))
    root = Project(source, tuple(exprs))
    if sel.args.get("distinct"):
        root = Distinct(root)
    limit = sel.args.get("limit")
    offset = sel.args.get("offset")
    if limit is not None or offset is not None:
        lb = Binder(env, Scope([]), "limit")
        lim = lb.bind(limit.expression) if limit is not None else None
        off = lb.bind(offset.expression) if offset is not None else None
        root = Limit(root, lim, off)
    return Query(root, tuple(infos))


def _has_literal(node) -> bool:
    return any(isinstance(n, (exp.Literal, exp.HexString, exp.BitString)) for n in node.walk())


def _item_name(texts, pos, node) -> str:
    if isinstance(node, exp.Column):
        return node.name  # MySQL names a column reference by the column as typed, without its qualifier
    if texts is not None and pos < len(texts):
        return item_name(texts[pos])
    if isinstance(node, exp.Column):
        return node.name
    return node.sql(dialect="mysql")


def item_name(text: str) -> str:
    """MySQL's name for an unaliased select item: its text, a string literal's value, a column's name."""
    from sqlserver.engine.parser import unescape_string

    from sqlserver.engine.parser import _TOKEN

    tokens = [m for m in _TOKEN.finditer(text) if m.lastgroup not in ("ws", "comment")]
    if len(tokens) == 1 and tokens[0].lastgroup == "str":
        return unescape_string(text)
    if text.startswith("`") and text.endswith("`") and text.count("`") == 2:
        return text[1:-1]
    if "." in text and "`" in text and all(p.startswith("`") and p.endswith("`") for p in text.split(".")):
        return text.split(".")[-1][1:-1]
    return text


def _col_info(name: str, e: Expr, st) -> ColumnInfo:
    if isinstance(e, Col) and st is not None:
        return ColumnInfo(name, e.type, st.alias, st.db, e.name, st.table_name, e.nullable,
                          0 if e.nullable else NOT_NULL_FLAG)
    return ColumnInfo(name, e.type)


def _contains_agg(e: Expr) -> bool:
    if isinstance(e, Agg):
        return True
    return any(_contains_agg(c) for c in e.children())


def _rewrite_agg(e: Expr, groups, aggs: list, grouped: bool, pos: int, db: str = "") -> Expr:
    """``e`` over the Aggregate's output row (groups..., aggs...)."""
    for i, g in enumerate(groups):
        if e == g:
            return Col(i, getattr(g, "name", f"group{i}"), g.type)
    if isinstance(e, Agg):
        if e not in aggs:
            aggs.append(e)
        return Col(len(groups) + aggs.index(e), "agg", e.type)
    if isinstance(e, Col):
        if grouped:
            raise SQLError(1055, "42000", f"Expression #{pos or 1} of SELECT list is not in GROUP BY clause and "
                           f"contains nonaggregated column '{db}.{e.table}.{e.name}' which is not functionally dependent "
                           "on columns in GROUP BY clause; this is incompatible with sql_mode=only_full_group_by")
        raise SQLError(1140, "42000", f"In aggregated query without GROUP BY, expression #{pos or 1} of SELECT list "
                       f"contains nonaggregated column '{db}.{e.table}.{e.name}'; this is incompatible with "
                       "sql_mode=only_full_group_by")
    if isinstance(e, Call):
        return Call(e.op, tuple(_rewrite_agg(a, groups, aggs, grouped, pos, db) for a in e.args), e.type)
    return e


# --- INSERT / UPDATE / DELETE -----------------------------------------------------------------


def plan_insert(ins: exp.Insert, env: Env) -> Insert:
    target = ins.this
    names = None
    if isinstance(target, exp.Schema):
        names = [i.name for i in target.expressions]
        target = target.this
    if ins.args.get("ignore") or ins.args.get("conflict"):
        raise SQLError.of("NOT_SUPPORTED_YET", "INSERT IGNORE / ON DUPLICATE KEY UPDATE")
    ref, types, db, is_sys = table_ref(env, target)
    if is_sys:
        raise SQLError(1036, "HY000", f"Table '{target.name}' is read only")
    schema = ref.schema
    if names is None:
        positions = tuple(i for _, i in visible_columns(schema))
    else:
        pos = []
        for n in names:
            p = schema.position(n)
            if p is None or n == HIDDEN_PK:
                raise SQLError.of("BAD_FIELD", n, "field list")
            if p in pos:
                raise SQLError(1110, "42000", f"Column '{schema.columns[p].name}' specified twice")
            pos.append(p)
        positions = tuple(pos)
    values = ins.expression
    if not isinstance(values, exp.Values):
        raise SQLError.of("NOT_SUPPORTED_YET", "INSERT ... SELECT")
    binder = Binder(env, Scope([]), "field list")
    rows = []
    for n, tup in enumerate(values.expressions, 1):
        items = tup.expressions if isinstance(tup, exp.Tuple) else [tup]
        if len(items) != len(positions) and not (len(items) == 0 and names is None):
            raise SQLError.of("WRONG_VALUE_COUNT_ON_ROW", n)
        row = []
        for it in items:
            if isinstance(it, exp.Var) and it.name.upper() == "DEFAULT" or isinstance(it, exp.Column) and \
                    it.name.upper() == "DEFAULT" and not it.table and isinstance(it.this, exp.Var):
                row.append(None)
            else:
                row.append(binder.bind(it))
        if not items:
            rows.append(tuple(None for _ in positions))
        else:
            rows.append(tuple(row))
    return Insert(ref, positions, tuple(rows))


def _dml_source(env: Env, node, ref: TableRef, scope: Scope):
    source = Scan(ref)
    where = node.args.get("where")
    if where is not None:
        source = Filter(source, Binder(env, scope, "where clause").bind(where.this))
    order = node.args.get("order")
    if order is not None:
        ob = Binder(env, scope, "order clause")
        source = Sort(source, tuple((ob.bind(o.this), bool(o.args.get("desc"))) for o in order.expressions))
    limit = node.args.get("limit")
    if limit is not None:
        lim = limit.expression if isinstance(limit, exp.Limit) else limit
        source = Limit(source, Binder(env, Scope([]), "limit").bind(lim), None)
    return source


def plan_update(upd: exp.Update, env: Env) -> Update:
    if upd.args.get("joins") or upd.args.get("from_") or upd.args.get("from"):
        raise SQLError.of("NOT_SUPPORTED_YET", "multi-table UPDATE")
    t = upd.this
    ref, types, db, is_sys = table_ref(env, t)
    if is_sys:
        raise SQLError(1036, "HY000", f"Table '{t.name}' is read only")
    scope = Scope([_table_scope(ref, t.alias_or_name, types, db)])
    binder = Binder(env, scope, "field list")
    assigns = []
    for a in upd.expressions:
        col = a.this
        c = scope.resolve(col.name, col.table, "field list")
        value = a.expression
        if isinstance(value, exp.Var) and value.name.upper() == "DEFAULT" or isinstance(value, exp.Column) and \
                value.name.upper() == "DEFAULT" and isinstance(value.this, exp.Var):
            assigns.append((c.index, Const(_DefaultMarker, None)))
            continue
        assigns.append((c.index, binder.bind(value)))
    return Update(ref, _dml_source(env, upd, ref, scope), tuple(assigns))


class _DefaultMarker:
    """Assigning DEFAULT in UPDATE: the executor substitutes the column default."""


DEFAULT_MARKER = _DefaultMarker


def plan_delete(dl: exp.Delete, env: Env) -> Delete:
    t = dl.this
    if dl.args.get("using") or dl.args.get("tables"):
        raise SQLError.of("NOT_SUPPORTED_YET", "multi-table DELETE")
    ref, types, db, is_sys = table_ref(env, t)
    if is_sys:
        raise SQLError(1036, "HY000", f"Table '{t.name}' is read only")
    scope = Scope([_table_scope(ref, t.alias_or_name, types, db)])
    return Delete(ref, _dml_source(env, dl, ref, scope))


def plan_statement(tree, env: Env):
    if isinstance(tree, exp.Select):
        return plan_select(tree, env)
    if isinstance(tree, exp.Insert):
        return plan_insert(tree, env)
    if isinstance(tree, exp.Update):
        return plan_update(tree, env)
    if isinstance(tree, exp.Delete):
        return plan_delete(tree, env)
    if isinstance(tree, exp.Union):
        raise SQLError.of("NOT_SUPPORTED_YET", "UNION")
    raise SQLError.of("NOT_SUPPORTED_YET", type(tree).__name__)
