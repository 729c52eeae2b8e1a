"""Date and time functions with MySQL 8's semantics: interval arithmetic, differences, formatting, parsing,
calendar parts and conversions.

Entries have the ``FUNCTIONS`` shape (sqlserver.engine.functions).  The
planner binds the interval forms (``DATE_ADD(d, INTERVAL n unit)``,
``d + INTERVAL n unit``, ``ADDDATE``/``SUBDATE``, ``TIMESTAMPADD``) to
``fn:date_add(d, n, 'UNIT')`` with the sign folded into the unit argument
(``'-DAY'`` for DATE_SUB), ``TIMESTAMPDIFF`` and ``EXTRACT`` to calls whose
first argument is the unit; a unit is always a constant, read once at
compile time.  Format strings (DATE_FORMAT, STR_TO_DATE) are usually
statement parameters: each distinct one is compiled once into a list of
field writers/readers and cached.

MySQL's rules (https://dev.mysql.com/doc/refman/8.0/en/date-and-time-functions.html):

* an argument that is not a valid date gives NULL with warning 1292
  ("Incorrect datetime value"); a result outside years 1..9999 gives NULL
  with warning 1441 ("Datetime function: datetime field overflow");
* DATE_ADD's result is a DATE for a DATE argument and a day-or-longer unit,
  a DATETIME for DATE/DATETIME arguments otherwise, a TIME for a TIME
  argument, and a string for a string argument (date-only text stays
  date-only when the unit allows it);
* adding months clips the day to the month's end ('2024-01-31' + INTERVAL
  1 MONTH is '2024-02-29'); a compound interval string with fewer fields
  than its unit fills from the right ('1:2' DAY_SECOND is 1 minute 2
  seconds); a decimal quantity of a simple unit above SECOND is rounded;
* TIMESTAMPDIFF counts whole units (months compare day and time of day);
* WEEK/YEARWEEK follow MySQL's eight week modes (default 0: weeks start on
  Sunday, week 1 is the first with a Sunday in the year).

Differences from MariaDB (the golden files' reference where the two agree):
MySQL 8 runs with NO_ZERO_IN_DATE/NO_ZERO_DATE, so STR_TO_DATE('2024',
'%Y') is NULL (MariaDB: '2024-00-00'); string results with fractional
seconds carry 6 digits in MySQL (MariaDB trims them).
"""

from __future__ import annotations

import calendar
import datetime
import decimal
import re

from sqlserver.engine import timezones
from sqlserver.engine.expressions import T_BIGINT, T_DATETIME, T_TEXT, to_number, to_text
from sqlserver.sqltypes import SqlType

T_DATE = SqlType("date")
T_TIME = SqlType("time")
_MAX_TIME_US = (838 * 3600 + 59 * 60 + 59) * 1_000_000
_DAY_US = 86400_000_000

# --- reading arguments ---------------------------------------------------------------

_DT_DELIMITED = re.compile(
    r"^\s*(\d{1,4})[^\d\s](\d{1,2})[^\d\s](\d{1,2})"
    r"(?:(?:[T ]+|[^\d\s])(\d{1,2})(?:[^\d\s](\d{1,2})(?:[^\d\s](\d{1,2})(?:\.(\d*))?)?)?)?\s*$")
_DT_DIGITS = re.compile(r"^\s*(\d{6}|\d{8}|\d{12}|\d{14})(?:\.(\d*))?\s*$")


def _year2(y: int, width: int) -> int:
    if width <= 2:
        return y + 2000 if y < 70 else y + 1900
    return y


def parse_datetime(s: str) -> tuple[datetime.datetime, bool] | None:
    """(value, has_time) for MySQL datetime text ('2024-1-2', '2024/01/02 3:04:05.5', '20240102'), else None."""
    m = _DT_DELIMITED.match(s)
    try:
        if m is not None:
            y, mo, d, h, mi, sec, frac = m.groups()
            us = int((frac or "0")[:6].ljust(6, "0"))
            return (datetime.datetime(_year2(int(y), len(y)), int(mo), int(d), int(h or 0), int(mi or 0),
                                      int(sec or 0), us), h is not None)
        m = _DT_DIGITS.match(s)
        if m is not None:
            t, frac = m.groups()
            if len(t) in (6, 12):
                y, rest = _year2(int(t[:2]), 2), t[2:]
            else:
                y, rest = int(t[:4]), t[4:]
            us = int((frac or "0")[:6].ljust(6, "0"))
            parts = [int(rest[i:i + 2]) for i in range(0, len(rest), 2)] + [0, 0, 0]
            return datetime.datetime(y, parts[0], parts[1], parts[2], parts[3], parts[4], us), len(rest) > 4
    except ValueError:
        return None
    return None


def as_datetime(v, ctx) -> tuple[datetime.datetime, bool] | None:
    """A non-NULL argument as (datetime, has_time), or None with warning 1292."""
    if isinstance(v, datetime.datetime):
        return v, True
    if isinstance(v, datetime.date):
        return datetime.datetime(v.year, v.month, v.day), False
    if isinstance(v, datetime.timedelta):
        base = ctx.now if ctx is not None and ctx.now is not None else datetime.datetime.now()
        return datetime.datetime(base.year, base.month, base.day) + v, True
    r = None
    if isinstance(v, (str, bytes)):
        r = parse_datetime(v.decode("utf-8", "replace") if isinstance(v, bytes) else v)
    elif isinstance(v, (int, decimal.Decimal, float)):
        r = parse_datetime(to_text(v))
    if r is None and ctx is not None:
        ctx.warn(1292, f"Incorrect datetime value: '{to_text(v)}'")
    return r


def as_date(v, ctx) -> datetime.date | None:
    r = as_datetime(v, ctx)
    return None if r is None else r[0].date()


_TIME_TEXT = re.compile(r"^\s*(-)?(?:(\d+)\s+)?(\d+)(?::(\d{1,2})(?::(\d{1,2}))?)?(?:\.(\d*))?\s*$")


def as_time(v, ctx) -> datetime.timedelta | None:
    """A non-NULL argument as a TIME (timedelta): 'hh:mm:ss', 'D hh:mm', hhmmss numbers, datetimes' times."""
    if isinstance(v, datetime.timedelta):
        return v
    if isinstance(v, datetime.datetime):
        return datetime.timedelta(hours=v.hour, minutes=v.minute, seconds=v.second, microseconds=v.microsecond)
    if isinstance(v, datetime.date):
        return datetime.timedelta(0)
    s = to_text(v)
    m = _TIME_TEXT.match(s)
    if m is not None:
        neg, days, h, mi, sec, frac = m.groups()
        us = int((frac or "0")[:6].ljust(6, "0"))
        if mi is None and days is None:  # a bare number: [H]HMMSS
            n = int(h)
            h, mi, sec = n // 10000, n // 100 % 100, n % 100
        else:
            h, mi, sec = int(h), int(mi or 0), int(sec or 0)
        if mi < 60 and sec < 60:
            t = datetime.timedelta(days=int(days or 0), hours=h, minutes=mi, seconds=sec, microseconds=us)
            return -t if neg else t
    r = parse_datetime(s)
    if r is not None and r[1]:
        return as_time(r[0], ctx)
    if ctx is not None:
        ctx.warn(1292, f"Truncated incorrect time value: '{s}'")
    return None


def _is_time_type(t) -> bool:
    return t is not None and t.name == "time"


def _temporal_reader(t):
    """The argument reader matching a static type: TIME-typed arguments read as times, others as datetimes."""
    return as_time if _is_time_type(t) else as_datetime


def _overflow(ctx):
    if ctx is not None:
        ctx.warn(1441, "Datetime function: datetime field overflow")
    return None


def _us(t: datetime.timedelta) -> int:
    return t.days * _DAY_US + t.seconds * 1_000_000 + t.microseconds


def _clip_time(us: int, ctx, shown: str) -> datetime.timedelta:
    if abs(us) > _MAX_TIME_US:
        if ctx is not None:
            ctx.warn(1292, f"Truncated incorrect time value: '{shown}'")
        us = _MAX_TIME_US if us > 0 else -_MAX_TIME_US
    return datetime.timedelta(microseconds=us)


def format_datetime_text(d: datetime.datetime, has_time: bool) -> str:
    if not has_time:
        return d.strftime("%Y-%m-%d")
    return d.strftime("%Y-%m-%d %H:%M:%S") + (f".{d.microsecond:06d}" if d.microsecond else "")


# --- intervals -----------------------------------------------------------------------

# unit -> the fields of its quantity, largest first
UNITS = {
    "MICROSECOND": ("us",), "SECOND": ("s",), "MINUTE": ("mi",), "HOUR": ("h",), "DAY": ("d",), "WEEK": ("w",),
    "MONTH": ("mo",), "QUARTER": ("q",), "YEAR": ("y",),
    "SECOND_MICROSECOND": ("s", "us"), "MINUTE_MICROSECOND": ("mi", "s", "us"), "MINUTE_SECOND": ("mi", "s"),
    "HOUR_MICROSECOND": ("h", "mi", "s", "us"), "HOUR_SECOND": ("h", "mi", "s"), "HOUR_MINUTE": ("h", "mi"),
    "DAY_MICROSECOND": ("d", "h", "mi", "s", "us"), "DAY_SECOND": ("d", "h", "mi", "s"),
    "DAY_MINUTE": ("d", "h", "mi"), "DAY_HOUR": ("d", "h"), "YEAR_MONTH": ("y", "mo"),
}
DATE_UNITS = frozenset(("DAY", "WEEK", "MONTH", "QUARTER", "YEAR", "YEAR_MONTH"))
_FIELD_US = {"us": 1, "s": 1_000_000, "mi": 60_000_000, "h": 3600_000_000, "d": _DAY_US, "w": 7 * _DAY_US}
_FIELD_MONTHS = {"mo": 1, "q": 3, "y": 12}


def check_unit(unit: str) -> str:
    from sqlserver.errors import SQLError

    u = unit.upper()
    if u not in UNITS:
        raise SQLError.of("PARSE", unit, 1)
    return u


def interval_parts(v, unit: str, ctx) -> tuple[int, int] | None:
    """(months, microseconds) of ``INTERVAL v unit``; None for a NULL quantity."""
    fields = UNITS[unit]
    if len(fields) == 1:
        f = fields[0]
        if isinstance(v, (str, bytes)):
            s = to_text(v).strip()
            m = re.match(r"[+-]?\d+(?:\.\d*)?", s)
            n = decimal.Decimal(m.group()) if m else decimal.Decimal(0)
            if f != "s":
                n = decimal.Decimal(int(n))  # '1.5' DAY is 1 day: the string's integer prefix
        else:
            n = to_number(v, ctx)
            n = n if isinstance(n, decimal.Decimal) else decimal.Decimal(repr(n) if isinstance(n, float) else n)
        if f == "s":
            return 0, int((n * 1_000_000).to_integral_value(rounding=decimal.ROUND_HALF_UP))
        n = int(n.to_integral_value(rounding=decimal.ROUND_HALF_UP))
        if f in _FIELD_MONTHS:
            return n * _FIELD_MONTHS[f], 0
        return 0, n * _FIELD_US[f]
    s = to_text(v).strip()
    neg = s.startswith("-")
    nums = re.findall(r"\d+", s)
    if len(nums) > len(fields):
        nums = nums[:len(fields)]
    values = dict(zip(fields[len(fields) - len(nums):], nums))
    months, us = 0, 0
    for f, text in values.items():
        if f == "us":
            us += int(text[:6].ljust(6, "0"))  # the fraction's digits, as written ('1.5' is 500000 us)
        elif f in _FIELD_MONTHS:
            months += int(text) * _FIELD_MONTHS[f]
        else:
            us += int(text) * _FIELD_US[f]
    return (-months, -us) if neg else (months, us)


def add_months(d: datetime.datetime, months: int) -> datetime.datetime | None:
    total = d.year * 12 + d.month - 1 + months
    y, m = divmod(total, 12)
    if not 1 <= y <= 9999:
        return None
    return d.replace(year=y, month=m + 1, day=min(d.day, calendar.monthrange(y, m + 1)[1]))


def shift(d: datetime.datetime, months: int, us: int) -> datetime.datetime | None:
    """``d`` moved by an interval; None outside years 1..9999."""
    if months:
        d = add_months(d, months)
        if d is None:
            return None
    if us:
        try:
            d = d + datetime.timedelta(microseconds=us)
        except OverflowError:
            return None
    return d


def date_add_type(t: SqlType | None, unit: str) -> SqlType:
    """DATE_ADD's static result type (see the module docstring)."""
    micro = "MICROSECOND" in unit
    if t is not None:
        if t.name == "date":
            return T_DATE if unit in DATE_UNITS else SqlType("datetime", fsp=6 if micro else 0)
        if t.name in ("datetime", "timestamp"):
            return SqlType("datetime", fsp=6 if micro else t.fsp)
        if t.name == "time":
            return SqlType("time", fsp=6 if micro else t.fsp)
    return SqlType("varchar", length=29, collation=T_TEXT.collation)


def _date_add(e, fns):
    fd, fn = fns[0], fns[1]
    spec = e.args[2].value
    sign = -1 if spec.startswith("-") else 1
    unit = spec.lstrip("-")
    out = e.type.name if e.type is not None else "varchar"
    is_time = _is_time_type(e.args[0].type)
    date_only_ok = unit in DATE_UNITS

    def f(row, ctx):
        v = fd(row, ctx)
        if v is None:
            return None
        q = fn(row, ctx)
        if q is None:
            return None
        months, us = interval_parts(q, unit, ctx)
        months, us = sign * months, sign * us
        if is_time:
            t = as_time(v, ctx)
            if t is None:
                return None
            if months:
                return None
            return _clip_time(_us(t) + us, ctx, "")
        r = as_datetime(v, ctx)
        if r is None:
            return None
        d, has_time = r
        d = shift(d, months, us)
        if d is None:
            return _overflow(ctx)
        if out == "date":
            return d.date()
        if out == "datetime":
            return d
        return format_datetime_text(d, has_time or not date_only_ok or d.time() != datetime.time())
    return f


# --- differences ---------------------------------------------------------------------

def _datediff(e, fns):
    fa, fb = fns

    def f(row, ctx):
        a, b = fa(row, ctx), fb(row, ctx)
        if a is None or b is None:
            return None
        a, b = as_date(a, ctx), as_date(b, ctx)
        if a is None or b is None:
            return None
        return (a - b).days
    return f


def month_diff(a: datetime.datetime, b: datetime.datetime) -> int:
    """Whole months from ``a`` to ``b`` (negative when b is earlier), as TIMESTAMPDIFF counts them."""
    months = (b.year - a.year) * 12 + b.month - a.month
    tail_a = (a.day, a.time())
    tail_b = (b.day, b.time())
    if months > 0 and tail_b < tail_a:
        months -= 1
    elif months < 0 and tail_b > tail_a:
        months += 1
    return months


def _timestampdiff(e, fns):
    unit = e.args[0].value
    fa, fb = fns[1], fns[2]

    def f(row, ctx):
        a, b = fa(row, ctx), fb(row, ctx)
        if a is None or b is None:
            return None
        ra, rb = as_datetime(a, ctx), as_datetime(b, ctx)
        if ra is None or rb is None:
            return None
        a, b = ra[0], rb[0]
        if unit in ("MONTH", "QUARTER", "YEAR"):
            m = month_diff(a, b)
            div = {"MONTH": 1, "QUARTER": 3, "YEAR": 12}[unit]
            return int(m / div)
        us = _us(b - a)
        div = {"MICROSECOND": 1, "SECOND": 1_000_000, "MINUTE": 60_000_000, "HOUR": 3600_000_000,
               "DAY": _DAY_US, "WEEK": 7 * _DAY_US}[unit]
        q = abs(us) // div
        return q if us >= 0 else -q
    return f


def _timestampdiff_type(ts):
    return T_BIGINT


# --- calendar parts ------------------------------------------------------------------

def to_days(d: datetime.date) -> int:
    """MySQL's day number: 0001-01-01 is day 366 (year 0 counts as a leap year of 365 days... as MySQL has it)."""
    return d.toordinal() + 365


def _days_in_year(y: int) -> int:
    return 366 if calendar.isleap(y) else 365


def calc_week(d: datetime.date, mode: int, force_year: bool = False) -> tuple[int, int]:
    """(year, week) of ``d`` under MySQL's week ``mode`` (0-7); ``force_year`` as YEARWEEK does."""
    m = mode & 7
    if not m & 1:
        m ^= 4
    monday_first, week_year, first_weekday = bool(m & 1), bool(m & 2) or force_year, bool(m & 4)
    year = d.year
    daynr = to_days(d)
    first_daynr = to_days(datetime.date(year, 1, 1))
    weekday = (first_daynr + 5 + (0 if monday_first else 1)) % 7
    if d.month == 1 and d.day <= 7 - weekday:
        if not week_year and ((first_weekday and weekday != 0) or (not first_weekday and weekday >= 4)):
            return year, 0
        week_year = True
        year -= 1
        days = _days_in_year(year)
        first_daynr -= days
        weekday = (weekday + 53 * 7 - days) % 7
    if (first_weekday and weekday != 0) or (not first_weekday and weekday >= 4):
        days = daynr - (first_daynr + (7 - weekday))
    else:
        days = daynr - (first_daynr - weekday)
    if week_year and days >= 52 * 7:
        weekday = (weekday + _days_in_year(year)) % 7
        if (not first_weekday and weekday < 4) or (first_weekday and weekday == 0):
            return year + 1, 1
    return year, days // 7 + 1


def _date_fn(fun, typ=T_BIGINT):
    """A one-or-more argument function of a date: NULL in, NULL out; ``fun(date_or_datetime, *rest)``."""
    def make(e, fns):
        fd, rest = fns[0], fns[1:]

        def f(row, ctx):
            v = fd(row, ctx)
            if v is None:
                return None
            r = as_datetime(v, ctx)
            if r is None:
                return None
            args = []
            for fn in rest:
                a = fn(row, ctx)
                if a is None:
                    return None
                args.append(int(to_number(a, ctx)))
            return fun(r[0], *args)
        return f
    return make


def _last_day(d):
    return datetime.date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])


_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December")


def _week(d, mode=0):
    return calc_week(d.date(), mode)[1]


def _yearweek(d, mode=0):
    y, w = calc_week(d.date(), mode, force_year=True)
    return y * 100 + w


def _makedate(e, fns):
    fy, fd = fns

    def f(row, ctx):
        y, n = fy(row, ctx), fd(row, ctx)
        if y is None or n is None:
            return None
        y, n = int(to_number(y, ctx)), int(to_number(n, ctx))
        if n <= 0 or not 0 <= y <= 9999:
            return None
        if y < 100:
            y = _year2(y, 2)
        d = datetime.date(y, 1, 1) + datetime.timedelta(days=n - 1)
        return d if d.year <= 9999 else None
    return f


def _from_days(e, fns):
    (fa,) = fns

    def f(row, ctx):
        v = fa(row, ctx)
        if v is None:
            return None
        n = int(to_number(v, ctx))
        if n <= 365:
            return "0000-00-00"
        if n > 3652424:
            return None
        return datetime.date.fromordinal(n - 365)
    return f


def _to_days(e, fns):
    (fa,) = fns

    def f(row, ctx):
        v = fa(row, ctx)
        if v is None:
            return None
        d = as_date(v, ctx)
        return None if d is None else to_days(d)
    return f


def _from_unixtime(e, fns):
    fa = fns[0]
    fmt = _formatter_maker(fns[1]) if len(fns) > 1 else None

    def f(row, ctx):
        v = fa(row, ctx)
        if v is None:
            return None
        n = to_number(v, ctx)
        if n < 0 or n > 32536771199:
            return None
        secs = int(n)
        frac = n - secs
        d = timezones.from_epoch(secs, timezones.session_zone(ctx.state))
        if frac:
            d = d + datetime.timedelta(microseconds=int(decimal.Decimal(repr(frac) if isinstance(frac, float)
                                                                        else frac) * 1_000_000))
        if fmt is not None:
            return fmt(row, ctx, d)
        return d
    return f


def _sec_to_time(e, fns):
    (fa,) = fns

    def f(row, ctx):
        v = fa(row, ctx)
        if v is None:
            return None
        n = to_number(v, ctx)
        n = n if isinstance(n, decimal.Decimal) else decimal.Decimal(repr(n) if isinstance(n, float) else n)
        return _clip_time(int((n * 1_000_000).to_integral_value(rounding=decimal.ROUND_HALF_UP)), ctx, to_text(v))
    return f


def _time_to_sec(e, fns):
    (fa,) = fns

    def f(row, ctx):
        v = fa(row, ctx)
        if v is None:
            return None
        t = as_time(v, ctx)
        if t is None:
            return None
        us = _us(t)
        if us % 1_000_000:
            return decimal.Decimal(us).scaleb(-6).normalize()
        return us // 1_000_000
    return f


def _convert_tz(e, fns):
    fd, ff, ft = fns

    def offset(v):
        m = re.fullmatch(r"\s*([+-])(\d{1,2}):(\d{2})\s*", to_text(v))
        if m is None:
            return None  # named zones need the time zone tables, which MySQL leaves empty by default: NULL
        mins = int(m.group(2)) * 60 + int(m.group(3))
        if mins > 14 * 60:
            return None
        return mins if m.group(1) == "+" else -mins

    def f(row, ctx):
        v, a, b = fd(row, ctx), ff(row, ctx), ft(row, ctx)
        if v is None or a is None or b is None:
            return None
        r = as_datetime(v, ctx)
        oa, ob = offset(a), offset(b)
        if r is None or oa is None or ob is None:
            return None
        return shift(r[0], 0, (ob - oa) * 60_000_000)
    return f


_EXTRACT_SIMPLE = {"YEAR", "QUARTER", "MONTH", "WEEK", "DAY", "HOUR", "MINUTE", "SECOND", "MICROSECOND"}


def _extract(e, fns):
    unit = e.args[0].value
    fa = fns[1]
    timeish = _is_time_type(e.args[1].type) or (unit in ("HOUR", "MINUTE", "SECOND", "MICROSECOND",
                                                         "HOUR_MINUTE", "HOUR_SECOND", "MINUTE_SECOND",
                                                         "HOUR_MICROSECOND", "MINUTE_MICROSECOND",
                                                         "SECOND_MICROSECOND")
                                                and e.args[1].type is not None and e.args[1].type.is_string)
    fields = UNITS[unit]

    def f(row, ctx):
        v = fa(row, ctx)
        if v is None:
            return None
        if timeish and not isinstance(v, datetime.date):
            t = as_time(v, ctx)
            if t is None:
                return None
            us = _us(t)
            sign = -1 if us < 0 else 1
            us = abs(us)
            vals = {"d": us // _DAY_US, "h": us // 3600_000_000, "mi": us // 60_000_000 % 60,
                    "s": us // 1_000_000 % 60, "us": us % 1_000_000}
            if fields[0] == "d":
                vals["h"] %= 24
        else:
            r = as_datetime(v, ctx)
            if r is None:
                return None
            d, sign = r[0], 1
            if unit == "WEEK":
                return calc_week(d.date(), 0)[1]
            vals = {"y": d.year, "q": (d.month + 2) // 3, "mo": d.month, "d": d.day, "h": d.hour, "mi": d.minute,
                    "s": d.second, "us": d.microsecond}
        n = 0
        for fld in fields:
            n = n * (1_000_000 if fld == "us" else 100) + vals[fld]
        return sign * n
    return f


# --- formatting ----------------------------------------------------------------------

def _suffix(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def _h12(h: int) -> int:
    return (h + 11) % 12 + 1


_SPEC = {
    "a": lambda d: _DAY_NAMES[d.weekday()][:3],
    "b": lambda d: _MONTH_NAMES[d.month - 1][:3],
    "c": lambda d: str(d.month),
    "D": lambda d: f"{d.day}{_suffix(d.day)}",
    "d": lambda d: f"{d.day:02d}",
    "e": lambda d: str(d.day),
    "f": lambda d: f"{d.microsecond:06d}",
    "H": lambda d: f"{d.hour:02d}",
    "h": lambda d: f"{_h12(d.hour):02d}",
    "I": lambda d: f"{_h12(d.hour):02d}",
    "i": lambda d: f"{d.minute:02d}",
    "j": lambda d: f"{d.timetuple().tm_yday:03d}",
    "k": lambda d: str(d.hour),
    "l": lambda d: str(_h12(d.hour)),
    "M": lambda d: _MONTH_NAMES[d.month - 1],
    "m": lambda d: f"{d.month:02d}",
    "p": lambda d: "AM" if d.hour < 12 else "PM",
    "r": lambda d: f"{_h12(d.hour):02d}:{d.minute:02d}:{d.second:02d} {'AM' if d.hour < 12 else 'PM'}",
    "S": lambda d: f"{d.second:02d}",
    "s": lambda d: f"{d.second:02d}",
    "T": lambda d: f"{d.hour:02d}:{d.minute:02d}:{d.second:02d}",
    "U": lambda d: f"{calc_week(d.date(), 0)[1]:02d}",
    "u": lambda d: f"{calc_week(d.date(), 1)[1]:02d}",
    "V": lambda d: f"{calc_week(d.date(), 2)[1]:02d}",
    "v": lambda d: f"{calc_week(d.date(), 3)[1]:02d}",
    "W": lambda d: _DAY_NAMES[d.weekday()],
    "w": lambda d: str((d.weekday() + 1) % 7),
    "X": lambda d: f"{calc_week(d.date(), 2)[0]:04d}",
    "x": lambda d: f"{calc_week(d.date(), 3)[0]:04d}",
    "Y": lambda d: f"{d.year:04d}",
    "y": lambda d: f"{d.year % 100:02d}",
}


def compile_format(fmt: str):
    """``fmt`` (DATE_FORMAT specifiers) as ``render(datetime) -> str``."""
    parts = []
    i = 0
    while i < len(fmt):
        c = fmt[i]
        if c == "%" and i + 1 < len(fmt):
            s = fmt[i + 1]
            parts.append(_SPEC.get(s, s))
            i += 2
        else:
            parts.append(c)
            i += 1
    return lambda d: "".join(p if type(p) is str else p(d) for p in parts)


def _formatter_maker(ffmt):
    cache: dict = {}

    def render(row, ctx, d):
        fmt = ffmt(row, ctx)
        if fmt is None:
            return None
        fmt = to_text(fmt)
        r = cache.get(fmt)
        if r is None:
            if len(cache) > 64:
                cache.clear()
            r = cache[fmt] = compile_format(fmt)
        return r(d)
    return render


def _date_format(e, fns):
    fd = fns[0]
    render = _formatter_maker(fns[1])

    def f(row, ctx):
        v = fd(row, ctx)
        if v is None:
            return None
        r = as_datetime(v, ctx)
        return None if r is None else render(row, ctx, r[0])
    return f


_TIME_SPECS = frozenset("fHhIiklpSsTr%")


def _time_format(e, fns):
    fd, ffmt = fns

    def f(row, ctx):
        v, fmt = fd(row, ctx), ffmt(row, ctx)
        if v is None or fmt is None:
            return None
        t = as_time(v, ctx)
        if t is None:
            return None
        fmt = to_text(fmt)
        us = _us(t)
        sign = "-" if us < 0 else ""
        us = abs(us)
        h, mi, s, frac = us // 3600_000_000, us // 60_000_000 % 60, us // 1_000_000 % 60, us % 1_000_000
        out, i = [], 0
        while i < len(fmt):
            c = fmt[i]
            if c == "%" and i + 1 < len(fmt):
                k = fmt[i + 1]
                i += 2
                if k not in _TIME_SPECS and k.isalpha():
                    return None  # date specifiers: NULL (MySQL's and MariaDB's answer)
                out.append({"H": f"{sign}{h:02d}", "k": f"{sign}{h}", "h": f"{_h12(h % 24):02d}",
                            "I": f"{_h12(h % 24):02d}", "l": str(_h12(h % 24)), "i": f"{mi:02d}", "S": f"{s:02d}",
                            "s": f"{s:02d}", "f": f"{frac:06d}", "p": "AM" if h % 24 < 12 else "PM",
                            "T": f"{sign}{h:02d}:{mi:02d}:{s:02d}",
                            "r": f"{_h12(h % 24):02d}:{mi:02d}:{s:02d} {'AM' if h % 24 < 12 else 'PM'}"}.get(k, k))
            else:
                out.append(c)
                i += 1
        return "".join(out)
    return f


# --- parsing (STR_TO_DATE) -----------------------------------------------------------

_NUM_SPEC = {"Y": ("y", 4), "y": ("y2", 2), "m": ("mo", 2), "c": ("mo", 2), "d": ("d", 2), "e": ("d", 2),
             "H": ("h", 2), "k": ("h", 2), "h": ("h12", 2), "I": ("h12", 2), "l": ("h12", 2), "i": ("mi", 2),
             "S": ("s", 2), "s": ("s", 2), "f": ("us", 6), "j": ("yd", 3)}
_DATE_FIELDS = {"y", "y2", "mo", "d", "yd", "mname"}
_TIME_FIELDS = {"h", "h12", "mi", "s", "us", "ampm"}


def compile_parser(fmt: str):
    """``fmt`` as ``parse(text) -> (fields dict, rest) | None`` plus which kinds of fields it has."""
    fmt = fmt.replace("%T", "%H:%i:%s").replace("%r", "%h:%i:%s %p")
    steps = []
    i = 0
    while i < len(fmt):
        c = fmt[i]
        if c == "%" and i + 1 < len(fmt):
            steps.append(("spec", fmt[i + 1]))
            i += 2
        else:
            steps.append(("lit", c))
            i += 1
    kinds = set()
    for kind, s in steps:
        if kind == "spec":
            if s in _NUM_SPEC:
                kinds.add(_NUM_SPEC[s][0])
            elif s in ("M", "b"):
                kinds.add("mname")
            elif s == "p":
                kinds.add("ampm")

    def parse(text: str):
        fields: dict = {}
        pos = 0
        n = len(text)
        for kind, s in steps:
            if kind == "lit":
                if s.isspace():
                    while pos < n and text[pos].isspace():
                        pos += 1
                    continue
                while pos < n and text[pos].isspace() and not s.isspace():
                    pos += 1
                if pos < n and text[pos] == s:
                    pos += 1
                    continue
                return None
            while pos < n and text[pos].isspace():
                pos += 1
            if s in _NUM_SPEC:
                name, width = _NUM_SPEC[s]
                m = re.compile(r"\d{1,%d}" % width).match(text, pos)
                if m is None:
                    return None
                digits = m.group()
                pos = m.end()
                if name == "us":
                    fields[name] = int(digits.ljust(6, "0"))
                elif name == "y2":
                    fields["y"] = _year2(int(digits), 2)
                elif name == "y":
                    fields["y"] = _year2(int(digits), len(digits)) if len(digits) <= 2 else int(digits)
                else:
                    fields[name] = int(digits)
            elif s in ("M", "b", "W", "a"):
                names = _MONTH_NAMES if s in ("M", "b") else _DAY_NAMES
                for k, full in enumerate(names):
                    cand = full if s in ("M", "W") else full[:3]
                    if text[pos:pos + len(cand)].lower() == cand.lower():
                        if s in ("M", "b"):
                            fields["mo"] = k + 1
                        pos += len(cand)
                        break
                else:
                    return None
            elif s == "p":
                w = text[pos:pos + 2].upper()
                if w not in ("AM", "PM"):
                    return None
                fields["ampm"] = w
                pos += 2
            elif s == "%":
                if text[pos:pos + 1] != "%":
                    return None
                pos += 1
            else:
                return None
        return fields, text[pos:]
    has_date = bool(kinds & _DATE_FIELDS)
    has_time = bool(kinds & _TIME_FIELDS)
    return parse, has_date, has_time


def _str_to_date(e, fns):
    fs, ffmt = fns
    cache: dict = {}

    def f(row, ctx):
        s, fmt = fs(row, ctx), ffmt(row, ctx)
        if s is None or fmt is None:
            return None
        s, fmt = to_text(s), to_text(fmt)
        p = cache.get(fmt)
        if p is None:
            if len(cache) > 64:
                cache.clear()
            p = cache[fmt] = compile_parser(fmt)
        parse, has_date, has_time = p
        r = parse(s)
        if r is None:
            if ctx is not None:
                ctx.warn(1411, f"Incorrect datetime value: '{s}' for function str_to_date")
            return None
        fields, rest = r
        h = fields.get("h", 0)
        if "h12" in fields:
            h = fields["h12"] % 12 + (12 if fields.get("ampm") == "PM" else 0)
        try:
            t = datetime.timedelta(hours=h, minutes=fields.get("mi", 0), seconds=fields.get("s", 0),
                                   microseconds=fields.get("us", 0))
            if fields.get("mi", 0) > 59 or fields.get("s", 0) > 59:
                raise ValueError
            if has_date:
                if "yd" in fields:
                    d = datetime.date(fields.get("y", 0), 1, 1) + datetime.timedelta(days=fields["yd"] - 1)
                else:
                    d = datetime.date(fields.get("y", 0), fields.get("mo", 0), fields.get("d", 0))
        except (ValueError, OverflowError):
            if ctx is not None:
                ctx.warn(1411, f"Incorrect datetime value: '{s}' for function str_to_date")
            return None
        if rest.strip() and ctx is not None:
            ctx.warn(1292, f"Truncated incorrect {'datetime' if has_time else 'date'} value: '{s}'")
        if not has_date:
            return t
        if not has_time:
            return d
        return datetime.datetime(d.year, d.month, d.day) + t
    return f


# --- small ones ----------------------------------------------------------------------

def _weekday(d):
    return d.weekday()


def _quarter(d):
    return (d.month + 2) // 3


def _time_fn(e, fns):
    (fa,) = fns

    def f(row, ctx):
        v = fa(row, ctx)
        if v is None:
            return None
        return as_time(v, ctx)
    return f


def _timediff(e, fns):
    fa, fb = fns
    ta, tb = e.args[0].type, e.args[1].type

    def f(row, ctx):
        a, b = fa(row, ctx), fb(row, ctx)
        if a is None or b is None:
            return None
        if _is_time_type(ta) or _is_time_type(tb) or (
                not isinstance(a, datetime.date) and not isinstance(b, datetime.date)
                and parse_datetime(to_text(a)) is None and parse_datetime(to_text(b)) is None):
            x, y = as_time(a, ctx), as_time(b, ctx)
        else:
            ra, rb = as_datetime(a, ctx), as_datetime(b, ctx)
            x, y = (ra[0] if ra else None), (rb[0] if rb else None)
        if x is None or y is None:
            return None
        return _clip_time(_us(x - y), ctx, "")
    return f


def _addtime(sign):
    def make(e, fns):
        fa, fb = fns
        time_arg = _is_time_type(e.args[0].type)

        def f(row, ctx):
            a, b = fa(row, ctx), fb(row, ctx)
            if a is None or b is None:
                return None
            t = as_time(b, ctx)
            if t is None:
                return None
            if time_arg or (not isinstance(a, datetime.date) and parse_datetime(to_text(a)) is None):
                x = as_time(a, ctx)
                return None if x is None else _clip_time(_us(x) + sign * _us(t), ctx, "")
            r = as_datetime(a, ctx)
            if r is None:
                return None
            d = shift(r[0], 0, sign * _us(t))
            return _overflow(ctx) if d is None else d
        return f
    return make


def _maketime(e, fns):
    fh, fm, fs = fns

    def f(row, ctx):
        h, m, s = fh(row, ctx), fm(row, ctx), fs(row, ctx)
        if h is None or m is None or s is None:
            return None
        h, m = int(to_number(h, ctx)), int(to_number(m, ctx))
        s = to_number(s, ctx)
        if not 0 <= m < 60 or not 0 <= s < 60:
            return None
        us = int(decimal.Decimal(repr(s) if isinstance(s, float) else s) * 1_000_000)
        total = abs(h) * 3600_000_000 + m * 60_000_000 + us
        return _clip_time(-total if h < 0 else total, ctx, "")
    return f


def _timestamp_fn(e, fns):
    fa = fns[0]
    fb = fns[1] if len(fns) > 1 else None

    def f(row, ctx):
        v = fa(row, ctx)
        if v is None:
            return None
        r = as_datetime(v, ctx)
        if r is None:
            return None
        if fb is None:
            return r[0]
        b = fb(row, ctx)
        t = None if b is None else as_time(b, ctx)
        return None if t is None else shift(r[0], 0, _us(t))
    return f


def _utc_date(e, fns):
    return lambda row, ctx: datetime.datetime.now(datetime.timezone.utc).date()


def _dt_type(ts):
    t = ts[0] if ts else None
    return SqlType("datetime", fsp=t.fsp if t is not None and t.name in ("datetime", "timestamp", "time") else 0)


_T_NAME = SqlType("varchar", length=9, collation=T_TEXT.collation)

DATETIME_FUNCTIONS = {
    "date_add": (3, 3, lambda ts: T_DATETIME, _date_add),  # the planner sets the real type (date_add_type)
    "datediff": (2, 2, lambda ts: T_BIGINT, _datediff),
    "timestampdiff": (3, 3, _timestampdiff_type, _timestampdiff),
    "extract": (2, 2, lambda ts: T_BIGINT, _extract),
    "date_format": (2, 2, lambda ts: T_TEXT, _date_format),
    "time_format": (2, 2, lambda ts: T_TEXT, _time_format),
    "str_to_date": (2, 2, lambda ts: SqlType("datetime", fsp=6), _str_to_date),
    "last_day": (1, 1, lambda ts: T_DATE, _date_fn(_last_day, T_DATE)),
    "dayname": (1, 1, lambda ts: _T_NAME, _date_fn(lambda d: _DAY_NAMES[d.weekday()])),
    "monthname": (1, 1, lambda ts: _T_NAME, _date_fn(lambda d: _MONTH_NAMES[d.month - 1])),
    "week": (1, 2, lambda ts: T_BIGINT, _date_fn(_week)),
    "weekofyear": (1, 1, lambda ts: T_BIGINT, _date_fn(lambda d: calc_week(d.date(), 3)[1])),
    "yearweek": (1, 2, lambda ts: T_BIGINT, _date_fn(_yearweek)),
    "weekday": (1, 1, lambda ts: T_BIGINT, _date_fn(_weekday)),
    "quarter": (1, 1, lambda ts: T_BIGINT, _date_fn(_quarter)),
    "makedate": (2, 2, lambda ts: T_DATE, _makedate),
    "from_unixtime": (1, 2, lambda ts: T_TEXT if len(ts) > 1 else (
        SqlType("datetime", fsp=6) if ts[0] is not None and ts[0].name in ("decimal", "double") else T_DATETIME),
        _from_unixtime),
    "to_days": (1, 1, lambda ts: T_BIGINT, _to_days),
    "from_days": (1, 1, lambda ts: T_DATE, _from_days),
    "sec_to_time": (1, 1, lambda ts: T_TIME, _sec_to_time),
    "time_to_sec": (1, 1, lambda ts: T_BIGINT, _time_to_sec),
    "convert_tz": (3, 3, _dt_type, _convert_tz),
    "time": (1, 1, lambda ts: T_TIME, _time_fn),
    "timediff": (2, 2, lambda ts: T_TIME, _timediff),
    "addtime": (2, 2, lambda ts: ts[0] if ts[0] is not None and ts[0].name in ("time", "datetime") else T_TEXT,
                _addtime(1)),
    "subtime": (2, 2, lambda ts: ts[0] if ts[0] is not None and ts[0].name in ("time", "datetime") else T_TEXT,
                _addtime(-1)),
    "maketime": (3, 3, lambda ts: T_TIME, _maketime),
    "timestamp": (1, 2, _dt_type, _timestamp_fn),
    "utc_date": (0, 0, lambda ts: T_DATE, _utc_date),
}


__all__ = ["DATETIME_FUNCTIONS", "UNITS", "DATE_UNITS", "check_unit", "date_add_type", "as_datetime",
           "as_time", "parse_datetime", "calc_week"]
