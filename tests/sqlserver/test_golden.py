"""Runs every tests/sql/*.sql golden file in-process (see tests/sqlserver/golden.py for the format).

Each file gets a fresh data directory holding one database ``db`` and a
session already USE-ing it.  GROVE_GOLDEN_REWRITE=1 rewrites the expected
output from what the engine returns (comments and markers are kept); review
that diff like code: the expectations are what MySQL 8 answers, not whatever
we print (a record marked ``# grove-differs:`` keeps Grove's known-deviant answer,
its reason saying what MySQL 8 answers).  ``# mariadb-differs:`` / ``# grove-only:``
/ ``# grove-differs:`` markers only concern bench/golden_vs_mariadb.py: Grove must
match every expectation regardless.
"""

from __future__ import annotations

import os
import pathlib

import pytest

from sqlserver.databases import DatabaseProvider, init_database_dir
from sqlserver.engine import SessionState, execute_sync
from sqlserver.errors import SQLError
from tests.sqlserver.golden import parse_file, render_error, render_result

SQL_DIR = pathlib.Path(__file__).resolve().parent.parent / "sql"
FILES = sorted(SQL_DIR.glob("*.sql"))


def run_file(path: pathlib.Path, data_dir: str) -> tuple[list, list]:
    init_database_dir(os.path.join(data_dir, "db"))
    provider = DatabaseProvider(data_dir)
    try:
        state = SessionState(provider)
        execute_sync(state, "USE db")
        records = parse_file(path.read_text())
        actual = []
        for stmt, _ in records:
            try:
                results = execute_sync(state, stmt)
                out = []
                for r in results:
                    out += render_result(r)
            except SQLError as e:
                out = render_error(e)
            actual.append(out)
        return records, actual
    finally:
        provider.close()


def write_file(path: pathlib.Path, records, actual) -> None:
    """Rewrites ``path`` with ``actual`` as the expected output, keeping every comment line
    (the header, notes and the mariadb-differs / grove-only markers) where it was."""
    chunks = []
    for record, out in zip(records, actual):
        chunks.append("\n".join(record.comments + [record.stmt, "----"] + out))
    path.write_text("\n\n".join(chunks) + "\n")


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_golden(path, tmp_path):
    records, actual = run_file(path, str(tmp_path))
    if os.environ.get("GROVE_GOLDEN_REWRITE") == "1":
        write_file(path, records, actual)
        return
    for (stmt, expected), out in zip(records, actual):
        assert out == expected, f"{path.name}: {stmt}"
