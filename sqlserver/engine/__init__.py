"""Grove's SQL engine: SQL text in, results out.

Life of a query (``SELECT v FROM t WHERE id = 7``), one module per stage:

1. ``driver.run_statement``: ``parser.normalize`` turns the text into the
   plan-cache key ``SELECT v FROM t WHERE id = ?i`` and the literal list
   ``[7]``.  On a hit, steps 2-4 are skipped.
2. ``parser.parse``: sqlglot (MySQL dialect) builds the syntax tree; a small
   pre-parser handles what sqlglot cannot (CALL, SAVEPOINT, LOCK TABLES).
3. ``planner``: resolves names and types against the schema the session's
   transaction sees; literal 7 becomes ``Param(0)``; result: an immutable
   ``plan`` tree (Project <- Filter <- Scan t).
4. ``optimizer``: rules rewrite the tree; ``id = ?0`` on the primary key makes
   the scan a point get.  ``executor.build`` compiles each expression once
   into a closure (``expressions``) and each operator into a generator.
5. ``executor``: the point get calls ``TableState.get((7,))``; the filter and
   projection run as closures; rows are tuples of Python values.
6. ``driver``: ends the statement in the transaction, commits in autocommit
   mode (retrying a serialization failure from a fresh snapshot), and returns
   ``Rows``/``Ok`` (``results``).

Non-query statements (DDL, SET, SHOW, USE, BEGIN/COMMIT, CALL) are handled by
``statements``, the version-control procedures CALL runs (dolt_commit,
dolt_branch, dolt_push, dolt_pull, ...) by ``procedures``, system tables
(dolt_log, dolt_branches, dolt_remotes, ...) by ``system_tables``;
versioning operations the CLI shares live in ``versioning``;
sessions' state (current database, variables, transactions) in
``session_state``.

Views (``views``: expanded into the query before planning) and triggers
(``triggers``: stored, not yet fired) are root-value objects, so they are
versioned like tables.  Schema changes (``alter``: ALTER/RENAME TABLE,
CREATE TABLE ... LIKE / ... SELECT) write new table versions; CHECK and
FOREIGN KEY constraints are enforced per row by ``constraints``, and
INSERT ... ON DUPLICATE KEY UPDATE / INSERT IGNORE leniency live in ``upsert``.

WITH [RECURSIVE] (``ctes``), window functions (``windows``) and GROUP BY's
extras (``grouping``: WITH ROLLUP, GROUPING(), GROUP_CONCAT, COUNT(DISTINCT
a, b)) are planned in their own modules and hooked into the planner.

SAVEPOINT / ROLLBACK TO [SAVEPOINT] / RELEASE SAVEPOINT are session state
(``session_state.SessionState.savepoints``) over the transactions'
table states (sqlserver.txn, "Savepoints").

``t AS OF <branch|tag|commit>`` reads a table as that revision holds it
(``parser`` rewrites it into sqlglot's VERSION AS OF, ``Transaction.table_as_of``
serves it, read-only).  EXPLAIN [FORMAT=TREE] renders the optimized plan.

Prepared statements (the binary protocol's COM_STMT_PREPARE/EXECUTE):
``prepare`` parses once and finds the ``?`` markers; ``execute_prepared``
binds typed Python values to them (``driver.run_prepared``) and shares the
plan cache with text queries of the same shape.

Non-goals for now (issue 6): trigger execution, writes through views.
"""

from __future__ import annotations

import asyncio
import re

from sqlserver.engine.driver import Statement, describe_prepared, parse_prepared, run_prepared, run_statement
from sqlserver.engine.parser import split_statements
from sqlserver.engine.results import ColumnInfo, Ok, Result, Rows
from sqlserver.engine.session_state import SessionState
from sqlserver.errors import SQLError

__all__ = ["execute", "execute_sync", "prepare", "execute_prepared", "Statement", "SessionState", "Ok", "Rows",
           "ColumnInfo", "Result"]


_NATIVE_FUNCTION = re.compile(r"native function '([^']+)'")


def _as_typed(e: SQLError, text: str) -> SQLError:
    """MySQL names the function in 1582 ("Incorrect parameter count in the call to native function
    'JSON_OBJECT'") as the client typed it; the planner and the function tables work with lower-case
    names, so the name is taken back from the statement text here."""
    if e.errno == 1582:
        m = _NATIVE_FUNCTION.search(e.message)
        if m is not None:
            typed = re.search(r"(?<![\w$`])(" + re.escape(m.group(1)) + r")\s*\(", text, re.IGNORECASE)
            if typed is not None:
                e.message = e.message.replace(m.group(0), f"native function '{typed.group(1)}'")
    return e


def _statements(sql: str) -> list[str]:
    texts = split_statements(sql)
    if not texts:
        raise SQLError.of("EMPTY_QUERY")
    return texts


async def execute(state: SessionState, sql: str) -> list[Result]:
    """Run every statement in ``sql``; one Result each.

    Raises SQLError at the first failing statement; the results of the
    statements before it are on the exception as ``partial_results``.
    """
    results: list[Result] = []
    for text in _statements(sql):
        try:
            results.append(await _drive(state, run_statement(state, text), text))
        except SQLError as e:
            e.partial_results = results
            raise _as_typed(e, text)
    return results


async def _drive(state: SessionState, gen, text: str) -> Result:
    """Run a statement generator, letting the event loop run at each of its ticks (every
    ``state.yield_every`` rows)."""
    try:
        while True:
            next(gen)
            await asyncio.sleep(0)
    except StopIteration as stop:
        return stop.value


def execute_sync(state: SessionState, sql: str) -> list[Result]:
    """``execute`` without an event loop (the CLI's in-process ``grove sql -q``)."""
    results: list[Result] = []
    for text in _statements(sql):
        gen = run_statement(state, text)
        try:
            while True:
                next(gen)
        except StopIteration as stop:
            results.append(stop.value)
        except SQLError as e:
            e.partial_results = results
            raise _as_typed(e, text)
    return results


def prepare(state: SessionState, sql: str) -> tuple[Statement, list | None]:
    """A prepared statement for ``sql`` (one statement) and its result columns when a prepare can
    know them (None otherwise).  Raises 1064 for bad syntax or several statements, and the name
    errors MySQL reports at prepare time (1146, 1054, ...)."""
    texts = _statements(sql)
    if len(texts) > 1:
        raise SQLError.of("PARSE", texts[1][:80], 1)
    stmt = parse_prepared(texts[0])
    return stmt, describe_prepared(state, stmt)


async def execute_prepared(state: SessionState, stmt: Statement, values: list) -> Result:
    """One execution of a prepared statement (see ``driver.run_prepared`` for the values)."""
    try:
        return await _drive(state, run_prepared(state, stmt, values), stmt.text)
    except SQLError as e:
        raise _as_typed(e, stmt.text)
