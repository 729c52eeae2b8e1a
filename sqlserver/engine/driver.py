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

from sqlglot import exp

from sqlserver.engine import parser, statements, system_tables, views
from sqlserver.engine.executor import TICK, ExecContext, build
from sqlserver.engine.optimizer import optimize
from sqlserver.engine.parser import literal_value, normalize, select_item_texts
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

    def system_table(self, name):
        return system_tables.columns(name)

    def row_count(self, ref):
        """Rows in a table (from the tree root, no scan): join ordering's estimate."""
        return self.ctx.table(ref).count()

    def view(self, db, name):
        """(db, stored name, definition text) of a view, or None (sqlserver.engine.views)."""
        txn = self.ctx.transaction(db)
        found = views.find(txn, name)
        return None if found is None else (txn.sdb.name, found[0], found[1])


class Prepared:
    """A parsed statement, and for query/DML statements its current plan."""

    __slots__ = ("tree", "kind", "slots", "parametric", "writes", "plan", "program", "refs", "codecs",
                 "columns", "literal_names", "is_query", "views")

    def __init__(self, tree, kind, slots, parametric, writes):
        self.tree, self.kind, self.slots = tree, kind, slots
        self.parametric, self.writes = parametric, writes
        self.plan = self.program = None
        self.refs: tuple = ()
        self.codecs: tuple = ()
        self.views: tuple = ()  # (db, name, text) of each view the plan expanded
        self.columns = None
        self.literal_names = False
        self.is_query = isinstance(tree, (exp.Select, exp.SetOperation, exp.Subquery))

    def program_for(self, ctx, text: str):
        """The compiled plan, re-planned if a table's schema changed since it was made."""
        if self.program is not None:
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
    fresh = entry is None
    if fresh:
        if (state.read_only or state.is_replica()) and _first_word(text) in _WRITE_WORDS:
            # before parsing: statements the engine cannot run yet (REPLACE, ALTER, ...) get 1290 too
            raise SQLError.of("OPTION_PREVENTS_STATEMENT", "--read-only")
        entry = prepare(state, text, key, lits)
    params = [literal_value(x) for x in lits] if lits else []
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
    while True:
        ctx = ExecContext(state, params, entry.slots)
        try:
            if kind is None:
                program = entry.program_for(ctx, text)
                if fresh:
                    _store(state, entry, key, text, lits)
                    fresh = False
                result = yield from _run_program(entry, program, ctx, state, text, lits)
            else:
                result = kind.handler(state, entry.tree, ctx)
                if fresh:
                    _store(state, entry, key, text, lits)
                    fresh = False
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


def _run_program(entry: Prepared, program, ctx, state, text, lits):
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
