"""What is said about a person inside the back-office stays inside (§39: requests are fulfilled "ciktāl
tie nenonāk pretrunā ar Balticom pienākumiem"; Annex 1 cat. 3 special categories).

- A legal hold's reason ("court order re <name>", "do not tell the subject") is personal data: erasure
  removes it, in the row and in its history, from holds on the customer and on their records.
- Hold reasons, internal notes, outcome notes and the reason a differing identity document was accepted
  never go into the subject's data package (data.json and the CSVs, history included).
- The answer letter of a rectification names the corrected fields; staff without the special-category
  permission who download it get the names of special-category fields hidden, in HTML and PDF."""

import datetime
import io
import json
import zipfile

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from privacy.erasure import erase_subject
from privacy.models import Disclosure, LegalHold, Recording
from requests_app import letters
from requests_app import services as request_services
from requests_app.export import package_bytes
from tests.admin_rows import disclosure_of
from tests.factories import CustomerFactory, RecordingFactory, UserFactory

from .conftest import in_role, request_in_evaluation

pytestmark = pytest.mark.django_db

SECRET_REASON = "Tiesas rīkojums par Ilzi Kalniņu; subjektam neziņot"
RELEASED = {"released_at": timezone.now() - datetime.timedelta(days=3)}


def _hold(**kwargs) -> LegalHold:
    hold = LegalHold(reason=SECRET_REASON, set_by=UserFactory(), **kwargs)
    hold.save()
    hold.reason = SECRET_REASON + " (papildināts)"  # a second history version holding the reason
    hold.save()
    return hold


def _record_hold(obj, **kwargs) -> LegalHold:
    return _hold(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk), **kwargs)


def _reason_anywhere(hold: LegalHold) -> list[str]:
    live = LegalHold.objects.filter(pk=hold.pk).values_list("reason", flat=True)
    history = LegalHold.history.filter(id=hold.pk).values_list("reason", flat=True)
    return [reason for reason in [*live, *history] if "Kalniņu" in reason]


# --- erasure --------------------------------------------------------------------------------------------


def test_erasure_removes_the_reason_of_a_released_hold_on_the_customer_and_keeps_the_hold():
    customer = CustomerFactory()
    hold = _hold(customer=customer, **RELEASED)
    record = erase_subject(customer, reason="test", actor=None)
    assert LegalHold.objects.filter(pk=hold.pk, customer=customer).exists()  # evidence stays (§31)
    assert record.kept["privacy.LegalHold"] == {"hold_evidence": 1}
    assert _reason_anywhere(hold) == []


def test_erasure_removes_the_reason_of_a_released_hold_on_one_of_their_records():
    customer = CustomerFactory()
    recording = RecordingFactory(customer=customer)
    released = _record_hold(recording, **RELEASED)
    on_the_customer_row = _record_hold(customer, until=datetime.date(2020, 1, 1))  # expired
    record = erase_subject(customer, reason="test", actor=None)
    assert not Recording.objects.filter(pk=recording.pk).exists()
    assert _reason_anywhere(released) == [] and _reason_anywhere(on_the_customer_row) == []
    assert record.anonymised["privacy.LegalHold"] == 2
    assert LegalHold.objects.filter(pk__in=[released.pk, on_the_customer_row.pk]).count() == 2


def test_a_hold_in_force_on_a_record_keeps_the_record_and_its_reason():
    """§31: the record and its hold are untouched while the hold is in force."""
    customer = CustomerFactory()
    recording = RecordingFactory(customer=customer)
    in_force = _record_hold(recording)
    erase_subject(customer, reason="test", actor=None)
    assert Recording.objects.filter(pk=recording.pk).exists()
    assert LegalHold.objects.get(pk=in_force.pk).reason.startswith(SECRET_REASON)


def test_a_dry_run_changes_no_reason():
    customer = CustomerFactory()
    hold = _hold(customer=customer, **RELEASED)
    erase_subject(customer, reason="test", actor=None, dry_run=True)
    assert len(_reason_anywhere(hold)) == 3


# --- the data package -----------------------------------------------------------------------------------


def test_the_data_package_holds_no_hold_reason_internal_note_or_outcome_note(special_customer):
    """§39: the package is the subject's data, not what staff wrote about them."""
    customer = special_customer
    hold = _hold(customer=customer, **RELEASED)
    disclosure_of(
        customer,
        ground=Disclosure.Ground.CONTRACT,  # §26.1: shown to the subject (a §26.3 one is withheld whole)
        legal_reference="Līgums Nr. 17, 5. punkts",
        request_reference="VP-2026/17",
        disclosed_on=datetime.date(2026, 2, 1),
        notes="Iekšēja piezīme: klients agresīvs, zvanīt tikai ar vadītāju",
    )
    subject_request = request_in_evaluation(
        customer,
        type="access",
        agent=in_role("customer_service"),
        decider=in_role("data_protection_officer"),
        document_number="ZZ0000001",
        mismatch="Uzrādīja svešu pasi, izskatās aizdomīgi",
    )
    subject_request.refresh_from_db()
    subject_request.outcome_notes = "Iekšēji: iespējama krāpniecība"
    subject_request.save()

    package = package_bytes(customer)
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        text = "\n".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist())
        document = json.loads(archive.read("data.json"))
    for secret in ("Kalniņu", "agresīvs", "krāpniecība", "aizdomīgi"):
        assert secret not in text
    tables = {table["model"]: table for table in document["tables"]}
    assert hold.pk and tables["privacy.LegalHold"]["rows"] == []  # §39: holds are withheld whole
    assert "notes" not in tables["privacy.Disclosure"]["rows"][0]
    assert tables["privacy.Disclosure"]["rows"][0]["request_reference"] == "VP-2026/17"  # the rest stays
    request_row = tables["requests_app.SubjectRequest"]["rows"][0]
    assert "outcome_notes" not in request_row and "identity_mismatch_reason" not in request_row
    assert hold.pk and "reason" not in tables["privacy.LegalHold"]["personal_fields"]


# --- the answer letter of a rectification -------------------------------------------------------------


@pytest.fixture
def rectified_letter(special_customer):
    """A rectification of the disability mark and the phone, answered: its letter names both fields."""
    agent, dpo = in_role("customer_service", "agent-letter"), in_role("data_protection_officer", "dpo-letter")
    special_customer.preferred_language = "en"
    special_customer.save()
    subject_request = request_in_evaluation(
        special_customer, type="rectification", agent=agent, decider=dpo, details="Labot."
    )
    request_services.request_rectify(
        subject_request=subject_request, actor=dpo, changes={"disability": False, "phone": "+37129995555"}
    )
    request_services.request_fulfil(subject_request=subject_request, actor=dpo)
    letter = letters.letter_generate(subject_request=subject_request, kind="answer", actor=dpo)
    return letter, agent, dpo


def _download(client, letter, fmt) -> bytes:
    response = client.get(reverse("requests_app:letter-file", args=[letter.pk, fmt]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_an_agent_gets_the_answer_letter_without_special_category_field_names(client, rectified_letter):
    letter, agent, dpo = rectified_letter
    client.force_login(agent)
    html = _download(client, letter, "html").decode()
    assert "Disability mark" not in html and "(hidden: special category)" in html
    assert "Phone" in html  # ordinary fields are still named
    pdf = _pdf_text(_download(client, letter, "pdf"))
    assert "Disability" not in pdf and "Phone" in pdf

    client.force_login(dpo)  # the DPO, who sees special categories, gets the letter as it was written
    assert "Disability mark" in _download(client, letter, "html").decode()
    assert "Disability mark" in _pdf_text(_download(client, letter, "pdf"))
    with letter.html.open("rb") as stored:
        assert "Disability mark" in stored.read().decode()  # the customer's letter is unchanged


def test_a_letter_written_before_the_names_were_marked_is_hidden_too(client, rectified_letter):
    letter, agent, _dpo = rectified_letter
    with letter.html.open("rb") as stored:
        old = stored.read().decode().replace(' class="special-category"', "")
    assert letters.letter_copy_for(agent, old, "en") is not None
    assert "Disability mark" not in letters.letter_copy_for(agent, old, "en")
