"""Helpers shared by the CLI tests: result checks and a ``grove sql-server`` subprocess.

The ``home`` and ``grove`` fixtures are in this directory's ``conftest.py``.
"""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SERVER_START_TIMEOUT = 60  # seconds; start-up imports the engine, slow on a loaded 2-core CI machine


def ok(result) -> str:
    code, out, err = result
    assert (code, err) == (0, ""), err
    return out


def one_line_error(result, code: int = 1) -> str:
    """The stderr of a failed command, checked to be exactly one line and no traceback."""
    got_code, out, err = result
    assert got_code == code, (got_code, out, err)
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert "Traceback" not in err
    return err.rstrip("\n")


def env_for(home) -> dict:
    """The environment of a grove subprocess with ``home`` as its HOME and GROVE_HOME."""
    env = dict(os.environ, GROVE_HOME=str(home), HOME=str(home), PYTHONPATH=REPO)
    env.pop("GROVE_DEBUG", None)
    return env


class Server:
    """``grove sql-server --port 0`` in a subprocess; ``port`` is read from its start-up line."""

    def __init__(self, cwd, home):
        self.proc = subprocess.Popen([sys.executable, "-m", "sqlserver.cli", "sql-server", "--port", "0"],
                                     cwd=cwd, env=env_for(home), stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._drain, daemon=True).start()  # keeps the pipe from filling up
        self.port = self._wait_listening()

    def _drain(self) -> None:
        for line in self.proc.stderr:
            self.lines.put(line)
        self.lines.put(None)

    def _wait_listening(self) -> int:
        seen = []
        while True:
            line = self.lines.get(timeout=SERVER_START_TIMEOUT)
            if line is None:
                raise AssertionError(f"server exited before listening: {''.join(seen)}")
            seen.append(line)
            m = re.search(r"listening on [^ ]+:(\d+)", line)
            if m:
                return int(m.group(1))

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=30)
