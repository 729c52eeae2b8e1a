"""Replication of a live database: push on write (primary) and pull in the background (read replica).

Why here and not in the SQL server: both are "keep a remote and a store in
step while other threads commit", which needs only ``storage.Database`` and
``sync``.  The server decides *when* (after a commit, at start-up) and how
long a client waits; this module does the moving, the retrying and the
bookkeeping that ``grove_replication_status`` shows.

Primary (``PushReplicator``)::

    commit on main (durable locally)         worker thread
        |                                        |
        +-- request("main") -> Future  ------->  push the *current* head of main
        |   (sync: the server awaits it           (requests coalesce: ten commits
        |    up to grove_replication_timeout_ms;    queued behind one slow push
        |    async: nobody waits)                   become one push)
        |                                        |
        |                                 ok:    resolve every waiter whose commit
        |                                        the pushed head contains
        |                                 error: keep the waiters, record the error,
        |                                        retry with backoff (0.1 s .. 5 s)
        |                                 not a fast-forward: status "diverged",
        |                                        fail the waiters, stop retrying
        |                                        until a new request
    start-up: every branch whose head differs from refs/remotes/<remote>/<branch>
    is pending (a kill -9 between the local commit and the push loses nothing).

Read replica (``ReplicaPuller``): every ``poll_ms`` one consistent read of the
remote manifest; if its lock moved, fetch the chunks of the replicated heads,
then move all of them (branch, working set, tracking ref) in ONE ref update,
so a transaction sees one consistent set of heads.  Remote branches that
vanished or were force-pushed are mirrored.  Readers never wait on the
remote; ``wait_for_commit`` lets a client wait for its own write to arrive.
"""

from __future__ import annotations

import fnmatch
import logging
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Callable

from replication.remote_store import RemoteStore
from replication.sync import download, push, push_tags
from storage.address import ZERO, to_text
from storage.database import ANY, Database
from storage.errors import NotFastForwardError, StorageError
from storage.refs import HEADS, WorkingSet, branch_ref, remote_ref, working_set_ref

log = logging.getLogger("grove.replication")

MIN_BACKOFF = 0.1
MAX_BACKOFF = 5.0


@dataclass
class BranchStatus:
    """One row of grove_replication_status."""

    role: str  # "primary" or "replica"
    remote: str
    branch: str
    local_head: bytes | None
    remote_head: bytes | None
    state: str  # "ok", "pending", "diverged", "error"
    pending_since: float | None = None
    last_error: str = ""
    last_success: float | None = None


class PushReplicator:
    """Pushes branch heads of one database to one remote from a worker thread."""

    def __init__(self, db: Database, remote_name: str, open_remote: Callable[[], RemoteStore]):
        self.db = db
        self.remote_name = remote_name
        self._open_remote = open_remote
        self._remote: RemoteStore | None = None
        self._cond = threading.Condition()
        self._wanted: set[str] = set()  # branches to push
        self._waiters: dict[str, list[tuple[bytes, Future]]] = {}
        self._status: dict[str, BranchStatus] = {}
        self._stop = False
        self._thread = threading.Thread(target=self._run, name=f"grove-push-{remote_name}", daemon=True)

    def start(self) -> PushReplicator:
        """Start the worker, first queueing every branch the remote is behind on."""
        refs = self.db.refs()
        for name, head in refs.items():
            if name.startswith(HEADS):
                branch = name[len(HEADS):]
                if refs.get(remote_ref(self.remote_name, branch)) != head:
                    self._mark(branch, "pending", head)
                    self._wanted.add(branch)
        self._thread.start()
        return self

    def request(self, branch: str) -> Future:
        """Push ``branch`` soon; the future resolves once the remote holds its current head."""
        fut: Future = Future()
        head = self.db.head(branch)
        with self._cond:
            if head is None:
                fut.set_result(None)
                return fut
            self._waiters.setdefault(branch, []).append((head, fut))
            self._wanted.add(branch)
            st = self._status.get(branch)
            if st is None or st.state == "ok":
                self._mark(branch, "pending", head)
            self._cond.notify_all()
        return fut

    def pending(self) -> int:
        with self._cond:
            return sum(1 for s in self._status.values() if s.state != "ok")

    def status(self) -> list[BranchStatus]:
        with self._cond:
            out = []
            for branch in sorted(self._status):
                st = self._status[branch]
                st.local_head = self.db.head(branch)
                out.append(BranchStatus(**vars(st)))
            return out

    def close(self, timeout: float = 5.0) -> None:
        with self._cond:
            self._stop = True
            self._cond.notify_all()
        if self._thread.is_alive():
            self._thread.join(timeout)
        if self._remote is not None:
            self._remote.close()

    # --- the worker --------------------------------------------------------------------

    def _mark(self, branch: str, state: str, head: bytes | None, error: str = "") -> BranchStatus:
        st = self._status.get(branch)
        if st is None:
            st = self._status[branch] = BranchStatus("primary", self.remote_name, branch, head, None, state)
        if state != "ok" and st.pending_since is None:
            st.pending_since = time.time()
        if state == "ok":
            st.pending_since = None
            st.last_error = ""
            st.last_success = time.time()
        elif error:
            st.last_error = error
        st.state = state
        return st

    def _run(self) -> None:
        try:  # open the remote now (boto3 clients take ~0.5 s), not on the first commit's clock
            self._remote = self._open_remote()
        except Exception as e:  # noqa: BLE001 - the first push retries and reports it
            log.warning("cannot open remote %s yet: %s", self.remote_name, e)
        backoff = 0.0
        while True:
            with self._cond:
                if backoff:
                    self._cond.wait_for(lambda: self._stop, timeout=backoff)
                while not self._wanted and not self._stop:
                    self._cond.wait()
                if self._stop:
                    return
                branches = sorted(self._wanted)
                self._wanted.clear()
            failed = False
            for branch in branches:
                if not self._push_one(branch):
                    failed = True
            backoff = min(MAX_BACKOFF, max(MIN_BACKOFF, backoff * 2)) if failed else 0.0

    def _push_one(self, branch: str) -> bool:
        """One push of the branch's current head; False when it should be retried."""
        head = self.db.head(branch)
        if head is None:  # deleted meanwhile: nothing to push (remote branches are not deleted on write)
            with self._cond:
                self._status.pop(branch, None)
                for _, fut in self._waiters.pop(branch, []):
                    fut.set_result(None)
            return True
        try:
            if self._remote is None:
                self._remote = self._open_remote()
            result = push(self.db, self._remote, self.remote_name, branch, branch)
            push_tags(self.db, self._remote)  # "the branch it committed, plus tags"
        except NotFastForwardError as e:
            with self._cond:
                st = self._mark(branch, "diverged", head, str(e))
                st.remote_head = self._remote.refs().get(branch_ref(branch)) if self._remote else None
                for _, fut in self._waiters.pop(branch, []):
                    fut.set_exception(e)
            log.error("replication of %s to %s stopped: %s", branch, self.remote_name, e)
            return True  # not retried: a new commit re-requests it
        except (StorageError, OSError) as e:
            with self._cond:
                self._mark(branch, "error", head, f"{type(e).__name__}: {e}")
                self._wanted.add(branch)
            log.warning("push of %s to %s failed (will retry): %s", branch, self.remote_name, e)
            if not getattr(e, "retryable", True):
                self._remote = None  # e.g. credentials changed: start from a fresh client
            return False
        except Exception as e:  # noqa: BLE001 - the worker must survive anything
            with self._cond:
                self._mark(branch, "error", head, f"{type(e).__name__}: {e}")
                self._wanted.add(branch)
            log.exception("push of %s to %s failed", branch, self.remote_name)
            self._remote = None
            return False
        with self._cond:
            st = self._mark(branch, "ok" if branch not in self._wanted else "pending", head)
            st.remote_head = result.new
            keep = []
            for target, fut in self._waiters.pop(branch, []):
                if target == head or self.db.is_ancestor(target, head):
                    fut.set_result(result)
                else:
                    keep.append((target, fut))
            if keep:
                self._waiters[branch] = keep
                self._wanted.add(branch)
        return True


class ReplicaPuller:
    """Mirrors the replicated heads of a remote into a local database, polling."""

    def __init__(self, db: Database, remote_name: str, open_remote: Callable[[], RemoteStore], *,
                 all_heads: bool, patterns: list[str] | None = None, poll_ms: int = 200):
        if all_heads == bool(patterns):
            raise ValueError("exactly one of dolt_replicate_all_heads and dolt_replicate_heads must be set")
        self.db = db
        self.remote_name = remote_name
        self._open_remote = open_remote
        self._remote: RemoteStore | None = None
        self.all_heads = all_heads
        self.patterns = list(patterns or [])
        self.poll = max(poll_ms, 1) / 1000.0
        self._cond = threading.Condition()
        self._stop = False
        self._last_lock: bytes | None = None
        self.last_success: float | None = None  # last time the replica knew it was current
        self.last_change: float | None = None
        self.last_error = ""
        self.error_since: float | None = None
        self.pulls = 0
        self._thread = threading.Thread(target=self._run, name=f"grove-replica-{remote_name}", daemon=True)

    def start(self) -> ReplicaPuller:
        self._thread.start()
        return self

    def close(self, timeout: float = 5.0) -> None:
        with self._cond:
            self._stop = True
            self._cond.notify_all()
        if self._thread.is_alive():
            self._thread.join(timeout)
        if self._remote is not None:
            self._remote.close()

    def wanted(self, branch: str) -> bool:
        return self.all_heads or any(fnmatch.fnmatchcase(branch, p) for p in self.patterns)

    def lag(self) -> float | None:
        """Seconds since the replica last knew it matched the remote (None: never)."""
        return None if self.last_success is None else time.time() - self.last_success

    def status(self) -> list[BranchStatus]:
        refs = self.db.refs()
        out = []
        prefix = remote_ref(self.remote_name, "x")[:-1]
        for name, head in sorted(refs.items()):
            if name.startswith(prefix):
                branch = name[len(prefix):]
                st = BranchStatus("replica", self.remote_name, branch, refs.get(branch_ref(branch)), head,
                                  "error" if self.last_error else "ok", self.error_since, self.last_error,
                                  self.last_success)
                out.append(st)
        return out

    def wait_for_commit(self, commit: bytes, timeout: float, branch: str | None = None) -> bool:
        """Block until some replicated branch (or ``branch``) contains ``commit``; False on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                if self._contains(commit, branch):
                    return True
                left = deadline - time.monotonic()
                if left <= 0 or self._stop:
                    return False
                self._cond.wait(left)

    def _contains(self, commit: bytes, branch: str | None) -> bool:
        if not self.db.store.has(commit):
            return False
        heads = self.db.branches()
        names = [branch] if branch is not None else list(heads)
        for name in names:
            head = heads.get(name)
            if head is not None and (head == commit or self.db.is_ancestor(commit, head)):
                return True
        return False

    def sync_once(self) -> bool:
        """One poll: returns True when heads moved."""
        if self._remote is None:
            self._remote = self._open_remote()
        started = time.time()
        manifest = self._remote.backend.read_manifest()
        lock = manifest.lock if manifest else ZERO
        changed = False
        if lock != self._last_lock:
            self._remote.refresh(manifest)
            changed = self._apply(self._remote)
            self._last_lock = lock
        self.last_success = started
        self.last_error, self.error_since = "", None
        if changed:
            self.last_change = time.time()
            self.pulls += 1
        with self._cond:
            self._cond.notify_all()
        return changed

    def _apply(self, remote: RemoteStore) -> bool:
        remote_refs = remote.refs()
        theirs = {n[len(HEADS):]: a for n, a in remote_refs.items() if n.startswith(HEADS)}
        theirs = {b: a for b, a in theirs.items() if self.wanted(b)}
        download(self.db, remote, list(theirs.values()))
        for _ in range(100):
            refs = self.db.refs()
            ours = {n[len(HEADS):]: a for n, a in refs.items() if n.startswith(HEADS) and self.wanted(n[len(HEADS):])}
            changes: dict = {}
            for b, head in theirs.items():
                tracking = remote_ref(self.remote_name, b)
                if refs.get(tracking) != head:
                    changes[tracking] = (ANY, head)
                if ours.get(b) != head:
                    root = self.db.read_commit(head).root
                    changes[branch_ref(b)] = (refs.get(branch_ref(b)), head)
                    ws = self.db.write_working_set(WorkingSet(root, root))
                    changes[working_set_ref(b)] = (refs.get(working_set_ref(b)), ws)
            gone = [b for b in ours if b not in theirs] if theirs else []  # never mirror an empty remote
            for b in gone:
                changes[branch_ref(b)] = (refs.get(branch_ref(b)), None)
                changes[working_set_ref(b)] = (refs.get(working_set_ref(b)), None)
                changes[remote_ref(self.remote_name, b)] = (ANY, None)
            if not changes:
                return False
            try:
                self.db.update_refs(changes)
                return True
            except StorageError as e:
                if not getattr(e, "retryable", False):
                    raise
        raise StorageError("replica: local refs kept changing")

    def _run(self) -> None:
        backoff = self.poll
        while True:
            started = time.monotonic()
            try:
                self.sync_once()
                # a fixed rate, not a fixed pause: a slow pull does not stretch the interval
                backoff = max(0.0, self.poll - (time.monotonic() - started))
            except Exception as e:  # noqa: BLE001 - keep serving reads whatever the remote does
                if not self.last_error:
                    self.error_since = time.time()
                self.last_error = f"{type(e).__name__}: {e}"
                log.warning("replica pull from %s failed: %s", self.remote_name, e)
                backoff = min(MAX_BACKOFF, max(backoff, self.poll) * 2)
                if not getattr(e, "retryable", True):
                    self._remote = None
            with self._cond:
                if self._cond.wait_for(lambda: self._stop, timeout=backoff):
                    return


def short(address: bytes | None) -> str:
    return to_text(address) if address else ""
