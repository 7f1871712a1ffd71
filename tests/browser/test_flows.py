"""The main flows in a real browser: staff log in through the login form and work the admin
as a person would. Screenshots of every step go to test-artifacts/browser/<test>/.

- an agent registers a data-subject request and verifies the requester's identity (§38, §40–41);
- the DPO approves an erasure registered and evaluated by someone else (four eyes), then fulfils it;
- an agent uploads a consent CSV, sees the preview that changes nothing, and confirms it (§46–49);
- an agent is refused a call recording, and the refusal is logged (Annex 1 cat. 26, §22);
- the DPO evaluates an access request, sees what is withheld (§39), fulfils it, writes the answer and
  opens it: the GDPR Art. 15 information for this person, in Latvian (§9–29, §31–34, §38–44).
"""

import pytest
from django.contrib.auth.models import Group

from consents.models import ConsentEvent, ConsentImport
from privacy.models import AccessLog, Customer, ErasureRecord
from privacy.roles import role
from requests_app import services as request_services
from requests_app.models import SubjectRequest
from tests.factories import CustomerFactory, RecordingFactory, UserFactory
from tests.requests_app.factories import POLICE_REFERENCE, rich_customer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-staple"
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 28


def staff(role_key: str, username: str):
    user = UserFactory(username=username, password=PASSWORD)
    user.groups.add(Group.objects.get(name=role(role_key).group))
    return user


def log_in(page, username: str) -> None:
    """Through the real login form, as staff do."""
    page.goto(page.base_url + "/admin/")
    page.wait_for_selector("#login-form")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.shot(f"login-{username}")
    page.click("#login-form input[type=submit]")
    page.wait_for_selector("#user-tools")


def choose_autocomplete(page, field: str, search: str, option: str) -> None:
    """Pick a value in an admin autocomplete (select2) field."""
    page.click(f".field-{field} .select2-selection")
    page.fill(".select2-container--open .select2-search__field", search)
    page.click(f".select2-results__option:has-text('{option}')")


def success_message(page) -> str:
    return page.inner_text("ul.messagelist")


def test_an_agent_registers_a_request_and_verifies_identity(page):
    customer = CustomerFactory(customer_number="B0000042", first_name="Ilze", last_name="Kalniņa")
    agent = staff("customer_service", "agent.anna")

    log_in(page, "agent.anna")
    page.shot("dashboard")
    page.goto(page.base_url + "/admin/requests_app/subjectrequest/add/")
    page.select_option("#id_type", "access")
    page.select_option("#id_channel", "in_person")
    choose_autocomplete(page, "customer", "B0000042", "B0000042")
    page.fill("#id_details", "Lūdzu izsniegt kopiju par maniem datiem.")
    page.select_option("#id_preferred_answer_method", "in_person")
    page.shot("request-form-filled")
    page.click("input[name=_continue]")
    page.wait_for_selector("ul.messagelist")
    page.shot("request-registered")

    subject_request = SubjectRequest.objects.get(customer=customer)
    assert subject_request.status == SubjectRequest.Status.RECEIVED
    assert subject_request.registered_by == agent

    page.click("a.rq-step:has-text('Verify identity')")
    page.select_option("#id_document_type", "id_card")
    page.fill("#id_document_number", customer.id_document_number)
    page.shot("verify-identity-form")
    page.click("#content-main input[type=submit]")
    page.wait_for_selector("ul.messagelist")
    assert "identity verified" in success_message(page)
    page.shot("identity-verified")

    subject_request.refresh_from_db()
    assert subject_request.status == SubjectRequest.Status.IDENTITY_VERIFIED
    assert subject_request.verified_by == agent
    assert subject_request.identity_document_number == customer.id_document_number


def _verified_in_person(agent, customer, *, type, details):
    """A request the agent took in at the counter, identity checked on the customer's passport (§40–41)."""
    subject_request = request_services.request_register(
        actor=agent, type=type, channel="in_person", customer=customer, details=details
    )
    request_services.request_verify_identity(
        subject_request=subject_request,
        actor=agent,
        document_type="passport",
        document_number=customer.id_document_number,
    )
    return subject_request


def test_the_dpo_approves_an_erasure_registered_by_someone_else(page):
    customer = CustomerFactory(customer_number="B0000077", first_name="Jānis", last_name="Ozols")
    RecordingFactory(customer=customer)
    agent = staff("customer_service", "agent.anna")
    dpo = staff("data_protection_officer", "dpo.dace")
    subject_request = _verified_in_person(agent, customer, type="erasure", details="Dzēst visu.")
    change_url = f"{page.base_url}/admin/requests_app/subjectrequest/{subject_request.pk}/change/"

    # The agent took the request in: no step deciding it, no approval.
    log_in(page, "agent.anna")
    page.goto(change_url)
    page.shot("agent-sees-intake-only")
    for step in ("Start evaluation", "Refuse", "Extend the deadline", "Approve the erasure"):
        assert page.locator(f"a.rq-step:has-text('{step}')").count() == 0, step
    page.click("#logout-form button")
    # A deputy DPO evaluates it; the approval needs a second person.
    deputy = staff("data_protection_officer", "dpo.deputy")
    request_services.request_start_evaluation(subject_request=subject_request, actor=deputy)

    log_in(page, "dpo.dace")
    page.goto(change_url)
    page.shot("dpo-opens-the-request")
    page.click("a.rq-step:has-text('Approve the erasure')")
    page.wait_for_selector("#erasure-preview")
    assert "Four eyes" in page.inner_text("#content-main")
    page.shot("dry-run-to-approve")
    page.click("#content-main input[type=submit]")
    page.wait_for_selector("ul.messagelist")
    assert "erasure approved" in success_message(page)
    page.shot("erasure-approved")

    subject_request.refresh_from_db()
    assert subject_request.erasure_approved_by == dpo
    assert subject_request.erasure_preview

    page.click("a.rq-step:has-text('Fulfil')")
    page.shot("fulfil-form")
    page.click("#content-main input[type=submit]")
    page.wait_for_selector("ul.messagelist")
    page.shot("erasure-fulfilled")
    subject_request.refresh_from_db()
    assert subject_request.status in (SubjectRequest.Status.FULFILLED, SubjectRequest.Status.PARTLY_FULFILLED)
    assert not Customer.objects.filter(customer_number="B0000077", status="active").exists()
    assert ErasureRecord.objects.filter(request_id=subject_request.pk, actor=dpo).exists()


def test_a_consent_csv_is_uploaded_previewed_and_confirmed(page, tmp_path):
    for number in ("B0000101", "B0000102"):
        CustomerFactory(customer_number=number)
    staff("customer_service", "agent.anna")
    csv_file = tmp_path / "portal-2024-05.csv"
    csv_file.write_text(
        "customer_number,topic,action,channel,occurred_at,source,policy_version\n"
        "B0000101,marketing_email,given,portal,2024-05-01T10:00:00,portal-1,\n"
        "B0000102,marketing_sms,withdrawn,phone,2024-05-02T11:30:00,call-77,\n",
        encoding="utf-8",
    )

    log_in(page, "agent.anna")
    page.goto(page.base_url + "/admin/consents/consentevent/")
    page.shot("consent-ledger")
    page.click("a.import_link")
    page.set_input_files("#id_import_file", str(csv_file))
    page.shot("upload-form")
    page.click("input[type=submit][value='Upload and check']")
    page.wait_for_selector("input[name=confirm]")
    page.shot("preview")
    assert ConsentEvent.objects.count() == 0  # the preview changed nothing
    assert ConsentImport.objects.get().status == ConsentImport.Status.READY

    page.click("input[name=confirm]")
    page.wait_for_function("() => !document.querySelector('input[name=confirm]')")
    page.wait_for_load_state("networkidle")
    page.shot("imported")
    assert ConsentImport.objects.get().status == ConsentImport.Status.APPLIED
    assert ConsentEvent.objects.count() == 2


def test_an_agent_is_refused_a_recording_and_the_refusal_is_logged(page):
    from django.core.files.base import ContentFile

    recording = RecordingFactory(
        customer=CustomerFactory(customer_number="B0000200"), file=ContentFile(WAV, name="call.wav")
    )
    agent = staff("customer_service", "agent.anna")

    log_in(page, "agent.anna")
    page.goto(page.base_url + "/admin/privacy/recording/")
    page.shot("recordings-list")
    with page.expect_response(lambda response: "/files/recordings/" in response.url) as answer:
        page.click(f"a[href='/files/recordings/{recording.pk}/']")
    assert answer.value.status == 403
    page.shot("recording-refused")
    assert "Access refused" in page.inner_text("#content-main")
    assert "RIFF" not in page.content()

    log = AccessLog.objects.get(user=agent)
    assert (log.action, log.object_label, log.object_id) == (
        "refused",
        "privacy.Recording",
        str(recording.pk),
    )


def test_the_dpo_answers_an_access_request_and_the_answer_says_what_the_law_requires_in_latvian(page):
    """GDPR Art. 15(1)–(2), §38–44: the answer letter opened as HTML holds, in Latvian, for each category
    held the purposes, legal bases, recipients, retention and source, then the rights and the authority;
    the evaluation showed the DPO what is withheld (§26.3, §39), and the letter does not reveal it."""
    from tests.i18n.catalogues import ensure_compiled

    ensure_compiled()
    customer = rich_customer("lv", customer_number="B0000099")
    agent = staff("customer_service", "agent.anna")
    staff("data_protection_officer", "dpo.dace")
    subject_request = _verified_in_person(agent, customer, type="access", details="Kādi dati jums ir?")
    change_url = f"{page.base_url}/admin/requests_app/subjectrequest/{subject_request.pk}/change/"

    log_in(page, "dpo.dace")
    page.goto(change_url)
    page.click("a.rq-step:has-text('Start evaluation')")
    page.click("#content-main input[type=submit]")
    page.wait_for_selector("ul.messagelist")
    withheld = page.inner_text(".field-withheld_display")
    assert "§26.3" in withheld and "§39" in withheld
    page.shot("evaluation-lists-what-is-withheld")

    page.click("a.rq-step:has-text('Fulfil')")
    page.click("#content-main input[type=submit]")
    page.wait_for_selector("ul.messagelist")
    page.click("a.rq-step:has-text('Write a letter')")
    assert page.input_value("#id_language") == "lv"
    page.shot("answer-letter-form")
    page.click("#content-main input[type=submit]")
    page.wait_for_selector("ul.messagelist")
    page.shot("answer-letter-written")

    html_link = page.locator("a:has-text('HTML')").first.get_attribute("href")
    page.goto(page.base_url + html_link)
    page.wait_for_selector("#art15")
    page.shot("answer-letter-in-latvian")
    text = page.inner_text("body")
    assert "Ko mēs darām ar jūsu personas datiem" in text
    sections = page.locator("section.category")
    assert sections.count() >= 8
    for heading in (
        "Mērķi (§9)",
        "Tiesiskie pamati (§11)",
        "Saņēmēji (§19–29)",
        "Cik ilgi mēs tos glabājam",
        "No kurienes tie iegūti (§24)",
    ):
        assert sections.filter(has_text=heading).count() == sections.count(), heading
    assert "Personas identifikācijas dati" in text
    assert "līguma noslēgšanai un izpildei" in text
    for section in ("Jūsu tiesības (§38)", "Kā tās izmantot (§40)", "Jūsu tiesības iesniegt sūdzību (§44)"):
        assert section in text
    assert "Elijas iela 17, Rīga, LV-1050" in text and "67223131" in text
    assert POLICE_REFERENCE not in text and "2026-02-03" not in text
    assert "2026-01-15" in text  # the §26.1 disclosure to the bank
