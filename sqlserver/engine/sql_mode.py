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
            out = t.coerce(v, name, rownum)
        else:
            mark = len(ctx.state.warnings)
            out = t.coerce_lenient(v, name, rownum, ctx.warn)
            if len(ctx.state.warnings) != mark:
                return out  # clipped or cut: MySQL reports that, not the rounding
        if t.name == "decimal":
            note_rounding(t, v, name, rownum, ctx)
        return out

    def check_divisions(self, ctx, mark: int) -> None:
        """Error 1365 when computing a row's values divided by zero (a warning 1365 since ``mark``, the
        warning count before), under strict mode with ERROR_FOR_DIVISION_BY_ZERO."""
        if self.division_errors:
            warnings = ctx.state.warnings
            if any(w[1] == 1365 for w in warnings[mark:]):
                del warnings[mark:]
                raise SQLError.of("DIVISION_BY_ZERO")


def note_rounding(t, v, name: str, rownum: int, ctx) -> None:
    """MySQL's Note 1265 "Data truncated for column" when a value stored into DECIMAL(p,s) has more
    fractional digits than s, so it was rounded (``Field::warn_if_overflow`` on E_DEC_TRUNCATED; a Note,
    so strict mode does not make it an error).  Trailing zeros do not count (1.500 fits DECIMAL(5,2))."""
    if isinstance(v, int):
        return
    from sqlserver.sqltypes import _to_decimal

    try:
        d = _to_decimal(v)
    except (ValueError, TypeError, ArithmeticError):
        return
    if not d.is_finite():
        return
    _, digits, exponent = d.as_tuple()
    if exponent >= 0:
        return
    frac, i = -exponent, len(digits) - 1
    while frac > 0 and i >= 0 and digits[i] == 0:
        frac, i = frac - 1, i - 1
    if frac > (t.scale or 0):
        ctx.warn(1265, f"Data truncated for column '{name}' at row {rownum}", "Note")


__all__ = ["WriteMode", "note_rounding"]
