"""The nightly task (§41): flags requests due within 7 days and overdue ones, and emails the DPO a digest
without personal data."""

import datetime
import time

import pytest
from django.core import mail
from django_celery_beat.models import PeriodicTask

from config.celery import app
from requests_app import deadlines, services
from requests_app.models import SubjectRequest
from requests_app.tasks import flag_request_deadlines
from tests.celery_workers import Workers
from tests.factories import CustomerFactory
from tests.requests_app.factories import SubjectRequestFactory

pytestmark = pytest.mark.django_db

TODAY = deadlines.today()
Flag = SubjectRequest.DeadlineFlag


def due_in(days: int, **kwargs) -> SubjectRequest:
    return SubjectRequestFactory(due_at=TODAY + datetime.timedelta(days=days), **kwargs)


@pytest.mark.parametrize(
    ("days_left", "flag"),
    [
        (-1, Flag.OVERDUE),  # the day after the deadline
        (0, Flag.DUE_SOON),  # the day of it
        (1, Flag.DUE_SOON),
        (7, Flag.DUE_SOON),  # seven days ahead
        (8, Flag.NONE),  # eight days ahead
    ],
)
def test_flags_around_the_edges(days_left, flag):
    subject_request = due_in(days_left)
    services.requests_flag_deadlines()
    subject_request.refresh_from_db()
    assert subject_request.deadline_flag == flag
    assert subject_request.deadline_flagged_on == (TODAY if flag else None)


def test_task_counts_and_is_harmless_to_rerun():
    late, _soon, fine = due_in(-2), due_in(3), due_in(20)
    result = flag_request_deadlines()
    assert result == {
        "due_soon": 1,
        "overdue": 1,
        "newly_due_soon": 1,
        "newly_overdue": 1,
        "cleared": 0,
        "digest_sent": 0,
    }
    rows = SubjectRequest.history.count()
    again = flag_request_deadlines()
    assert again["newly_overdue"] == again["newly_due_soon"] == 0
    assert SubjectRequest.history.count() == rows  # nothing written the second time
    late.refresh_from_db()
    row = late.history.order_by("-history_id").first()
    assert row.history_change_reason.endswith("nightly deadline check")
    assert fine.history.count() == 1


def test_a_due_soon_request_becomes_overdue_the_day_after_its_deadline():
    subject_request = due_in(0)
    services.requests_flag_deadlines(on=TODAY)
    assert SubjectRequest.objects.get(pk=subject_request.pk).deadline_flag == Flag.DUE_SOON
    counts = services.requests_flag_deadlines(on=TODAY + datetime.timedelta(days=1))
    assert counts["newly_overdue"] == 1
    assert SubjectRequest.objects.get(pk=subject_request.pk).deadline_flag == Flag.OVERDUE


def test_an_answered_request_loses_its_flag(clerk):
    subject_request = due_in(-1, verified_at=datetime.datetime.now(tz=deadlines.RIGA))
    services.requests_flag_deadlines()
    SubjectRequest.objects.filter(pk=subject_request.pk).update(
        status=SubjectRequest.Status.REFUSED, outcome="refused", refusal_reason="x"
    )
    services.request_answer(subject_request=subject_request, actor=clerk, method="portal", answered_on=TODAY)
    assert SubjectRequest.objects.get(pk=subject_request.pk).deadline_flag == Flag.NONE


def test_an_extension_clears_the_due_soon_flag(clerk):
    customer = CustomerFactory()
    received = datetime.datetime.now(tz=deadlines.RIGA) - datetime.timedelta(days=27)
    subject_request = services.request_register(
        actor=clerk, type="access", channel="portal", customer=customer, received_at=received
    )
    assert subject_request.deadline_flag == Flag.DUE_SOON
    services.request_extend(
        subject_request=subject_request, actor=clerk, months=1, reason="Complex", notified_on=TODAY
    )
    assert SubjectRequest.objects.get(pk=subject_request.pk).deadline_flag == Flag.NONE


def test_digest_to_the_dpo_holds_no_personal_data(settings):
    settings.DPO_DIGEST_EMAIL = "dpo@balticom.example"
    customer = CustomerFactory(first_name="Līga", last_name="Kalniņa", email="liga@example.lv")
    late = due_in(-4, customer=customer, type="erasure")
    soon = due_in(2, customer=None, requester_name="Pēteris Zariņš", requester_email="peteris@example.lv")
    result = flag_request_deadlines()
    assert result["digest_sent"] == 1
    (message,) = mail.outbox
    assert message.to == ["dpo@balticom.example"]
    assert message.subject == "Requests: 1 overdue, 1 due within 7 days"
    assert str(late) in message.body and str(soon) in message.body
    assert "(-4)" in message.body and "(+2)" in message.body
    for personal in (
        "Līga",
        "Kalniņa",
        "liga@example.lv",
        "Pēteris",
        "peteris@example.lv",
        customer.customer_number,
    ):
        assert personal not in message.body and personal not in message.subject


def test_no_digest_without_an_address_or_without_anything_to_say(settings):
    settings.DPO_DIGEST_EMAIL = ""
    due_in(-1)
    assert flag_request_deadlines()["digest_sent"] == 0
    settings.DPO_DIGEST_EMAIL = "dpo@balticom.example"
    SubjectRequest.objects.all().delete()
    due_in(30)
    assert flag_request_deadlines()["digest_sent"] == 0
    assert mail.outbox == []


def test_scheduled_nightly_at_half_past_two_in_riga():
    """The schedule is a database row, editable in the admin (django-celery-beat)."""
    task = PeriodicTask.objects.select_related("crontab").get(task="requests_app.flag_request_deadlines")
    assert task.task in app.tasks
    assert task.enabled
    assert (task.crontab.minute, task.crontab.hour, str(task.crontab.timezone)) == ("30", "2", "Europe/Riga")


def test_consent_upload_cleanup_is_scheduled_nightly():
    app.loader.import_default_modules()  # what a worker does at start: autodiscover every tasks.py
    task = PeriodicTask.objects.select_related("crontab").get(task="consents.discard_stale_imports")
    assert task.task in app.tasks
    assert (task.crontab.minute, task.crontab.hour, str(task.crontab.timezone)) == ("45", "2", "Europe/Riga")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_task_runs_on_a_real_worker(tmp_path):
    """Through Redis and a real Celery worker on the test database."""
    subject_request = due_in(-1)
    workers = Workers(tmp_path)
    workers.start()
    try:
        result = flag_request_deadlines.apply_async(queue=workers.queue)
        counts = result.get(timeout=90)
        assert counts["overdue"] >= 1
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            subject_request.refresh_from_db()
            if subject_request.deadline_flag == Flag.OVERDUE:
                break
            time.sleep(0.2)
        assert subject_request.deadline_flag == Flag.OVERDUE
    finally:
        workers.stop_all()
