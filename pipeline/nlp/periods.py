"""ISO date values (year, month or day precision) as periods of days: the one place where
an event's or a date slot's dates are compared (pure)."""

from __future__ import annotations

import calendar
import re
from datetime import date

ISO = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def date_bounds(value: str) -> tuple[date, date] | None:
    """Read an ISO date at year, month or day precision; return its first and last day, or None."""
    if not ISO.fullmatch(value.strip()):
        return None
    parts = [int(p) for p in value.strip().split("-")]
    try:
        if len(parts) == 1:
            return date(parts[0], 1, 1), date(parts[0], 12, 31)
        if len(parts) == 2:
            last = calendar.monthrange(parts[0], parts[1])[1]
            return date(parts[0], parts[1], 1), date(parts[0], parts[1], last)
        day = date(*parts)
        return day, day
    except ValueError:
        return None


def interval(start: str, end: str) -> tuple[date, date] | None:
    """Return the first and last day of an event (an empty end is the start); None if undated."""
    first = date_bounds(start) or date_bounds(end)
    last = date_bounds(end) or date_bounds(start)
    if first is None or last is None:
        return None
    return first[0], last[1]
