"""The statement driver: cache lookup, transaction boundaries, retries, errors.

For each statement (``run_statement``):

1. ``parser.normalize`` -> plan-cache key; on a miss, parse and classify
   (``Prepared``).  Query/DML entries plan lazily, inside the statement,
   because planning reads the catalog through the session's transaction.
2. Read-only sessions refuse writing statements (1290) -- one check, here.
3. DDL commits the open transaction first (MySQL's implicit commit).
4. Execute.  On success, end the statement in every open transaction
   (``Transaction.end_statement(True)``) and, in autocommit mode, commit.
   On error, roll back only the statement (``end_statement(False)``); in
   autocommit mode the whole (single-statement) transaction goes too.
5. In autocommit mode a 1213 (serialization failure at commit) re-runs the
   statement from a fresh snapshot, up to ``MAX_AUTOCOMMIT_RETRIES`` times:
   two concurrent ``UPDATE t SET n = n + 1`` both succeed; two concurrent
   inserts of one new key end as one success and one 1062.  Inside
   BEGIN ... COMMIT, a 1213 at COMMIT rolls the transaction back and reaches
   the client, who must retry it (only the client knows what it read).

The driver is a generator that yields at points where another connection
may run (every ``state.yield_every`` rows); ``execute`` (async) awaits
``asyncio.sleep(0)`` there, ``execute_sync`` just continues.
"""

from __future__ import annotations

import decimal
import time

from sqlglot import exp

from sqlserver.engine import information_schema, parser, statements, system_tables, views
from sqlserver.engine.executor import TICK, ExecContext, build
from sqlserver.engine.optimizer import optimize
from sqlserver.engine.parser import Literal, literal_value, normalize, select_item_texts
from sqlserver.engine.plan import Query
from sqlserver.engine.planner import Env, item_name, plan_statement
from sqlserver.engine.results import ColumnInfo, Ok, Rows
from sqlserver.errors import SQLError, translate

MAX_AUTOCOMMIT_RETRIES = 20  # each retry means another commit landed first; bounded against livelock


class _Catalog:
    """The planner's view of tables: schemas as the executing statement's transaction sees them."""

    def __init__(self, ctx):
        self.ctx = ctx

    def schema(self, db, name, revision=None):
        txn = self.ctx.transaction(db)
        ts = txn.table(name) if revision is None else txn.table_as_of(name, revision)
        return ts.schema, list(ts.types), ts.name

    def system_table(self, name, db=None):
        """Columns of a system table, or None: information_schema's tables when ``db`` (else the current
        database) is information_schema (1109 for a name it lacks), Dolt's for an unqualified name."""
        if information_schema.is_schema(db or self.ctx.state.current_db):
            cols = information_schema.columns(name)
            if cols is None:
                raise information_schema.unknown_table(name)
            return cols
        return system_tables.columns(name) if not db else None

    def row_count(self, ref):
        """Rows in a table (from the tree root, no scan): join ordering's estimate."""
        return self.ctx.table(ref).count()

    def view(self, db, name):
        """(db, stored name, definition text) of a view, or None (sqlserver.engine.views)."""
        if information_schema.is_schema(db or self.ctx.state.current_db):
            return None  # information_schema holds no views
        txn = self.ctx.transaction(db)
        found = views.find(txn, name)
        return None if found is None else (txn.sdb.name, found[0], found[1])


class Prepared:
    """A parsed statement, and for query/DML statements its current plan."""

    __slots__ = ("tree", "kind", "slots", "parametric", "writes", "plan", "program", "refs", "codecs",
                 "columns", "literal_names", "is_query", "views", "schema_db")

    def __init__(self, tree, kind, slots, parametric, writes):
        self.tree, self.kind, self.slots = tree, kind, slots
        self.parametric, self.writes = parametric, writes
        self.plan = self.program = None
        self.refs: tuple = ()
        self.codecs: tuple = ()
        self.views: tuple = ()  # (db, name, text) of each view the plan expanded
        self.schema_db = None  # information_schema when planned there: unqualified names meant its tables
        self.columns = None
        self.literal_names = False
        self.is_query = isinstance(tree, (exp.Select, exp.SetOperation, exp.Subquery))

    def program_for(self, ctx, text: str):
        """The compiled plan, re-planned if a table's schema changed since it was made."""
        if self.program is not None and (self.schema_db is None or information_schema.is_schema(ctx.state.current_db)):
            refs, codecs = self.refs, self.codecs
            i = 0
            try:
                for ref in refs:
                    if ctx.table(ref).codec is not codecs[i]:
                        break
                    i += 1
                else:
                    if not self.views or self._views_unchanged(ctx):
                        return self.program
            except SQLError:
                pass  # a table is gone (perhaps a view of that name now): plan again, which says what is wrong
        catalog = _Catalog(ctx)
        texts = select_item_texts(text) if self.is_query else None
        tree, self.views, cacheable = views.expand(self.tree, catalog.view, texts)
        env = Env(catalog, ctx.state.current_db, self.slots, ctx.params, texts)
        env.cacheable = cacheable
        plan = optimize(plan_statement(tree, env))
        self.plan = plan
        self.refs = tuple(env.tables)
        self.codecs = tuple(ctx.table(r).codec for r in self.refs)
        self.columns = list(plan.columns) if isinstance(plan, Query) else None
        self.literal_names = env.literal_names
        self.schema_db = information_schema.NAME if information_schema.is_schema(ctx.state.current_db) else None
        self.program = build(plan)
        if not env.cacheable:
            self.parametric = False
        return self.program


    def _views_unchanged(self, ctx) -> bool:
        for db, name, text in self.views:
            found = views.find(ctx.transaction(db), name)
            if found is None or found[1] != text:
                return False
        return True


def prepare(state, text: str, key: str, lits) -> Prepared:
    tree = parser.parse(text)
    kind = statements.classify(tree)
    if kind is None:
        slots = {lit.start: (i, lit) for i, lit in enumerate(lits)}
        writes = not isinstance(tree, (exp.Select, exp.SetOperation, exp.Subquery))
        p = Prepared(tree, None, slots, True, writes)
    else:
        slots = {lit.start: (i, lit) for i, lit in enumerate(lits)} if kind.parametric else {}
        p = Prepared(tree, kind, slots, kind.parametric, kind.writes)
    return p


def _store(state, entry: Prepared, key: str, text: str, lits) -> None:
    if entry.parametric:
        state.plan_cache.put(key, entry)
    elif lits:
        state.plan_cache.put("\0" + text, entry)
    else:
        state.plan_cache.put(key, entry)


_WRITE_WORDS = frozenset(("insert", "replace", "update", "delete", "create", "drop", "alter", "truncate", "rename"))


def _first_word(text: str) -> str:
    head = text.lstrip()[:12].split(None, 1)
    return head[0].lower().rstrip("(") if head else ""


def run_statement(state, text: str):
    """Generator: runs one statement; yields where others may run; returns its Result."""
    key, lits = normalize(text)
    cache = state.plan_cache
    entry = cache.get(key)
    if entry is None and lits:
        entry = cache.get("\0" + text)
    store = None
    if entry is None:
        if (state.read_only or state.is_replica()) and _first_word(text) in _WRITE_WORDS:
            # before parsing: statements the engine cannot run yet (REPLACE, ALTER, ...) get 1290 too
            raise SQLError.of("OPTION_PREVENTS_STATEMENT", "--read-only")
        entry = prepare(state, text, key, lits)
        store = (_store, key, lits)
    params = [literal_value(x) for x in lits] if lits else []
    return (yield from _run(state, entry, text, params, store))


def _run(state, entry: Prepared, text: str, params: list, store):
    """The statement's life after the cache lookup (shared by text and prepared statements).

    ``store``: None for a cache hit, else ``(function, key, lits)`` that puts
    the fresh entry into the plan cache once it planned (or ran) successfully.
    """
    kind = entry.kind
    if entry.writes and (state.read_only or state.is_replica()):  # a read replica refuses writes
        raise SQLError.of("OPTION_PREVENTS_STATEMENT", "--read-only")
    if kind is None or not kind.keeps_warnings:
        state.warnings = []
    ddl = kind is not None and kind.implicit_commit
    if ddl:
        state.explicit = False
        state.commit_all()
    transactional = kind is None or kind.transactional
    autocommit = state.autocommit and not state.explicit
    attempt = 0
    limit = state.get_variable("max_execution_time") if entry.is_query and kind is None else 0
    while True:
        ctx = ExecContext(state, params, entry.slots)
        if limit:  # MySQL limits read-only SELECTs only
            ctx.deadline = time.monotonic() + int(limit) / 1000
        try:
            if kind is None:
                program = entry.program_for(ctx, text)
                if store is not None:
                    store[0](state, entry, store[1], text, store[2])
                    store = None
                result = yield from _run_program(entry, program, ctx, state, text)
            else:
                result = kind.handler(state, entry.tree, ctx)
                if store is not None:
                    store[0](state, entry, store[1], text, store[2])
                    store = None
            if transactional:
                state.end_statement(True)
                if autocommit or ddl:
                    state.commit_all()
            _finish(result, state)
            return result
        except BaseException as e:  # noqa: BLE001 - every failure becomes one SQLError
            if isinstance(e, (KeyboardInterrupt, SystemExit, GeneratorExit)):
                raise
            err = translate(e)
            if transactional:
                state.end_statement(False)
                if autocommit or ddl:
                    state.rollback_all()
            if err.errno == 1213 and autocommit and transactional and attempt < MAX_AUTOCOMMIT_RETRIES:
                attempt += 1
                state.warnings = []
                continue
            raise err from (None if err is e else e)


def _finish(result, state) -> None:
    n = sum(1 for w in state.warnings if w[0] != "Error")
    result.warnings = n
    if isinstance(result, Ok) and "{w}" in result.info:
        result.info = result.info.replace("{w}", str(n))


def _run_program(entry: Prepared, program, ctx, state, text):
    every = state.yield_every
    n = 0
    if entry.is_query:
        rows = []
        append = rows.append
        for row in program(ctx):
            append(row)
            n += 1
            if n >= every:
                n = 0
                if ctx.deadline is not None:
                    ctx.check_deadline()
                yield TICK
        columns = entry.columns
        if entry.literal_names:
            columns = _renamed(columns, entry.tree, text)
        return Rows(columns, rows)
    for _ in program(ctx):
        n += 1
        if n >= every:
            n = 0
            yield TICK
    return ctx.result


def _renamed(columns, tree, text):
    """Column names for this statement's literals (``SELECT 1+1`` vs ``SELECT 2+2`` share a plan)."""
    texts = select_item_texts(text) or []
    out = []
    items = tree.expressions
    if len(items) != len(columns) or len(texts) != len(columns):
        return columns
    for c, item, t in zip(columns, items, texts):
        if isinstance(item, exp.Alias):
            out.append(c)
        else:
            out.append(ColumnInfo(item_name(t), c.sqltype, c.table, c.db, c.org_name, c.org_table, c.nullable,
                                  c.flags))
    return out


# --- prepared statements (COM_STMT_PREPARE / COM_STMT_EXECUTE) ------------------------------
#
# A prepared statement's ``?`` markers become parameter slots exactly like
# literals do.  For each execution the cache key is the statement's normalized
# text with every ``?`` replaced by the typed placeholder of its bound value
# (``?i``, ``?d<scale>``, ``?f``, ``?s``, ``?x``; ``NULL`` for NULL), so
# ``SELECT c FROM t WHERE id = ?`` executed with 5 finds the plan of the text
# query ``SELECT c FROM t WHERE id = 7``, and the values reach the plan as
# Python values, never as SQL text.  A NULL is a NULL constant in the plan
# (as ``WHERE id = NULL`` in text) and takes no slot.

# the placeholder letter of each parameter type (Decimal's carries its scale)
_PARAM_KINDS = {int: "i", bool: "i", float: "f", str: "s", bytes: "x", decimal.Decimal: "d"}


class Statement:
    """A statement text with ``?`` markers, analysed once: where the markers are, the literals
    around them, the pieces of its cache key, and its syntax tree (to classify it)."""

    __slots__ = ("text", "marks", "lits", "pieces", "layout", "lit_values", "kind", "is_query")

    def __init__(self, text: str, marks: list, lits: list, pieces: list, layout: list, kind, is_query: bool):
        self.text = text
        self.marks = marks  # offsets of the ? markers, in text order
        self.lits = lits  # parser.Literal of every literal, in text order
        self.pieces = pieces  # cache key = pieces[0] + code(v0) + pieces[1] + ... (len(marks) + 1 pieces)
        self.layout = layout  # per slot in text order: marker index, or -1 - literal index
        self.lit_values = [literal_value(x) for x in lits]
        self.kind = kind  # statements.classify's answer (None: a query or DML)
        self.is_query = is_query

    @property
    def param_count(self) -> int:
        return len(self.marks)


def _param_code(v) -> str:
    kind = _PARAM_KINDS.get(type(v))
    if kind is None:
        if v is None:
            return "NULL"
        raise SQLError(1210, "HY000", "Incorrect arguments to mysqld_stmt_execute")
    if kind == "d":
        e = v.as_tuple().exponent
        return f"?d{-e if isinstance(e, int) and e < 0 else 0}"
    return "?" + kind


def _placeholder(lit) -> str:
    """normalize's placeholder text for a literal."""
    t = lit.text
    return "?" + lit.kind + (str(len(t) - t.index(".") - 1) if lit.kind == "d" else "")


def parse_prepared(text: str) -> Statement:
    """COM_STMT_PREPARE's analysis: parse (1064 for bad syntax), find the ``?`` markers (not those
    inside strings, comments or backquotes), and cut the cache key into pieces around them."""
    tree = parser.parse(text)
    kind = statements.classify(tree)
    _key, lits = normalize(text)
    marks = [m.start() for m in parser._TOKEN.finditer(text) if m.lastgroup == "op" and m.group() == "?"]
    events = sorted([(lit.start, -1 - k) for k, lit in enumerate(lits)] + [(m, j) for j, m in enumerate(marks)])
    pieces, cur, pos = [], [], 0
    for off, ref in events:
        cur.append(text[pos:off])
        if ref < 0:
            lit = lits[-1 - ref]
            cur.append(_placeholder(lit))
            pos = off + len(lit.text)
        else:
            pieces.append("".join(cur))
            cur = []
            pos = off + 1
    cur.append(text[pos:])
    pieces.append("".join(cur))
    is_query = isinstance(tree, (exp.Select, exp.SetOperation, exp.Subquery))
    return Statement(text, marks, lits, pieces, [ref for _, ref in events], kind, is_query)


def _prepared_entry(state, stmt: Statement, values, key: str) -> Prepared:
    """A plan-cache entry for ``stmt`` bound to values of these types (slots: literals and non-NULL
    markers in text order; NULL markers map to slot None, which the planner makes a NULL constant)."""
    tree = parser.parse(stmt.text)
    kind = statements.classify(tree)
    slots = {}
    if kind is None or kind.parametric:
        i = 0
        for ref in stmt.layout:
            if ref < 0:
                lit = stmt.lits[-1 - ref]
                slots[lit.start] = (i, lit)
                i += 1
            else:
                off = stmt.marks[ref]
                v = values[ref]
                if v is None:
                    slots[off] = (None, Literal("n", "NULL", off))
                else:
                    slots[off] = (i, Literal(_PARAM_KINDS[type(v)], "?", off))
                    i += 1
    if kind is None:
        return Prepared(tree, None, slots, True, not isinstance(tree, (exp.Select, exp.SetOperation, exp.Subquery)))
    return Prepared(tree, kind, slots, kind.parametric, kind.writes)


def _store_prepared(state, entry: Prepared, key: str, text: str, stmt) -> None:
    """Shared under the typed key when the plan holds for any values; a plan that depends on
    the bound values (one the planner marked uncacheable) is not kept."""
    if entry.parametric or not stmt.marks:
        _store(state, entry, key, text, stmt.lits)


def _bind(stmt: Statement, values) -> tuple[str, list]:
    """(cache key, slot values) for one execution."""
    pieces = stmt.pieces
    if not stmt.marks:
        return pieces[0], list(stmt.lit_values)
    if len(pieces) == 2:  # one marker: the common case, no joins of lists
        v = values[0]
        key = pieces[0] + _param_code(v) + pieces[1]
        if not stmt.lits:
            return key, ([] if v is None else [v])
    else:
        parts = [pieces[0]]
        for v, piece in zip(values, pieces[1:]):
            parts.append(_param_code(v))
            parts.append(piece)
        key = "".join(parts)
    lit_values = stmt.lit_values
    params = [values[ref] if ref >= 0 else lit_values[-1 - ref] for ref in stmt.layout]
    if None in values:
        params = [p for ref, p in zip(stmt.layout, params) if ref < 0 or p is not None]
    return key, params


def run_prepared(state, stmt: Statement, values: list):
    """Generator: one execution of a prepared statement with these parameter values (Python
    values: int, float, Decimal, str, bytes or None; temporal values as MySQL's text).  The same
    path as ``run_statement`` after the cache lookup: transactions, retries, read-only, warnings."""
    if len(values) != len(stmt.marks):
        raise SQLError(1210, "HY000", "Incorrect arguments to mysqld_stmt_execute")
    key, params = _bind(stmt, values)
    cache = state.plan_cache
    entry = cache.get(key)
    if entry is None and stmt.lits and not stmt.marks:
        entry = cache.get("\0" + stmt.text)
    store = None
    if entry is None:
        entry = _prepared_entry(state, stmt, values, key)
        store = (_store_prepared, key, stmt)
    return (yield from _run(state, entry, stmt.text, params, store))


# errors a prepare reports, as MySQL does (names and shapes); others wait for the values
_PREPARE_ERRORS = frozenset((1046, 1049, 1052, 1054, 1064, 1109, 1136, 1146, 1222, 1241, 1305, 1582))


def describe_prepared(state, stmt: Statement):
    """The result columns of a prepared query (planned with every marker NULL), or None when
    they cannot be known before execution (DML, non-query statements).  Raises the name errors
    MySQL reports at prepare time (1146, 1054, ...)."""
    if stmt.kind is not None:
        return None
    values = [None] * len(stmt.marks)
    key, params = _bind(stmt, values)
    entry = _prepared_entry(state, stmt, values, key)
    ctx = ExecContext(state, params, entry.slots)
    autocommit = state.autocommit and not state.explicit
    try:
        entry.program_for(ctx, stmt.text)
    except BaseException as e:  # noqa: BLE001 - only some errors belong to the prepare
        if isinstance(e, (KeyboardInterrupt, SystemExit, GeneratorExit)):
            raise
        err = translate(e)
        if err.errno in _PREPARE_ERRORS:
            raise err from (None if err is e else e)
        return None
    finally:  # planning read the catalog through the session's transactions, as a SELECT would
        state.end_statement(True)
        if autocommit:
            state.commit_all()
    return entry.columns if entry.is_query else None
