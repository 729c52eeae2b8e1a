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
    T_BIGINT, T_DATETIME, T_LONGTEXT, T_TEXT, collation_of, to_number, to_text,
)
from sqlserver.engine.plan import Call
from sqlserver.errors import SQLError
from sqlserver.sqltypes import SqlType


def _first_type(types):
    for t in types:
        if t is not None:
            return t
    return None


def _now(e, fns):
    return lambda row, ctx: ctx.now


def _database(e, fns):
    return lambda row, ctx: ctx.state.current_db


def _last_insert_id(e, fns):
    if fns:
        (fa,) = fns

        def set_it(row, ctx):
            v = fa(row, ctx)
            ctx.state.last_insert_id = 0 if v is None else int(to_number(v))
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
    def f(row, ctx):
        for fn in fns:
            v = fn(row, ctx)
            if v is not None:
                return v
        return None
    return f


def _if(e, fns):
    from sqlserver.engine.expressions import truth

    fc, ft, ff = fns
    return lambda row, ctx: ft(row, ctx) if truth(fc(row, ctx)) else ff(row, ctx)


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


def _unary(fun):
    def make(e, fns):
        (fa,) = fns

        def f(row, ctx):
            v = fa(row, ctx)
            return None if v is None else fun(v, ctx)
        return f
    return make


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
    "coalesce": (1, None, _first_type, _coalesce),
    "ifnull": (2, 2, _first_type, _coalesce),
    "if": (3, 3, lambda ts: _first_type(ts[1:]), _if),
    "concat": (1, None, lambda ts: T_LONGTEXT, _concat),
    "length": (1, 1, lambda ts: T_BIGINT, _unary(lambda v, c: len(v.encode() if isinstance(v, str) else v)
                                                  if isinstance(v, (str, bytes)) else len(to_text(v).encode()))),
    "char_length": (1, 1, lambda ts: T_BIGINT, _unary(lambda v, c: len(to_text(v)))),
    "character_length": (1, 1, lambda ts: T_BIGINT, _unary(lambda v, c: len(to_text(v)))),
    "upper": (1, 1, lambda ts: T_LONGTEXT, _unary(lambda v, c: to_text(v).upper())),
    "ucase": (1, 1, lambda ts: T_LONGTEXT, _unary(lambda v, c: to_text(v).upper())),
    "lower": (1, 1, lambda ts: T_LONGTEXT, _unary(lambda v, c: to_text(v).lower())),
    "lcase": (1, 1, lambda ts: T_LONGTEXT, _unary(lambda v, c: to_text(v).lower())),
    "abs": (1, 1, lambda ts: _first_type(ts) if ts[0] is not None and (ts[0].is_integer or ts[0].name == "decimal")
            else SqlType("double"), _unary(lambda v, c: abs(to_number(v, c)))),
    "dolt_hashof_table": (1, 1, lambda ts: T_TEXT, _hashof_table),
    "dolt_hashof": (1, 1, lambda ts: T_TEXT, _hashof),
    "active_branch": (0, 0, lambda ts: T_TEXT, _active_branch),
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
