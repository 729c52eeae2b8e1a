"""SQL errors that carry their MySQL identity: error number, SQLSTATE, message.

Every error a client can see is an ``SQLError``.  Each MySQL error we raise has
one entry in ``ER`` below, with MySQL 8's number, SQLSTATE and message format
(https://dev.mysql.com/doc/mysql-errors/8.0/en/server-error-reference.html),
so call sites say ``raise SQLError.of("NO_SUCH_TABLE", db, table)`` and never
spell a number.  Storage and replication errors know nothing of MySQL;
``translate`` maps them here at the SQL boundary, once.
"""

from __future__ import annotations

from storage import errors as storage_errors

# name: (errno, sqlstate, message format)
ER: dict[str, tuple[int, str, str]] = {
    "NO_DB": (1046, "3D000", "No database selected"),
    "BAD_DB": (1049, "42000", "Unknown database '%s'"),
    "DB_CREATE_EXISTS": (1007, "HY000", "Can't create database '%s'; database exists"),
    "DB_DROP_EXISTS": (1008, "HY000", "Can't drop database '%s'; database doesn't exist"),
    "TABLE_EXISTS": (1050, "42S01", "Table '%s' already exists"),
    "BAD_TABLE": (1051, "42S02", "Unknown table '%s'"),
    "NO_SUCH_TABLE": (1146, "42S02", "Table '%s.%s' doesn't exist"),
    "BAD_FIELD": (1054, "42S22", "Unknown column '%s' in '%s'"),
    "NON_UNIQ": (1052, "23000", "Column '%s' in %s is ambiguous"),
    "DUP_FIELDNAME": (1060, "42S21", "Duplicate column name '%s'"),
    "DUP_KEYNAME": (1061, "42000", "Duplicate key name '%s'"),
    "DUP_ENTRY": (1062, "23000", "Duplicate entry '%s' for key '%s'"),
    "PARSE": (1064, "42000", "You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '%s' at line %d"),
    "EMPTY_QUERY": (1065, "42000", "Query was empty"),
    "MULTIPLE_PRI_KEY": (1068, "42000", "Multiple primary key defined"),
    "WRONG_AUTO_KEY": (1075, "42000", "Incorrect table definition; there can be only one auto column and it must be defined as a key"),
    "CANT_DROP_FIELD_OR_KEY": (1091, "42000", "Can't DROP '%s'; check that column/key exists"),
    "UNKNOWN": (1105, "HY000", "%s"),
    "WRONG_VALUE_COUNT_ON_ROW": (1136, "21S01", "Column count doesn't match value count at row %d"),
    "BAD_NULL": (1048, "23000", "Column '%s' cannot be null"),
    "UNKNOWN_SYSTEM_VARIABLE": (1193, "HY000", "Unknown system variable '%s'"),
    "LOCK_DEADLOCK": (1213, "40001", "Deadlock found when trying to get lock; try restarting transaction"),
    "SERIALIZATION_FAILURE": (1213, "40001", "serialization failure: this transaction conflicts with a committed transaction from another client, try restarting transaction"),
    "WRONG_VALUE_FOR_VAR": (1231, "42000", "Variable '%s' can't be set to the value of '%s'"),
    "WRONG_TYPE_FOR_VAR": (1232, "42000", "Incorrect argument type to variable '%s'"),
    "NOT_SUPPORTED_YET": (1235, "42000", "This version of MySQL doesn't yet support '%s'"),
    "OPERAND_COLUMNS": (1241, "21000", "Operand should contain %d column(s)"),
    "SUBQUERY_NO_1_ROW": (1242, "21000", "Subquery returns more than 1 row"),
    "WARN_DATA_OUT_OF_RANGE": (1264, "22003", "Out of range value for column '%s' at row %d"),
    "WARN_DATA_TRUNCATED": (1265, "01000", "Data truncated for column '%s' at row %d"),
    "WRONG_TEMPORAL_VALUE_FOR_FIELD": (1292, "22007", "Incorrect %s value: '%s' for column '%s' at row %d"),
    "OPTION_PREVENTS_STATEMENT": (1290, "HY000", "The MySQL server is running with the %s option so it cannot execute this statement"),
    "TRUNCATED_WRONG_VALUE": (1292, "22007", "Truncated incorrect %s value: '%s'"),
    "SP_DOES_NOT_EXIST": (1305, "42000", "%s %s does not exist"),
    "QUERY_INTERRUPTED": (1317, "70100", "Query execution was interrupted"),
    "NO_DEFAULT_FOR_FIELD": (1364, "HY000", "Field '%s' doesn't have a default value"),
    "DIVISION_BY_ZERO": (1365, "22012", "Division by 0"),
    "TRUNCATED_WRONG_VALUE_FOR_FIELD": (1366, "HY000", "Incorrect %s value: '%s' for column '%s' at row %d"),
    "DATA_TOO_LONG": (1406, "22001", "Data too long for column '%s' at row %d"),
    "ROW_IS_REFERENCED_2": (1451, "23000", "Cannot delete or update a parent row: a foreign key constraint fails (%s)"),
    "NO_REFERENCED_ROW_2": (1452, "23000", "Cannot add or update a child row: a foreign key constraint fails (%s)"),
    "DATA_OUT_OF_RANGE": (1690, "22003", "%s value is out of range in '%s'"),
    "QUERY_TIMEOUT": (3024, "HY000", "Query execution was interrupted, maximum statement execution time exceeded"),
    "SESSION_WAS_KILLED": (3169, "HY000", "Session was killed"),
    "CHECK_CONSTRAINT_VIOLATED": (3819, "HY000", "Check constraint '%s' is violated."),
}


class SQLError(Exception):
    """An error as a MySQL client sees it."""

    def __init__(self, errno: int, sqlstate: str, message: str):
        super().__init__(message)
        self.errno = errno
        self.sqlstate = sqlstate
        self.message = message

    @classmethod
    def of(cls, name: str, *args: object) -> "SQLError":
        """The error named ``name`` in ``ER``, its message formatted with ``args``."""
        errno, sqlstate, fmt = ER[name]
        return cls(errno, sqlstate, fmt % args if args else fmt)

    def __str__(self) -> str:
        return f"ERROR {self.errno} ({self.sqlstate}): {self.message}"


def translate(exc: BaseException) -> SQLError:
    """Map any exception to the SQLError a client should see.

    SQLErrors pass through; storage conflicts are serialization failures (the
    client restarts the transaction); other storage and replication errors
    (``replication.errors`` extends the storage hierarchy: unknown remote, bad
    URL, not a fast-forward, merge conflict, remote unreachable...) are 1105
    with their own message, which the CLI prints as is; anything else is 1105
    with its type and text, so the server keeps running and the client gets
    one clear line.
    """
    if isinstance(exc, SQLError):
        return exc
    if isinstance(exc, storage_errors.ConflictError):
        return SQLError.of("SERIALIZATION_FAILURE")
    if isinstance(exc, storage_errors.StorageError):
        return SQLError.of("UNKNOWN", str(exc))
    return SQLError.of("UNKNOWN", f"{type(exc).__name__}: {exc}")
