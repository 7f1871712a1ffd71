"""The per-rule lock on the real Redis, the nightly task called directly, and the nightly schedule
(02:00 Europe/Riga, editable in the admin through django-celery-beat)."""

import datetime
import json
import time

import pytest
from django_celery_beat.models import PeriodicTask

from privacy.models import Recording
from retention.locks import LockLost, SweepLock
from retention.models import RetentionRule, RetentionRun
from retention.rules import RULES, TASK_NAME, periodic_task_name
from retention.tasks import sweep_rule

from .factories import AS_OF, recording_on


def test_a_second_holder_cannot_take_the_lock_and_cannot_release_the_first():
    first, second = SweepLock("lock-test-a", timeout=30), SweepLock("lock-test-a", timeout=30)
    assert first.acquire()
    try:
        assert not second.acquire()
        second.release()  # token-checked: not ours, nothing happens
        assert not SweepLock("lock-test-a", timeout=30).acquire()
    finally:
        first.release()
    assert second.acquire()
    second.release()


def test_an_expired_lock_is_free_and_its_old_holder_learns_it_lost_it():
    """A worker killed with SIGKILL blocks its rule only for the lock's TTL."""
    stale = SweepLock("lock-test-b", timeout=1)
    assert stale.acquire()
    time.sleep(1.2)
    fresh = SweepLock("lock-test-b", timeout=30)
    assert fresh.acquire()
    stale._extended_at = 0  # pretend a third of the TTL has passed
    with pytest.raises(LockLost):
        stale.keep_alive()
    stale.release()  # does not release the fresh holder's lock
    assert not SweepLock("lock-test-b", timeout=30).acquire()
    fresh.release()


def test_keep_alive_extends_the_ttl():
    lock = SweepLock("lock-test-c", timeout=1)
    assert lock.acquire()
    for _ in range(4):
        time.sleep(0.4)
        lock.keep_alive()
    assert not SweepLock("lock-test-c", timeout=1).acquire()  # 1.6 s later, still ours
    lock.release()


@pytest.mark.django_db
def test_the_task_sweeps_its_rule_and_returns_counts_only(rules):
    recording_on(datetime.date(2019, 1, 1))
    result = sweep_rule.run(code="recordings", as_of=AS_OF.isoformat())
    assert result["status"] == "finished"
    assert (result["examined"], result["deleted"]) == (1, 1)
    assert set(result) == {
        "rule",
        "run",
        "status",
        "as_of",
        "examined",
        "deleted",
        "anonymised",
        "kept",
        "errors",
    }
    run = RetentionRun.objects.get(pk=result["run"])
    assert run.trigger == RetentionRun.Trigger.SCHEDULE
    assert Recording.objects.count() == 0


@pytest.mark.django_db
def test_a_copy_delivered_while_the_rule_is_locked_does_nothing(rules):
    recording_on(datetime.date(2019, 1, 1))
    lock = SweepLock("recordings")
    assert lock.acquire()
    try:
        assert sweep_rule.run(code="recordings", as_of=AS_OF.isoformat()) == {
            "rule": "recordings",
            "status": "locked",
        }
    finally:
        lock.release()
    assert Recording.objects.count() == 1
    assert not RetentionRun.objects.exists()


@pytest.mark.django_db
def test_a_disabled_rule_is_skipped_by_the_schedule(rules):
    RetentionRule.objects.filter(code="recordings").update(enabled=False)
    recording_on(datetime.date(2019, 1, 1))
    assert sweep_rule.run(code="recordings") == {"rule": "recordings", "status": "disabled"}
    assert Recording.objects.count() == 1


def test_the_task_acknowledges_late_and_is_requeued_if_its_worker_dies():
    assert sweep_rule.acks_late is True
    assert sweep_rule.reject_on_worker_lost is True


@pytest.mark.django_db
def test_every_rule_runs_nightly_at_two_in_riga_from_the_database_schedule():
    """Seeded by migration as django-celery-beat rows, so the admin's edits are what beat runs."""
    tasks = {
        task.name: task for task in PeriodicTask.objects.filter(task=TASK_NAME).select_related("crontab")
    }
    assert set(tasks) == {periodic_task_name(row["code"]) for row in RULES}
    for row in RULES:
        task = tasks[periodic_task_name(row["code"])]
        assert json.loads(task.kwargs) == {"code": row["code"]}
        assert task.enabled
        cron = task.crontab
        assert (cron.minute, cron.hour, cron.day_of_month, cron.month_of_year, cron.day_of_week) == (
            "0",
            "2",
            "*",
            "*",
            "*",
        )
        assert str(cron.timezone) == "Europe/Riga"
    assert RetentionRule.objects.count() == len(RULES) == 10


@pytest.mark.django_db
def test_the_seeded_rules_match_the_policy():
    expected = {
        "recordings": ("§33", 6, None, "recorded_at", "delete"),
        "prepaid_customers": ("§34", 24, None, "last_service_use", "erase"),
        "invoices": ("§31.3", 60, None, "issue_year_end", "delete"),
        "audit_history": ("§32", 12, 18, "history_date", "delete"),
        "former_customers": ("§31", 0, None, "last_basis", "erase"),
        "data_packages": ("§31, §42", 1, None, "answered_on", "delete"),
        # §32 "vismaz vienu gadu ... no paaugstinātas drošības informācijas sistēmām ... vismaz 18"
        "security_logs": ("§32", 12, 18, "logged_at", "delete"),
        # the policy gives no period: the DPO sets one (until then switched off)
        "evidence_recordings": ("§12.9, §31", None, None, "basis_end", "delete"),
        "video": ("Annex 1 cat. 25", None, None, "recorded_at", "delete"),
        "other_subjects": ("§31, §5", None, None, "registered_at", "erase"),
    }
    found = {
        rule.code: (
            rule.clause,
            rule.window_months,
            rule.extended_window_months,
            rule.counts_from,
            rule.action,
        )
        for rule in RetentionRule.objects.all()
    }
    assert found == expected
    assert {rule.code for rule in RetentionRule.objects.filter(enabled=False)} == {
        "evidence_recordings",
        "video",
        "other_subjects",
    }
    assert [rule.code for rule in RetentionRule.objects.filter(fixed=True)] == ["recordings"]  # §33
    assert all(rule.history.filter(history_type="+").exists() for rule in RetentionRule.objects.all())
