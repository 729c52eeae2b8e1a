"""The plan cache: statement shape -> prepared statement, shared by every session of a server.

Keys are ``parser.normalize`` output: the statement text with each literal
replaced by a typed placeholder, so ``SELECT * FROM t WHERE id = 5`` and
``... id = 7`` share one entry and skip parse + plan (≈1-3 ms) on a hit.
Entries whose meaning depends on a literal's value (``ORDER BY 2``, DDL,
SHOW ... LIKE) are stored under the exact text instead (prefix ``\\0``).

An entry never trusts the catalog: a plan records the schemas it was made
for (``plan.TableRef.schema``), and the driver re-plans from the cached
syntax tree when a table's schema changed (``Prepared.plan_for``).  Nothing
is keyed on a table name or a particular statement.

Eviction: when full, the oldest half is dropped (dicts keep insertion
order).  Plans are small; the bound only stops unbounded growth under
ad-hoc workloads with many distinct shapes.
"""

from __future__ import annotations

import weakref

CAPACITY = 4096  # distinct statement shapes kept; an OLTP app has tens to hundreds


class PlanCache:
    def __init__(self, capacity: int = CAPACITY):
        self.capacity = capacity
        self.entries: dict[str, object] = {}
        self.hits = self.misses = 0

    def get(self, key: str):
        return self.entries.get(key)

    def put(self, key: str, entry) -> None:
        if len(self.entries) >= self.capacity:
            for k in list(self.entries)[: self.capacity // 2]:
                del self.entries[k]
        self.entries[key] = entry

    def clear(self) -> None:
        self.entries.clear()


_caches: "weakref.WeakKeyDictionary[object, PlanCache]" = weakref.WeakKeyDictionary()


def cache_for(provider) -> PlanCache:
    """The plan cache of the server that owns ``provider``."""
    c = _caches.get(provider)
    if c is None:
        c = _caches[provider] = PlanCache()
    return c
