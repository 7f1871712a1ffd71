"""Letters to the data subject in their language (§39, §41–42, §44, GDPR Art. 12(3)).

Each kind renders in Latvian, Russian and English with the deadline dates in that language's format and
times in Riga; the PDF opens and holds the customer's name and the request's reference; files stay in
private storage behind a permission-checked, logged view; sending is recorded with who, when and how.
"""

import datetime
import io

import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from privacy.erasure import erase_subject
from privacy.models import AccessLog
from requests_app import letters, services
from requests_app.models import Letter, SubjectRequest
from tests.factories import CustomerFactory, UserFactory

from .conftest import grant
from .factories import ExportPackageFactory, SubjectRequestFactory, riga

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("compiled_catalogues")]

#: Received on 31 January in Riga: due 28 February (the month is clamped), extended by two months to
#: 30 April, counted from receipt (GDPR Art. 12(3)).
DATES = {
    "lv": {
        "received": "2026. gada 31. janvāris",
        "due": "2026. gada 28. februāris",
        "extended": "2026. gada 30. aprīlis",
    },
    "ru": {"received": "31 января 2026 г.", "due": "28 февраля 2026 г.", "extended": "30 апреля 2026 г."},
    "en": {"received": "31 January 2026", "due": "28 February 2026", "extended": "30 April 2026"},
}
#: How each language cites GDPR Art. 12(3).
ART_12_3 = {"lv": "12. panta 3. punkt", "ru": "12(3)", "en": "12(3)"}
#: The customer's postal address, which the letter shows.
ADDRESS = "Brīvības iela 10-3, Rīga, LV-1010"
#: A phrase of each language's text, to tell the letter is written in it.
GREETING = {"lv": "Labdien, Anna Kalniņa!", "ru": "Здравствуйте, Anna Kalniņa!", "en": "Dear Anna Kalniņa,"}


@pytest.fixture
def compiled_catalogues():
    from django.utils import translation

    from tests.i18n.catalogues import ensure_compiled

    ensure_compiled()
    yield
    translation.deactivate()  # the admin tests below make requests in the customer's language


@pytest.fixture
def customer():
    return CustomerFactory(
        first_name="Anna",
        last_name="Kalniņa",
        address=ADDRESS,
        preferred_language="ru",
    )


@pytest.fixture
def received_31_january(customer):
    # 23:30 in Riga on 31 January is 21:30 UTC: still the 31st in Riga.
    return SubjectRequestFactory(
        customer=customer,
        type=SubjectRequest.Type.ACCESS,
        received_at=riga(2026, 1, 31, 23, 30),
        preferred_answer_method=SubjectRequest.AnswerMethod.REGISTERED_LETTER,
    )


def _extended(subject_request):
    subject_request.extension_months = 2
    subject_request.extended_due_at = datetime.date(2026, 4, 30)
    subject_request.extension_reason = "Pieprasījums aptver sešu gadu sarunu ierakstus."
    subject_request.extension_notified_on = datetime.date(2026, 2, 10)
    subject_request.save()
    return subject_request


def _refused(subject_request, reason="Rēķini jāglabā 5 gadus (Grāmatvedības likums)."):
    subject_request.status = SubjectRequest.Status.REFUSED
    subject_request.outcome = SubjectRequest.Outcome.REFUSED
    subject_request.refusal_reason = reason
    subject_request.save()
    return subject_request


def _render(subject_request, kind, language):
    return letters.letter_render(
        subject_request=subject_request, kind=kind, language=language, on=datetime.date(2026, 2, 2)
    )


@pytest.mark.parametrize("language", ["lv", "ru", "en"])
def test_acknowledgement_shows_receipt_and_the_one_month_deadline_in_the_letters_language(
    received_31_january, language
):
    """§41, Art. 12(3): the answer is due one calendar month after receipt (31 Jan -> 28 Feb)."""
    html = _render(received_31_january, Letter.Kind.ACKNOWLEDGEMENT, language).html
    assert f'<html lang="{language}">' in html
    assert GREETING[language] in html
    assert DATES[language]["received"] in html
    assert "23:30" in html  # Riga time, not UTC (21:30)
    assert f'<td class="due">{DATES[language]["due"]}</td>' in html
    assert received_31_january.reference in html
    assert ADDRESS in html


@pytest.mark.parametrize("language", ["lv", "ru", "en"])
def test_extension_notice_shows_both_deadlines_and_the_reason(received_31_january, language):
    """Art. 12(3): up to two further months, counted from receipt (30 April, not 28 April), with why."""
    subject_request = _extended(received_31_january)
    html = _render(subject_request, Letter.Kind.EXTENSION, language).html
    assert f'<td class="due">{DATES[language]["due"]}</td>' in html
    assert f'<td class="extended-due">{DATES[language]["extended"]}</td>' in html
    assert "Pieprasījums aptver sešu gadu sarunu ierakstus." in html
    assert ART_12_3[language] in html


@pytest.mark.parametrize("language", ["lv", "ru", "en"])
def test_refusal_gives_the_reason_section_39_and_the_right_to_complain_to_the_inspectorate(
    received_31_january, language
):
    """§39: the reason; §43–44: object to the DPO, then complain to Datu valsts inspekcija."""
    html = _render(_refused(received_31_january), Letter.Kind.REFUSAL, language).html
    assert "Rēķini jāglabā 5 gadus (Grāmatvedības likums)." in html
    assert "§39" in html and "§43" in html and "§44" in html
    assert "Datu valsts inspekcija" in html
    assert "www.dvi.gov.lv" in html


@pytest.mark.parametrize("language", ["lv", "ru", "en"])
def test_answer_cover_letter_names_the_package_it_encloses(received_31_january, language):
    """§42: the answer to an access request encloses the data package (its fingerprint is quoted)."""
    subject_request = received_31_january
    package = ExportPackageFactory(request=subject_request, sha256="ab" * 32)
    subject_request.status = SubjectRequest.Status.FULFILLED
    subject_request.outcome = SubjectRequest.Outcome.FULFILLED
    subject_request.verified_at = riga(2026, 2, 1)
    subject_request.save()
    html = _render(subject_request, Letter.Kind.ANSWER, language).html
    assert package.sha256 in html
    assert "Datu valsts inspekcija" in html


def test_letters_are_in_the_customers_preferred_language_unless_staff_choose_another(received_31_january):
    assert _render(received_31_january, Letter.Kind.ACKNOWLEDGEMENT, "").language == "ru"
    received_31_january.customer.preferred_language = "lv"
    assert _render(received_31_january, Letter.Kind.ACKNOWLEDGEMENT, "").language == "lv"
    assert _render(received_31_january, Letter.Kind.ACKNOWLEDGEMENT, "en").language == "en"


def test_times_are_riga_time_in_summer_too(customer):
    """00:30 in Riga on 15 July (summer time, UTC+3) is 21:30 UTC on the 14th: the letter says the 15th."""
    subject_request = SubjectRequestFactory(customer=customer, received_at=riga(2026, 7, 15, 0, 30))
    html = _render(subject_request, Letter.Kind.ACKNOWLEDGEMENT, "en").html
    assert "15 July 2026, 00:30" in html
    assert '<td class="due">15 August 2026</td>' in html


def test_a_letter_the_state_does_not_allow_is_refused_with_the_reason(received_31_january):
    for kind in (Letter.Kind.EXTENSION, Letter.Kind.REFUSAL, Letter.Kind.ANSWER):
        with pytest.raises(ValidationError) as caught:
            _render(received_31_january, kind, "lv")
        assert "kind" in caught.value.message_dict


def test_a_request_without_a_name_gets_no_letter():
    subject_request = SubjectRequestFactory(customer=None, requester_name="")
    with pytest.raises(ValidationError, match="no name"):
        _render(subject_request, Letter.Kind.ACKNOWLEDGEMENT, "lv")


def test_an_unmatched_requester_is_written_to_in_latvian_at_the_address_given():
    subject_request = SubjectRequestFactory(
        customer=None, requester_name="Pēteris Liepa", requester_address="Rēzeknes iela 2, Daugavpils"
    )
    rendered = _render(subject_request, Letter.Kind.ACKNOWLEDGEMENT, "")
    assert rendered.language == "lv"
    assert "Pēteris Liepa" in rendered.html and "Rēzeknes iela 2, Daugavpils" in rendered.html


# --- generated, stored, downloaded, sent ------------------------------------------------------------


@pytest.fixture
def clerk_with_letters():
    return grant(
        UserFactory(username="letters-clerk"),
        "requests_app.view_subjectrequest",
        "requests_app.change_subjectrequest",
        "requests_app.decide_subjectrequest",
        "requests_app.add_letter",
        "requests_app.change_letter",
        "requests_app.download_letter",
    )


def test_generated_letter_is_a_pdf_holding_the_customers_name_and_the_request_number(
    received_31_january, clerk_with_letters
):
    letter = letters.letter_generate(
        subject_request=received_31_january, kind=Letter.Kind.ACKNOWLEDGEMENT, actor=clerk_with_letters
    )
    assert letter.language == "ru" and letter.postable
    with letter.pdf.open("rb") as handle:
        data = handle.read()
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Anna Kalniņa" in text
    assert received_31_january.reference in text
    assert "28 февраля 2026 г." in text
    assert reader.metadata.title.startswith("Ваш запрос")
    with letter.html.open("rb") as handle:
        assert "Anna Kalniņa" in handle.read().decode()
    assert letter.history.count() == 1
    assert list(received_31_january.letters.all()) == [letter]


def test_files_are_in_private_storage_with_names_that_hold_nothing_personal(
    received_31_january, clerk_with_letters
):
    letter = letters.letter_generate(
        subject_request=received_31_january, kind=Letter.Kind.ACKNOWLEDGEMENT, actor=clerk_with_letters
    )
    for stored in (letter.pdf, letter.html):
        assert stored.name.startswith("letters/")
        assert "Kalni" not in stored.name and received_31_january.reference not in stored.name
        with pytest.raises(ValueError, match="no public URL"):
            stored.url  # noqa: B018


def test_download_is_permission_checked_and_every_attempt_logged(
    client, received_31_january, clerk_with_letters
):
    """§22: only staff holding download_letter get the file; refusals are logged too."""
    letter = letters.letter_generate(
        subject_request=received_31_january, kind=Letter.Kind.ACKNOWLEDGEMENT, actor=clerk_with_letters
    )
    outsider = grant(UserFactory(username="outsider"), "requests_app.view_subjectrequest")
    client.force_login(outsider)
    url = reverse("requests_app:letter-file", args=[letter.pk, "pdf"])
    assert client.get(url).status_code == 403
    assert AccessLog.objects.filter(user=outsider, action="refused", object_id=str(letter.pk)).exists()

    client.force_login(clerk_with_letters)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    html = client.get(reverse("requests_app:letter-file", args=[letter.pk, "html"]))
    assert html.status_code == 200
    assert "default-src 'none'" in html["Content-Security-Policy"]
    assert AccessLog.objects.filter(user=clerk_with_letters, action="download").count() == 2


def test_marking_a_letter_sent_records_who_when_and_how(received_31_january, clerk_with_letters):
    """§42: registered letter, portal or in person; the day it went and the registered-mail number."""
    letter = letters.letter_generate(
        subject_request=received_31_january, kind=Letter.Kind.ACKNOWLEDGEMENT, actor=clerk_with_letters
    )
    sender = UserFactory(username="post-room")
    letters.letter_mark_sent(
        letter=letter, actor=sender, method="registered_letter", tracking_number=" RR123456789LV "
    )
    letter.refresh_from_db()
    assert letter.sent_on is not None and letter.sent_method == "registered_letter"
    assert letter.tracking_number == "RR123456789LV"
    assert letter.sent_recorded_by == sender and letter.sent_recorded_at is not None
    latest = letter.history.latest("history_date")
    assert latest.history_user == sender and "sent" in latest.history_change_reason
    with pytest.raises(ValidationError, match="already"):
        letters.letter_mark_sent(letter=letter, actor=sender, method="portal")


def test_marking_sent_refuses_a_future_date_an_unknown_method_and_the_post_without_an_address(
    clerk_with_letters,
):
    subject_request = SubjectRequestFactory(
        customer=CustomerFactory(address=""), requester_address="", received_at=riga(2026, 1, 5)
    )
    letter = letters.letter_generate(
        subject_request=subject_request, kind=Letter.Kind.ACKNOWLEDGEMENT, actor=clerk_with_letters
    )
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError) as caught:
        letters.letter_mark_sent(letter=letter, actor=clerk_with_letters, method="pigeon", sent_on=tomorrow)
    assert set(caught.value.message_dict) == {"method", "sent_on"}
    with pytest.raises(ValidationError, match="no postal address"):
        letters.letter_mark_sent(letter=letter, actor=clerk_with_letters, method="registered_letter")
    letter.refresh_from_db()
    assert letter.sent_on is None and letter.history.count() == 1  # nothing half-written
    letters.letter_mark_sent(letter=letter, actor=clerk_with_letters, method="portal")


def test_the_request_page_writes_lists_and_sends_letters(client, received_31_january, clerk_with_letters):
    """From the request's admin page: the button writes the letter, the list shows it, the second
    button records it as sent."""
    client.force_login(clerk_with_letters)
    subject_request = received_31_january
    write = reverse("admin:requests_app_subjectrequest_transition", args=[subject_request.pk, "letter"])
    form = client.get(write).context["form"]
    assert form.fields["language"].initial == "ru"
    response = client.post(write, {"kind": "acknowledgement", "language": "ru"})
    assert response.status_code == 302, response.context["form"].errors
    letter = subject_request.letters.get()
    page = client.get(reverse("admin:requests_app_subjectrequest_change", args=[subject_request.pk]))
    assert reverse("requests_app:letter-file", args=[letter.pk, "pdf"]) in page.content.decode()
    sent = reverse("admin:requests_app_subjectrequest_transition", args=[subject_request.pk, "letter-sent"])
    response = client.post(
        sent,
        {"letter": letter.pk, "method": "registered_letter", "sent_on": letter.created_at.date().isoformat()},
    )
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.sent_recorded_by == clerk_with_letters


def test_without_the_letter_permission_there_is_no_button(client, received_31_january):
    clerk = grant(UserFactory(username="plain-clerk"), "requests_app.change_subjectrequest")
    client.force_login(clerk)
    write = reverse("admin:requests_app_subjectrequest_transition", args=[received_31_january.pk, "letter"])
    assert client.post(write, {"kind": "acknowledgement", "language": "lv"}).status_code == 403
    assert not received_31_january.letters.exists()


def test_workflow_letters_follow_the_request(customer, clerk_with_letters):
    """Registered -> refused through the services: the refusal letter quotes the reason given."""
    subject_request = services.request_register(
        actor=clerk_with_letters, type="erasure", channel="portal", customer=customer
    )
    services.request_refuse(
        subject_request=subject_request, actor=clerk_with_letters, reason="Открытый долг по счёту (§31.2)."
    )
    assert letters.letter_kinds_available(subject_request) == ["acknowledgement", "refusal", "answer"]
    letter = letters.letter_generate(
        subject_request=subject_request, kind="refusal", actor=clerk_with_letters
    )
    with letter.html.open("rb") as handle:
        assert "Открытый долг по счёту (§31.2)." in handle.read().decode()


def test_erasure_keeps_the_letter_as_evidence_but_deletes_its_files(
    received_31_january, clerk_with_letters, django_capture_on_commit_callbacks
):
    """Catalogue: a letter is evidence the subject was written to (kept, anonymised); its files go."""
    letter = letters.letter_generate(
        subject_request=received_31_january, kind=Letter.Kind.ACKNOWLEDGEMENT, actor=clerk_with_letters
    )
    storage, pdf_name = letter.pdf.storage, letter.pdf.name
    with django_capture_on_commit_callbacks(execute=True):
        erase_subject(received_31_january.customer, reason="test", actor=clerk_with_letters)
    letter.refresh_from_db()
    assert letter.pdf.name == "" and letter.html.name == ""
    assert letter.kind == "acknowledgement"
    assert not storage.exists(pdf_name)


# --- the forms that record sending and the answer start from what is known (§42) ---------------------


def _step_page(client, subject_request, step: str) -> str:
    url = reverse("admin:requests_app_subjectrequest_transition", args=[subject_request.pk, step])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _written_on(subject_request, kind, actor, day: datetime.date) -> Letter:
    """A letter generated on `day` (its generation date is set back, so it may be sent since then)."""
    letter = letters.letter_generate(subject_request=subject_request, kind=kind, actor=actor)
    Letter.objects.filter(pk=letter.pk).update(created_at=riga(day.year, day.month, day.day))
    letter.refresh_from_db()
    return letter


def test_recording_a_letter_as_sent_preselects_the_only_letter_waiting(
    client, received_31_january, clerk_with_letters
):
    """§42: with one letter waiting to go out, the form has it chosen; with two, staff choose."""
    client.force_login(clerk_with_letters)
    first = letters.letter_generate(
        subject_request=received_31_january, kind=Letter.Kind.ACKNOWLEDGEMENT, actor=clerk_with_letters
    )
    assert f'<option value="{first.pk}" selected>' in _step_page(client, received_31_january, "letter-sent")
    second = letters.letter_generate(
        subject_request=received_31_january, kind=Letter.Kind.ACKNOWLEDGEMENT, actor=clerk_with_letters
    )
    page = _step_page(client, received_31_january, "letter-sent")
    assert f'<option value="{first.pk}">' in page and f'<option value="{second.pk}">' in page
    assert '<option value="" selected>' in page  # the empty choice: nothing is chosen for staff


def test_recording_the_answer_reuses_the_method_and_date_of_the_answer_letter_sent(
    client, clerk_with_letters
):
    """§42: "Record the answer" starts from how and when the answer letter went out (staff may change
    them); an acknowledgement sent earlier is not the answer, and a request with no letter sent starts
    from today."""
    client.force_login(clerk_with_letters)
    subject_request = SubjectRequestFactory(
        customer=CustomerFactory(first_name="Anna", last_name="Kalniņa", address="Brīvības iela 10-3, Rīga"),
        received_at=riga(2026, 1, 31, 23, 30),
        status=SubjectRequest.Status.FULFILLED,
        outcome=SubjectRequest.Outcome.FULFILLED,
        verified_at=riga(2026, 2, 1),
        verified_by=clerk_with_letters,
    )
    today = f'name="answered_on" value="{datetime.date.today().isoformat()}"'
    assert today in _step_page(client, subject_request, "answer")

    acknowledgement = _written_on(
        subject_request, Letter.Kind.ACKNOWLEDGEMENT, clerk_with_letters, datetime.date(2026, 2, 1)
    )
    letters.letter_mark_sent(
        letter=acknowledgement, actor=clerk_with_letters, method="portal", sent_on=datetime.date(2026, 2, 2)
    )
    assert today in _step_page(client, subject_request, "answer")

    answer = _written_on(subject_request, Letter.Kind.ANSWER, clerk_with_letters, datetime.date(2026, 2, 20))
    letters.letter_mark_sent(
        letter=answer,
        actor=clerk_with_letters,
        method="registered_letter",
        sent_on=datetime.date(2026, 2, 21),
    )
    page = _step_page(client, subject_request, "answer")
    assert 'name="answered_on" value="2026-02-21"' in page
    assert '<option value="registered_letter" selected>' in page
    url = reverse("admin:requests_app_subjectrequest_transition", args=[subject_request.pk, "answer"])
    client.post(url, {"method": "in_person", "answered_on": "2026-02-22"})  # staff may change them
    subject_request.refresh_from_db()
    assert (subject_request.answer_method, subject_request.answered_on) == (
        "in_person",
        datetime.date(2026, 2, 22),
    )
