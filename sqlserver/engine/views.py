"""Views: how a view is stored, and how a view's name in FROM becomes its SELECT.

Storage: a view is the root-value object ``view:<name>`` (storage.root_value),
so it is versioned, branched, merged and pushed like a table.  Its text is a
``CREATE VIEW `name` [(`a`, ...)] AS <select>`` statement as sqlglot writes
it, with every select item given an explicit alias at creation time (MySQL
does the same: ``SELECT x+1 FROM t`` is stored as ``select x+1 AS `x+1` ...``),
so the view's column names never depend on how the body is re-printed.

Expansion (``expand``, run before planning on a plan-cache miss), for each
view named in a FROM or JOIN:

* **merge** (MySQL's ALGORITHM=MERGE) when the view body is a plain
  single-table ``SELECT items FROM t [WHERE c]`` and the outer query reads the
  view alone: the outer query is rewritten to read ``t`` directly, the view's
  columns replaced by their expressions and ``c`` ANDed into the outer WHERE.
  The planner then sees an ordinary single-table query, so index selection
  works through the view.
* **derived table** (ALGORITHM=TEMPTABLE) otherwise: the table reference is
  replaced by ``(<body>) AS name`` and planned as a derived table.

Views inside views expand recursively (at most ``MAX_DEPTH`` levels, which
also stops a view that names itself through a replaced definition).  The
literals of a view body are constants, never plan-cache parameters (their
offsets are those of the stored text, not of the statement).  The driver
keeps the definitions a plan expanded and re-plans when one changed
(sqlserver.engine.driver.Prepared).

Not supported yet: INSERT/UPDATE/DELETE through a view (MySQL allows them on
updatable views; we answer 1235), WITH CHECK OPTION, ALGORITHM/DEFINER/SQL
SECURITY clauses (accepted by MySQL, not parsed by sqlglot).
"""

from __future__ import annotations

import re

from sqlglot import exp

from sqlserver.errors import SQLError

VIEW_PREFIX = "view:"
MAX_DEPTH = 32  # nested views; deeper means a cycle in practice


def _q(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def definition_text(name: str, columns: list[str] | None, body: exp.Expression) -> str:
    """The stored text of a view (see the module docstring)."""
    cols = f" ({', '.join(_q(c) for c in columns)})" if columns else ""
    return f"CREATE VIEW {_q(name)}{cols} AS {body.sql(dialect='mysql')}"


_DEF_RE = re.compile(r"^CREATE VIEW `(?:[^`]|``)*`\s*", re.S)


def parse_definition(text: str) -> tuple[exp.Expression, list[str] | None]:
    """(body, column list or None) of a stored view text; the body's literals are constants."""
    from sqlserver.engine.parser import parse

    tree = parse(text)
    target = tree.this
    columns = [c.name for c in target.expressions] if isinstance(target, exp.Schema) else None
    body = tree.expression
    for node in body.walk():
        if node.meta:
            node.meta.pop("start", None)
    return body, columns


def has_star(select: exp.Expression) -> bool:
    return isinstance(select, exp.Select) and any(_is_star(i) for i in select.expressions)


def _is_star(item) -> bool:
    return isinstance(item, exp.Star) or isinstance(item, exp.Column) and isinstance(item.this, exp.Star)


def expand(tree, lookup, item_texts=None):
    """``(tree', used, cacheable)``: ``tree`` with every view reference expanded (a copy if any was).

    ``lookup(db or None, name)`` returns ``(db, stored name, text)`` for a
    view, else None.  ``used`` lists those triples (the driver re-plans when
    one changes).  ``cacheable`` is False when naming the result columns
    needed the statement's own literal texts (see ``_merge``).
    """
    if not any(isinstance(t.parent, (exp.From, exp.Join)) and lookup(t.db or None, t.name) is not None
               for t in tree.find_all(exp.Table)):
        _refuse_dml_target(tree, lookup)
        return tree, (), True
    tree = tree.copy()
    _refuse_dml_target(tree, lookup)
    used: list = []
    flags = {"cacheable": True}
    _expand(tree, lookup, used, 0, item_texts, flags)
    return tree, tuple(used), flags["cacheable"]


def _refuse_dml_target(tree, lookup) -> None:
    target = None
    if isinstance(tree, exp.Insert):
        target = tree.this.this if isinstance(tree.this, exp.Schema) else tree.this
        verb = "INSERT"
    elif isinstance(tree, (exp.Update, exp.Delete)):
        target = tree.this
        verb = "UPDATE" if isinstance(tree, exp.Update) else "DELETE"
    if isinstance(target, exp.Table) and lookup(target.db or None, target.name) is not None:
        raise SQLError.of("NOT_SUPPORTED_YET", f"{verb} through a view")


def _expand(tree, lookup, used, depth, item_texts, flags) -> None:
    ctes = {c.alias_or_name.lower() for c in tree.find_all(exp.CTE)}
    for table in list(tree.find_all(exp.Table)):
        parent = table.parent
        if not isinstance(parent, (exp.From, exp.Join)):
            continue
        if not table.db and table.name.lower() in ctes:
            continue
        found = lookup(table.db or None, table.name)
        if found is None:
            continue
        if depth >= MAX_DEPTH:
            raise SQLError(1462, "HY000", f"`{found[0]}`.`{found[1]}` contains view recursion")
        used.append(found)
        body, columns = parse_definition(found[2])
        _expand(body, lookup, used, depth + 1, None, flags)
        sel = parent.parent if isinstance(parent, exp.From) else None
        if isinstance(sel, exp.Select) and not sel.args.get("joins") and _mergeable(body, columns):
            _merge(sel, table, body, item_texts if sel is tree else None, flags)
        else:
            alias = exp.TableAlias(this=exp.to_identifier(table.alias_or_name),
                                   columns=[exp.to_identifier(c) for c in columns] if columns else None)
            table.replace(exp.Subquery(this=body, alias=alias))


def _mergeable(body, columns) -> bool:
    if not isinstance(body, exp.Select):
        return False
    f = body.args.get("from_") or body.args.get("from")
    if f is None or not isinstance(f.this, exp.Table):
        return False
    for key in ("joins", "group", "having", "distinct", "limit", "offset", "order", "with", "windows", "locks"):
        if body.args.get(key):
            return False
    items = body.expressions
    if any(isinstance(n, (exp.AggFunc, exp.Window)) for i in items for n in i.walk()):
        return False
    if has_star(body):
        # only a lone star passes through: its columns are the base table's, whatever they are now
        return len(items) == 1 and columns is None
    return all(isinstance(i, exp.Alias) for i in items)


_CLAUSES = {"expressions": "field list", "where": "where clause", "group": "group statement",
            "having": "having clause", "order": "order clause"}


def _clause(col, sel) -> str:
    node = col
    while node.parent is not None and node.parent is not sel:
        node = node.parent
    return _CLAUSES.get(node.arg_key, "field list")


def _merge(sel: exp.Select, vtable: exp.Table, body: exp.Select, item_texts, flags) -> None:
    """Rewrite ``sel`` (which reads view ``vtable`` alone) to read the view's base table (module docstring)."""
    from sqlserver.engine.planner import item_name

    valias = vtable.alias_or_name.lower()
    base = (body.args.get("from_") or body.args.get("from")).this
    base_alias = base.alias_or_name
    star_body = has_star(body)
    mapping = {} if star_body else {i.alias.lower(): i.this for i in body.expressions}
    outer_aliases = {i.alias.lower() for i in sel.expressions if isinstance(i, exp.Alias)}

    def own(node) -> bool:  # belongs to sel itself, not to a subquery inside it
        return node.find_ancestor(exp.Select) is sel

    for col in [c for c in sel.find_all(exp.Column) if not isinstance(c.this, exp.Star) and own(c)]:
        table = col.table.lower()
        if table and table != valias:
            continue  # a qualifier we do not know: leave it for the planner's 1054
        if star_body:
            if table:
                col.set("table", exp.to_identifier(base_alias))
            continue
        repl = mapping.get(col.name.lower())
        if repl is None:
            if not table and col.name.lower() in outer_aliases:
                continue  # ORDER BY / HAVING on a select alias
            shown = f"{col.table}.{col.name}" if table else col.name
            raise SQLError.of("BAD_FIELD", shown, _clause(col, sel))
        repl = repl.copy()
        if col.parent is sel and col.arg_key == "expressions":
            if not (isinstance(repl, exp.Column) and repl.name == col.name):
                repl = exp.Alias(this=repl, alias=exp.to_identifier(col.name))
        elif not isinstance(repl, (exp.Column, exp.Literal, exp.Paren)):
            repl = exp.Paren(this=repl)
        col.replace(repl)

    items = []
    expanded = False
    for item in sel.expressions:
        if _is_star(item) and (isinstance(item, exp.Star) or item.table.lower() == valias):
            if star_body:
                items.append(exp.Column(this=exp.Star(), table=exp.to_identifier(base_alias))
                             if isinstance(item, exp.Column) else item)
            else:
                items += [exp.Alias(this=i.this.copy(), alias=exp.to_identifier(i.alias)) for i in body.expressions]
                expanded = True
        else:
            items.append(item)
    if expanded and len(items) != len(sel.expressions):
        # positions moved: name the other unaliased items now, from their text as typed
        texts = item_texts or []
        for pos, item in enumerate(sel.expressions):
            if _is_star(item) or isinstance(item, (exp.Alias, exp.Column)) or pos >= len(texts):
                continue
            at = next(k for k, x in enumerate(items) if x is item)
            items[at] = exp.Alias(this=item, alias=exp.to_identifier(item_name(texts[pos])))
            if any(isinstance(n, (exp.Literal, exp.HexString, exp.BitString)) for n in item.walk()):
                flags["cacheable"] = False
    sel.set("expressions", items)

    vtable.replace(base.copy())
    bwhere = body.args.get("where")
    if bwhere is not None:
        owhere = sel.args.get("where")
        cond = bwhere.this.copy()
        if owhere is not None:
            cond = exp.And(this=exp.Paren(this=cond), expression=exp.Paren(this=owhere.this))
        sel.set("where", exp.Where(this=cond))


# --- CREATE VIEW / DROP VIEW / catalog ------------------------------------------------------------


def find(txn, name: str) -> tuple[str, str] | None:
    """(stored name, text) of view ``name`` in a transaction (exact name first, then ignoring case)."""
    text = txn.get_object(VIEW_PREFIX + name)
    if text is not None:
        return name, text
    if not txn.base_root.objects and not txn.objects and not txn._stmt_objects:
        return None  # the common case: a database without views
    lowered = (VIEW_PREFIX + name).lower()
    for n in txn.object_names(VIEW_PREFIX):
        if n.lower() == lowered:
            return n[len(VIEW_PREFIX):], txn.get_object(n)
    return None


def names(txn) -> list[str]:
    return [n[len(VIEW_PREFIX):] for n in txn.object_names(VIEW_PREFIX)]


def create_view(state, tree, ctx):
    """CREATE [OR REPLACE] VIEW v [(cols)] AS select: validated by planning it, stored as an object."""
    target = tree.this
    columns = [c.name for c in target.expressions] if isinstance(target, exp.Schema) else None
    table = target.this if isinstance(target, exp.Schema) else target
    db = table.db or state.require_db()
    txn = state.transaction(db)
    name = table.name
    if txn.has_table(name):
        if tree.args.get("replace"):
            raise SQLError(1347, "HY000", f"'{txn.sdb.name}.{name}' is not VIEW")
        raise SQLError.of("TABLE_EXISTS", name)
    existing = find(txn, name)
    if existing is not None:
        if not tree.args.get("replace"):
            raise SQLError.of("TABLE_EXISTS", name)
        name = existing[0]
    body = tree.expression
    if isinstance(body, exp.Subquery):
        body = body.this
    texts = tree.meta.get("item_texts") if tree.meta else None
    planned = _planned_columns(state, ctx, db, body, texts)
    body = body.copy()
    if planned is not None and has_star(body):
        body = _expand_star(body, planned)
    out = [c.name for c in planned] if planned is not None else _syntactic_names(body, texts)
    if columns is not None and out is not None and None not in out and len(columns) != len(out):
        raise SQLError(1353, "HY000", "In definition of view, derived table or common table expression, "
                                      "SELECT list and column names list have different column counts")
    final = columns if columns is not None else out
    if final is not None and None not in final:
        seen = set()
        for c in final:
            if c.lower() in seen:
                raise SQLError.of("DUP_FIELDNAME", c)
            seen.add(c.lower())
    if isinstance(body, exp.Select) and not has_star(body) and final is not None:
        body.set("expressions", [exp.Alias(this=i.this if isinstance(i, exp.Alias) else i,
                                           alias=exp.to_identifier(n)) for i, n in zip(body.expressions, final)])
        columns = None  # folded into the aliases
    txn.set_object(VIEW_PREFIX + name, definition_text(name, columns, body))
    return _ok()


def _ok():
    from sqlserver.engine.results import Ok

    return Ok()


def _expand_star(body: exp.Select, planned) -> exp.Select:
    """A lone ``*``/``t.*`` in the select list replaced by the columns it stands for now (MySQL does so too)."""
    stars = [i for i, item in enumerate(body.expressions) if _is_star(item)]
    if len(stars) != 1:
        return body
    at = stars[0]
    width = len(planned) - (len(body.expressions) - 1)
    cols = [exp.Column(this=exp.to_identifier(c.org_name or c.name),
                       table=exp.to_identifier(c.table) if c.table else None)
            for c in planned[at:at + width]]
    body.set("expressions", [*body.expressions[:at], *cols, *body.expressions[at + 1:]])
    return body


def _planned_columns(state, ctx, db, body, texts) -> list | None:
    """The body's result columns from planning it (1146/1054 for bad references); None if it cannot be planned yet."""
    from sqlserver.engine.driver import _Catalog
    from sqlserver.engine.planner import Env, plan_statement
    from sqlserver.engine.plan import Query

    catalog = _Catalog(ctx)
    env = Env(catalog, state.current_db, {}, [], texts)
    try:
        expanded, _, _ = expand(body, catalog.view)
        plan = plan_statement(expanded, env)
    except SQLError as e:
        if e.errno == 1235:
            return None
        raise
    return list(plan.columns) if isinstance(plan, Query) else None


def _syntactic_names(body, texts) -> list | None:
    from sqlserver.engine.planner import item_name

    if not isinstance(body, exp.Select):
        return None
    out = []
    for pos, item in enumerate(body.expressions):
        if _is_star(item):
            out.append(None)
        elif isinstance(item, exp.Alias):
            out.append(item.alias)
        elif isinstance(item, exp.Column):
            out.append(item.name)
        elif texts is not None and pos < len(texts):
            out.append(item_name(texts[pos]))
        else:
            out.append(item.sql(dialect="mysql"))
    return out


def drop_views(state, tree, ctx):
    """DROP VIEW [IF EXISTS] v, ...: 1051 for unknown names, 1347 for tables; nothing dropped on error."""
    targets = tree.args.get("tables") or [tree.this]
    found, missing = [], []
    for t in targets:
        db = t.db or state.require_db()
        txn = state.transaction(db)
        v = find(txn, t.name)
        if v is not None:
            found.append((txn, v[0]))
        elif txn.has_table(t.name):
            raise SQLError(1347, "HY000", f"'{txn.sdb.name}.{t.name}' is not VIEW")
        else:
            missing.append(f"{txn.sdb.name}.{t.name}")
    if missing and not tree.args.get("exists"):
        raise SQLError.of("BAD_TABLE", ",".join(missing))
    for m in missing:
        ctx.warn(1051, f"Unknown table '{m}'", "Note")
    for txn, name in found:
        txn.set_object(VIEW_PREFIX + name, None)
    return _ok()


def show_create_view(txn, name: str) -> tuple[str, str]:
    """(name, MySQL-style CREATE VIEW text); 1146 if there is no such view."""
    v = find(txn, name)
    if v is None:
        raise SQLError.of("NO_SUCH_TABLE", txn.sdb.name, name)
    stored, text = v
    body = _DEF_RE.sub("", text, count=1)
    return stored, f"CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`localhost` SQL SECURITY DEFINER VIEW {_q(stored)} {body}"
