"""One client session's state: current database, variables, transactions.

The wire session (sqlserver.session) and the CLI each hold one
``SessionState`` and pass it to ``sqlserver.engine.execute``.

Transactions.  A session has at most one open ``Transaction`` per database,
opened lazily by the first statement that touches that database: that
moment is its snapshot.  In autocommit mode (and outside BEGIN) the driver
commits them at the end of every statement.  A transaction that wrote
nothing is not thrown away: it is parked, and the next statement reuses it
if the store's root has not moved since it was opened, which is exactly
when a fresh snapshot would be identical.  That keeps the per-statement cost
of autocommit reads (reading the working set, decoding table chunks, loading
map roots) off the hot path.

Savepoints.  ``savepoints`` lists the current transaction's SAVEPOINTs,
oldest first; each holds the row state of every open transaction (one per
database) when it was set (sqlserver.txn, "Savepoints").  commit_all and
rollback_all delete them all.

Status: ``in_transaction`` (BEGIN is open, or autocommit is off and a
transaction holds a snapshot) and ``autocommit`` feed the wire layer's
SERVER_STATUS flags.
"""

from __future__ import annotations

from sqlserver.engine import variables
from sqlserver.engine.plan_cache import cache_for
from sqlserver.errors import SQLError
from sqlserver.txn import Transaction

SERVER_STATUS_IN_TRANS = 0x0001
SERVER_STATUS_AUTOCOMMIT = 0x0002


class SessionState:
    """See the module docstring."""

    def __init__(self, provider, *, connection_id: int = 1, read_only: bool = False, user: str = "root@localhost"):
        self.provider = provider
        self.connection_id = connection_id
        self.read_only = read_only
        self.user = user
        self.current_db: str | None = None
        self.session_variables: dict[str, object] = {}  # values set in this session only
        self.server = variables.server_variables(provider)
        self.user_variables: dict[str, object] = {}
        self.autocommit = bool(self.get_variable("autocommit"))
        self.explicit = False  # inside BEGIN ... COMMIT
        self.transactions: dict[str, Transaction] = {}
        self._parked: dict[str, tuple[Transaction, bytes]] = {}  # read-only snapshots, with the store root
        self._txn_roots: dict[str, bytes] = {}  # store root when each open transaction was opened
        # SAVEPOINTs of the current transaction, oldest first: (name, {database: (Transaction, its state)})
        self.savepoints: list[tuple[str, dict]] = []
        self.last_insert_id = 0
        self.warnings: list[tuple[str, int, str]] = []
        self.plan_cache = cache_for(provider)
        self.yield_every = 1000  # rows between event-loop yields in the async driver
        # Called with a replication Transfer while a push/pull/fetch/clone/backup moves chunks: the
        # CLI's progress line when it runs the engine in-process; None in a server's sessions.
        self.progress = None
        # Work the session awaits after the statement, off the event loop's critical path: waits for
        # push on write (issue 5) and CALL grove_wait_for_commit.  (coroutine factory, kind) pairs.
        self.deferred: list = []

    # --- replication --------------------------------------------------------------------

    def head_moved(self, db: str, branch: str) -> None:
        """A commit moved ``branch`` of database ``db``: push it when the database pushes on write."""
        sdb = self.provider.get(db)
        rep = sdb.replicator
        if rep is None:
            return
        fut = rep.request(branch)
        if sdb.setting("dolt_async_replication", 0):
            return
        timeout = int(self.get_variable("grove_replication_timeout_ms", db=db)) / 1000.0
        self.deferred.append(("push", (rep.remote_name, branch, fut, timeout)))

    def is_replica(self, db: str | None = None) -> bool:
        db = db or self.current_db
        if db is None or not self.provider.exists(db):
            return False
        return self.provider.get(db).replica is not None

    # --- status ---------------------------------------------------------------------

    @property
    def in_transaction(self) -> bool:
        return self.explicit or (not self.autocommit and bool(self.transactions))

    @property
    def status_flags(self) -> int:
        return (SERVER_STATUS_IN_TRANS if self.in_transaction else 0) | (
            SERVER_STATUS_AUTOCOMMIT if self.autocommit else 0)

    # --- databases and transactions ------------------------------------------------------

    def require_db(self) -> str:
        if self.current_db is None:
            raise SQLError.of("NO_DB")
        return self.current_db

    def transaction(self, db_name: str) -> Transaction:
        """This session's transaction on ``db_name``, opened (snapshot taken) on first use."""
        txn = self.transactions.get(db_name)
        if txn is not None:
            return txn
        if db_name.lower() == "information_schema":  # not a stored database: read through system tables only
            raise SQLError(1044, "42000", "Access denied for user 'root'@'localhost' to database 'information_schema'")
        sdb = self.provider.get(db_name)
        name = sdb.name
        txn = self.transactions.get(name)
        if txn is not None:
            return txn
        parked = self._parked.pop(name, None)
        root = sdb.db.store.root()
        if parked is not None and parked[1] == root and parked[0].sdb is sdb and parked[0].snapshot_seq == sdb.seq:
            txn = parked[0]
        else:
            if parked is not None:
                parked[0].rollback()  # unpins the pending row edits its snapshot read through
            txn = Transaction(sdb)
        self.transactions[name] = txn
        self._txn_roots[name] = root
        return txn

    def end_statement(self, ok: bool) -> None:
        for txn in self.transactions.values():
            txn.end_statement(ok)

    def commit_all(self) -> None:
        """Commit every open transaction (durable on return); 1213 leaves the failed one rolled back."""
        if self.savepoints:
            self.savepoints = []
        txns, self.transactions = self.transactions, {}
        roots = self._txn_roots
        error = None
        for name, txn in txns.items():
            if error is not None:
                txn.rollback()
                continue
            if not txn.has_writes:
                self._parked[name] = (txn, roots.get(name, b""))
                continue
            try:
                commit = txn.commit(versioned=bool(self.get_variable("dolt_transaction_commit", db=name)))
            except BaseException as e:  # noqa: BLE001 - rolled back, then re-raised as SQLError
                txn.rollback()
                error = e
            else:
                if commit is not None:
                    self.head_moved(name, txn.branch)
        if error is not None:
            raise error

    def rollback_all(self) -> None:
        """Roll back every open transaction and drop the parked read-only snapshots."""
        if self.savepoints:
            self.savepoints = []
        txns, self.transactions = self.transactions, {}
        parked, self._parked = self._parked, {}
        for txn in [*txns.values(), *(t for t, _ in parked.values())]:
            txn.rollback()

    # --- savepoints (sqlserver.txn: "Savepoints") ---------------------------------------------

    def set_savepoint(self, name: str) -> None:
        """SAVEPOINT name: replaces a savepoint of the same name (case-insensitive).

        Outside a multi-statement transaction (autocommit on, no BEGIN) it is
        accepted and does nothing, as in MySQL (trans_savepoint): the statement
        is its own transaction, so a later ROLLBACK TO finds no savepoint (1305).
        """
        if self.autocommit and not self.explicit:
            return
        lname = name.lower()
        self.savepoints = [sp for sp in self.savepoints if sp[0].lower() != lname]
        self.savepoints.append((name, {db: (txn, txn.savepoint()) for db, txn in self.transactions.items()}))

    def _savepoint_index(self, name: str) -> int:
        lname = name.lower()
        for i in range(len(self.savepoints) - 1, -1, -1):
            if self.savepoints[i][0].lower() == lname:
                return i
        raise SQLError.of("SP_DOES_NOT_EXIST", "SAVEPOINT", name)

    def rollback_to_savepoint(self, name: str) -> None:
        """ROLLBACK TO SAVEPOINT name: undo the row changes made since; later savepoints are deleted, it stays."""
        i = self._savepoint_index(name)
        saved = self.savepoints[i][1]
        del self.savepoints[i + 1:]
        for db, txn in self.transactions.items():
            entry = saved.get(db)
            # a transaction opened after the savepoint (or replaced since: CALL dolt_commit) started empty
            txn.rollback_to(entry[1] if entry is not None and entry[0] is txn else {})

    def release_savepoint(self, name: str) -> None:
        """RELEASE SAVEPOINT name: delete it and every later savepoint; nothing is committed or undone."""
        del self.savepoints[self._savepoint_index(name):]

    def forget_database(self, name: str) -> None:
        """Drop any state about database ``name`` (DROP DATABASE)."""
        lname = name.lower()
        for d in (self.transactions, self._parked):
            for k in [k for k in d if k.lower() == lname]:
                entry = d.pop(k)
                (entry[0] if isinstance(entry, tuple) else entry).rollback()
        if self.current_db is not None and self.current_db.lower() == lname:
            self.current_db = None

    # --- variables --------------------------------------------------------------------

    def get_variable(self, name: str, scope: str = "", db: str | None = None):
        """A system variable's value as SELECT @@[scope.]name shows it (see sqlserver.engine.variables)."""
        name = name.lower()
        if name == "autocommit" and scope != "global" and hasattr(self, "explicit"):
            return 1 if self.autocommit else 0
        if name in ("last_insert_id", "identity") and scope != "global":
            return self.last_insert_id
        if name == "warning_count":
            return sum(1 for w in self.warnings if w[0] != "Error")
        if name == "error_count":
            return sum(1 for w in self.warnings if w[0] == "Error")
        if name in ("read_only", "super_read_only") and (self.read_only or self.is_replica(db)):
            return 1
        d = variables.definition(name)
        if scope != "global" and d.scope != "global" and name in self.session_variables:
            return self.session_variables[name]
        if d.scope != "session" and name in self.server.values:
            return self.server.values[name]
        persisted = self._persisted(name, db)
        if persisted is not None:
            return persisted
        return d.default

    def _persisted(self, name: str, db: str | None):
        db = db or self.current_db
        if db is None:
            return None
        try:
            sdb = self.provider.get(db)
        except SQLError:
            return None
        v = sdb.persisted.get(name)
        if v is None:
            return None
        try:
            return variables.check_value(variables.definition(name), v)
        except SQLError:
            return None

    def set_variable(self, name: str, value, scope: str = "session") -> None:
        """SET [SESSION|GLOBAL|PERSIST] name = value (value already evaluated)."""
        name = name.lower()
        d = variables.definition(name)
        if d.read_only:
            raise SQLError(1238, "HY000", f"Variable '{name}' is a read only variable")
        if scope == "session" and d.scope == "global":
            raise SQLError(1229, "HY000", f"Variable '{name}' is a GLOBAL variable and should be set with SET GLOBAL")
        if scope in ("global", "persist", "persist_only") and d.scope == "session":
            raise SQLError(1228, "HY000", f"Variable '{name}' is a SESSION variable and can't be used with SET GLOBAL")
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        if value is None and d.kind != "str":
            raise SQLError.of("WRONG_VALUE_FOR_VAR", name, "NULL")
        v = variables.check_value(d, value)
        if scope == "session":
            if name == "autocommit":
                self._set_autocommit(bool(v))
                return
            self.session_variables[name] = v
            if name == "transaction_isolation":
                self.session_variables["tx_isolation"] = v
            elif name == "tx_isolation":
                self.session_variables["transaction_isolation"] = v
        elif scope == "global":
            self.server.values[name] = v
        else:  # persist: into the current database's config (and not the global value: see variables.py)
            sdb = self.provider.get(self.require_db())
            sdb.persist(name, v)

    def _set_autocommit(self, on: bool) -> None:
        if on and not self.autocommit:
            # turning autocommit on commits the open transaction (MySQL)
            self.explicit = False
            self.commit_all()
        self.autocommit = on
