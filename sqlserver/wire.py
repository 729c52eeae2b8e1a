"""The MySQL wire protocol: mysql-mimic's ``Connection``, with the gaps Grove needs closed.

mysql-mimic (3.0.5) frames packets, runs the handshake and authentication
plugins, and gives us a compiled packet stream (``MysqlStream``, whose
``write_text_rows`` serializes rows in C).  Everything that carries SQL
meaning it gets wrong or leaves out is replaced here, in this one module
(``GroveConnection``), so an upgrade of mysql-mimic has one place to check.
Measured gaps (docs: /work/shared/FACTS.md) and what we do instead:

1. OK packets: mimic always sends affected_rows = 0, last_insert_id = 0, no
   info.  ``cursor.rowcount``/``lastrowid`` and the mysql CLI's "Rows
   matched" line need the engine's ``Ok``: we write the OK packet ourselves
   (affected rows, last insert id, warning count, info text).  With
   CLIENT_FOUND_ROWS, UPDATE reports matched rather than changed rows, as
   MySQL does.
2. Status flags: mimic's are always 0.  Every OK/EOF we send carries
   SERVER_STATUS_AUTOCOMMIT and SERVER_STATUS_IN_TRANS from the session
   (drivers use them to decide whether a rollback is needed), and
   SERVER_MORE_RESULTS_EXISTS between the results of a multi-statement query.
3. Errors: mimic sends SQLSTATE HY000 for almost everything and turns any
   non-MysqlError into 1105.  An ``SQLError`` is written with its own errno
   and SQLSTATE (0xFF, errno, '#', sqlstate, message); any other exception is
   a bug, reported as 1105 naming the exception, and the connection stays
   usable (the stream's sequence is reset after every command).
4. Column definitions: mimic says length 256, flags 0, decimals 0, no
   schema/table names.  Clients decode by type, charset and flags (pymysql
   returns bytes for charset 63, Decimal for NEWDECIMAL...), so we build
   ColumnDefinition41 packets from ``ColumnInfo``/``SqlType``: real type
   code, length, decimals, charset, NOT_NULL/PRI_KEY/UNSIGNED/BINARY/BLOB
   flags, schema/table/org names.  Columns without a SqlType (``SELECT
   NULL``) are typed from their first non-NULL value.
5. Text values: mimic's encoders print ``str(value)``: floats as ``1e+20``,
   TIME as ``1 day, 2:00:00``, DECIMAL as ``0E-8``, fractional seconds
   regardless of the column's precision.  We pick one encoder per column
   from its type (MySQL's text for DOUBLE/FLOAT, DECIMAL, DATETIME(fsp),
   TIME(fsp), BIT) and leave strings, bytes and integers to the compiled
   fast path.
6. Multi-statements: mimic returns only the last result.  We advertise
   CLIENT_MULTI_STATEMENTS and send every result; an error in statement k
   follows the results of statements 1..k-1, as MySQL does.  Without the
   capability, more than one statement is a 1064 (see ``session``).
7. TLS: not offered at all (no CLIENT_SSL).  mimic's TLS upgrade races with
   the client's ClientHello and hung 13-16 of 18 fresh PyMySQL connections;
   PyMySQL >= 1.2 tries TLS whenever it is offered.
8. Commands mimic lacks or gets wrong: COM_STATISTICS answers a status line
   (mimic: 1047); COM_SET_OPTION toggles multi-statements; COM_PROCESS_KILL
   works; COM_FIELD_LIST sends real column definitions.
9. Prepared statements: mimic pastes parameters into the SQL text unescaped
   (a quote breaks the statement; injection is possible), cannot decode
   binary parameters, and loses the parameter types when a libmysqlclient/
   libmariadb client re-executes without re-sending them.  We implement the
   binary protocol ourselves (codec: ``sqlserver.prepared``):
   COM_STMT_PREPARE parses once and answers the parameter and (for queries,
   planned with NULL parameters) result column definitions; COM_STMT_EXECUTE
   decodes typed values, keeps the types for re-executions that do not send
   them, runs the statement through the engine's plan cache with the values
   as slot values (never SQL text) and answers an OK or a binary result set;
   SEND_LONG_DATA, RESET and CLOSE as MySQL.  Cursors are not opened: an
   execute that asks for one gets the rows directly (no
   SERVER_STATUS_CURSOR_EXISTS), and COM_STMT_FETCH answers 1421.
10. KILL QUERY: mimic cancels the connection's task wherever it is, so a KILL
   QUERY that reaches an idle connection (blocked reading the next command)
   or one in the middle of writing a result kills or corrupts the
   connection.  Here a KILL QUERY cancels only while the engine runs a
   statement (it yields to the loop every ``yield_every`` rows); the
   statement is rolled back and the client gets 1317.
11. Handshake: mimic continues to the command phase after a failed
   authentication, and accepts an unknown CONNECT_WITH_DB database.  We stop
   after a refusal, and answer an unknown initial database with 1049.

Hot path (one COM_QUERY): read packet -> decode SQL -> ``GroveSession.
handle_query`` (the engine) -> OK packet, or cached column definitions +
``write_text_rows`` + EOF -> one ``drain``.  Column metadata is cached per
``columns`` list (the engine reuses one list per cached plan), so a repeated
query costs one dict lookup for its header.
"""

from __future__ import annotations

import asyncio
import datetime
import decimal
import logging
import struct
import time
from typing import Any

from mysql_mimic import packets, types
from mysql_mimic.charset import CharacterSet
from mysql_mimic.connection import Connection
from mysql_mimic.constants import DEFAULT_SERVER_CAPABILITIES, KillKind
from mysql_mimic.errors import ErrorCode, MysqlError, get_sqlstate
from mysql_mimic.packets import SSLRequest
from mysql_mimic.results import ResultColumn
from mysql_mimic.stream import ConnectionClosed
from mysql_mimic.types import Capabilities, ColumnType, uint_len

from sqlserver import prepared, sqltypes
from sqlserver.engine.expressions import format_double, format_float
from sqlserver.engine import Statement
from sqlserver.engine.results import ColumnInfo, Ok, Rows
from sqlserver.engine.parser import decode_query
from sqlserver.engine.variables import SERVER_VERSION
from sqlserver.errors import SQLError
from sqlserver.sqltypes import SqlType
from storage.collation import DEFAULT_COLLATION

logger = logging.getLogger(__name__)

SERVER_CAPABILITIES = (
    (DEFAULT_SERVER_CAPABILITIES & ~Capabilities.CLIENT_SSL)
    | Capabilities.CLIENT_MULTI_STATEMENTS
    | Capabilities.CLIENT_MULTI_RESULTS
    | Capabilities.CLIENT_TRANSACTIONS
    | Capabilities.CLIENT_FOUND_ROWS
    | Capabilities.CLIENT_LONG_FLAG
)

STATUS_IN_TRANS = 0x0001
STATUS_AUTOCOMMIT = 0x0002
MORE_RESULTS = 0x0008

ROW_BATCH = 5000  # rows serialized between drains: bounds the send buffer and lets other connections run
METADATA_CACHE_LIMIT = 512  # distinct result shapes kept; cleared wholesale when full (cheap, rare)

_HH = struct.Struct("<HH")
_COLDEF_FIXED = struct.Struct("<BHIBHBH")  # 0x0c, charset, length, type, flags, decimals, filler


# --- packets ---------------------------------------------------------------------------


def error_packet(errno: int, sqlstate: str, message: str) -> bytes:
    """ERR_Packet (protocol 41): 0xFF, errno, '#', 5-char SQLSTATE, message."""
    return b"\xff" + struct.pack("<H", errno) + b"#" + sqlstate.encode("ascii")[:5].ljust(5, b"0") + message.encode(
        "utf-8", "replace")


def ok_packet(status: int, affected: int = 0, last_insert_id: int = 0, warnings: int = 0, info: str = "",
              header: bytes = b"\x00") -> bytes:
    """OK_Packet; header 0xFE makes it the end-of-result OK of CLIENT_DEPRECATE_EOF."""
    if warnings > 0xFFFF:
        warnings = 0xFFFF
    out = header + uint_len(affected) + uint_len(last_insert_id) + _HH.pack(status, warnings)
    if info:  # length-encoded, as MySQL's net_send_ok writes it (libmariadb reads it that way)
        b = info.encode("utf-8")
        out += uint_len(len(b)) + b
    return out


def eof_packet(status: int, warnings: int = 0) -> bytes:
    return b"\xfe" + _HH.pack(min(warnings, 0xFFFF), status)


# the common OK (nothing affected, no warnings), one per status-flag combination
_PLAIN_OK = {s: ok_packet(s) for s in range(16)}


def plain_ok(status: int) -> bytes:
    return _PLAIN_OK.get(status) or ok_packet(status)


# end-of-rows packets without warnings, as one-element lists for write_many
_END_EOF = [[eof_packet(s)] for s in range(16)]
_END_OK = [[ok_packet(s, header=b"\xfe")] for s in range(16)]


def _lenenc_str(s: str) -> bytes:
    b = s.encode("utf-8")
    return uint_len(len(b)) + b


def column_definition(name: str, type_code: int, *, charset: int, length: int, flags: int, decimals: int,
                      db: str = "", table: str = "", org_table: str = "", org_name: str = "",
                      default: bytes | None = None, field_list: bool = False) -> bytes:
    """ColumnDefinition41.  ``field_list`` appends the default value COM_FIELD_LIST answers carry."""
    out = (b"\x03def" + _lenenc_str(db) + _lenenc_str(table) + _lenenc_str(org_table) + _lenenc_str(name)
           + _lenenc_str(org_name) + _COLDEF_FIXED.pack(0x0C, charset, min(length, 0xFFFFFFFF), type_code,
                                                         flags & 0xFFFF, decimals, 0))
    if field_list:
        out += b"\xfb" if default is None else uint_len(len(default)) + default
    return out


# --- text values ---------------------------------------------------------------------------
# Encoders take (ResultColumn, value): the compiled write_text_rows calls them that way.


def _time_text(t: datetime.timedelta, fsp: int) -> str:
    us = (t.days * 86400 + t.seconds) * 1_000_000 + t.microseconds
    sign = "-" if us < 0 else ""
    s, frac = divmod(abs(us), 1_000_000)
    h, rem = divmod(s, 3600)
    m, s = divmod(rem, 60)
    out = f"{sign}{h:02d}:{m:02d}:{s:02d}"
    if fsp:
        out += "." + f"{frac:06d}"[:fsp]
    return out


def text_value(v: Any) -> bytes:
    """Any Python value the engine produces, as MySQL's text protocol shows it (None is handled by the caller)."""
    t = type(v)
    if t is str:
        return v.encode("utf-8")
    if t is int:
        return str(v).encode("ascii")
    if t is bytes:
        return v
    if t is bool:
        return b"1" if v else b"0"
    if t is float:
        return format_double(v).encode("ascii")
    if t is decimal.Decimal:
        return format(v, "f").encode("ascii")
    if t is datetime.datetime:
        return v.isoformat(" ", "microseconds" if v.microsecond else "seconds").encode("ascii")
    if t is datetime.date:
        return v.isoformat().encode("ascii")
    if t is datetime.timedelta:
        return _time_text(v, 6 if v.microseconds else 0).encode("ascii")
    if t is datetime.time:
        return v.isoformat().encode("ascii")
    if isinstance(v, (bytearray, memoryview)):
        return bytes(v)
    if isinstance(v, int):  # int subclasses (IntEnum...)
        return str(int(v)).encode("ascii")
    return str(v).encode("utf-8")


def _enc_any(col: Any, v: Any) -> bytes:
    return text_value(v)


def _enc_decimal(col: Any, v: Any) -> bytes:
    return format(v, "f").encode("ascii") if type(v) is decimal.Decimal else text_value(v)


def _enc_double(col: Any, v: Any) -> bytes:
    return format_double(v).encode("ascii") if type(v) is float else text_value(v)


def _enc_float32(col: Any, v: Any) -> bytes:
    return format_float(v).encode("ascii") if type(v) is float else text_value(v)


def _enc_date(col: Any, v: Any) -> bytes:
    return v.isoformat().encode("ascii") if type(v) is datetime.date else text_value(v)


def _datetime_encoder(fsp: int):
    if not fsp:
        def enc(col: Any, v: Any) -> bytes:
            return v.isoformat(" ", "seconds").encode("ascii") if type(v) is datetime.datetime else text_value(v)
    else:
        cut = 20 + fsp

        def enc(col: Any, v: Any) -> bytes:
            if type(v) is datetime.datetime:
                return v.isoformat(" ", "microseconds")[:cut].encode("ascii")
            return text_value(v)
    return enc


def _time_encoder(fsp: int):
    def enc(col: Any, v: Any) -> bytes:
        return _time_text(v, fsp).encode("ascii") if type(v) is datetime.timedelta else text_value(v)
    return enc


def _bit_encoder(bits: int):
    nbytes = max(1, (bits + 7) // 8)

    def enc(col: Any, v: Any) -> bytes:  # BIT travels as big-endian bytes, as MySQL sends it
        return v.to_bytes(nbytes, "big") if type(v) is int and v >= 0 else text_value(v)
    return enc


_DATETIME_ENCODERS = [_datetime_encoder(f) for f in range(7)]
_TIME_ENCODERS = [_time_encoder(f) for f in range(7)]
_STRINGY = {"char", "varchar", "binary", "varbinary", "tinytext", "text", "mediumtext", "longtext", "tinyblob",
            "blob", "mediumblob", "longblob", "json", "enum", "set"}


def _result_column(name: str, st: SqlType | None) -> ResultColumn:
    """The mimic ResultColumn that makes ``write_text_rows`` encode this column's values our way.

    Type VARCHAR without an encoder is the compiled path (str -> utf-8, bytes
    raw); TINY is the compiled ``str(int(v))`` path (right for int and bool);
    the rest get a Python encoder that falls back to ``text_value`` when a
    value's type is not the column's.
    """
    utf8 = CharacterSet.utf8mb4
    if st is None:
        return ResultColumn(name, ColumnType.VARCHAR, utf8, text_encoder=_enc_any)
    n = st.name
    if st.is_integer or n == "year":
        return ResultColumn(name, ColumnType.TINY, utf8)
    if n in _STRINGY:
        return ResultColumn(name, ColumnType.VARCHAR, utf8)
    enc = {"decimal": _enc_decimal, "double": _enc_double, "float": _enc_float32, "date": _enc_date}.get(n)
    if enc is None:
        if n in ("datetime", "timestamp"):
            enc = _DATETIME_ENCODERS[min(st.fsp, 6)]
        elif n == "time":
            enc = _TIME_ENCODERS[min(st.fsp, 6)]
        elif n == "bit":
            enc = _bit_encoder(st.length or 1)
        else:
            enc = _enc_any
    return ResultColumn(name, ColumnType.VARCHAR, utf8, text_encoder=enc)


# --- column metadata -----------------------------------------------------------------------

def infer_sqltype(values) -> SqlType | None:
    """A SqlType for an untyped column, from its first non-NULL value; None if all are NULL."""
    for v in values:
        if v is None:
            continue
        t = type(v)
        if t is int or t is bool:
            return SqlType("bigint")
        if t is float:
            return SqlType("double")
        if t is decimal.Decimal:
            exp = v.as_tuple().exponent
            scale = -exp if isinstance(exp, int) and exp < 0 else 0
            return SqlType("decimal", precision=max(len(v.as_tuple().digits), scale, 1), scale=min(scale, 30))
        if t is datetime.datetime:
            return SqlType("datetime", fsp=6 if v.microsecond else 0)
        if t is datetime.date:
            return SqlType("date")
        if t is datetime.timedelta:
            return SqlType("time", fsp=6 if v.microseconds else 0)
        if t is bytes or t is bytearray:
            return SqlType("varbinary", length=65535)
        return SqlType("varchar", length=16383, collation=DEFAULT_COLLATION)
    return None


def column_definition_for(c: ColumnInfo, st: SqlType | None, *, field_list: bool = False) -> bytes:
    """The ColumnDefinition41 packet for one result column (``st``: its type, possibly inferred)."""
    flags = c.flags | (0 if c.nullable else sqltypes.NOT_NULL_FLAG)
    if st is None:  # only NULLs: MySQL types SELECT NULL as NULL, binary charset
        return column_definition(c.name, ColumnType.NULL, charset=sqltypes.BINARY_CHARSET, length=0,
                                 flags=flags | sqltypes.BINARY_FLAG, decimals=0, db=c.db, table=c.table,
                                 org_table=c.org_table or c.table, org_name=c.org_name, field_list=field_list)
    return column_definition(c.name, st.wire_type, charset=st.charset, length=st.display_length,
                             flags=flags | st.flags, decimals=st.decimals, db=c.db, table=c.table,
                             org_table=c.org_table or c.table, org_name=c.org_name, field_list=field_list)


class ResultMetadata:
    """What every result of one shape shares: the header packets and the row encoders.

    ``header`` is the column count and the column definitions;
    ``header_eof(status)`` adds the EOF that ends them for clients without
    CLIENT_DEPRECATE_EOF (one list per status value, built once).
    """

    __slots__ = ("columns", "header", "rescols", "_with_eof")

    def __init__(self, columns: list, header: list[bytes], rescols: list[ResultColumn]):
        self.columns = columns
        self.header = header
        self.rescols = rescols
        self._with_eof: dict[int, list[bytes]] = {}

    def header_eof(self, status: int) -> list[bytes]:
        h = self._with_eof.get(status)
        if h is None:
            h = self._with_eof[status] = self.header + [eof_packet(status)]
        return h


# id(columns list) -> metadata; the entry holds the list, so its id cannot be
# reused by another object while the entry lives.  The engine passes the same
# list for every execution of a cached plan.
_by_list: dict[int, ResultMetadata] = {}
# tuple(columns) -> metadata, for results whose list is new each time but whose
# columns repeat (the engine renames literal columns per statement text)
_by_value: dict[tuple, ResultMetadata] = {}


def result_metadata(columns: list[ColumnInfo], rows: list) -> ResultMetadata:
    """The header packets and encoders for a result (cached when every column is typed).

    Untyped columns (``SqlType`` None: ``SELECT NULL``) are typed from their
    values, so such results are built every time.
    """
    meta = _by_list.get(id(columns))
    if meta is not None and meta.columns is columns:
        return meta
    typed = all(c.sqltype is not None for c in columns)
    if typed:
        key = tuple(columns)
        meta = _by_value.get(key)
        if meta is None:
            meta = _build_metadata(columns, rows)
            if len(_by_value) >= METADATA_CACHE_LIMIT:
                _by_value.clear()
            _by_value[key] = meta
        if len(_by_list) >= METADATA_CACHE_LIMIT:
            _by_list.clear()
        _by_list[id(columns)] = ResultMetadata(columns, meta.header, meta.rescols)
        return meta
    return _build_metadata(columns, rows)


def _build_metadata(columns: list[ColumnInfo], rows: list) -> ResultMetadata:
    header = [uint_len(len(columns))]
    rescols = []
    for i, c in enumerate(columns):
        st = c.sqltype
        if st is None:
            st = infer_sqltype(row[i] for row in rows)
        header.append(column_definition_for(c, st))
        rescols.append(_result_column(c.name, st))
    return ResultMetadata(columns, header, rescols)


# --- the connection ------------------------------------------------------------------------


class HandshakeRefused(Exception):
    """The handshake ended with an error packet already sent; close the connection."""


class GroveConnection(Connection):
    """One client connection.  See the module docstring for what differs from mysql-mimic.

    Expects a ``GroveSession`` and a ``sqlserver.server.GroveControl`` (its
    ``questions``/``started`` counters feed COM_STATISTICS, ``has`` feeds
    KILL).  Command handlers receive the whole packet, command byte first.
    """

    def __init__(self, stream, session, control, identity_provider,
                 server_capabilities: Capabilities = SERVER_CAPABILITIES, ssl=None):
        super().__init__(stream=stream, session=session, control=control, identity_provider=identity_provider,
                         server_capabilities=server_capabilities & ~Capabilities.CLIENT_SSL, ssl=None)
        self._busy = False  # the engine is running a statement: the only time KILL QUERY cancels
        self._codec = "utf-8"
        self._client_cs = CharacterSet.utf8mb4
        self._deprecate_eof = False
        self._found_rows = False
        self._query_attrs = False
        self._busy_poll = getattr(control, "busy_poll", None)  # sqlserver.busy_poll (None: off)
        self._statements: dict[int, PreparedStatement] = {}  # this connection's prepared statements by id
        self._next_statement_id = 1

    # mimic reads these through session.variables; ours are fixed per connection
    @property
    def server_charset(self) -> CharacterSet:
        return CharacterSet.utf8mb4

    @property
    def client_charset(self) -> CharacterSet:
        return self._client_cs

    def _status(self) -> int:
        state = getattr(self.session, "state", None)
        return state.status_flags if state is not None else STATUS_AUTOCOMMIT

    # --- packets mimic's own code paths use (authentication, change user) ---

    def ok(self, **kwargs: Any) -> bytes:
        return ok_packet(self._status() | kwargs.get("flags", 0), kwargs.get("affected_rows", 0),
                         kwargs.get("last_insert_id", 0), kwargs.get("warnings", 0),
                         header=b"\xfe" if kwargs.get("eof") else b"\x00")

    def eof(self, **kwargs: Any) -> bytes:
        return eof_packet(self._status() | kwargs.get("flags", 0), kwargs.get("warnings", 0))

    def error(self, msg: Any = "", code: int = ErrorCode.UNKNOWN_ERROR, **_: Any) -> bytes:
        code = int(code)
        if code == ErrorCode.USER_DOES_NOT_EXIST:  # MySQL does not say whether the user exists
            return error_packet(1045, "28000", f"Access denied: {msg}")
        return error_packet(code, get_sqlstate(code).decode("ascii"), str(msg))

    def _end_of_rows(self, status: int, warnings: int) -> bytes:
        if self._deprecate_eof:
            return ok_packet(status, 0, 0, warnings, header=b"\xfe")
        return eof_packet(status, warnings)

    # --- lifecycle ---

    async def _start(self) -> None:
        try:
            try:
                await self.connection_phase()
                await self.session.init(self)
            except (HandshakeRefused, ConnectionClosed, asyncio.IncompleteReadError, ConnectionError):
                return
            except Exception as e:  # noqa: BLE001 - tell the client, then close
                logger.warning("handshake failed on connection %s: %r", self.connection_id, e)
                await self.stream.write(error_packet(1043, "08S01", f"Bad handshake: {e}"))
                return
            try:
                await self.command_phase()
            except asyncio.CancelledError:
                if self._kill != KillKind.CONNECTION:
                    raise
                self._kill = None
                try:
                    await self.stream.write(error_packet(3169, "HY000", "Session was killed"))
                except (ConnectionError, RuntimeError):
                    pass
        finally:
            self._close_statements()
            await self.session.close()

    def kill(self, kind: KillKind = KillKind.CONNECTION) -> None:
        """KILL from another connection (or server shutdown): QUERY acts only while a statement runs."""
        if kind == KillKind.QUERY and not self._busy:
            return
        super().kill(kind)

    async def connection_phase(self) -> None:
        plugin = self.identity_provider.get_default_plugin()
        auth_data, auth_state = await plugin.start()
        self.handshake_auth_data = auth_data
        self.handshake_auth_plugin = plugin.name
        await self.stream.write(packets.make_handshake_v10(
            capabilities=self.server_capabilities, server_charset=CharacterSet.utf8mb4,
            server_version=SERVER_VERSION, connection_id=self.connection_id, auth_data=auth_data,
            status_flags=types.ServerStatus.SERVER_STATUS_AUTOCOMMIT, auth_plugin_name=plugin.name))
        response = packets.parse_handshake_response(capabilities=self.server_capabilities,
                                                    data=await self.stream.read())
        if isinstance(response, SSLRequest):  # we never offer TLS; a client that insists gets a clear no
            await self.stream.write(error_packet(1043, "08S01", "Grove does not support TLS connections yet"))
            raise HandshakeRefused()
        caps = response.capabilities
        self.capabilities = caps
        self.max_packet_size = response.max_packet_size
        self._client_cs = response.client_charset
        self._codec = response.client_charset.codec
        self._deprecate_eof = Capabilities.CLIENT_DEPRECATE_EOF in caps
        self._found_rows = Capabilities.CLIENT_FOUND_ROWS in caps
        self._query_attrs = Capabilities.CLIENT_QUERY_ATTRIBUTES in caps
        self.session.multi_statements = Capabilities.CLIENT_MULTI_STATEMENTS in caps
        self.client_plugin_name = response.client_plugin
        self.client_connect_attrs = response.connect_attrs
        self.session.variables.set("character_set_client", response.client_charset.name)
        self.session.variables.set("external_user", response.username, force=True)
        if response.database and await self.identity_provider.get_user(response.username) is not None:
            if not self.session.has_database(response.database):
                await self.stream.write(error_packet(1049, "42000", f"Unknown database '{response.database}'"))
                raise HandshakeRefused()
        await self.authenticate(auth_state=auth_state, server_plugin=plugin, username=response.username,
                                client_plugin_name=response.client_plugin, auth_response=response.auth_response,
                                connect_attrs=response.connect_attrs)
        if self.session.username is None:  # refused: mimic wrote the error and would carry on
            raise HandshakeRefused()
        if response.database:
            self.session.database = response.database
        self.stream.reset_seq()

    # --- commands ---

    async def command_phase(self) -> None:
        stream = self.stream
        read = stream.read
        handle_query = self.handle_query
        busy_poll = self._busy_poll if self._busy_poll is not None and self._busy_poll.enabled else None
        reader = stream.reader
        while True:
            try:
                if busy_poll is not None and not reader._buffer:  # nothing buffered: poll before sleeping
                    busy_poll.wait()
                data = await read()
            except (ConnectionClosed, asyncio.IncompleteReadError, ConnectionError):
                return
            try:
                command = data[0]
                if command == 0x03:  # COM_QUERY
                    await handle_query(data)
                elif command == 0x0E:  # COM_PING
                    await stream.write(plain_ok(self._status()))
                elif command == 0x01:  # COM_QUIT
                    return
                else:
                    handler = _HANDLERS.get(command)
                    if handler is None:
                        raise SQLError(1047, "08S01", f"Unknown command 0x{command:02x}")
                    await handler(self, data)
            except SQLError as e:
                await stream.write(error_packet(e.errno, e.sqlstate, e.message))
                if getattr(e, "close_connection", False):
                    return
            except MysqlError as e:
                await stream.write(error_packet(int(e.code), get_sqlstate(e.code).decode("ascii"), str(e.msg)))
            except asyncio.CancelledError:
                if self._kill != KillKind.QUERY:
                    raise
                self._kill = None
                task = asyncio.current_task()
                if task is not None:
                    task.uncancel()
                await stream.write(error_packet(1317, "70100", "Query execution was interrupted"))
            except (ConnectionError, asyncio.IncompleteReadError):
                return
            except Exception as e:  # noqa: BLE001 - a bug; the client gets 1105 and the connection lives
                logger.exception("internal error on connection %s", self.connection_id)
                await stream.write(error_packet(1105, "HY000", f"Internal error: {type(e).__name__}: {e}"))
            finally:
                stream.reset_seq()

    async def handle_query(self, data: bytes) -> None:
        try:
            if self._query_attrs:
                sql = packets.parse_com_query(capabilities=self.capabilities, client_charset=self._client_cs,
                                              data=data[1:]).sql
            else:
                sql = data[1:].decode(self._codec)
        except UnicodeDecodeError as e:  # raw bytes in a _binary'...' literal (mysqlclient, the connector)
            if not data.endswith(e.object):  # a query attribute, not the statement
                raise
            sql = decode_query(e.object, self._codec)
        self.control.questions += 1
        try:
            self._statement_starts()
            try:
                results = await self.session.handle_query(sql, {})
            finally:
                self._statement_ends()
        except SQLError as e:
            partial = getattr(e, "partial_results", None)
            if partial:  # statements before the failing one: their results, then the error
                await self.write_results(partial, more=True)
            raise
        await self.write_results(results)

    def _statement_starts(self) -> None:
        """The engine runs a statement: KILL QUERY may cancel it now, and busy polling stands aside."""
        self._busy = True
        if self._busy_poll is not None:
            self._busy_poll.running += 1

    def _statement_ends(self) -> None:
        self._busy = False
        if self._busy_poll is not None:
            self._busy_poll.running -= 1

    async def write_results(self, results: list, more: bool = False) -> None:
        """Write one result per statement; all but the last (unless ``more``) flag MORE_RESULTS."""
        status = self._status()
        last = len(results) - 1
        for i, r in enumerate(results):
            flags = status | MORE_RESULTS if (more or i < last) else status
            if type(r) is Ok:
                self._write_ok(r, flags)
            elif len(r.rows) <= ROW_BATCH:
                self._write_rows(r, flags)
            else:
                await self._write_many_rows(r, flags)
        await self.stream.drain()

    def _write_ok(self, r: Ok, status: int) -> None:
        affected = r.affected_rows
        if self._found_rows and r.info.startswith("Rows matched: "):
            affected = int(r.info.split()[2])
        if affected or r.last_insert_id or r.warnings or r.info:
            self.stream.write_many([ok_packet(status, affected, r.last_insert_id, r.warnings, r.info)])
        else:
            self.stream.write_many([plain_ok(status)])

    def _write_rows(self, r: Rows, status: int) -> None:
        """A result small enough to serialize in one go (into the stream's buffer)."""
        stream = self.stream
        meta = result_metadata(r.columns, r.rows)
        stream.write_many(meta.header if self._deprecate_eof else meta.header_eof(status))
        stream.write_text_rows(r.rows, meta.rescols)
        self._write_end_of_rows(r, status)

    async def _write_many_rows(self, r: Rows, status: int) -> None:
        """A large result: ROW_BATCH rows at a time, draining (flow control) between batches."""
        stream = self.stream
        meta = result_metadata(r.columns, r.rows)
        stream.write_many(meta.header if self._deprecate_eof else meta.header_eof(status))
        rows = r.rows
        for i in range(0, len(rows), ROW_BATCH):
            stream.write_text_rows(rows[i:i + ROW_BATCH], meta.rescols)
            await stream.drain()
        self._write_end_of_rows(r, status)

    def _write_end_of_rows(self, r: Rows, status: int) -> None:
        if r.warnings or status >= 16:
            self.stream.write_many([self._end_of_rows(status, r.warnings)])
        else:
            self.stream.write_many((_END_OK if self._deprecate_eof else _END_EOF)[status])

    async def handle_init_db(self, data: bytes) -> None:
        await self.session.use(data[1:].decode(self._codec))
        await self.stream.write(plain_ok(self._status()))

    async def handle_field_list(self, data: bytes) -> None:
        table, _, _wildcard = data[1:].partition(b"\0")
        name = table.decode(self._codec)
        columns = await self.session.table_columns(name)
        self.stream.write_many([column_definition_for(c, c.sqltype, field_list=True) for c in columns])
        await self.stream.write(self._end_of_rows(self._status(), 0))

    async def handle_statistics(self, data: bytes) -> None:
        c = self.control
        uptime = max(1, int(time.monotonic() - c.started))
        text = (f"Uptime: {uptime}  Threads: {c.connection_count()}  Questions: {c.questions}  "
                f"Slow queries: 0  Opens: 0  Flush tables: 0  Open tables: {c.open_tables()}  "
                f"Queries per second avg: {c.questions / uptime:.3f}")
        await self.stream.write(text.encode("ascii"))

    async def handle_set_option(self, data: bytes) -> None:
        option = struct.unpack_from("<H", data, 1)[0]
        if option not in (0, 1):
            raise SQLError(1047, "08S01", f"Unknown COM_SET_OPTION value {option}")
        self.session.multi_statements = option == 0
        await self.stream.write(eof_packet(self._status()))

    async def handle_process_kill(self, data: bytes) -> None:
        (target,) = struct.unpack_from("<I", data, 1)
        await self.session.kill(target, query=False)
        await self.stream.write(plain_ok(self._status()))

    async def handle_reset_connection(self, data: bytes) -> None:
        await self.session.reset()
        self._close_statements()
        await self.stream.write(plain_ok(self._status()))

    async def handle_change_user_cmd(self, data: bytes) -> None:
        await self.handle_change_user(data[1:])

    async def handle_debug(self, data: bytes) -> None:
        await self.stream.write(plain_ok(self._status()))

    # --- prepared statements (module docstring, item 9; codec: sqlserver.prepared) ---

    def _statement(self, data: bytes, command: str) -> "PreparedStatement":
        stmt_id = prepared.statement_id(data)
        ps = self._statements.get(stmt_id)
        if ps is None:
            raise SQLError(1243, "HY000", f"Unknown prepared statement handler ({stmt_id}) given to {command}")
        return ps

    def _close_statements(self) -> None:
        global _open_statements
        _open_statements -= len(self._statements)
        self._statements.clear()

    async def handle_stmt_prepare(self, data: bytes) -> None:
        global _open_statements
        try:
            sql = data[1:].decode(self._codec)
        except UnicodeDecodeError:
            sql = decode_query(data[1:], self._codec)
        if _open_statements >= MAX_PREPARED_STMT_COUNT:
            raise SQLError(1461, "42000", "Can't create more than max_prepared_stmt_count statements "
                                          f"(current value: {MAX_PREPARED_STMT_COUNT})")
        stmt, columns = self.session.prepare(sql)
        stmt_id = self._next_statement_id
        self._next_statement_id += 1
        self._statements[stmt_id] = PreparedStatement(stmt, columns)
        _open_statements += 1
        status = self._status()
        ncols = len(columns) if columns else 0
        out = [prepared.prepare_ok(stmt_id, ncols, stmt.param_count)]
        if stmt.param_count:
            out += [_PARAM_DEFINITION] * stmt.param_count
            if not self._deprecate_eof:
                out.append(eof_packet(status))
        if ncols:
            out += result_metadata(columns, ()).header[1:]
            if not self._deprecate_eof:
                out.append(eof_packet(status))
        self.stream.write_many(out)
        await self.stream.drain()

    async def handle_stmt_execute(self, data: bytes) -> None:
        ps = self._statement(data, "mysqld_stmt_execute")
        stmt = ps.stmt
        req = prepared.parse_execute(data, stmt.param_count, ps.types, ps.long_data,
                                     query_attrs=self._query_attrs, encoding=self._codec)
        ps.types = req.types
        if ps.long_data:
            ps.long_data = {}  # MySQL clears the buffers after each execution
        self.control.questions += 1
        self._statement_starts()
        try:
            result = await self.session.handle_prepared(stmt, req.values)
        finally:
            self._statement_ends()
        status = self._status()
        if type(result) is Ok:
            self._write_ok(result, status)
        else:
            await self._write_binary_rows(result, status)
        await self.stream.drain()

    async def _write_binary_rows(self, r: Rows, status: int) -> None:
        """A binary result set: the same column definitions as a text result, then binary rows."""
        stream = self.stream
        rows = r.rows
        meta = result_metadata(r.columns, rows)
        stream.write_many(meta.header if self._deprecate_eof else meta.header_eof(status))
        encoders = binary_encoders(r.columns, rows)
        if len(rows) <= ROW_BATCH:
            stream.write_many(prepared.binary_rows(rows, encoders))
        else:
            for i in range(0, len(rows), ROW_BATCH):
                stream.write_many(prepared.binary_rows(rows[i:i + ROW_BATCH], encoders))
                await stream.drain()
        self._write_end_of_rows(r, status)

    async def handle_stmt_send_long_data(self, data: bytes) -> None:
        """Append to a parameter's buffer.  No response, even for an unknown statement (as MySQL)."""
        if len(data) < 7:
            return
        ps = self._statements.get(prepared.statement_id(data))
        if ps is None:
            return
        param = struct.unpack_from("<H", data, 5)[0]
        if param < ps.stmt.param_count:
            ps.long_data.setdefault(param, bytearray()).extend(data[7:])

    async def handle_stmt_reset(self, data: bytes) -> None:
        ps = self._statement(data, "mysqld_stmt_reset")
        ps.long_data = {}
        await self.stream.write(plain_ok(self._status()))

    async def handle_stmt_close(self, data: bytes) -> None:
        """Forget the statement.  No response (an unknown id is ignored, as MySQL does)."""
        global _open_statements
        if len(data) >= 5 and self._statements.pop(prepared.statement_id(data), None) is not None:
            _open_statements -= 1

    async def handle_stmt_fetch(self, data: bytes) -> None:
        self._statement(data, "mysqld_stmt_fetch")  # 1243 for an unknown statement
        raise SQLError(1421, "HY000", f"The statement ({prepared.statement_id(data)}) has no open cursor.")


class PreparedStatement:
    """One prepared statement of a connection: the engine's statement, its result columns (when a
    prepare can know them), the parameter types of the last execution, long-data buffers."""

    __slots__ = ("stmt", "columns", "types", "long_data")

    def __init__(self, stmt: Statement, columns: list | None):
        self.stmt = stmt
        self.columns = columns
        self.types: list | None = None  # (type code, unsigned) per parameter, from the last execute that sent them
        self.long_data: dict[int, bytearray] = {}


# MySQL's max_prepared_stmt_count default; counted over the process's connections (one server per process)
MAX_PREPARED_STMT_COUNT = 16382
_open_statements = 0

# what a prepare says about each parameter: MySQL 8 types them from context; clients send their own types
_PARAM_DEFINITION = column_definition("?", ColumnType.VAR_STRING, charset=sqltypes.BINARY_CHARSET, length=0,
                                      flags=sqltypes.BINARY_FLAG, decimals=0)

# id(columns list) -> (the list, binary encoders); as ``_by_list`` for result metadata
_encoders_by_list: dict[int, tuple] = {}


def binary_encoders(columns: list[ColumnInfo], rows: list) -> list:
    """One binary-row encoder per column (sqlserver.prepared.binary_encoder), by the type its column
    definition announces (untyped columns: inferred from the values, as ``result_metadata`` does)."""
    hit = _encoders_by_list.get(id(columns))
    if hit is not None and hit[0] is columns:
        return hit[1]
    typed = True
    encoders = []
    for i, c in enumerate(columns):
        st = c.sqltype
        if st is None:
            typed = False
            st = infer_sqltype(row[i] for row in rows)
        encoders.append(prepared.binary_encoder(st))
    if typed:
        if len(_encoders_by_list) >= METADATA_CACHE_LIMIT:
            _encoders_by_list.clear()
        _encoders_by_list[id(columns)] = (columns, encoders)
    return encoders


_HANDLERS = {
    0x02: GroveConnection.handle_init_db,
    0x04: GroveConnection.handle_field_list,
    0x09: GroveConnection.handle_statistics,
    0x0C: GroveConnection.handle_process_kill,
    0x0D: GroveConnection.handle_debug,
    0x11: GroveConnection.handle_change_user_cmd,
    0x16: GroveConnection.handle_stmt_prepare,
    0x17: GroveConnection.handle_stmt_execute,
    0x18: GroveConnection.handle_stmt_send_long_data,
    0x19: GroveConnection.handle_stmt_close,
    0x1A: GroveConnection.handle_stmt_reset,
    0x1B: GroveConnection.handle_set_option,
    0x1C: GroveConnection.handle_stmt_fetch,
    0x1F: GroveConnection.handle_reset_connection,
}
