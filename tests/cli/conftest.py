"""Fixtures of the CLI tests: a private HOME, and ``grove`` run in this process."""

from __future__ import annotations

import io
import sys

import pytest

from sqlserver import cli


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A private global config: commits must not pick up the developer's identity."""
    h = tmp_path / "home"
    monkeypatch.setenv("GROVE_HOME", str(h))
    monkeypatch.setenv("HOME", str(h))
    monkeypatch.delenv("GROVE_DEBUG", raising=False)
    return h


@pytest.fixture
def grove(home, capsys, monkeypatch):
    """``grove(*argv, cwd=..., stdin=...) -> (exit status, stdout, stderr)``, run in-process."""

    def run(*argv: str, cwd, stdin: str = ""):
        monkeypatch.chdir(cwd)
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        try:
            code = cli.main(list(argv))
        except SystemExit as e:  # argparse's --help and --version exit this way
            code = e.code
        out, err = capsys.readouterr()
        return code, out, err

    return run
