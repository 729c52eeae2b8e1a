"""PushReplicator and ReplicaPuller over file:// remotes, with faults injected by a switchable wrapper.

The wrapper forwards to a real FileBackend and, when cut, fails every call
the way an unreachable endpoint does (a retryable RemoteAccessError).  The
server-level fault tests cut a real moto endpoint with a TCP proxy.
"""

from __future__ import annotations

import pytest

from replication import open_backend
from replication.errors import RemoteAccessError
from replication.remote_store import RemoteStore
from replication.replicas import PushReplicator, ReplicaPuller
from replication.sync import clone_into, push
from tests.replication.test_sync import commit_rows, head_rows, open_db

WAIT = 20.0


class Switchable:
    def __init__(self, inner):
        self.inner = inner
        self.cut = False

    def __getattr__(self, name):
        attr = getattr(self.inner, name)
        if not callable(attr):
            return attr

        def call(*a, **kw):
            if self.cut:
                raise RemoteAccessError(f"{self.inner.url}: connection refused (cut by the test)", retryable=True)
            return attr(*a, **kw)

        return call


@pytest.fixture
def url(tmp_path):
    return f"file://{tmp_path / 'remote'}"


def test_push_on_write_resolves_waiters_and_survives_a_cut(tmp_path, url):
    a = open_db(tmp_path / "a")
    switch = Switchable(open_backend(url))
    rep = PushReplicator(a, "origin", lambda: RemoteStore(switch)).start()
    try:
        commit_rows(a, "main", "t", {1: 1})
        a.create_tag("v1", a.head("main"))
        result = rep.request("main").result(WAIT)
        assert result.new == a.head("main")
        on_remote = RemoteStore(open_backend(url))
        on_remote.refresh()
        assert on_remote.refs()["refs/tags/v1"] == a.head("main")  # tags travel with the branch
        assert [s.state for s in rep.status()] == ["ok"]

        switch.cut = True
        commit_rows(a, "main", "t", {2: 2})
        fut = rep.request("main")
        with pytest.raises(TimeoutError):
            fut.result(0.3)
        st = rep.status()[0]
        assert st.state in ("error", "pending") and st.pending_since is not None
        switch.cut = False
        assert fut.result(WAIT).new == a.head("main")  # caught up by itself
        assert rep.status()[0].state == "ok"
    finally:
        rep.close()
        a.close()


def test_pending_pushes_resume_after_a_restart(tmp_path, url):
    a = open_db(tmp_path / "a")
    commit_rows(a, "main", "t", {1: 1})
    push(a, RemoteStore(open_backend(url)), "origin", "main", "main")
    commit_rows(a, "main", "t", {2: 2})  # committed, never pushed (the process "died")
    rep = PushReplicator(a, "origin", lambda: RemoteStore(open_backend(url)))
    try:
        rep.start()
        assert rep.pending() == 1
        rep.request("main").result(WAIT)
        r = RemoteStore(open_backend(url))
        r.refresh()
        assert r.refs()["refs/heads/main"] == a.head("main")
    finally:
        rep.close()
        a.close()


def test_a_diverged_remote_stops_pushing_and_loses_no_local_commit(tmp_path, url):
    a = open_db(tmp_path / "a")
    commit_rows(a, "main", "t", {1: 1})
    push(a, RemoteStore(open_backend(url)), "origin", "main", "main")
    b = open_db(tmp_path / "b", init=False)
    clone_into(b, RemoteStore(open_backend(url)), "origin", None)
    commit_rows(b, "main", "t", {2: 2})
    push(b, RemoteStore(open_backend(url)), "origin", "main", "main")
    mine = commit_rows(a, "main", "t", {3: 3})
    rep = PushReplicator(a, "origin", lambda: RemoteStore(open_backend(url))).start()
    try:
        with pytest.raises(Exception, match="not a fast-forward"):
            rep.request("main").result(WAIT)
        st = rep.status()[0]
        assert st.state == "diverged" and st.remote_head == b.head("main")
        assert a.head("main") == mine
    finally:
        rep.close()
        a.close()
        b.close()


def test_replica_mirrors_heads_and_waits_for_a_commit(tmp_path, url):
    a = open_db(tmp_path / "a")
    commit_rows(a, "main", "t", {1: 1})
    push(a, RemoteStore(open_backend(url)), "origin", "main", "main")
    r = open_db(tmp_path / "replica", init=False)
    clone_into(r, RemoteStore(open_backend(url)), "origin", None)
    switch = Switchable(open_backend(url))
    puller = ReplicaPuller(r, "origin", lambda: RemoteStore(switch), all_heads=True, poll_ms=20).start()
    try:
        c = commit_rows(a, "main", "t", {2: 2})
        a.create_branch("feature", c)
        push(a, RemoteStore(open_backend(url)), "origin", "main", "main")
        push(a, RemoteStore(open_backend(url)), "origin", "feature", "feature")
        assert puller.wait_for_commit(c, WAIT)
        assert puller.wait_for_commit(c, WAIT, branch="feature")
        assert r.head("feature") == c
        assert head_rows(r, "main", "t") == {1: 1, 2: 2}
        ws = r.working_set("main")
        assert ws.working == ws.staged == r.read_commit(c).root

        # a deleted remote branch is mirrored
        push(a, RemoteStore(open_backend(url)), "origin", None, "feature")
        c3 = commit_rows(a, "main", "t", {3: 3})
        push(a, RemoteStore(open_backend(url)), "origin", "main", "main")
        assert puller.wait_for_commit(c3, WAIT)
        assert r.head("feature") is None

        # cut: reads keep working, lag grows, and it catches up afterwards
        switch.cut = True
        c4 = commit_rows(a, "main", "t", {4: 4})
        push(a, RemoteStore(open_backend(url)), "origin", "main", "main")
        assert not puller.wait_for_commit(c4, 0.3)
        assert puller.last_error and head_rows(r, "main", "t") == {1: 1, 2: 2, 3: 3}
        switch.cut = False
        assert puller.wait_for_commit(c4, WAIT)
        assert puller.last_error == ""
    finally:
        puller.close()
        a.close()
        r.close()


def test_replica_of_listed_heads_only(tmp_path, url):
    with pytest.raises(ValueError, match="exactly one"):
        ReplicaPuller(None, "origin", lambda: None, all_heads=True, patterns=["main"])
    with pytest.raises(ValueError, match="exactly one"):
        ReplicaPuller(None, "origin", lambda: None, all_heads=False, patterns=[])
    a = open_db(tmp_path / "a")
    commit_rows(a, "main", "t", {1: 1})
    a.create_branch("release-1", a.head("main"))
    a.create_branch("scratch", a.head("main"))
    for b in ("main", "release-1", "scratch"):
        push(a, RemoteStore(open_backend(url)), "origin", b, b)
    r = open_db(tmp_path / "replica", init=False)
    clone_into(r, RemoteStore(open_backend(url)), "origin", None)
    puller = ReplicaPuller(r, "origin", lambda: RemoteStore(open_backend(url)), all_heads=False,
                           patterns=["main", "release-*"], poll_ms=20)
    try:
        puller.sync_once()
        assert set(r.branches()) == {"main", "release-1"}
    finally:
        puller.close()
        a.close()
        r.close()
