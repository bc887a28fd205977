"""Time in Laneway: timezone-aware UTC at millisecond precision, rendered in one place."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

_RFC3339 = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})[Tt ](?P<time>\d{2}:\d{2}:\d{2})(?:\.(?P<frac>\d{1,9}))?"
    r"(?P<offset>[Zz]|[+-]\d{2}:\d{2})",
    re.ASCII,
)
_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)


def to_millis(value: datetime) -> datetime:
    """The same instant in UTC, cut to whole milliseconds (what the API can show)."""
    value = value.astimezone(UTC)
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


def utcnow() -> datetime:
    return to_millis(datetime.now(UTC))


def render(value: datetime) -> str:
    """`2023-11-07T05:31:56.000Z`: the one format every date leaves Laneway in. (isoformat is
    C and this runs four times for every thread of a page: "+00:00" becomes "Z".)"""
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.isoformat(timespec="milliseconds")[:-6] + "Z"


def parse_rfc3339(text: str) -> datetime:
    """An RFC 3339 date-time with `Z` or an offset, as UTC. Raises ValueError otherwise."""
    match = _RFC3339.fullmatch(text)
    if match is None:
        raise ValueError("must be an RFC 3339 date-time with a time zone, like 2023-11-07T05:31:56Z")
    frac = (match["frac"] or "")[:6].ljust(6, "0")
    offset = "+00:00" if match["offset"] in ("Z", "z") else match["offset"]
    if int(offset[1:3]) > 23 or int(offset[4:6]) > 59:
        raise ValueError("has a time zone offset outside -23:59 to +23:59")
    try:
        return to_millis(datetime.fromisoformat(f"{match['date']}T{match['time']}.{frac}{offset}"))
    except ValueError as exc:  # 2023-02-30, 25:00
        raise ValueError(f"is not a real date-time: {exc}") from None
    except OverflowError:  # 0001-01-01T00:00:00+01:00 is before year 1 in UTC
        raise ValueError("is outside the range of dates") from None


def parse_date_or_datetime(text: str) -> datetime:
    """A date-time as above, or a bare `YYYY-MM-DD` taken as midnight UTC."""
    if _DATE_ONLY.fullmatch(text):
        try:
            return datetime.fromisoformat(text).replace(tzinfo=UTC)
        except ValueError as exc:
            raise ValueError(f"is not a real date: {exc}") from None
    return parse_rfc3339(text)


def check_plausible(value: datetime, now: datetime, future_skew: timedelta) -> None:
    """Sent dates must lie between 1970 and now (plus clock skew). Raises ValueError."""
    if value < EARLIEST:
        raise ValueError("must not be before 1970-01-01T00:00:00Z")
    if value > now + future_skew:
        raise ValueError("must not be in the future")
