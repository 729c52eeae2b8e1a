"""Versioning operations shared by SQL (CALL dolt_commit, dolt_log) and the CLI.

These work on a served database (``SqlDatabase``) without SQL, so ``grove
status/add/commit/log`` and ``CALL dolt_commit(...)`` mean the same thing.
Terms as in Dolt: the *working* root holds every committed transaction's
changes; the *staged* root is what the next commit records; the branch
*head* is the last commit.  A table is

* 'new table' when it is in the newer root but not the older,
* 'deleted' when it is in the older root only,
* 'modified' when both have it at different addresses.

Views and triggers (root-value objects, see sqlserver.engine.views) show up
and are staged together as one pseudo-table, ``dolt_schemas``, as in Dolt.

``status`` compares head->staged (staged: True) and staged->working
(staged: False).  ``commit(all=True)`` (dolt_commit -a) first stages every
modified or deleted table but not new ones; ``all_including_new`` (-A)
stages everything.  Staging moves the working set with a compare-and-swap
(``Database.set_working_set``), so a concurrent SQL commit is never lost:
the CAS fails and we re-read and retry.
"""

from __future__ import annotations

from storage.address import from_text, is_text_address, to_text
from storage.database import ANY
from storage.errors import ConflictError
from storage.refs import NothingToCommitError
from storage.root_value import RootValue

MAX_STAGE_ATTEMPTS = 100  # each failed CAS means another commit landed; the bound only stops a livelock
SCHEMAS_TABLE = "dolt_schemas"  # the name under which root-value objects (views, triggers) are versioned


def _diff(db, old_addr: bytes, new_addr: bytes) -> list[tuple[str, str]]:
    if old_addr == new_addr:
        return []
    old, new = db.read_root_value(old_addr), db.read_root_value(new_addr)
    out = []
    for name in sorted(set(old.tables()) | set(new.tables())):
        a, b = old.table(name), new.table(name)
        if a is None:
            out.append((name, "new table"))
        elif b is None:
            out.append((name, "deleted"))
        elif a != b:
            out.append((name, "modified"))
    if old.objects != new.objects:
        state = "new table" if not old.objects else "deleted" if not new.objects else "modified"
        out.append((SCHEMAS_TABLE, state))
    return out


def status(sdb, branch: str | None = None) -> list[tuple[str, bool, str]]:
    """(table, staged, status) for every table that differs head->staged or staged->working."""
    db = sdb.db
    branch = branch or sdb.default_branch
    head_root = db.read_commit(db.head(branch)).root
    ws = db.working_set(branch)
    return ([(t, True, s) for t, s in _diff(db, head_root, ws.staged)]
            + [(t, False, s) for t, s in _diff(db, ws.staged, ws.working)])


def _stage(sdb, branch: str, choose) -> None:
    """Copy the tables ``choose(name, status)`` selects from the working root to the staged root."""
    db = sdb.db
    for _ in range(MAX_STAGE_ATTEMPTS):
        ws = db.working_set(branch)
        changes = [(t, s) for t, s in _diff(db, ws.staged, ws.working) if choose(t, s)]
        if not changes:
            return
        staged, working = db.read_root_value(ws.staged), db.read_root_value(ws.working)
        for t, s in changes:
            if t == SCHEMAS_TABLE:
                staged = RootValue(staged.table_map, working.objects)
                continue
            staged = staged.without_table(t) if s == "deleted" else staged.with_table(t, working.table(t))
        new_staged = db.write_root_value(staged)
        try:
            db.set_working_set(branch, ws.working, new_staged, ws, merge_state=ws.merge_state)
            return
        except ConflictError:
            continue
    raise ConflictError("the working set kept changing while staging")


def add(sdb, branch: str | None, tables: list[str] | None = None) -> None:
    """Stage ``tables`` (None or ['.']: every change, new tables included)."""
    branch = branch or sdb.default_branch
    if tables is None or "." in tables:
        _stage(sdb, branch, lambda t, s: True)
        return
    wanted = {t.lower() for t in tables}
    _stage(sdb, branch, lambda t, s: t.lower() in wanted)


def commit(sdb, branch: str | None, message: str, *, all: bool = False, all_including_new: bool = False,
           author: tuple[str, str] | None = None, allow_empty: bool = False) -> bytes:
    """Commit the staged root on ``branch``; returns the new commit's address.

    Raises storage.refs.NothingToCommitError when nothing is staged (unless
    ``allow_empty``).
    """
    branch = branch or sdb.default_branch
    if all_including_new:
        _stage(sdb, branch, lambda t, s: True)
    elif all:
        _stage(sdb, branch, lambda t, s: s != "new table")
    name, email = author or sdb.identity()
    db = sdb.db
    for _ in range(MAX_STAGE_ATTEMPTS):
        ws = db.working_set(branch)
        try:
            return db.commit(branch, ws.staged, message=message, author=name, email=email,
                             allow_empty=allow_empty)
        except NothingToCommitError:
            raise
        except ConflictError:
            continue
    raise ConflictError("the branch kept moving while committing")


def log(sdb, branch: str | None = None, limit: int | None = None):
    """(address, Commit) from the branch head back, newest first."""
    branch = branch or sdb.default_branch
    return list(sdb.db.log(sdb.db.head(branch), limit))


def hashof(sdb, branch: str, ref: str) -> str:
    """Address text of the commit a ref names: HEAD, a branch, a tag, HEAD~n, or a commit address."""
    db = sdb.db
    from sqlserver.errors import SQLError

    base, _, up = ref.partition("~")
    if "^" in base:
        base, up = base.rstrip("^"), str(ref.count("^"))
    if base.upper() == "HEAD":
        address = db.head(branch)
    elif base in db.branches():
        address = db.head(base)
    elif base in db.tags():
        address = db.resolve_tag(base)
    elif is_text_address(base):
        address = from_text(base)
    else:
        raise SQLError.of("UNKNOWN", f"invalid ref spec: {ref}")
    for _ in range(int(up or 0) if up != "" else (1 if _ else 0)):
        c = db.read_commit(address)
        if not c.parents:
            raise SQLError.of("UNKNOWN", f"invalid ref spec: {ref}")
        address = c.parents[0]
    return to_text(address)


__all__ = ["status", "add", "commit", "log", "hashof", "ANY"]
