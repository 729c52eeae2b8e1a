"""The database root (a ref map), working sets, ref names and ref errors.

The chunk store holds one mutable value, its root; for a Grove database that
root is the address of a REF_MAP chunk naming everything live::

    refs/heads/<branch>               -> commit          (a branch head)
    refs/tags/<tag>                   -> tag or commit   (annotated / lightweight)
    refs/remotes/<remote>/<branch>    -> commit          (remote-tracking branch)
    workingSets/heads/<branch>        -> WORKING_SET     (uncommitted state of a branch)

Moving any ref writes a new ref map and compare-and-swaps the store root to
it (``Database.update_refs``), so a set of ref changes is atomic.

Ref map layout (kind ``storage.chunk_kinds.REF_MAP``, canonical JSON, keys
sorted, so equal maps have equal addresses)::

    M {"refs/heads/main": "<address>", "workingSets/heads/main": "<address>", ...}

Working set layout (kind ``storage.chunk_kinds.WORKING_SET``)::

    W {"staged": "<address>",                root value that the next commit records
       "working": "<address>",               root value sessions read and write
       "merge": {                            present only during a conflicted merge
          "commit": "<address>",             the commit being merged in
          "pre_merge_working": "<address>",  working root before the merge started
          "source": "feature",               what the user asked to merge (text)
          "extra": {...}}}                   SQL-layer state (JSON values)

Name rules follow ``git check-ref-format`` closely enough that any name Grove
accepts is also a valid Git/Dolt ref component; ``validate_name`` says why a
name is refused.
"""

from __future__ import annotations

import functools

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Iterator, Mapping

from storage import chunk_kinds
from storage.address import ADDRESS_SIZE, address_of, from_text, to_text
from storage.errors import CorruptionError, RefError
from storage.schema import decode_chunk, encode_chunk

HEADS = "refs/heads/"
TAGS = "refs/tags/"
REMOTES = "refs/remotes/"
WORKING_SETS = "workingSets/heads/"

# --- errors -------------------------------------------------------------------


class InvalidRefNameError(RefError):
    """A branch, tag or remote name breaks the naming rules."""


class RefNotFoundError(RefError):
    """The named ref does not exist."""


class BranchNotFoundError(RefNotFoundError):
    pass


class TagNotFoundError(RefNotFoundError):
    pass


class RefExistsError(RefError):
    """A ref to be created exists already."""


class BranchExistsError(RefExistsError):
    pass


class TagExistsError(RefExistsError):
    pass


class NothingToCommitError(RefError):
    """A commit would record the same root value as its parent."""


class UnmergedBranchError(RefError):
    """Deleting a branch would lose commits no other branch contains."""


# --- names ----------------------------------------------------------------------

_FORBIDDEN_CHARS = frozenset(" ~^:?*[\\\x7f") | frozenset(chr(i) for i in range(32))
_RESERVED = frozenset({"HEAD", "@"})


def validate_name(name: str, what: str = "branch", *, allow_slash: bool = True) -> str:
    """Return ``name`` if it may name a branch/tag/remote, else raise InvalidRefNameError."""

    def bad(why: str) -> InvalidRefNameError:
        return InvalidRefNameError(f"invalid {what} name {name!r}: {why}")

    if not isinstance(name, str) or not name:
        raise bad("empty")
    if name in _RESERVED:
        raise bad("reserved name")
    bad_chars = sorted(set(name) & _FORBIDDEN_CHARS)
    if bad_chars:
        raise bad(f"contains {''.join(bad_chars)!r}")
    for seq in ("..", "@{", "//"):
        if seq in name:
            raise bad(f"contains {seq!r}")
    if "/" in name and not allow_slash:
        raise bad("contains '/'")
    if name.startswith(("-", "/")) or name.endswith(("/", ".", ".lock")):
        raise bad("bad first or last character")
    if any(part.startswith(".") for part in name.split("/")):
        raise bad("a component starts with '.'")
    return name


@functools.lru_cache(maxsize=1024)
def branch_ref(branch: str) -> str:
    return HEADS + validate_name(branch, "branch")


def tag_ref(tag: str) -> str:
    return TAGS + validate_name(tag, "tag")


def remote_ref(remote: str, branch: str) -> str:
    return f"{REMOTES}{validate_name(remote, 'remote', allow_slash=False)}/{validate_name(branch, 'branch')}"


@functools.lru_cache(maxsize=1024)
def working_set_ref(branch: str) -> str:
    return WORKING_SETS + validate_name(branch, "branch")


# --- the ref map ----------------------------------------------------------------


class RefMap(Mapping[str, bytes]):
    """An immutable snapshot: ref name -> address, iterated in sorted order."""

    __slots__ = ("_refs",)

    def __init__(self, refs: Mapping[str, bytes] | None = None):
        items = sorted((refs or {}).items())
        for name, address in items:
            if not isinstance(name, str) or not name or len(address) != ADDRESS_SIZE:
                raise ValueError(f"bad ref entry {name!r}")
        self._refs = dict(items)

    def __getitem__(self, name: str) -> bytes:
        return self._refs[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._refs)

    def __len__(self) -> int:
        return len(self._refs)

    def __repr__(self) -> str:
        return f"RefMap({ {k: to_text(v) for k, v in self._refs.items()} })"

    def with_changes(self, changes: Mapping[str, bytes | None]) -> RefMap:
        """A copy with each ref set to its new address (None deletes it)."""
        refs = dict(self._refs)
        for name, address in changes.items():
            if address is None:
                refs.pop(name, None)
            else:
                refs[name] = address
        return RefMap(refs)

    def _under(self, prefix: str) -> dict[str, bytes]:
        n = len(prefix)
        return {k[n:]: v for k, v in self._refs.items() if k.startswith(prefix)}

    def branches(self) -> dict[str, bytes]:
        """Branch name -> head commit."""
        return self._under(HEADS)

    def tags(self) -> dict[str, bytes]:
        """Tag name -> tag chunk (annotated) or commit (lightweight)."""
        return self._under(TAGS)

    def remote_branches(self) -> dict[str, bytes]:
        """``"<remote>/<branch>"`` -> commit."""
        return self._under(REMOTES)

    def working_sets(self) -> dict[str, bytes]:
        """Branch name -> working-set chunk."""
        return self._under(WORKING_SETS)

    def encode(self) -> bytes:
        return encode_chunk(chunk_kinds.REF_MAP, {k: to_text(v) for k, v in self._refs.items()})

    @classmethod
    def decode(cls, data: bytes) -> RefMap:
        j = decode_chunk(data, chunk_kinds.REF_MAP, "ref map")
        try:
            return cls({k: from_text(v) for k, v in j.items()})
        except (TypeError, ValueError, AttributeError) as e:
            raise CorruptionError(f"ref map: malformed chunk ({e})") from None


def ref_map_children(data: bytes) -> list[tuple[str, bytes]]:
    """(ref name, address) of every ref in a ref-map chunk, for walkers."""
    return list(RefMap.decode(data).items())


# --- working sets --------------------------------------------------------------


@dataclass(frozen=True)
class MergeState:
    """A merge in progress (stopped on conflicts): what is merged, and from where."""

    commit: bytes
    pre_merge_working: bytes
    source: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "extra", MappingProxyType(dict(sorted(self.extra.items()))))

    def to_json(self) -> dict[str, Any]:
        return {
            "commit": to_text(self.commit),
            "pre_merge_working": to_text(self.pre_merge_working),
            "source": self.source,
            "extra": dict(self.extra),
        }

    @classmethod
    def from_json(cls, j: Mapping[str, Any]) -> MergeState:
        return cls(from_text(j["commit"]), from_text(j["pre_merge_working"]), j["source"], j["extra"])


@dataclass(frozen=True)
class WorkingSet:
    """A branch's uncommitted state: working and staged root values."""

    working: bytes
    staged: bytes
    merge_state: MergeState | None = None

    def __post_init__(self) -> None:
        if len(self.working) != ADDRESS_SIZE or len(self.staged) != ADDRESS_SIZE:
            raise ValueError("working and staged must be 20-byte addresses")

    @property
    def address(self) -> bytes:
        """The address this working set has (or would have) as a chunk."""
        return address_of(self.encode())

    def encode(self) -> bytes:
        j: dict[str, Any] = {"working": to_text(self.working), "staged": to_text(self.staged)}
        if self.merge_state is not None:
            j["merge"] = self.merge_state.to_json()
        return encode_chunk(chunk_kinds.WORKING_SET, j)

    @classmethod
    def decode(cls, data: bytes) -> WorkingSet:
        j = decode_chunk(data, chunk_kinds.WORKING_SET, "working set")
        try:
            merge = j.get("merge")
            return cls(
                from_text(j["working"]),
                from_text(j["staged"]),
                None if merge is None else MergeState.from_json(merge),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            raise CorruptionError(f"working set: malformed chunk ({e})") from None


def working_set_children(data: bytes) -> list[tuple[str, bytes]]:
    """(label, address) of the root values and commit a working-set chunk refers to."""
    ws = WorkingSet.decode(data)
    out = [("working root", ws.working), ("staged root", ws.staged)]
    if ws.merge_state is not None:
        out.append(("commit being merged", ws.merge_state.commit))
        out.append(("pre-merge working root", ws.merge_state.pre_merge_working))
    return out
