"""information_schema: MySQL 8's catalog views, computed from the real schemas at execution time.

Clients, ORMs and tools learn what a server holds by reading
``information_schema`` (SQLAlchemy's reflection, the mariadb CLI's tab
completion, GUI browsers) and by SHOW statements.  Grove stores no catalog
tables: each information_schema table here is a name, its columns in MySQL
8's order with MySQL 8's upper-case names, and a function that makes its
rows when a statement reads it.  The rows come from every database the
session can see, read through the session's own transactions
(``SessionState.transaction``), so a session sees its own uncommitted DDL,
as in MySQL.

How a statement reaches these tables (the only routing there is)::

    FROM information_schema.tables          USE information_schema; FROM tables
              |                                        |
    planner.table_ref -> _Catalog.system_table(name, db)   (db, else current db,
              |              is information_schema: ``columns(name)``; an unknown
              |              name is 1109)
    plan: SystemScan(name, db) -> executor -> system_tables.rows -> ``rows(name, ctx)``

To the planner they are ordinary tables: WHERE, joins, ORDER BY and
aggregates all work; nothing is pushed down (the catalog is small).

The SHOW statements that describe tables (SHOW COLUMNS, SHOW INDEX, SHOW
TABLE STATUS, SHOW COLLATION, ...) use the same row makers, so a SHOW and the
matching information_schema query cannot disagree.

information_schema is read-only: any write or DDL into it is 1044
(``ACCESS_DENIED``), as MySQL answers.  Sizes (DATA_LENGTH, INDEX_LENGTH,
...) are 0 and CREATE_TIME NULL: Grove does not track them; TABLE_ROWS and
CARDINALITY are exact row counts (MySQL's are estimates).
"""

from __future__ import annotations

import time

from sqlserver.sqltypes import SqlType
from sqlserver.errors import SQLError
from storage.collation import DEFAULT_COLLATION

NAME = "information_schema"
CATALOG = "def"
_HIDDEN_PK = "__grove_row_id"  # planner.HIDDEN_PK (not imported: the planner imports the driver's catalog)

# Identifier columns compare case-insensitively (MySQL 8 uses utf8mb3_tolower_ci where names are
# case-insensitive; ai_ci is the nearest collation Grove has).
_ID = SqlType("varchar", length=64, collation=DEFAULT_COLLATION)
_S = lambda n: SqlType("varchar", length=n, collation=DEFAULT_COLLATION)  # noqa: E731
_LONG = SqlType("longtext", length=4294967295, collation=DEFAULT_COLLATION)
_INT = SqlType("int")
_UINT = SqlType("int", unsigned=True)
_UBIG = SqlType("bigint", unsigned=True)
_BIG = SqlType("bigint")
_DT = SqlType("datetime")

ACCESS_DENIED = "Access denied for user 'root'@'localhost' to database 'information_schema'"


def is_schema(db: str | None) -> bool:
    """Is ``db`` (any case) information_schema?"""
    return db is not None and db.lower() == NAME


def access_denied() -> SQLError:
    """MySQL's error for a write or DDL aimed at information_schema."""
    return SQLError(1044, "42000", ACCESS_DENIED)


def unknown_table(name: str) -> SQLError:
    return SQLError(1109, "42S02", f"Unknown table '{name}' in information_schema")


# --- supported character sets and collations (MySQL 8 ids) ------------------------------------------

# (collation, character set, id, is default, sortlen, pad attribute)
COLLATIONS = (
    ("binary", "binary", 63, "Yes", 1, "NO PAD"),
    ("utf8mb4_0900_ai_ci", "utf8mb4", 255, "Yes", 0, "NO PAD"),
    ("utf8mb4_0900_as_cs", "utf8mb4", 278, "", 0, "NO PAD"),
    ("utf8mb4_bin", "utf8mb4", 46, "", 1, "PAD SPACE"),
)
# (character set, default collation, description, maxlen)
CHARACTER_SETS = (
    ("binary", "binary", "Binary pseudo charset", 1),
    ("utf8mb4", "utf8mb4_0900_ai_ci", "UTF-8 Unicode", 4),
)
ENGINES = (("InnoDB", "DEFAULT", "Grove prolly-tree storage: transactions, savepoints, versioning", "YES", "NO",
            "YES"),)


def charset_of(collation: str | None) -> str | None:
    for name, cs, *_ in COLLATIONS:
        if name == collation:
            return cs
    return None


# --- column metadata ----------------------------------------------------------------------------------

_INT_PRECISION = {"tinyint": (3, 3), "smallint": (5, 5), "mediumint": (7, 8), "int": (10, 10), "bigint": (19, 20)}
_TEXTLIKE = ("char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set")
_NO_DEFAULT_TYPES = ("tinytext", "text", "mediumtext", "longtext", "tinyblob", "blob", "mediumblob", "longblob",
                     "json")


def column_type(col) -> SqlType:
    return SqlType.parse(col.sql_type, col.collation)


def default_text(col, t: SqlType) -> str | None:
    """COLUMN_DEFAULT / SHOW COLUMNS' Default: the value as text, CURRENT_TIMESTAMP as written, else NULL."""
    from sqlserver.engine.ddl import default_value

    d = col.default
    if d is None or d.upper() == "NULL":
        return None
    if d.upper().startswith("CURRENT_TIMESTAMP"):
        return d
    if t.name in _TEXTLIKE or t.collation is not None:
        v = default_value(d, SqlType("longtext", length=4294967295, collation=DEFAULT_COLLATION))
    else:
        v = default_value(d, t)
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    return None if v is None else str(v)


def extra_text(col) -> str:
    """EXTRA / SHOW COLUMNS' Extra, as MySQL 8 words it."""
    parts = []
    if col.auto_increment:
        parts.append("auto_increment")
    d = col.default
    if d is not None and d.upper() != "NULL" and d.upper().startswith("CURRENT_TIMESTAMP"):
        parts.append("DEFAULT_GENERATED")
    if col.on_update:
        parts.append(f"on update {col.on_update}")
    return " ".join(parts)


def key_kinds(schema) -> dict[str, str]:
    """COLUMN_KEY per lower-cased column name: PRI, UNI or MUL (MySQL's precedence, first columns only).

    Without a primary key, the first UNIQUE index over NOT NULL columns is what InnoDB clusters
    on, and MySQL shows its columns as PRI.
    """
    out: dict[str, str] = {}
    pk = [c for c in schema.primary_key if c != _HIDDEN_PK]
    if not pk:
        for ix in ordered_indexes(schema):
            if ix.unique and all(not schema.column(c).nullable for c in ix.columns) \
                    and all(n is None for n in ix.prefix_lengths):
                pk = list(ix.columns)
                break
    for c in pk:
        out[c.lower()] = "PRI"
    for ix in schema.indexes:
        first = ix.columns[0].lower()
        if first in out:
            continue
        out[first] = "UNI" if ix.unique and len(ix.columns) == 1 else "MUL"
    for ix in schema.indexes:  # UNI outranks MUL wherever the column is first
        first = ix.columns[0].lower()
        if ix.unique and len(ix.columns) == 1 and out.get(first) == "MUL":
            out[first] = "UNI"
    return out


def ordered_indexes(schema):
    """Secondary indexes in MySQL's key order: UNIQUE over NOT NULL columns, other UNIQUE, the rest."""
    def rank(ix):
        if not ix.unique:
            return 2
        return 1 if any(schema.column(c).nullable for c in ix.columns) else 0
    return sorted(schema.indexes, key=rank)


def column_rows(schema):
    """(Column, SqlType, ordinal, key, default, extra) for each visible column, in order."""
    keys = key_kinds(schema)
    n = 0
    for c in schema.columns:
        if c.name == _HIDDEN_PK:
            continue
        n += 1
        t = column_type(c)
        yield c, t, n, keys.get(c.name.lower(), ""), default_text(c, t), extra_text(c)


def _lengths(t: SqlType):
    """(CHARACTER_MAXIMUM_LENGTH, CHARACTER_OCTET_LENGTH) of a type."""
    n = t.name
    if n in ("char", "varchar"):
        return t.length, t.length * 4
    if n in ("binary", "varbinary"):
        return t.length, t.length
    if n in ("tinytext", "text", "mediumtext", "longtext", "tinyblob", "blob", "mediumblob", "longblob"):
        return t.length, t.length
    if n == "enum":
        m = max((len(v) for v in t.values), default=0)
        return m, m * 4
    if n == "set":
        m = sum(len(v) for v in t.values) + max(len(t.values) - 1, 0)
        return m, m * 4
    return None, None


def _numeric(t: SqlType):
    """(NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION)."""
    n = t.name
    if n in _INT_PRECISION:
        return _INT_PRECISION[n][1 if t.unsigned else 0], 0, None
    if n == "decimal":
        return t.precision, t.scale, None
    if n == "float":
        return 12, None, None
    if n == "double":
        return 22, None, None
    if n == "bit":
        return t.length, None, None
    if n in ("time", "datetime", "timestamp"):
        return None, None, t.fsp
    return None, None, None


# --- the tables: columns -------------------------------------------------------------------------------

def _cols(spec: str, types: dict | None = None) -> list[tuple[str, SqlType]]:
    return [(n, (types or {}).get(n, _S(64))) for n in spec.split()]


TABLES: dict[str, list[tuple[str, SqlType]]] = {
    "schemata": _cols("CATALOG_NAME SCHEMA_NAME DEFAULT_CHARACTER_SET_NAME DEFAULT_COLLATION_NAME SQL_PATH "
                      "DEFAULT_ENCRYPTION", {"SQL_PATH": _S(512), "DEFAULT_ENCRYPTION": _S(3)}),
    "tables": _cols("TABLE_CATALOG TABLE_SCHEMA TABLE_NAME TABLE_TYPE ENGINE VERSION ROW_FORMAT TABLE_ROWS "
                    "AVG_ROW_LENGTH DATA_LENGTH MAX_DATA_LENGTH INDEX_LENGTH DATA_FREE AUTO_INCREMENT CREATE_TIME "
                    "UPDATE_TIME CHECK_TIME TABLE_COLLATION CHECKSUM CREATE_OPTIONS TABLE_COMMENT",
                    {"VERSION": _INT, "TABLE_ROWS": _UBIG, "AVG_ROW_LENGTH": _UBIG, "DATA_LENGTH": _UBIG,
                     "MAX_DATA_LENGTH": _UBIG, "INDEX_LENGTH": _UBIG, "DATA_FREE": _UBIG, "AUTO_INCREMENT": _UBIG,
                     "CREATE_TIME": _DT, "UPDATE_TIME": _DT, "CHECK_TIME": _DT, "CHECKSUM": _BIG,
                     "CREATE_OPTIONS": _S(256), "TABLE_COMMENT": _LONG}),
    "columns": _cols("TABLE_CATALOG TABLE_SCHEMA TABLE_NAME COLUMN_NAME ORDINAL_POSITION COLUMN_DEFAULT IS_NULLABLE "
                     "DATA_TYPE CHARACTER_MAXIMUM_LENGTH CHARACTER_OCTET_LENGTH NUMERIC_PRECISION NUMERIC_SCALE "
                     "DATETIME_PRECISION CHARACTER_SET_NAME COLLATION_NAME COLUMN_TYPE COLUMN_KEY EXTRA PRIVILEGES "
                     "COLUMN_COMMENT GENERATION_EXPRESSION SRS_ID",
                     {"ORDINAL_POSITION": _UINT, "COLUMN_DEFAULT": _LONG, "IS_NULLABLE": _S(3), "DATA_TYPE": _LONG,
                      "CHARACTER_MAXIMUM_LENGTH": _BIG, "CHARACTER_OCTET_LENGTH": _BIG, "NUMERIC_PRECISION": _UBIG,
                      "NUMERIC_SCALE": _UBIG, "DATETIME_PRECISION": _UINT, "COLUMN_TYPE": _LONG,
                      "COLUMN_KEY": _S(3), "EXTRA": _S(256), "PRIVILEGES": _S(154), "COLUMN_COMMENT": _LONG,
                      "GENERATION_EXPRESSION": _LONG, "SRS_ID": _UINT}),
    "statistics": _cols("TABLE_CATALOG TABLE_SCHEMA TABLE_NAME NON_UNIQUE INDEX_SCHEMA INDEX_NAME SEQ_IN_INDEX "
                        "COLUMN_NAME COLLATION CARDINALITY SUB_PART PACKED NULLABLE INDEX_TYPE COMMENT INDEX_COMMENT "
                        "IS_VISIBLE EXPRESSION",
                        {"NON_UNIQUE": _INT, "SEQ_IN_INDEX": _UINT, "COLLATION": _S(1), "CARDINALITY": _BIG,
                         "SUB_PART": _BIG, "PACKED": _S(10), "NULLABLE": _S(3), "INDEX_TYPE": _S(11),
                         "COMMENT": _S(8), "INDEX_COMMENT": _S(2048), "IS_VISIBLE": _S(3), "EXPRESSION": _LONG}),
    "key_column_usage": _cols("CONSTRAINT_CATALOG CONSTRAINT_SCHEMA CONSTRAINT_NAME TABLE_CATALOG TABLE_SCHEMA "
                              "TABLE_NAME COLUMN_NAME ORDINAL_POSITION POSITION_IN_UNIQUE_CONSTRAINT "
                              "REFERENCED_TABLE_SCHEMA REFERENCED_TABLE_NAME REFERENCED_COLUMN_NAME",
                              {"ORDINAL_POSITION": _UINT, "POSITION_IN_UNIQUE_CONSTRAINT": _UINT}),
    "referential_constraints": _cols("CONSTRAINT_CATALOG CONSTRAINT_SCHEMA CONSTRAINT_NAME UNIQUE_CONSTRAINT_CATALOG "
                                     "UNIQUE_CONSTRAINT_SCHEMA UNIQUE_CONSTRAINT_NAME MATCH_OPTION UPDATE_RULE "
                                     "DELETE_RULE TABLE_NAME REFERENCED_TABLE_NAME"),
    "table_constraints": _cols("CONSTRAINT_CATALOG CONSTRAINT_SCHEMA CONSTRAINT_NAME TABLE_SCHEMA TABLE_NAME "
                               "CONSTRAINT_TYPE ENFORCED", {"CONSTRAINT_TYPE": _S(11), "ENFORCED": _S(3)}),
    "check_constraints": _cols("CONSTRAINT_CATALOG CONSTRAINT_SCHEMA CONSTRAINT_NAME CHECK_CLAUSE",
                               {"CHECK_CLAUSE": _LONG}),
    "views": _cols("TABLE_CATALOG TABLE_SCHEMA TABLE_NAME VIEW_DEFINITION CHECK_OPTION IS_UPDATABLE DEFINER "
                   "SECURITY_TYPE CHARACTER_SET_CLIENT COLLATION_CONNECTION",
                   {"VIEW_DEFINITION": _LONG, "CHECK_OPTION": _S(8), "IS_UPDATABLE": _S(3), "DEFINER": _S(288),
                    "SECURITY_TYPE": _S(7)}),
    "routines": _cols("SPECIFIC_NAME ROUTINE_CATALOG ROUTINE_SCHEMA ROUTINE_NAME ROUTINE_TYPE DATA_TYPE "
                      "CHARACTER_MAXIMUM_LENGTH CHARACTER_OCTET_LENGTH NUMERIC_PRECISION NUMERIC_SCALE "
                      "DATETIME_PRECISION CHARACTER_SET_NAME COLLATION_NAME DTD_IDENTIFIER ROUTINE_BODY "
                      "ROUTINE_DEFINITION EXTERNAL_NAME EXTERNAL_LANGUAGE PARAMETER_STYLE IS_DETERMINISTIC "
                      "SQL_DATA_ACCESS SQL_PATH SECURITY_TYPE CREATED LAST_ALTERED SQL_MODE ROUTINE_COMMENT DEFINER "
                      "CHARACTER_SET_CLIENT COLLATION_CONNECTION DATABASE_COLLATION",
                      {"CHARACTER_MAXIMUM_LENGTH": _BIG, "CHARACTER_OCTET_LENGTH": _BIG, "NUMERIC_PRECISION": _UINT,
                       "NUMERIC_SCALE": _UINT, "DATETIME_PRECISION": _UINT, "ROUTINE_DEFINITION": _LONG,
                       "CREATED": _DT, "LAST_ALTERED": _DT, "ROUTINE_COMMENT": _LONG}),
    "triggers": _cols("TRIGGER_CATALOG TRIGGER_SCHEMA TRIGGER_NAME EVENT_MANIPULATION EVENT_OBJECT_CATALOG "
                      "EVENT_OBJECT_SCHEMA EVENT_OBJECT_TABLE ACTION_ORDER ACTION_CONDITION ACTION_STATEMENT "
                      "ACTION_ORIENTATION ACTION_TIMING ACTION_REFERENCE_OLD_TABLE ACTION_REFERENCE_NEW_TABLE "
                      "ACTION_REFERENCE_OLD_ROW ACTION_REFERENCE_NEW_ROW CREATED SQL_MODE DEFINER "
                      "CHARACTER_SET_CLIENT COLLATION_CONNECTION DATABASE_COLLATION",
                      {"ACTION_ORDER": _UINT, "ACTION_CONDITION": _LONG, "ACTION_STATEMENT": _LONG,
                       "CREATED": SqlType("timestamp", fsp=2)}),
    "plugins": _cols("PLUGIN_NAME PLUGIN_VERSION PLUGIN_STATUS PLUGIN_TYPE PLUGIN_TYPE_VERSION PLUGIN_LIBRARY "
                     "PLUGIN_LIBRARY_VERSION PLUGIN_AUTHOR PLUGIN_DESCRIPTION PLUGIN_LICENSE LOAD_OPTION",
                     {"PLUGIN_DESCRIPTION": _LONG}),
    "engines": _cols("ENGINE SUPPORT COMMENT TRANSACTIONS XA SAVEPOINTS"),
    "collations": _cols("COLLATION_NAME CHARACTER_SET_NAME ID IS_DEFAULT IS_COMPILED SORTLEN PAD_ATTRIBUTE",
                        {"ID": _UBIG, "SORTLEN": _UINT}),
    "character_sets": _cols("CHARACTER_SET_NAME DEFAULT_COLLATE_NAME DESCRIPTION MAXLEN",
                            {"DESCRIPTION": _S(2048), "MAXLEN": _UINT}),
    "collation_character_set_applicability": _cols("COLLATION_NAME CHARACTER_SET_NAME"),
    "processlist": _cols("ID USER HOST DB COMMAND TIME STATE INFO",
                         {"ID": _UBIG, "USER": _S(32), "HOST": _S(261), "COMMAND": _S(16), "TIME": _INT,
                          "INFO": _LONG}),
    "user_privileges": _cols("GRANTEE TABLE_CATALOG PRIVILEGE_TYPE IS_GRANTABLE",
                             {"GRANTEE": _S(292), "TABLE_CATALOG": _S(512), "IS_GRANTABLE": _S(3)}),
    "schema_privileges": _cols("GRANTEE TABLE_CATALOG TABLE_SCHEMA PRIVILEGE_TYPE IS_GRANTABLE",
                               {"GRANTEE": _S(292), "TABLE_CATALOG": _S(512), "IS_GRANTABLE": _S(3)}),
    "partitions": _cols("TABLE_CATALOG TABLE_SCHEMA TABLE_NAME PARTITION_NAME SUBPARTITION_NAME "
                        "PARTITION_ORDINAL_POSITION SUBPARTITION_ORDINAL_POSITION PARTITION_METHOD "
                        "SUBPARTITION_METHOD PARTITION_EXPRESSION SUBPARTITION_EXPRESSION PARTITION_DESCRIPTION "
                        "TABLE_ROWS AVG_ROW_LENGTH DATA_LENGTH MAX_DATA_LENGTH INDEX_LENGTH DATA_FREE CREATE_TIME "
                        "UPDATE_TIME CHECK_TIME CHECKSUM PARTITION_COMMENT NODEGROUP TABLESPACE_NAME",
                        {"PARTITION_ORDINAL_POSITION": _UINT, "SUBPARTITION_ORDINAL_POSITION": _UINT,
                         "PARTITION_EXPRESSION": _LONG, "SUBPARTITION_EXPRESSION": _LONG,
                         "PARTITION_DESCRIPTION": _LONG, "TABLE_ROWS": _UBIG, "AVG_ROW_LENGTH": _UBIG,
                         "DATA_LENGTH": _UBIG, "MAX_DATA_LENGTH": _UBIG, "INDEX_LENGTH": _UBIG, "DATA_FREE": _UBIG,
                         "CREATE_TIME": _DT, "UPDATE_TIME": _DT, "CHECK_TIME": _DT, "CHECKSUM": _BIG,
                         "PARTITION_COMMENT": _LONG}),
}

# The privileges of Grove's only user (root, everything): USER_PRIVILEGES and SHOW PRIVILEGES.
PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "RELOAD", "SHUTDOWN", "PROCESS", "FILE",
              "REFERENCES", "INDEX", "ALTER", "SHOW DATABASES", "SUPER", "CREATE TEMPORARY TABLES", "LOCK TABLES",
              "EXECUTE", "REPLICATION SLAVE", "REPLICATION CLIENT", "CREATE VIEW", "SHOW VIEW", "CREATE ROUTINE",
              "ALTER ROUTINE", "CREATE USER", "EVENT", "TRIGGER", "CREATE TABLESPACE", "CREATE ROLE", "DROP ROLE")


def columns(name: str):
    """The (name, SqlType) columns of information_schema table ``name`` (any case), or None."""
    return TABLES.get(name.lower())


def table_names() -> list[str]:
    """Names as SHOW TABLES FROM information_schema lists them (upper case, as MySQL 8)."""
    return sorted(n.upper() for n in TABLES)


# --- the tables: rows ----------------------------------------------------------------------------------


def _databases(state):
    """(name, transaction) of every database the session can see, in name order."""
    out = []
    for name in state.provider.names():
        out.append((name, state.transaction(name)))
    return out


def _base_tables(state):
    """(db, table name, TableState) of every base table, database by database."""
    for db, txn in _databases(state):
        for name in txn.table_names():
            yield db, name, txn.table(name)


def table_status(name: str, ts) -> tuple:
    """TABLES' columns from ENGINE on for a base table (SHOW TABLE STATUS shares them)."""
    schema = ts.schema
    auto = None
    if any(c.auto_increment and c.name != _HIDDEN_PK for c in schema.columns) and ts.auto is not None:
        auto = ts.auto.next_value
    coll = schema.options.get("collation") or DEFAULT_COLLATION
    return ("InnoDB", 10, "Dynamic", ts.count(), 0, 0, 0, 0, 0, auto, None, None, None, coll, None, "",
            schema.options.get("comment") or "")


VIEW_STATUS = (None,) * 16 + ("VIEW",)


def _tables(state):
    out = []
    for db, txn in _databases(state):
        from sqlserver.engine import views

        for name in txn.table_names():
            out.append((CATALOG, db, name, "BASE TABLE") + table_status(name, txn.table(name)))
        for name in views.names(txn):
            out.append((CATALOG, db, name, "VIEW") + VIEW_STATUS)
    for name in table_names():
        out.append((CATALOG, NAME, name, "SYSTEM VIEW", None, 10, None, None, None, None, None, None, None, None,
                    None, None, None, None, None, "", ""))
    return out


def column_record(db: str, table: str, c, t: SqlType, pos: int, key: str, default, extra) -> tuple:
    max_len, octets = _lengths(t)
    precision, scale, fsp = _numeric(t)
    charset = charset_of(t.collation) if t.collation is not None else None
    return (CATALOG, db, table, c.name, pos, default, "YES" if c.nullable else "NO", t.name, max_len, octets,
            precision, scale, fsp, charset, t.collation, t.sql(), key, extra, "select,insert,update,references",
            c.comment or "", "", None)


def _columns(state):
    out = []
    for db, name, ts in _base_tables(state):
        for c, t, pos, key, default, extra in column_rows(ts.schema):
            out.append(column_record(db, name, c, t, pos, key, default, extra))
    out.extend(_view_columns(state))
    return out


def _view_columns(state):
    """COLUMNS rows of views: the planned query's columns (nullable as planned, no keys or defaults)."""
    from sqlserver.engine import views

    out = []
    for db, txn in _databases(state):
        for vname in views.names(txn):
            try:
                cols = view_columns(state, db, vname)
            except SQLError:
                continue  # a view whose tables are gone: MySQL lists it with no columns too
            for pos, (cname, t, nullable) in enumerate(cols, 1):
                if t is None:
                    t = SqlType("binary", length=0)
                c = _ViewColumn(cname, nullable)
                out.append(column_record(db, vname, c, t, pos, "", None, ""))
    return out


class _ViewColumn:
    __slots__ = ("name", "nullable", "comment")

    def __init__(self, name, nullable):
        self.name, self.nullable, self.comment = name, nullable, ""


def view_columns(state, db: str, name: str) -> list[tuple[str, SqlType | None, bool]]:
    """(name, type, nullable) of a view's columns, by planning ``SELECT * FROM view`` (nothing runs)."""
    from sqlglot import exp

    from sqlserver.engine import views
    from sqlserver.engine.driver import _Catalog
    from sqlserver.engine.executor import ExecContext
    from sqlserver.engine.optimizer import optimize
    from sqlserver.engine.planner import Env, plan_statement

    ctx = ExecContext(state, [])
    catalog = _Catalog(ctx)
    tree = exp.select("*").from_(exp.Table(this=exp.to_identifier(name), db=exp.to_identifier(db)))
    expanded, _, _ = views.expand(tree, catalog.view, None)
    plan = optimize(plan_statement(expanded, Env(catalog, db, {}, [])))
    return [(c.name, c.sqltype, c.nullable is not False) for c in plan.columns]


def index_rows(schema, count: int):
    """One tuple per index column, PRIMARY first then MySQL's key order:
    (non_unique, index name, seq, column, collation, cardinality, sub_part, nullable, comment)."""
    out = []
    pk = [c for c in schema.primary_key if c != _HIDDEN_PK]
    for i, c in enumerate(pk, 1):
        out.append((0, "PRIMARY", i, schema.column(c).name, "A", count, None, "", ""))
    for ix in ordered_indexes(schema):
        desc = ix.extra.get("desc") or [False] * len(ix.columns)
        for i, (c, n, d) in enumerate(zip(ix.columns, ix.prefix_lengths, desc), 1):
            col = schema.column(c)
            out.append((0 if ix.unique else 1, ix.name, i, col.name, "D" if d else "A", count, n,
                        "YES" if col.nullable else "", ix.extra.get("comment") or ""))
    return out


def _statistics(state):
    out = []
    for db, name, ts in _base_tables(state):
        for nu, ix, seq, col, coll, card, sub, nullable, comment in index_rows(ts.schema, ts.count()):
            out.append((CATALOG, db, name, nu, db, ix, seq, col, coll, card, sub, None, nullable, "BTREE", "",
                        comment, "YES", None))
    return out


def _unique_name(schema, ref_schema, columns) -> str | None:
    """The referenced table's key an FK points at: PRIMARY or a UNIQUE index over exactly those columns."""
    if ref_schema is None:
        return None
    cols = [c.lower() for c in columns]
    if [c.lower() for c in ref_schema.primary_key] == cols:
        return "PRIMARY"
    for ix in ref_schema.indexes:
        if ix.unique and [c.lower() for c in ix.columns] == cols:
            return ix.name
    for ix in ref_schema.indexes:  # MySQL also accepts a non-unique index whose prefix the FK columns are
        if [c.lower() for c in ix.columns[:len(cols)]] == cols:
            return ix.name
    return None


def _ref_schema(txn, name):
    return txn.table(name).schema if txn.has_table(name) else None


def _key_column_usage(state):
    out = []
    for db, txn in _databases(state):
        for name in txn.table_names():
            schema = txn.table(name).schema
            pk = [c for c in schema.primary_key if c != _HIDDEN_PK]
            for i, c in enumerate(pk, 1):
                out.append((CATALOG, db, "PRIMARY", CATALOG, db, name, schema.column(c).name, i, None, None, None,
                            None))
            for ix in schema.indexes:
                if ix.unique:
                    for i, c in enumerate(ix.columns, 1):
                        out.append((CATALOG, db, ix.name, CATALOG, db, name, schema.column(c).name, i, None, None,
                                    None, None))
            for fk in schema.foreign_keys:
                for i, (c, r) in enumerate(zip(fk.columns, fk.ref_columns), 1):
                    out.append((CATALOG, db, fk.name, CATALOG, db, name, schema.column(c).name, i, i, db,
                                fk.ref_table, r))
    return out


def _referential_constraints(state):
    out = []
    for db, txn in _databases(state):
        for name in txn.table_names():
            schema = txn.table(name).schema
            for fk in schema.foreign_keys:
                unique = _unique_name(schema, _ref_schema(txn, fk.ref_table), fk.ref_columns)
                out.append((CATALOG, db, fk.name, CATALOG, db, unique, "NONE", fk.on_update, fk.on_delete, name,
                            fk.ref_table))
    return out


def _table_constraints(state):
    out = []
    for db, txn in _databases(state):
        for name in txn.table_names():
            schema = txn.table(name).schema
            if [c for c in schema.primary_key if c != _HIDDEN_PK]:
                out.append((CATALOG, db, "PRIMARY", db, name, "PRIMARY KEY", "YES"))
            for ix in schema.indexes:
                if ix.unique:
                    out.append((CATALOG, db, ix.name, db, name, "UNIQUE", "YES"))
            for fk in schema.foreign_keys:
                out.append((CATALOG, db, fk.name, db, name, "FOREIGN KEY", "YES"))
            for ck in schema.checks:
                out.append((CATALOG, db, ck.name, db, name, "CHECK", "YES" if ck.enforced else "NO"))
    return out


def _check_constraints(state):
    out = []
    for db, txn in _databases(state):
        for name in txn.table_names():
            for ck in txn.table(name).schema.checks:
                out.append((CATALOG, db, ck.name, f"({ck.expression})"))
    return out


def _updatable(body) -> bool:
    """MySQL's IS_UPDATABLE, approximately: a view over one table with no aggregate, DISTINCT, GROUP BY,
    HAVING, LIMIT, UNION or subquery in its select list."""
    from sqlglot import exp

    if not isinstance(body, exp.Select):
        return False
    if body.args.get("distinct") or body.args.get("group") or body.args.get("having") or body.args.get("limit"):
        return False
    f = body.args.get("from_") or body.args.get("from")
    if f is None or not isinstance(f.this, exp.Table) or body.args.get("joins"):
        return False
    for item in body.expressions:
        if item.find(exp.AggFunc, exp.Subquery, exp.Window) is not None:
            return False
    return True


def view_definition(text: str) -> str:
    """VIEW_DEFINITION: the stored SELECT (MySQL prints its own canonical, fully qualified form)."""
    from sqlserver.engine import views

    body, _ = views.parse_definition(text)
    return body.sql(dialect="mysql")


def _views(state):
    from sqlserver.engine import views

    out = []
    for db, txn in _databases(state):
        for name in views.names(txn):
            stored, text = views.find(txn, name)
            body, _ = views.parse_definition(text)
            out.append((CATALOG, db, stored, body.sql(dialect="mysql"), "NONE", "YES" if _updatable(body) else "NO",
                        "root@localhost", "DEFINER", "utf8mb4", "utf8mb4_0900_ai_ci"))
    return out


def _triggers(state):
    from sqlserver.engine import triggers

    out = []
    for db, txn in _databases(state):
        order: dict = {}
        for name, trg in sorted(triggers._all(txn), key=lambda x: x[0]):
            k = (trg.table.lower(), trg.event, trg.timing)
            order[k] = order.get(k, 0) + 1
            out.append((CATALOG, db, name, trg.event, CATALOG, db, trg.table, order[k], None, trg.body, "ROW",
                        trg.timing, None, None, "OLD", "NEW", None, str(state.get_variable("sql_mode")),
                        "root@localhost", "utf8mb4", "utf8mb4_0900_ai_ci", "utf8mb4_0900_ai_ci"))
    return out


def _schemata(state):
    rows = [(CATALOG, NAME, "utf8mb3", "utf8mb3_general_ci", None, "NO")]
    rows += [(CATALOG, n, "utf8mb4", DEFAULT_COLLATION, None, "NO") for n in state.provider.names()]
    return sorted(rows, key=lambda r: r[1].lower())


def processes(state) -> list[tuple]:
    """(Id, User, Host, db, Command, Time, State, Info) of every connection: the server's registry when the
    session belongs to a server (``state.control``), else this session alone."""
    control = getattr(state, "control", None)
    sessions = []
    if control is not None:
        for conn in control.connections():
            s = getattr(getattr(conn, "session", None), "state", None)
            if s is not None:
                sessions.append(s)
    if not any(s is state for s in sessions):
        sessions.append(state)
    out = []
    for s in sorted(sessions, key=lambda s: s.connection_id):
        user, _, host = s.user.partition("@")
        running = s is state
        out.append((s.connection_id, user, host or "localhost", s.current_db, "Query" if running else "Sleep", 0,
                    "executing" if running else "", getattr(s, "statement_text", None) if running else None))
    return out


def _plugins(state):
    return [("InnoDB", "8.0", "ACTIVE", "STORAGE ENGINE", "80000.0", None, None, "Grove",
             "Grove prolly-tree storage", "GPL", "FORCE"),
            ("mysql_native_password", "1.1", "ACTIVE", "AUTHENTICATION", "2.1", None, None, "Grove",
             "Native MySQL authentication", "GPL", "FORCE")]


def _user_privileges(state):
    return [("'root'@'localhost'", CATALOG, p, "YES") for p in PRIVILEGES]


def _partitions(state):
    out = []
    for db, name, ts in _base_tables(state):
        out.append((CATALOG, db, name, None, None, None, None, None, None, None, None, None, ts.count(), 0, 0, 0, 0,
                    0, None, None, None, None, "", None, None))
    return out


_ROWS = {
    "schemata": _schemata,
    "tables": _tables,
    "columns": _columns,
    "statistics": _statistics,
    "key_column_usage": _key_column_usage,
    "referential_constraints": _referential_constraints,
    "table_constraints": _table_constraints,
    "check_constraints": _check_constraints,
    "views": _views,
    "routines": lambda state: [],  # Grove stores no procedures or functions (CALL runs built-in dolt_* ones)
    "triggers": _triggers,
    "plugins": _plugins,
    "engines": lambda state: list(ENGINES),
    "collations": lambda state: [(c, cs, i, d, "Yes", n, pad) for c, cs, i, d, n, pad in COLLATIONS],
    "character_sets": lambda state: list(CHARACTER_SETS),
    "collation_character_set_applicability": lambda state: [(c, cs) for c, cs, *_ in COLLATIONS],
    "processlist": processes,
    "user_privileges": _user_privileges,
    "schema_privileges": lambda state: [],  # root's privileges are global: none are per schema
    "partitions": _partitions,
}


def rows(name: str, ctx) -> list[tuple]:
    """The rows of information_schema table ``name`` as the executing statement's session sees them."""
    return _ROWS[name.lower()](ctx.state)


def uptime(control) -> int:
    return int(time.monotonic() - control.started)
