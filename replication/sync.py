"""Push, fetch, pull, clone and backups: moving chunks and refs between a database and a remote.

Why this shape: chunks are content-addressed and immutable, and a chunk is
only ever stored together with everything it reaches.  So "what does the
other side lack?" is a walk from the refs being sent that stops at the first
chunk the other side has: a push after one commit uploads one path per
changed table, never a scan of the database.

Life of a push (``push(db, remote, "origin", "main", "main")``)::

    1. read the manifest (lock L, root R) and the remote's ref map at R
    2. fast-forward check: the remote's main must be an ancestor of ours
       (we must hold its commit) unless force
    3. walk from our head, level by level; ``remote.has_many`` on each level's
       addresses; collect what it lacks (read from the local store)
    4. write ONE table file: those chunks + the remote's new ref map
    5. manifest' = (new ref map, [new file] + files) ; CAS on lock L
       (first push: on "no item yet")
    6. lost the race?  re-read, re-check fast-forward, upload only what is
       still missing (the file from step 4 is reused), retry (bounded).
       Pushes of different branches never fail each other.
    7. move our remote-tracking ref refs/remotes/origin/main

Past ``max_files`` table files the same CAS also replaces the newest files
by one combined file (the old files stay in the bucket for readers that
still hold the old manifest), so the manifest stays small however many
push-on-write commits there are.

Fetch walks the other way (remote -> local), and writes what it downloads
children first, deepest level first, so that a crash part-way leaves no
chunk in the local store whose subtree is incomplete.  Refs move only after
every chunk is in.

A remote holds branches and tags.  A backup holds the whole ref map:
working sets, remote-tracking refs and all.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

from replication.errors import ReplicationError
from replication.remote_store import RemoteStore
from storage.address import ZERO, address_of, to_text
from storage.commit import Commit
from storage.database import ANY, Database, RefConflictError
from storage.errors import ChunkNotFoundError, ConflictError, CorruptionError, NotFastForwardError
from storage.manifest import Manifest
from storage.refs import HEADS, TAGS, RefMap, WorkingSet, branch_ref, remote_ref, tag_ref, working_set_ref
from storage.root_merge import changed_tables, merge_roots
from storage.walk import BATCH, children

MAX_PUSH_ATTEMPTS = 30
MAX_TABLE_FILES = 256
COMPACT_DOWN_TO = 64  # after a compaction, at most this many files besides the combined one


class NothingToPullError(ReplicationError):
    pass


class RemoteBranchNotFoundError(ReplicationError):
    pass


class EmptyRemoteError(ReplicationError):
    """The remote holds no database at that path (nothing was ever pushed there)."""


class MergeConflictError(ReplicationError):
    def __init__(self, message: str, conflicts: list[str]):
        super().__init__(message)
        self.conflicts = conflicts


class DirtyWorkingSetError(ReplicationError):
    def __init__(self, message: str, tables: list[str]):
        super().__init__(message)
        self.tables = tables


# --- progress ---------------------------------------------------------------------------


@dataclass
class Transfer:
    """What one operation moved; ``progress`` callbacks get it after each batch."""

    verb: str  # "Uploaded" or "Downloaded"
    chunks: int = 0
    bytes: int = 0
    started: float = field(default_factory=time.monotonic)
    done: bool = False

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def line(self) -> str:
        rate = self.bytes / self.elapsed if self.elapsed > 0 else 0.0
        return f"{self.verb} {self.chunks:,} chunks, {_size(self.bytes)} @ {_size(rate)}/s"


def _size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    raise AssertionError


Progress = Callable[[Transfer], None] | None


# --- walks ------------------------------------------------------------------------------


def _walk_missing(src, dst_has: Callable[[list[bytes]], set[bytes]], roots: Iterable[bytes],
                  transfer: Transfer, progress: Progress) -> Iterator[list[tuple[bytes, bytes]]]:
    """Chunks reachable from ``roots`` in ``src`` that ``dst_has`` denies, a batch at a time.

    Batches come level by level (parents before children); a consumer that
    streams them (push) holds one batch at a time.
    """
    seen: set[bytes] = set()
    frontier = [r for r in dict.fromkeys(roots) if r != ZERO]
    while frontier:
        seen.update(frontier)
        present = dst_has(frontier)
        need = [a for a in frontier if a not in present]
        following: list[bytes] = []
        for i in range(0, len(need), BATCH):
            part = need[i:i + BATCH]
            found = src.get_many(part)
            if len(found) != len(part):
                lost = next(a for a in part if a not in found)
                raise ChunkNotFoundError(lost, "reachable from the refs being transferred")
            batch = []
            for a in part:
                data = found[a]
                batch.append((a, data))
                transfer.chunks += 1
                transfer.bytes += len(data)
                for child in children(data):
                    if child != ZERO and child not in seen:
                        seen.add(child)
                        following.append(child)
            if progress:
                progress(transfer)
            yield batch
        frontier = following


def _levels_missing(src, dst_has, roots, transfer: Transfer, progress: Progress) -> list[list[tuple[bytes, bytes]]]:
    """``_walk_missing`` collected (download writes the batches back to front: children first)."""
    return list(_walk_missing(src, dst_has, roots, transfer, progress))


def download(db: Database, remote: RemoteStore, roots: Iterable[bytes], progress: Progress = None) -> Transfer:
    """Copy into ``db``'s store every chunk reachable from ``roots`` on the remote that it lacks."""
    transfer = Transfer("Downloaded")
    store = db.store
    levels = _levels_missing(remote, lambda addrs: store.has_many(addrs), roots, transfer, progress)
    with db.write_lock.shared():  # a garbage collection must not sweep chunks not yet referenced
        for level in reversed(levels):  # children before parents: see the module doc
            for address, data in level:
                if store.put(data) != address:
                    raise CorruptionError(f"chunk {to_text(address)} from {remote.url} has other contents",
                                          address=address)
    transfer.done = True
    if progress:
        progress(transfer)
    return transfer


# --- push -------------------------------------------------------------------------------


@dataclass
class PushResult:
    remote_ref: str
    old: bytes | None
    new: bytes | None
    transfer: Transfer
    files: int = 0  # table files the manifest lists afterwards
    attempts: int = 1
    compacted: bool = False

    @property
    def up_to_date(self) -> bool:
        return self.old == self.new


def _ff_check(db: Database, old: bytes | None, new: bytes | None, what: str, force: bool) -> None:
    if old is None or new is None or old == new or force:
        return
    if not db.store.has(old) or not db.is_ancestor(old, new):
        raise NotFastForwardError(
            f"{what}: the remote has commits that the local branch does not (not a fast-forward); "
            "pull first, or push with --force to overwrite them")


def _publish(db: Database, remote: RemoteStore, plan: Callable[[RefMap], tuple[bytes | None, dict[str, bytes | None]]],
             progress: Progress, max_files: int, sync_root: bool = False) -> tuple[RefMap, Transfer, int, bool]:
    """The CAS loop shared by push and backup.

    ``plan(remote_refs)`` returns (root to walk from, ref changes) after doing
    its checks; raising aborts.  With ``sync_root`` the remote's root becomes
    the local store's ref map itself (backups).
    """
    transfer = Transfer("Uploaded")
    pending: list[tuple[str, int]] = []  # files uploaded by earlier attempts, reused
    for attempt in range(1, MAX_PUSH_ATTEMPTS + 1):
        manifest = remote.refresh()
        refs = remote.refs()
        walk_roots, changes = plan(refs)
        walk_root = walk_roots[0] if sync_root else None
        if sync_root:
            if manifest is not None and manifest.root == walk_root:
                return refs, transfer, len(manifest.tables), False
            new_root = walk_root
            extra: list[tuple[bytes, bytes]] = []
        else:
            new_refs = refs.with_changes(changes)
            if new_refs == refs:
                return refs, transfer, len(manifest.tables) if manifest else 0, False
            encoded = new_refs.encode()
            new_root = address_of(encoded)
            extra = [(new_root, encoded)]
        pending_names = [n for n, _ in pending]
        batches = _walk_missing(db.store, lambda addrs: remote.has_many(addrs, pending_names),
                                [r for r in walk_roots if r], transfer, progress)
        first = next(batches, None)
        tables = list(manifest.tables) if manifest else []
        if first is not None or extra:
            def chunks():  # streamed into the table file: one batch in memory at a time
                if first is not None:
                    yield from first
                for batch in batches:
                    yield from batch
                yield from extra
            name, count, _ = remote.write_table_file(chunks())
            pending.insert(0, (name, count))
        listed = {n for n, _ in tables}
        tables = [p for p in pending if p[0] not in listed] + tables
        compacted = False
        if len(tables) > max_files:
            tables = _compact(remote, tables, max_files)
            compacted = True
        if remote.publish(manifest, Manifest.make(new_root, tables)):
            transfer.done = True
            if progress:
                progress(transfer)
            if not sync_root:
                remote.know_refs(new_root, new_refs)
            return remote.refs(), transfer, len(tables), compacted
        time.sleep(random.uniform(0, 0.005 * attempt))  # spread racing pushers out a little
    raise ConflictError(f"push to {remote.url}: lost the manifest race {MAX_PUSH_ATTEMPTS} times in a row")


def _compact(remote: RemoteStore, tables: list[tuple[str, int]], max_files: int) -> list[tuple[str, int]]:
    """Replace the newest files by one combined file so at most COMPACT_DOWN_TO (oldest) others remain.

    The newest files are the small ones push-on-write adds; the oldest are
    typically one big first push, which is never downloaded again.
    """
    keep = min(COMPACT_DOWN_TO, max_files // 4)
    combine, rest = tables[:len(tables) - keep], tables[len(tables) - keep:]
    chunks: dict[bytes, bytes] = {}
    for name, _ in combine:
        for a, data in remote.table_file_chunks(name):
            chunks[a] = data
    name, count, _ = remote.write_table_file(sorted(chunks.items()))
    return [(name, count)] + rest


def push(db: Database, remote: RemoteStore, remote_name: str, src: str | None, dst: str, *,
         force: bool = False, progress: Progress = None, max_files: int = MAX_TABLE_FILES) -> PushResult:
    """Push local branch ``src`` (None: delete ``dst`` on the remote) to remote branch ``dst``."""
    refs = db.refs()
    new = None
    if src is not None:
        new = refs.get(branch_ref(src)) or refs.get(tag_ref(src))
        if new is None:
            raise RemoteBranchNotFoundError(f"src refspec {src} does not match any branch or tag")
    dst_ref = (tag_ref(dst) if src is not None and refs.get(tag_ref(src)) and not refs.get(branch_ref(src))
               else branch_ref(dst))
    seen: dict[str, Any] = {}

    def plan(remote_refs: RefMap):
        old = remote_refs.get(dst_ref)
        seen["old"] = old
        if new is None and old is None:
            raise RemoteBranchNotFoundError(f"remote {remote_name} has no branch {dst}")
        if dst_ref.startswith(TAGS) and old is not None and old != new and not force:
            raise NotFastForwardError(f"tag {dst} already exists on {remote_name}")
        _ff_check(db, old, new, f"push to {remote_name}/{dst}", force)
        return [new], {dst_ref: new}

    _, transfer, files, compacted = _publish(db, remote, plan, progress, max_files)
    if dst_ref.startswith(HEADS):
        tracking = remote_ref(remote_name, dst)
        db.update_refs({tracking: (ANY, new)})
    return PushResult(dst_ref, seen.get("old"), new, transfer, files, compacted=compacted)


def push_tags(db: Database, remote: RemoteStore, progress: Progress = None,
              max_files: int = MAX_TABLE_FILES) -> list[str]:
    """Push every local tag the remote lacks (an existing remote tag is never moved); returns their refs."""
    local_tags = {n: a for n, a in db.refs().items() if n.startswith(TAGS)}
    sent: list[str] = []

    def plan(remote_refs: RefMap):
        missing = {n: a for n, a in local_tags.items() if n not in remote_refs}
        sent[:] = sorted(missing)
        return list(missing.values()), missing

    if local_tags:
        _publish(db, remote, plan, progress, max_files)
    return sent


# --- fetch ------------------------------------------------------------------------------


@dataclass
class FetchResult:
    updated: dict[str, tuple[bytes | None, bytes]]  # tracking ref -> (old, new)
    transfer: Transfer


def fetch(db: Database, remote: RemoteStore, remote_name: str, branches: list[str] | None = None, *,
          progress: Progress = None, prune: bool = False) -> FetchResult:
    """Download the remote's branches (all, or ``branches``) and tags; move remote-tracking refs."""
    manifest = remote.refresh()
    if manifest is None:
        raise EmptyRemoteError(f"remote {remote_name} ({remote.url}) holds no database yet")
    remote_refs = remote.refs()
    heads = {name[len(HEADS):]: a for name, a in remote_refs.items() if name.startswith(HEADS)}
    if branches is not None:
        for b in branches:
            if b not in heads:
                raise RemoteBranchNotFoundError(f"remote {remote_name} has no branch {b}")
        heads = {b: heads[b] for b in branches}
    tags = {name: a for name, a in remote_refs.items() if name.startswith(TAGS)} if branches is None else {}
    with db.write_lock.shared():  # no garbage collection between writing chunks and referencing them
        return _fetch_locked(db, remote, remote_name, heads, tags, branches, progress, prune)


def _fetch_locked(db, remote, remote_name, heads, tags, branches, progress, prune) -> FetchResult:
    transfer = download(db, remote, list(heads.values()) + list(tags.values()), progress)
    local = db.refs()
    changes: dict[str, tuple[Any, bytes | None]] = {}
    updated = {}
    for b, a in heads.items():
        ref = remote_ref(remote_name, b)
        if local.get(ref) != a:
            changes[ref] = (ANY, a)
            updated[ref] = (local.get(ref), a)
    for ref, a in tags.items():
        if ref not in local:
            changes[ref] = (None, a)
    if prune and branches is None:
        prefix = remote_ref(remote_name, "x")[:-1]
        for ref in local:
            if ref.startswith(prefix) and ref[len(prefix):] not in heads:
                changes[ref] = (ANY, None)
    if changes:
        db.update_refs(changes)
    return FetchResult(updated, transfer)


# --- pull -------------------------------------------------------------------------------


@dataclass
class PullResult:
    kind: str  # "up to date", "fast-forward", "merge"
    old: bytes
    new: bytes
    transfer: Transfer


def pull(db: Database, remote: RemoteStore, remote_name: str, branch: str, into: str, *,
         author: str, email: str, progress: Progress = None, message: str | None = None) -> PullResult:
    """Fetch ``branch`` and merge it into local branch ``into``, carrying uncommitted changes."""
    with db.write_lock.shared():  # no garbage collection between writing chunks and referencing them
        fetched = fetch(db, remote, remote_name, [branch], progress=progress)
        theirs = db.refs()[remote_ref(remote_name, branch)]
        for _ in range(10):
            try:
                return _merge_into(db, into, theirs, f"{remote_name}/{branch}", author, email, fetched.transfer,
                                   message)
            except RefConflictError:
                continue  # a SQL commit moved the branch or working set meanwhile: redo against it
    raise ConflictError(f"pull into {into}: the branch kept changing")


def _merge_into(db: Database, into: str, theirs: bytes, what: str, author: str, email: str,
                transfer: Transfer, message: str | None) -> PullResult:
    refs = db.refs()
    ours = refs.get(branch_ref(into))
    if ours is None:
        raise RemoteBranchNotFoundError(f"no local branch {into}")
    if ours == theirs or db.is_ancestor(theirs, ours):
        return PullResult("up to date", ours, ours, transfer)
    ws_address = refs.get(working_set_ref(into))
    head_root_addr = db.read_commit(ours).root
    ws = db.read_working_set(ws_address) if ws_address else WorkingSet(head_root_addr, head_root_addr)
    if ws.merge_state is not None:
        raise DirtyWorkingSetError(f"branch {into} has a merge in progress; finish or abort it first", [])
    head_root = db.read_root_value(head_root_addr)
    theirs_commit = db.read_commit(theirs)
    if db.is_ancestor(ours, theirs):
        kind, new_head, target_addr = "fast-forward", theirs, theirs_commit.root
    else:
        kind = "merge"
        base = db.merge_base(ours, theirs)
        base_root = db.read_root_value(db.read_commit(base).root) if base else db.read_root_value(
            db.write_root_value(type(head_root)()))
        merged = merge_roots(db, base_root, head_root, db.read_root_value(theirs_commit.root))
        if merged.conflicts:
            raise MergeConflictError(
                f"merge of {what} into {into} has conflicts; nothing was changed: " + "; ".join(merged.conflicts),
                merged.conflicts)
        target_addr = db.write_root_value(merged.root)
        commit = Commit(target_addr, (ours, theirs), author, email, time.time(),
                        message or f"Merge branch '{what}' into {into}",
                        1 + max(db.read_commit(ours).height, theirs_commit.height))
        new_head = db.write_commit(commit)
    target = db.read_root_value(target_addr)
    # Uncommitted changes ride along unless they touch what the pull changes (Dolt's rule).
    incoming = changed_tables(head_root, target)
    working, staged = db.read_root_value(ws.working), db.read_root_value(ws.staged)
    dirty = changed_tables(head_root, working) | changed_tables(head_root, staged)
    clash = sorted(incoming & dirty)
    if clash:
        raise DirtyWorkingSetError(
            f"cannot pull into {into}: your uncommitted changes to {', '.join(clash)} would be overwritten; "
            "commit them or discard them first", clash)
    new_working = _overlay(target, working, head_root, dirty)
    new_staged = _overlay(target, staged, head_root, dirty)
    new_ws = db.write_working_set(WorkingSet(db.write_root_value(new_working), db.write_root_value(new_staged)))
    db.update_refs({branch_ref(into): (ours, new_head), working_set_ref(into): (ws_address, new_ws)})
    return PullResult(kind, ours, new_head, transfer)


def _overlay(target, side, head_root, names: set[str]):
    """``target`` with the tables/objects in ``names`` as ``side`` has them (relative to the head)."""
    out = target
    for n in names:
        if n.startswith("object:"):
            o = n[len("object:"):]
            text = side.objects.get(o)
            if text is not None:
                out = out.with_object(o, text)
            elif o in out.objects:
                out = out.without_object(o)
        else:
            t = side.table_map.get(n)
            if t is not None:
                out = out.with_table(n, t)
            elif n in out.table_map:
                out = out.without_table(n)
    return out


# --- clone and backups ------------------------------------------------------------------


def pick_branch(remote_refs: RefMap, wanted: str | None) -> str:
    heads = sorted(name[len(HEADS):] for name in remote_refs if name.startswith(HEADS))
    if wanted is not None:
        if wanted not in heads:
            raise RemoteBranchNotFoundError(f"remote has no branch {wanted}")
        return wanted
    for default in ("main", "master"):
        if default in heads:
            return default
    if not heads:
        raise EmptyRemoteError("the remote has no branches")
    return heads[0]


def clone_into(db: Database, remote: RemoteStore, remote_name: str, branch: str | None,
               progress: Progress = None) -> str:
    """Fill the empty store of ``db`` from the remote; returns the checked-out branch."""
    if db.store.root() != ZERO:
        raise ReplicationError("clone needs an empty store")
    manifest = remote.refresh()
    if manifest is None:
        raise EmptyRemoteError(f"{remote.url} holds no database (nothing was pushed there)")
    chosen = pick_branch(remote.refs(), branch)
    fetch(db, remote, remote_name, progress=progress)
    head = db.refs()[remote_ref(remote_name, chosen)]
    root = db.read_commit(head).root
    ws = db.write_working_set(WorkingSet(root, root))
    db.update_refs({branch_ref(chosen): (None, head), working_set_ref(chosen): (None, ws)})
    return chosen


def backup_sync(db: Database, remote: RemoteStore, progress: Progress = None,
                max_files: int = MAX_TABLE_FILES) -> PushResult:
    """Make the backup hold exactly this database's refs (working sets included)."""
    local_root = db.root()

    def plan(_remote_refs: RefMap):
        return [local_root], {}

    _, transfer, files, compacted = _publish(db, remote, plan, progress, max_files, sync_root=True)
    return PushResult("*", None, local_root, transfer, files, compacted=compacted)


def backup_restore(db: Database, remote: RemoteStore, progress: Progress = None) -> Transfer:
    """Fill the empty store of ``db`` with everything the backup holds."""
    if db.store.root() != ZERO:
        raise ReplicationError("restore needs an empty store")
    manifest = remote.refresh()
    if manifest is None or manifest.root == ZERO:
        raise EmptyRemoteError(f"{remote.url} holds no backup")
    transfer = download(db, remote, [manifest.root], progress)
    if not db.store.commit(manifest.root, ZERO):
        raise ConflictError("the store changed while restoring")
    return transfer
