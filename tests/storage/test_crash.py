"""Kill a committing process at random moments; every acknowledged commit survives.

The child (``crash_child.py``) commits a chain of chunks back to back with a
small journal flush threshold, so kills land in appends, fsyncs, flushes and
conjoins alike.  After each SIGKILL the parent reopens the store and checks
that the root chain reaches every commit the child printed, that the chain
is whole down to the first commit, and that ``verify_chunks`` is clean.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time

from storage.address import ZERO
from storage.disk_store import DiskStore

CHILD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "crash_child.py")
KILLS = 50
FLUSH_BYTES = 8 << 10  # a flush every dozen or so commits


def walk_chain(store: DiskStore) -> list[int]:
    """Commit numbers from the root down to the first commit."""
    numbers = []
    node = store.root()
    while node != ZERO:
        data = store.get(node)
        assert data is not None, f"chain broken after commit {numbers[-1] if numbers else None}"
        _, n, parent, _ = data.split(b" ", 3)
        numbers.append(int(n))
        node = bytes.fromhex(parent.decode())
    return numbers


def test_sigkill_never_loses_an_acknowledged_commit(tmp_path):
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    acknowledged = -1
    for kill in range(KILLS):
        child = subprocess.Popen([sys.executable, CHILD, str(tmp_path), str(FLUSH_BYTES)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        first = child.stdout.readline()  # the child has committed at least once
        if not first:
            child.wait(timeout=10)
            raise AssertionError(f"child died (seed {seed}): {child.stderr.read().decode()}")
        time.sleep(rng.uniform(0, 0.04))
        child.kill()
        child.wait(timeout=10)
        out = first + child.stdout.read()
        child.stdout.close()
        child.stderr.close()
        done = [int(line) for line in out.split(b"\n")[:-1]]  # complete lines only
        assert done == list(range(acknowledged + 1, acknowledged + 1 + len(done))), f"seed {seed}"
        acknowledged = done[-1]

        with DiskStore.open(tmp_path) as store:
            chain = walk_chain(store)
            assert chain[0] >= acknowledged, f"kill {kill} (seed {seed}): lost commits"
            assert chain == list(range(chain[0], -1, -1)), f"kill {kill} (seed {seed})"
            assert store.verify_chunks() == [], f"kill {kill} (seed {seed})"
            assert sorted(os.listdir(tmp_path / ".grove" / "tables")) == sorted(store.table_files())
        acknowledged = chain[0]  # a commit may be durable without having been printed
