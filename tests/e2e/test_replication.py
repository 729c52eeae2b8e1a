"""Issue 5's end-to-end test: a writer and a read replica, run from README.md itself.

The commands are the ``~~~shell`` blocks of the README's "### Replication:
a writer and read replicas" section.  Tildes, not backticks: the section
sits inside "## Quick start", whose backtick blocks
``tests/e2e/test_tutorial.py`` runs as one session with one server (and it
takes any bare backtick fence line for an opening one); these blocks need
two servers.  Each block runs as the README says, in a terminal of its
own starting in the directory that holds ``primes``; ``$REMOTE`` is a
file:// or an aws:// (moto) URL holding the primes database (25 primes, one
commit, pushed here first).  The runner is the tutorial test's, plus:

* ``grove sql-server --port N`` starts a server with ``--port 0``; the port
  it reports replaces ``N`` in later ``mariadb -P N`` lines;
* ``NAME=$(command)`` runs the command and sets ``$NAME`` to its output;
* a ``mariadb`` line against a read replica that prints nothing is run
  again until it prints something (a bounded wait: a person typing the next
  line gives the replica its ~200 ms poll; the README's read-your-writes
  lines use ``grove_wait_for_commit`` instead).

Beyond each command succeeding, the test checks the rows each read shows,
then does the same through pymysql: an autocommit insert on the writer,
``dolt_hashof('HEAD')`` plus
``grove_wait_for_commit`` on the replica, then the row is there;
grove_replication_status on both sides; the replica refuses writes.

Faults (remote cut, kill -9 with pushes pending, two writers) are in
``tests/sqlserver/test_replication_faults.py``.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time

import pymysql
import pytest

from sqlserver import config
from sqlserver.databases import DatabaseProvider, init_database_dir
from tests.cli.helpers import Server
from tests.e2e.test_tutorial import PRIMES, README, Tutorial, commands, quick_start_lines, remote_urls  # noqa: F401

SECTION = "### Replication: a writer and read replicas"
CAPTURE = re.compile(r"^(\w+)=\$\((.*)\)$")
REPLICA_WAIT = 30.0  # seconds a replica read may take to show a row just written
WAIT_MS = 15000


def section_blocks(text: str, heading: str = SECTION, fence: str = "shell") -> list[list[str]]:
    """The shell lines of each ``~~~<fence>`` block under ``heading`` (up to the next heading of any level)."""
    m = re.search(rf"^{re.escape(heading)}\n(.*?)(?=^#)", text, re.S | re.M)
    assert m, f"README.md has no '{heading}' section"
    blocks = []
    for block in re.findall(rf"^~~~{fence}\n(.*?)^~~~", m.group(1), re.S | re.M):
        lines, pending = [], ""
        for raw in block.splitlines():
            if raw.rstrip().endswith("\\"):
                pending += raw.rstrip()[:-1] + " "
                continue
            line = (pending + raw).strip()
            pending = ""
            if line and not line.startswith("#"):
                lines.append(line)
        blocks.append(lines)
    return blocks


def line_commands(line: str) -> list[list[str]]:
    """``commands(line)``, looking inside ``NAME=$(...)``."""
    m = CAPTURE.match(line)
    return commands(m.group(2) if m else line)


class ReplicationTutorial(Tutorial):
    """The tutorial runner with several servers, port mapping and ``NAME=$(...)``."""

    def __init__(self, root: str, home: str, variables: dict[str, str]):
        super().__init__(root, home, variables)
        self.root = root
        self.home = home
        self.servers: dict[str, tuple[Server, str]] = {}  # README port -> (server, database directory)

    def run_block(self, lines: list[str]) -> None:
        self.cwd = self.root  # a terminal of its own, starting beside primes
        for line in lines:
            m = CAPTURE.match(line)
            if m:
                name, inner = m.groups()
                (argv,) = commands(inner)
                self.run(argv)
                self.variables[name] = self.outputs[-1][1].strip()
                continue
            for argv in commands(line):
                self.run(argv)

    def run(self, argv: list[str]) -> None:
        if argv[:2] == ["grove", "sql-server"]:
            rest = argv[2:]
            assert len(rest) == 2 and rest[0] == "--port", f"expected `grove sql-server --port N`: {argv}"
            assert rest[1] not in self.servers, f"two servers on port {rest[1]}"
            self.servers[rest[1]] = (Server(self.cwd, self.home), self.cwd)
        elif argv[0] == "mariadb":
            self.mariadb([self.expand(a) for a in argv])
        else:
            super().run(argv)

    def mariadb(self, argv: list[str]) -> None:
        at = argv.index("-P") + 1
        readme_port = argv[at]
        assert readme_port in self.servers, f"no server was started on port {readme_port}: {argv}"
        server, path = self.servers[readme_port]
        cmd = ["mariadb", *argv[1:at], str(server.port), *argv[at + 1:]]
        deadline = time.monotonic() + REPLICA_WAIT
        replica = bool(config.persisted_variables(path).get("dolt_read_replica_remote"))
        while True:
            self.check(cmd, argv)
            if not replica or self.outputs[-1][1] or time.monotonic() > deadline:
                return
            self.outputs.pop()
            time.sleep(0.05)  # poll interval of a bounded wait

    def mariadb_outputs(self, readme_port: str) -> list[str]:
        return [out for argv, out in self.outputs if argv[0] == "mariadb" and argv[argv.index("-P") + 1] == readme_port]

    def stop_servers(self) -> list[int]:
        codes = []
        for server, _ in self.servers.values():
            if server.proc.poll() is None:
                server.proc.send_signal(signal.SIGTERM)
            try:
                codes.append(server.proc.wait(timeout=30))
            except subprocess.TimeoutExpired:
                server.stop()
                raise
        return codes


def make_primes(path: str, url: str) -> None:
    """The quick start's primes database (25 primes, one commit) pushed to ``url`` as origin/main."""
    from sqlserver.engine import SessionState, execute_sync

    init_database_dir(path)
    provider = DatabaseProvider(path)
    try:
        state = SessionState(provider)
        state.current_db = provider.names()[0]
        values = ", ".join(f"({i}, {p})" for i, p in enumerate(PRIMES, 1))
        for statement in ("create table primes (i int primary key, val int)",
                          f"insert into primes values {values}",
                          "call dolt_commit('-Am', 'insert first 25 primes')",
                          f"call dolt_remote('add', 'origin', '{url}')",
                          "call dolt_push('origin', 'main')"):
            execute_sync(state, statement)
    finally:
        provider.close()


def test_readme_replication_section_has_the_scenario():
    """The README keeps issue 5's steps, so the run below tests them."""
    with open(README, encoding="utf-8") as f:
        text = f.read()
    blocks = section_blocks(text)
    tutorial = " ".join(quick_start_lines(text))
    assert "primes_writer" not in tutorial and "3308" not in tutorial  # the tutorial test must not run them
    runs = [c for block in blocks for line in block for c in line_commands(line)]
    grove = [c for c in runs if c[0] == "grove"]
    steps = [["grove", "clone", "$REMOTE", "primes_writer"],
             ["grove", "sql", "-q", "set @@persist.dolt_replicate_to_remote = origin"],
             ["grove", "sql", "-q", "set @@persist.dolt_transaction_commit = 1"],
             ["grove", "sql-server", "--port", "3307"],
             ["grove", "clone", "$REMOTE", "primes_reader"],
             ["grove", "sql", "-q", "set @@persist.dolt_replicate_all_heads = 1"],
             ["grove", "sql", "-q", "set @@persist.dolt_read_replica_remote = origin"],
             ["grove", "sql-server", "--port", "3308"]]
    at = -1
    for step in steps:
        assert step in grove[at + 1:], f"README replication section lacks {' '.join(step)} (or has it out of order)"
        at = grove.index(step, at + 1)
    mariadb = [c for c in runs if c[0] == "mariadb"]
    assert ["mariadb", "-h", "127.0.0.1", "-P", "3307", "-u", "root", "-e",
            "use primes_writer; insert into primes values (37, 157);"] in mariadb
    assert ["mariadb", "-h", "127.0.0.1", "-P", "3308", "-u", "root", "-e",
            "use primes_reader; select * from primes where i = 37;"] in mariadb
    text = " ".join(" ".join(c) for c in mariadb)
    assert "dolt_hashof('HEAD')" in text and "grove_wait_for_commit('$HEAD'" in text
    assert "grove_replication_status" in text


@pytest.mark.skipif(shutil.which("mariadb") is None, reason="Debian's mariadb-client is not installed")
def test_writer_and_read_replica_from_the_readme(tmp_path, remote_urls, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GROVE_HOME", str(home))
    monkeypatch.delenv("GROVE_DEBUG", raising=False)
    make_primes(str(tmp_path / "primes"), remote_urls["REMOTE"])
    with open(README, encoding="utf-8") as f:
        blocks = section_blocks(f.read())
    assert len(blocks) >= 4
    tutorial = ReplicationTutorial(str(tmp_path), str(home), dict(remote_urls))
    try:
        for block in blocks:
            tutorial.run_block(block)

        assert set(tutorial.servers) == {"3307", "3308"}
        (w_server, w_path), (r_server, r_path) = tutorial.servers["3307"], tutorial.servers["3308"]
        assert (os.path.basename(w_path), os.path.basename(r_path)) == ("primes_writer", "primes_reader")
        head = tutorial.variables["HEAD"]
        assert re.fullmatch(r"[0-9a-v]{32}", head), head
        reads = tutorial.mariadb_outputs("3308")
        assert [out.splitlines() for out in reads] == [["i\tval", "37\t157"],
                                                      ["status", "0", "i\tval", "38\t163"]]  # the call, the select
        writes = tutorial.mariadb_outputs("3307")
        assert writes[0] == ""  # the insert prints nothing
        assert writes[-1].splitlines() == ["role\tbranch\tstate\tlag_ms", "primary\tmain\tok\t0"]

        # the same through pymysql
        w = pymysql.connect(host="127.0.0.1", port=w_server.port, user="root", database="primes_writer",
                            autocommit=True, connect_timeout=10, read_timeout=60)
        r = pymysql.connect(host="127.0.0.1", port=r_server.port, user="root", database="primes_reader",
                            autocommit=True, connect_timeout=10, read_timeout=60)
        try:
            with w.cursor() as wc, r.cursor() as rc:
                wc.execute("insert into primes values (39, 167)")
                wc.execute("select dolt_hashof('HEAD')")
                (latest,), = wc.fetchall()
                assert latest != head
                rc.execute("call grove_wait_for_commit(%s, %s)", (latest, WAIT_MS))
                rc.execute("select * from primes where i >= 37 order by i")
                assert rc.fetchall() == ((37, 157), (38, 163), (39, 167))
                rc.execute("select count(*) from dolt_log")
                (n,), = rc.fetchall()
                assert n == 5  # init, 25 primes, and one commit per insert: each arrived as a commit

                columns = "role, remote, branch, local_head, remote_head, state, last_error"
                expected = (("primary", "origin", "main", latest, latest, "ok", None),)
                deadline = time.monotonic() + REPLICA_WAIT  # the replica has it: the writer is marking it pushed
                while True:
                    wc.execute(f"select {columns} from grove_replication_status")
                    got = wc.fetchall()
                    if got == expected or time.monotonic() > deadline:
                        break
                    time.sleep(0.02)  # poll interval of a bounded wait
                assert got == expected
                rc.execute(f"select {columns} from grove_replication_status where branch = 'main'")
                assert rc.fetchall() == (("replica", "origin", "main", latest, latest, "ok", None),)
                rc.execute("select @@read_only")
                assert rc.fetchall() == ((1,),)
                with pytest.raises(pymysql.err.OperationalError) as e:
                    rc.execute("insert into primes values (40, 173)")
                assert e.value.args[0] == 1290
        finally:
            w.close()
            r.close()
    finally:
        codes = tutorial.stop_servers()
    assert codes == [0, 0]  # SIGTERM is Ctrl-C's clean shutdown
