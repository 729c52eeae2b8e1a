"""``grove``: the command line, following Dolt's command names.

    grove init                      make the current directory a database
    grove sql [-q SQL] [-r FORMAT]  run SQL (from -q, else stdin; a prompt on a terminal)
    grove sql-server                serve the databases of a directory over the MySQL protocol
    grove status / add / commit / log
    grove fsck                      check every chunk the database needs
    grove config                    user.name, user.email (--global or per database)
    grove remote / push / pull / fetch / clone / branch / backup   (cli_remotes)

Where a command acts.  A database is a directory holding ``.grove/``; every
command but init, sql-server, config, clone, backup restore and help acts on
the current directory's database, and says ``not a grove database: <dir>`` otherwise.
``grove sql`` also runs in a data directory whose subdirectories are
databases (no database selected: ``USE db``).

One process owns a database directory (the store's flock).  When a
``grove sql-server`` holds it, the commands that can be said in SQL go
through the server over the MySQL protocol (``cli_sql``): ``sql`` as is,
``add`` as ``CALL dolt_add``, ``commit`` as ``CALL dolt_commit``, ``log``
from ``dolt_log``, ``status`` from ``dolt_status`` if the server has it;
push, pull, fetch and branch as ``CALL dolt_push`` etc. (``cli_remotes``).
Whatever cannot (``fsck``, or ``status`` against a server without
``dolt_status``) stops with one line naming the server's pid and port.  The
CLI never opens a store behind a server's back; after the server dies (even
kill -9, which drops its flock) the commands work directly again.

``sql-server`` on a directory that neither is a database nor holds any
serves no databases yet, like Dolt: ``CREATE DATABASE x`` then makes the
database ``x`` as a subdirectory.  The directory is *not* made a database
itself, because a database directory holding other databases would mix one
database's files with a data directory's.  This is what ``./dev serve`` on
a fresh machine gives.

Errors are one line on stderr and a non-zero exit status: usage errors 2,
everything else 1.  SQL errors print as the MySQL client does
(``ERROR 1146 (42S02): Table 'db.t' doesn't exist``).  A bug prints one
line too; ``GROVE_DEBUG=1`` shows its traceback.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import sys

from sqlserver.cli_output import CommitText, format_commit, format_commit_oneline, format_result, format_status
from sqlserver.cli_sql import InUse, LocalSql, RemoteSql, SqlFailure, server_for
from sqlserver.databases import is_database_dir, sql_name
from storage.errors import StorageError, StoreLockedError


class CliError(Exception):
    """A user error: ``main`` prints it as one line and exits with ``code``."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (and the hint to --help), not usage + error."""

    def error(self, message: str):  # noqa: D102 - argparse's hook
        raise CliError(f"{self.prog}: {message} (see {self.prog} --help)", code=2)


# --- where a command acts ---------------------------------------------------------------------


def _database_here() -> str:
    cwd = os.getcwd()
    if not is_database_dir(cwd):
        raise CliError(f"not a grove database: {cwd}")
    return cwd


def _databases_under(path: str) -> list[str]:
    return [os.path.join(path, e) for e in sorted(os.listdir(path))
            if not e.startswith(".") and is_database_dir(os.path.join(path, e))]


def _server(path: str) -> dict | None:
    try:
        return server_for(path)
    except InUse as e:
        raise CliError(str(e)) from None


def _refuse(command: str, path: str, info: dict) -> CliError:
    return CliError(f"grove {command}: {path} is served by grove sql-server (pid {info.get('pid')}, "
                    f"port {info.get('port')}); {command} cannot run through it: stop the server first")


def _open_direct(path: str):
    """The database at ``path`` opened by this process (the caller checked no server holds it)."""
    from sqlserver.databases import SqlDatabase

    try:
        return SqlDatabase(sql_name(path), path)
    except StoreLockedError as e:  # lost a race with a server starting up
        raise CliError(str(e)) from None


def _quote(s: str) -> str:
    return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'"


# --- init, config ------------------------------------------------------------------------------


def cmd_init(args) -> int:
    from sqlserver.databases import init_database_dir

    cwd = os.getcwd()
    if is_database_dir(cwd):
        raise CliError(f"grove init: {cwd} is already a grove database")
    init_database_dir(cwd, branch=args.initial_branch)
    print(f"Successfully initialized grove database '{sql_name(cwd)}' in {cwd} (branch {args.initial_branch})")
    return 0


def cmd_config(args) -> int:
    from sqlserver import config

    def local_file():
        return config.ConfigFile(config.local_config_path(_database_here()))

    if args.is_global and args.is_local:
        raise CliError("grove config: --global and --local exclude each other", code=2)
    try:
        if args.is_global:
            files = [config.ConfigFile(config.global_config_path())]
        elif args.is_local:
            files = [local_file()]
        else:  # reading without a scope merges global and local, local winning, as commits see them
            files = [config.ConfigFile(config.global_config_path())]
            if is_database_dir(os.getcwd()):
                files.append(local_file())
    except ValueError as e:
        raise CliError(f"grove config: {e}") from None

    positional = list(args.rest)
    actions = sum(bool(x) for x in (args.list, args.get, args.add, args.unset, positional))
    if actions != 1 or len(positional) > 2:
        raise CliError("grove config: give exactly one of --list, --get KEY, --add KEY VALUE, --unset KEY, "
                       "KEY [VALUE] (see grove config --help)", code=2)
    if args.list:
        merged: dict = {}
        for f in files:
            merged.update(f.values)
        for key in sorted(merged):
            print(f"{key} = {merged[key]}")
        return 0
    if args.get or len(positional) == 1:
        key = args.get or positional[0]
        value = None
        for f in files:
            value = f.get(key, value)
        if value is None:
            return 1  # unset: no output, status 1 (as git config --get)
        print(value)
        return 0
    # writes need one scope: --global, else this database's file
    target = files[0] if args.is_global else local_file()
    if args.unset:
        if not target.unset(args.unset):
            raise CliError(f"grove config: {args.unset} is not set in {target.path}")
        return 0
    key, value = args.add or positional
    target.set(key, value)
    return 0


# --- sql ---------------------------------------------------------------------------------------


def _sql_runner(cwd: str):
    """The runner for ``grove sql`` here: through the server that holds it, else in-process."""
    if is_database_dir(cwd):
        paths, database = [cwd], sql_name(cwd)
    else:
        paths, database = _databases_under(cwd), None
        if not paths:
            raise CliError(f"not a grove database: {cwd} (and no database under it)")
    for attempt in range(2):
        for path in paths:
            try:
                info = server_for(path)
            except InUse as e:
                if database is None:
                    continue  # one busy database in a data dir: only USE of it fails
                raise CliError(str(e)) from None
            if info is not None:
                return RemoteSql(info, database)
        try:
            return LocalSql(cwd, database)
        except StoreLockedError as e:
            if attempt:  # a server started between the check and the open: look once more
                raise CliError(str(e)) from None
    raise AssertionError("unreachable")


def _run_text(runner, text: str, fmt: str, *, stop_on_error: bool = True) -> int:
    from sqlserver.engine.parser import split_statements

    statements = split_statements(text)
    if not statements:
        print(SqlFailure(1065, "42000", "Query was empty"), file=sys.stderr)
        return 1
    status = 0
    for statement in statements:
        try:
            results = runner.run(statement)
        except SqlFailure as e:
            sys.stdout.flush()
            print(e, file=sys.stderr, flush=True)
            status = 1
            if stop_on_error:
                return status
            continue
        for r in results:
            sys.stdout.write(format_result(r, fmt))
        sys.stdout.flush()
    return status


def _repl(runner, fmt: str) -> int:
    """A minimal prompt: statements end with ``;``; errors are printed and the session goes on."""
    buf: list[str] = []
    while True:
        prompt = f"{runner.current_db or 'grove'}> " if not buf else "    -> "
        try:
            line = input(prompt)
        except EOFError:
            print()
            return 0
        except KeyboardInterrupt:
            print()
            buf = []
            continue
        if not buf and line.strip().rstrip(";").lower() in ("exit", "quit", "\\q"):
            return 0
        buf.append(line)
        text = "\n".join(buf)
        if text.strip() and not text.rstrip().endswith(";"):
            continue
        buf = []
        if text.strip():
            _run_text(runner, text, fmt, stop_on_error=False)


def cmd_sql(args) -> int:
    runner = _sql_runner(os.getcwd())
    try:
        if args.query is not None:
            return _run_text(runner, args.query, args.result_format)
        if sys.stdin.isatty():
            return _repl(runner, args.result_format)
        return _run_text(runner, sys.stdin.read(), args.result_format)
    finally:
        runner.close()


def cmd_sql_server(args) -> int:
    from sqlserver import server

    data_dir = os.path.abspath(args.data_dir)
    if not os.path.isdir(data_dir):
        raise CliError(f"grove sql-server: data directory {data_dir} does not exist")
    if not is_database_dir(data_dir) and not _databases_under(data_dir):
        print(f"grove sql-server: {data_dir} holds no databases yet; CREATE DATABASE <name> makes one "
              "(a subdirectory)", file=sys.stderr, flush=True)
    return server.run(data_dir, args.host, args.port, read_only=args.read_only, busy_poll_us=args.busy_poll_us)


# --- versioning ----------------------------------------------------------------------------------


def _remote_sql(runner, statement: str):
    """One statement through the server; the result rows (None for OK results)."""
    (result,) = runner.run(statement)
    return getattr(result, "rows", None)


def _commit_from_row(row) -> CommitText:
    address, author, email, date, message = row
    ts = datetime.datetime.fromisoformat(date).replace(tzinfo=datetime.timezone.utc).timestamp()
    return CommitText(address, author, email, ts, message or "")


def _commit_text(db, address: bytes) -> CommitText:
    from storage.address import to_text

    c = db.read_commit(address)
    return CommitText(to_text(address), c.author, c.email, c.timestamp, c.message)


def _remote_branch(runner) -> str:
    try:
        return _remote_sql(runner, "SELECT active_branch()")[0][0] or "main"
    except SqlFailure:
        return "main"


def cmd_status(args) -> int:
    path = _database_here()
    info = _server(path)
    if info is not None:
        runner = RemoteSql(info, sql_name(path))
        try:
            try:
                rows = _remote_sql(runner, "SELECT table_name, staged, status FROM dolt_status")
            except SqlFailure as e:
                if e.errno == 1146:
                    raise _refuse("status", path, info) from None
                raise
            entries = [(t, str(staged) in ("1", "true", "True"), s) for t, staged, s in rows]
            sys.stdout.write(format_status(_remote_branch(runner), entries))
        finally:
            runner.close()
        return 0
    from sqlserver.engine import versioning

    sdb = _open_direct(path)
    try:
        sys.stdout.write(format_status(sdb.default_branch, versioning.status(sdb, None)))
    finally:
        sdb.close()
    return 0


def cmd_add(args) -> int:
    path = _database_here()
    info = _server(path)
    if info is not None:
        runner = RemoteSql(info, sql_name(path))
        try:
            _remote_sql(runner, "CALL dolt_add(" + ", ".join(_quote(t) for t in args.tables) + ")")
        finally:
            runner.close()
        return 0
    from sqlserver.engine import versioning

    sdb = _open_direct(path)
    try:
        ws = sdb.db.working_set(sdb.default_branch)
        known = set(sdb.db.read_root_value(ws.working).tables()) | set(sdb.db.read_root_value(ws.staged).tables())
        lowered = {t.lower() for t in known}
        for t in args.tables:
            if t != "." and t.lower() not in lowered:
                raise CliError(f"grove add: table '{t}' does not exist")
        versioning.add(sdb, None, args.tables)
    finally:
        sdb.close()
    return 0


_AUTHOR = re.compile(r"^\s*([^<>]*?)\s*<([^<>]*)>\s*$")
_NOTHING = "nothing to commit (stage tables with grove add, or use commit -a / -A)"


def cmd_commit(args) -> int:
    if not args.message:
        raise CliError("grove commit: a commit message is required (-m 'message')", code=2)
    author = None
    if args.author is not None:
        m = _AUTHOR.match(args.author)
        if not m or not m.group(1) or not m.group(2):
            raise CliError("grove commit: --author must look like 'Name <email>'", code=2)
        author = (m.group(1), m.group(2))
    path = _database_here()
    info = _server(path)
    if info is not None:
        call = ["-m", args.message]
        call += ["-A"] if args.all_including_new else []
        call += ["-a"] if args.all else []
        call += ["--author", f"{author[0]} <{author[1]}>"] if author else []
        call += ["--allow-empty"] if args.allow_empty else []
        runner = RemoteSql(info, sql_name(path))
        try:
            try:
                (address, *_), = _remote_sql(runner, "CALL dolt_commit(" + ", ".join(map(_quote, call)) + ")")
            except SqlFailure as e:
                if "nothing to commit" in e.message:
                    raise CliError(f"grove commit: {_NOTHING}") from None
                raise
            rows = _remote_sql(runner, "SELECT commit_hash, committer, email, date, message FROM dolt_log "
                                       f"WHERE commit_hash = {_quote(address)}")
            if rows:
                sys.stdout.write(format_commit(_commit_from_row(rows[0])))
        finally:
            runner.close()
        return 0
    from sqlserver.engine import versioning
    from storage.refs import NothingToCommitError

    sdb = _open_direct(path)
    try:
        try:
            address = versioning.commit(sdb, None, args.message, all=args.all,
                                        all_including_new=args.all_including_new, author=author,
                                        allow_empty=args.allow_empty)
        except NothingToCommitError:
            raise CliError(f"grove commit: {_NOTHING}") from None
        sys.stdout.write(format_commit(_commit_text(sdb.db, address)))
    finally:
        sdb.close()
    return 0


def cmd_log(args) -> int:
    if args.number is not None and args.number < 0:
        raise CliError("grove log: -n must be at least 0", code=2)
    path = _database_here()
    info = _server(path)
    if info is not None:
        runner = RemoteSql(info, sql_name(path))
        try:
            limit = f" LIMIT {args.number}" if args.number is not None else ""
            rows = _remote_sql(runner, "SELECT commit_hash, committer, email, date, message FROM dolt_log" + limit)
            commits, branch = [_commit_from_row(r) for r in rows], _remote_branch(runner)
        finally:
            runner.close()
    else:
        from sqlserver.engine import versioning
        from storage.address import to_text

        sdb = _open_direct(path)
        try:
            branch = sdb.default_branch
            commits = [CommitText(to_text(a), c.author, c.email, c.timestamp, c.message)
                       for a, c in versioning.log(sdb, None, args.number)]
        finally:
            sdb.close()
    show = format_commit_oneline if args.oneline else format_commit
    for i, c in enumerate(commits):
        sys.stdout.write(show(c, f"HEAD -> {branch}" if i == 0 else ""))
    return 0


def cmd_fsck(args) -> int:
    from storage.disk_store import DiskStore
    from storage.fsck import fsck

    path = _database_here()
    info = _server(path)
    if info is not None:
        raise _refuse("fsck", path, info)
    try:
        store = DiskStore.open(path, create=False)
    except StoreLockedError as e:
        raise CliError(str(e)) from None
    try:
        report = fsck(store)
    finally:
        store.close()
    print(report)
    return 0 if report.ok else 1


# --- the parser ----------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="grove", description="Grove: a versioned, MySQL-compatible SQL database.")
    p.add_argument("--version", action="version", version=f"grove {_version()}")
    sub = p.add_subparsers(dest="command", metavar="<command>", parser_class=_Parser)

    s = sub.add_parser("init", help="make the current directory a grove database",
                       description="Make the current directory an empty grove database (a .grove/ directory "
                                   "holding its store) with one commit on its first branch.")
    s.add_argument("-b", "--initial-branch", default="main", help="name of the first branch (default: main)")
    s.set_defaults(func=cmd_init)

    s = sub.add_parser("sql", help="run SQL against the database here",
                       description="Run SQL statements (separated by ';') against the database in the current "
                                   "directory, or, in a directory of databases, with none selected (USE db). "
                                   "If a grove sql-server holds the database, the statements go through it.")
    s.add_argument("-q", "--query", help="the statements to run; without -q they are read from stdin")
    s.add_argument("-r", "--result-format", choices=["table", "csv", "json"], default="table",
                   help="how result sets print (default: table)")
    s.set_defaults(func=cmd_sql)

    s = sub.add_parser("sql-server", help="serve databases over the MySQL protocol",
                       description="Serve the data directory over the MySQL protocol (user root, no password): "
                                   "the directory itself if it is a database, and every subdirectory that is "
                                   "one. A directory holding no databases is served empty; CREATE DATABASE "
                                   "makes databases in it.")
    s.add_argument("-H", "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    s.add_argument("-P", "--port", type=int, default=3306, help="port to listen on (default: 3306; 0: any free)")
    s.add_argument("--data-dir", default=".", help="directory to serve (default: the current directory)")
    s.add_argument("--read-only", action="store_true", help="refuse writes")
    s.add_argument("--busy-poll-us", type=int, default=200, metavar="US",
                   help="microseconds to poll the client sockets after each answer before sleeping: lower "
                        "latency for back-to-back commands at the cost of that much CPU (default: 200; 0: off)")
    s.set_defaults(func=cmd_sql_server)

    s = sub.add_parser("status", help="show changed tables",
                       description="Show tables that differ between the last commit, the staged root and the "
                                   "working root.")
    s.set_defaults(func=cmd_status)

    s = sub.add_parser("add", help="stage tables for the next commit",
                       description="Stage tables' working changes for the next commit; '.' stages every change.")
    s.add_argument("tables", nargs="+", metavar="table", help="table names, or . for all")
    s.set_defaults(func=cmd_add)

    s = sub.add_parser("commit", help="record staged changes as a commit",
                       description="Commit the staged tables. The author is --author, else user.name and "
                                   "user.email from grove config, else root <root@localhost>.")
    s.add_argument("-m", "--message", help="the commit message (required)")
    s.add_argument("-a", "--all", action="store_true", help="stage changed and deleted tables first (not new ones)")
    s.add_argument("-A", "--ALL", dest="all_including_new", action="store_true",
                   help="stage every change first, new tables included")
    s.add_argument("--author", help="'Name <email>' to record instead of the configured identity")
    s.add_argument("--allow-empty", action="store_true", help="commit even if nothing is staged")
    s.set_defaults(func=cmd_commit)

    s = sub.add_parser("log", help="show commits, newest first", description="Show the branch's commits, newest first.")
    s.add_argument("-n", "--number", type=int, help="show at most this many commits")
    s.add_argument("--oneline", action="store_true", help="one line per commit")
    s.set_defaults(func=cmd_log)

    s = sub.add_parser("fsck", help="check the database's chunks",
                       description="Check that every chunk the database needs is present and intact. "
                                   "Needs the store closed: refuses while a server holds it.")
    s.set_defaults(func=cmd_fsck)

    s = sub.add_parser("config", help="get and set user.name, user.email",
                       description="Read or write configuration: --global ($GROVE_HOME/config.json, default "
                                   "~/.grove/config.json) or --local (this database's .grove/config.json, the "
                                   "default for writes). Reads without a scope see local over global.")
    s.add_argument("--global", dest="is_global", action="store_true", help="the global config file")
    s.add_argument("--local", dest="is_local", action="store_true", help="this database's config file")
    s.add_argument("--list", action="store_true", help="print every key = value")
    s.add_argument("--get", metavar="KEY", help="print one value (exit status 1 if unset)")
    s.add_argument("--add", nargs=2, metavar=("KEY", "VALUE"), help="set a value")
    s.add_argument("--unset", metavar="KEY", help="remove a value")
    s.add_argument("rest", nargs="*", metavar="KEY [VALUE]", help="get KEY, or set it to VALUE")
    s.set_defaults(func=cmd_config)

    from sqlserver import cli_remotes  # imports this module: loaded once build_parser runs

    cli_remotes.add_parsers(sub)

    s = sub.add_parser("help", help="show help for a command", description="Show help for grove or one command.")
    s.add_argument("topic", nargs="?", help="a command")
    s.set_defaults(func=lambda args: _help(p, sub, args.topic))
    return p


def _help(parser, sub, topic: str | None) -> int:
    if topic is None:
        parser.print_help()
        return 0
    if topic not in sub.choices:
        raise CliError(f"grove help: unknown command '{topic}'", code=2)
    sub.choices[topic].print_help()
    return 0


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("grove")
    except Exception:  # noqa: BLE001 - not installed: running from a checkout
        return "dev"


def main(argv: list[str] | None = None) -> int:
    """Run one grove command; the process exit status."""
    parser = build_parser()
    try:
        args, extra = parser.parse_known_args(argv)
        if extra:
            where = f"grove {args.command}" if args.command else "grove"
            raise CliError(f"{where}: unrecognized arguments: {' '.join(extra)} (see {where} --help)", code=2)
        if args.command is None:
            parser.print_help()
            return 0
        return args.func(args)
    except CliError as e:
        print(e, file=sys.stderr)
        return e.code
    except SqlFailure as e:
        print(e, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # grove log | head
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keep the interpreter's exit flush quiet
        except OSError:
            pass
        return 0
    except (StorageError, OSError, ValueError) as e:
        if os.environ.get("GROVE_DEBUG"):
            raise
        print(f"grove: {e}", file=sys.stderr)
        return 1
    except Exception as e:  # noqa: BLE001 - a bug: still one line, the traceback on request
        if os.environ.get("GROVE_DEBUG"):
            raise
        print(f"grove: internal error: {type(e).__name__}: {e} (GROVE_DEBUG=1 shows the traceback)",
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    # ``python -m sqlserver.cli`` runs this file as __main__; delegate to the imported module so
    # that cli_remotes (which imports sqlserver.cli) raises the same CliError that main catches.
    from sqlserver.cli import main as _main

    sys.exit(_main())
