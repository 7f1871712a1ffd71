"""Retention cutoffs: the one place that decides whether a record's window has passed (§31–34).

Windows are whole calendar months counted in Europe/Riga, the operator's local time. A record is kept
through the last day of its window and handled by the first nightly run after it:

- its window ends on the date `window` calendar months after its counted-from date, clamped to the end
  of a shorter month (31 August + 6 months = 28/29 February; 29 February + 12 months = 28 February);
- on that last day it is still kept; from the next day on it is past its window.

Why this side of the boundary: the policy promises minimum periods ("at least 1 year" §32, "at least 5
years" §31) and deleting early is worse than deleting a night late. Counting as EU periods are counted
(Regulation 1182/71 Art. 3: the day of the event is not counted, a period in months ends with the
expiry of the same date in the last month, or of that month's last day), a recording made at 14:00 on
15 January has its 6 months run until the end of 15 July; the 02:00 run of 16 July deletes it. The
other side (deleting in the 02:00 run of 15 July) would delete it ~12 hours before its 6 months are up.

A datetime counts by its calendar day in Riga, so 23:30 on 31 March in Riga is 31 March even though
it is 20:30 or 21:30 UTC, and daylight-saving changes move nothing: the SQL predicate compares with
the instant Riga's next midnight begins (see `expiry_instant`).
"""

from __future__ import annotations

import calendar
import datetime
from zoneinfo import ZoneInfo

RIGA = ZoneInfo("Europe/Riga")
ONE_DAY = datetime.timedelta(days=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus (or minus) whole calendar months, clamped at the month's end."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def local_date(moment: datetime.datetime) -> datetime.date:
    """The calendar day of an aware moment in Riga."""
    return moment.astimezone(RIGA).date()


def today() -> datetime.date:
    """Today in Riga: the nightly run's as-of date."""
    return datetime.datetime.now(tz=RIGA).date()


def window_end(day: datetime.date, months: int) -> datetime.date:
    """The last day a record counted from `day` is kept: `months` calendar months later (clamped)."""
    return add_months(day, months)


def is_expired(day: datetime.date, *, as_of: datetime.date, months: int) -> bool:
    """Whether a record counted from `day` is past its window on `as_of` (its last day was before)."""
    return window_end(day, months) < as_of


def cutoff_date(as_of: datetime.date, months: int) -> datetime.date:
    """The latest counted-from date that is past its window on `as_of`.

    Records counted from this date or earlier are handled; later ones are kept. Equivalent to
    `is_expired` for every date (a property test checks it), as a bound the database can use.
    """
    if months < 0:
        raise ValueError(f"a retention window cannot be negative ({months} months)")
    last_kept_end = as_of - ONE_DAY  # a window that ended yesterday or earlier has passed
    cutoff = add_months(last_kept_end, -months)
    # Clamping maps the last days of a long month onto the end of a short one: step over them.
    while window_end(cutoff + ONE_DAY, months) <= last_kept_end:
        cutoff += ONE_DAY
    return cutoff


def expiry_instant(as_of: datetime.date, months: int) -> datetime.datetime:
    """The moment Riga's day after the cutoff begins: a datetime before it is past its window."""
    following = cutoff_date(as_of, months) + ONE_DAY
    return datetime.datetime.combine(following, datetime.time.min, tzinfo=RIGA)


def next_nightly_as_of(now: datetime.datetime | None = None, *, hour: int = 2) -> datetime.date:
    """The as-of date of the next nightly run (02:00 Riga): today before 02:00, else tomorrow."""
    now = (now or datetime.datetime.now(tz=RIGA)).astimezone(RIGA)
    return now.date() if now.hour < hour else now.date() + ONE_DAY
