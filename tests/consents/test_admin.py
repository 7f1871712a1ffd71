"""The consents admin: the import flow (upload -> preview that changes nothing -> confirm), large files
on Celery with a progress page, permissions of import and export, formula-safe exports, the append-only
ledger, the §60 filter and the audience action."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from consents.importer.reading import RIGA
from consents.models import Consent, ConsentEvent, ConsentImport
from consents.services import consent_give
from consents.tasks import consent_import_run
from tests.factories import CustomerFactory, UserFactory

from .conftest import staff_with
from .factories import ConsentEventFactory, counts, topic

pytestmark = pytest.mark.django_db

HEADER = "customer_number,topic,action,channel,occurred_at,source,policy_version"
IMPORT_URL = reverse("admin:consents_consentevent_import")
CONFIRM_URL = reverse("admin:consents_consentevent_process_import")
LEDGER_URL = reverse("admin:consents_consentevent_changelist")


def upload(client, *lines: str, name: str = "portal.csv", content_type: str = "text/csv", encoding="utf-8"):
    body = "\n".join([HEADER, *lines]).encode(encoding)
    return client.post(
        IMPORT_URL,
        {
            "format": "0",
            "resource": "0",
            "import_file": SimpleUploadedFile(name, body, content_type=content_type),
        },
    )


def test_upload_shows_a_preview_that_changes_nothing_then_confirm_imports(importer):
    CustomerFactory(customer_number="C1")
    CustomerFactory(customer_number="C2")
    before = counts()

    response = upload(
        importer,
        "C1,marketing_email,given,portal,2024-05-01T10:00:00,p-1,",
        "C2,marketing_sms,withdrawn,phone,2024-05-02T10:00:00,call-2,",
    )
    job = ConsentImport.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/import/{job.pk}/")
    assert job.status == ConsentImport.Status.READY
    assert counts() == before  # the preview itself changes nothing

    page = importer.get(response["Location"])
    assert page.status_code == 200
    assert page.context["result"].new_events == 2
    assert page.context["result"].consents_created == 2
    assert b"Confirm import" in page.content

    response = importer.post(CONFIRM_URL, {"job_id": job.pk})
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ConsentImport.Status.APPLIED and job.applied_by == importer.user
    assert not job.file  # the uploaded personal data is not kept once imported
    assert counts() == {"events": 2, "event_history": 2, "consents": 2, "consent_history": 2}
    assert {h.history_user for h in ConsentEvent.history.all()} == {importer.user}

    # A confirmed import cannot be confirmed again.
    importer.post(CONFIRM_URL, {"job_id": job.pk})
    assert ConsentEvent.objects.count() == 2


def test_an_invalid_file_lists_its_errors_by_line_and_cannot_be_confirmed(importer):
    CustomerFactory(customer_number="C1")
    response = upload(
        importer,
        "C1,marketing_email,given,portal,2024-05-01T10:00:00,,",
        "C1,marketing_email,given,portal,01.13.2024 10:00,,",
    )
    job = ConsentImport.objects.get()
    assert job.status == ConsentImport.Status.INVALID
    page = importer.get(response["Location"])
    assert [(e.line, e.column) for e in page.context["result"].errors] == [(3, "occurred_at")]
    assert page.context["confirm_form"] is None
    importer.post(CONFIRM_URL, {"job_id": job.pk})
    assert ConsentEvent.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content_type", "body"),
    [
        ("consents.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04"),
        ("consents.csv", "image/png", b"\x89PNG"),
        ("consents.csv", "text/csv", b"PK\x03\x04 zipped"),
    ],
)
def test_only_csv_uploads_are_accepted(importer, name, content_type, body):
    response = importer.post(
        IMPORT_URL,
        {
            "format": "0",
            "resource": "0",
            "import_file": SimpleUploadedFile(name, body, content_type=content_type),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["import_file"]
    assert not ConsentImport.objects.exists()


def test_uploads_over_the_size_limit_are_refused(importer, settings):
    settings.CONSENT_IMPORT_MAX_BYTES = 100
    response = upload(importer, *["C1,surveys,given,portal,2024-05-01T10:00:00,,"] * 5)
    assert response.status_code == 200
    assert "larger than" in str(response.context["form"].errors["import_file"])


def test_a_large_file_runs_on_celery_with_a_progress_page(
    importer, settings, django_capture_on_commit_callbacks
):
    """Over CONSENT_IMPORT_ASYNC_ROWS rows: the check and the import are Celery tasks (called directly
    here, as a worker would); the page polls a small JSON view for the progress."""
    settings.CONSENT_IMPORT_ASYNC_ROWS = 3
    for n in range(5):
        CustomerFactory(customer_number=f"C{n}")
    lines = [f"C{n},marketing_email,given,portal,2024-05-01T10:00:00,p{n}," for n in range(5)]

    with django_capture_on_commit_callbacks() as queued:
        response = upload(importer, *lines)
    job = ConsentImport.objects.get()
    assert len(queued) == 1  # the check was queued after the commit, not run in the request
    assert job.status == ConsentImport.Status.QUEUED
    page = importer.get(response["Location"])
    assert b"<progress" in page.content
    progress_url = reverse("admin:consents_consentevent_import_progress", args=[job.pk])
    assert importer.get(progress_url).json() | {"phase_label": ""} == {
        "status": "queued",
        "status_label": "queued for checking",
        "running": True,
        "percent": 0.0,
        "phase": "waiting",
        "phase_label": "",
    }

    summary = consent_import_run(job.pk, importer.user.pk, True)
    assert summary == {"job_id": job.pk, "status": "ready", "rows": 5, "errors": 0, "new_events": 5}
    assert ConsentEvent.objects.count() == 0
    assert importer.get(progress_url).json()["running"] is False

    with django_capture_on_commit_callbacks() as queued:
        importer.post(CONFIRM_URL, {"job_id": job.pk})
    job.refresh_from_db()
    assert len(queued) == 1 and job.status == ConsentImport.Status.APPLY_QUEUED
    assert importer.get(progress_url).json()["percent"] == 0.0

    consent_import_run(job.pk, importer.user.pk, False)
    job.refresh_from_db()
    assert job.status == ConsentImport.Status.APPLIED
    assert ConsentEvent.objects.count() == 5 == Consent.objects.count()
    assert (
        importer.get(reverse("admin:consents_consentevent_import_job", args=[job.pk]))
        .context["result"]
        .applied
    )


def test_task_results_and_stored_results_hold_no_personal_data(importer, settings):
    settings.CONSENT_IMPORT_ASYNC_ROWS = 0
    CustomerFactory(customer_number="SECRET-NR-1")
    upload(importer, "SECRET-NR-1,marketing_email,given,portal,2024-05-01T10:00:00,Jānis Bērziņš,")
    job = ConsentImport.objects.get()
    summary = consent_import_run(job.pk, importer.user.pk, True)
    job.refresh_from_db()
    assert "SECRET-NR-1" not in repr(summary) + repr(job.result)
    assert "Bērziņš" not in repr(job.result)


# --- Permissions ---------------------------------------------------------------------------------


def test_import_and_export_each_need_their_own_permission(client):
    viewer = staff_with("view_consentevent", "view_consent", username="viewer")
    client.force_login(viewer)
    assert client.get(IMPORT_URL).status_code == 403
    assert client.get(reverse("admin:consents_consentevent_export")).status_code == 403
    assert client.get(reverse("admin:consents_consent_export")).status_code == 403
    changelist = client.get(LEDGER_URL)
    assert changelist.status_code == 200
    assert IMPORT_URL.encode() not in changelist.content

    exporter = staff_with("view_consentevent", "export_consentevent", username="exporter")
    client.force_login(exporter)
    assert client.get(reverse("admin:consents_consentevent_export")).status_code == 200
    assert client.get(IMPORT_URL).status_code == 403

    importer = staff_with("view_consentevent", "import_consentevent", username="importer")
    client.force_login(importer)
    assert client.get(IMPORT_URL).status_code == 200
    assert client.get(reverse("admin:consents_consentevent_export")).status_code == 403
    job = ConsentImport.objects.create(original_name="x.csv", uploaded_by=importer)
    client.force_login(exporter)
    assert client.get(reverse("admin:consents_consentevent_import_job", args=[job.pk])).status_code == 403
    assert client.post(CONFIRM_URL, {"job_id": job.pk}).status_code == 403


# --- Exports -------------------------------------------------------------------------------------


def _export(client, url: str, prefix: str, fields: list[str]) -> list[list[str]]:
    data = {"format": "0", "resource": "0", **{f"{prefix}_{name}": "on" for name in fields}}
    response = client.post(url, data)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_ledger_and_consent_exports_neutralise_formulas(client):
    """A value like =HYPERLINK(...) must reach the spreadsheet as text, not as a formula."""
    user = staff_with(
        "view_consentevent", "export_consentevent", "view_consent", "export_consent", username="exp"
    )
    client.force_login(user)
    customer = CustomerFactory(customer_number="-1+1")
    for source in ['=HYPERLINK("http://evil")', "+1", "@SUM(A1)", "\tx", "\rx", "plain"]:
        consent_give(
            actor=user,
            customer=customer,
            topic="surveys",
            channel="portal",
            source=source,
            occurred_at=timezone.now() - datetime.timedelta(seconds=len(source)),
        )

    rows = _export(
        client,
        reverse("admin:consents_consentevent_export"),
        "consenteventresource",
        ["customer_number", "source", "topic"],
    )
    assert rows[0] == ["customer_number", "topic", "source"]
    assert {row[0] for row in rows[1:]} == {"'-1+1"}
    assert {row[2] for row in rows[1:]} == {
        '\'=HYPERLINK("http://evil")',
        "'+1",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
        "plain",
    }

    rows = _export(
        client,
        reverse("admin:consents_consent_export"),
        "consentresource",
        ["customer_number", "status", "source"],
    )
    assert rows[1][0] == "'-1+1"


def test_export_follows_the_changelist_filters(client):
    user = staff_with("view_consentevent", "export_consentevent", username="exp")
    client.force_login(user)
    consent_give(
        actor=user, customer=CustomerFactory(customer_number="A1"), topic="surveys", channel="portal"
    )
    consent_give(
        actor=user, customer=CustomerFactory(customer_number="B2"), topic="usage_analysis", channel="portal"
    )
    url = reverse("admin:consents_consentevent_export") + f"?topic__id__exact={topic('surveys').pk}"
    rows = _export(client, url, "consenteventresource", ["customer_number"])
    assert rows[1:] == [["A1"]]


# --- The ledger in the admin ---------------------------------------------------------------------


def test_the_ledger_cannot_be_edited_or_deleted_even_by_a_superuser(client):
    client.force_login(UserFactory(username="root", is_superuser=True))
    event = ConsentEventFactory()
    change = reverse("admin:consents_consentevent_change", args=[event.pk])
    page = client.get(change)
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert client.post(change, {"source": "tampered"}).status_code == 403
    assert client.get(reverse("admin:consents_consentevent_delete", args=[event.pk])).status_code == 403
    assert client.post(
        LEDGER_URL, {"action": "delete_selected", "_selected_action": [event.pk]}
    ).status_code in {200, 302}
    assert ConsentEvent.objects.filter(pk=event.pk, source=event.source).exists()


def test_a_decision_added_in_the_admin_goes_through_the_service(client):
    agent = staff_with("add_consentevent", "view_consentevent", username="agent")
    client.force_login(agent)
    customer = CustomerFactory()
    response = client.post(
        reverse("admin:consents_consentevent_add"),
        {
            "customer": customer.pk,
            "topic": topic("marketing_phone").pk,
            "action": "withdrawn",
            "channel": "phone",
            "occurred_at_0": "2024-05-01",
            "occurred_at_1": "10:00:00",
            "source": "call-123",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    event = ConsentEvent.objects.get()
    assert (event.captured_by, event.policy_version.label) == (agent, "2023-01-20")
    assert Consent.objects.get(customer=customer).status == "withdrawn"
    assert ConsentEvent.history.get().history_user == agent


def test_the_section_60_filter_lists_late_opt_outs(client):
    client.force_login(UserFactory(username="root", is_superuser=True))
    occurred = datetime.datetime(2024, 5, 1, 12, tzinfo=RIGA)
    two_days = datetime.timedelta(days=2)
    in_time = ConsentEventFactory(
        topic=topic("marketing_email"),
        action="withdrawn",
        occurred_at=occurred,
        recorded_at=occurred + two_days,
    )
    late = ConsentEventFactory(
        topic=topic("marketing_email"),
        action="withdrawn",
        occurred_at=occurred,
        recorded_at=occurred + two_days + datetime.timedelta(seconds=1),
    )
    listed = client.get(LEDGER_URL, {"opt_out_in_time": "late"}).context["cl"].result_list
    assert list(listed) == [late]
    listed = client.get(LEDGER_URL, {"opt_out_in_time": "in_time"}).context["cl"].result_list
    assert list(listed) == [in_time]


def test_the_audience_action_downloads_the_channel_list(client):
    user = staff_with("view_consenttopic", "export_marketing_audience", username="marketing")
    client.force_login(user)
    customer = CustomerFactory(email="=cmd@example.lv", first_name="@evil")
    consent_give(actor=None, customer=customer, topic="marketing_email", channel="portal")
    response = client.post(
        reverse("admin:consents_consenttopic_changelist"),
        {"action": "export_audience", "_selected_action": [topic("marketing_email").pk]},
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["customer_number", "first_name", "last_name", "preferred_language", "contact", "basis"]
    assert rows[1][1] == "'@evil" and rows[1][4] == "'=cmd@example.lv" and rows[1][5] == "consent"

    nobody = staff_with("view_consenttopic", username="nobody")
    client.force_login(nobody)
    response = client.post(
        reverse("admin:consents_consenttopic_changelist"),
        {"action": "export_audience", "_selected_action": [topic("marketing_email").pk]},
    )
    assert not response.get("Content-Type", "").startswith("text/csv")


def test_a_task_delivered_twice_runs_once(importer, settings):
    settings.CONSENT_IMPORT_ASYNC_ROWS = 0
    CustomerFactory(customer_number="C1")
    upload(importer, "C1,surveys,given,portal,2024-05-01T10:00:00,,")
    job = ConsentImport.objects.get()
    consent_import_run(job.pk, importer.user.pk, True)
    importer.post(CONFIRM_URL, {"job_id": job.pk})
    consent_import_run(job.pk, importer.user.pk, False)
    assert consent_import_run(job.pk, importer.user.pk, False)["status"] == "applied"
    assert ConsentEvent.history.count() == 1
    # Applying a file nobody confirmed is refused.
    upload(importer, "C1,usage_analysis,given,portal,2024-05-01T10:00:00,,")
    unconfirmed = ConsentImport.objects.exclude(pk=job.pk).get()
    consent_import_run(unconfirmed.pk, importer.user.pk, True)
    assert consent_import_run(unconfirmed.pk, importer.user.pk, False)["status"] == "ready"
    assert ConsentEvent.objects.count() == 1


def test_the_ledger_and_state_changelists_do_not_query_per_row(client, django_assert_max_num_queries):
    client.force_login(UserFactory(username="root", is_superuser=True))
    for _ in range(3):
        consent_give(actor=None, customer=CustomerFactory(), topic="marketing_email", channel="portal")
    with django_assert_max_num_queries(12) as few:
        assert client.get(LEDGER_URL).status_code == 200
    for _ in range(20):
        consent_give(actor=None, customer=CustomerFactory(), topic="marketing_sms", channel="portal")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(LEDGER_URL)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("admin:consents_consent_changelist"))
