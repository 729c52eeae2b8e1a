"""sqllogictest's quick list (../shared/conformance) against a real Grove server, in CI.

The runner is the shared one (a MySQL-protocol client: PyMySQL), run as a
subprocess against an in-process server on a free port.  The pass rate must
not fall below ``FLOOR``: a ratchet, raised as the engine grows, towards
issue 6's bar of 98% (MariaDB: 99.99%).  The full subset is
``bench/sqllogictest_full.sh``, run by hand.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ServerThread

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONFORMANCE = os.path.join(os.path.dirname(REPO), "shared", "conformance")
FLOOR = 99.5  # percent of records (issue 6 asks >= 98); raise it whenever the engine passes more


@pytest.mark.skipif(not os.path.isdir(CONFORMANCE), reason=f"{CONFORMANCE} is not beside the repository")
def test_quick_list_pass_rate(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    server = ServerThread(str(data)).start()
    try:
        out = tmp_path / "slt.json"
        proc = subprocess.run(
            [sys.executable, os.path.join(CONFORMANCE, "slt_runner.py"), "--host", "127.0.0.1",
             "--port", str(server.port), "--user", "root", "--password", "", "--timeout", "10",
             "--max-seconds", "600", "--spread", "--no-fail-exit", "--json", str(out),
             "--filelist", os.path.join(CONFORMANCE, "sqllogictest", "quick.list")],
            capture_output=True, text=True, timeout=900)
        assert proc.returncode == 0, proc.stderr[-2000:]
        summary = json.loads(out.read_text())
    finally:
        server.stop()
    rate = summary["pass_rate_percent"]
    totals = summary["totals"]
    print(f"sqllogictest quick list: {rate:.2f}% ({totals})")
    assert totals["notrun"] == 0 and totals["timeouts"] == 0, totals
    assert rate >= FLOOR, f"pass rate {rate:.2f}% fell below the floor {FLOOR}%"
