"""Transactions: snapshot isolation, first committer wins, no lost updates.

A transaction reads one snapshot of its branch's working set, taken at its
first statement, and writes into private copies of the tables it touches
(``sqlserver.tables.TableState``: immutable prolly maps, so a copy is a
pointer).  COMMIT merges those writes into the branch's *current* working set:

1. **Conflict check.**  Every committed writing transaction leaves its write
   set (and its SELECT ... FOR UPDATE lock set) in
   ``SqlDatabase.conflict_log`` under a sequence number.  If any transaction
   that committed after our snapshot wrote or locked a row we wrote or
   locked, COMMIT fails with 1213/40001 and nothing changes.  This is checked
   on keys, not values: two transactions that both set n = n + 1 conflict
   even though they wrote the same value (Dolt merges such identical edits
   and so loses one increment; we must not).  Rows a transaction only
   *relied on* -- the parent row a foreign-key check found -- are logged as
   shared keys (``KeySet.shared``): they conflict with the other side's
   writes of that row, never with its shared keys, so a child inserted
   against a parent that a concurrent transaction deleted cannot commit
   (sqlserver.engine.constraints).  Write skew is otherwise allowed: two
   transactions that read overlapping rows but write disjoint ones both
   commit (snapshot isolation, not serializability).
2. **Rebase.**  If the working set moved since our snapshot, our net edits
   are replayed onto the current tables (onto their pending edits, or with one
   batched ``mutate`` per map), and unique secondary keys are re-checked on
   the merged result.  Disjoint rows from both sides survive.
3. **Publish.**  A transaction that changed only rows (fewer than
   ``BULK_EDITS``) hands its net edits to the branch's pending log
   (``Database.commit_row_edits``, storage.pending): one journal record,
   durable (fsynced) before COMMIT returns; later snapshots read the trees
   through those edits.  Any other commit (DDL, objects, bulk loads, or
   ``@@dolt_transaction_commit = 1``) writes its trees: the new root value goes
   into a new working set with one compare-and-swap of the store's root
   (``Database.update_refs``, which first writes pending edits in), also
   durable before COMMIT returns.  With ``@@dolt_transaction_commit = 1`` the
   same ref update moves the branch head to a new commit "Transaction
   commit", so history stays linear and there is no window in which the
   working set and the head disagree.

DDL commits implicitly (the engine commits before and after it), so a
transaction carries at most one DDL statement, applied as a whole-table
change that conflicts with any concurrent change to that table.

Savepoints (SAVEPOINT, ROLLBACK [WORK] TO [SAVEPOINT], RELEASE SAVEPOINT) are
kept by the session (``SessionState.savepoints``), since one covers the
session's transactions on every database.  A savepoint is, per transaction,
each open table's state (``TableState.savepoint``): references to its
immutable overlay maps plus one copy of its net edits, unique prefixes,
written and shared keys.  ROLLBACK TO puts those back and drops the tables
first opened after it, so they are reopened from the snapshot; the
transaction stays open and keeps its snapshot.  Restoring ``written`` means
a row written and then rolled back to a savepoint does not make COMMIT
conflict with (or another transaction conflict with us on) that row; row
locks (``locked``, SELECT ... FOR UPDATE) are kept, as InnoDB keeps the row
locks taken after a savepoint, and auto-increment values are not given back.
COMMIT and ROLLBACK, including the implicit commit around DDL, delete every
savepoint.  Since DDL commits, a savepoint never spans DDL, so ``ddl``,
``objects`` and ``fk_children`` need no saving.

Everything here runs synchronously on the server's event loop: there is no
``await`` between reading the working set and swapping it, so commits of one
process are serialized without a lock.
"""

from __future__ import annotations

import time

from sqlserver.errors import SQLError
from sqlserver.tables import TableState
from storage.commit import Commit
from storage.overlay import EMPTY as NO_EDITS
from storage.overlay import MapEdits, OverlayMap
from storage.pending import TableChange
from storage.prolly_map import ProllyMap
from storage.refs import WorkingSet, branch_ref, working_set_ref
from storage.root_value import RootValue
from storage.schema import Schema
from storage.table import Table
from storage.tuple_encoding import prefix_upper_bound

TRANSACTION_COMMIT_MESSAGE = "Transaction commit"
# A transaction that changed at least this many rows writes its trees at commit instead of
# adding its edits to the pending log (storage.pending): for a bulk load, batch writing is
# already cheap per row, and readers would otherwise merge thousands of edits into every scan.
BULK_EDITS = 256
_DROPPED = object()
_schemas: dict[bytes, Schema] = {}  # table address -> schema (addresses are immutable)


class KeySet(frozenset):
    """A committed transaction's write/lock keys ``(table, key)``, plus ``shared`` keys.

    Shared keys are rows the transaction relied on without writing them (a
    foreign-key parent): they conflict with another transaction's writes of
    the same row, never with another's shared keys.  ``(table, None)`` is a
    whole-table change (DDL).
    """

    shared: frozenset = frozenset()

    def __new__(cls, keys, shared=frozenset()):
        self = super().__new__(cls, keys)
        self.shared = frozenset(shared)
        return self


class Transaction:
    """One session's transaction on one branch of one database."""

    def __init__(self, sdb, branch: str | None = None):
        self.sdb = sdb
        self.db = sdb.db
        self.branch = branch or sdb.default_branch
        self.snapshot_seq = sdb.seq
        # The stored working set plus the row edits committed on it but not yet written into its
        # trees (storage.pending); tables are read through those edits.
        self.base_ws, self.pending = self.db.working_view(self.branch)
        self._released = False
        self.base_root = self.db.read_root_value(self.base_ws.working)
        self.tables: dict[str, TableState] = {}
        self.ddl: dict[str, object] = {}  # table name -> new Table, or _DROPPED
        self._stmt_ddl: dict[str, object] = {}
        self.objects: dict[str, str | None] = {}  # root-value object name -> new text, or None (dropped)
        self._stmt_objects: dict[str, str | None] = {}
        self.fk_children: dict | None = None  # referenced table -> foreign keys (sqlserver.engine.constraints)
        self._as_of: dict[tuple[str, str], TableState] = {}  # (table, revision) -> read-only state (AS OF)

    # --- catalog ---------------------------------------------------------------

    def _resolve(self, name: str) -> str | None:
        """The stored spelling of table ``name`` (exact, then case-insensitive)."""
        for mapping in (self._stmt_ddl, self.ddl):
            if name in mapping:
                return None if mapping[name] is _DROPPED else name
        if self.base_root.has_table(name):
            return name
        lowered = name.lower()
        for mapping in (self._stmt_ddl, self.ddl):
            for n, t in mapping.items():
                if n.lower() == lowered:
                    return None if t is _DROPPED else n
        found = self.base_root.find_table(name)
        if found is not None and self._pending_ddl(found) is _DROPPED:
            return None
        return found

    def _pending_ddl(self, name: str):
        if name in self._stmt_ddl:
            return self._stmt_ddl[name]
        return self.ddl.get(name)

    @property
    def has_statement_ddl(self) -> bool:
        """The running statement changed a table's schema (not yet in ``ddl``)."""
        return bool(self._stmt_ddl)

    def has_table(self, name: str) -> bool:
        return self._resolve(name) is not None

    def table_names(self) -> list[str]:
        names = set(self.base_root.tables())
        for mapping in (self.ddl, self._stmt_ddl):
            for n, t in mapping.items():
                if t is _DROPPED:
                    names.discard(n)
                else:
                    names.add(n)
        return sorted(names)

    def table(self, name: str) -> TableState:
        """The table as this transaction sees it; 1146 if it does not exist."""
        state = self.tables.get(name)
        if state is not None:
            return state
        stored = self._resolve(name)
        if stored is None:
            raise SQLError.of("NO_SUCH_TABLE", self.sdb.name, name)
        state = self.tables.get(stored)
        if state is None:
            ddl = self._pending_ddl(stored)
            if isinstance(ddl, Table):
                table, edits = ddl, None
            else:
                table = self.db.read_table(self.base_root.table(stored))
                edits = self.pending.table(stored) if self.pending is not None else None
            state = TableState(stored, table, self.db.node_store, None, edits)
            state.auto = self._auto(stored, table, state, edits, None if ddl is not None else
                                    self.base_root.table(stored))
            self.tables[stored] = state
        return state

    def table_as_of(self, name: str, revision: str) -> TableState:
        """Table ``name`` as committed at ``revision`` (Dolt's ``AS OF``), for reading.

        ``revision``: a branch (its head), tag, commit address, HEAD~n, or
        remote branch.  Unknown revisions are 1105 "invalid ref spec"; a
        table the revision lacks is 1146.
        """
        key = (name.lower(), revision)
        state = self._as_of.get(key)
        if state is not None:
            return state
        from sqlserver.engine.procedures import resolve_commit

        db = self.db
        root = db.read_root_value(db.read_commit(resolve_commit(self.sdb, self.branch, revision)).root)
        stored = name if root.table(name) is not None else root.find_table(name)
        if stored is None:
            raise SQLError.of("NO_SUCH_TABLE", self.sdb.name, name)
        state = self._as_of[key] = TableState(stored, db.read_table(root.table(stored)), db.node_store, None)
        state.read_only = True
        return state

    def table_schema(self, name: str) -> Schema:
        """The schema of table ``name`` (stored spelling) without opening it for writes."""
        state = self.tables.get(name)
        if state is not None:
            return state.schema
        pending = self._pending_ddl(name)
        if isinstance(pending, Table):
            return pending.schema
        address = self.base_root.table(name)
        schema = _schemas.get(address)
        if schema is None:
            if len(_schemas) > 4096:
                _schemas.clear()
            schema = _schemas[address] = self.db.read_table(address).schema
        return schema

    def _auto(self, name: str, table: Table, state: TableState, edits, address: bytes | None):
        """The table's shared auto-increment counter, moved past every key this snapshot holds.

        Finding the largest key costs a descent through the tree and the
        pending edits, so it is skipped while the stored table is the one the
        counter last saw: every row added since came through SQL on this
        server, which takes or observes its values through the counter.
        """
        schema = table.schema
        if not any(c.auto_increment for c in schema.columns):
            return None
        key = (self.branch, name.lower())
        counter = self.sdb.auto_increments.get(key)
        if counter is not None and address is not None and counter.seen == address:
            return counter
        max_key = None
        if len(schema.primary_key) == 1 and schema.column(schema.primary_key[0]).auto_increment:
            for k, _ in state.primary.items(reverse=True):  # the largest key (not count(): O(pending edits))
                max_key = state.codec.key.decode(k)[0]
                break
        stored = max(table.auto_increment, edits.auto_increment if edits is not None else 0)
        counter = self.sdb.auto_increment(self.branch, name, stored, max_key)
        counter.seen = address
        return counter

    def create_table(self, name: str, schema: Schema, table: Table | None = None) -> None:
        """A new table: empty, or ``table`` (CREATE TABLE ... SELECT, RENAME TABLE)."""
        if self.has_table(name):
            raise SQLError.of("TABLE_EXISTS", name)
        self._stmt_ddl[name] = table if table is not None else Table.create(self.db.node_store, schema)
        self.tables.pop(name, None)
        self.forget_auto_increment(name)  # a new table counts from its own AUTO_INCREMENT, as in MySQL

    def forget_auto_increment(self, name: str) -> None:
        """Drop the shared counter of a table that is created, dropped or truncated (DDL commits at once)."""
        self.sdb.auto_increments.pop((self.branch, name.lower()), None)

    def replace_table(self, name: str, table: Table) -> None:
        """Install a new version of a table wholesale (ALTER TABLE and the like)."""
        stored = self._resolve(name)
        if stored is None:
            raise SQLError.of("NO_SUCH_TABLE", self.sdb.name, name)
        self._stmt_ddl[stored] = table
        self.tables.pop(stored, None)

    def drop_table(self, name: str) -> None:
        stored = self._resolve(name)
        if stored is None:
            raise SQLError.of("BAD_TABLE", f"{self.sdb.name}.{name}")
        self._stmt_ddl[stored] = _DROPPED
        self.tables.pop(stored, None)
        self.forget_auto_increment(stored)

    # --- named objects (views, triggers): root-value ``objects``, text interpreted by the SQL layer ---

    def get_object(self, name: str) -> str | None:
        """The text of object ``name`` (exact name, e.g. ``"view:v1"``) as this transaction sees it."""
        for mapping in (self._stmt_objects, self.objects):
            if name in mapping:
                return mapping[name]
        return self.base_root.objects.get(name)

    def object_names(self, prefix: str) -> list[str]:
        """Names of the objects starting with ``prefix``, sorted."""
        names = {n for n in self.base_root.objects if n.startswith(prefix)}
        for mapping in (self.objects, self._stmt_objects):
            for n, text in mapping.items():
                if n.startswith(prefix):
                    (names.add if text is not None else names.discard)(n)
        return sorted(names)

    def set_object(self, name: str, text: str | None) -> None:
        """Create or replace (text) or drop (None) an object; a DDL change like a table's."""
        self._stmt_objects[name] = text

    # --- statements --------------------------------------------------------------

    def end_statement(self, ok: bool) -> None:
        """End a statement: keep (ok) or undo (not ok) only its own effects."""
        for state in self.tables.values():
            state.end_statement(ok)
        if self._stmt_ddl:
            self.fk_children = None
        if ok:
            self.ddl.update(self._stmt_ddl)
            self.objects.update(self._stmt_objects)
        else:
            for name in self._stmt_ddl:
                self.tables.pop(name, None)
        self._stmt_ddl = {}
        self._stmt_objects = {}

    @property
    def has_writes(self) -> bool:
        return bool(self.ddl) or bool(self.objects) or any(
            s.txn_edits or s.txn_index_edits or s.locked for s in self.tables.values())

    def root_value(self) -> RootValue:
        """The root value with this transaction's writes (as of the last statement end)."""
        root = self._with_objects(self.base_root)
        for name, t in self.ddl.items():
            if t is _DROPPED:
                if root.table(name) is not None:  # not if created and dropped (renamed) within this transaction
                    root = root.without_table(name)
            else:
                root = root.with_table(name, self.db.write_table(t))
        for name, state in self.tables.items():
            if state.txn_edits or state.txn_index_edits:
                root = root.with_table(name, self.db.write_table(state.to_table()))
        return root

    def _with_objects(self, root: RootValue) -> RootValue:
        for name, text in self.objects.items():
            if text is not None:
                root = root.with_object(name, text)
            elif name in root.objects:
                root = root.without_object(name)
        return root

    # --- commit --------------------------------------------------------------------

    def commit(self, *, versioned: bool = False, author: tuple[str, str] | None = None) -> bytes | None:
        """Merge into the branch's working set, durably. Returns the new commit if ``versioned``.

        Raises SQLError 1213 (serialization failure) when a transaction that
        committed after our snapshot wrote or locked a row we wrote or locked.
        """
        if not self.has_writes:
            return None
        sdb, db = self.sdb, self.db
        keys = KeySet(frozenset(
            (name.lower(), k) for name, s in self.tables.items() for k in (*s.written, *s.locked)
        ) | frozenset((name.lower(), None) for name in self.ddl) | frozenset(
            (name.lower(), None) for name in self.objects),  # an object changes as a whole, like DDL
            ((name.lower(), k) for name, s in self.tables.items() for k in s.shared))
        self._check_conflicts(keys)
        changed_rows = any(s.txn_edits or s.txn_index_edits for s in self.tables.values()) or bool(self.ddl) or \
            bool(self.objects)
        commit_address = None
        if changed_rows and not versioned and not self.ddl and not self.objects and db.supports_pending and \
                sum(len(s.txn_edits) for s in self.tables.values()) < BULK_EDITS:
            self._commit_row_edits()
        elif changed_rows:
            ws = db.working_set(self.branch)
            if ws.working == self.base_ws.working:
                root = self.root_value()
            else:
                root = self._rebase(db.read_root_value(ws.working))
            root_address = db.write_root_value(root)
            changes = {}
            if versioned:
                head = db.head(self.branch)
                head_commit = db.read_commit(head)
                if root_address != head_commit.root:
                    name, email = author or sdb.identity()
                    commit_address = db.write_commit(Commit(
                        root_address, (head,), name, email, time.time(), TRANSACTION_COMMIT_MESSAGE,
                        head_commit.height + 1,
                    ))
                    changes[branch_ref(self.branch)] = (head, commit_address)
                    new_ws = WorkingSet(root_address, root_address)
                else:
                    new_ws = WorkingSet(root_address, ws.staged)
            else:
                new_ws = WorkingSet(root_address, ws.staged, ws.merge_state)
            changes[working_set_ref(self.branch)] = (ws.address, db.write_working_set(new_ws))
            db.update_refs(changes)
        sdb.record_commit(keys)
        self._finish()
        return commit_address

    def _commit_row_edits(self) -> None:
        """The fast commit of a transaction that changed only rows: its net edits go to the pending log.

        The working set may have moved since our snapshot (commits of others
        the conflict check let through, or their edits written into the
        trees): the edits apply on top of whatever is current, after checking
        that our tables are still there with our schemas and that unique keys
        hold on the merged result.
        """
        db = self.db
        changes = {}
        for name, state in self.tables.items():
            if state.txn_edits or state.txn_index_edits:
                changes[name] = TableChange(
                    dict(state.txn_edits), {n: dict(e) for n, e in state.txn_index_edits.items() if e},
                    state.auto.next_value if state.auto is not None else 0)
        self._release()  # before committing: unpinned pending edits are updated in place
        ws, pending = db.current_view(self.branch)  # nothing below yields: no one else can commit meanwhile
        if ws.working != self.base_ws.working or pending is not self.pending:
            root = db.read_root_value(ws.working)
            for name in changes:
                state = self.tables[name]
                address = root.table(name)
                if address is None:
                    raise SQLError.of("SERIALIZATION_FAILURE")  # dropped underneath us
                current = db.read_table(address)
                if current.schema != state.table.schema:
                    raise SQLError.of("SERIALIZATION_FAILURE")
                t_edits = pending.table(name) if pending is not None else None
                for ix_name, prefixes in state.txn_unique.items():
                    edits = state.txn_index_edits.get(ix_name)
                    if not prefixes or not edits:
                        continue
                    merged = OverlayMap(OverlayMap(ProllyMap.load(db.node_store, current.indexes[ix_name]),
                                                   t_edits.index(ix_name) if t_edits else NO_EDITS),
                                        MapEdits(dict(edits)))
                    self._recheck_unique(merged, prefixes)
        db.commit_row_edits(self.branch, changes)

    def _check_conflicts(self, keys: frozenset) -> None:
        sdb = self.sdb
        if sdb.seq == self.snapshot_seq:
            return
        if self.snapshot_seq < sdb.log_floor:
            raise SQLError.of("SERIALIZATION_FAILURE")
        tables = {t for t, k in keys}
        for seq, theirs in reversed(sdb.conflict_log):
            if seq <= self.snapshot_seq:
                break
            if not keys.isdisjoint(theirs):
                raise SQLError.of("SERIALIZATION_FAILURE")
            # a row one side relied on (foreign-key parent) that the other wrote
            their_shared = getattr(theirs, "shared", None)
            if keys.shared and not keys.shared.isdisjoint(theirs) or their_shared and not \
                    their_shared.isdisjoint(keys):
                raise SQLError.of("SERIALIZATION_FAILURE")
            # a whole-table change (DDL) on either side conflicts with any row of that table
            for t, k in theirs:
                if k is None and t in tables:
                    raise SQLError.of("SERIALIZATION_FAILURE")
            for t, k in keys:
                if k is None and any(t2 == t for t2, _ in theirs):
                    raise SQLError.of("SERIALIZATION_FAILURE")

    def _rebase(self, current: RootValue) -> RootValue:
        """Replay this transaction's net edits onto the current root value."""
        db = self.db
        root = self._with_objects(current)
        for name, t in self.ddl.items():
            if t is _DROPPED:
                if root.table(name) is not None:
                    root = root.without_table(name)
            else:
                root = root.with_table(name, db.write_table(t))
        for name, state in self.tables.items():
            if name in self.ddl or not (state.txn_edits or state.txn_index_edits):
                continue
            address = root.table(name)
            if address is None:
                raise SQLError.of("SERIALIZATION_FAILURE")  # dropped underneath us
            base_address = self.base_root.table(name)
            if address == base_address:
                root = root.with_table(name, db.write_table(state.to_table()))
                continue
            theirs = db.read_table(address)
            if theirs.schema != state.table.schema:
                raise SQLError.of("SERIALIZATION_FAILURE")
            merged = self._replay(state, theirs)
            root = root.with_table(name, db.write_table(merged))
        return root

    def _replay(self, state: TableState, theirs: Table) -> Table:
        ns = self.db.node_store
        table = theirs.with_row_edits(ns, state.txn_edits, state.txn_index_edits,
                                      state.auto.next_value if state.auto is not None else 0)
        for ix in state.codec.indexes:
            if ix.unique and state.txn_index_edits.get(ix.name):
                self._recheck_unique(ProllyMap.load(ns, table.indexes[ix.name]), state.txn_unique.get(ix.name, ()))
        return table

    @staticmethod
    def _recheck_unique(merged, prefixes) -> None:
        for prefix in prefixes:
            if sum(1 for _ in merged.keys(prefix, prefix_upper_bound(prefix))) > 1:
                # another transaction took the same unique value: a retry shows 1062
                raise SQLError.of("SERIALIZATION_FAILURE")

    # --- savepoints ---------------------------------------------------------------------

    def savepoint(self) -> dict:
        """This transaction's row state now (between statements): what ``rollback_to`` restores.

        Only row state: DDL commits implicitly, so a savepoint never spans
        DDL, and ``ddl``/``objects``/``fk_children`` do not change while it lives.
        """
        return {name: (state, state.savepoint()) for name, state in self.tables.items()}

    def rollback_to(self, saved: dict) -> None:
        """Undo the row changes made since ``saved`` (``{}``: since the transaction began).

        A table first opened after the savepoint is dropped from ``tables``,
        so it is reopened from the transaction's snapshot; the row locks it
        took (SELECT ... FOR UPDATE) are kept, as InnoDB keeps them.
        """
        for name, state in list(self.tables.items()):
            entry = saved.get(name)
            if entry is not None and entry[0] is state:
                state.rollback_to(entry[1])
                continue
            del self.tables[name]
            if state.locked:
                self.table(name).locked = state.locked

    def rollback(self) -> None:
        self._finish()

    def _release(self) -> None:
        if not self._released:
            self._released = True
            self.db.release_view(self.pending)

    def _finish(self) -> None:
        self._release()
        self.fk_children = None
        self.tables = {}
        self.ddl = {}
        self._stmt_ddl = {}
        self.objects = {}
        self._stmt_objects = {}
