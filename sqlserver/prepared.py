"""The binary protocol of server-side prepared statements: parameter decoding, binary rows.

A client prepares a statement once (COM_STMT_PREPARE) and executes it many
times (COM_STMT_EXECUTE) with typed parameter values that travel in binary,
never as SQL text: a string holding ``'``, ``\\`` or NUL reaches the engine
unchanged.  The handlers live in ``sqlserver.wire``; this module is the
codec, pure functions of bytes and values.

COM_STMT_PREPARE answer::

    +------+---------+-------------+------------+--------+----------+
    | 0x00 | stmt id | num_columns | num_params | filler | warnings |
    |  1   |   u32   |     u16     |    u16     |  0x00  |   u16    |
    +------+---------+-------------+------------+--------+----------+
    then num_params column definitions (named "?") [+ EOF],
    then num_columns column definitions [+ EOF]      (EOFs unless CLIENT_DEPRECATE_EOF)

COM_STMT_EXECUTE request (n = the statement's parameter count)::

    +------+---------+-------+-----------+ [lenenc count]   if CLIENT_QUERY_ATTRIBUTES
    | 0x17 | stmt id | flags | iteration |  (n + attributes)
    |  1   |   u32   |  u8   |  u32 (1)  |
    +------+---------+-------+-----------+
    if count > 0:
    +-------------------+-----------+-------------------------------+----------+
    | NULL bitmap       | new bound | types (if new bound = 1):     | values   |
    | (count + 7) // 8  |    u8     | count x (type u8, flag u8)    | non-NULL |
    |                   |           | [+ lenenc name if QUERY_ATTRS]| only     |
    +-------------------+-----------+-------------------------------+----------+

  flag 0x80 = unsigned.  With new bound = 0 the types of the previous
  execution apply (libmysqlclient/libmariadb send them only once).  Values:
  TINY 1 byte, SHORT/YEAR 2, LONG/INT24 4, LONGLONG 8 (little-endian, signed
  unless flagged), FLOAT 4 / DOUBLE 8 (IEEE), DECIMAL and all strings and
  blobs length-encoded, temporal types as below.  A parameter that received
  COM_STMT_SEND_LONG_DATA is not in the packet: its buffer is the value.

Temporal values (parameters and result rows)::

    DATE/DATETIME/TIMESTAMP: len(0|4|7|11) year u16, month, day, [hour, minute, second, [microsecond u32]]
    TIME:                    len(0|8|12)   negative u8, days u32, hour, minute, second, [microsecond u32]

Binary result row::

    +------+----------------------------------+-------------------------------------+
    | 0x00 | NULL bitmap, (ncols + 9) // 8    | each non-NULL value in its column's |
    |      | (column i is bit i + 2)          | binary encoding (as above)          |
    +------+----------------------------------+-------------------------------------+

Parameter values become the Python values the engine's literals have (int,
float, Decimal, str, bytes, None); temporal parameters become MySQL's text
for them (``'2024-01-02 03:04:05.5'``), which is how MySQL compares a
temporal literal with a column.  Result values are encoded by the column's
declared type (the one its column definition announces), converting when
the engine produced another Python type for it.
"""

from __future__ import annotations

import datetime
import decimal
import struct

from mysql_mimic.types import ColumnType, uint_len

from sqlserver.errors import SQLError
from sqlserver.sqltypes import SqlType

PARAMETER_COUNT_AVAILABLE = 0x08  # COM_STMT_EXECUTE flag: the lenenc parameter count is present
CURSOR_TYPE_NO_CURSOR = 0x00
UNSIGNED = 0x80
MAX_DECIMAL_DIGITS = 65  # DECIMAL(65, 30): MySQL's widest decimal
MAX_DECIMAL_SCALE = 30

_U16 = struct.Struct("<H")
_U32 = struct.Struct("<I")
_PREPARE_OK = struct.Struct("<BIHHBH")

# integer parameter types: (struct, size) signed, unsigned
_INT_PARAMS = {
    ColumnType.TINY: (struct.Struct("<b"), struct.Struct("<B")),
    ColumnType.SHORT: (struct.Struct("<h"), struct.Struct("<H")),
    ColumnType.YEAR: (struct.Struct("<h"), struct.Struct("<H")),
    ColumnType.INT24: (struct.Struct("<i"), struct.Struct("<I")),
    ColumnType.LONG: (struct.Struct("<i"), struct.Struct("<I")),
    ColumnType.LONGLONG: (struct.Struct("<q"), struct.Struct("<Q")),
}
_FLOAT = struct.Struct("<f")
_DOUBLE = struct.Struct("<d")
_TEXT_PARAMS = frozenset((ColumnType.VARCHAR, ColumnType.VAR_STRING, ColumnType.STRING, ColumnType.ENUM,
                          ColumnType.SET, ColumnType.JSON))
_BYTES_PARAMS = frozenset((ColumnType.TINY_BLOB, ColumnType.MEDIUM_BLOB, ColumnType.LONG_BLOB, ColumnType.BLOB,
                           ColumnType.BIT, ColumnType.GEOMETRY))
_DATE_PARAMS = frozenset((ColumnType.DATE, ColumnType.DATETIME, ColumnType.TIMESTAMP))


def prepare_ok(stmt_id: int, num_columns: int, num_params: int, warnings: int = 0) -> bytes:
    return _PREPARE_OK.pack(0, stmt_id, num_columns, num_params, 0, min(warnings, 0xFFFF))


def _bad_packet() -> SQLError:
    return SQLError(1210, "HY000", "Incorrect arguments to mysqld_stmt_execute")


def _lenenc_int(data: bytes, pos: int) -> tuple[int, int]:
    first = data[pos]
    if first < 0xFB:
        return first, pos + 1
    if first == 0xFC:
        return _U16.unpack_from(data, pos + 1)[0], pos + 3
    if first == 0xFD:
        return int.from_bytes(data[pos + 1:pos + 4], "little"), pos + 4
    if first == 0xFE:
        return int.from_bytes(data[pos + 1:pos + 9], "little"), pos + 9
    raise _bad_packet()


def _lenenc_bytes(data: bytes, pos: int) -> tuple[bytes, int]:
    n, pos = _lenenc_int(data, pos)
    end = pos + n
    if end > len(data):
        raise _bad_packet()
    return data[pos:end], end


def statement_id(data: bytes) -> int:
    """The statement id of a COM_STMT_EXECUTE/CLOSE/RESET/SEND_LONG_DATA/FETCH packet."""
    if len(data) < 5:
        raise _bad_packet()
    return _U32.unpack_from(data, 1)[0]


class ExecuteRequest:
    """What a COM_STMT_EXECUTE asks for: cursor flags, the types in force, the parameter values."""

    __slots__ = ("flags", "types", "values")

    def __init__(self, flags: int, types: list | None, values: list):
        self.flags, self.types, self.values = flags, types, values


def parse_execute(data: bytes, num_params: int, prev_types: list | None, long_data: dict, *,
                  query_attrs: bool, encoding: str) -> ExecuteRequest:
    """Decode a COM_STMT_EXECUTE packet (layout in the module docstring).

    ``prev_types``: the (type, unsigned) pairs of the previous execution,
    used when the packet does not bind new ones; ``long_data``: parameter
    index -> bytes sent by COM_STMT_SEND_LONG_DATA.  Query attributes (values
    past ``num_params``) are read and dropped.
    """
    if len(data) < 10:
        raise _bad_packet()
    flags = data[5]
    pos = 10
    count = num_params
    try:
        if num_params > 0 or (query_attrs and flags & PARAMETER_COUNT_AVAILABLE):
            if query_attrs:
                count, pos = _lenenc_int(data, pos)
                if count < num_params:
                    raise _bad_packet()
        if count == 0:
            return ExecuteRequest(flags, prev_types, [])
        nb = (count + 7) // 8
        nulls = int.from_bytes(data[pos:pos + nb], "little")
        pos += nb
        bound = data[pos]
        pos += 1
        if bound:
            types = []
            for _ in range(count):
                types.append((data[pos], bool(data[pos + 1] & UNSIGNED)))
                pos += 2
                if query_attrs:
                    _, pos = _lenenc_bytes(data, pos)  # the parameter's name (attributes have one)
        else:
            types = prev_types
            if types is None or len(types) < count:
                raise SQLError(1210, "HY000", "Incorrect arguments to mysqld_stmt_execute")
        values = []
        for i in range(count):
            if i < num_params and i in long_data:
                t = types[i][0]
                buf = long_data[i]
                values.append(buf.decode(encoding, "surrogateescape") if t in _TEXT_PARAMS else bytes(buf))
                continue
            if nulls >> i & 1:
                values.append(None)
                continue
            t, unsigned = types[i]
            v, pos = _read_value(data, pos, t, unsigned, encoding)
            values.append(v)
    except (IndexError, struct.error):
        raise _bad_packet() from None
    return ExecuteRequest(flags, types, values[:num_params])


def _read_value(data: bytes, pos: int, t: int, unsigned: bool, encoding: str):
    ints = _INT_PARAMS.get(t)
    if ints is not None:
        s = ints[1 if unsigned else 0]
        return s.unpack_from(data, pos)[0], pos + s.size
    if t in _TEXT_PARAMS:
        raw, pos = _lenenc_bytes(data, pos)
        try:
            return raw.decode(encoding), pos
        except UnicodeDecodeError:
            return raw, pos  # not text in the connection's charset: a binary string, as MySQL treats it
    if t in _BYTES_PARAMS:
        raw, pos = _lenenc_bytes(data, pos)
        return raw, pos
    if t == ColumnType.DOUBLE:
        return _DOUBLE.unpack_from(data, pos)[0], pos + 8
    if t == ColumnType.FLOAT:
        return _FLOAT.unpack_from(data, pos)[0], pos + 4
    if t in (ColumnType.NEWDECIMAL, ColumnType.DECIMAL):
        raw, pos = _lenenc_bytes(data, pos)
        try:
            d = decimal.Decimal(raw.decode("ascii"))
        except (decimal.InvalidOperation, UnicodeDecodeError):
            raise SQLError(1366, "HY000", f"Incorrect decimal value: '{raw.decode('ascii', 'replace')}'") from None
        if not d.is_finite():
            raise SQLError(1366, "HY000", f"Incorrect decimal value: '{raw.decode('ascii', 'replace')}'")
        return _decimal_parameter(d), pos
    if t in _DATE_PARAMS:
        n = data[pos]
        return _date_text(data, pos + 1, n, t == ColumnType.DATE), pos + 1 + n
    if t == ColumnType.TIME:
        n = data[pos]
        return _time_text(data, pos + 1, n), pos + 1 + n
    if t == ColumnType.NULL:
        return None, pos
    raise SQLError(1210, "HY000", "Incorrect arguments to mysqld_stmt_execute")


_WIDE = decimal.Context(prec=MAX_DECIMAL_DIGITS + 1)


def _decimal_parameter(d: decimal.Decimal):
    """A NEWDECIMAL parameter as the literal its digits spell: a Decimal with the digits a fixed-point
    literal has (``1E+2`` -> 100), or, past what DECIMAL holds (65 digits, scale 30), the float that the
    same number written with an exponent is in SQL text (``2.5e-300``)."""
    t = d.as_tuple()
    if t.exponent > 0:
        if len(t.digits) + t.exponent > MAX_DECIMAL_DIGITS:
            return float(d)
        d = d.quantize(decimal.Decimal(1), context=_WIDE)
    elif -t.exponent > MAX_DECIMAL_SCALE or len(t.digits) > MAX_DECIMAL_DIGITS:
        return float(d)
    return d


def _date_text(data: bytes, pos: int, n: int, date_only: bool) -> str:
    if n == 0:
        return "0000-00-00" if date_only else "0000-00-00 00:00:00"
    y = _U16.unpack_from(data, pos)[0]
    out = f"{y:04d}-{data[pos + 2]:02d}-{data[pos + 3]:02d}"
    if date_only:
        return out
    h = mi = s = us = 0
    if n >= 7:
        h, mi, s = data[pos + 4], data[pos + 5], data[pos + 6]
    if n >= 11:
        us = _U32.unpack_from(data, pos + 7)[0]
    out += f" {h:02d}:{mi:02d}:{s:02d}"
    return out + f".{us:06d}" if us else out


def _time_text(data: bytes, pos: int, n: int) -> str:
    if n == 0:
        return "00:00:00"
    neg = data[pos]
    days = _U32.unpack_from(data, pos + 1)[0]
    h, mi, s = data[pos + 5], data[pos + 6], data[pos + 7]
    us = _U32.unpack_from(data, pos + 8)[0] if n >= 12 else 0
    out = f"{'-' if neg else ''}{days * 24 + h:02d}:{mi:02d}:{s:02d}"
    return out + f".{us:06d}" if us else out


# --- result rows ---------------------------------------------------------------------------


def _lenenc(b: bytes) -> bytes:
    n = len(b)
    return bytes((n,)) + b if n < 251 else uint_len(n) + b


def _to_int(v) -> int:
    if type(v) is int:
        return v
    if isinstance(v, (bytes, bytearray)):
        return int.from_bytes(v, "big")
    if isinstance(v, str):
        return int(decimal.Decimal(v.strip() or "0").to_integral_value(decimal.ROUND_HALF_UP))
    if isinstance(v, (float, decimal.Decimal)):
        return int(decimal.Decimal(v).to_integral_value(decimal.ROUND_HALF_UP))
    return int(v)


def _int_encoder(s: struct.Struct):
    pack = s.pack
    mask = (1 << (8 * s.size)) - 1

    def enc(v) -> bytes:
        if type(v) is not int:
            v = _to_int(v)
        try:
            return pack(v)
        except struct.error:  # a value wider than the column's announced type: its low bytes, as C would
            return (v & mask).to_bytes(s.size, "little")
    return enc


def _float_encoder(s: struct.Struct):
    pack = s.pack

    def enc(v) -> bytes:
        return pack(v if type(v) is float else float(v))
    return enc


def _text(v) -> bytes:
    t = type(v)
    if t is str:
        return v.encode("utf-8")
    if t is bytes:
        return v
    if t is decimal.Decimal:
        return format(v, "f").encode("ascii")
    if isinstance(v, (bytearray, memoryview)):
        return bytes(v)
    return str(v).encode("utf-8")


def _enc_string(v) -> bytes:
    b = v.encode("utf-8") if type(v) is str else _text(v)
    n = len(b)
    return bytes((n,)) + b if n < 251 else uint_len(n) + b


def _enc_decimal(v) -> bytes:
    return _lenenc(format(v, "f").encode("ascii") if type(v) is decimal.Decimal else _text(v))


def _bit_encoder(bits: int):
    nbytes = max(1, (bits + 7) // 8)

    def enc(v) -> bytes:
        return _lenenc(v.to_bytes(nbytes, "big") if type(v) is int and v >= 0 else _text(v))
    return enc


def _as_datetime(v) -> datetime.datetime:
    if type(v) is datetime.datetime:
        return v
    if isinstance(v, datetime.date):
        return datetime.datetime(v.year, v.month, v.day)
    return datetime.datetime.fromisoformat(v.decode("ascii") if isinstance(v, bytes) else str(v))


def _enc_date(v) -> bytes:
    d = v if isinstance(v, datetime.date) else _as_datetime(v)
    return struct.pack("<BHBB", 4, d.year, d.month, d.day)


def _enc_datetime(v) -> bytes:
    d = _as_datetime(v)
    if d.microsecond:
        return struct.pack("<BHBBBBBI", 11, d.year, d.month, d.day, d.hour, d.minute, d.second, d.microsecond)
    if d.hour or d.minute or d.second:
        return struct.pack("<BHBBBBB", 7, d.year, d.month, d.day, d.hour, d.minute, d.second)
    return struct.pack("<BHBB", 4, d.year, d.month, d.day)


def _as_timedelta(v) -> datetime.timedelta:
    if type(v) is datetime.timedelta:
        return v
    if isinstance(v, datetime.time):
        return datetime.timedelta(hours=v.hour, minutes=v.minute, seconds=v.second, microseconds=v.microsecond)
    text = v.decode("ascii") if isinstance(v, bytes) else str(v)
    neg = text.startswith("-")
    h, m, s = text.lstrip("-").split(":")
    td = datetime.timedelta(hours=int(h), minutes=int(m), seconds=float(s))
    return -td if neg else td


def _enc_time(v) -> bytes:
    td = _as_timedelta(v)
    us = (td.days * 86400 + td.seconds) * 1_000_000 + td.microseconds
    if us == 0:
        return b"\x00"
    neg = us < 0
    us = abs(us)
    secs, frac = divmod(us, 1_000_000)
    days, rem = divmod(secs, 86400)
    h, rem = divmod(rem, 3600)
    m, s = divmod(rem, 60)
    if frac:
        return struct.pack("<BBIBBBI", 12, neg, days, h, m, s, frac)
    return struct.pack("<BBIBBB", 8, neg, days, h, m, s)


def binary_encoder(st: SqlType | None):
    """The function that encodes a non-NULL value of a column of type ``st`` for a binary row
    (None: a column typed NULL, whose values are all NULL)."""
    if st is None:
        return _enc_string
    wt = st.wire_type
    ints = _INT_PARAMS.get(wt)
    if ints is not None:
        return _int_encoder(ints[1 if st.unsigned else 0])
    if wt == ColumnType.DOUBLE:
        return _float_encoder(_DOUBLE)
    if wt == ColumnType.FLOAT:
        return _float_encoder(_FLOAT)
    if wt == ColumnType.NEWDECIMAL:
        return _enc_decimal
    if wt == ColumnType.DATE:
        return _enc_date
    if wt in (ColumnType.DATETIME, ColumnType.TIMESTAMP):
        return _enc_datetime
    if wt == ColumnType.TIME:
        return _enc_time
    if wt == ColumnType.BIT:
        return _bit_encoder(st.length or 1)
    return _enc_string


def binary_rows(rows, encoders: list) -> list[bytes]:
    """Binary-protocol row packets (payloads) for ``rows`` (layout in the module docstring)."""
    n = len(encoders)
    nb = (n + 9) // 8
    out = []
    append = out.append
    if n == 1:
        enc = encoders[0]
        plain, null_row = b"\x00" + bytes(nb), b"\x00" + (4).to_bytes(nb, "little")
        for row in rows:
            v = row[0]
            append(null_row if v is None else plain + enc(v))
        return out
    pairs = list(enumerate(encoders))
    for row in rows:
        nulls = 0
        parts = [b""]
        for i, enc in pairs:
            v = row[i]
            if v is None:
                nulls |= 4 << i
            else:
                parts.append(enc(v))
        parts[0] = b"\x00" + nulls.to_bytes(nb, "little")
        append(b"".join(parts))
    return out
