"""Issue 3's end-to-end test: the README's quick start, run from README.md itself.

The commands are not copied here: the test reads the fenced ``sh`` blocks
under ``## Quick start`` and runs them in order, as a user would, in a
temporary directory with a temporary HOME, so the README cannot drift from
what works.  Each line is a few ``&&``-joined commands:

* ``grove ...`` runs the real CLI in its own process
  (``python -m sqlserver.cli``, what the ``grove`` console script calls);
* ``grove sql-server`` starts in the background with ``--port 0`` added, and
  the port it reports replaces ``3306`` in the lines after it;
* ``mariadb ...`` runs Debian's MySQL client against that server;
* ``mkdir``/``cd`` act on the test's working directory; ``pip install`` is
  skipped (this checkout is what runs);
* ``$REMOTE`` and ``$BACKUP`` (issue 4's remote steps) become URLs the test
  chooses: ``remote_urls`` gives one set per kind of remote, file:// and
  aws:// (S3 and DynamoDB on a moto server), so the steps run against both.

Anything else in the block fails the test: a README step nobody runs is a
step that may not work.  A command passes if it exits 0 with nothing on
stderr but progress lines (a slow transfer reports itself).  Beyond each
command succeeding, the test checks what the tutorial promises: the commit
in ``grove log``, the untracked table in ``grove status``, row (7, 17)
through pymysql and mariadb; then 25 primes before the pull and 36 after it
(also in the server's own sessions), ``origin/new_branch`` after the fetch,
and the untracked table again in the database restored from the backup.
"""

from __future__ import annotations

import os
import queue
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading

import pymysql
import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
README = os.path.join(REPO, "README.md")
COMMAND_TIMEOUT = 120  # seconds for one CLI command; generous for a loaded 2-core CI machine
SERVER_START_TIMEOUT = 60
PRIMES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97]
MORE_PRIMES = [101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151]  # 26-36, inserted in the clone
PROGRESS = re.compile(r"^(?:\r?(?:Uploaded|Downloaded) [\d,]+ chunks, .*/s(?:\x1b\[K)?\n?)+$")
VARIABLE = re.compile(r"\$(\w+)|\$\{(\w+)\}")


def quick_start_lines(text: str) -> list[str]:
    """Shell lines of the fenced blocks in the ``## Quick start`` section (continuations joined)."""
    m = re.search(r"^## Quick start\n(.*?)(?=^## )", text, re.S | re.M)
    assert m, "README.md has no '## Quick start' section"
    lines = []
    for block in re.findall(r"^```(?:sh|bash|console)?\n(.*?)^```", m.group(1), re.S | re.M):
        pending = ""
        for raw in block.splitlines():
            if raw.rstrip().endswith("\\"):
                pending += raw.rstrip()[:-1] + " "
                continue
            line = (pending + raw).strip()
            pending = ""
            if line and not line.startswith("#"):
                lines.append(line)
    return lines


def commands(line: str) -> list[list[str]]:
    """``a && b`` -> [argv of a, argv of b]; comments dropped."""
    words = shlex.split(line, comments=True)
    out, cur = [], []
    for w in words:
        if w == "&&":
            out.append(cur)
            cur = []
        else:
            cur.append(w)
    if cur:
        out.append(cur)
    return out


class Tutorial:
    """Runs quick-start commands, remembering every grove command's output by its argv."""

    def __init__(self, root: str, home: str, variables: dict[str, str] | None = None):
        self.cwd = root
        self.variables = variables or {}
        self.env = dict(os.environ, HOME=home, PYTHONPATH=REPO)
        for var in ("GROVE_HOME", "GROVE_DEBUG"):
            self.env.pop(var, None)
        self.outputs: list[tuple[list[str], str]] = []
        self.server: subprocess.Popen | None = None
        self.server_lines: queue.Queue = queue.Queue()
        self.port: int | None = None

    def expand(self, word: str) -> str:
        def value(m: re.Match) -> str:
            name = m.group(1) or m.group(2)
            assert name in self.variables, f"README uses ${name}, which the tutorial test does not set"
            return self.variables[name]

        return VARIABLE.sub(value, word)

    def run(self, argv: list[str]) -> None:
        argv = [self.expand(a) for a in argv]
        prog, args = argv[0], argv[1:]
        if prog == "mkdir":
            for d in args:
                os.makedirs(os.path.join(self.cwd, d))
        elif prog == "cd":
            (d,) = args
            self.cwd = os.path.join(self.cwd, d)
        elif prog == "pip":
            pass  # the checkout under test is already importable
        elif prog == "grove" and args[:1] == ["sql-server"]:
            self.start_server(args)
        elif prog == "grove":
            self.check([sys.executable, "-m", "sqlserver.cli", *args], argv)
        elif prog == "mariadb":
            assert self.port is not None, "a mariadb line must come after grove sql-server"
            args = [str(self.port) if a == "3306" else a for a in args]
            self.check(["mariadb", *args], argv)
        else:
            raise AssertionError(f"README quick start has a command the tutorial test cannot run: {argv}")

    def check(self, cmd: list[str], argv: list[str]) -> None:
        proc = subprocess.run(cmd, cwd=self.cwd, env=self.env, capture_output=True, text=True,
                              timeout=COMMAND_TIMEOUT)
        quiet = proc.stderr == "" or PROGRESS.match(proc.stderr)
        assert proc.returncode == 0 and quiet, f"{argv} failed ({proc.returncode}): {proc.stderr}"
        self.outputs.append((argv, proc.stdout))

    def start_server(self, args: list[str]) -> None:
        assert "--port" not in args and "-P" not in args, "the test chooses the port"
        cmd = [sys.executable, "-m", "sqlserver.cli", *args, "--port", "0"]
        self.server = subprocess.Popen(cmd, cwd=self.cwd, env=self.env, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.PIPE, text=True)
        threading.Thread(target=self._drain, daemon=True).start()
        seen = []
        while self.port is None:
            line = self.server_lines.get(timeout=SERVER_START_TIMEOUT)
            assert line is not None, f"grove sql-server exited before listening: {''.join(seen)}"
            seen.append(line)
            m = re.search(r"listening on [^ ]+:(\d+)", line)
            if m:
                self.port = int(m.group(1))

    def _drain(self) -> None:
        for line in self.server.stderr:
            self.server_lines.put(line)
        self.server_lines.put(None)

    def outputs_of(self, *prefix: str) -> list[str]:
        """Outputs of every grove command whose arguments start with ``prefix``, in order."""
        return [out for argv, out in self.outputs if argv[0] == "grove" and argv[1:1 + len(prefix)] == list(prefix)]

    def output_of(self, *prefix: str) -> str:
        """Output of the last grove command whose arguments start with ``prefix``."""
        for argv, out in reversed(self.outputs):
            if argv[0] == "grove" and argv[1:1 + len(prefix)] == list(prefix):
                return out
        raise AssertionError(f"the quick start never runs grove {' '.join(prefix)}")

    def stop_server(self) -> int | None:
        if self.server is None:
            return None
        if self.server.poll() is None:
            self.server.send_signal(signal.SIGTERM)
        try:
            return self.server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.server.kill()
            self.server.wait()
            raise


def test_readme_quick_start_lines_are_the_tutorial():
    """The README keeps the tutorial's steps (what issue 3 specifies), so the run below tests them."""
    with open(README, encoding="utf-8") as f:
        lines = quick_start_lines(f.read())
    grove = [c for line in lines for c in commands(line) if c[0] == "grove"]
    assert ["grove", "init"] in grove
    assert ["grove", "sql", "-q", "create table primes (i int primary key, val int);"] in grove
    inserts = [c for c in grove if c[:3] == ["grove", "sql", "-q"] and c[3].lower().startswith("insert into primes")]
    assert len(inserts) == 2, "the 25 primes go in with one multi-row insert, 26-36 (in the clone) with another"
    rows = [tuple(map(int, r)) for r in re.findall(r"\((\d+)\s*,\s*(\d+)\)", inserts[0][3])]
    assert rows == list(enumerate(PRIMES, 1))
    assert ["grove", "commit", "-Am", "insert first 25 primes"] in grove
    assert ["grove", "log"] in grove and ["grove", "status"] in grove and ["grove", "sql-server"] in grove
    assert any(c[0] == "mkdir" and c[1:] == ["primes"] for line in lines for c in commands(line))

    # issue 4: remotes, in this order
    steps = [["grove", "remote", "add", "origin", "$REMOTE"], ["grove", "push", "origin", "main:main"],
             ["grove", "clone", "$REMOTE", "primes-copy"], ["grove", "commit", "-am", "insert primes 26-36"],
             ["grove", "push", "origin", "main:main"], ["grove", "pull", "origin", "main"],
             ["grove", "push", "origin", "main:new_branch"], ["grove", "fetch"], ["grove", "branch", "-r"],
             ["grove", "backup", "sync-url", "$BACKUP"], ["grove", "backup", "restore", "$BACKUP", "primes_restored"]]
    at = -1
    for step in steps:
        assert step in grove[at + 1:], f"README quick start lacks {' '.join(step)} (or has it out of order)"
        at = grove.index(step, at + 1)
    more = [c for c in grove if c[:3] == ["grove", "sql", "-q"] and c[3].lower().startswith("insert into primes")][1:]
    rows = [tuple(map(int, r)) for c in more for r in re.findall(r"\((\d+)\s*,\s*(\d+)\)", c[3])]
    assert rows == list(enumerate(MORE_PRIMES, 26))
    assert grove[-1] == ["grove", "status"]


@pytest.fixture(params=["file", "aws"])
def remote_urls(request, tmp_path) -> dict[str, str]:
    """What the README's $REMOTE and $BACKUP stand for: directories, or S3 + DynamoDB (a moto server,
    which ``aws_remote`` points the environment at, so the grove subprocesses reach it too)."""
    if request.param == "aws":
        aws = request.getfixturevalue("aws_remote")
        return {"REMOTE": aws.url("remotes/primes"), "BACKUP": aws.url("backups/primes")}
    return {"REMOTE": f"file://{tmp_path / 'remotes' / 'primes'}",
            "BACKUP": f"file://{tmp_path / 'backups' / 'primes'}"}


def _counts(outputs: list[str]) -> list[int]:
    """The number in each ``select count(*)`` table printed by grove sql."""
    return [int(re.search(r"^\|\s*(\d+)\s*\|$", out, re.M).group(1)) for out in outputs]


@pytest.mark.skipif(shutil.which("mariadb") is None, reason="Debian's mariadb-client is not installed")
def test_quick_start_from_the_readme(tmp_path, remote_urls):
    with open(README, encoding="utf-8") as f:
        lines = quick_start_lines(f.read())
    home = tmp_path / "home"
    home.mkdir()
    tutorial = Tutorial(str(tmp_path), str(home), remote_urls)
    primes = os.path.join(tmp_path, "primes")
    try:
        for line in lines:
            for argv in commands(line):
                tutorial.run(argv)

        assert os.path.isdir(os.path.join(primes, ".grove"))
        log = tutorial.output_of("log")
        assert re.search(r"^commit [0-9a-v]{32} \(HEAD -> main\)$", log, re.M)
        assert log.index("insert first 25 primes") < log.index("Initialize data repository")
        statuses = tutorial.outputs_of("status")
        assert os.path.basename(tutorial.cwd) == "primes_restored" and len(statuses) == 2
        for status in statuses:  # in primes, then in the database restored from the backup
            assert re.search(r"^Untracked tables:\n(?:  .*\n)?\tnew table:\s+uncommitted_table$", status, re.M), status

        # issue 4: the clone's commit arrives with the pull; fetch sees the pushed branch
        assert _counts(tutorial.outputs_of("sql", "-q", "select count(*) from primes")) == [25, 36]
        assert tutorial.output_of("branch", "-r").split() == ["remotes/origin/main", "remotes/origin/new_branch"]
        restored_log = subprocess.run([sys.executable, "-m", "sqlserver.cli", "log", "--oneline"], cwd=tutorial.cwd,
                                      env=tutorial.env, capture_output=True, text=True, timeout=COMMAND_TIMEOUT)
        assert "insert primes 26-36" in restored_log.stdout.splitlines()[0]
        if any(argv[:4] == ["grove", "config", "--global", "user.name"] for argv, _ in tutorial.outputs):
            name = next(argv[4] for argv, _ in tutorial.outputs if argv[:4] == ["grove", "config", "--global",
                                                                               "user.name"])
            assert f"Author: {name} <" in log  # the configured identity made the commit

        # the server serves the database: pymysql, and (if the README did not already) mariadb
        assert tutorial.port is not None, "the quick start never starts grove sql-server"
        conn = pymysql.connect(host="127.0.0.1", port=tutorial.port, user="root", password="")
        try:
            with conn.cursor() as cur:
                cur.execute("use primes")
                cur.execute("select * from primes where i = 7")
                assert cur.fetchall() == ((7, 17),)
                cur.execute("select count(*), sum(val) from primes")  # the server's sessions see the pull
                assert cur.fetchone() == (36, sum(PRIMES) + sum(MORE_PRIMES))
        finally:
            conn.close()
        proc = subprocess.run(["mariadb", "--host", "127.0.0.1", "--port", str(tutorial.port), "-u", "root",
                               "-e", "use primes; select * from primes where i = 7"],
                              capture_output=True, text=True, timeout=COMMAND_TIMEOUT, env=tutorial.env)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.splitlines() == ["i\tval", "7\t17"]
        readme_mariadb = [out for argv, out in tutorial.outputs if argv[0] == "mariadb"]
        assert all(out.splitlines() == ["i\tval", "7\t17"] for out in readme_mariadb)

        # while the server runs, grove sql in the directory goes through it
        proc = subprocess.run([sys.executable, "-m", "sqlserver.cli", "sql", "-r", "csv", "-q",
                               "select val from primes where i = 25"], cwd=primes, env=tutorial.env,
                              capture_output=True, text=True, timeout=COMMAND_TIMEOUT)
        assert (proc.returncode, proc.stdout, proc.stderr) == (0, "val\n97\n", "")
    finally:
        code = tutorial.stop_server()
    assert code == 0  # SIGTERM is Ctrl-C's clean shutdown
    assert not os.path.exists(os.path.join(primes, ".grove", "sql-server.json"))
