"""The session time zone (``@@time_zone``): what NOW(), UNIX_TIMESTAMP() and FROM_UNIXTIME() mean.

MySQL evaluates the current time, and converts between epoch seconds and
DATETIME values, in the session's time zone: ``SYSTEM`` (the server
process's own zone, the default), a fixed offset ``'+HH:MM'`` /
``'-HH:MM'`` (MySQL 8 accepts -13:59 through +14:00), or a named zone such as
``'Europe/Paris'`` (MySQL needs its time zone tables loaded for names; Grove
reads the system's zoneinfo database, so every name it holds works).
Anything else is error 1298 "Unknown or incorrect time zone", at SET time.

Not done: TIMESTAMP columns are stored as written, like DATETIME (MySQL
stores them as UTC and converts from and to the session zone), so reading a
TIMESTAMP under another time_zone shows the same wall-clock value.
"""

from __future__ import annotations

import datetime
import functools
import re
import time

from sqlserver.errors import SQLError

_OFFSET = re.compile(r"^\s*([+-])(\d{1,2}):(\d{2})\s*$")


def unknown(name) -> SQLError:
    return SQLError(1298, "HY000", f"Unknown or incorrect time zone: '{name}'")


@functools.lru_cache(maxsize=256)
def zone(name: str) -> datetime.tzinfo | None:
    """The tzinfo of a time_zone value; None for SYSTEM (the process's local zone).  1298 if unknown."""
    if not isinstance(name, str):
        raise unknown(name)
    if name.strip().upper() == "SYSTEM":
        return None
    m = _OFFSET.match(name)
    if m is not None:
        sign, hours, minutes = m.group(1), int(m.group(2)), int(m.group(3))
        total = hours * 60 + minutes
        if minutes > 59 or (sign == "+" and total > 14 * 60) or (sign == "-" and total > 13 * 60 + 59):
            raise unknown(name)
        return datetime.timezone(datetime.timedelta(minutes=-total if sign == "-" else total))
    try:
        import zoneinfo

        return zoneinfo.ZoneInfo(name.strip())
    except (ValueError, OSError, ImportError) as e:  # ZoneInfoNotFoundError is a KeyError
        raise unknown(name) from e
    except KeyError as e:
        raise unknown(name) from e


def session_zone(state) -> datetime.tzinfo | None:
    return zone(str(state.get_variable("time_zone")))


def now(state) -> datetime.datetime:
    """The current time as a naive DATETIME in the session's zone, to the second."""
    return datetime.datetime.now(session_zone(state)).replace(microsecond=0, tzinfo=None)


def to_epoch(d: datetime.datetime, tz: datetime.tzinfo | None) -> float:
    """Epoch seconds of the naive DATETIME ``d`` read in zone ``tz`` (None: the process's zone)."""
    if tz is None:
        return d.timestamp()
    return d.replace(tzinfo=tz).timestamp()


def from_epoch(seconds: float, tz: datetime.tzinfo | None) -> datetime.datetime:
    """The naive DATETIME in zone ``tz`` of epoch ``seconds``."""
    if tz is None:
        return datetime.datetime.fromtimestamp(seconds)
    return datetime.datetime.fromtimestamp(seconds, tz).replace(tzinfo=None)


def epoch_now() -> int:
    return int(time.time())


__all__ = ["epoch_now", "from_epoch", "now", "session_zone", "to_epoch", "unknown", "zone"]
