"""Scalar functions: result types (for the planner) and closures (for the executor).

A function is one entry in ``FUNCTIONS``: name -> (arity range, result type
rule, maker).  The planner asks ``result_type`` and checks the argument
count (1582 "Incorrect parameter count"); unknown names give 1305
"FUNCTION db.name does not exist", as in MySQL.  Functions that read session
or database state (DATABASE(), LAST_INSERT_ID(), dolt_hashof_table()) read it
from the execution context at run time, never at plan time, so cached plans
stay correct.
"""

from __future__ import annotations

import datetime

from sqlserver.engine.expressions import (
    T_BIGINT, T_DATETIME, T_LONGTEXT, T_TEXT, collation_of, compare_values, merge_types, result_coercer,
    to_number, to_text, truth,
)
from sqlserver.engine.datetime_functions import DATETIME_FUNCTIONS
from sqlserver.engine.math_functions import MATH_FUNCTIONS
from sqlserver.engine.plan import Call
from sqlserver.engine.json_functions import JSON_FUNCTIONS
from sqlserver.engine.regexp_functions import REGEXP_FUNCTIONS
from sqlserver.engine.string_functions import STRING_FUNCTIONS
from sqlserver.errors import SQLError
from sqlserver.sqltypes import SqlType
from storage.collation import get_collation


def _now(e, fns):
    return lambda row, ctx: ctx.now


def _database(e, fns):
    return lambda row, ctx: ctx.state.current_db


def _last_insert_id(e, fns):
    if fns:
        (fa,) = fns

        def set_it(row, ctx):
            v = fa(row, ctx)
            ctx.state.last_insert_id = ctx.insert_id_arg = 0 if v is None else int(to_number(v))
            return v
        return set_it
    return lambda row, ctx: ctx.state.last_insert_id


def _version(e, fns):
    return lambda row, ctx: ctx.state.get_variable("version", "")


def _connection_id(e, fns):
    return lambda row, ctx: ctx.state.connection_id


def _user(e, fns):
    return lambda row, ctx: ctx.state.user


def _coalesce(e, fns):
    coerce = result_coercer(e.type)

    def f(row, ctx):
        for fn in fns:
            v = fn(row, ctx)
            if v is not None:
                return v if coerce is None else coerce(v)
        return None
    return f


def _if(e, fns):
    fc, ft, ff = fns
    coerce = result_coercer(e.type)
    if coerce is None:
        return lambda row, ctx: ft(row, ctx) if truth(fc(row, ctx)) else ff(row, ctx)
    return lambda row, ctx: coerce(ft(row, ctx) if truth(fc(row, ctx)) else ff(row, ctx))


def _concat(e, fns):
    def f(row, ctx):
        parts = []
        for fn in fns:
            v = fn(row, ctx)
            if v is None:
                return None
            parts.append(to_text(v))
        return "".join(parts)
    return f


def _extremum(want: int):
    """GREATEST (want 1) / LEAST (want -1): NULL if any argument is NULL; numbers compare as numbers when
    any argument is numeric, strings under their collation otherwise."""
    def make(e, fns):
        types = [a.type for a in e.args]
        numeric = any(t is not None and (t.is_integer or t.name in ("decimal", "float", "double")) for t in types)
        as_double = numeric and any(t is None or not (t.is_integer or t.name == "decimal") for t in types)
        key = get_collation(collation_of(*types)).sort_key
        coerce = result_coercer(e.type)

        def f(row, ctx):
            best = None
            for fn in fns:
                v = fn(row, ctx)
                if v is None:
                    return None
                if as_double and not isinstance(v, float):
                    v = float(to_number(v, ctx))
                if best is None or compare_values(v, best, key, ctx) == want:
                    best = v
            return best if coerce is None else coerce(best)
        return f
    return make


def _isnull(e, fns):
    (fa,) = fns
    return lambda row, ctx: 1 if fa(row, ctx) is None else 0


def _curdate(e, fns):
    return lambda row, ctx: ctx.now.date()


def _curtime(e, fns):
    return lambda row, ctx: datetime.timedelta(hours=ctx.now.hour, minutes=ctx.now.minute, seconds=ctx.now.second)


def _utc_timestamp(e, fns):
    return lambda row, ctx: datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0, tzinfo=None)


def _date_part(part):
    def make(e, fns):
        from sqlserver.engine.casts import to_datetime, to_time

        (fa,) = fns
        timeish = part in ("hour", "minute", "second", "microsecond")

        def f(row, ctx):
            v = fa(row, ctx)
            if v is None:
                return None
            if timeish:
                t = to_time(v, ctx) if not isinstance(v, datetime.datetime) else v
                if t is None:
                    return None
                if isinstance(t, datetime.timedelta):
                    us = abs(t.days * 86400_000_000 + t.seconds * 1_000_000 + t.microseconds)
                    return {"hour": us // 3600_000_000, "minute": us // 60_000_000 % 60,
                            "second": us // 1_000_000 % 60, "microsecond": us % 1_000_000}[part]
                return getattr(t, part)
            d = to_datetime(v, ctx)
            if d is None:
                return None
            if part == "date":
                return d.date()
            if part == "dayofweek":
                return d.isoweekday() % 7 + 1
            if part == "dayofyear":
                return d.timetuple().tm_yday
            return getattr(d, part)
        return f
    return make


def _unix_timestamp(e, fns):
    from sqlserver.engine import timezones

    if not fns:
        return lambda row, ctx: timezones.epoch_now()
    from sqlserver.engine.casts import to_datetime

    (fa,) = fns

    def f(row, ctx):
        v = fa(row, ctx)
        if v is None:
            return None
        d = to_datetime(v, ctx)
        return None if d is None else int(timezones.to_epoch(d, timezones.session_zone(ctx.state)))
    return f


def _hashof_table(e, fns):
    (fa,) = fns

    def f(row, ctx):
        from storage.address import to_text as address_text

        name = fa(row, ctx)
        if name is None:
            return None
        txn = ctx.transaction(None)
        return address_text(txn.table(to_text(name)).primary.address)
    return f


def _hashof(e, fns):
    (fa,) = fns

    def f(row, ctx):
        from sqlserver.engine import versioning

        ref = fa(row, ctx)
        if ref is None:
            return None
        txn = ctx.transaction(None)
        return versioning.hashof(txn.sdb, txn.branch, to_text(ref))
    return f


def _active_branch(e, fns):
    def f(row, ctx):
        if ctx.state.current_db is None:
            return None  # no database selected: no branch (Dolt returns NULL too)
        return ctx.transaction(None).branch
    return f


# name -> (min args, max args (None: any), result type (fn of arg types), maker)
FUNCTIONS = {
    "now": (0, 1, lambda ts: T_DATETIME, _now),
    "current_timestamp": (0, 1, lambda ts: T_DATETIME, _now),
    "sysdate": (0, 1, lambda ts: T_DATETIME, _now),
    "localtime": (0, 1, lambda ts: T_DATETIME, _now),
    "localtimestamp": (0, 1, lambda ts: T_DATETIME, _now),
    "database": (0, 0, lambda ts: T_TEXT, _database),
    "schema": (0, 0, lambda ts: T_TEXT, _database),
    "last_insert_id": (0, 1, lambda ts: SqlType("bigint", unsigned=True), _last_insert_id),
    "version": (0, 0, lambda ts: T_TEXT, _version),
    "connection_id": (0, 0, lambda ts: SqlType("bigint", unsigned=True), _connection_id),
    "user": (0, 0, lambda ts: T_TEXT, _user),
    "current_user": (0, 0, lambda ts: T_TEXT, _user),
    "session_user": (0, 0, lambda ts: T_TEXT, _user),
    "system_user": (0, 0, lambda ts: T_TEXT, _user),
    "coalesce": (1, None, merge_types, _coalesce),
    "ifnull": (2, 2, merge_types, _coalesce),
    "if": (3, 3, lambda ts: merge_types(ts[1:]), _if),
    "nullif": (2, 2, lambda ts: ts[0], None),  # compiled by expressions (a comparison)
    "isnull": (1, 1, lambda ts: T_BIGINT, _isnull),
    "greatest": (2, None, merge_types, _extremum(1)),
    "least": (2, None, merge_types, _extremum(-1)),
    "concat": (1, None, lambda ts: T_LONGTEXT, _concat),
    "curdate": (0, 0, lambda ts: SqlType("date"), _curdate),
    "current_date": (0, 0, lambda ts: SqlType("date"), _curdate),
    "curtime": (0, 1, lambda ts: SqlType("time"), _curtime),
    "current_time": (0, 1, lambda ts: SqlType("time"), _curtime),
    "utc_timestamp": (0, 1, lambda ts: T_DATETIME, _utc_timestamp),
    "unix_timestamp": (0, 1, lambda ts: T_BIGINT, _unix_timestamp),
    "date": (1, 1, lambda ts: SqlType("date"), _date_part("date")),
    "year": (1, 1, lambda ts: T_BIGINT, _date_part("year")),
    "month": (1, 1, lambda ts: T_BIGINT, _date_part("month")),
    "day": (1, 1, lambda ts: T_BIGINT, _date_part("day")),
    "dayofmonth": (1, 1, lambda ts: T_BIGINT, _date_part("day")),
    "dayofweek": (1, 1, lambda ts: T_BIGINT, _date_part("dayofweek")),
    "dayofyear": (1, 1, lambda ts: T_BIGINT, _date_part("dayofyear")),
    "hour": (1, 1, lambda ts: T_BIGINT, _date_part("hour")),
    "minute": (1, 1, lambda ts: T_BIGINT, _date_part("minute")),
    "second": (1, 1, lambda ts: T_BIGINT, _date_part("second")),
    "microsecond": (1, 1, lambda ts: T_BIGINT, _date_part("microsecond")),
    "dolt_hashof_table": (1, 1, lambda ts: T_TEXT, _hashof_table),
    "dolt_hashof": (1, 1, lambda ts: T_TEXT, _hashof),
    "active_branch": (0, 0, lambda ts: T_TEXT, _active_branch),
    **DATETIME_FUNCTIONS,
    **MATH_FUNCTIONS,
    **STRING_FUNCTIONS,
    **REGEXP_FUNCTIONS,
    **JSON_FUNCTIONS,
}


def result_type(name: str, arg_types: list, db: str | None) -> SqlType | None:
    """The static result type of ``name(args)``; SQLError if unknown or wrong arity."""
    entry = FUNCTIONS.get(name)
    if entry is None:
        raise SQLError.of("SP_DOES_NOT_EXIST", "FUNCTION", f"{db}.{name}" if db else name)
    lo, hi, typer, _ = entry
    if len(arg_types) < lo or (hi is not None and len(arg_types) > hi):
        raise SQLError(1582, "42000", f"Incorrect parameter count in the call to native function '{name}'")
    return typer(arg_types)


def compile_function(e: Call, compile_expr):
    name = e.op[3:]
    entry = FUNCTIONS.get(name)
    if entry is None:
        raise SQLError.of("SP_DOES_NOT_EXIST", "FUNCTION", name)
    return entry[3](e, [compile_expr(a) for a in e.args])


def now() -> datetime.datetime:
    return datetime.datetime.now().replace(microsecond=0)


__all__ = ["FUNCTIONS", "result_type", "compile_function", "collation_of"]
