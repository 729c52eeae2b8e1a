"""``grove remote / push / pull / fetch / clone / branch / backup``: the CLI side of remotes.

    grove remote [-v] | remote add NAME URL | remote remove NAME
    grove push [-f] [-u] [REMOTE [SRC[:DST] | :DST]]     (alone: the branch's upstream)
    grove pull [REMOTE [BRANCH]]
    grove fetch [--prune] [REMOTE [BRANCH...]]
    grove clone URL [DIR] [-b BRANCH] [--remote NAME]
    grove branch [-r | -a] | branch [-f] NAME [START] | branch -d|-D NAME... | branch -m|-c OLD NEW
    grove backup [-v] | backup add NAME URL | backup remove NAME | backup sync NAME
        | backup sync-url URL | backup restore URL NAME [--force]

Where each acts.  Whatever reads or moves the database's refs (push, pull,
fetch, branch, remote remove, backup sync) is a thin wrapper over the SQL
procedure of the same name (``sqlserver.engine.procedures``), run through
the same runner as ``grove sql``: through the ``grove sql-server`` that
holds the directory, else in-process.  So a pull into a served database is
done by the server, and its sessions see it.  ``remote add``, ``backup
add/remove`` and the listings only read or edit ``.grove/remotes.json``,
which is safe while a server runs.  ``clone`` and ``backup restore`` make a
new directory and never touch an existing database.

URLs are canonicalized here, before anything is sent to a server, so a
relative ``file://dir`` means the same place it means in the user's shell.

Progress (``cli_output.ProgressLine``) goes to stderr when the transfer runs
in this process; through a server, the server moves the chunks and the
command prints only its result.

Errors are one line, ``grove <command>: <why>``, exit status 1 (2 for usage).
"""

from __future__ import annotations

import os
import sys

from sqlserver.cli import CliError, _database_here, _Parser, _quote, _sql_runner
from sqlserver.cli_output import ProgressLine
from sqlserver.cli_sql import LocalSql, SqlFailure
from storage.errors import StorageError


def _canonical(command: str, url: str) -> str:
    from replication import BadRemoteURLError, parse_remote_url

    try:
        return str(parse_remote_url(url))
    except BadRemoteURLError as e:
        raise CliError(f"grove {command}: {e}") from None


def _call(command: str, procedure: str, args: list[str]) -> list[tuple]:
    """``CALL procedure(args)`` on the database here, through its server if one holds it; the rows."""
    path = _database_here()
    runner = _sql_runner(path)
    progress = ProgressLine()
    if isinstance(runner, LocalSql):
        runner.state.progress = progress
    try:
        (result,) = runner.run(f"CALL {procedure}(" + ", ".join(map(_quote, args)) + ")")
    except SqlFailure as e:
        raise CliError(f"grove {command}: {e.message}") from None
    finally:
        progress.close()
        runner.close()
    return list(getattr(result, "rows", None) or [])


def _query(runner, statement: str) -> list[tuple]:
    (result,) = runner.run(statement)
    return list(result.rows)


# --- remote, backup: the configuration -----------------------------------------------------------


def _remotes(kind: str):
    from replication.remotes import Remotes

    return Remotes(_database_here(), kind)


def _list(remotes, verbose: bool) -> None:
    for name, url in remotes.all().items():
        print(f"{name}\t{url}" if verbose else name)


def _add(command: str, remotes, name: str, url: str) -> None:
    from replication.errors import ReplicationError

    try:
        remotes.add(name, _canonical(command, url))
    except ReplicationError as e:
        raise CliError(f"grove {command}: {e}") from None


def _remove(command: str, remotes, name: str) -> None:
    if name not in remotes.all():
        raise CliError(f"grove {command}: unknown {remotes.word} '{name}'")
    remotes.remove(name)


def cmd_remote(args) -> int:
    remotes = _remotes("remotes")
    if args.action is None:
        _list(remotes, args.verbose)
    elif args.action == "add":
        _add("remote add", remotes, args.name, args.url)
    else:  # remove: the server (or this process) also drops the remote-tracking branches
        _call("remote remove", "dolt_remote", ["remove", args.name])
    return 0


def cmd_backup(args) -> int:
    if args.action == "restore":
        return _restore(args)
    backups = _remotes("backups")
    if args.action is None:
        _list(backups, args.verbose)
    elif args.action == "add":
        _add("backup add", backups, args.name, args.url)
    elif args.action == "remove":
        _remove("backup remove", backups, args.name)
    elif args.action == "sync":
        _call("backup sync", "dolt_backup", ["sync", args.name])
    else:
        _call("backup sync-url", "dolt_backup", ["sync-url", _canonical("backup sync-url", args.url)])
    return 0


def _restore(args) -> int:
    from sqlserver.cli_sql import InUse, server_for
    from sqlserver.databases import is_database_dir, restore_database_dir

    url = _canonical("backup restore", args.url)
    path = os.path.abspath(args.name)
    if os.path.lexists(path) and (not os.path.isdir(path) or os.listdir(path)):
        if not args.force:
            raise CliError(f"grove backup restore: {args.name} already exists and is not an empty directory "
                           "(--force replaces it)")
        if is_database_dir(path):
            try:
                info = server_for(path)
            except InUse as e:
                raise CliError(f"grove backup restore: {e}") from None
            if info is not None:
                raise CliError(f"grove backup restore: {path} is served by grove sql-server (pid "
                               f"{info.get('pid')}, port {info.get('port')}); stop it before replacing it")
    progress = ProgressLine()
    try:
        restore_database_dir(path, url, force=args.force, progress=progress)
    except StorageError as e:
        raise CliError(f"grove backup restore: {e}") from None
    finally:
        progress.close()
    print(f"Restored {url} into {args.name}")
    return 0


# --- push, pull, fetch --------------------------------------------------------------------------


def cmd_push(args) -> int:
    call = (["--force"] if args.force else []) + (["--set-upstream"] if args.set_upstream else [])
    call += [a for a in (args.remote, args.refspec) if a is not None]
    rows = _call("push", "dolt_push", call)
    if rows and rows[0][1]:
        print(rows[0][1])
    return 0


def cmd_pull(args) -> int:
    rows = _call("pull", "dolt_pull", [a for a in (args.remote, args.branch) if a is not None])
    if rows and rows[0][2]:
        print(rows[0][2])
    return 0


def cmd_fetch(args) -> int:
    call = (["--prune"] if args.prune else []) + ([args.remote] if args.remote else []) + list(args.branches)
    _call("fetch", "dolt_fetch", call)
    return 0


# --- clone --------------------------------------------------------------------------------------


def cmd_clone(args) -> int:
    from sqlserver.databases import clone_database_dir, default_clone_name

    url = _canonical("clone", args.url)
    directory = args.directory or default_clone_name(url)
    path = os.path.abspath(directory)
    if os.path.lexists(path) and (not os.path.isdir(path) or os.listdir(path)):
        raise CliError(f"grove clone: destination {directory} already exists and is not an empty directory")
    progress = ProgressLine()
    try:
        branch = clone_database_dir(path, url, branch=args.branch, remote=args.origin, progress=progress)
    except StorageError as e:
        raise CliError(f"grove clone: {e}") from None
    finally:
        progress.close()
    print(f"Cloned {url} into {directory} (branch {branch}, tracking {args.origin}/{branch})")
    return 0


# --- branch -------------------------------------------------------------------------------------


def cmd_branch(args) -> int:
    modes = [m for m in ("delete", "delete_force", "move", "copy") if getattr(args, m)]
    if len(modes) > 1:
        raise CliError("grove branch: -d/-D, -m and -c exclude each other", code=2)
    if modes:
        flag = {"delete": "-d", "delete_force": "-D", "move": "-m", "copy": "-c"}[modes[0]]
        wanted = (1, None) if modes[0].startswith("delete") else (2, 2)
        if len(args.names) < wanted[0] or (wanted[1] is not None and len(args.names) > wanted[1]):
            what = "NAME..." if wanted[1] is None else "OLD NEW"
            raise CliError(f"grove branch: {flag} takes {what} (see grove branch --help)", code=2)
        _call("branch", "dolt_branch", [flag] + (["--force"] if args.force else []) + list(args.names))
        return 0
    if args.names:
        if len(args.names) > 2:
            raise CliError("grove branch: takes NAME [START] (see grove branch --help)", code=2)
        _call("branch", "dolt_branch", (["--force"] if args.force else []) + list(args.names))
        return 0
    _list_branches(remote=args.remotes or args.all, local=not args.remotes)
    return 0


def _list_branches(*, remote: bool, local: bool) -> None:
    runner = _sql_runner(_database_here())
    try:
        try:
            current = _query(runner, "SELECT active_branch()")[0][0]
            names = [r[0] for r in _query(runner, "SELECT name FROM dolt_branches")] if local else []
            remotes = [r[0] for r in _query(runner, "SELECT name FROM dolt_remote_branches")] if remote else []
        except SqlFailure as e:
            raise CliError(f"grove branch: {e.message}") from None
    finally:
        runner.close()
    for name in names:
        sys.stdout.write(f"{'*' if name == current else ' '} {name}\n")
    for name in remotes:
        sys.stdout.write(f"  {name}\n")


# --- the parsers ------------------------------------------------------------------------------------


def add_parsers(sub) -> None:
    """Add this module's commands to ``grove``'s subcommand parsers."""
    s = sub.add_parser("remote", help="list, add and remove remotes",
                       description="Without arguments, list the remotes' names (-v: with URLs). URLs are "
                                   "file:///directory or aws://[table:bucket]/path.")
    s.add_argument("-v", "--verbose", action="store_true", help="show each remote's URL")
    s.set_defaults(func=cmd_remote, action=None)
    actions = s.add_subparsers(dest="action", metavar="<action>", parser_class=_Parser)
    a = actions.add_parser("add", help="add a remote", description="Add remote NAME at URL.")
    a.add_argument("name")
    a.add_argument("url")
    a = actions.add_parser("remove", aliases=["rm"], help="remove a remote",
                           description="Remove remote NAME and its remote-tracking branches.")
    a.add_argument("name")
    a.set_defaults(action="remove")

    s = sub.add_parser("push", help="send a branch to a remote",
                       description="Push local branch SRC to branch DST of REMOTE (SRC:DST; SRC alone means "
                                   "SRC:SRC; :DST deletes DST on the remote). Refused unless the remote branch "
                                   "is an ancestor of what is pushed (-f overrides). Without arguments: the "
                                   "current branch to its upstream.")
    s.add_argument("-f", "--force", action="store_true", help="overwrite the remote branch even if commits are lost")
    s.add_argument("-u", "--set-upstream", action="store_true",
                   help="make the remote branch the upstream of the local one (for push and pull alone)")
    s.add_argument("remote", nargs="?", help="the remote's name")
    s.add_argument("refspec", nargs="?", metavar="SRC[:DST]", help="what to push where (default: the current branch)")
    s.set_defaults(func=cmd_push)

    s = sub.add_parser("pull", help="fetch a remote branch and merge it into the current branch",
                       description="Fetch BRANCH of REMOTE (default: the current branch's upstream, else "
                                   "origin and the same name) and merge it into the current branch: a "
                                   "fast-forward, or a merge commit if both sides have new commits. A conflict "
                                   "changes nothing. Uncommitted changes stay, unless the pull changes the "
                                   "same tables.")
    s.add_argument("remote", nargs="?", help="the remote's name")
    s.add_argument("branch", nargs="?", help="the remote branch")
    s.set_defaults(func=cmd_pull)

    s = sub.add_parser("fetch", help="download a remote's branches",
                       description="Download the branches (and tags) of REMOTE (default origin) and move the "
                                   "remote-tracking branches (remotes/REMOTE/BRANCH); local branches stay.")
    s.add_argument("--prune", action="store_true", help="drop remote-tracking branches the remote no longer has")
    s.add_argument("remote", nargs="?", help="the remote's name (default: origin)")
    s.add_argument("branches", nargs="*", metavar="branch", help="only these branches")
    s.set_defaults(func=cmd_fetch)

    s = sub.add_parser("clone", help="copy a remote database into a new directory",
                       description="Make DIR (default: the last component of URL's path) a copy of the "
                                   "database at URL, with remote origin = URL. DIR must not exist or be empty; "
                                   "on failure nothing is left behind.")
    s.add_argument("url")
    s.add_argument("directory", nargs="?", metavar="DIR")
    s.add_argument("-b", "--branch", help="the branch to check out (default: main, else the first)")
    s.add_argument("--remote", dest="origin", default="origin", help="name of the remote (default: origin)")
    s.set_defaults(func=cmd_clone)

    s = sub.add_parser("branch", help="list, create and delete branches",
                       description="Without arguments, list the local branches (* marks the current one). "
                                   "NAME [START] creates a branch at START (default: the current branch's "
                                   "head; a branch, tag, commit or remotes/origin/x).")
    s.add_argument("-r", "--remotes", action="store_true", help="list the remote-tracking branches")
    s.add_argument("-a", "--all", action="store_true", help="list local and remote-tracking branches")
    s.add_argument("-d", "--delete", action="store_true", help="delete branches merged into the current one")
    s.add_argument("-D", dest="delete_force", action="store_true", help="delete branches, merged or not")
    s.add_argument("-m", "--move", action="store_true", help="rename branch OLD to NEW")
    s.add_argument("-c", "--copy", action="store_true", help="copy branch OLD to NEW")
    s.add_argument("-f", "--force", action="store_true", help="create, move or copy over an existing branch")
    s.add_argument("names", nargs="*", metavar="name")
    s.set_defaults(func=cmd_branch)

    s = sub.add_parser("backup", help="back up the whole database to a URL, and restore it",
                       description="A backup holds everything: every branch, working set and remote-tracking "
                                   "branch. Without arguments, list the backups' names (-v: with URLs).")
    s.add_argument("-v", "--verbose", action="store_true", help="show each backup's URL")
    s.set_defaults(func=cmd_backup, action=None)
    actions = s.add_subparsers(dest="action", metavar="<action>", parser_class=_Parser)
    a = actions.add_parser("add", help="add a backup", description="Add backup NAME at URL.")
    a.add_argument("name")
    a.add_argument("url")
    a = actions.add_parser("remove", aliases=["rm"], help="remove a backup", description="Forget backup NAME.")
    a.add_argument("name")
    a.set_defaults(action="remove")
    a = actions.add_parser("sync", help="update a backup", description="Make backup NAME hold this database.")
    a.add_argument("name")
    a = actions.add_parser("sync-url", help="update a backup at a URL",
                           description="Make the backup at URL hold this database.")
    a.add_argument("url")
    a = actions.add_parser("restore", help="make a database from a backup",
                           description="Make directory NAME (in the current directory) a database holding "
                                       "everything the backup at URL holds.")
    a.add_argument("url")
    a.add_argument("name")
    a.add_argument("--force", action="store_true", help="replace NAME if it exists (once the restore succeeded)")
