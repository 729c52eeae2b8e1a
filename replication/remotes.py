"""The remotes and backups a database knows, and branches' upstreams: ``.grove/remotes.json``.

Why a file of its own: remotes are per-directory settings, not versioned data
(a clone gets ``origin`` from the URL it was cloned from, not from the
source's settings), and the CLI must be able to change them while a server
holds the store.  Readers re-read the file on every use, so a server sees a
``grove remote add`` at once.

Layout (JSON, replaced atomically)::

    {"remotes":  {"origin": {"url": "aws://[t:b]/db"}},
     "backups":  {"nightly": {"url": "file:///srv/backups/db"}},
     "upstream": {"main": {"remote": "origin", "branch": "main"}}}
"""

from __future__ import annotations

import json
import os
import tempfile

from replication.errors import RemoteNotFoundError, ReplicationError
from replication.remote_url import parse_remote_url

FILE = "remotes.json"


class RemoteExistsError(ReplicationError):
    pass


class Remotes:
    """One database directory's remotes (``kind="remotes"``) or backups (``kind="backups"``)."""

    def __init__(self, db_path: str, kind: str = "remotes"):
        assert kind in ("remotes", "backups")
        self.path = os.path.join(db_path, ".grove", FILE)
        self.kind = kind
        self.word = "remote" if kind == "remotes" else "backup"

    def _read(self) -> dict:
        try:
            with open(self.path, encoding="utf-8") as f:
                return json.load(f)
        except FileNotFoundError:
            return {}

    def _write(self, data: dict) -> None:
        directory = os.path.dirname(self.path)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".remotes-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=2, sort_keys=True)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)

    def all(self) -> dict[str, str]:
        """name -> url, sorted by name."""
        return {n: v["url"] for n, v in sorted(self._read().get(self.kind, {}).items())}

    def url(self, name: str) -> str:
        found = self.all().get(name)
        if found is None:
            raise RemoteNotFoundError(name, f"unknown {self.word} '{name}'")
        return found

    def add(self, name: str, url: str) -> str:
        """Add ``name``; returns the canonical URL. Errors for a taken name or a bad URL."""
        if not name or "/" in name or name.startswith(".") or any(c.isspace() for c in name):
            raise ReplicationError(f"invalid {self.word} name '{name}'")
        canonical = str(parse_remote_url(url))
        data = self._read()
        entries = data.setdefault(self.kind, {})
        if name in entries:
            raise RemoteExistsError(f"{self.word} '{name}' already exists")
        entries[name] = {"url": canonical}
        self._write(data)
        return canonical

    def remove(self, name: str) -> None:
        data = self._read()
        if name not in data.get(self.kind, {}):
            raise RemoteNotFoundError(name, f"unknown {self.word} '{name}'")
        del data[self.kind][name]
        if self.kind == "remotes":
            data["upstream"] = {b: u for b, u in data.get("upstream", {}).items() if u.get("remote") != name}
        self._write(data)

    def set_upstream(self, branch: str, remote: str, remote_branch: str) -> None:
        data = self._read()
        data.setdefault("upstream", {})[branch] = {"remote": remote, "branch": remote_branch}
        self._write(data)

    def upstream(self, branch: str) -> tuple[str, str] | None:
        u = self._read().get("upstream", {}).get(branch)
        return (u["remote"], u["branch"]) if u else None
