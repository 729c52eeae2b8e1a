"""sql_mode as INSERT and UPDATE see it: strict or not, and whether division by zero is an error.

MySQL 8's default mode (``variables.DEFAULT_SQL_MODE``) is strict
(STRICT_TRANS_TABLES) with ERROR_FOR_DIVISION_BY_ZERO: a value a column
cannot hold is an error (1264 out of range, 1265 data truncated, 1366
incorrect integer value, 1406 data too long, 1292 incorrect datetime value)
and so is a division by zero in a written value (1365).  With those modes
off (``SET sql_mode = ''``) the same cases become warnings and the value is
clipped, cut or taken as its numeric prefix (``SqlType.coerce_lenient``);
INSERT IGNORE downgrades them the same way
(https://dev.mysql.com/doc/refman/8.0/en/sql-mode.html#sql-mode-strict).

Grove has one storage engine, transactional, so STRICT_TRANS_TABLES and
STRICT_ALL_TABLES mean the same.  The mode is read once per statement run.
"""

from __future__ import annotations

from sqlserver.errors import SQLError


class WriteMode:
    """The value checks of one INSERT/UPDATE execution."""

    __slots__ = ("strict", "division_errors")

    def __init__(self, ctx, ignore: bool = False):
        mode = str(ctx.state.get_variable("sql_mode") or "").upper()
        self.strict = not ignore and ("STRICT_TRANS_TABLES" in mode or "STRICT_ALL_TABLES" in mode)
        self.division_errors = self.strict and "ERROR_FOR_DIVISION_BY_ZERO" in mode

    def store(self, t, v, name: str, rownum: int, ctx):
        """``v`` as column ``name`` of type ``t`` stores it (v not NULL)."""
        if self.strict:
            return t.coerce(v, name, rownum)
        return t.coerce_lenient(v, name, rownum, ctx.warn)

    def check_divisions(self, ctx, mark: int) -> None:
        """Error 1365 when computing a row's values divided by zero (a warning 1365 since ``mark``, the
        warning count before), under strict mode with ERROR_FOR_DIVISION_BY_ZERO."""
        if self.division_errors:
            warnings = ctx.state.warnings
            if any(w[1] == 1365 for w in warnings[mark:]):
                del warnings[mark:]
                raise SQLError.of("DIVISION_BY_ZERO")


__all__ = ["WriteMode"]
