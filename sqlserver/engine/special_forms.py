"""Binding the MySQL expression syntax that is not a plain operator or function call.

``Binder.bind`` (sqlserver.engine.planner) asks ``bind_special(binder, e)``
first; it returns a plan expression or None (not a special form).  The forms:

* intervals: ``d + INTERVAL n unit``, ``INTERVAL n unit + d``, ``d -
  INTERVAL n unit``, DATE_ADD/DATE_SUB/ADDDATE/SUBDATE/TIMESTAMPADD ->
  ``fn:date_add(d, n, 'UNIT')`` (``'-UNIT'`` subtracts), typed by
  ``datetime_functions.date_add_type``;
* ``TIMESTAMPDIFF(unit, a, b)`` and ``EXTRACT(unit FROM d)``: the unit
  becomes a constant first argument;
* ``LIKE ... ESCAPE c``: a third ``like`` argument;
* ``REGEXP``/``RLIKE``: ``fn:regexp_like``;
* ``j -> path`` / ``j ->> path``: ``fn:json_extract`` / ``fn:json_unquote``
  of it (sqlglot reads ``f(j -> '$.a')`` as a lambda: undone here).

``JSON_OBJECT(k, v, ...)`` parses as a plain call (``dialect``), so it needs
no form here.

Interval quantities that sqlglot rewrote lose their source offsets, so their
statements are planned for their text only (``Binder`` marks them).
"""

from __future__ import annotations

from sqlglot import exp

from sqlserver.engine import datetime_functions, functions
from sqlserver.engine.expressions import T_BIGINT, T_TEXT
from sqlserver.engine.plan import Call, Const, Param
from sqlserver.errors import SQLError
from sqlserver.sqltypes import SqlType


def _unit(node) -> str:
    name = node.name if isinstance(node, (exp.Var, exp.Column, exp.Identifier)) else str(node)
    return datetime_functions.check_unit(name)


def _quantity(binder, node):
    """An interval's quantity.  sqlglot rewrites ``INTERVAL 1.5 DAY``'s number into a string literal without
    its source offset; it is read back as the number, and as its parameter slot when exactly one numeric
    literal of the statement has that text (otherwise the plan is for this text only)."""
    if not (isinstance(node, exp.Literal) and node.is_string and not (node.meta and "start" in node.meta)):
        return binder.bind(node)
    text = node.this
    digits = text.lstrip("-")
    env = binder.env
    slots = [slot for slot, lit in env.slots.values() if lit.kind in ("i", "d", "f") and lit.text == digits]
    if len(slots) == 1:
        i = slots[0]
        lit = next(lit for slot, lit in env.slots.values() if slot == i)
        from sqlserver.engine.planner import _literal_type

        p = Param(i, _literal_type(lit, env.params[i]))
        return Call("neg", (p,), p.type) if text.startswith("-") else p
    if env.slots:
        env.cacheable = False
    from sqlserver.engine.planner import _number, _value_type

    v = _number(text)
    return Const(v, _value_type(v))


def _date_add(binder, d, quantity, unit: str, sign: int) -> Call:
    a = binder.bind(d)
    n = _quantity(binder, quantity)
    t = datetime_functions.date_add_type(a.type, unit)
    return Call("fn:date_add", (a, n, Const(("-" if sign < 0 else "") + unit, T_TEXT)), t)


def _arith(binder, e):
    left, right = e.this, e.expression
    if isinstance(right, exp.Interval):
        return _date_add(binder, left, right.this, _unit(right.args.get("unit")), 1 if isinstance(e, exp.Add) else -1)
    if isinstance(left, exp.Interval) and isinstance(e, exp.Add):
        return _date_add(binder, right, left.this, _unit(left.args.get("unit")), 1)
    return None


def _date_delta(binder, e):
    sign = -1 if isinstance(e, exp.DateSub) else 1
    return _date_add(binder, e.this, e.expression, _unit(e.args.get("unit") or "DAY"), sign)


def _timestamp_add(binder, e):
    return _date_add(binder, e.this, e.expression, _unit(e.args.get("unit")), 1)


def _timestamp_diff(binder, e):
    unit = _unit(e.args.get("unit"))
    if unit not in ("MICROSECOND", "SECOND", "MINUTE", "HOUR", "DAY", "WEEK", "MONTH", "QUARTER", "YEAR"):
        raise SQLError.of("PARSE", unit, 1)
    return Call("fn:timestampdiff", (Const(unit, T_TEXT), binder.bind(e.expression), binder.bind(e.this)), T_BIGINT)


def _extract(binder, e):
    unit = _unit(e.this)
    return Call("fn:extract", (Const(unit, T_TEXT), binder.bind(e.expression)), T_BIGINT)


_DATE_ADD_NAMES = {"adddate": 1, "subdate": -1, "date_add": 1, "date_sub": -1}


def _str_to_date(binder, e):
    """STR_TO_DATE typed by its format, as MySQL does when the format is a constant: DATETIME when it
    has date and time parts, DATE or TIME when only one kind, fractional seconds (fsp 6) only with
    %f; DATETIME(6) when the format is not a constant.  A format literal is a plan-cache parameter,
    so such a plan is kept for its exact text only (another format means another type)."""
    args = [binder.bind(a) for a in e.expressions]
    if len(args) != 2:
        raise SQLError(1582, "42000", "Incorrect parameter count in the call to native function 'str_to_date'")
    fmt = args[1]
    value = fmt.value if isinstance(fmt, Const) else binder.env.params[fmt.slot] if isinstance(fmt, Param) \
        else None
    t = SqlType("datetime", fsp=6)
    if isinstance(value, str):
        if isinstance(fmt, Param):
            binder.env.cacheable = False
        _, has_date, has_time = datetime_functions.compile_parser(value)
        fsp = 6 if "%f" in value else 0
        if has_date and not has_time:
            t = datetime_functions.T_DATE
        elif has_time and not has_date:
            t = SqlType("time", fsp=fsp)
        else:
            t = SqlType("datetime", fsp=fsp)
    return Call("fn:str_to_date", tuple(args), t)


def _anonymous(binder, e):
    name = str(e.this).lower()
    if name == "str_to_date":
        return _str_to_date(binder, e)
    sign = _DATE_ADD_NAMES.get(name)
    if sign is None:
        return None
    args = list(e.expressions)
    if len(args) != 2:
        raise SQLError(1582, "42000", f"Incorrect parameter count in the call to native function '{name}'")
    d, q = args
    if isinstance(q, exp.Interval):
        return _date_add(binder, d, q.this, _unit(q.args.get("unit")), sign)
    return _date_add(binder, d, q, "DAY", sign)  # ADDDATE(d, n): n days


def _escape(binder, e):
    like = e.this
    if not isinstance(like, exp.Like):
        return None
    c = Call("like", (binder.bind(like.this), binder.bind(like.expression), binder.bind(e.expression)), T_BIGINT)
    return Call("not", (c,), T_BIGINT) if like.args.get("negate") else c


def _regexp_like(binder, e):
    args = [binder.bind(e.this), binder.bind(e.expression)]
    if e.args.get("flag") is not None:
        args.append(binder.bind(e.args["flag"]))
    return _call(binder, "regexp_like", tuple(args))


def _call(binder, name: str, args: tuple) -> Call:
    t = functions.result_type(name, [a.type for a in args], binder.env.current_db)
    return Call("fn:" + name, args, t)


def _json_extract(binder, e, unquote: bool):
    args = (binder.bind(e.this), binder.bind(e.expression), *(binder.bind(x) for x in e.expressions or ()))
    c = _call(binder, "json_extract", args)
    return _call(binder, "json_unquote", (c,)) if unquote else c


def _lambda(binder, e):
    params = e.expressions
    if len(params) == 1 and isinstance(e.this, exp.Literal) and e.this.is_string:  # f(j -> '$.a')
        return _json_extract(binder, exp.JSONExtract(this=exp.column(params[0].copy()), expression=e.this), False)
    return None


_FORMS = {
    exp.Add: _arith,
    exp.Sub: _arith,
    exp.DateAdd: _date_delta,
    exp.DateSub: _date_delta,
    exp.TimestampAdd: _timestamp_add,
    exp.TimestampDiff: _timestamp_diff,
    exp.Extract: _extract,
    exp.Anonymous: _anonymous,
    exp.Escape: _escape,
    exp.RegexpLike: _regexp_like,
    exp.JSONExtract: lambda b, e: _json_extract(b, e, False),
    exp.JSONExtractScalar: lambda b, e: _json_extract(b, e, True),
    exp.Lambda: _lambda,
}


def bind_special(binder, e):
    """The plan expression for a special form, or None when ``e`` is not one."""
    form = _FORMS.get(type(e))
    return None if form is None else form(binder, e)


__all__ = ["bind_special"]
