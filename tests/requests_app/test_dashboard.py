"""The admin index dashboard (issue 4 item 2): open requests by status, overdue and due-soon counts, and
a picture of requests received and answered per month."""

import datetime
import re

import pytest
from django.urls import reverse

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
