"""The versioning API: branches, commits, tags and working sets over one chunk store.

Everything a database *is* hangs off one ref map (``storage.refs``) whose
address is the chunk store's root.  Every mutation of refs goes through one
primitive, ``update_refs``: read the ref map, check the expected value of each
ref being changed, write a new ref map, compare-and-swap the store root to it.
A lost race (the root moved) is retried as long as the refs *this* update
touches still hold their expected values, so writers of different refs never
fail each other; only a real conflict on the same ref raises ConflictError.

Invariants:

* a ref only ever points at a chunk present in the store (checked before the
  root moves), and every chunk is written before any ref can reach it;
* a commit's height is 1 + its highest parent's height; ``parents[0]`` is the
  branch's previous head;
* branches made here always get a working set; a branch without one (made by
  a raw ``update_refs``, e.g. a pull) reads as a clean working set at its head.

Garbage collection (``storage.gc``) deletes chunks no ref reaches, so a
writer that has put chunks not yet reachable from the root must hold
``write_lock.shared()`` until its ref update lands.  Every method here that
puts chunks does so; the SQL layer wraps a transaction's writes the same way.
``write_lock.generation`` counts collections, so a session holding an old
in-memory root can tell that chunks it refers to may be gone.
"""

from __future__ import annotations

import threading
import time
from typing import Any, Callable, Iterator, Mapping

from storage import chunk_kinds
from storage.address import ADDRESS_SIZE, ZERO, to_text
from storage.commit import Commit, Tag, is_ancestor, log, merge_bases
from storage.errors import ChunkNotFoundError, ConflictError, NotFastForwardError
from storage.gc import lock_for
from storage import pending as pending_edits
from storage.pending import BranchEdits, TableChange
from storage.refs import (
    BranchExistsError,
    BranchNotFoundError,
    NothingToCommitError,
    RefExistsError,
    RefMap,
    TagExistsError,
    TagNotFoundError,
    UnmergedBranchError,
    WorkingSet,
    branch_ref,
    tag_ref,
    working_set_ref,
)
from storage.root_value import EMPTY as EMPTY_ROOT
from storage.root_value import RootValue
from storage.table import Table

# Each lost compare-and-swap means some other writer's update landed, so the
# database as a whole progresses; the bound only turns a pathological livelock
# into an error instead of a hang.
MAX_REF_ATTEMPTS = 1000
OBJECT_CACHE_SIZE = 4096
# Decoded commits kept per Database: ancestry walks (merge_base, log) reread
# the same commits. ~300 bytes each, so the cap bounds the cache near 20 MB.
COMMIT_CACHE_SIZE = 65536
INIT_MESSAGE = "Initialize data repository"


class _Any:
    def __repr__(self) -> str:
        return "ANY"


ANY: Any = _Any()
"""An ``update_refs`` expected value meaning "whatever it is now"."""


class RefConflictError(ConflictError):
    """``update_refs`` found a ref not at its expected value."""

    def __init__(self, ref: str, expected: bytes | None, actual: bytes | None):
        def show(a: bytes | None) -> str:
            return "absent" if a is None else to_text(a)

        super().__init__(f"ref {ref} is {show(actual)}, expected {show(expected)}")
        self.ref, self.expected, self.actual = ref, expected, actual


class Database:
    """Refs, commits, tags and working sets of one chunk store."""

    def __init__(self, store: Any, *, node_store: Any = None, clock: Callable[[], float] = time.time):
        self.store = store
        self._node_store = node_store
        self._clock = clock
        self.write_lock = lock_for(store)
        self._commits: dict[bytes, Commit] = {}
        self._objects: dict[bytes, Any] = {}  # address -> RootValue | Table | WorkingSet (see _object)
        self._ref_cache: tuple[bytes, RefMap] = (ZERO, RefMap())
        # Committed row edits not yet in the trees (storage.pending): branch -> edits.
        # None until first use, when the store's logs are replayed.
        self._pending: dict[str, BranchEdits] | None = None
        self._pending_lock = threading.RLock()

    # --- opening ---------------------------------------------------------------

    @classmethod
    def init(
        cls, store: Any, *, branch: str = "main", author: str, email: str, timestamp: float | None = None, **kw: Any
    ) -> Database:
        """Initialise an empty store: initial commit, ``branch`` and its working set."""
        db = cls(store, **kw)
        with db.write_lock.shared():
            if store.root() != ZERO:
                raise RefExistsError("the store holds a database already")
            root = db.write_root_value(EMPTY_ROOT)
            ts = db._clock() if timestamp is None else timestamp
            head = db.write_commit(Commit(root, (), author, email, ts, INIT_MESSAGE, 1))
            ws = db.write_working_set(WorkingSet(root, root))
            db.update_refs({branch_ref(branch): (None, head), working_set_ref(branch): (None, ws)})
        return db

    @classmethod
    def open_dir(cls, path: str, **kw: Any) -> Database:
        """A Database over the on-disk store in directory ``path``."""
        from storage.disk_store import DiskStore

        return cls(DiskStore.open(path), **kw)

    @property
    def node_store(self) -> Any:
        """The NodeStore (prolly-node cache) over this store, made on first use."""
        if self._node_store is None:
            from storage.node_store import NodeStore

            self._node_store = NodeStore(self.store)
        return self._node_store

    def close(self) -> None:
        self.store.close()

    # --- chunks ----------------------------------------------------------------

    def _get(self, address: bytes, what: str) -> bytes:
        data = self.store.get(address)
        if data is None:
            raise ChunkNotFoundError(address, what)
        return data

    def read_commit(self, address: bytes) -> Commit:
        commit = self._commits.get(address)
        if commit is None:
            commit = Commit.decode(self._get(address, "commit"))
            if len(self._commits) >= COMMIT_CACHE_SIZE:
                self._commits.clear()
            self._commits[address] = commit
        return commit

    # Root values, tables and working sets are immutable and named by their
    # content, so their decoded forms are cached by address: every SQL
    # transaction reads the working set, its root value and the tables it
    # touches, and every commit writes new ones (cached as written).
    def _object(self, address: bytes, decode, what: str):
        obj = self._objects.get(address)
        if obj is None or type(obj) is not decode.__self__:
            obj = decode(self._get(address, what))
            self._remember(address, obj)
        return obj

    def _remember(self, address: bytes, obj) -> None:
        if len(self._objects) >= OBJECT_CACHE_SIZE:
            self._objects.clear()
        self._objects[address] = obj

    def read_root_value(self, address: bytes) -> RootValue:
        return self._object(address, RootValue.decode, "root value")

    def read_table(self, address: bytes) -> Table:
        return self._object(address, Table.decode, "table")

    def read_tag(self, address: bytes) -> Tag:
        return Tag.decode(self._get(address, "tag"))

    def read_working_set(self, address: bytes) -> WorkingSet:
        return self._object(address, WorkingSet.decode, "working set")

    def _write(self, obj) -> bytes:
        address = self.store.put(obj.encode())
        self._remember(address, obj)
        return address

    def write_table(self, table: Table) -> bytes:
        return self._write(table)

    def write_root_value(self, root: RootValue) -> bytes:
        return self._write(root)

    def write_commit(self, commit: Commit) -> bytes:
        return self.store.put(commit.encode())

    def write_working_set(self, ws: WorkingSet) -> bytes:
        return self._write(ws)

    # --- ref reads -------------------------------------------------------------

    def refs(self) -> RefMap:
        """One consistent snapshot of every ref (pending row edits written into their working sets first)."""
        if self._pending is None or self._pending:
            self.materialize()
        return self._refs_at(self.store.root())

    def root(self) -> bytes:
        """The store's root, with pending row edits written in first (what a backup copies)."""
        self.refs()
        return self.store.root()

    def branches(self) -> dict[str, bytes]:
        """Branch name -> head commit, sorted by name."""
        return self.refs().branches()

    def tags(self) -> dict[str, bytes]:
        """Tag name -> tag chunk or commit, sorted by name."""
        return self.refs().tags()

    def remote_branches(self) -> dict[str, bytes]:
        return self.refs().remote_branches()

    def head(self, branch: str) -> bytes | None:
        """The head commit of ``branch``, or None if there is no such branch."""
        return self.refs().get(branch_ref(branch))

    def _require_head(self, refs: RefMap, branch: str) -> bytes:
        head = refs.get(branch_ref(branch))
        if head is None:
            raise BranchNotFoundError(f"branch {branch!r} not found")
        return head

    def working_set(self, branch: str) -> WorkingSet:
        """The working set of ``branch`` (clean at its head if none is stored)."""
        return self._working_set_at(self.refs(), branch)

    def _working_set_at(self, refs: RefMap, branch: str) -> WorkingSet:
        address = refs.get(working_set_ref(branch))
        if address is not None:
            return self.read_working_set(address)
        root = self.read_commit(self._require_head(refs, branch)).root
        return WorkingSet(root, root)

    # --- pending row edits (storage.pending) -------------------------------------

    @property
    def supports_pending(self) -> bool:
        """True if the store keeps durable logs, so ``commit_row_edits`` can be used."""
        return hasattr(self.store, "append_log")

    def _pending_map(self) -> dict[str, BranchEdits]:
        """The pending edits by branch; on first use, replayed from the store's logs."""
        if self._pending is None:
            pending: dict[str, BranchEdits] = {}
            logs = self.store.logs() if self.supports_pending else {}
            refs = self._refs_at(self.store.root())
            for log, entries in logs.items():
                edits = None
                for entry in entries:
                    branch, base, changes = pending_edits.decode_entry(entry)
                    if base != refs.get(working_set_ref(branch)):
                        continue  # materialized (or moved) before the log was cleared
                    edits = (edits or BranchEdits(base)).with_changes(changes)
                if edits is None:
                    self.store.append_log(log, b"")
                else:
                    pending[branch] = edits
            self._pending = pending
        return self._pending

    def working_view(self, branch: str) -> tuple[WorkingSet, BranchEdits | None]:
        """The working set of ``branch`` as stored, plus the row edits pending on it (fast, writes nothing).

        The SQL layer reads tables through these edits (``storage.overlay``);
        everything else uses ``working_set``, which writes them in first.
        The edits come pinned (immutable until ``release_view``).
        """
        with self._pending_lock:
            edits = self._pending_map().get(branch)
            if edits is not None:
                edits.pins += 1
            return self._working_set_at(self._refs_at(self.store.root()), branch), edits

    def current_view(self, branch: str) -> tuple[WorkingSet, BranchEdits | None]:
        """``working_view`` without pinning: for a caller that only compares it with a view it holds."""
        with self._pending_lock:
            return self._working_set_at(self._refs_at(self.store.root()), branch), self._pending_map().get(branch)

    def release_view(self, edits: BranchEdits | None) -> None:
        """Unpin edits ``working_view`` returned (once per call)."""
        if edits is not None:
            with self._pending_lock:
                edits.pins -= 1

    def commit_row_edits(self, branch: str, changes: dict[str, TableChange]) -> None:
        """Durably commit row edits to tables of ``branch``'s working set, without writing trees.

        The caller (an SQL transaction) has checked them against the current
        working set: the tables exist with the schemas the edits were made
        for, and conflicts with concurrent commits are resolved.  One journal
        record and one fsync; the trees are written later (``materialize``).
        """
        with self._pending_lock:
            pending = self._pending_map()
            current = pending.get(branch)
            if current is None:
                refs = self._refs_at(self.store.root())
                base = refs.get(working_set_ref(branch))
                if base is None:  # a branch made without one (a pull): store its clean working set first
                    with self.write_lock.shared():
                        base = self.write_working_set(self._working_set_at(refs, branch))
                        self._update_refs({working_set_ref(branch): (None, base)})
                current = BranchEdits(base)
            self.store.append_log(pending_edits.log_id(branch),
                                  pending_edits.encode_entry(branch, current.base, changes))
            if current.pins or branch not in pending:
                pending[branch] = updated = current.with_changes(changes)
            else:
                current.apply_in_place(changes)
                updated = current
            if updated.size >= pending_edits.LIMIT:
                self._materialize(branch)

    def materialize(self, branch: str | None = None) -> None:
        """Write pending row edits (of ``branch``, or of every branch) into their working sets."""
        with self._pending_lock:
            pending = self._pending_map()
            for b in [branch] if branch is not None else list(pending):
                if b in pending:
                    self._materialize(b)

    def _materialize(self, branch: str) -> None:
        edits = self._pending.pop(branch)
        wref = working_set_ref(branch)
        try:
            with self.write_lock.shared():
                ws = self.read_working_set(edits.base)
                root = self.read_root_value(ws.working)
                ns = self.node_store
                for name, t_edits in edits.tables.items():
                    address = root.table(name)
                    if address is None:
                        raise ConflictError(f"pending edits for table {name!r}, which the working set lacks")
                    table = self.read_table(address).with_row_edits(
                        ns, t_edits.primary.edits, {ix: e.edits for ix, e in t_edits.indexes.items()},
                        t_edits.auto_increment)
                    root = root.with_table(name, self.write_table(table))
                new_ws = self.write_working_set(WorkingSet(self.write_root_value(root), ws.staged, ws.merge_state))
                self._update_refs({wref: (edits.base, new_ws)})
        except BaseException:
            self._pending[branch] = edits
            raise
        self.store.append_log(pending_edits.log_id(branch), b"")

    def resolve_tag(self, name: str) -> bytes:
        """The commit tag ``name`` points at (through an annotated tag if any)."""
        target = self.refs().get(tag_ref(name))
        if target is None:
            raise TagNotFoundError(f"tag {name!r} not found")
        if self._get(target, f"tag {name!r}")[:1] == chunk_kinds.TAG:
            return self.read_tag(target).commit
        return target

    # --- the one ref-writing primitive ----------------------------------------

    def update_refs(self, changes: Mapping[str, tuple[Any, bytes | None]]) -> RefMap:
        """Atomically apply ``{ref: (expected, new)}``; returns the new snapshot.

        ``expected`` is the address the ref must hold now (None: must not
        exist; ANY: anything); ``new`` is its new address (None deletes it).
        Raises RefConflictError (a ConflictError) naming the first ref whose
        expected value no longer holds, and ChunkNotFoundError if a new target
        is not in the store.
        """
        if self._pending is None or self._pending:
            self.materialize()
        return self._update_refs(changes)

    def _update_refs(self, changes: Mapping[str, tuple[Any, bytes | None]]) -> RefMap:
        targets = {new for _, new in changes.values() if new is not None}
        for ref, (_, new) in changes.items():
            if not isinstance(ref, str) or not ref:
                raise ValueError(f"bad ref name {ref!r}")
            if new is not None and len(new) != ADDRESS_SIZE:
                raise ValueError(f"ref {ref}: not a 20-byte address")
        with self.write_lock.shared():
            missing = targets - self.store.has_many(targets)
            if missing:
                raise ChunkNotFoundError(min(missing), "target of a ref update")
            for _ in range(MAX_REF_ATTEMPTS):
                root = self.store.root()
                current = self._refs_at(root)
                for ref, (expected, _) in changes.items():
                    actual = current.get(ref)
                    if expected is not ANY and actual != expected:
                        raise RefConflictError(ref, expected, actual)
                updated = current.with_changes({ref: new for ref, (_, new) in changes.items()})
                if updated == current:
                    return current
                new_root = self.store.put(updated.encode())
                if self.store.commit(new_root, root):
                    self._ref_cache = (new_root, updated)
                    return updated
        raise ConflictError(f"ref update lost {MAX_REF_ATTEMPTS} races in a row")

    def _refs_at(self, root: bytes) -> RefMap:
        cached_root, cached = self._ref_cache
        if root == cached_root:
            return cached
        refs = RefMap.decode(self._get(root, "ref map (database root)"))
        self._ref_cache = (root, refs)
        return refs

    # --- commits ---------------------------------------------------------------

    def commit(
        self,
        branch: str,
        root: bytes,
        *,
        message: str,
        author: str,
        email: str,
        timestamp: float | None = None,
        tz_offset: int = 0,
        parents_extra: tuple[bytes, ...] | list[bytes] = (),
        allow_empty: bool = False,
    ) -> bytes:
        """Commit root value ``root`` on ``branch``; returns the new commit's address.

        Parents are the branch head then ``parents_extra`` (a merge).  Raises
        NothingToCommitError when ``root`` equals the head's root and there
        is no extra parent, unless ``allow_empty``.  The working set's staged
        root becomes ``root`` and its merge state is cleared; its working
        root becomes ``root`` too unless it holds changes beyond both the old
        staged root and ``root`` (unstaged edits survive, as in Dolt).
        RefConflictError if the head moves meanwhile.
        """
        bref, wref = branch_ref(branch), working_set_ref(branch)
        self.read_root_value(root)  # refuse to commit a missing or non-root chunk
        ts = self._clock() if timestamp is None else timestamp
        with self.write_lock.shared():
            refs = self.refs()
            head = self._require_head(refs, branch)
            head_commit = self.read_commit(head)
            parents = list(dict.fromkeys((head, *parents_extra)))
            if len(parents) == 1 and root == head_commit.root and not allow_empty:
                raise NothingToCommitError(f"nothing to commit on branch {branch!r}")
            height = 1 + max(self.read_commit(p).height for p in parents)
            address = self.write_commit(Commit(root, tuple(parents), author, email, ts, message, height, tz_offset))
            for _ in range(MAX_REF_ATTEMPTS):
                ws_address = refs.get(wref)
                old = self.read_working_set(ws_address) if ws_address else WorkingSet(head_commit.root, head_commit.root)
                working = root if old.working in (old.staged, root) else old.working
                new_ws = self.write_working_set(WorkingSet(working, root))
                try:
                    self.update_refs({bref: (head, address), wref: (ws_address, new_ws)})
                    return address
                except RefConflictError as e:
                    if e.ref != wref:
                        raise
                refs = self.refs()  # only the working set moved: recompute it
        raise ConflictError(f"commit on {branch!r}: working set kept changing")

    def set_working_set(
        self, branch: str, working: bytes, staged: bytes, expected: Any, *, merge_state: Any = None
    ) -> WorkingSet:
        """Replace the working set of ``branch`` if it still equals ``expected``.

        ``expected`` is the WorkingSet the caller read (``working_set()``) or
        ANY.  Raises RefConflictError when someone else changed it meanwhile.
        """
        for root in {working, staged}:
            self.read_root_value(root)
        if merge_state is not None:  # what a working set names must exist, like a ref's target
            self.read_commit(merge_state.commit)
            self.read_root_value(merge_state.pre_merge_working)
        new = WorkingSet(working, staged, merge_state)
        bref, wref = branch_ref(branch), working_set_ref(branch)
        with self.write_lock.shared():
            new_address = self.write_working_set(new)
            refs = self.refs()
            head = self._require_head(refs, branch)
            stored = refs.get(wref)
            if expected is ANY:
                changes = {wref: (ANY, new_address)}
            elif stored is not None:
                changes = {wref: (expected.address, new_address)}
            else:
                # No stored working set: it reads as clean at the head, so the
                # head must not move under this check.
                root = self.read_commit(head).root
                if expected != WorkingSet(root, root):
                    raise RefConflictError(wref, expected.address, None)
                changes = {wref: (None, new_address), bref: (head, head)}
            self.update_refs(changes)
        return new

    # --- branches --------------------------------------------------------------

    def create_branch(self, name: str, start: bytes, *, force: bool = False) -> None:
        """Create branch ``name`` at commit ``start`` with a clean working set.

        BranchExistsError if it exists, unless ``force`` (which resets it).
        """
        bref, wref = branch_ref(name), working_set_ref(name)
        root = self.read_commit(start).root
        with self.write_lock.shared():
            ws = self.write_working_set(WorkingSet(root, root))
            try:
                self.update_refs({bref: (ANY if force else None, start), wref: (ANY, ws)})
            except RefConflictError:
                raise BranchExistsError(f"branch {name!r} already exists") from None

    def delete_branch(self, name: str, *, force: bool = False, merged_into: str | None = None) -> None:
        """Delete branch ``name`` and its working set.

        Unless ``force``, refuses (UnmergedBranchError) when ``merged_into`` is
        given and that branch's head does not contain this branch's head.
        """
        bref, wref = branch_ref(name), working_set_ref(name)
        refs = self.refs()
        head = self._require_head(refs, name)
        if merged_into is not None and not force:
            other = self._require_head(refs, merged_into)
            if not self.is_ancestor(head, other):
                raise UnmergedBranchError(f"branch {name!r} is not fully merged into {merged_into!r}")
        try:
            self.update_refs({bref: (head, None), wref: (ANY, None)})
        except RefConflictError:
            raise ConflictError(f"branch {name!r} moved while being deleted") from None

    def rename_branch(self, old: str, new: str, *, force: bool = False) -> None:
        """Rename branch ``old`` to ``new``, moving its working set along."""
        bold, wold, bnew, wnew = branch_ref(old), working_set_ref(old), branch_ref(new), working_set_ref(new)
        if bold == bnew:
            return
        refs = self.refs()
        head = self._require_head(refs, old)
        if bnew in refs and not force:
            raise BranchExistsError(f"branch {new!r} already exists")
        with self.write_lock.shared():
            ws = refs.get(wold)
            if ws is None:
                root = self.read_commit(head).root
                ws = self.write_working_set(WorkingSet(root, root))
            changes = {bold: (head, None), wold: (refs.get(wold), None), bnew: (ANY if force else None, head), wnew: (ANY, ws)}
            try:
                self.update_refs(changes)
            except RefConflictError as e:
                if e.ref == bnew:
                    raise BranchExistsError(f"branch {new!r} already exists") from None
                raise

    def set_head(self, branch: str, commit: bytes, *, force: bool = False, reset_working: bool = False) -> None:
        """Point ``branch`` at ``commit``.

        Without ``force`` the move must not drop commits (``commit`` must
        descend from the head), else NotFastForwardError.  ``reset_working``
        also resets the working set to the commit's root (``reset --hard``);
        otherwise it is left alone (``reset --soft``).
        """
        bref, wref = branch_ref(branch), working_set_ref(branch)
        target = self.read_commit(commit)
        with self.write_lock.shared():
            head = self._require_head(self.refs(), branch)
            if not force and not self.is_ancestor(head, commit):
                raise NotFastForwardError(f"{to_text(commit)} does not descend from the head of {branch!r}")
            changes: dict[str, tuple[Any, bytes | None]] = {bref: (head, commit)}
            if reset_working:
                changes[wref] = (ANY, self.write_working_set(WorkingSet(target.root, target.root)))
            self.update_refs(changes)

    def fast_forward(self, branch: str, commit: bytes) -> None:
        """Advance ``branch`` to descendant ``commit`` (NotFastForwardError otherwise).

        A clean working set (working = staged = old head's root) moves to the
        new root; one holding changes is left for the caller to merge.
        """
        bref, wref = branch_ref(branch), working_set_ref(branch)
        target = self.read_commit(commit)
        with self.write_lock.shared():
            refs = self.refs()
            head = self._require_head(refs, branch)
            if head == commit:
                return
            if not self.is_ancestor(head, commit):
                raise NotFastForwardError(f"{to_text(commit)} does not descend from the head of {branch!r}")
            changes: dict[str, tuple[Any, bytes | None]] = {bref: (head, commit)}
            ws_address = refs.get(wref)
            if ws_address is not None:
                old_root = self.read_commit(head).root
                ws = self.read_working_set(ws_address)
                if ws.working == ws.staged == old_root and ws.merge_state is None:
                    changes[wref] = (ws_address, self.write_working_set(WorkingSet(target.root, target.root)))
            self.update_refs(changes)

    # --- tags ------------------------------------------------------------------

    def create_tag(
        self,
        name: str,
        commit: bytes,
        *,
        message: str = "",
        tagger: str | None = None,
        email: str = "",
        timestamp: float | None = None,
        tz_offset: int = 0,
    ) -> bytes:
        """Tag ``commit``: annotated (a TAG chunk) when ``tagger`` is given, else lightweight.

        Returns what the tag ref points at; TagExistsError if the name is taken.
        """
        tref = tag_ref(name)
        self.read_commit(commit)
        with self.write_lock.shared():
            target = commit
            if tagger is not None:
                ts = self._clock() if timestamp is None else timestamp
                target = self.store.put(Tag(name, commit, tagger, email, ts, message, tz_offset).encode())
            try:
                self.update_refs({tref: (None, target)})
            except RefConflictError:
                raise TagExistsError(f"tag {name!r} already exists") from None
        return target

    def delete_tag(self, name: str) -> None:
        tref = tag_ref(name)
        target = self.refs().get(tref)
        if target is None:
            raise TagNotFoundError(f"tag {name!r} not found")
        self.update_refs({tref: (target, None)})

    # --- the commit graph ------------------------------------------------------

    def is_ancestor(self, ancestor: bytes, descendant: bytes) -> bool:
        """True if ``ancestor`` is ``descendant`` or one of its ancestors."""
        return is_ancestor(self.read_commit, ancestor, descendant)

    def merge_bases(self, a: bytes, b: bytes) -> list[bytes]:
        """Every best common ancestor of ``a`` and ``b``, highest first (several after a criss-cross)."""
        return merge_bases(self.read_commit, a, b)

    def merge_base(self, a: bytes, b: bytes) -> bytes | None:
        """The best common ancestor of ``a`` and ``b`` (highest, then lowest address), or None."""
        bases = merge_bases(self.read_commit, a, b)
        return bases[0] if bases else None

    def log(self, start: bytes, limit: int | None = None) -> Iterator[tuple[bytes, Commit]]:
        """(address, commit) from ``start`` through all its ancestors, newest first (see commit.log)."""
        return log(self.read_commit, start, limit)
