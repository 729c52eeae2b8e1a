"""JSON functions with MySQL 8's semantics (values, paths and printing live in ``json_values``).

Entries have the ``FUNCTIONS`` shape (sqlserver.engine.functions).  The
binder maps ``j -> p`` to ``fn:json_extract(j, p)``, ``j ->> p`` to
``fn:json_unquote(fn:json_extract(j, p))`` and ``JSON_OBJECT(k, v, ...)``
to ``fn:json_object`` (``special_forms``); the rest parse as plain calls.

Arguments come in two roles, decided at compile time from the argument's
static type:

* a *document* (JSON_EXTRACT's first argument, JSON_CONTAINS's two): a JSON
  value, or text parsed as JSON (error 3141 "Invalid JSON text in argument
  N to function f" otherwise; a number is error 3146);
* a *value* (JSON_OBJECT/JSON_ARRAY members, JSON_SET's new values): a JSON
  value stays one (a JSON column's text is parsed), any other SQL value
  becomes a JSON scalar: a string stays a string (``JSON_ARRAY('[1]')`` is
  ``["[1]"]``), SQL NULL becomes JSON null.

A path argument is parsed once per distinct text (cached); a path with
``*``/``**`` where one value is required is error 3149.  SQL NULL in a
document or path argument gives NULL, as in MySQL.
"""

from __future__ import annotations

import copy

from sqlserver.engine.expressions import T_BIGINT, T_LONGTEXT, to_text
from sqlserver.engine.json_values import (
    Json, JsonSyntaxError, bad_text_in_argument, compare, evaluate, from_sql, has_wildcard, key_order,
    parse, parse_cached, parse_path, quote,
)
from sqlserver.engine.plan import Call
from sqlserver.errors import SQLError
from sqlserver.sqltypes import SqlType

T_JSON = SqlType("json")


def _is_json(t) -> bool:
    return t is not None and t.name == "json"


def _doc_reader(e, i: int, fname: str):
    """``read(v) -> Python form`` of argument ``i`` as a JSON document (v not NULL)."""
    typed = _is_json(e.args[i].type)

    def read(v, ctx=None):
        if type(v) is Json:
            return v.value
        if isinstance(v, (str, bytes)):
            text = v.decode("utf-8", "replace") if isinstance(v, bytes) else v
            try:
                return parse_cached(text)
            except JsonSyntaxError as err:
                if typed:
                    raise
                raise bad_text_in_argument(err, i + 1, fname) from None
        raise SQLError(3146, "22032", f"Invalid data type for JSON data in argument {i + 1} to function {fname}; "
                                      "a JSON string or JSON type is required.")
    return read


# operators whose 1/0 results are booleans in JSON (MySQL: JSON_ARRAY(1 = 1) is [true])
_BOOLEAN_OPS = frozenset(("=", "<>", "<", "<=", ">", ">=", "<=>", "and", "or", "xor", "not", "is_null",
                          "is_not_null", "is_true", "is_false", "in", "between", "like", "fn:regexp_like",
                          "fn:json_contains", "fn:json_valid", "fn:json_contains_path", "fn:json_overlaps"))


def _bool(v):
    return None if v is None else bool(v)


def _value_reader(e, i: int):
    """``read(v) -> Python form`` of argument ``i`` used as a JSON value (v may be NULL: JSON null)."""
    if isinstance(e.args[i], Call) and e.args[i].op in _BOOLEAN_OPS:
        return _bool
    if _is_json(e.args[i].type):
        def read(v):
            if isinstance(v, str):
                return parse_cached(v)
            return from_sql(v)
        return read
    return from_sql


def _path_of(v, fname: str, wildcards: bool = True):
    legs = parse_path(to_text(v))
    if not wildcards and has_wildcard(legs):
        raise SQLError(3149, "42000", "In this situation, path expressions may not contain the * and ** tokens.")
    return legs


def _json_object(e, fns):
    if len(fns) % 2:
        raise SQLError(1582, "42000", "Incorrect parameter count in the call to native function 'json_object'")
    readers = [_value_reader(e, i) for i in range(len(fns))]

    def f(row, ctx):
        d = {}
        for i in range(0, len(fns), 2):
            k = fns[i](row, ctx)
            if k is None:
                raise SQLError(3158, "22032", "JSON documents may not contain NULL member names.")
            d[to_text(k)] = readers[i + 1](fns[i + 1](row, ctx))
        return Json(d)
    return f


def _json_array(e, fns):
    readers = [_value_reader(e, i) for i in range(len(fns))]
    return lambda row, ctx: Json([r(fn(row, ctx)) for r, fn in zip(readers, fns)])


def _json_extract(e, fns):
    read = _doc_reader(e, 0, "json_extract")
    fd, fps = fns[0], fns[1:]

    def f(row, ctx):
        d = fd(row, ctx)
        if d is None:
            return None
        doc = read(d)
        found, many = [], len(fps) > 1
        for fp in fps:
            p = fp(row, ctx)
            if p is None:
                return None
            legs = _path_of(p, "json_extract")
            many = many or has_wildcard(legs)
            found.extend(evaluate(doc, legs))
        if not found:
            return None
        return Json(found) if many else Json(found[0])
    return f


def _json_unquote(e, fns):
    (fa,) = fns

    def f(row, ctx):
        v = fa(row, ctx)
        if v is None:
            return None
        if type(v) is Json:
            return v.value if type(v.value) is str else str(v)
        s = to_text(v)
        if len(s) >= 2 and s[0] == '"' and s[-1] == '"':
            try:
                r = parse(s)
            except JsonSyntaxError as err:
                raise bad_text_in_argument(err, 1, "json_unquote") from None
            return r
        return s
    return f


def _json_quote(e, fns):
    (fa,) = fns
    return lambda row, ctx: None if (v := fa(row, ctx)) is None else quote(to_text(v))


def _doc_fn(fname: str, compute, path_arg: bool = True):
    """A function of one document (and an optional path): ``compute(value) -> result``."""
    def make(e, fns):
        read = _doc_reader(e, 0, fname)

        def f(row, ctx):
            d = fns[0](row, ctx)
            if d is None:
                return None
            doc = read(d)
            if path_arg and len(fns) > 1:
                p = fns[1](row, ctx)
                if p is None:
                    return None
                found = evaluate(doc, _path_of(p, fname, wildcards=False))
                if not found:
                    return None
                doc = found[0]
            return compute(doc)
        return f
    return make


def _length(v) -> int:
    return len(v) if type(v) in (list, dict) else 1


def _depth(v) -> int:
    if type(v) is list and v:
        return 1 + max(_depth(x) for x in v)
    if type(v) is dict and v:
        return 1 + max(_depth(x) for x in v.values())
    return 1


def _type_name(v) -> str:
    t = type(v)
    if v is None:
        return "NULL"
    if t is bool:
        return "BOOLEAN"
    if t is int:
        return "UNSIGNED INTEGER" if v > (1 << 63) - 1 else "INTEGER"
    return {float: "DOUBLE", str: "STRING", list: "ARRAY", dict: "OBJECT"}.get(t, "DECIMAL")


def _keys(v):
    return Json(sorted(v, key=key_order)) if type(v) is dict else None


def _json_valid(e, fns):
    (fa,) = fns
    typed = _is_json(e.args[0].type)

    def f(row, ctx):
        v = fa(row, ctx)
        if v is None:
            return None
        if type(v) is Json or typed:
            return 1
        if not isinstance(v, (str, bytes)):
            return 0
        try:
            parse_cached(to_text(v))
            return 1
        except JsonSyntaxError:
            return 0
    return f


def contains(target, cand) -> bool:
    """MySQL's JSON_CONTAINS: arrays contain their elements' contents, objects their members' contents."""
    if type(target) is list:
        if type(cand) is list:
            return all(any(contains(t, c) for t in target) for c in cand)
        return any(contains(t, cand) for t in target)
    if type(target) is dict:
        return type(cand) is dict and all(k in target and contains(target[k], v) for k, v in cand.items())
    if type(cand) in (list, dict):
        return False
    return compare(target, cand) == 0


def _json_contains(e, fns):
    rt, rc = _doc_reader(e, 0, "json_contains"), _doc_reader(e, 1, "json_contains")

    def f(row, ctx):
        t, c = fns[0](row, ctx), fns[1](row, ctx)
        if t is None or c is None:
            return None
        target = rt(t)
        if len(fns) > 2:
            p = fns[2](row, ctx)
            if p is None:
                return None
            found = evaluate(target, _path_of(p, "json_contains", wildcards=False))
            if not found:
                return None
            target = found[0]
        return 1 if contains(target, rc(c)) else 0
    return f


def _json_contains_path(e, fns):
    read = _doc_reader(e, 0, "json_contains_path")

    def f(row, ctx):
        d, mode = fns[0](row, ctx), fns[1](row, ctx)
        if d is None or mode is None:
            return None
        mode = to_text(mode).lower()
        if mode not in ("one", "all"):
            raise SQLError(3150, "42000", "The oneOrAll argument to json_contains_path may take these values: "
                                          "'one' or 'all'.")
        doc = read(d)
        hits = []
        for fp in fns[2:]:
            p = fp(row, ctx)
            if p is None:
                return None
            hits.append(bool(evaluate(doc, _path_of(p, "json_contains_path"))))
        return 1 if (any(hits) if mode == "one" else all(hits)) else 0
    return f


# --- modifying documents -------------------------------------------------------------------------


def _parent_and_leg(doc, legs):
    """(container, last leg) for a path without wildcards; container None when the parent is missing."""
    found = evaluate(doc, legs[:-1])
    return (found[0] if found else None), legs[-1]


def _put(doc, legs, value, mode: str):
    """``doc`` with ``value`` at ``legs``: mode 'set' (replace or add), 'insert' (add), 'replace' (replace)."""
    if not legs:
        return doc if mode == "insert" else value
    parent, leg = _parent_and_leg(doc, legs)
    if parent is None:
        return doc
    if leg[0] == "key":
        if type(parent) is dict:
            exists = leg[1] in parent
            if mode == "set" or (mode == "insert") != exists:
                parent[leg[1]] = value
        return doc
    # an array index; a non-array parent is an array of itself (auto-wrapping)
    if type(parent) is list:
        i = len(parent) - 1 - leg[1] if leg[2] else leg[1]
        if 0 <= i < len(parent):
            if mode != "insert":
                parent[i] = value
        elif mode != "replace" and i >= len(parent):
            parent.append(value)
        return doc
    i = 0 - leg[1] if leg[2] else leg[1]
    if i == 0:
        return doc if mode == "insert" else _put(doc, legs[:-1], value, "replace")
    if i > 0 and mode != "replace":
        return _put(doc, legs[:-1], [copy.deepcopy(parent), value], "replace")
    return doc


def _modifier(fname: str, mode: str):
    def make(e, fns):
        if len(fns) % 2 == 0:
            raise SQLError(1582, "42000", f"Incorrect parameter count in the call to native function '{fname}'")
        read = _doc_reader(e, 0, fname)
        values = [_value_reader(e, i) for i in range(len(fns))]

        def f(row, ctx):
            d = fns[0](row, ctx)
            if d is None:
                return None
            doc = copy.deepcopy(read(d))
            for i in range(1, len(fns), 2):
                p = fns[i](row, ctx)
                if p is None:
                    return None
                legs = _path_of(p, fname, wildcards=False)
                v = copy.deepcopy(values[i + 1](fns[i + 1](row, ctx)))
                if mode == "append":
                    found = evaluate(doc, legs)
                    if found:
                        target = found[0]
                        if type(target) is list:
                            target.append(v)
                        else:
                            doc = _put(doc, legs, [copy.deepcopy(target), v], "replace")
                else:
                    doc = _put(doc, legs, v, mode)
            return Json(doc)
        return f
    return make


def _json_array_insert(e, fns):
    if len(fns) % 2 == 0:
        raise SQLError(1582, "42000", "Incorrect parameter count in the call to native function 'json_array_insert'")
    read = _doc_reader(e, 0, "json_array_insert")
    values = [_value_reader(e, i) for i in range(len(fns))]

    def f(row, ctx):
        d = fns[0](row, ctx)
        if d is None:
            return None
        doc = copy.deepcopy(read(d))
        for i in range(1, len(fns), 2):
            p = fns[i](row, ctx)
            if p is None:
                return None
            legs = _path_of(p, "json_array_insert", wildcards=False)
            if not legs or legs[-1][0] != "idx":
                raise SQLError(3165, "42000", "A path expression is not a path to a cell in an array.")
            v = copy.deepcopy(values[i + 1](fns[i + 1](row, ctx)))
            parent, leg = _parent_and_leg(doc, legs)
            if type(parent) is list:
                k = len(parent) - 1 - leg[1] if leg[2] else leg[1]
                parent.insert(max(k, 0), v)
        return Json(doc)
    return f


def _json_overlaps(e, fns):
    ra, rb = _doc_reader(e, 0, "json_overlaps"), _doc_reader(e, 1, "json_overlaps")

    def f(row, ctx):
        a, b = fns[0](row, ctx), fns[1](row, ctx)
        if a is None or b is None:
            return None
        a, b = ra(a), rb(b)
        if type(a) is dict and type(b) is dict:
            return 1 if any(k in b and compare(v, b[k]) == 0 for k, v in a.items()) else 0
        xs = a if type(a) is list else [a]
        ys = b if type(b) is list else [b]
        return 1 if any(compare(x, y) == 0 for x in xs for y in ys) else 0
    return f


def _pretty(v, indent: str = "") -> str:
    inner = indent + "  "
    if type(v) is list and v:
        return "[\n" + ",\n".join(inner + _pretty(x, inner) for x in v) + "\n" + indent + "]"
    if type(v) is dict and v:
        return "{\n" + ",\n".join(inner + quote(k) + ": " + _pretty(v[k], inner)
                                   for k in sorted(v, key=key_order)) + "\n" + indent + "}"
    return str(Json(v))


def _json_search(e, fns):
    """JSON_SEARCH(doc, 'one'|'all', pattern[, escape[, path...]]): paths of strings matching the LIKE
    pattern (as JSON string(s)), NULL when none matches."""
    from sqlserver.engine.expressions import like_regex

    read = _doc_reader(e, 0, "json_search")

    def paths(v, prefix, out):
        if type(v) is str:
            out.append((prefix, v))
        elif type(v) is dict:
            for k in sorted(v, key=key_order):
                name = k if k.isidentifier() else quote(k)
                paths(v[k], f"{prefix}.{name}", out)
        elif type(v) is list:
            for i, x in enumerate(v):
                paths(x, f"{prefix}[{i}]", out)

    def f(row, ctx):
        d, mode, pat = fns[0](row, ctx), fns[1](row, ctx), fns[2](row, ctx)
        if d is None or mode is None or pat is None:
            return None
        mode = to_text(mode).lower()
        if mode not in ("one", "all"):
            raise SQLError(3150, "42000", "The oneOrAll argument to json_search may take these values: "
                                          "'one' or 'all'.")
        esc = "\\"
        if len(fns) > 3:
            x = fns[3](row, ctx)
            esc = to_text(x) if x else "\\"
        rx = like_regex(to_text(pat), esc)  # the pattern's collation: utf8mb4_0900_ai_ci by default
        doc = read(d)
        roots = [("$", doc)]
        if len(fns) > 4:
            roots = []
            for fp in fns[4:]:
                p = fp(row, ctx)
                if p is None:
                    return None
                text = to_text(p).strip()
                roots += [(text, v) for v in evaluate(doc, _path_of(p, "json_search"))]
        hits: list = []
        for prefix, v in roots:
            found: list = []
            paths(v, prefix, found)
            hits += [p for p, s in found if rx.match(s) and p not in hits]
        if not hits:
            return None
        return Json(hits[0]) if mode == "one" or len(hits) == 1 else Json(hits)
    return f


def _json_remove(e, fns):
    read = _doc_reader(e, 0, "json_remove")

    def f(row, ctx):
        d = fns[0](row, ctx)
        if d is None:
            return None
        doc = copy.deepcopy(read(d))
        for fp in fns[1:]:
            p = fp(row, ctx)
            if p is None:
                return None
            legs = _path_of(p, "json_remove", wildcards=False)
            if not legs:
                raise SQLError(3153, "42000", "The path expression '$' is not allowed in this context.")
            parent, leg = _parent_and_leg(doc, legs)
            if leg[0] == "key" and type(parent) is dict:
                parent.pop(leg[1], None)
            elif leg[0] == "idx" and type(parent) is list:
                i = len(parent) - 1 - leg[1] if leg[2] else leg[1]
                if 0 <= i < len(parent):
                    del parent[i]
        return Json(doc)
    return f


def merge_preserve(a, b):
    if type(a) is dict and type(b) is dict:
        out = dict(a)
        for k, v in b.items():
            out[k] = merge_preserve(out[k], v) if k in out else v
        return out
    return (a if type(a) is list else [a]) + (b if type(b) is list else [b])


def merge_patch(a, b):
    if type(b) is not dict:
        return b
    out = dict(a) if type(a) is dict else {}
    for k, v in b.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = merge_patch(out.get(k), v)
    return out


def _merge(fname: str, fold):
    def make(e, fns):
        readers = [_doc_reader(e, i, fname) for i in range(len(fns))]

        def f(row, ctx):
            acc, null = None, False
            for i, (r, fn) in enumerate(zip(readers, fns)):
                v = fn(row, ctx)
                if v is None:
                    if fold is merge_preserve:
                        return None
                    null = True  # JSON_MERGE_PATCH: NULL so far; a later object argument patches {}
                    acc = None
                    continue
                doc = copy.deepcopy(r(v))
                if i == 0 or (null and type(doc) is not dict):
                    acc, null = doc, False
                elif null:
                    acc, null = merge_patch({}, doc), False
                else:
                    acc = fold(acc, doc)
            return None if null else Json(acc)
        return f
    return make


# name -> (min args, max args, result type, maker): the FUNCTIONS shape
JSON_FUNCTIONS = {
    "json_object": (0, None, lambda ts: T_JSON, _json_object),
    "json_array": (0, None, lambda ts: T_JSON, _json_array),
    "json_extract": (2, None, lambda ts: T_JSON, _json_extract),
    "json_unquote": (1, 1, lambda ts: T_LONGTEXT, _json_unquote),
    "json_quote": (1, 1, lambda ts: T_LONGTEXT, _json_quote),
    "json_contains": (2, 3, lambda ts: T_BIGINT, _json_contains),
    "json_contains_path": (3, None, lambda ts: T_BIGINT, _json_contains_path),
    "json_keys": (1, 2, lambda ts: T_JSON, _doc_fn("json_keys", _keys)),
    "json_length": (1, 2, lambda ts: T_BIGINT, _doc_fn("json_length", _length)),
    "json_depth": (1, 1, lambda ts: T_BIGINT, _doc_fn("json_depth", _depth, path_arg=False)),
    "json_type": (1, 1, lambda ts: T_LONGTEXT, _doc_fn("json_type", _type_name, path_arg=False)),
    "json_valid": (1, 1, lambda ts: T_BIGINT, _json_valid),
    "json_set": (3, None, lambda ts: T_JSON, _modifier("json_set", "set")),
    "json_insert": (3, None, lambda ts: T_JSON, _modifier("json_insert", "insert")),
    "json_replace": (3, None, lambda ts: T_JSON, _modifier("json_replace", "replace")),
    "json_array_append": (3, None, lambda ts: T_JSON, _modifier("json_array_append", "append")),
    "json_remove": (2, None, lambda ts: T_JSON, _json_remove),
    "json_array_insert": (3, None, lambda ts: T_JSON, _json_array_insert),
    "json_overlaps": (2, 2, lambda ts: T_BIGINT, _json_overlaps),
    "json_search": (3, None, lambda ts: T_JSON, _json_search),
    "json_pretty": (1, 1, lambda ts: T_LONGTEXT, _doc_fn("json_pretty", _pretty, path_arg=False)),
    "json_merge_preserve": (2, None, lambda ts: T_JSON, _merge("json_merge_preserve", merge_preserve)),
    "json_merge": (2, None, lambda ts: T_JSON, _merge("json_merge", merge_preserve)),
    "json_merge_patch": (2, None, lambda ts: T_JSON, _merge("json_merge_patch", merge_patch)),
}

__all__ = ["JSON_FUNCTIONS", "T_JSON", "contains", "merge_patch", "merge_preserve"]
