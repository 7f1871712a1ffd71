"""The request workflow (§38–42): each transition, and each refusal a user would meet."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from privacy.models import Customer
from requests_app import deadlines, services
from requests_app.models import SubjectRequest
from tests.factories import CustomerFactory
from tests.requests_app.factories import riga

pytestmark = pytest.mark.django_db

Status = SubjectRequest.Status
Type = SubjectRequest.Type
Channel = SubjectRequest.Channel


def register(actor, customer=None, *, type=Type.ACCESS, channel=Channel.PORTAL, **kwargs):  # noqa: A002
    return services.request_register(actor=actor, type=type, channel=channel, customer=customer, **kwargs)


def verified(actor, customer, **kwargs):
    subject_request = register(actor, customer, **kwargs)
    channel = subject_request.channel
    evidence = {
        Channel.PORTAL: {"portal_session_id": "sess-123"},
        Channel.EMAIL: {"signature_validation": "eparaksts.lv: valid qualified signature"},
        Channel.IN_PERSON: {"document_type": "passport", "document_number": customer.id_document_number},
    }[channel]
    return services.request_verify_identity(subject_request=subject_request, actor=actor, **evidence)


def evaluating(actor, customer, **kwargs):
    subject_request = verified(actor, customer, **kwargs)
    return services.request_start_evaluation(subject_request=subject_request, actor=actor)


def latest_history(subject_request):
    return subject_request.history.order_by("-history_id").first()


# --- intake ---------------------------------------------------------------------------------------


def test_register_sets_the_deadline_one_month_after_receipt(clerk, customer):
    """§41, GDPR Art. 12(3)."""
    subject_request = register(clerk, customer, received_at=riga(2024, 1, 31, 9))
    assert subject_request.status == Status.RECEIVED
    assert subject_request.due_at == datetime.date(2024, 2, 29)
    assert subject_request.deadline == datetime.date(2024, 2, 29)
    assert subject_request.registered_by == clerk
    assert str(subject_request) == f"SR-2024-{subject_request.pk:06d}"
    assert customer.last_name not in str(subject_request)  # the reference holds no personal data


def test_register_needs_a_customer_or_the_requesters_name(clerk):
    with pytest.raises(ValidationError) as error:
        register(clerk, None)
    assert "requester_name" in error.value.message_dict
    unmatched = register(clerk, None, requester_name="Anna Kalniņa", requester_email="anna@example.lv")
    assert unmatched.customer is None


def test_register_refuses_a_receipt_in_the_future(clerk, customer):
    with pytest.raises(ValidationError, match="future"):
        register(clerk, customer, received_at=timezone.now() + datetime.timedelta(days=1))


def test_restriction_and_objection_default_to_setting_the_flag_others_cannot(clerk, customer):
    assert register(clerk, customer, type=Type.RESTRICTION).flag_action == "set"
    assert register(clerk, customer, type=Type.OBJECTION).flag_action == "set"
    with pytest.raises(ValidationError) as error:
        register(clerk, customer, type=Type.ACCESS, flag_action="set")
    assert "flag_action" in error.value.message_dict


# --- identity verification (§40–41) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("channel", "evidence", "stored"),
    [
        (
            Channel.IN_PERSON,
            {"document_type": "id_card", "document_number": "PA1234567"},
            {"identity_document_type": "id_card", "identity_document_number": "PA1234567"},
        ),
        (
            Channel.EMAIL,
            {"signature_validation": "eparaksts.lv validator: valid"},
            {"signature_validation": "eparaksts.lv validator: valid"},
        ),
        (Channel.PORTAL, {"portal_session_id": "sess-42"}, {"portal_session_id": "sess-42"}),
    ],
)
def test_verification_records_how_and_by_whom(clerk, colleague, customer, channel, evidence, stored):
    """§40: identity document in person, qualified e-signature by email, authenticated portal session."""
    customer.id_document_number = "PA1234567"  # the document shown is the one on record
    customer.save()
    subject_request = register(clerk, customer, channel=channel)
    services.request_verify_identity(subject_request=subject_request, actor=colleague, **evidence)
    subject_request.refresh_from_db()
    assert subject_request.status == Status.IDENTITY_VERIFIED
    assert subject_request.verified_by == colleague
    assert subject_request.verified_at is not None
    for name, value in stored.items():
        assert getattr(subject_request, name) == value
    row = latest_history(subject_request)
    assert row.history_user == colleague
    assert "identity verified" in row.history_change_reason


@pytest.mark.parametrize(
    ("channel", "missing"),
    [
        (Channel.IN_PERSON, {"document_type", "document_number"}),
        (Channel.EMAIL, {"signature_validation"}),
        (Channel.PORTAL, {"portal_session_id"}),
    ],
)
def test_verification_without_the_channels_evidence_is_refused(clerk, customer, channel, missing):
    subject_request = register(clerk, customer, channel=channel)
    with pytest.raises(ValidationError) as error:
        services.request_verify_identity(subject_request=subject_request, actor=clerk)
    assert missing <= set(error.value.message_dict)
    subject_request.refresh_from_db()
    assert subject_request.status == Status.RECEIVED
    assert subject_request.verified_at is None


def test_verification_matches_an_unmatched_requester_to_the_customer(clerk, customer):
    subject_request = register(clerk, None, requester_name="Jānis")
    with pytest.raises(ValidationError, match="Match the requester"):
        services.request_verify_identity(
            subject_request=subject_request, actor=clerk, portal_session_id="sess-1"
        )
    services.request_verify_identity(
        subject_request=subject_request, actor=clerk, customer=customer, portal_session_id="sess-1"
    )
    assert SubjectRequest.objects.get(pk=subject_request.pk).customer == customer


def test_verification_happens_once(clerk, customer):
    subject_request = verified(clerk, customer)
    with pytest.raises(ValidationError, match="cannot be verified now"):
        services.request_verify_identity(subject_request=subject_request, actor=clerk, portal_session_id="x")


# --- nothing is fulfilled before identity is verified (§41) ---------------------------------------


def test_no_evaluation_or_fulfilment_before_identity_is_verified(clerk, customer):
    subject_request = register(clerk, customer)
    with pytest.raises(ValidationError, match="identity is not verified"):
        services.request_start_evaluation(subject_request=subject_request, actor=clerk)
    with pytest.raises(ValidationError, match="identity is not verified"):
        services.request_fulfil(subject_request=subject_request, actor=clerk)
    with pytest.raises(ValidationError, match="identity is not verified"):
        services.request_build_package(subject_request=subject_request, actor=clerk)
    subject_request.refresh_from_db()
    assert subject_request.status == Status.RECEIVED
    assert not subject_request.packages.exists()


def test_verified_but_not_evaluated_cannot_be_fulfilled(clerk, customer):
    subject_request = verified(clerk, customer)
    with pytest.raises(ValidationError, match="cannot be fulfilled now"):
        services.request_fulfil(subject_request=subject_request, actor=clerk)


def test_the_database_refuses_a_fulfilled_request_without_verification(clerk, customer):
    subject_request = register(clerk, customer)
    with pytest.raises(IntegrityError), transaction.atomic():
        SubjectRequest.objects.filter(pk=subject_request.pk).update(
            status=Status.FULFILLED, outcome=SubjectRequest.Outcome.FULFILLED
        )


def test_access_request_fulfilled_with_a_package_then_answered(clerk, customer):
    subject_request = evaluating(clerk, customer, preferred_answer_method="portal")
    services.request_fulfil(subject_request=subject_request, actor=clerk)
    subject_request.refresh_from_db()
    assert subject_request.status == Status.FULFILLED
    assert subject_request.outcome == "fulfilled"
    assert subject_request.decided_by == clerk
    assert subject_request.packages.count() == 1
    services.request_answer(
        subject_request=subject_request, actor=clerk, method="portal", answered_on=deadlines.today()
    )
    subject_request.refresh_from_db()
    assert subject_request.status == Status.ANSWERED
    assert subject_request.answer_method == "portal"
    assert subject_request.answered_by == clerk
    reasons = list(
        subject_request.history.order_by("history_id").values_list("history_change_reason", flat=True)
    )
    assert [r.split(": ", 1)[-1] for r in reasons] == [
        "registered",
        "identity verified",
        "evaluation started",
        "fulfilled",
        "answered",
    ]


def test_partly_fulfilled_needs_notes(clerk, customer):
    subject_request = evaluating(clerk, customer)
    with pytest.raises(ValidationError) as error:
        services.request_fulfil(subject_request=subject_request, actor=clerk, partly=True)
    assert "notes" in error.value.message_dict
    services.request_fulfil(
        subject_request=subject_request,
        actor=clerk,
        partly=True,
        notes="Call recordings already deleted (§33).",
    )
    assert SubjectRequest.objects.get(pk=subject_request.pk).status == Status.PARTLY_FULFILLED


# --- extension (GDPR Art. 12(3)) ------------------------------------------------------------------


@pytest.fixture
def received_31_jan(clerk, customer):
    return register(clerk, customer, received_at=riga(2025, 1, 31, 10))


def extend(subject_request, actor, *, months=2, notified_on=datetime.date(2025, 2, 10), today=None, **kw):
    return services.request_extend(
        subject_request=subject_request,
        actor=actor,
        months=months,
        reason=kw.get("reason", "Numerous requests from the same customer."),
        notified_on=notified_on,
        today=today or datetime.date(2025, 2, 20),
    )


def test_extension_within_the_first_month(received_31_jan, clerk):
    extend(received_31_jan, clerk, months=2)
    received_31_jan.refresh_from_db()
    assert received_31_jan.due_at == datetime.date(2025, 2, 28)
    assert received_31_jan.extended_due_at == datetime.date(2025, 4, 30)
    assert received_31_jan.deadline == datetime.date(2025, 4, 30)
    assert received_31_jan.extension_notified_on == datetime.date(2025, 2, 10)
    assert received_31_jan.extended_by == clerk


@pytest.mark.parametrize(
    ("today", "allowed"),
    [
        (datetime.date(2025, 2, 27), True),  # the day before the first deadline
        (datetime.date(2025, 2, 28), True),  # the day of it
        (datetime.date(2025, 3, 1), False),  # the day after: too late
    ],
)
def test_extension_only_while_the_first_month_runs(received_31_jan, clerk, today, allowed):
    if allowed:
        extend(received_31_jan, clerk, today=today, notified_on=today)
        assert SubjectRequest.objects.get(pk=received_31_jan.pk).extension_months == 2
    else:
        with pytest.raises(ValidationError, match="first month ended on 2025-02-28"):
            extend(received_31_jan, clerk, today=today, notified_on=datetime.date(2025, 2, 28))
        assert SubjectRequest.objects.get(pk=received_31_jan.pk).extension_months == 0


@pytest.mark.parametrize(
    ("notified_on", "ok"),
    [
        (datetime.date(2025, 1, 30), False),  # before receipt
        (datetime.date(2025, 1, 31), True),
        (datetime.date(2025, 2, 28), True),  # the last day of the first month
        (datetime.date(2025, 3, 1), False),  # after the first month
    ],
)
def test_the_customer_must_be_told_within_the_first_month(received_31_jan, clerk, notified_on, ok):
    if ok:
        extend(received_31_jan, clerk, notified_on=notified_on, today=datetime.date(2025, 2, 28))
    else:
        with pytest.raises(ValidationError) as error:
            extend(received_31_jan, clerk, notified_on=notified_on, today=datetime.date(2025, 2, 28))
        assert "notified_on" in error.value.message_dict


def test_the_date_told_cannot_be_in_the_future(received_31_jan, clerk):
    with pytest.raises(ValidationError, match="already have been told"):
        extend(
            received_31_jan, clerk, notified_on=datetime.date(2025, 2, 21), today=datetime.date(2025, 2, 20)
        )


def test_at_most_two_further_months_in_all(received_31_jan, clerk):
    extend(received_31_jan, clerk, months=1)
    assert SubjectRequest.objects.get(pk=received_31_jan.pk).extended_due_at == datetime.date(2025, 3, 31)
    extend(received_31_jan, clerk, months=1)
    assert SubjectRequest.objects.get(pk=received_31_jan.pk).extended_due_at == datetime.date(2025, 4, 30)
    with pytest.raises(ValidationError, match="At most two further months"):
        extend(received_31_jan, clerk, months=1)
    with pytest.raises(ValidationError, match="one or two months"):
        extend(register(clerk, CustomerFactory(), received_at=riga(2025, 2, 1)), clerk, months=0)


def test_three_months_at_once_is_refused(received_31_jan, clerk):
    with pytest.raises(ValidationError, match="At most two further months"):
        extend(received_31_jan, clerk, months=3)


def test_extension_needs_a_reason(received_31_jan, clerk):
    with pytest.raises(ValidationError) as error:
        extend(received_31_jan, clerk, reason="  ")
    assert "reason" in error.value.message_dict


def test_no_extension_once_decided(clerk, customer):
    subject_request = evaluating(clerk, customer)
    services.request_refuse(subject_request=subject_request, actor=clerk, reason="Manifestly unfounded.")
    with pytest.raises(ValidationError, match="cannot be extended now"):
        services.request_extend(
            subject_request=subject_request,
            actor=clerk,
            months=1,
            reason="x",
            notified_on=deadlines.today(),
        )


# --- refusal (§39) and answer (§42) ---------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_refusal_needs_a_reason(clerk, customer, reason):
    subject_request = evaluating(clerk, customer)
    with pytest.raises(ValidationError, match=r"reason \(§39\)"):
        services.request_refuse(subject_request=subject_request, actor=clerk, reason=reason)
    assert SubjectRequest.objects.get(pk=subject_request.pk).status == Status.IN_EVALUATION


def test_refusal_with_a_reason_then_answered_by_registered_letter(clerk, customer):
    subject_request = evaluating(clerk, customer, type=Type.ERASURE)
    services.request_refuse(
        subject_request=subject_request, actor=clerk, reason="Invoices kept 5 years under the Accounting Law."
    )
    subject_request.refresh_from_db()
    assert subject_request.status == Status.REFUSED
    assert subject_request.refusal_reason.startswith("Invoices kept")
    services.request_answer(
        subject_request=subject_request,
        actor=clerk,
        method="registered_letter",
        answered_on=deadlines.today(),
    )
    assert SubjectRequest.objects.get(pk=subject_request.pk).status == Status.ANSWERED


def test_an_unverifiable_requester_is_refused(clerk):
    subject_request = register(clerk, None, requester_name="Nav zināms", channel=Channel.EMAIL)
    services.request_refuse(
        subject_request=subject_request, actor=clerk, reason="The e-signature was not a qualified one."
    )
    assert SubjectRequest.objects.get(pk=subject_request.pk).outcome == "refused"


def test_answer_refusals(clerk, customer):
    subject_request = evaluating(clerk, customer, preferred_answer_method="in_person")
    with pytest.raises(ValidationError, match="cannot be answered now"):
        services.request_answer(
            subject_request=subject_request, actor=clerk, method="in_person", answered_on=deadlines.today()
        )
    services.request_fulfil(subject_request=subject_request, actor=clerk)
    for method, answered_on, field in [
        ("pigeon", deadlines.today(), "method"),
        ("portal", deadlines.today(), "method"),  # the customer chose in person (§42)
        ("in_person", None, "answered_on"),
        ("in_person", deadlines.today() + datetime.timedelta(days=1), "answered_on"),
        ("in_person", deadlines.today() - datetime.timedelta(days=40), "answered_on"),
    ]:
        with pytest.raises(ValidationError) as error:
            services.request_answer(
                subject_request=subject_request, actor=clerk, method=method, answered_on=answered_on
            )
        assert field in error.value.message_dict, (method, answered_on)
    services.request_answer(
        subject_request=subject_request, actor=clerk, method="in_person", answered_on=deadlines.today()
    )
    with pytest.raises(ValidationError, match="cannot be answered now"):
        services.request_answer(
            subject_request=subject_request, actor=clerk, method="in_person", answered_on=deadlines.today()
        )


# --- restriction and objection (§38) --------------------------------------------------------------


def test_restriction_sets_the_customer_flag_and_a_later_request_lifts_it(clerk, customer):
    restrict = evaluating(clerk, customer, type=Type.RESTRICTION)
    services.request_fulfil(subject_request=restrict, actor=clerk)
    customer.refresh_from_db()
    restrict.refresh_from_db()
    assert customer.restricted_since is not None
    assert restrict.flag_applied_at == customer.restricted_since
    row = Customer.history.filter(id=customer.pk).order_by("-history_id").first()
    assert str(restrict) in row.history_change_reason
    assert row.history_user == clerk

    again = evaluating(clerk, customer, type=Type.RESTRICTION)
    with pytest.raises(ValidationError, match="already set"):
        services.request_fulfil(subject_request=again, actor=clerk)

    lift = evaluating(clerk, customer, type=Type.RESTRICTION, flag_action="lift")
    services.request_fulfil(subject_request=lift, actor=clerk)
    customer.refresh_from_db()
    lift.refresh_from_db()
    assert customer.restricted_since is None
    assert lift.lifts_request == restrict
    assert list(restrict.lifted_by.all()) == [lift]

    nothing_to_lift = evaluating(clerk, customer, type=Type.RESTRICTION, flag_action="lift")
    with pytest.raises(ValidationError, match="no such flag"):
        services.request_fulfil(subject_request=nothing_to_lift, actor=clerk)


def test_objection_sets_the_marketing_objection_and_counts_as_an_opt_out_of_every_channel(clerk, customer):
    """§38, §60: an objection to direct marketing is an opt-out of all commercial notices."""
    from privacy.catalogue import entry_for

    entry = entry_for(SubjectRequest)
    assert entry.opt_outs(customer) == []
    objection = evaluating(clerk, customer, type=Type.OBJECTION)
    services.request_fulfil(subject_request=objection, actor=clerk)
    customer.refresh_from_db()
    assert customer.marketing_objection_since is not None
    assert customer.restricted_since is None
    assert sorted(entry.opt_outs(customer)) == ["email", "phone", "sms"]


# --- rectification (§38) --------------------------------------------------------------------------


def test_rectification_is_applied_through_the_request_with_before_and_after(clerk, customer):
    old_phone = customer.phone
    subject_request = evaluating(clerk, customer, type=Type.RECTIFICATION)
    with pytest.raises(ValidationError, match="Apply the correction first"):
        services.request_fulfil(subject_request=subject_request, actor=clerk)
    changes = services.request_rectify(
        subject_request=subject_request,
        actor=clerk,
        changes={"phone": "+37126000000", "address": "Elizabetes iela 10, Rīga", "email": customer.email},
    )
    customer.refresh_from_db()
    assert customer.phone == "+37126000000"
    assert {c.field_name for c in changes} == {"phone", "address"}  # the unchanged email is not a change
    phone = next(c for c in changes if c.field_name == "phone")
    assert (phone.old_value, phone.new_value) == (old_phone, "+37126000000")
    row = Customer.history.get(history_id=phone.customer_history_id)
    assert row.phone == "+37126000000"
    assert row.history_change_reason == f"{subject_request}: rectification"
    assert row.history_user == clerk
    before = row.prev_record
    assert before.phone == old_phone
    services.request_fulfil(subject_request=subject_request, actor=clerk)
    assert SubjectRequest.objects.get(pk=subject_request.pk).status == Status.FULFILLED


def test_rectification_refusals_write_nothing(clerk, customer):
    subject_request = evaluating(clerk, customer, type=Type.RECTIFICATION)
    rows_before = Customer.history.filter(id=customer.pk).count()
    for changes, match in [
        ({}, "at least one field"),
        ({"customer_number": "X1"}, "cannot be corrected"),
        ({"email": "not-an-email"}, "email"),
        ({"phone": customer.phone}, "nothing to correct"),
        ({"birth_date": "31.02.1990"}, "birth_date"),
    ]:
        with pytest.raises(ValidationError) as error:
            services.request_rectify(subject_request=subject_request, actor=clerk, changes=changes)
        assert match in str(error.value), changes
    assert Customer.history.filter(id=customer.pk).count() == rows_before
    assert not subject_request.rectifications.exists()
    access = evaluating(clerk, customer, type=Type.ACCESS)
    with pytest.raises(ValidationError, match="Only a rectification request"):
        services.request_rectify(subject_request=access, actor=clerk, changes={"phone": "+37120000009"})
