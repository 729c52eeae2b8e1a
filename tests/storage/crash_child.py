"""Child process for test_crash: commit back to back until killed.

Usage: python crash_child.py <database dir> <journal_flush_bytes>

Each commit puts one chunk ``commit <n> <parent hex> <padding>`` and moves
the root to it; after ``commit`` returns it prints ``n`` and flushes stdout,
so every number printed is a commit the store promised was durable.  It
continues the chain it finds, so a store is reopened after every kill.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

from storage.address import ZERO  # noqa: E402
from storage.disk_store import DiskStore  # noqa: E402


def main() -> None:
    path, flush_bytes = sys.argv[1], int(sys.argv[2])
    store = DiskStore.open(path, journal_flush_bytes=flush_bytes)
    root = store.root()
    n = 0 if root == ZERO else int(store.get(root).split(b" ")[1]) + 1
    while True:
        data = b"commit %d %s " % (n, root.hex().encode()) + os.urandom(8).hex().encode() * (n % 40)
        address = store.put(data)
        if not store.commit(address, root):
            sys.exit("compare-and-swap failed with no other writer")
        root = address
        sys.stdout.write(f"{n}\n")
        sys.stdout.flush()
        n += 1


if __name__ == "__main__":
    main()
