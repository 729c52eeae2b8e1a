"""The versioning layer: object encodings, refs, commits, the commit graph, working sets."""

from __future__ import annotations

import itertools
import random
import threading

import pytest

from storage import chunk_kinds
from storage.address import address_of, to_text
from storage.commit import Commit, Tag
from storage.database import ANY, INIT_MESSAGE, Database, RefConflictError
from storage.errors import ChunkNotFoundError, ConflictError, CorruptionError, NotFastForwardError, RefError
from storage.memory_store import MemoryStore
from storage.refs import (
    BranchExistsError,
    BranchNotFoundError,
    InvalidRefNameError,
    MergeState,
    NothingToCommitError,
    RefExistsError,
    RefMap,
    TagExistsError,
    TagNotFoundError,
    UnmergedBranchError,
    WorkingSet,
    branch_ref,
)
from storage.root_value import RootValue
from storage.schema import Check, Column, ForeignKey, Index, Schema
from storage.table import Table

AUTHOR = {"author": "Ada", "email": "ada@example.com"}


def make_db(store=None) -> Database:
    ticks = itertools.count(1_700_000_000)
    store = store if store is not None else MemoryStore()
    return Database.init(store, clock=lambda: float(next(ticks)), **AUTHOR)


@pytest.fixture
def db() -> Database:
    return make_db()


def root_with(db: Database, label: str) -> bytes:
    """A distinct root value (an object whose text is ``label``)."""
    return db.write_root_value(RootValue({}, {"note": label}))


def commit_on(db: Database, branch: str, label: str, **kw) -> bytes:
    return db.commit(branch, root_with(db, label), message=label, **AUTHOR, **kw)


def raw_commit(db: Database, parents: list[bytes], label: str) -> bytes:
    """A commit written directly (no branch), for building arbitrary graphs."""
    height = 1 + max((db.read_commit(p).height for p in parents), default=0)
    return db.write_commit(Commit(root_with(db, label), tuple(parents), "x", "x@y", 0, label, height))


# --- encodings --------------------------------------------------------------


def sample_schema() -> Schema:
    return Schema(
        columns=(
            Column("id", "bigint unsigned", nullable=False, auto_increment=True),
            Column("Name", "varchar(255)", default="'x'", collation="utf8mb4_0900_ai_ci", comment="who"),
            Column("price", "decimal(10,2)", on_update="CURRENT_TIMESTAMP", extra={"srid": None, "invisible": True}),
            Column("owner", "int"),
        ),
        primary_key=("id",),
        indexes=(Index("by_name", ("name", "price"), unique=True, prefix_lengths=(10, None)),),
        foreign_keys=(ForeignKey("fk_owner", ("owner",), "owners", ("id",), on_delete="CASCADE"),),
        checks=(Check("positive", "price > 0"),),
        options={"engine": "InnoDB", "comment": "ünïcode"},
    )


def test_objects_round_trip_and_encode_canonically():
    schema = sample_schema()
    a, b = address_of(b"a"), address_of(b"b")
    objects = [
        Table(schema, a, {"by_name": b}, auto_increment=42),
        RootValue({"t2": b, "t1": a}, {"view:v": "select 1"}),
        Commit(a, (b,), "Ada", "ada@x", 1700000000.1234, "msg", 2, tz_offset=-300),
        Tag("v1", a, "Ada", "ada@x", 5, "release", 60),
        WorkingSet(a, b, MergeState(b, a, "feature", {"conflicts": ["t1"]})),
    ]
    for obj in objects:
        data = obj.encode()
        assert type(obj).decode(data) == obj
        assert type(obj).decode(data).encode() == data
    assert Table.decode(objects[0].encode()).schema == schema
    # Insertion order does not change the bytes.
    assert RootValue({"t1": a, "t2": b}).encode() == RootValue({"t2": b, "t1": a}).encode()
    assert RefMap({"x": a, "y": b}).encode() == RefMap({"y": b, "x": a}).encode()
    # Millisecond timestamps survive exactly.
    assert Commit.decode(objects[2].encode()).timestamp == pytest.approx(1700000000.123)


def test_decoding_the_wrong_kind_or_garbage_is_corruption():
    rv = RootValue().encode()
    with pytest.raises(CorruptionError):
        Commit.decode(rv)
    with pytest.raises(CorruptionError):
        RootValue.decode(chunk_kinds.ROOT_VALUE + b"{not json")
    with pytest.raises(CorruptionError):
        Table.decode(chunk_kinds.TABLE + b'{"primary": "zz"}')


def test_schema_lookups_ignore_case_and_validate():
    schema = sample_schema()
    assert schema.column("NAME").name == "Name"
    assert schema.position("Price") == 2
    assert schema.column("nope") is None
    assert schema.index("BY_NAME").prefix_lengths == (10, None)
    with pytest.raises(ValueError):
        Schema((Column("a", "int"), Column("A", "int")))
    with pytest.raises(ValueError):
        Schema((Column("a", "int"),), primary_key=("b",))
    with pytest.raises(ValueError):
        Schema((Column("a", "int"),), indexes=(Index("i", ("zz",)),))


def test_root_value_edits_are_persistent():
    a, b = address_of(b"a"), address_of(b"b")
    empty = RootValue()
    one = empty.with_table("Orders", a)
    two = one.with_table("items", b).with_object("view:v", "select 1")
    assert empty.tables() == [] and one.tables() == ["Orders"] and two.tables() == ["Orders", "items"]
    assert two.find_table("orders") == "Orders" and two.find_table("nothing") is None
    assert two.without_table("Orders").tables() == ["items"]
    assert two.without_object("view:v") == one.with_table("items", b)
    with pytest.raises(KeyError):
        empty.without_table("x")


# --- init, commits, history ----------------------------------------------------


def test_init_makes_main_with_an_empty_initial_commit(db: Database):
    head = db.head("main")
    assert db.branches() == {"main": head}
    initial = db.read_commit(head)
    assert (initial.message, initial.parents, initial.height) == (INIT_MESSAGE, (), 1)
    assert db.read_root_value(initial.root) == RootValue()
    assert db.working_set("main") == WorkingSet(initial.root, initial.root)
    with pytest.raises(RefExistsError):
        Database.init(db.store, **AUTHOR)


def test_linear_history_heights_and_log(db: Database):
    commits = [db.head("main")]
    for i in range(5):
        commits.append(commit_on(db, "main", f"c{i}"))
        assert db.head("main") == commits[-1]
    logged = list(db.log(commits[-1]))
    assert [a for a, _ in logged] == commits[::-1]
    assert [c.height for _, c in logged] == [6, 5, 4, 3, 2, 1]
    assert all(c.parents == (commits[i - 1],) for i, (_, c) in zip(range(5, 0, -1), logged))
    assert [a for a, _ in db.log(commits[-1], limit=2)] == commits[:-3:-1]
    head_root = db.read_commit(commits[-1]).root
    with pytest.raises(NothingToCommitError):
        db.commit("main", head_root, message="again", **AUTHOR)
    empty = db.commit("main", head_root, message="empty", allow_empty=True, **AUTHOR)
    assert db.read_commit(empty).parents == (commits[-1],)


def test_commit_refuses_missing_roots_and_branches(db: Database):
    with pytest.raises(ChunkNotFoundError):
        db.commit("main", address_of(b"nowhere"), message="m", **AUTHOR)
    with pytest.raises(BranchNotFoundError):
        db.commit("nope", root_with(db, "x"), message="m", **AUTHOR)


def test_branches_create_delete_rename(db: Database):
    start = db.head("main")
    db.create_branch("feature/x-1", start)
    assert db.branches() == {"feature/x-1": start, "main": start}
    with pytest.raises(BranchExistsError):
        db.create_branch("feature/x-1", start)
    tip = commit_on(db, "feature/x-1", "work")
    with pytest.raises(UnmergedBranchError):
        db.delete_branch("feature/x-1", merged_into="main")
    db.rename_branch("feature/x-1", "topic")
    assert db.branches() == {"main": start, "topic": tip}
    assert db.working_set("topic").staged == db.read_commit(tip).root
    assert "workingSets/heads/feature/x-1" not in db.refs()
    db.delete_branch("topic", force=True, merged_into="main")
    assert db.branches() == {"main": start}
    assert not any(ref.startswith("workingSets/heads/topic") for ref in db.refs())
    with pytest.raises(BranchNotFoundError):
        db.delete_branch("topic")
    db.create_branch("b2", start)
    with pytest.raises(BranchExistsError):
        db.rename_branch("b2", "main")
    db.rename_branch("b2", "main", force=True)
    assert db.branches() == {"main": start}


@pytest.mark.parametrize(
    "name", ["", "has space", "a..b", "-lead", "trail/", "x.lock", "a//b", ".hidden", "a/.b", "HEAD", "t@{1}", "q?", "c:d", "tab\t"]
)
def test_bad_branch_names_are_refused(db: Database, name: str):
    with pytest.raises(InvalidRefNameError) as info:
        db.create_branch(name, db.head("main"))
    assert isinstance(info.value, RefError)


def test_fast_forward_and_set_head(db: Database):
    base = db.head("main")
    db.create_branch("ahead", base)
    tips = [commit_on(db, "ahead", f"a{i}") for i in range(3)]
    db.fast_forward("main", tips[-1])
    assert db.head("main") == tips[-1]
    # The clean working set followed the head.
    assert db.working_set("main").working == db.read_commit(tips[-1]).root
    db.create_branch("side", base)
    side = commit_on(db, "side", "s")
    with pytest.raises(NotFastForwardError):
        db.fast_forward("main", side)
    with pytest.raises(NotFastForwardError):
        db.set_head("main", base)  # would drop commits
    assert db.head("main") == tips[-1]
    db.set_head("main", base, force=True)
    assert db.head("main") == base
    # reset --soft left the working set; reset --hard resets it.
    assert db.working_set("main").working == db.read_commit(tips[-1]).root
    db.set_head("main", tips[0], force=True, reset_working=True)
    root = db.read_commit(tips[0]).root
    assert db.working_set("main") == WorkingSet(root, root)


def test_fast_forward_leaves_a_dirty_working_set(db: Database):
    db.create_branch("ahead", db.head("main"))
    tip = commit_on(db, "ahead", "a")
    ws = db.working_set("main")
    dirty = root_with(db, "uncommitted")
    db.set_working_set("main", dirty, ws.staged, ws)
    db.fast_forward("main", tip)
    assert db.head("main") == tip
    assert db.working_set("main").working == dirty


def test_tags_lightweight_and_annotated(db: Database):
    head = db.head("main")
    assert db.create_tag("light", head) == head
    annotated = db.create_tag("v1.0", head, message="first release", tagger="Ada", email="ada@x", timestamp=7)
    assert annotated != head and db.store.get(annotated)[:1] == chunk_kinds.TAG
    tag = db.read_tag(annotated)
    assert (tag.name, tag.commit, tag.message, tag.timestamp) == ("v1.0", head, "first release", 7)
    assert db.tags() == {"light": head, "v1.0": annotated}
    assert db.resolve_tag("v1.0") == head == db.resolve_tag("light")
    with pytest.raises(TagExistsError):
        db.create_tag("light", head)
    db.delete_tag("light")
    assert list(db.tags()) == ["v1.0"]
    with pytest.raises(TagNotFoundError):
        db.delete_tag("light")
    with pytest.raises(TagNotFoundError):
        db.resolve_tag("light")


# --- the commit graph ------------------------------------------------------------


def test_merge_base_fork_and_diamond(db: Database):
    o = raw_commit(db, [], "o")
    left, right = raw_commit(db, [o], "l"), raw_commit(db, [o], "r")
    merge = raw_commit(db, [left, right], "m")
    after_left = raw_commit(db, [left], "l2")
    assert db.merge_base(left, right) == o
    assert db.merge_base(merge, after_left) == left
    assert db.merge_base(merge, right) == right  # one is an ancestor of the other
    assert db.merge_base(merge, merge) == merge
    assert db.is_ancestor(o, merge) and db.is_ancestor(right, merge) and not db.is_ancestor(merge, right)
    assert not db.is_ancestor(after_left, merge)
    other_root = raw_commit(db, [], "unrelated")
    assert db.merge_base(merge, other_root) is None and db.merge_bases(merge, other_root) == []


def test_merge_bases_criss_cross(db: Database):
    o = raw_commit(db, [], "o")
    a1, b1 = raw_commit(db, [o], "a1"), raw_commit(db, [o], "b1")
    a2, b2 = raw_commit(db, [a1, b1], "a2"), raw_commit(db, [b1, a1], "b2")
    a3, b3 = raw_commit(db, [a2], "a3"), raw_commit(db, [b2], "b3")
    assert db.merge_bases(a3, b3) == sorted([a1, b1])
    assert db.merge_base(a3, b3) == min(a1, b1)
    assert db.merge_bases(b3, a3) == db.merge_bases(a3, b3)


def ancestors(db: Database, c: bytes) -> set[bytes]:
    out, stack = set(), [c]
    while stack:
        x = stack.pop()
        if x not in out:
            out.add(x)
            stack.extend(db.read_commit(x).parents)
    return out


@pytest.mark.parametrize("seed", range(6))
def test_graph_queries_match_brute_force_on_random_dags(db: Database, seed: int):
    rng = random.Random(seed)
    commits = [raw_commit(db, [], f"{seed}-root")]
    for i in range(40):
        if rng.random() < 0.1:
            parents = []  # another root: some pairs share no history
        else:
            parents = rng.sample(commits, k=min(len(commits), rng.choice([1, 1, 2, 3])))
        commits.append(raw_commit(db, parents, f"{seed}-{i}"))
    anc = {c: ancestors(db, c) for c in commits}
    for _ in range(60):
        a, b = rng.choice(commits), rng.choice(commits)
        assert db.is_ancestor(a, b) == (a in anc[b])
        common = anc[a] & anc[b]
        best = {c for c in common if not any(o != c and c in anc[o] for o in common)}
        assert set(db.merge_bases(a, b)) == best
    for start in rng.sample(commits, 5):
        order = [x for x, _ in db.log(start)]
        assert sorted(order) == sorted(anc[start])
        position = {x: i for i, x in enumerate(order)}
        assert all(position[p] > position[x] for x in order for p in db.read_commit(x).parents)
        assert order == [x for x, _ in db.log(start)]


def test_merge_commit_records_both_parents(db: Database):
    base = db.head("main")
    db.create_branch("f", base)
    f_tip = commit_on(db, "f", "feature")
    m_tip = commit_on(db, "main", "mainline")
    merged = commit_on(db, "main", "merged", parents_extra=[f_tip])
    commit = db.read_commit(merged)
    assert commit.parents == (m_tip, f_tip) and commit.height == 3 and commit.is_merge
    assert db.merge_base(merged, f_tip) == f_tip
    assert [a for a, _ in db.log(merged)][0] == merged


# --- working sets ------------------------------------------------------------------


def test_working_set_compare_and_swap(db: Database):
    ws = db.working_set("main")
    edited = root_with(db, "edit 1")
    db.set_working_set("main", edited, ws.staged, ws)
    assert db.working_set("main") == WorkingSet(edited, ws.staged)
    with pytest.raises(ConflictError) as info:
        db.set_working_set("main", root_with(db, "edit 2"), ws.staged, ws)  # stale expectation
    assert info.value.retryable
    assert db.working_set("main").working == edited
    db.set_working_set("main", ws.working, ws.staged, ANY)
    assert db.working_set("main") == ws


def test_working_set_of_a_branch_made_by_raw_ref_update(db: Database):
    head = db.head("main")
    db.update_refs({branch_ref("pulled"): (None, head)})
    root = db.read_commit(head).root
    ws = db.working_set("pulled")
    assert ws == WorkingSet(root, root)
    new = root_with(db, "w")
    db.set_working_set("pulled", new, root, ws)
    assert db.working_set("pulled").working == new
    with pytest.raises(BranchNotFoundError):
        db.working_set("absent")


def test_commit_moves_staged_and_keeps_unstaged_changes(db: Database):
    staged = root_with(db, "staged")
    unstaged = root_with(db, "staged+more")
    ws = db.working_set("main")
    merge = MergeState(db.head("main"), ws.working, "x")
    db.set_working_set("main", unstaged, staged, ws, merge_state=merge)
    c = db.commit("main", staged, message="partial", **AUTHOR)
    assert db.read_commit(c).root == staged
    assert db.working_set("main") == WorkingSet(unstaged, staged)  # merge state cleared
    # Committing everything: the working root follows.
    c2 = db.commit("main", unstaged, message="rest", **AUTHOR)
    assert db.working_set("main") == WorkingSet(unstaged, unstaged)
    assert db.read_commit(c2).parents == (c,)


# --- update_refs -------------------------------------------------------------------


def test_update_refs_checks_expected_values(db: Database):
    head = db.head("main")
    ref = branch_ref("main")
    other = commit_on(db, "main", "moved")
    with pytest.raises(RefConflictError) as info:
        db.update_refs({ref: (head, head)})
    assert info.value.ref == ref and info.value.actual == other and isinstance(info.value, ConflictError)
    with pytest.raises(ConflictError):
        db.update_refs({branch_ref("new"): (head, head)})  # expected present, is absent
    with pytest.raises(ChunkNotFoundError):
        db.update_refs({branch_ref("new"): (None, address_of(b"not stored"))})
    assert db.head("main") == other


class InterleavingStore(MemoryStore):
    """Runs ``before_commit`` (once) just before a compare-and-swap, to force a lost race."""

    before_commit = None

    def commit(self, new_root: bytes, expected_root: bytes) -> bool:
        hook, self.before_commit = self.before_commit, None
        if hook is not None:
            hook()
        return super().commit(new_root, expected_root)


def test_update_of_one_ref_retries_past_an_update_of_another():
    store = InterleavingStore()
    db = make_db(store)
    head = db.head("main")
    db.create_branch("b", head)
    tip_a = db.write_commit(Commit(root_with(db, "a"), (head,), "x", "x", 0, "a", 2))
    tip_b = db.write_commit(Commit(root_with(db, "b"), (head,), "x", "x", 0, "b", 2))
    store.before_commit = lambda: db.update_refs({branch_ref("b"): (head, tip_b)})
    commits_before = store.stats.commits
    db.update_refs({branch_ref("main"): (head, tip_a)})
    assert db.branches() == {"b": tip_b, "main": tip_a}
    assert store.stats.commits == commits_before + 2
    # The same interleaving on the *same* ref is a real conflict.
    store.before_commit = lambda: db.update_refs({branch_ref("b"): (tip_b, head)})
    with pytest.raises(RefConflictError):
        db.update_refs({branch_ref("b"): (tip_b, tip_a)})
    assert db.head("b") == head


def test_threads_committing_to_different_branches_all_succeed(db: Database):
    per_thread = 60
    names = ["t0", "t1", "t2"]
    for name in names:
        db.create_branch(name, db.head("main"))
    errors: list[BaseException] = []
    start = threading.Barrier(len(names))

    def work(name: str) -> None:
        try:
            start.wait()
            for i in range(per_thread):
                commit_on(db, name, f"{name}-{i}")
        except BaseException as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for name in names:
        head = db.head(name)
        assert db.read_commit(head).height == per_thread + 1
        assert [c.message for _, c in db.log(head, limit=2)] == [f"{name}-{per_thread - 1}", f"{name}-{per_thread - 2}"]


def test_ref_map_snapshot_is_immutable_and_sorted(db: Database):
    refs = db.refs()
    commit_on(db, "main", "later")
    assert refs != db.refs()
    assert list(db.refs()) == sorted(db.refs())
    assert to_text(refs[branch_ref("main")]) in repr(refs)
