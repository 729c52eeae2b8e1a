"""Stage 2: syntax tree -> plan.  Name resolution, types, validation.

``plan_statement(tree, env)`` turns a parsed SELECT/INSERT/UPDATE/DELETE
into an immutable plan (sqlserver.engine.plan).  ``env`` supplies the
catalog (a table's schema as the session's transaction sees it) and the
literal slots found by the parser: each sqlglot literal becomes
``Param(slot)`` by its start offset, so the plan serves any statement with
the same shape.  When planning needs a literal's *value* (``ORDER BY 2``
names a select item by position) the planner reads it and sets
``env.cacheable = False``: such plans are cached only under the exact text.

Scopes are lists of tables, each owning a contiguous slice of the row tuple
(``_ScopeTable.offset``).  With several tables, ON and WHERE are bound
against the written order, ``joins.plan_joins`` chooses the join order and
methods, and the select list is bound against the offsets rows really have.
Hidden columns (the implicit primary key of a table declared without one,
``HIDDEN_PK``) are in the row but not in the scope.

A subquery's scope links to the enclosing one (``_Outer``): a name found only
there becomes ``OuterRef(k)`` inside, and the enclosing expression is added
to the subquery's correlation list (``Subquery.outer``).
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass, field
from dataclasses import replace as dataclass_replace

from sqlglot import exp

from sqlserver.engine import functions
from sqlserver.engine.casts import cast_type
from sqlserver.engine.expressions import T_BIGINT, T_DOUBLE, arith_kind, decimal_type, merge_types
from sqlserver.engine import joins
from sqlserver.engine.plan import (
    Agg, Aggregate, Call, Col, Const, Delete, Derived, Distinct, Expr, Filter, Insert, Limit, LockRows, OneRow,
    Node, OuterRef, Param, Project, Query, Scan, SetOp, Sort, Subquery, SysVar, SystemScan, TableRef, Update,
    UserVar,
)
from sqlserver.engine.results import ColumnInfo
from sqlserver.engine.special_forms import bind_special
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
    columns: list  # (name, index within the table's row, type, nullable)
    db: str = ""
    table_name: str = ""
    offset: int = 0  # where the table's row starts in the rows the scope's expressions read


class _Outer:
    """A subquery's link to its enclosing scope: the enclosing expressions it reads, in slot order."""

    def __init__(self, scope: "Scope"):
        self.scope = getattr(scope, "base", scope)  # a subquery sees FROM columns, not HAVING's alias-first view
        self.exprs: list[Expr] = []

    def slot(self, e: Expr) -> int:
        for i, x in enumerate(self.exprs):
            if x == e:
                return i
        self.exprs.append(e)
        return len(self.exprs) - 1


class Scope:
    def __init__(self, tables: list[_ScopeTable], outer: _Outer | None = None, using: dict | None = None):
        self.tables = tables
        self.outer = outer
        self.using = using  # lower name -> (_ScopeTable, column tuple): USING/NATURAL join columns
        self.star: list | None = None  # (table, column) in SELECT * order, when joins reorder it (USING)

    def resolve(self, name: str, table: str, clause: str) -> Expr:
        lname, ltable = name.lower(), table.lower()
        if not ltable and self.using and lname in self.using:
            t, (cname, idx, ctype, nullable) = self.using[lname]
            return Col(t.offset + idx, cname, ctype, t.alias, nullable)
        found = None
        for t in self.tables:
            if ltable and t.alias.lower() != ltable:
                continue
            for cname, idx, ctype, nullable in t.columns:
                if cname.lower() == lname:
                    if found is not None:
                        raise SQLError.of("NON_UNIQ", name, clause)
                    found = Col(t.offset + idx, cname, ctype, t.alias, nullable)
        if found is None:
            if self.outer is not None:
                try:
                    e = self.outer.scope.resolve(name, table, clause)
                except SQLError as err:
                    if err.errno != 1054:
                        raise
                else:
                    return OuterRef(self.outer.slot(e), getattr(e, "name", name), e.type,
                                    getattr(e, "table", ""), getattr(e, "nullable", True))
            raise SQLError.of("BAD_FIELD", f"{table}.{name}" if table else name, clause)
        return found


class _AliasFirst(Scope):
    """HAVING's names: a select alias wins over a FROM column of the same name unless that column is
    a GROUP BY item (MySQL prefers the GROUP BY column then, and the alias otherwise)."""

    def __init__(self, base: Scope, names: set):
        super().__init__(base.tables, base.outer, base.using)
        self.star, self.base, self.names = base.star, base, names

    @staticmethod
    def of(scope: Scope, aliases: dict, group) -> Scope:
        grouped = {g.name.lower() for g in (group.expressions if group else ()) if isinstance(g, exp.Column)}
        names = {a for a in aliases if a not in grouped}
        return _AliasFirst(scope, names) if names else scope

    def resolve(self, name: str, table: str, clause: str) -> Expr:
        if not table and name.lower() in self.names:
            raise SQLError.of("BAD_FIELD", name, clause)  # the binder then takes the alias
        return super().resolve(name, table, clause)


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
    exp.BitwiseAnd: "&", exp.BitwiseOr: "|", exp.BitwiseXor: "^", exp.BitwiseLeftShift: "<<",
    exp.BitwiseRightShift: ">>",
}
_FUNC_ALIASES = {"current_timestamp": "now", "current_schema": "database", "current_version": "version",
                 "current_user": "current_user"}
# sqlglot nodes whose MySQL function name differs from sqlglot's sql_name()
_FUNC_NAMES = {
    exp.Trunc: "truncate", exp.Pow: "pow", exp.SHA: "sha1", exp.Stuff: "insert", exp.Chr: "char",
    exp.CurrentDate: "curdate", exp.CurrentTime: "curtime", exp.TsOrDsToDate: "date",
    exp.UtcTimestamp: "utc_timestamp", exp.Ceil: "ceil", exp.Substring: "substring", exp.Nullif: "nullif",
    exp.DayOfWeek: "dayofweek", exp.DayOfMonth: "dayofmonth", exp.DayOfYear: "dayofyear",
}
_CAST_TARGETS = {
    "BIGINT": "signed", "UBIGINT": "unsigned", "INT": "signed", "UINT": "unsigned", "DECIMAL": "decimal",
    "CHAR": "char", "NCHAR": "char", "VARCHAR": "char", "NVARCHAR": "char", "TEXT": "char", "BINARY": "binary",
    "VARBINARY": "binary", "DOUBLE": "double", "FLOAT": "float", "DATE": "date", "DATETIME": "datetime",
    "TIMESTAMP": "datetime", "TIMESTAMPTZ": "datetime", "TIME": "time", "YEAR": "year", "JSON": "json", "CHARACTER_SET": "char",
}


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
            if env.slots and not (e.meta and "start" in e.meta):
                env.cacheable = False  # a literal sqlglot rewrote (INTERVAL 1 DAY): its value is baked in
            v = e.this if e.is_string else _number(e.this)
            return Const(v, _value_type(v))
        if isinstance(e, (exp.HexString, exp.BitString)):
            slot = env.slots.get(e.meta.get("start")) if e.meta else None
            if slot is not None:
                i, lit = slot
                return Param(i, _literal_type(lit, env.params[i]))
            raise SQLError.of("NOT_SUPPORTED_YET", "this literal")
        if isinstance(e, exp.Introducer):  # _binary'..' is bytes (parser.normalize: kind 'b'); _utf8mb4'..' a string
            a = self.bind(e.expression)
            if str(e.this).lower() == "_binary" and isinstance(a, Const) and isinstance(a.value, str):
                v = a.value.encode("utf-8", "surrogateescape")
                return Const(v, SqlType("varbinary", length=max(len(v), 1)))
            return a
        if isinstance(e, exp.Null):
            return Const(None, None)
        if isinstance(e, exp.Boolean):
            return Const(1 if e.this else 0, T_BIGINT)
        if isinstance(e, exp.Paren):
            return self.bind(e.this)
        if isinstance(e, exp.Cast):
            return self._cast(e)
        if isinstance(e, exp.Collate):
            return self._collate(e)
        special = bind_special(self, e)  # intervals, EXTRACT, LIKE ESCAPE, REGEXP, JSON arrows (special_forms)
        if special is not None:
            return special
        op = _BINARY.get(type(e))
        if op is not None:
            if isinstance(e.expression, (exp.Any, exp.All)) and op in ("=", "<>", "<", "<=", ">", ">="):
                quant = "any" if isinstance(e.expression, exp.Any) else "all"
                return self._subquery(e.expression.this, f"{quant}:{op}", self.bind(e.this))
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
                if isinstance(e.this, exp.Tuple):
                    raise SQLError.of("NOT_SUPPORTED_YET", "row subqueries")
                return self._subquery(e.args["query"], "in", self.bind(e.this))
            args = (self.bind(e.this), *(self.bind(x) for x in e.expressions))
            if _is_null(args[0]):  # NULL IN (...) is NULL whatever the list: MySQL folds it
                return Const(None, T_BIGINT)
            return Call("in", args, T_BIGINT)
        if isinstance(e, exp.Between):
            args = (self.bind(e.this), self.bind(e.args["low"]), self.bind(e.args["high"]))
            if _is_null(args[0]) or _is_null(args[1]) and _is_null(args[2]):
                return Const(None, T_BIGINT)
            return Call("between", args, T_BIGINT)
        if isinstance(e, exp.Like):
            c = Call("like", (self.bind(e.this), self.bind(e.expression)), T_BIGINT)
            return Call("not", (c,), T_BIGINT) if e.args.get("negate") else c
        if isinstance(e, exp.Case):
            args, has_operand = [], e.this is not None
            if has_operand:
                args.append(self.bind(e.this))
            for w in e.args.get("ifs") or ():
                args.append(self.bind(w.this))
                args.append(self.bind(w.args["true"]))
            if e.args.get("default") is not None:
                args.append(self.bind(e.args["default"]))
            n_ifs = len(e.args.get("ifs") or ())
            first = 2 if has_operand else 1
            results = [args[first + 2 * i] for i in range(n_ifs)]
            if e.args.get("default") is not None:
                results.append(args[-1])
            t = merge_types([a.type for a in results])
            if has_operand:
                has_default = e.args.get("default") is not None
                args = self._fold_case(args, has_default)
                if len(args) - has_default == 1:  # no WHEN can match: the ELSE (or NULL), operand unevaluated
                    return args[-1] if has_default else Const(None, t)
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
        if isinstance(e, exp.Placeholder):  # a prepared statement's ? (driver.run_prepared): its slot, or NULL
            slot = env.slots.get(e.meta.get("start")) if e.meta else None
            if slot is None:
                raise SQLError.of("PARSE", "?", 1)
            i, lit = slot
            return Const(None, None) if i is None else Param(i, _literal_type(lit, env.params[i]))
        if isinstance(e, (exp.Count, exp.Sum, exp.Min, exp.Max, exp.Avg)):
            return self._agg(e)
        if isinstance(e, exp.Window):  # window functions hook (sqlserver.engine.windows)
            from sqlserver.engine import windows

            return windows.bind(self, e)
        if isinstance(e, (exp.GroupConcat, exp.Grouping)):  # GROUP_CONCAT / GROUPING() hook (engine.grouping)
            from sqlserver.engine import grouping

            return grouping.bind(self, e)
        if isinstance(e, (exp.Subquery, exp.Select, exp.SetOperation)):
            return self._subquery(e, "scalar")
        if isinstance(e, exp.Exists):
            return self._subquery(e.this, "exists")
        if isinstance(e, exp.Func):
            return self._func(e)
        if isinstance(e, exp.Var) and e.name.upper() == "DEFAULT":
            raise SQLError.of("PARSE", "DEFAULT", 1)
        raise SQLError.of("NOT_SUPPORTED_YET", f"expression {e.sql(dialect='mysql')!r}")

    def _fold_case(self, args: list, has_default: bool) -> list:
        """``CASE <constant> WHEN <constant> ...``: drop the WHENs that cannot match, as MySQL does before
        its only_full_group_by check.  The result depends on literal values: the plan is not cached."""
        operand = args[0]
        end = len(args) - has_default
        if any(_always_null(args[i]) for i in range(1, end, 2)):  # WHEN NULL never matches: drop it
            args = [operand] + [x for i in range(1, end, 2) if not _always_null(args[i])
                                for x in (args[i], args[i + 1])] + args[end:]
        if not _never_null(operand) or not any(_never_null(w) for w in args[1:len(args) - has_default:2]):
            return args
        from sqlserver.engine.expressions import DEFAULT_KEY, compare_values, compile_expr

        class _Const:
            params, now, state = self.env.params, None, None

            def warn(self, *a, **k):
                pass

        def value(x):
            return compile_expr(x)((), _Const())

        try:
            v = value(operand)
        except SQLError:
            return args
        self.env.cacheable = False
        kept = [operand]
        end = len(args) - has_default
        for i in range(1, end, 2):
            w, r = args[i], args[i + 1]
            if _never_null(w):
                try:
                    c = compare_values(v, value(w), DEFAULT_KEY)
                except SQLError:
                    c = None
                if c is not None and c != 0:
                    continue  # can never match
                if c == 0:
                    return kept + [w, r]  # always matches: later branches and ELSE are dead
            kept += [w, r]
        if has_default:
            kept.append(args[-1])
        return kept

    def _collate(self, e) -> Expr:
        """``expr COLLATE name``: the value unchanged, compared and sorted under ``name`` (which wins
        over the operands' own collations).  Not a column any more, so no index built under the
        column's collation serves it."""
        from sqlserver.engine.ddl import collation_for_name

        a = self.bind(e.this)
        name = e.expression.name
        coll = collation_for_name(name)
        if a.type is None:
            return a  # NULL COLLATE x
        if not a.type.is_string:
            raise SQLError(1253, "42000", f"COLLATION '{name}' is not valid for CHARACTER SET 'binary'")
        return Call("collate", (a,), dataclass_replace(a.type, collation=coll, explicit=True))

    def _cast(self, e: exp.Cast) -> Expr:
        """CAST(x AS type) / CONVERT(x, type) / CONVERT(x USING charset) -> Call('cast', (x,), target type)."""
        to = e.to
        target = _CAST_TARGETS.get(to.this.name) if isinstance(to, exp.DataType) else None
        if target is None:
            raise SQLError.of("PARSE", e.sql(dialect="mysql"), 1)
        params = []
        for p in to.expressions:
            v = p.this if isinstance(p, exp.DataTypeParam) else p
            if not isinstance(v, exp.Literal) or v.is_string:
                raise SQLError.of("PARSE", e.sql(dialect="mysql"), 1)
            params.append(int(v.this))
        if target == "decimal" and params:
            p_, s_ = params[0], params[1] if len(params) > 1 else 0
            if p_ > 65 or s_ > 30 or s_ > p_:
                errno = 1426 if p_ > 65 else 1425 if s_ > 30 else 1427
                msg = (f"Too-big precision {p_} specified for '{e.this.sql(dialect='mysql')}'. Maximum is 65."
                       if p_ > 65 else f"Too big scale {s_} specified for '{e.this.sql(dialect='mysql')}'. "
                       "Maximum is 30." if s_ > 30 else
                       f"For float(M,D), double(M,D) or decimal(M,D), M must be >= D (column "
                       f"'{e.this.sql(dialect='mysql')}').")
                raise SQLError(errno, "42000", msg)
        return Call("cast", (self.bind(e.this),), cast_type(target, params))

    def _subquery(self, node, kind: str, operand: Expr | None = None) -> Expr:
        while isinstance(node, (exp.Subquery, exp.Paren)) and not node.args.get("alias"):
            node = node.this
        link = _Outer(self.scope)
        query = plan_query(node, self.env, link)
        if kind != "exists" and len(query.columns) != 1:
            raise SQLError.of("OPERAND_COLUMNS", 1)
        from sqlserver.engine.optimizer import optimize

        t = query.columns[0].sqltype if kind == "scalar" else T_BIGINT
        return Subquery(kind, optimize(query), tuple(link.exprs), operand, t)

    def _func(self, e: exp.Func) -> Expr:
        if isinstance(e, exp.Anonymous):
            name = str(e.this).lower()
            raw_args = list(e.expressions)
        elif isinstance(e, exp.StrPosition):  # LOCATE(sub, s[, pos]), INSTR(s, sub), POSITION(sub IN s)
            name = "locate"
            raw_args = [e.args["substr"], e.this] + ([e.args["position"]] if e.args.get("position") else [])
        elif isinstance(e, exp.Length):
            name = "length" if e.args.get("binary") else "char_length"
            raw_args = [e.this]
        elif isinstance(e, exp.Trim):
            pos = str(e.args.get("position") or "").upper()
            name = {"LEADING": "ltrim", "TRAILING": "rtrim"}.get(pos, "trim")
            raw_args = [e.this] + ([e.expression] if e.expression is not None else [])
        elif isinstance(e, exp.Pad):
            name = "lpad" if e.args.get("is_left") else "rpad"
            raw_args = [e.this, e.expression] + ([e.args["fill_pattern"]] if e.args.get("fill_pattern") else [])
        else:
            name = _FUNC_NAMES.get(type(e)) or e.sql_name().lower()
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
        if name in ("coalesce", "ifnull"):
            # MySQL drops the arguments after the first non-NULL constant before checking
            # only_full_group_by, so they may name ungrouped columns
            k = next((i for i, a in enumerate(args) if _never_null(a)), None)
            if k is not None and k < len(args) - 1:
                return Call("fn:coalesce", args[:k + 1], t)
        return Call("fn:" + name, args, t)

    def _agg(self, e) -> Expr:
        if not self.allow_aggs:
            raise SQLError(1111, "HY000", "Invalid use of group function")
        inner = e.this
        distinct = False
        if isinstance(inner, exp.Distinct):
            distinct = True
            if len(inner.expressions) != 1:  # COUNT(DISTINCT a, b) hook (sqlserver.engine.grouping)
                from sqlserver.engine import grouping

                return grouping.count_distinct_rows(self, e, inner.expressions)
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


class _HavingBinder(Binder):
    """HAVING: aliases first (``_AliasFirst``), except inside an aggregate's argument, which reads FROM columns."""

    def _agg(self, e) -> Expr:
        saved = self.scope
        self.scope = getattr(saved, "base", saved)
        try:
            return super()._agg(e)
        finally:
            self.scope = saved


def _number(text: str):
    if "e" in text.lower():
        return float(text)
    if "." in text:
        return decimal.Decimal(text)
    return int(text)


def _always_null(e: Expr) -> bool:
    """NULL whatever the literal values: NULL, or a cast or negation of it."""
    if isinstance(e, Const):
        return e.value is None
    return isinstance(e, Call) and e.op in ("cast", "neg") and len(e.args) >= 1 and _always_null(e.args[0])


def _never_null(e: Expr) -> bool:
    """A constant that cannot be NULL whatever the literal values (a literal, its negation, a cast of it)."""
    if isinstance(e, Param):
        return True
    if isinstance(e, Const):
        return e.value is not None
    if isinstance(e, Call):
        if e.op in ("neg", "~", "+", "-", "*", "fn:coalesce") or e.op == "cast" and e.type is not None and (
                e.type.is_integer or e.type.name in ("decimal", "double", "float") or e.type.is_string):
            return all(_never_null(a) for a in e.args) if e.op != "fn:coalesce" else _never_null(e.args[0])
    return False


def _is_null(e: Expr) -> bool:
    return isinstance(e, Const) and e.value is None


def _literal_type(lit, value) -> SqlType:
    k = lit.kind
    if k == "i":
        return T_BIGINT  # one type for every value: the plan is cached for all of them (arith handles > 2^63-1)
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
        # MySQL: integer arithmetic is UNSIGNED when either operand is (so 0 - CAST(1 AS UNSIGNED) is 1690)
        unsigned = bool(ta is not None and ta.unsigned and ta.is_integer or tb is not None and tb.unsigned
                        and tb.is_integer)
        return SqlType("bigint", unsigned=unsigned)
    if op in ("&", "|", "^", "<<", ">>"):
        return SqlType("bigint", unsigned=True)
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
    sys_cols = cat.system_table(name, db)
    if sys_cols is not None:
        return None, sys_cols, db or env.current_db or "", True
    revision = _revision(t)
    if revision is not None:
        env.cacheable = False  # the plan is for this revision's schema: cached by the exact text only
        schema, types, real_name = cat.schema(db, name, revision)
    else:
        schema, types, real_name = cat.schema(db, name)
    ref = TableRef(db, real_name, schema, t.alias_or_name, revision)
    env.tables.append(ref)
    return ref, types, db or env.current_db or "", False


def _read_only(name: str, db: str) -> SQLError:
    """The error for a write into a system table: 1044 in information_schema (MySQL), else 1036."""
    if db.lower() == "information_schema":
        from sqlserver.engine.information_schema import access_denied

        return access_denied()
    return SQLError(1036, "HY000", f"Table '{name}' is read only")


def _revision(t: exp.Table) -> str | None:
    """The revision of ``t AS OF <revision>`` (a string, or a bare name like main), or None."""
    version = t.args.get("version")
    if version is None:
        return None
    e = version.expression
    if isinstance(e, exp.Literal) and e.is_string:
        return e.this
    if isinstance(e, (exp.Column, exp.Identifier)) and not isinstance(e, exp.Star):
        return e.name
    raise SQLError(1105, "HY000", f"AS OF needs a branch, tag or commit name, not {e.sql(dialect='mysql')}")


class _From:
    """A FROM clause being planned: relations in written order and the logical join tree over them."""

    def __init__(self, env: Env, outer: _Outer | None):
        self.env, self.outer = env, outer
        self.rels: list[joins.Relation] = []
        self.tables: list[_ScopeTable] = []  # one per relation, same index
        self.width = 0
        self.using: dict = {}
        self.straight = False
        self.star: dict = {}  # tree id -> [(table, column)] in SELECT * order (USING columns first)

    def scope(self, rel_ids=None) -> Scope:
        tables = self.tables if rel_ids is None else [self.tables[i] for i in sorted(rel_ids)]
        return Scope(tables, self.outer, self.using)

    def _add(self, node, st: _ScopeTable, width: int, ref=None, rows: float = 100.0) -> int:
        for other in self.tables:
            if other.alias.lower() == st.alias.lower():
                raise SQLError(1066, "42000", f"Not unique table/alias: '{st.alias}'")
        st.offset = self.width
        self.rels.append(joins.Relation(node, width, self.width, ref, rows))
        self.tables.append(st)
        self.width += width
        return len(self.rels) - 1

    def item(self, t):
        """The logical tree of one FROM item (a table, a derived table, a parenthesised join)."""
        env = self.env
        if isinstance(t, exp.Table):
            if t.args.get("joins"):
                base = t.copy()
                base.set("joins", None)
                return self.joined(self.item(base), t.args["joins"])
            if getattr(env, "ctes", None):  # WITH hook: a CTE name is a derived table (sqlserver.engine.ctes)
                from sqlserver.engine import ctes

                found = ctes.reference(env, t)
                if found is not None:
                    node, cols = found
                    st = _ScopeTable(t.alias_or_name, None, cols, "", t.alias_or_name)
                    rel = self._add(node, st, len(cols))
                    self.star[rel] = [(st, c) for c in cols]
                    return rel
            ref, types, db, is_sys = table_ref(env, t)
            if is_sys:
                cols = [(n, i, ty, True) for i, (n, ty) in enumerate(types)]
                st = _ScopeTable(t.alias_or_name, None, cols, db, t.name.lower())
                rel = self._add(SystemScan(t.name.lower(), t.db or None), st, len(cols))
            else:
                rows = float(env.catalog.row_count(ref)) if hasattr(env.catalog, "row_count") else 100.0
                rel = self._add(Scan(ref), _table_scope(ref, t.alias_or_name, types, db), len(ref.schema.columns),
                                ref, rows)
            self.star[rel] = [(self.tables[rel], c) for c in self.tables[rel].columns]
            return rel
        if isinstance(t, (exp.Subquery, exp.Paren)):
            inner = t.this
            alias = t.alias if isinstance(t, exp.Subquery) else ""
            if isinstance(inner, exp.Table) and not alias:
                return self.item(inner)  # ( t1 JOIN t2 ON ... )
            if not alias:
                raise SQLError(1248, "42000", "Every derived table must have its own alias")
            query = plan_query(inner, env, None)
            cols, seen = [], set()
            for i, c in enumerate(query.columns):
                if c.name.lower() in seen:
                    raise SQLError.of("DUP_FIELDNAME", c.name)
                seen.add(c.name.lower())
                cols.append((c.name, i, c.sqltype, True))
            st = _ScopeTable(alias, None, cols, "", alias)
            rel = self._add(Derived(query, alias), st, len(cols))
            self.star[rel] = [(st, c) for c in cols]
            return rel
        raise SQLError.of("NOT_SUPPORTED_YET", f"FROM item {t.sql(dialect='mysql')!r}")

    def star_of(self, tree) -> list:
        return self.star[tree if isinstance(tree, int) else id(tree)]

    def rel_ids(self, tree) -> list[int]:
        if isinstance(tree, int):
            return [tree]
        if isinstance(tree, joins.Inner):
            return [r for c in tree.children for r in self.rel_ids(c)]
        return self.rel_ids(tree.left) + self.rel_ids(tree.right)

    def joined(self, tree, join_nodes):
        for j in join_nodes:
            right = self.item(j.this)
            side = (j.side or "").upper()
            kind = (j.kind or "").upper()
            if kind == "STRAIGHT_JOIN":
                self.straight = True
            lids, rids = self.rel_ids(tree), self.rel_ids(right)
            conds: list[Expr] = []
            names = [i.name for i in j.args.get("using") or ()]
            star_l, star_r = self.star_of(tree), self.star_of(right)
            if (j.method or "").upper() == "NATURAL":
                rnames = {c[0].lower() for _, c in star_r}
                names = list(dict.fromkeys(c[0] for _, c in star_l if c[0].lower() in rnames))
            if names:
                first = []
                lnames = {n.lower() for n in names}
                for n in names:
                    lcol = self._using_col(lids, n)
                    rcol = self._using_col(rids, n)
                    conds.append(Call("=", (self._col(*lcol), self._col(*rcol)), T_BIGINT))
                    keep = rcol if side == "RIGHT" else lcol
                    self.using[n.lower()] = keep
                    first.append(keep)
                star = first + [x for x in (star_r + star_l if side == "RIGHT" else star_l + star_r)
                                if x[1][0].lower() not in lnames]
            else:
                star = star_l + star_r
            on = j.args.get("on")
            if on is not None:
                conds += joins.conjuncts(Binder(self.env, self.scope(lids + rids), "on clause").bind(on))
            if side == "LEFT":
                tree = joins.LeftOuter(tree, right, conds)
            elif side == "RIGHT":
                tree = joins.LeftOuter(right, tree, conds)
            elif isinstance(tree, joins.Inner):
                tree.children.append(right)
                tree.conds += conds
            else:
                tree = joins.Inner([tree, right], conds)
            self.star[id(tree)] = star
        return tree

    def _using_col(self, ids, name):
        found = None
        for r in ids:
            for c in self.tables[r].columns:
                if c[0].lower() == name.lower():
                    if found is not None:
                        if name.lower() in self.using:
                            return self.using[name.lower()]
                        raise SQLError.of("NON_UNIQ", name, "from clause")
                    found = (self.tables[r], c)
        if found is None:
            raise SQLError.of("BAD_FIELD", name, "from clause")
        return found

    @staticmethod
    def _col(t: _ScopeTable, c) -> Col:
        cname, idx, ctype, nullable = c
        return Col(t.offset + idx, cname, ctype, t.alias, nullable)


def plan_query(node, env: Env, outer: _Outer | None = None, top: bool = False) -> Query:
    """A SELECT, a set operation or a parenthesised query (subquery, derived table, INSERT ... SELECT).

    ``(query) ORDER BY ... LIMIT ...``: the parentheses' own ORDER BY/LIMIT apply to the inner result.
    """
    if isinstance(node, exp.SetOperation):
        return plan_set_operation(node, env, outer, top)
    if isinstance(node, exp.Select):
        return plan_select(node, env, outer, top)
    if isinstance(node, (exp.Subquery, exp.Paren)):
        q = plan_query(node.this, env, outer, top)
        if isinstance(node, exp.Subquery) and (node.args.get("order") or node.args.get("limit")
                                               or node.args.get("offset")):
            q = Query(_order_limit(q.root, q.columns, node, env), q.columns)
        return q
    raise SQLError.of("NOT_SUPPORTED_YET", type(node).__name__)


_SET_KINDS = {exp.Union: "union", exp.Except: "except", exp.Intersect: "intersect"}


def plan_set_operation(u: exp.SetOperation, env: Env, outer: _Outer | None = None, top: bool = True) -> Query:
    """UNION / EXCEPT / INTERSECT [DISTINCT|ALL] (MySQL 8.0.31+).

    sqlglot's tree already encodes precedence (INTERSECT binds tighter; it nests the tighter operation
    as a parenthesised operand) and left associativity (a left-deep chain).  The chain becomes one
    ``SetOp`` evaluated as a left fold, which for a run of UNIONs equals MySQL's rule that a UNION
    DISTINCT removes duplicates from everything to its left.
    """
    if u.args.get("with_") or u.args.get("with"):  # WITH hook: CTEs (sqlserver.engine.ctes)
        from sqlserver.engine import ctes

        return ctes.plan_with(u, env, outer, top, plan_set_operation)
    parts, ops = [], []

    def flatten(n):
        if isinstance(n, exp.SetOperation) and (n is u or not (n.args.get("order") or n.args.get("limit"))):
            flatten(n.this)
            kind = _SET_KINDS.get(type(n))
            if kind is None:
                raise SQLError.of("NOT_SUPPORTED_YET", type(n).__name__.upper())
            ops.append((kind, bool(n.args.get("distinct"))))
            parts.append(n.expression)
        elif isinstance(n, (exp.Select, exp.Subquery, exp.SetOperation)):
            parts.append(n)
        else:
            raise SQLError.of("NOT_SUPPORTED_YET", type(n).__name__.upper())
    flatten(u)
    queries = []
    for i, p in enumerate(parts):
        q = plan_query(p, env, outer, top=top and i == 0)
        if queries and len(q.columns) != len(queries[0].columns):
            raise SQLError(1222, "21000", "The used SELECT statements have a different number of columns")
        queries.append(q)
    first = queries[0]
    kinds = tuple(k for k, _ in ops)
    root = SetOp(tuple(q.root for q in queries), tuple(d for _, d in ops),
                 () if all(k == "union" for k in kinds) else kinds,
                 _collations(c.sqltype for c in first.columns))
    infos = tuple(ColumnInfo(c.name, c.sqltype) for c in first.columns)
    return Query(_order_limit(root, infos, u, env), infos)


plan_union = plan_set_operation


def _collations(types) -> tuple:
    """Per column, the collation DISTINCT/UNION tell string values apart by (None: not a string)."""
    return tuple(t.collation if t is not None and t.is_string else None for t in types)


def _order_limit(root: Node, columns, node, env: Env) -> Node:
    """The ORDER BY / LIMIT written after a set operation or a parenthesised query, over its result columns."""
    cols = [(c.name, i, c.sqltype, True) for i, c in enumerate(columns)]
    scope = Scope([_ScopeTable("", None, cols)])
    order = node.args.get("order")
    if order is not None:
        ob = Binder(env, scope, "order clause")
        keys = []
        for o in order.expressions:
            key = o.this
            if isinstance(key, exp.Literal) and not key.is_string:
                env.cacheable = False
                n = int(_number(key.this)) if "." not in key.this else None
                if n is None or not 1 <= n <= len(cols):
                    raise SQLError.of("BAD_FIELD", key.this, "order clause")
                ke = Col(n - 1, cols[n - 1][0], cols[n - 1][2])
            else:
                if isinstance(key, exp.Column) and key.table:
                    raise SQLError(1250, "42000", f"Table '{key.table}' from one of the SELECTs cannot be used "
                                   "in global ORDER clause")
                ke = ob.bind(key)
            keys.append((ke, bool(o.args.get("desc"))))
        root = Sort(root, tuple(keys))
    limit, offset = node.args.get("limit"), node.args.get("offset")
    if limit is not None or offset is not None:
        lb = Binder(env, Scope([]), "limit")
        root = Limit(root, lb.bind(limit.expression) if limit is not None else None,
                     lb.bind(offset.expression) if offset is not None else None)
    return root


def _plan_from(sel: exp.Select, env: Env, outer: _Outer | None):
    """(source node, scope, locked table ref) for the FROM and WHERE clauses of ``sel``."""
    t = _from_table(sel)
    where = sel.args.get("where")
    join_nodes = sel.args.get("joins")
    if t is None or (isinstance(t, exp.Table) and t.name.lower() == "dual" and not t.db and not join_nodes):
        source, scope = OneRow(), Scope([], outer)
        if where is not None:
            source = Filter(source, Binder(env, scope, "where clause").bind(where.this))
        return source, scope, None
    fr = _From(env, outer)
    tree = fr.item(t)
    if join_nodes:
        tree = fr.joined(tree, join_nodes)
    if any(isinstance(m, exp.Var) and m.name.upper() == "STRAIGHT_JOIN" for m in sel.args.get("operation_modifiers")
           or ()):
        fr.straight = True
    scope = fr.scope()
    scope.star = fr.star_of(tree)
    if isinstance(tree, int):  # one table: no join planning
        source = fr.rels[0].node
        if where is not None:
            source = Filter(source, Binder(env, scope, "where clause").bind(where.this))
        ref = fr.rels[0].ref
        if sel.args.get("locks") and ref is not None:
            source = LockRows(source, ref)
        return source, scope, ref
    conds = [] if where is None else joins.conjuncts(Binder(env, scope, "where clause").bind(where.this))
    source, positions = joins.plan_joins(fr.rels, tree, conds, fr.straight)
    for i, st in enumerate(fr.tables):
        st.offset = positions[i]
    return source, scope, None


def plan_select(sel: exp.Select, env: Env, outer: _Outer | None = None, top: bool = True) -> Query:
    if sel.args.get("with_") or sel.args.get("with"):  # WITH hook: CTEs (sqlserver.engine.ctes)
        from sqlserver.engine import ctes

        return ctes.plan_with(sel, env, outer, top, plan_select)
    source, scope, ref = _plan_from(sel, env, outer)

    # select list
    binder = Binder(env, scope, "field list", allow_aggs=True)
    exprs: list[Expr] = []
    infos: list[ColumnInfo] = []
    texts = env.item_texts if top else None
    for pos, item in enumerate(sel.expressions):
        node = item.this if isinstance(item, exp.Alias) else item
        if isinstance(node, exp.Star) or isinstance(node, exp.Column) and isinstance(node.this, exp.Star):
            tname = node.table if isinstance(node, exp.Column) else ""
            matched = False
            star = scope.star
            entries = star if star is not None and not tname else [(st, c) for st in scope.tables for c in st.columns]
            for st, (cname, idx, ctype, nullable) in entries:
                if tname and st.alias.lower() != tname.lower():
                    continue
                matched = True
                exprs.append(Col(st.offset + idx, cname, ctype, st.alias, nullable))
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
            if top and texts is not None and _has_literal(node):
                env.literal_names = True
        exprs.append(e)
        st = next((s for s in scope.tables if isinstance(e, Col) and s.alias == e.table), None)
        if st is not None and st.ref is None and isinstance(node, exp.Column) and st.db.lower() == "information_schema":
            name = e.name  # MySQL 8 names an information_schema column by its own (upper-case) name
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
    hb = _HavingBinder(env, _AliasFirst.of(scope, aliases, group), "having clause", allow_aggs=True)
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
        gb = Binder(env, scope, "group statement")
        groups = tuple(_group_key(gb, g, exprs, infos, aliases) for g in (group.expressions if group else ()))
        aggs: list[Agg] = []
        db = scope.tables[0].db if scope.tables else ""
        exprs = [_rewrite_agg(x, groups, aggs, group is not None, i + 1, db) for i, x in enumerate(exprs)]
        if having_e is not None:
            having_e = _rewrite_agg(having_e, groups, aggs, True, 0, db)
        order_keys = [(_rewrite_agg(k, groups, aggs, True, 0, db), d) for k, d in order_keys]
        source = Aggregate(source, groups, tuple(aggs))
        from sqlserver.engine import grouping  # WITH ROLLUP / GROUP_CONCAT hook (sqlserver.engine.grouping)

        source = grouping.extend(source, group)
        if having_e is not None:
            source = Filter(source, having_e)
    elif having_e is not None:
        source = Filter(source, having_e)
    from sqlserver.engine import windows  # window functions hook (sqlserver.engine.windows)

    if windows.used(exprs, order_keys):
        source, exprs, order_keys = windows.plan(source, exprs, order_keys)
    if order_keys:
        source = Sort(source, tuple(order_keys))
    root = Project(source, tuple(exprs))
    if sel.args.get("distinct"):
        root = Distinct(root, _collations(e.type for e in exprs))
    limit = sel.args.get("limit")
    offset = sel.args.get("offset")
    if limit is not None or offset is not None:
        lb = Binder(env, Scope([]), "limit")
        lim = lb.bind(limit.expression) if limit is not None else None
        off = lb.bind(offset.expression) if offset is not None else None
        root = Limit(root, lim, off)
    return Query(root, tuple(infos))


def _group_key(binder: Binder, g, exprs: list, infos: list, aliases: dict) -> Expr:
    """One GROUP BY item: a position (GROUP BY 1), else a FROM column, else a select alias (MySQL searches
    the FROM clause first); a position or alias naming an aggregate is 1056."""
    if isinstance(g, exp.Literal) and not g.is_string:
        binder.env.cacheable = False  # the position is part of the plan
        n = int(g.this) if g.this.isdigit() else 0
        if not 1 <= n <= len(exprs):
            raise SQLError.of("BAD_FIELD", g.this, "group statement")
        if _contains_agg(exprs[n - 1]):
            raise SQLError(1056, "42000", f"Can't group on '{infos[n - 1].name}'")
        return exprs[n - 1]
    if isinstance(g, exp.Column) and not g.table and g.name.lower() in aliases:
        try:
            return binder.bind(g)
        except SQLError as e:
            if e.errno != 1054:
                raise
        e = aliases[g.name.lower()]
        if _contains_agg(e):
            raise SQLError(1056, "42000", f"Can't group on '{g.name}'")
        return e
    return binder.bind(g)


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
    if len(tokens) == 2 and tokens[1].lastgroup == "str" and tokens[0].group()[0] == "_":  # _utf8mb4'x': x
        return unescape_string(tokens[1].group())
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
    if hasattr(e, "rewrite"):  # window functions hook: a WinFunc's expressions read the aggregated row
        return e.rewrite(lambda a: _rewrite_agg(a, groups, aggs, grouped, pos, db))
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
    if isinstance(e, Subquery):  # its correlation values are read from the aggregated row
        return Subquery(e.kind, e.query, tuple(_rewrite_agg(a, groups, aggs, grouped, pos, db) for a in e.outer),
                        None if e.operand is None else _rewrite_agg(e.operand, groups, aggs, grouped, pos, db),
                        e.type)
    return e


# --- INSERT / UPDATE / DELETE -----------------------------------------------------------------


def plan_insert(ins: exp.Insert, env: Env) -> Insert:
    target = ins.this
    names = None
    if isinstance(target, exp.Schema):
        names = [i.name for i in target.expressions]
        target = target.this
    ref, types, db, is_sys = table_ref(env, target)
    if is_sys:
        raise _read_only(target.name, db)
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
    if isinstance(values, (exp.Select, exp.SetOperation, exp.Subquery)):
        query = plan_query(values, env)
        if len(query.columns) != len(positions):
            raise SQLError.of("WRONG_VALUE_COUNT_ON_ROW", 1)
        return Insert(ref, positions, (), query.root)
    if not isinstance(values, exp.Values):
        raise SQLError.of("NOT_SUPPORTED_YET", "INSERT ... " + type(values).__name__.upper())
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
        raise _read_only(t.name, db)
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
    source = _dml_source(env, upd, ref, scope)
    _check_target_read(ref, [e for _, e in assigns] + [source])
    return Update(ref, source, tuple(assigns))


def _check_target_read(ref: TableRef, items) -> None:
    """1093: MySQL refuses a subquery reading the table an UPDATE/DELETE writes."""
    def walk(x, inside: bool):
        if isinstance(x, Subquery):
            walk(x.query.root, True)
        elif isinstance(x, Derived):
            return  # materialised first: allowed
        elif inside and isinstance(x, Scan) and x.table.name.lower() == ref.name.lower() and x.table.db == ref.db:
            raise SQLError(1093, "HY000", f"You can't specify target table '{ref.alias or ref.name}' for update "
                           "in FROM clause")
        if isinstance(x, Expr):
            for c in x.children():
                walk(c, inside)
            return
        for k in getattr(x, "__dataclass_fields__", ()):
            v = getattr(x, k)
            for item in (v if isinstance(v, tuple) else (v,)):
                for y in (item if isinstance(item, tuple) else (item,)):
                    if isinstance(y, (Expr, Node)):
                        walk(y, inside)
    for e in items:
        walk(e, False)


class _DefaultMarker:
    """Assigning DEFAULT in UPDATE: the executor substitutes the column default."""


DEFAULT_MARKER = _DefaultMarker


def plan_delete(dl: exp.Delete, env: Env) -> Delete:
    t = dl.this
    if dl.args.get("using") or dl.args.get("tables"):
        raise SQLError.of("NOT_SUPPORTED_YET", "multi-table DELETE")
    ref, types, db, is_sys = table_ref(env, t)
    if is_sys:
        raise _read_only(t.name, db)
    scope = Scope([_table_scope(ref, t.alias_or_name, types, db)])
    source = _dml_source(env, dl, ref, scope)
    _check_target_read(ref, [source])
    return Delete(ref, source)


def plan_statement(tree, env: Env):
    if isinstance(tree, exp.Select):
        return plan_select(tree, env)
    if isinstance(tree, exp.Insert):
        return _with_duplicate_mode(plan_insert(tree, env), tree, env)
    if isinstance(tree, exp.Update):
        return plan_update(tree, env)
    if isinstance(tree, exp.Delete):
        return plan_delete(tree, env)
    if isinstance(tree, (exp.SetOperation, exp.Subquery)):
        return plan_query(tree, env, top=True)
    raise SQLError.of("NOT_SUPPORTED_YET", type(tree).__name__)


def _with_duplicate_mode(plan: Insert, ins: exp.Insert, env: Env) -> Insert:
    """REPLACE (the parser marks it ``alternative``), INSERT IGNORE, ON DUPLICATE KEY UPDATE (``upsert``)."""
    if ins.args.get("conflict"):  # ON DUPLICATE KEY UPDATE hook: binding lives in sqlserver.engine.upsert
        from sqlserver.engine import upsert

        ref = plan.table
        types = [SqlType.parse(c.sql_type, c.collation) for c in ref.schema.columns]
        return dataclass_replace(plan, on_duplicate="update",
                                 updates=upsert.bind_updates(ins, env, ref, types, ref.db or env.current_db or "",
                                                             plan.columns))
    if ins.args.get("alternative") == "REPLACE":
        return dataclass_replace(plan, on_duplicate="replace")
    if ins.args.get("ignore"):
        return dataclass_replace(plan, on_duplicate="ignore")
    return plan
