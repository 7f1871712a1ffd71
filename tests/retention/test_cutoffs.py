"""The cutoff arithmetic (§31–34): calendar months in Europe/Riga, kept through the window's last day,
handled from the next day on. Property-based over month ends, 29 February and daylight-saving changes."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from retention.cutoffs import (
    RIGA,
    add_months,
    cutoff_date,
    expiry_instant,
    is_expired,
    local_date,
    next_nightly_as_of,
    window_end,
)

from .factories import near_dst

D = datetime.date
UTC = datetime.UTC
days = st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31))
#: The policy's windows (§33 6, §32 12/18, §34 24, §31 60) and any other a DPO might set.
windows = st.one_of(st.sampled_from([6, 12, 18, 24, 60]), st.integers(min_value=1, max_value=240))
instants = st.one_of(
    near_dst(26),
    st.datetimes(
        min_value=datetime.datetime(1995, 1, 1),
        max_value=datetime.datetime(2095, 1, 1),
        timezones=st.just(UTC),
    ),
)


@given(day=days, as_of=days, months=windows)
@example(day=D(2023, 8, 31), as_of=D(2024, 2, 29), months=6)  # clamped to 29 February: still kept
@example(day=D(2023, 8, 31), as_of=D(2024, 3, 1), months=6)
@example(day=D(2024, 2, 29), as_of=D(2025, 3, 1), months=12)  # 29 Feb + 1 year ends on 28 Feb
@example(day=D(2024, 2, 29), as_of=D(2024, 3, 30), months=1)
def test_cutoff_date_agrees_with_the_window_of_every_single_record(day, as_of, months):
    """The bound the database uses handles exactly the records whose window ended before `as_of`."""
    assert (day <= cutoff_date(as_of, months)) == is_expired(day, as_of=as_of, months=months)
    assert is_expired(day, as_of=as_of, months=months) == (window_end(day, months) < as_of)


@given(as_of=days, months=windows)
def test_the_day_inside_is_kept_and_the_cutoff_day_is_past(as_of, months):
    cutoff = cutoff_date(as_of, months)
    assert window_end(cutoff, months) < as_of  # the cutoff day itself is past its window
    assert window_end(cutoff + datetime.timedelta(days=1), months) >= as_of  # one day inside is kept


@given(as_of=days, months=windows)
def test_a_missed_night_is_caught_up_because_cutoffs_never_go_back(as_of, months):
    """The cutoff moves forward with the night (never back), so a later run covers an earlier one's rows."""
    later = cutoff_date(as_of + datetime.timedelta(days=1), months)
    assert cutoff_date(as_of, months) <= later <= cutoff_date(as_of, months) + datetime.timedelta(days=4)


@given(moment=instants, as_of=days, months=windows)
def test_a_datetime_counts_by_its_calendar_day_in_riga(moment, as_of, months):
    """The SQL predicate `at < expiry_instant` is the Riga-date predicate, across DST changes."""
    assert (moment < expiry_instant(as_of, months)) == (local_date(moment) <= cutoff_date(as_of, months))


@pytest.mark.parametrize(
    "as_of, months, cutoff",
    [
        (D(2025, 7, 16), 6, D(2025, 1, 15)),  # mid-month: the record of 16 January is kept today
        (D(2025, 3, 1), 6, D(2024, 8, 31)),  # 31 August + 6 months = 28 February: handled on 1 March
        (D(2025, 2, 28), 6, D(2024, 8, 27)),  # 28-31 August all end on 28 February: kept today
        (D(2024, 2, 29), 6, D(2023, 8, 28)),  # leap year: 29-31 August end on 29 February
        (D(2024, 3, 1), 6, D(2023, 8, 31)),
        (D(2025, 3, 1), 12, D(2024, 2, 29)),  # 29 February 2024 + 1 year ends 28 February 2025
        (D(2025, 2, 28), 12, D(2024, 2, 27)),
        (D(2026, 3, 1), 24, D(2024, 2, 29)),
        (D(2030, 1, 1), 60, D(2024, 12, 31)),  # year end
        (D(2025, 1, 1), 18, D(2023, 6, 30)),
    ],
)
def test_cutoffs_across_month_ends_and_29_february(as_of, months, cutoff):
    assert cutoff_date(as_of, months) == cutoff


def test_add_months_clamps_to_the_month_end():
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2025, 1, 31), 1) == D(2025, 2, 28)
    assert add_months(D(2024, 8, 31), 6) == D(2025, 2, 28)
    assert add_months(D(2024, 3, 31), -1) == D(2024, 2, 29)
    assert add_months(D(2024, 12, 15), 1) == D(2025, 1, 15)
    assert add_months(D(2025, 1, 15), -13) == D(2023, 12, 15)


def test_expiry_instant_is_riga_midnight_in_summer_and_winter():
    summer = expiry_instant(D(2025, 7, 16), 6)  # cutoff 15 January -> 16 January 00:00 EET (UTC+2)
    assert summer == datetime.datetime(2025, 1, 15, 22, 0, tzinfo=UTC)
    winter = expiry_instant(D(2025, 1, 16), 6)  # cutoff 15 July -> 16 July 00:00 EEST (UTC+3)
    assert winter == datetime.datetime(2024, 7, 15, 21, 0, tzinfo=UTC)


def test_late_evening_in_riga_is_that_day_even_when_utc_says_otherwise():
    """23:30 on 15 January in Riga is 21:30 UTC; 00:30 on 16 January in Riga is 22:30 UTC on the 15th."""
    as_of, months = D(2025, 7, 16), 6
    late_evening = datetime.datetime(2025, 1, 15, 23, 30, tzinfo=RIGA)
    just_after_midnight = datetime.datetime(2025, 1, 16, 0, 30, tzinfo=RIGA)
    assert late_evening < expiry_instant(as_of, months)  # 15 January: handled
    assert just_after_midnight.astimezone(UTC).date() == D(2025, 1, 15)
    assert not just_after_midnight < expiry_instant(as_of, months)  # 16 January in Riga: kept


@pytest.mark.parametrize(
    "local, expected",
    [
        ((2025, 3, 30, 2, 59), D(2025, 3, 30)),  # just before clocks go forward (03:00 -> 04:00)
        ((2025, 3, 30, 4, 0), D(2025, 3, 30)),
        ((2025, 10, 26, 3, 30), D(2025, 10, 26)),  # the repeated hour when clocks go back
        ((2025, 10, 26, 23, 59), D(2025, 10, 26)),
    ],
)
def test_local_date_across_daylight_saving_changes(local, expected):
    for fold in (0, 1):
        moment = datetime.datetime(*local, tzinfo=ZoneInfo("Europe/Riga"), fold=fold)
        assert local_date(moment.astimezone(UTC)) == expected


def test_tonights_run_is_as_of_tomorrow_after_two_in_the_morning():
    assert next_nightly_as_of(datetime.datetime(2025, 5, 4, 1, 59, tzinfo=RIGA)) == D(2025, 5, 4)
    assert next_nightly_as_of(datetime.datetime(2025, 5, 4, 2, 0, tzinfo=RIGA)) == D(2025, 5, 5)
    # 23:30 UTC on 3 May is 02:30 on 4 May in Riga
    assert next_nightly_as_of(datetime.datetime(2025, 5, 3, 23, 30, tzinfo=UTC)) == D(2025, 5, 5)


def test_a_negative_window_is_refused():
    with pytest.raises(ValueError, match="negative"):
        cutoff_date(D(2025, 1, 1), -1)
