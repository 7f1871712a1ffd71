"""The retention rules and runs tables fit a 1,280 px screen (§31–34: the DPO reads what each rule
keeps and deletes without scrolling sideways), in English and in Latvian, with a run of every status
and seven-digit counts on the page. Screenshots: test-artifacts/browser/<test>/.
"""

import datetime

import pytest
from django.utils import timezone

from retention.models import RetentionRule, RetentionRun
from tests.browser.test_flows import log_in, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 1280, 800


@pytest.fixture
def runs(seeded):
    """A real and a dry run of every rule, each status once, with counts as a big night has them."""
    statuses = list(RetentionRun.Status)
    started = timezone.now() - datetime.timedelta(hours=3)
    for index, rule in enumerate(RetentionRule.objects.order_by("code")):
        for dry_run in (False, True):
            RetentionRun.objects.create(
                rule=rule,
                as_of=datetime.date(2026, 12, 3),
                dry_run=dry_run,
                trigger=RetentionRun.Trigger.SCHEDULE if index % 2 else RetentionRun.Trigger.COMMAND,
                status=statuses[index % len(statuses)],
                window_months=rule.window_months or 12,
                cutoff=datetime.date(2025, 12, 2),
                started_at=started,
                finished_at=started + datetime.timedelta(minutes=47),
                examined=12_345_678,
                deleted=9_876_543,
                anonymised=1_234_567,
                kept=1_234_568,
                kept_by_reason={"legal_hold": 1_234_568},
                errors=12_345,
                chunks=4_321,
                longest_chunk_ms=1_999,
            )


def _overflow(page) -> int:
    """How far the page, or the table's own scroll box (the admin's `.results`), is wider than the
    window shows (0 or less: no horizontal scroll anywhere)."""
    return page.evaluate(
        """() => Math.max(
            document.documentElement.scrollWidth - window.innerWidth,
            ...Array.from(
                document.querySelectorAll("#changelist .results"),
                box => box.scrollWidth - box.clientWidth,
            )
        )"""
    )


@pytest.mark.parametrize("language", ["en", "lv"])
def test_31_the_rules_and_runs_tables_fit_1280_pixels_as_the_dpo(page, runs, language):
    staff("data_protection_officer", "dpo-inese")
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    log_in(page, "dpo-inese")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": page.base_url}])
    for path in ("/admin/retention/retentionrule/", "/admin/retention/retentionrun/"):
        page.goto(page.base_url + path)
        page.wait_for_selector("#result_list")
        name = path.strip("/").rsplit("/", 1)[-1]
        page.shot(f"{name}-{language}")
        assert page.locator("#result_list tbody tr").count() >= RetentionRule.objects.count()
        assert page.evaluate("window.innerWidth") == WIDTH
        assert _overflow(page) <= 0, f"{path} in {language} is {_overflow(page)} px wider than {WIDTH}"
