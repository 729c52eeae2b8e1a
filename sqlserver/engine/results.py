"""What a statement returns to its caller (the wire session or the CLI).

``Ok`` for statements without a result set (affected rows, the id the OK
packet reports, warning count, MySQL's info text), ``Rows`` for result sets.
Row values are plain Python values (int, Decimal, float, str, bytes, date,
datetime, timedelta, None); ``ColumnInfo.sqltype`` gives the wire layer the
type code, flags, length and decimals clients decode them with.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlserver.sqltypes import SqlType


@dataclass(frozen=True)
class ColumnInfo:
    name: str
    sqltype: SqlType | None = None
    table: str = ""  # the table alias the column came from ('' for expressions)
    db: str = ""
    org_name: str = ""  # the column's name in its table
    org_table: str = ""
    nullable: bool = True
    flags: int = 0  # extra protocol flags (NOT_NULL, PRI_KEY, AUTO_INCREMENT, ...) beyond the type's own


@dataclass
class Ok:
    affected_rows: int = 0
    last_insert_id: int = 0
    warnings: int = 0
    info: str = ""


@dataclass
class Rows:
    columns: list[ColumnInfo]
    rows: list[tuple] = field(default_factory=list)
    warnings: int = 0


Result = Ok | Rows
