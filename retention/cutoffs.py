"""Retention cutoffs: whether a record's window has passed on a night's run (§31–34).

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

The date arithmetic itself (`add_months`, `window_end`, `is_expired`, `cutoff_date`) is in
`privacy.periods`, shared with erasure, together with the invoice duties both apply (§31, §31.2).
"""

from __future__ import annotations

import datetime

# The calendar arithmetic is shared with erasure (privacy may not import retention): one place.
from privacy.periods import ONE_DAY, RIGA, add_months, cutoff_date, is_expired, local_date, today, window_end

__all__ = [
    "ONE_DAY",
    "RIGA",
    "FIRST_AS_OF",
    "LAST_AS_OF",
    "add_months",
    "as_of_possible",
    "cutoff_date",
    "expiry_instant",
    "is_expired",
    "local_date",
    "next_nightly_as_of",
    "today",
    "window_end",
]


#: The days a run or a preview can be asked for. Every window (at most 1,200 months, the rules' check)
#: counts back from them without leaving the calendar, and a typing error (0001-01-01, 9999-12-31)
#: is refused instead of run.
FIRST_AS_OF = datetime.date(1900, 1, 1)
LAST_AS_OF = datetime.date(2999, 12, 31)


def as_of_possible(day: datetime.date) -> bool:
    return FIRST_AS_OF <= day <= LAST_AS_OF


def expiry_instant(as_of: datetime.date, months: int) -> datetime.datetime:
    """The moment Riga's day after the cutoff begins: a datetime before it is past its window."""
    following = cutoff_date(as_of, months) + ONE_DAY
    return datetime.datetime.combine(following, datetime.time.min, tzinfo=RIGA)


def next_nightly_as_of(now: datetime.datetime | None = None, *, hour: int = 2) -> datetime.date:
    """The as-of date of the next nightly run (02:00 Riga): today before 02:00, else tomorrow."""
    now = (now or datetime.datetime.now(tz=RIGA)).astimezone(RIGA)
    return now.date() if now.hour < hour else now.date() + ONE_DAY
