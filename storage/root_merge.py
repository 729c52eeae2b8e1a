"""Three-way merge of root values, table by table; and the tables two roots differ in.

Why: ``pull`` of a diverged branch (and later ``dolt_merge``) merges whole
databases.  Most tables change on one side only, and those merge by taking
that side's table chunk: one address comparison, nothing read.  A table both
sides changed is merged row by row with ``prolly_merge`` on its primary map
and on each secondary-index map, so the cost is O(rows changed).

A conflict is reported, and nothing is merged, when:

- a table was changed on both sides and its schema differs between them;
- one side dropped (or created) a table the other changed;
- a row (primary key) was changed on both sides to different values.

Secondary-index entries are keys only, so they merge cleanly whenever rows
do.  Known gap: a UNIQUE secondary key inserted with different primary keys
on both sides is not detected here (the SQL layer's unique check runs on
transaction commit, not on merge).

Named text objects (views, ...) merge the same way as tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from storage.prolly_map import ProllyMap
from storage.prolly_merge import merge as merge_maps
from storage.root_value import RootValue
from storage.table import Table


@dataclass
class RootMerge:
    root: RootValue | None  # None when there are conflicts
    conflicts: list[str] = field(default_factory=list)  # "table t: why"


def changed_tables(a: RootValue, b: RootValue) -> set[str]:
    """Names of tables (and objects, prefixed ``object:``) that differ between two roots."""
    out = {t for t in set(a.table_map) | set(b.table_map) if a.table_map.get(t) != b.table_map.get(t)}
    out |= {f"object:{o}" for o in set(a.objects) | set(b.objects) if a.objects.get(o) != b.objects.get(o)}
    return out


def merge_roots(db, base: RootValue, ours: RootValue, theirs: RootValue) -> RootMerge:
    """Merge ``theirs`` into ``ours`` relative to ``base``; chunks are written through ``db``."""
    conflicts: list[str] = []
    tables = dict(ours.table_map)
    for name in sorted(set(base.table_map) | set(ours.table_map) | set(theirs.table_map)):
        b, o, t = base.table_map.get(name), ours.table_map.get(name), theirs.table_map.get(name)
        if t == b or o == t:
            continue  # theirs did nothing here, or both did the same
        if o == b:
            if t is None:
                tables.pop(name, None)
            else:
                tables[name] = t
            continue
        if b is None:
            conflicts.append(f"table {name}: created on both sides with different contents")
            continue
        if o is None or t is None:
            conflicts.append(f"table {name}: dropped on one side and changed on the other")
            continue
        merged, why = _merge_table(db, db.read_table(b), db.read_table(o), db.read_table(t))
        if merged is None:
            conflicts.append(f"table {name}: {why}")
        else:
            tables[name] = db.write_table(merged)
    objects = dict(ours.objects)
    for name in sorted(set(base.objects) | set(ours.objects) | set(theirs.objects)):
        b, o, t = base.objects.get(name), ours.objects.get(name), theirs.objects.get(name)
        if t == b or o == t:
            continue
        if o == b:
            if t is None:
                objects.pop(name, None)
            else:
                objects[name] = t
            continue
        conflicts.append(f"{name}: changed differently on both sides")
    if conflicts:
        return RootMerge(None, conflicts)
    return RootMerge(RootValue(tables, objects))


def _merge_table(db, base: Table, ours: Table, theirs: Table) -> tuple[Table | None, str]:
    if ours.schema != theirs.schema:
        return None, "schema changed on both sides"
    ns = db.node_store

    def three_way(b: bytes | None, o: bytes, t: bytes):
        empty = ProllyMap.empty(ns)
        return merge_maps(ProllyMap.load(ns, b) if b else empty, ProllyMap.load(ns, o), ProllyMap.load(ns, t))

    rows = three_way(base.primary, ours.primary, theirs.primary)
    if rows.conflicts:
        n = len(rows.conflicts)
        return None, f"{n} row{'s' if n != 1 else ''} changed differently on both sides"
    merged = ours.with_primary(rows.map.address)
    for name, root in ours.indexes.items():
        result = three_way(base.indexes.get(name), root, theirs.indexes.get(name, root))
        if result.conflicts:
            return None, f"index {name} entries changed differently on both sides"
        merged = merged.with_index(name, result.map.address)
    return merged.with_auto_increment(max(ours.auto_increment, theirs.auto_increment)), ""
