"""fsck: is every chunk the database needs present and intact?

Three checks, reported together so one run shows all the damage:

1. **Presence.**  Walk everything reachable from the root (``storage.walk``),
   remembering for each chunk the first chunk that referred to it and how.
   A missing chunk is reported with that path in words, e.g.::

       missing chunk 5q1...: the primary index of table 'primes' in the root
       value of commit 0jv... (reached from refs/heads/main)

2. **Content.**  Each chunk read is hashed; a chunk whose SHA-256 prefix is
   not its address is damaged.  The walk does not descend into a damaged
   chunk (its references cannot be trusted), so damage is not also reported
   as a cascade of missing chunks.

3. **The store's own checks.**  A store that keeps per-record checksums
   (``DiskStore.verify_chunks()``) checks every record, reachable or not.

The walk is breadth first, so the path reported is a shortest one: a damaged
leaf is named through the newest commit that uses it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from storage import chunk_kinds
from storage.address import ZERO, address_of, to_text
from storage.errors import CorruptionError
from storage.walk import BATCH, labelled_children


@dataclass
class FsckReport:
    """The outcome: ``ok`` when no problem was found."""

    root: bytes
    chunks_checked: int = 0
    bytes_checked: int = 0
    missing: list[bytes] = field(default_factory=list)
    damaged: list[bytes] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def __str__(self) -> str:
        head = f"fsck: {self.chunks_checked} chunks, {self.bytes_checked} bytes checked: "
        if self.ok:
            return head + "ok"
        return head + f"{len(self.problems)} problem(s)\n" + "\n".join(self.problems)


class _Checker:
    def __init__(self, store, report: FsckReport):
        self.store = store
        self.report = report
        self.via: dict[bytes, tuple[bytes, str] | None] = {}  # chunk -> (first referrer, label)
        self.kinds: dict[bytes, bytes] = {}  # kind byte of each chunk read

    def damaged(self, address: bytes, why: str) -> None:
        if address not in self.report.damaged:
            self.report.damaged.append(address)
        self.report.problems.append(f"damaged chunk {to_text(address)}: {why}; {self.describe(address)}")

    def read_batch(self, part: list[bytes]) -> dict[bytes, bytes]:
        """Fetch ``part``; a store refusing a batch on a bad record is asked chunk by chunk."""
        try:
            return self.store.get_many(part)
        except CorruptionError:
            pass
        found = {}
        for address in part:
            try:
                data = self.store.get(address)
            except CorruptionError as e:
                self.damaged(address, f"the store cannot read it ({e})")
                continue
            if data is not None:
                found[address] = data
        return found

    def walk(self, root: bytes) -> None:
        report = self.report
        self.via[root] = None
        frontier = [root]
        while frontier:
            following = []
            for i in range(0, len(frontier), BATCH):
                part = frontier[i : i + BATCH]
                found = self.read_batch(part)
                for address in part:
                    data = found.get(address)
                    if data is None:
                        if address not in report.damaged:
                            report.missing.append(address)
                            report.problems.append(f"missing chunk {to_text(address)}: {self.describe(address)}")
                        continue
                    report.chunks_checked += 1
                    report.bytes_checked += len(data)
                    self.kinds[address] = data[:1]
                    actual = address_of(data)
                    if actual != address:
                        self.damaged(address, f"its bytes hash to {to_text(actual)}")
                        continue
                    try:
                        refs = labelled_children(data)
                    except CorruptionError as e:
                        self.damaged(address, f"undecodable ({e})")
                        continue
                    for label, child in refs:
                        if child not in self.via:
                            self.via[child] = (address, label)
                            following.append(child)
            frontier = following

    def describe(self, address: bytes) -> str:
        """How the walk reached ``address``, in words."""
        chain = []
        step = self.via.get(address)
        while step is not None:
            parent, label = step
            chain.append((label, parent, self.kinds.get(parent)))
            step = self.via.get(parent)
        if not chain:
            return "the database root"
        words = []
        i = 0
        if chain[0][2] == chunk_kinds.PROLLY_NODE:
            while i < len(chain) and chain[i][2] == chunk_kinds.PROLLY_NODE:
                i += 1
            words.append(f"a prolly node {i} level(s) under")
        ref = chain[-1][0] if chain[-1][2] == chunk_kinds.REF_MAP else None
        for label, parent, kind in chain[i:]:
            if kind == chunk_kinds.TABLE:
                words.append(f"the {label} of")
            elif kind == chunk_kinds.ROOT_VALUE:
                words.append(f"{label} in")
            elif kind in (chunk_kinds.COMMIT, chunk_kinds.TAG):
                noun = "commit" if kind == chunk_kinds.COMMIT else "tag"
                words.append(f"the {label} of {noun} {to_text(parent)}")
                if ref is not None:
                    words.append(f"(reached from {ref})")
                break
            elif kind == chunk_kinds.WORKING_SET:
                words.append(f"the {label} of")
            else:  # the ref map: the label is the ref name
                words.append(label)
                break
        return " ".join(words)


def fsck(store) -> FsckReport:
    """Check every chunk reachable from ``store``'s root, and the store's own checksums."""
    root = store.root()
    report = FsckReport(root)
    checker = _Checker(store, report)
    if root != ZERO:
        checker.walk(root)
    verify = getattr(store, "verify_chunks", None)
    if verify is not None:
        for address, problem in verify():
            if address is None or address == ZERO:  # a record too damaged to name its chunk
                report.problems.append(f"store: {problem}")
                continue
            if address not in report.damaged:
                report.damaged.append(address)
            where = checker.describe(address) if address in checker.via else "not reachable from the root"
            report.problems.append(f"store: chunk {to_text(address)}: {problem}; {where}")
    return report
