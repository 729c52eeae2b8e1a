"""Dolt's version-control stored procedures: ``CALL dolt_add``, ``dolt_commit``, ``dolt_branch``,
and the remote ones, ``dolt_remote``, ``dolt_push``, ``dolt_fetch``, ``dolt_pull``, ``dolt_clone``
and ``dolt_backup``.

Arguments are strings in Dolt's CLI form (which is git's): options and
positional arguments in any order, ``-fu`` for ``-f -u``, ``--`` ends the
options.  Each procedure returns one row, like Dolt's (``status`` 0;
``dolt_push`` adds ``message``; ``dolt_pull`` returns ``fast_forward``,
``conflicts``, ``message``); failures are errors, never a status of 1.

    dolt_remote('add', name, url) | ('remove'|'rm', name)
    dolt_push([-f|--force] [-u|--set-upstream] [remote [refspec]])
        refspec: branch | src:dst | :dst (delete dst on the remote).  Without a
        refspec: the current branch, to its upstream branch on that remote if
        it has one there, else to the same name; without a remote: its upstream.
    dolt_fetch([--prune] [remote [branch...]])          remote defaults to origin
    dolt_pull([remote [branch]])       into the current branch: fast-forward, or
        a merge commit (identity: the server's configured one) when diverged.
        A conflict changes nothing and is an error; uncommitted changes are
        carried along unless the pull changes the same tables (then an error).
    dolt_clone([-b branch] [--remote name] url [database])  a new database in
        the server's data directory (default name: the URL's last path component)
    dolt_backup('add', name, url) | ('remove'|'rm', name) | ('sync', name)
        | ('sync-url', url) | ('restore', [--force,] url, database)
    dolt_branch(name [, start]) | ('-c'|'-m', [-f,] old, new) | ('-d'|'-D', name...)

Remote URLs are canonicalized where they are parsed: a relative
``file://dir`` in SQL is relative to the server's working directory (the
CLI canonicalizes in the user's before sending).  Which remotes and
backups a database knows, and branches' upstreams, live in
``.grove/remotes.json`` (``replication.remotes``), re-read on every use.

Transactions.  dolt_add and dolt_commit commit the session's transaction on
their database first (what the session wrote is what gets staged).  The
branch and remote procedures go further and behave like DDL: the driver
commits every open transaction of the session and ends BEGIN before they
run (MySQL's implicit commit).  They move refs, write files and talk to
remotes, which no ROLLBACK could undo, and a pull must merge into a working
set that holds what this session wrote.

What other sessions see after a pull: a transaction's snapshot is the
working set at its start, so the next transaction of every session sees
the new rows.  A transaction already open that writes a table the pull
changed fails at COMMIT with 1213 (the pull enters the conflict log as a
whole-table change of each table it touched), and auto-increment counters
move past keys the pull brought in (``SqlDatabase.auto_increment``).

Errors: replication and storage errors reach the client as 1105 (HY000)
with their own message (``sqlserver.errors.translate``); a lost race with
another writer is 1213 with its message.

Known limit: transfers run on the server's event-loop thread, so a long
push or pull delays the server's other sessions until it ends.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Callable

from sqlserver.databases import default_clone_name
from sqlserver.engine import versioning
from sqlserver.engine.expressions import T_TEXT
from sqlserver.engine.results import ColumnInfo, Rows
from sqlserver.errors import SQLError
from sqlserver.sqltypes import SqlType
from storage.address import from_text
from storage.address import to_text as address_text
from storage.database import ANY
from storage.errors import ConflictError
from storage.refs import HEADS, REMOTES, NothingToCommitError, UnmergedBranchError

_INT = SqlType("bigint")
_LONG = SqlType("text", length=65535, collation=T_TEXT.collation)


@dataclass(frozen=True)
class Procedure:
    run: Callable  # (state, [str | None]) -> Rows
    implicit_commit: bool = True  # commit every open transaction and end BEGIN first (as DDL)
    writes: bool = True  # refused by a read-only server


def lookup(name: str) -> Procedure | None:
    return PROCEDURES.get(name.lower().split(".")[-1])


# --- arguments --------------------------------------------------------------------------------


def _fail(message: str) -> SQLError:
    return SQLError.of("UNKNOWN", message)


def _options(args: list, flags: dict[str, tuple[str, ...]] | None = None,
             valued: dict[str, tuple[str, ...]] | None = None) -> tuple[dict, list[str]]:
    """Split arguments into options and positional arguments.

    ``flags`` and ``valued`` map an option's name to its spellings (``{"force":
    ("-f", "--force")}``); valued options take the next argument (or
    ``--opt=value``).  Returns ({name: True or value}, positional).
    """
    spelled = {s: n for n, spellings in (flags or {}).items() for s in spellings}
    takes = {s: n for n, spellings in (valued or {}).items() for s in spellings}
    opts: dict = {}
    positional: list[str] = []
    i, only_positional = 0, False
    while i < len(args):
        a = args[i]
        i += 1
        if a is None:
            raise _fail("arguments may not be NULL")
        if only_positional or not a.startswith("-") or a == "-":
            positional.append(a)
        elif a == "--":
            only_positional = True
        elif a in spelled:
            opts[spelled[a]] = True
        elif a in takes or a.split("=", 1)[0] in takes:
            name, eq, value = a.partition("=")
            if not eq:
                if i >= len(args) or args[i] is None:
                    raise _fail(f"error: option `{a}' requires a value")
                value = args[i]
                i += 1
            opts[takes[name]] = value
        elif not a.startswith("--") and all(f"-{c}" in spelled or f"-{c}" in takes for c in a[1:]):
            for c in a[1:]:  # -am: -a, then -m taking the next argument
                if f"-{c}" in spelled:
                    opts[spelled[f"-{c}"]] = True
                    continue
                if i >= len(args) or args[i] is None:
                    raise _fail(f"error: option `{c}' requires a value")
                opts[takes[f"-{c}"]] = args[i]
                i += 1
        else:
            raise _fail(f"error: unknown option `{a}'")
    return opts, positional


def _count(proc: str, positional: list[str], low: int, high: int, usage: str) -> None:
    if not low <= len(positional) <= high:
        raise _fail(f"{proc}: wrong number of arguments; usage: CALL {proc}({usage})")


def _status(*extra: tuple[str, object]) -> Rows:
    columns = [ColumnInfo("status", _INT)] + [ColumnInfo(n, T_TEXT) for n, _ in extra]
    return Rows(columns, [(0, *(v for _, v in extra))])


def _sdb(state):
    return state.provider.get(state.require_db())


def _current_branch(sdb) -> str:
    """The session's branch (one per database for now: its default branch)."""
    return sdb.default_branch


def _branch_name(spec: str) -> str:
    return spec[len(HEADS):] if spec.startswith(HEADS) else spec


def _short(address: bytes | None) -> str:
    return address_text(address)[:8] if address else "(none)"


@contextlib.contextmanager
def _remote_store(url: str, *, create: bool):
    """The remote at ``url`` as a chunk store, closed afterwards."""
    from replication import open_backend
    from replication.remote_store import RemoteStore

    store = RemoteStore(open_backend(url, create=create))
    try:
        yield store
    except ConflictError as e:  # a lost race with another writer: retryable, and its text says which
        raise SQLError(1213, "40001", str(e)) from None
    finally:
        store.close()


def _remotes(sdb, kind: str = "remotes"):
    from replication.remotes import Remotes

    return Remotes(sdb.path, kind)


def _known(remotes, name: str) -> str:
    """The URL of remote (or backup) ``name``; an error naming it if there is none."""
    url = remotes.all().get(name)
    if url is None:
        raise _fail(f"unknown {remotes.word} '{name}'")
    return url


def _record_outside_change(sdb, before: bytes, after: bytes) -> None:
    """Enter a working-set change made outside SQL transactions in the conflict log (see module doc)."""
    if before == after:
        return
    from storage.root_merge import changed_tables

    db = sdb.db
    changed = changed_tables(db.read_root_value(before), db.read_root_value(after))
    keys = frozenset((t.lower(), None) for t in changed if not t.startswith("object:"))
    if keys:
        sdb.record_commit(keys)


# --- dolt_add, dolt_commit --------------------------------------------------------------------------


def _commit_session(state, sdb) -> None:
    """Commit the session's transaction on ``sdb`` (BEGIN, if any, stays open)."""
    txn = state.transactions.pop(sdb.name, None)
    if txn is not None:
        txn.end_statement(True)
        if txn.has_writes:
            try:
                txn.commit(versioned=bool(state.get_variable("dolt_transaction_commit")))
            except BaseException:
                txn.rollback()
                raise


def dolt_add(state, args):
    sdb = _sdb(state)
    _commit_session(state, sdb)
    versioning.add(sdb, None, None if not args or "-A" in args or "--all" in args else list(args))
    return _status()


def dolt_commit(state, args):
    opts, positional = _options(
        args, {"all": ("-a", "--all"), "all_new": ("-A", "--ALL"), "allow_empty": ("--allow-empty",)},
        {"message": ("-m", "--message"), "author": ("--author",)})
    if positional:
        raise _fail(f"error: unknown option `{positional[0]}'")
    if not opts.get("message"):
        raise _fail("Must provide commit message.")
    who = None
    if opts.get("author"):
        name, _, email = opts["author"].partition("<")
        who = (name.strip(), email.rstrip(">").strip())
    sdb = _sdb(state)
    _commit_session(state, sdb)
    try:
        address = versioning.commit(sdb, None, opts["message"], all=bool(opts.get("all")),
                                    all_including_new=bool(opts.get("all_new")), author=who,
                                    allow_empty=bool(opts.get("allow_empty")))
    except NothingToCommitError:
        raise _fail("nothing to commit") from None
    state.head_moved(sdb.name, _current_branch(sdb))
    return Rows([ColumnInfo("hash", T_TEXT)], [(address_text(address),)])


# --- dolt_branch -------------------------------------------------------------------------------------


def resolve_commit(sdb, branch: str, ref: str) -> bytes:
    """A commit named by a branch, tag, HEAD~n, commit address, or remote branch ([remotes/]origin/main)."""
    remote = sdb.db.remote_branches()
    name = ref[len("remotes/"):] if ref.startswith("remotes/") else ref
    if name in remote:
        return remote[name]
    return from_text(versioning.hashof(sdb, branch, ref))


def dolt_branch(state, args):
    opts, pos = _options(args, {"force": ("-f", "--force"), "delete": ("-d", "--delete"), "delete_force": ("-D",),
                                "copy": ("-c", "--copy"), "move": ("-m", "--move")})
    sdb = _sdb(state)
    db, current = sdb.db, _current_branch(sdb)
    force = bool(opts.get("force"))
    if opts.get("delete") or opts.get("delete_force"):
        if not pos:
            raise _fail("dolt_branch: -d needs the names of the branches to delete")
        for name in pos:
            if name == current:
                raise _fail(f"cannot delete the checked out branch '{name}'")
            try:
                db.delete_branch(name, force=force or bool(opts.get("delete_force")), merged_into=current)
            except UnmergedBranchError:
                raise _fail(f"branch '{name}' is not fully merged into '{current}'; "
                            "use -D to delete it anyway") from None
        return _status()
    if opts.get("move") or opts.get("copy"):
        verb = "-m" if opts.get("move") else "-c"
        _count("dolt_branch", pos, 2, 2, f"'{verb}', old, new")
        old, new = pos
        if opts.get("move"):
            if old == current:
                raise _fail(f"cannot rename the checked out branch '{old}'")
            db.rename_branch(old, new, force=force)
        else:
            head = db.head(old)
            if head is None:
                raise _fail(f"branch '{old}' not found")
            db.create_branch(new, head, force=force)
        return _status()
    _count("dolt_branch", pos, 1, 2, "name [, start]")
    name = pos[0]
    if force and name == current:
        raise _fail(f"cannot force update the checked out branch '{name}'")
    start = resolve_commit(sdb, current, pos[1]) if len(pos) == 2 else db.head(current)
    db.create_branch(name, start, force=force)
    return _status()


# --- remotes --------------------------------------------------------------------------------------


def dolt_remote(state, args):
    _, pos = _options(args)
    sdb = _sdb(state)
    action = (pos[0] if pos else "").lower()
    remotes = _remotes(sdb)
    if action == "add":
        _count("dolt_remote", pos, 3, 3, "'add', name, url")
        remotes.add(pos[1], pos[2])
    elif action in ("remove", "rm"):
        _count("dolt_remote", pos, 2, 2, "'remove', name")
        _known(remotes, pos[1])
        remotes.remove(pos[1])
        prefix = f"{REMOTES}{pos[1]}/"
        gone = {ref: (ANY, None) for ref in sdb.db.refs() if ref.startswith(prefix)}
        if gone:
            sdb.db.update_refs(gone)  # its remote-tracking branches go with it, as in git
    else:
        raise _fail("dolt_remote: expected 'add' or 'remove' (the dolt_remotes table lists remotes)")
    return _status()


def _push_target(remotes, branch: str, pos: list[str]) -> tuple[str, str | None, str]:
    """(remote, src or None to delete, dst) for dolt_push's positional arguments."""
    upstream = remotes.upstream(branch)
    if not pos:
        if upstream is None:
            raise _fail(f"the current branch {branch} has no upstream branch; to push it and make the "
                        f"remote branch its upstream, use push --set-upstream origin {branch}")
        return upstream[0], branch, upstream[1]
    remote = pos[0]
    if len(pos) == 1:
        dst = upstream[1] if upstream is not None and upstream[0] == remote else branch
        return remote, branch, dst
    src, colon, dst = pos[1].partition(":")
    src, dst = _branch_name(src), _branch_name(dst if colon else src)
    if not dst:
        raise _fail(f"invalid refspec '{pos[1]}'")
    return remote, src or None, dst


def dolt_push(state, args):
    from replication import sync

    opts, pos = _options(args, {"force": ("-f", "--force"), "set_upstream": ("-u", "--set-upstream")})
    _count("dolt_push", pos, 0, 2, "[--force,] [--set-upstream,] [remote [, refspec]]")
    sdb = _sdb(state)
    remotes = _remotes(sdb)
    remote, src, dst = _push_target(remotes, _current_branch(sdb), pos)
    force = bool(opts.get("force"))
    with _remote_store(_known(remotes, remote), create=True) as store:
        result = sync.push(sdb.db, store, remote, src, dst, force=force, progress=state.progress)
    if opts.get("set_upstream") and src is not None:
        remotes.set_upstream(src, remote, dst)
    old, new = result.old, result.new
    if result.up_to_date:
        message = "Everything up-to-date"
    elif new is None:
        message = f"- [deleted] {dst}"
    elif old is None:
        message = f"* [new {'tag' if result.remote_ref.startswith('refs/tags/') else 'branch'}] {src} -> {dst}"
    elif force and not (sdb.db.store.has(old) and sdb.db.is_ancestor(old, new)):
        message = f"+ {_short(old)}...{_short(new)} {src} -> {dst} (forced update)"
    else:
        message = f"{_short(old)}..{_short(new)} {src} -> {dst}"
    return _status(("message", message))


def dolt_fetch(state, args):
    from replication import sync

    opts, pos = _options(args, {"prune": ("-p", "--prune")})
    sdb = _sdb(state)
    remote = pos[0] if pos else "origin"
    branches = [_branch_name(p.partition(":")[0]) for p in pos[1:]] or None
    # Chunks land in the store before the refs that reach them: hold off a garbage collection meanwhile.
    with sdb.db.write_lock.shared(), _remote_store(_known(_remotes(sdb), remote), create=False) as store:
        sync.fetch(sdb.db, store, remote, branches, progress=state.progress, prune=bool(opts.get("prune")))
    return _status()


def dolt_pull(state, args):
    from replication import sync

    _, pos = _options(args)
    _count("dolt_pull", pos, 0, 2, "[remote [, branch]]")
    sdb = _sdb(state)
    db, branch = sdb.db, _current_branch(sdb)
    remotes = _remotes(sdb)
    upstream = remotes.upstream(branch)
    remote = pos[0] if pos else (upstream[0] if upstream else "origin")
    if len(pos) == 2:
        theirs = _branch_name(pos[1])
    else:
        theirs = upstream[1] if upstream is not None and upstream[0] == remote else branch
    url = _known(remotes, remote)
    name, email = sdb.identity()
    before = db.working_set(branch).working
    with db.write_lock.shared(), _remote_store(url, create=False) as store:  # as in dolt_fetch
        result = sync.pull(db, store, remote, theirs, branch, author=name, email=email, progress=state.progress)
    _record_outside_change(sdb, before, db.working_set(branch).working)
    if result.kind != "up to date":
        state.head_moved(sdb.name, branch)
    columns = [ColumnInfo("fast_forward", _INT), ColumnInfo("conflicts", _INT), ColumnInfo("message", _LONG)]
    if result.kind == "fast-forward":
        row = (1, 0, f"Fast-forward {_short(result.old)}..{_short(result.new)}")
    elif result.kind == "merge":
        row = (0, 0, f"Merge of {remote}/{theirs} into {branch}: commit {_short(result.new)}")
    else:
        row = (0, 0, "Everything up-to-date")
    return Rows(columns, [row])


def dolt_clone(state, args):
    opts, pos = _options(args, {}, {"branch": ("-b", "--branch"), "remote": ("--remote",)})
    _count("dolt_clone", pos, 1, 2, "[-b, branch,] url [, database]")
    url = pos[0]
    name = pos[1] if len(pos) == 2 else default_clone_name(url)
    state.provider.clone(name, url, branch=opts.get("branch"), remote=opts.get("remote") or "origin",
                         progress=state.progress)
    return _status()


def dolt_backup(state, args):
    from replication import sync

    opts, pos = _options(args, {"force": ("-f", "--force")})
    action = (pos[0] if pos else "").lower()
    if action == "restore":
        _count("dolt_backup", pos, 3, 3, "'restore', [--force,] url, database")
        state.provider.restore(pos[2], pos[1], force=bool(opts.get("force")), progress=state.progress)
        return _status()
    sdb = _sdb(state)
    backups = _remotes(sdb, "backups")
    if action == "add":
        _count("dolt_backup", pos, 3, 3, "'add', name, url")
        backups.add(pos[1], pos[2])
    elif action in ("remove", "rm"):
        _count("dolt_backup", pos, 2, 2, "'remove', name")
        _known(backups, pos[1])
        backups.remove(pos[1])
    elif action in ("sync", "sync-url"):
        _count("dolt_backup", pos, 2, 2, f"'{action}', {'name' if action == 'sync' else 'url'}")
        url = _known(backups, pos[1]) if action == "sync" else pos[1]
        with _remote_store(url, create=True) as store:
            sync.backup_sync(sdb.db, store, progress=state.progress)
    else:
        raise _fail("dolt_backup: expected 'add', 'remove', 'sync', 'sync-url' or 'restore'")
    return _status()


# --- grove_wait_for_commit (read replicas) --------------------------------------------------------


def grove_wait_for_commit(state, args):
    """CALL grove_wait_for_commit('<commit hash>', timeout_ms): returns once a replicated branch has it.

    Read-your-writes for applications that write to the primary and read from
    replicas: after a write, read ``dolt_hashof('HEAD')`` on the primary, then
    call this on the replica before reading.  The wait itself runs off the
    event loop (``SessionState.deferred``), so other sessions are not held up.
    """
    _count("grove_wait_for_commit", args, 1, 3, "'<commit hash>' [, timeout_ms [, branch]]")
    try:
        commit = from_text(args[0] or "")
    except ValueError:
        raise _fail(f"grove_wait_for_commit: '{args[0]}' is not a commit hash") from None
    try:
        timeout_ms = int(args[1]) if len(args) > 1 and args[1] is not None else 10_000
    except ValueError:
        raise _fail(f"grove_wait_for_commit: timeout '{args[1]}' is not a number of milliseconds") from None
    branch = args[2] if len(args) > 2 else None
    sdb = _sdb(state)
    puller = sdb.replica
    if puller is None:
        if sdb.db.store.has(commit) and any(
                h == commit or sdb.db.is_ancestor(commit, h) for h in sdb.db.branches().values()):
            return _status()  # not a replica, but the commit is here: nothing to wait for
        raise _fail(f"database {sdb.name} is not a read replica and does not hold commit {args[0]}")
    state.deferred.append(("wait", (puller, commit, max(0, timeout_ms) / 1000.0, branch, args[0], timeout_ms)))
    return _status()


PROCEDURES: dict[str, Procedure] = {
    "grove_wait_for_commit": Procedure(grove_wait_for_commit, implicit_commit=False, writes=False),
    "dolt_add": Procedure(dolt_add, implicit_commit=False),
    "dolt_commit": Procedure(dolt_commit, implicit_commit=False),
    "dolt_branch": Procedure(dolt_branch),
    "dolt_remote": Procedure(dolt_remote),
    "dolt_push": Procedure(dolt_push),
    "dolt_fetch": Procedure(dolt_fetch),
    "dolt_pull": Procedure(dolt_pull),
    "dolt_clone": Procedure(dolt_clone),
    "dolt_backup": Procedure(dolt_backup),
}

__all__ = ["PROCEDURES", "Procedure", "lookup", "resolve_commit"]
