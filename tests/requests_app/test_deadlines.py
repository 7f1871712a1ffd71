"""GDPR Art. 12(3) / §41: one calendar month to answer, clamped at month ends, counted in Riga."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from requests_app import deadlines
from tests.requests_app.factories import riga

D = datetime.date


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (D(2025, 1, 31), D(2025, 2, 28)),  # received 31 January -> 28 February
        (D(2024, 1, 31), D(2024, 2, 29)),  # ... 29 February in a leap year
        (D(2024, 1, 30), D(2024, 2, 29)),
        (D(2025, 1, 29), D(2025, 2, 28)),
        (D(2025, 1, 28), D(2025, 2, 28)),
        (D(2024, 2, 29), D(2024, 3, 29)),
        (D(2025, 2, 28), D(2025, 3, 28)),
        (D(2025, 3, 31), D(2025, 4, 30)),  # 31 -> 30-day month
        (D(2025, 3, 30), D(2025, 4, 30)),
        (D(2025, 4, 30), D(2025, 5, 30)),  # 30 stays 30 in a 31-day month
        (D(2025, 5, 31), D(2025, 6, 30)),
        (D(2025, 8, 31), D(2025, 9, 30)),
        (D(2025, 10, 31), D(2025, 11, 30)),
        (D(2025, 12, 31), D(2026, 1, 31)),  # over the year end
        (D(2025, 6, 15), D(2025, 7, 15)),
    ],
)
def test_due_one_calendar_month_after_receipt_clamped_at_month_end(received, due):
    assert deadlines.due_date(riga(received.year, received.month, received.day)) == due


@pytest.mark.parametrize(
    ("received", "months", "due"),
    [
        (D(2025, 1, 31), 1, D(2025, 3, 31)),
        (D(2025, 1, 31), 2, D(2025, 4, 30)),  # counted from receipt, not from the clamped 28 February
        (D(2024, 1, 31), 2, D(2024, 4, 30)),
        (D(2025, 12, 31), 2, D(2026, 3, 31)),
        (D(2025, 11, 30), 2, D(2026, 2, 28)),
    ],
)
def test_extended_deadline_counts_from_receipt(received, months, due):
    assert deadlines.extended_due_date(riga(received.year, received.month, received.day), months) == due


def test_the_day_of_receipt_is_the_day_in_riga_not_in_utc():
    # 23:30 in Riga on 31 January 2025 is 21:30 UTC on 31 January; 00:30 on 1 February is 22:30 UTC
    # on 31 January: the Riga date decides.
    assert deadlines.due_date(riga(2025, 1, 31, 23, 30)) == D(2025, 2, 28)
    just_after_midnight = riga(2025, 2, 1, 0, 30).astimezone(datetime.UTC)
    assert just_after_midnight.date() == D(2025, 1, 31)
    assert deadlines.due_date(just_after_midnight) == D(2025, 3, 1)


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 31)), st.integers(min_value=0, max_value=3))
def test_add_months_lands_in_the_right_month_on_the_same_day_or_its_end(day, months):
    result = deadlines.add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day == day.day or (result.day < day.day and (result + datetime.timedelta(days=1)).day == 1)
