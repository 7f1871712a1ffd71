"""§38 "pieprasīt Balticom veikt to ... dzēšanu" and §42 "Balticom atbildi Klientam nosūta pa pastu uz viņa
norādīto kontaktadresi ierakstītā vēstulē": the answer to an erasure can be written and sent after the
erasure, and what it needed to reach the customer (name, address, language) is kept only until the
answer is recorded as sent, then scrubbed from the request, its history and the letter files."""

import pytest
from django.core.exceptions import ValidationError

from privacy.models import Customer
from requests_app import deadlines, letters, services
from requests_app.models import Letter, SubjectRequest
from tests.factories import InvoiceFactory, RecordingFactory
from tests.requests_app.conftest import grant
from tests.requests_app.factories import in_evaluation

pytestmark = pytest.mark.django_db

NAME = "Olga Petrova"
ADDRESS = "Maskavas iela 12-7, Rīga, LV-1003"


@pytest.fixture
def ru_customer(customer):
    Customer.objects.filter(pk=customer.pk).update(
        first_name="Olga", last_name="Petrova", address=ADDRESS, preferred_language="ru"
    )
    customer.refresh_from_db()
    return customer


@pytest.fixture
def registrar(clerk):
    return grant(clerk, "requests_app.add_letter", "requests_app.change_letter")


@pytest.fixture
def second_dpo(dpo):
    return grant(dpo, "requests_app.add_letter", "requests_app.change_letter")


def _answered_by_letter(subject_request, actor) -> None:
    """§42: the answer went out today as a registered letter, as the customer chose."""
    services.request_answer(
        subject_request=subject_request,
        actor=actor,
        method="registered_letter",
        answered_on=deadlines.today(),
    )


def _fulfilled_erasure(customer, registrar, second_dpo) -> SubjectRequest:
    subject_request = services.request_register(
        actor=registrar,
        type="erasure",
        channel="in_person",
        customer=customer,
        details="Прошу удалить мои данные.",
        preferred_answer_method="registered_letter",
    )
    in_evaluation(subject_request, verified_by=registrar)
    services.request_approve_erasure(subject_request=subject_request, actor=second_dpo)
    services.request_fulfil(subject_request=subject_request, actor=second_dpo)
    subject_request.refresh_from_db()
    return subject_request


def test_erasure_answer_is_written_in_the_customers_language_then_the_addressing_is_scrubbed_s38_s42(
    ru_customer, registrar, second_dpo, django_capture_on_commit_callbacks
):
    """The whole flow: register → verify → evaluate → approve (second person) → fulfil → answer letter in
    Russian to the erased customer's address → sent → answer recorded → name and address gone."""
    InvoiceFactory(customer=ru_customer)  # kept under §31: partly fulfilled, tombstone stays
    RecordingFactory(customer=ru_customer)
    subject_request = _fulfilled_erasure(ru_customer, registrar, second_dpo)
    assert subject_request.status == SubjectRequest.Status.PARTLY_FULFILLED
    tombstone = Customer.objects.get(pk=ru_customer.pk)
    assert not tombstone.first_name and not tombstone.address  # the erasure ran
    assert subject_request.requester_name == "" and subject_request.details == ""

    # Before this design: "holds no name to address the letter to".
    letter = letters.letter_generate(
        subject_request=subject_request, kind=Letter.Kind.ANSWER, actor=second_dpo
    )
    assert letter.language == "ru" and letter.postable
    with letter.html.open("rb") as handle:
        html = handle.read().decode()
    assert NAME in html and ADDRESS in html
    assert '<html lang="ru">' in html
    assert "Ответ на ваш запрос" in html

    letters.letter_mark_sent(letter=letter, actor=second_dpo, method="registered_letter")
    pdf_name = letter.pdf.name
    with django_capture_on_commit_callbacks(execute=True):  # files go once the scrub commits
        _answered_by_letter(subject_request, second_dpo)
    subject_request.refresh_from_db()
    assert subject_request.status == SubjectRequest.Status.ANSWERED
    assert subject_request.answer_recipient_name == ""
    assert subject_request.answer_recipient_address == ""
    assert subject_request.answer_language == ""
    for row in subject_request.history.all():  # nor in any history row
        assert row.answer_recipient_name == "" and row.answer_recipient_address == ""
    letter.refresh_from_db()
    assert not letter.pdf and not letter.html  # the letter files carried the address too
    assert letter.sent_on is not None and letter.pdf_sha256  # the evidence that it went stays
    assert not letter.pdf.storage.exists(pdf_name)


def test_an_answer_letter_cannot_be_written_once_the_answer_is_recorded_s42(
    ru_customer, registrar, second_dpo
):
    """After the answer is recorded, nothing is held to address another letter to (kept only as needed)."""
    RecordingFactory(customer=ru_customer)
    subject_request = _fulfilled_erasure(ru_customer, registrar, second_dpo)
    assert subject_request.status == SubjectRequest.Status.FULFILLED
    assert subject_request.answer_recipient_name == NAME
    assert subject_request.answer_language == "ru"
    _answered_by_letter(subject_request, second_dpo)
    subject_request.refresh_from_db()
    with pytest.raises(ValidationError, match="holds no name"):
        letters.letter_render(subject_request=subject_request, kind=Letter.Kind.ANSWER)


def test_other_answers_hold_nothing_extra_s38(customer, registrar, second_dpo):
    """Only an erasure copies the addressing: an access request leaves the held fields empty."""
    subject_request = services.request_register(
        actor=registrar, type="objection", channel="in_person", customer=customer
    )
    in_evaluation(subject_request, verified_by=registrar)
    services.request_fulfil(subject_request=subject_request, actor=registrar)
    subject_request.refresh_from_db()
    assert subject_request.answer_recipient_name == "" and subject_request.answer_language == ""
    rendered = letters.letter_render(subject_request=subject_request, kind=Letter.Kind.ANSWER)
    assert "Jānis" in rendered.html
