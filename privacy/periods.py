"""Periods counted in calendar months, and the legal duties they measure: one place for erasure (issue 5)
and retention (issue 6), so the two never disagree about a day (§31–34).

The convention: a record counted from day D is kept through the last day of its window — the same
date N months later, clamped to the end of a shorter month (31 August + 6 months = 28/29 February;
29 February + 12 months = 28 February) — and may go from the next day on. The policy's periods are
minimums ("invoices at least 5 years" §31, "at least 1 year" §32), so a night late beats a day early;
EU periods are counted so too (Regulation 1182/71 Art. 3). `retention.cutoffs` adds the Riga clock
and the nightly run on top of this.

Pure date arithmetic first, then the duties both sides check: the Accounting Law's 5 years on an
invoice and an open debt (§31, §31.2).
"""

from __future__ import annotations

import calendar
import datetime
from zoneinfo import ZoneInfo

from django.db.models import Q

#: The operator's local time: every period of the policy is counted in calendar days in Riga.
RIGA = ZoneInfo("Europe/Riga")
ONE_DAY = datetime.timedelta(days=1)
#: §31.3: the Accounting Law keeps an invoice at least 5 years. The policy gives no start; "at least"
#: rules out any reading that could delete early, so the years count from the end of the calendar
#: (reporting) year of the invoice date: an invoice of any day of 2020 is kept through 31 December 2025.
ACCOUNTING_LAW_MONTHS = 60


def local_date(moment: datetime.datetime) -> datetime.date:
    """The calendar day of an aware moment in Riga (23:30 on 31 March in Riga is 31 March)."""
    return moment.astimezone(RIGA).date()


def today() -> datetime.date:
    """Today in Riga."""
    return datetime.datetime.now(tz=RIGA).date()


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus (or minus) whole calendar months, clamped at the month's end."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def window_end(day: datetime.date, months: int) -> datetime.date:
    """The last day a record counted from `day` is kept: `months` calendar months later (clamped)."""
    return add_months(day, months)


def is_expired(day: datetime.date, *, as_of: datetime.date, months: int) -> bool:
    """Whether a record counted from `day` is past its window on `as_of` (its last day was before)."""
    return window_end(day, months) < as_of


def cutoff_date(as_of: datetime.date, months: int) -> datetime.date:
    """The latest counted-from date that is past its window on `as_of`.

    Records counted from this date or earlier are past; later ones are kept. Equivalent to
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


# --- The duties that keep an invoice (§31, §31.2) -----------------------------------------------------


def year_end(day: datetime.date) -> datetime.date:
    """31 December of `day`'s year: the end of the reporting year an invoice belongs to."""
    return datetime.date(day.year, 12, 31)


def year_end_cutoff(on: datetime.date, months: int) -> datetime.date:
    """The latest date whose window, counted from the end of its calendar year, has passed on `on`.

    Every date of one year shares its window, so the answer is a 31 December (or `date.min` when no
    year has passed: nothing is due).
    """
    if months < 0:
        raise ValueError(f"a retention window cannot be negative ({months} months)")
    year = on.year - months // 12 - 1
    if year < datetime.MINYEAR:
        return datetime.date.min
    # The window of year Y ends on add_months(31 December Y, months); step to the last Y it has passed.
    while (
        year + 1 <= datetime.MAXYEAR - months // 12 - 1
        and window_end(datetime.date(year + 1, 12, 31), months) < on
    ):
        year += 1
    while year >= datetime.MINYEAR and not window_end(datetime.date(year, 12, 31), months) < on:
        year -= 1
    return datetime.date(year, 12, 31) if year >= datetime.MINYEAR else datetime.date.min


def accounting_duty_cutoff(on: datetime.date, months: int = ACCOUNTING_LAW_MONTHS) -> datetime.date:
    """§31.3: the latest invoice date the Accounting Law no longer keeps on `on`; later invoices are kept.

    Counted conservatively from the end of the invoice date's calendar year: an invoice of 2020 (any
    day) is kept through 31 December 2025 and free of the duty from 1 January 2026.
    """
    return year_end_cutoff(on, months)


def under_accounting_duty(issue_date: datetime.date, *, on: datetime.date) -> bool:
    """§31.3: whether the Accounting Law still keeps an invoice of `issue_date` on `on`."""
    return issue_date > accounting_duty_cutoff(on)


def accounting_duty_q(on: datetime.date, prefix: str = "") -> Q:
    """§31: Q of the invoices (`prefix` leads to one, e.g. "invoices__") the Accounting Law keeps on `on`."""
    return Q(**{f"{prefix}issue_date__gt": accounting_duty_cutoff(on)})


def open_debt_q(prefix: str = "") -> Q:
    """§31.2: Q of the invoices with a debt still open (under collection): kept however old."""
    return Q(**{f"{prefix}outstanding_debt__gt": 0})
