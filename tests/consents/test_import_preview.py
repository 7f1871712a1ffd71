"""The consent-import preview does not mislead (§47–49): each change names its customer by number, the
counters add up to the rows read, and a file that changes nothing offers no "Confirm" (the service
refuses a forged one too). The upload page is in the staff member's language, "File to import" too."""

import datetime

import pytest

from consents.importer.reading import RIGA
from consents.models import ConsentEvent, ConsentImport
from consents.services import consent_give
from tests.factories import CustomerFactory
from tests.i18n.catalogues import ensure_compiled

from .conftest import staff_with
from .test_admin import CONFIRM_URL, IMPORT_URL, upload

pytestmark = pytest.mark.django_db


def riga(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=RIGA)


@pytest.fixture
def ledger(importer):
    """C2 gave marketing e-mail consent in January, C3's portal decision is already in the ledger, and C4
    gave survey consent in 2024."""
    customers = {number: CustomerFactory(customer_number=number) for number in ("C1", "C2", "C3", "C4")}
    for number, topic, when, source in (
        ("C2", "marketing_email", riga(2024, 1, 1, 9), "form-2"),
        ("C3", "marketing_email", riga(2024, 1, 1, 9), "p-3"),
        ("C4", "surveys", riga(2024, 1, 1, 9), "form-4"),
    ):
        consent_give(
            actor=importer.user,
            customer=customers[number],
            topic=topic,
            channel="portal",
            occurred_at=when,
            source=source,
        )
    return customers


def test_the_preview_names_each_customer_and_its_counters_add_up_to_the_rows_read(importer, ledger):
    """§48: "vēlākais lēmums" decides; the preview shows every row in exactly one counter."""
    response = upload(
        importer,
        "C1,marketing_email,given,portal,2024-05-01T10:00:00,p-1,",  # superseded by the next line
        "C1,marketing_email,withdrawn,portal,2024-05-02T10:00:00,p-1b,",  # first time
        "C2,marketing_email,withdrawn,phone,2024-05-03T10:00:00,call-2,",  # a change of state
        "C3,marketing_email,given,portal,2024-01-01T09:00:00,p-3,",  # already in the ledger
        "C4,surveys,withdrawn,portal,2023-01-01T10:00:00,old-4,",  # older than the state: ledger only
    )
    page = importer.get(response["Location"])
    result = page.context["result"]
    assert (result.rows, result.new_events, result.duplicates, result.unknown_opt_outs) == (5, 4, 1, 0)
    parts = (
        result.consents_created,
        result.consents_changed,
        result.consents_refreshed,
        result.consents_kept,
        result.superseded,
    )
    assert parts == (1, 1, 0, 1, 1)
    assert sum(parts) == result.new_events and result.new_events + result.duplicates == result.rows
    html = page.content.decode()
    assert "rows read" in html and "of which" in html
    changes = [(c["line"], c["customer_number"], c["topic"], c["after"]) for c in page.context["changes"]]
    assert changes == [(3, "C1", "marketing_email", "withdrawn"), (4, "C2", "marketing_email", "withdrawn")]
    assert '<td class="customer">C1</td>' in html and '<td class="customer">C2</td>' in html
    assert "Confirm import" in html


def test_a_file_that_changes_nothing_offers_no_confirm_and_a_forged_one_is_refused(importer, ledger):
    response = upload(importer, "C3,marketing_email,given,portal,2024-01-01T09:00:00,p-3,")
    job = ConsentImport.objects.get()
    page = importer.get(response["Location"])
    assert page.context["confirm_form"] is None
    assert b"Confirm import" not in page.content
    assert b"every row of this file is already in the ledger" in page.content
    before = ConsentEvent.objects.count()

    forged = importer.post(CONFIRM_URL, {"job_id": job.pk}, follow=True)
    job.refresh_from_db()
    assert job.status == ConsentImport.Status.READY and job.applied_by is None
    assert ConsentEvent.objects.count() == before
    assert "changes nothing" in " ".join(str(m) for m in forged.context["messages"])


@pytest.mark.parametrize("job_id", ["0", "-1", "99999999999999999999", "1\x00", "x" * 5000])
def test_a_forged_confirm_with_a_nonsense_job_id_applies_nothing(importer, ledger, job_id):
    response = importer.post(CONFIRM_URL, {"job_id": job_id})
    assert response.status_code == 200
    assert b'id="nothing-to-confirm"' in response.content and b"Confirm import" not in response.content
    assert not ConsentImport.objects.filter(status=ConsentImport.Status.APPLY_QUEUED).exists()


def test_a_forged_confirm_of_an_import_that_does_not_exist_is_forbidden(importer):
    assert importer.post(CONFIRM_URL, {"job_id": "424242"}).status_code == 403


def test_staff_without_the_import_permission_cannot_confirm_even_a_checked_file(importer, ledger):
    response = upload(importer, "C1,marketing_email,given,portal,2024-05-01T10:00:00,p-1,")
    job = ConsentImport.objects.get()
    agent = staff_with("view_consentevent", "view_consentimport", "add_consentevent", username="agent")
    importer.force_login(agent)
    assert importer.post(CONFIRM_URL, {"job_id": job.pk}).status_code == 403
    assert importer.get(response["Location"]).status_code == 403
    job.refresh_from_db()
    assert job.status == ConsentImport.Status.READY and ConsentEvent.objects.count() == 3


@pytest.mark.parametrize(
    ("language", "expected"), [("lv", "Importējamais fails"), ("ru", "Файл для импорта")]
)
def test_the_upload_page_says_file_to_import_in_the_staff_language(client, language, expected):
    ensure_compiled()
    codes = ("view_consentevent", "import_consentevent")
    user = staff_with(*codes, username=f"imp-{language}", language=language)
    client.force_login(user)
    html = client.get(IMPORT_URL).content.decode()
    assert expected in html
    for english in ("File to import", "Format:", 'value="Submit"'):
        assert english not in html
