"""Configuration files: identity (user.name, user.email) and persisted variables.

Two JSON files, read at start and rewritten atomically on change:

* global: ``$GROVE_HOME/config.json`` (default ``~/.grove/config.json``):
  ``grove config --global user.name ...``;
* local: ``<database>/.grove/config.json``: ``grove config user.name ...``
  and ``SET @@persist.x = ...`` (under ``sqlserver.global.x``), which is why a
  persisted variable is neither versioned nor cloned.

Local values override global ones.  Commits never fail for lack of an
identity: ``identity()`` falls back to a default.
"""

from __future__ import annotations

import json
import os
import tempfile
from typing import Any

DEFAULT_NAME = "root"
DEFAULT_EMAIL = "root@localhost"
PERSIST_PREFIX = "sqlserver.global."


def global_config_path() -> str:
    home = os.environ.get("GROVE_HOME") or os.path.join(os.path.expanduser("~"), ".grove")
    return os.path.join(home, "config.json")


def local_config_path(db_path: str) -> str:
    return os.path.join(db_path, ".grove", "config.json")


class ConfigFile:
    """One JSON object of string keys, saved by atomic rename."""

    def __init__(self, path: str):
        self.path = path
        try:
            with open(path, encoding="utf-8") as f:
                self.values: dict[str, Any] = json.load(f)
        except FileNotFoundError:
            self.values = {}
        except (OSError, ValueError) as e:
            raise ValueError(f"cannot read config file {path}: {e}") from None

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def set(self, key: str, value: Any) -> None:
        self.values[key] = value
        self.save()

    def unset(self, key: str) -> bool:
        if key in self.values:
            del self.values[key]
            self.save()
            return True
        return False

    def save(self) -> None:
        directory = os.path.dirname(self.path)
        os.makedirs(directory, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".config-")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(self.values, f, indent=2, sort_keys=True)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)


def identity(db_path: str | None = None) -> tuple[str, str]:
    """(name, email) for commits: local config, then global, then the default."""
    files = [ConfigFile(global_config_path())]
    if db_path:
        files.append(ConfigFile(local_config_path(db_path)))
    name, email = DEFAULT_NAME, DEFAULT_EMAIL
    for f in files:
        name = f.get("user.name", name)
        email = f.get("user.email", email)
    return name, email


def persisted_variables(db_path: str) -> dict[str, Any]:
    """Variables set with ``SET @@persist.x`` in this database."""
    values = ConfigFile(local_config_path(db_path)).values
    return {k[len(PERSIST_PREFIX):]: v for k, v in values.items() if k.startswith(PERSIST_PREFIX)}


def persist_variable(db_path: str, name: str, value: Any) -> None:
    ConfigFile(local_config_path(db_path)).set(PERSIST_PREFIX + name.lower(), value)
