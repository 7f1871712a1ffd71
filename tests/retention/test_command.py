"""`python manage.py enforce_retention [--dry-run] [--as-of YYYY-MM-DD] [--rule CODE]` (§31–34)."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from privacy.models import Recording
from retention.locks import SweepLock
from retention.models import RetentionRun

from .factories import LegalHoldFactory, old_customer, recording_on

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("enforce_retention", *args, stdout=out)
    return out.getvalue()


def test_prints_counts_per_rule(rules):
    held = old_customer()
    LegalHoldFactory(customer=held)
    recording_on(datetime.date(2019, 1, 1))
    recording_on(datetime.date(2019, 1, 1), customer=held)
    output = run("--rule", "recordings", "--as-of", "2025-07-16")
    assert "recordings (run as of 2025-07-16, due up to 2025-01-15): examined 2, deleted 1" in output
    assert "kept 1" in output and "legal hold (§31): 1" in output
    assert Recording.objects.count() == 1


def test_dry_run_changes_nothing(rules):
    recording_on(datetime.date(2019, 1, 1))
    output = run("--dry-run", "--rule", "recordings", "--as-of", "2025-07-16")
    assert "dry run as of 2025-07-16" in output and "deleted 1" in output
    assert Recording.objects.count() == 1
    assert RetentionRun.objects.get().dry_run


def test_without_rule_every_enabled_rule_runs(rules):
    output = run("--as-of", "2025-07-16")
    for code in ("recordings", "prepaid_customers", "invoices", "audit_history", "former_customers"):
        assert output.count(f"{code} (run as of 2025-07-16") == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (["--as-of", "16.07.2025"], "--as-of 16.07.2025 is not a date in the form YYYY-MM-DD"),
        (["--as-of", "2999-01-01"], "only a dry run may look ahead"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(rules, args, message):
    recording_on(datetime.date(2019, 1, 1))
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert Recording.objects.count() == 1
    assert not RetentionRun.objects.exists()


def test_an_unknown_rule_is_refused(rules):
    with pytest.raises(CommandError, match="invalid choice"):
        run("--rule", "emails")


def test_a_locked_rule_is_reported_and_fails_the_command(rules):
    lock = SweepLock("recordings")
    assert lock.acquire()
    try:
        with pytest.raises(CommandError, match="skipped"):
            out = StringIO()
            call_command("enforce_retention", "--rule", "recordings", stdout=out)
    finally:
        lock.release()
    assert "recordings: skipped, another sweep of this rule is running." in out.getvalue()
