"""The admin index dashboard (what the DPO sees first, §41 deadlines): open requests by status, overdue
and due-soon counts, and a picture of requests received and answered per month."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from requests_app import deadlines, selectors
from requests_app.charts import requests_per_month_svg
from requests_app.models import SubjectRequest
from tests.factories import UserFactory
from tests.requests_app.factories import ComplaintFactory, SubjectRequestFactory, riga

pytestmark = pytest.mark.django_db

TODAY = deadlines.today()


def this_month(day: int = 1) -> datetime.datetime:
    return riga(TODAY.year, TODAY.month, day, 9)


@pytest.fixture
def requests():
    days = datetime.timedelta
    SubjectRequestFactory(due_at=TODAY - days(days=2), received_at=this_month())  # overdue
    SubjectRequestFactory(due_at=TODAY - days(days=1), received_at=this_month())  # overdue
    SubjectRequestFactory(due_at=TODAY + days(days=3), received_at=this_month())  # due soon
    SubjectRequestFactory(
        due_at=TODAY + days(days=20),
        status=SubjectRequest.Status.IN_EVALUATION,
        verified_at=this_month(),
        received_at=this_month(),
    )
    last_year = deadlines.add_months(TODAY, -11).replace(day=1)
    SubjectRequestFactory(
        due_at=TODAY - days(days=300),
        received_at=riga(last_year.year, last_year.month, 1, 9),
        status=SubjectRequest.Status.ANSWERED,
        outcome="fulfilled",
        verified_at=this_month(),
        answer_method="portal",
        answered_on=TODAY,
    )
    too_old = deadlines.add_months(TODAY, -12)
    SubjectRequestFactory(
        received_at=riga(too_old.year, too_old.month, 15),
        status="refused",
        outcome="refused",
        refusal_reason="x",
    )
    ComplaintFactory()


def test_dashboard_figures(requests):
    board = selectors.dashboard()
    assert board.overdue == 3  # the refusal not yet sent a year on is overdue too
    assert board.due_soon == 1
    assert board.open_total == 5  # the refused one is open until answered
    assert {s: c for s, _label, c in board.open_by_status} == {
        "received": 3,
        "identity_verified": 0,
        "in_evaluation": 1,
        "fulfilled": 0,
        "partly_fulfilled": 0,
        "refused": 1,
    }
    assert board.open_complaints == 1
    assert len(board.months) == 12
    assert board.months[-1].month == TODAY.replace(day=1)
    assert board.months[-1].received == 4
    assert board.months[-1].answered == 1
    assert board.months[0].received == 1  # eleven months ago
    assert sum(m.received for m in board.months) == 5  # twelve months ago is left out


def test_admin_index_shows_the_counts_and_the_chart(client, requests):
    client.force_login(UserFactory(username="root", is_superuser=True))
    html = client.get(reverse("admin:index")).content.decode()
    assert 'id="requests-dashboard"' in html
    assert 'data-count="overdue">3<' in html
    assert 'data-count="due_soon">1<' in html
    assert 'data-count="open">5<' in html
    assert 'data-status="received">3<' in html
    assert 'data-status="in_evaluation">1<' in html
    svg = re.search(r"<svg[^>]*class=\"requests-chart\".*?</svg>", html, re.S).group(0)
    assert len(re.findall(r'<rect class="bar bar-received"', svg)) == 12
    assert len(re.findall(r'<rect class="bar bar-answered"', svg)) == 12
    assert "received and answered per month" in svg
    assert "?deadline=overdue" in html
    assert 'id="content-main"' in html and "app-requests_app" in html  # the app list is still there


def test_dashboard_hidden_from_staff_without_access_to_requests(client, requests):
    client.force_login(UserFactory(username="nobody"))
    html = client.get(reverse("admin:index")).content.decode()
    assert "requests-dashboard" not in html


def test_the_chart_scales_bars_to_the_largest_month():
    months = [
        selectors.MonthBar(month=datetime.date(2025, m, 1), received=m, answered=m // 2) for m in range(1, 13)
    ]
    svg = str(requests_per_month_svg(months))
    heights = [float(h) for h in re.findall(r'class="bar bar-received"[^>]*height="([\d.]+)"', svg)]
    assert heights == sorted(heights) and heights[0] > 0
    assert "Dec 2025: 12 received" in svg and "Jan 2025: 0 answered" in svg
    empty = str(requests_per_month_svg([selectors.MonthBar(month=datetime.date(2025, 1, 1))]))
    assert 'height="0.0"' in empty


def _queue_references(client, query: str = "") -> list[str]:
    html = client.get(reverse("admin:requests_app_subjectrequest_changelist") + query).content.decode()
    return re.findall(r">(SR-\d{4}-\d{6})<", html)


def test_the_queue_puts_the_least_time_left_first_overdue_on_top(client):
    """§41 (one month, extendable): the request that is late is the first thing the agent sees, then
    the one due soonest; answered requests come after every open one, newest first. Today the queue
    was sorted by received date, so an old overdue request sat at the bottom."""
    days = datetime.timedelta
    answered = SubjectRequestFactory(
        received_at=this_month(1) + days(days=20) if TODAY.day > 21 else this_month(1),
        due_at=TODAY - days(days=30),
        status=SubjectRequest.Status.ANSWERED,
        outcome="fulfilled",
        verified_at=this_month(),
        answer_method="portal",
        answered_on=TODAY,
    )
    due_in_20 = SubjectRequestFactory(received_at=riga(2026, 11, 30, 9), due_at=TODAY + days(days=20))
    overdue_2 = SubjectRequestFactory(received_at=riga(2026, 10, 1, 9), due_at=TODAY - days(days=2))
    extended = SubjectRequestFactory(  # first deadline long gone, but extended (Art. 12(3)): 40 days left
        received_at=riga(2026, 9, 1, 9), due_at=TODAY - days(days=50), extended_due_at=TODAY + days(days=40)
    )
    due_in_3 = SubjectRequestFactory(received_at=riga(2026, 11, 2, 9), due_at=TODAY + days(days=3))
    overdue_9 = SubjectRequestFactory(received_at=riga(2026, 11, 1, 9), due_at=TODAY - days(days=9))
    client.force_login(UserFactory(username="root", is_superuser=True))

    expected = [overdue_9, overdue_2, due_in_3, due_in_20, extended, answered]
    assert _queue_references(client) == [item.reference for item in expected]
    # A column the user clicks still sorts by it (received date, newest first).
    by_received = sorted(expected, key=lambda item: item.received_at, reverse=True)
    received_column = 6  # the action checkbox, reference, type, status, days left, deadline, received
    assert _queue_references(client, f"?o=-{received_column}") == [item.reference for item in by_received]


def test_the_dashboard_lists_the_ten_most_urgent_open_requests(client):
    """§41: beside the counters, the ten open requests with the least time left, overdue first, each a
    link to the request with its days left coloured; answered requests are not among them."""
    days = datetime.timedelta
    open_ones = [
        SubjectRequestFactory(due_at=TODAY + days(days=offset), received_at=this_month())
        for offset in (15, -4, 2, 0, 30, 7, 11, -1, 5, 20, 25, 3)
    ]
    SubjectRequestFactory(
        due_at=TODAY - days(days=40),
        received_at=this_month(),
        status=SubjectRequest.Status.ANSWERED,
        outcome="fulfilled",
        verified_at=this_month(),
        answer_method="portal",
        answered_on=TODAY,
    )
    client.force_login(UserFactory(username="root", is_superuser=True))
    html = client.get(reverse("admin:index")).content.decode()
    table = re.search(r'<table class="rq-urgent".*?</table>', html, re.S).group(0)
    listed = re.findall(r">(SR-\d{4}-\d{6})<", table)
    expected = sorted(open_ones, key=lambda item: item.due_at)[:10]
    assert listed == [item.reference for item in expected]
    assert 'class="rq-days rq-overdue" data-days="-4"' in table
    assert "4 days overdue" in table and "due today" in table


@pytest.mark.parametrize("language", ["lv", "ru"])
def test_the_chart_keeps_svg_numbers_in_every_language(language):
    """The template draws the chart with localisation off: a Latvian decimal comma would break SVG."""
    months = [selectors.MonthBar(month=datetime.date(2025, m, 1), received=3 * m, answered=m) for m in (1, 2)]
    with translation.override(language):
        svg = str(requests_per_month_svg(months))
    coordinates = re.findall(r' (?:x|y|width|height)="([^"]*)"', svg)
    assert coordinates and all(re.fullmatch(r"\d+(\.\d)?%?", value) for value in coordinates)
    assert "2025" in svg and len(re.findall(r"<rect class=\"bar ", svg)) == 4
