"""System variables: definitions, scopes, and how a session resolves a value.

Each variable has a default, a kind ('int', 'bool', 'str', 'enum:a,b'), and a
scope: 'both' (global default + per-session value), 'global' (server-wide
only) or 'session' (per session only).  Values a session reads come from, in
order (first one set wins):

1. the session's own ``SET [SESSION] x`` (scope both/session),
2. the server's ``SET GLOBAL x`` (``ServerVariables``, one per DatabaseProvider),
3. the current database's persisted value (``SET @@PERSIST.x``, stored by
   ``SqlDatabase.persist`` in that database's config; Grove persists per
   database because a database directory is what gets served and moved),
4. the default below.

Only names listed here exist; anything else is 1193, as in MySQL.  The list
covers what common clients query on connect (PyMySQL, mysql-connector,
the mariadb CLI, SQLAlchemy, JDBC) plus Dolt's and Grove's own.
"""

from __future__ import annotations

import socket
import weakref
from dataclasses import dataclass

from sqlserver.errors import SQLError

SERVER_VERSION = "8.0.33-grove"
DEFAULT_SQL_MODE = ("ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,"
                    "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION")


@dataclass(frozen=True)
class VarDef:
    name: str
    default: object
    kind: str = "str"  # int | bool | str | enum:<a,b,...>
    scope: str = "both"  # both | global | session
    read_only: bool = False


def _defs() -> dict[str, VarDef]:
    host = socket.gethostname()
    rows = [
        ("version", SERVER_VERSION, "str", "global", True),
        ("version_comment", "Grove versioned SQL server", "str", "global", True),
        ("version_compile_os", "Linux", "str", "global", True),
        ("version_compile_machine", "x86_64", "str", "global", True),
        ("protocol_version", 10, "int", "global", True),
        ("max_allowed_packet", 67108864, "int", "both", False),
        ("net_buffer_length", 16384, "int", "both", False),
        ("sql_mode", DEFAULT_SQL_MODE, "str", "both", False),
        ("autocommit", 1, "bool", "both", False),
        ("transaction_isolation", "REPEATABLE-READ",
         "enum:READ-UNCOMMITTED,READ-COMMITTED,REPEATABLE-READ,SERIALIZABLE", "both", False),
        ("tx_isolation", "REPEATABLE-READ",
         "enum:READ-UNCOMMITTED,READ-COMMITTED,REPEATABLE-READ,SERIALIZABLE", "both", False),
        ("transaction_read_only", 0, "bool", "both", False),
        ("tx_read_only", 0, "bool", "both", False),
        ("character_set_client", "utf8mb4", "str", "both", False),
        ("character_set_connection", "utf8mb4", "str", "both", False),
        ("character_set_results", "utf8mb4", "str", "both", False),
        ("character_set_server", "utf8mb4", "str", "both", False),
        ("character_set_database", "utf8mb4", "str", "both", False),
        ("character_set_system", "utf8mb3", "str", "global", True),
        ("collation_connection", "utf8mb4_0900_ai_ci", "str", "both", False),
        ("collation_server", "utf8mb4_0900_ai_ci", "str", "both", False),
        ("collation_database", "utf8mb4_0900_ai_ci", "str", "both", False),
        ("lower_case_table_names", 0, "int", "global", True),
        ("time_zone", "SYSTEM", "str", "both", False),
        ("system_time_zone", "UTC", "str", "global", True),
        ("read_only", 0, "bool", "global", False),
        ("super_read_only", 0, "bool", "global", False),
        ("port", 3306, "int", "global", True),
        ("hostname", host, "str", "global", True),
        ("server_id", 1, "int", "global", False),
        ("server_uuid", "00000000-0000-0000-0000-000000000001", "str", "global", True),
        ("auto_increment_increment", 1, "int", "both", False),
        ("auto_increment_offset", 1, "int", "both", False),
        ("automatic_sp_privileges", 1, "bool", "global", False),
        ("wait_timeout", 28800, "int", "both", False),
        ("interactive_timeout", 28800, "int", "both", False),
        ("net_write_timeout", 60, "int", "both", False),
        ("net_read_timeout", 30, "int", "both", False),
        ("connect_timeout", 10, "int", "global", False),
        ("license", "Apache-2.0", "str", "global", True),
        ("performance_schema", 0, "bool", "global", True),
        ("have_ssl", "DISABLED", "str", "global", True),
        ("init_connect", "", "str", "global", False),
        ("query_cache_size", 0, "int", "global", False),
        ("query_cache_type", "OFF", "str", "both", False),
        ("sql_select_limit", 18446744073709551615, "int", "both", False),
        ("sql_safe_updates", 0, "bool", "both", False),
        ("sql_auto_is_null", 0, "bool", "both", False),
        ("sql_notes", 1, "bool", "both", False),
        ("sql_warnings", 0, "bool", "both", False),
        ("foreign_key_checks", 1, "bool", "both", False),
        ("unique_checks", 1, "bool", "both", False),
        ("default_storage_engine", "InnoDB", "str", "both", False),
        ("storage_engine", "InnoDB", "str", "both", False),
        ("default_authentication_plugin", "mysql_native_password", "str", "global", True),
        ("max_connections", 151, "int", "global", False),
        ("max_execution_time", 0, "int", "both", False),
        ("div_precision_increment", 4, "int", "both", False),
        ("group_concat_max_len", 1024, "int", "both", False),
        ("cte_max_recursion_depth", 1000, "int", "both", False),
        ("explicit_defaults_for_timestamp", 1, "bool", "both", False),
        ("innodb_lock_wait_timeout", 50, "int", "both", False),
        ("lock_wait_timeout", 31536000, "int", "both", False),
        ("timestamp", 0, "int", "session", False),
        ("last_insert_id", 0, "int", "session", False),
        ("identity", 0, "int", "session", False),
        ("warning_count", 0, "int", "session", True),
        ("error_count", 0, "int", "session", True),
        ("pseudo_thread_id", 0, "int", "session", False),
        ("profiling", 0, "bool", "both", False),
        ("session_track_gtids", "OFF", "str", "both", False),
        ("session_track_schema", 1, "bool", "both", False),
        ("session_track_state_change", 0, "bool", "both", False),
        ("session_track_system_variables", "time_zone,autocommit,character_set_client,character_set_results,"
                                           "character_set_connection", "str", "both", False),
        ("session_track_transaction_info", "OFF", "str", "both", False),
        ("transaction_prealloc_size", 4096, "int", "both", False),
        ("dolt_transaction_commit", 0, "bool", "both", False),
        ("dolt_replicate_to_remote", "", "str", "both", False),
        ("dolt_read_replica_remote", "", "str", "both", False),
        ("dolt_replicate_all_heads", 0, "bool", "both", False),
        ("dolt_replicate_heads", "", "str", "both", False),
        ("dolt_async_replication", 0, "bool", "both", False),
        ("grove_read_replica_poll_ms", 200, "int", "both", False),
        ("grove_replication_timeout_ms", 2000, "int", "both", False),
    ]
    return {r[0]: VarDef(*r) for r in rows}


DEFINITIONS: dict[str, VarDef] = _defs()


def definition(name: str) -> VarDef:
    d = DEFINITIONS.get(name.lower())
    if d is None:
        raise SQLError.of("UNKNOWN_SYSTEM_VARIABLE", name)
    return d


def check_value(d: VarDef, value: object) -> object:
    """The stored form of ``value`` for variable ``d``; 1231/1232 when it does not fit (1298 for time_zone)."""
    if d.name == "time_zone":
        from sqlserver.engine import timezones

        timezones.zone(value)  # 1298 "Unknown or incorrect time zone" for anything it cannot use
    if d.kind == "bool":
        if isinstance(value, str):
            v = value.lower()
            if v in ("on", "true", "1"):
                return 1
            if v in ("off", "false", "0"):
                return 0
            raise SQLError.of("WRONG_VALUE_FOR_VAR", d.name, value)
        if value is None:
            raise SQLError.of("WRONG_VALUE_FOR_VAR", d.name, "NULL")
        if isinstance(value, (int, float)) and value in (0, 1):
            return int(value)
        raise SQLError.of("WRONG_VALUE_FOR_VAR", d.name, value)
    if d.kind == "int":
        if isinstance(value, bool) or isinstance(value, int):
            return int(value)
        if isinstance(value, float) or hasattr(value, "as_tuple"):
            raise SQLError.of("WRONG_TYPE_FOR_VAR", d.name)
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            return int(value)
        raise SQLError.of("WRONG_TYPE_FOR_VAR", d.name)
    if d.kind.startswith("enum:"):
        allowed = d.kind[5:].split(",")
        for a in allowed:
            if isinstance(value, str) and a.lower() == value.lower():
                return a
        raise SQLError.of("WRONG_VALUE_FOR_VAR", d.name, "NULL" if value is None else value)
    if value is None:
        if d.name.startswith(("dolt_", "grove_")):
            return ""
        raise SQLError.of("WRONG_VALUE_FOR_VAR", d.name, "NULL")
    if d.name == "sql_mode" and isinstance(value, str):
        return ",".join(p.strip().upper() for p in value.split(",") if p.strip())
    return value if isinstance(value, str) else str(value)


class ServerVariables:
    """Values set with SET GLOBAL, shared by every session of one provider."""

    def __init__(self):
        self.values: dict[str, object] = {}


_servers: "weakref.WeakKeyDictionary[object, ServerVariables]" = weakref.WeakKeyDictionary()


def server_variables(provider) -> ServerVariables:
    """The global variables of the server that owns ``provider``."""
    sv = _servers.get(provider)
    if sv is None:
        sv = _servers[provider] = ServerVariables()
    return sv
