"""Builders for retention tests: records counted from a given Riga day, holds, requests, consents."""

import datetime

import factory
from django.contrib.contenttypes.models import ContentType
from hypothesis import strategies as st

from consents.models import Action, Channel
from consents.services import consent_give
from privacy.models import Contract, Customer, Invoice, LegalHold, Recording
from requests_app.models import ExportPackage, SubjectRequest
from retention.cutoffs import RIGA
from retention.models import RetentionRule
from retention.services import rule_sweep
from tests.factories import ContractFactory, CustomerFactory, InvoiceFactory, RecordingFactory, UserFactory
from tests.requests_app.factories import ComplaintFactory, ExportPackageFactory, SubjectRequestFactory

#: The day the sweeps of these tests run on, and a day past every retention window as of then.
AS_OF = datetime.date(2025, 7, 16)
LONG_PAST = datetime.date(2019, 1, 10)
LONG_AGO = datetime.datetime(2005, 1, 1, 12, 0, tzinfo=RIGA)
#: Riga's daylight-saving changes (last Sunday of March 03:00, of October 04:00 local), as UTC instants.
DST_CHANGES = [
    datetime.datetime(2024, 3, 31, 1, 0, tzinfo=datetime.UTC),
    datetime.datetime(2024, 10, 27, 1, 0, tzinfo=datetime.UTC),
    datetime.datetime(2025, 3, 30, 1, 0, tzinfo=datetime.UTC),
    datetime.datetime(2025, 10, 26, 1, 0, tzinfo=datetime.UTC),
]


def near_dst(hours: int):
    """A hypothesis strategy: instants up to `hours` either side of a daylight-saving change."""
    return st.builds(
        lambda base, minutes: base + datetime.timedelta(minutes=minutes),
        st.sampled_from(DST_CHANGES),
        st.integers(min_value=-hours * 60, max_value=hours * 60),
    )


def riga(day: datetime.date, hour: int = 12, minute: int = 0, second: int = 0) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=RIGA)


class LegalHoldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalHold

    customer = factory.SubFactory(CustomerFactory)
    reason = "Tiesvedība lietā C-123/2025"
    set_by = factory.SubFactory(UserFactory)


def hold_record(obj, **kwargs) -> LegalHold:
    return LegalHoldFactory(
        customer=None,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        **kwargs,
    )


def open_request(customer):
    return SubjectRequestFactory(customer=customer)


def open_complaint(customer):
    return ComplaintFactory(customer=customer)


def give_consent(customer, topic: str = "marketing_email"):
    return consent_give(
        actor=None,
        customer=customer,
        topic=topic,
        channel=Channel.PORTAL,
        occurred_at=datetime.datetime(2020, 1, 1, tzinfo=RIGA),
    )


def old_customer(**kwargs) -> Customer:
    """A customer registered long ago (so registration is not their latest basis)."""
    return CustomerFactory(registered_at=LONG_AGO, **kwargs)


def recording_on(day: datetime.date, customer=None, **kwargs) -> Recording:
    return RecordingFactory(customer=customer or old_customer(), recorded_at=riga(day), **kwargs)


def invoice_on(day: datetime.date, customer=None, **kwargs) -> Invoice:
    return InvoiceFactory(customer=customer or old_customer(), issue_date=day, paid_date=day, **kwargs)


def prepaid_customer(last_use: datetime.date, *, status=Contract.Status.ENDED, **kwargs) -> Customer:
    """A customer whose only service is prepaid and was last used on `last_use` (§34)."""
    customer = old_customer(**kwargs)
    ContractFactory(
        customer=customer,
        type=Contract.Type.PREPAID,
        service_name="Prepaid TV",
        start_date=datetime.date(2010, 1, 1),
        end_date=last_use if status == Contract.Status.ENDED else None,
        last_service_use=last_use,
        status=status,
    )
    return customer


def prepaid_service(
    customer, *, last_use: datetime.date | None, end: datetime.date | None = None, status=None, **kwargs
) -> Contract:
    """A prepaid service of `customer` whose last use and end date are set apart (§34); active unless
    it has an end date."""
    return ContractFactory(
        customer=customer,
        type=Contract.Type.PREPAID,
        service_name="Prepaid internet",
        start_date=datetime.date(2010, 1, 1),
        end_date=end,
        last_service_use=last_use,
        status=status or (Contract.Status.ENDED if end else Contract.Status.ACTIVE),
        **kwargs,
    )


def ended_postpaid(customer, end: datetime.date) -> Contract:
    """A postpaid contract of `customer` that ended on `end` (settle its invoices yourself)."""
    return ContractFactory(
        customer=customer,
        type=Contract.Type.POSTPAID,
        start_date=datetime.date(2008, 1, 1),
        end_date=end,
        last_service_use=end,
        status=Contract.Status.ENDED,
    )


def evidence_recording(*, recorded: datetime.date, contract_end: datetime.date | None, customer=None):
    """A recording kept as evidence of an orally concluded contract (§12.9), and that contract: in force
    when `contract_end` is None, else ended on that day."""
    customer = customer or old_customer()
    contract = ContractFactory(
        customer=customer,
        start_date=min(recorded, contract_end or recorded),
        end_date=contract_end,
        status=Contract.Status.ENDED if contract_end else Contract.Status.ACTIVE,
    )
    return RecordingFactory(
        customer=customer,
        recorded_at=riga(recorded),
        purpose=Recording.Purpose.CONTRACT_EVIDENCE,
        contract=contract,
    )


def video_on(day: datetime.date, customer=None) -> Recording:
    """CCTV of the operator's premises recorded on `day` (Annex 1 cat. 25)."""
    visitor = customer or old_customer(kind=Customer.Kind.VISITOR)
    return RecordingFactory(
        customer=visitor,
        recorded_at=riga(day),
        kind=Recording.Kind.VIDEO,
        channel=Recording.Channel.IN_PERSON,
    )


def subject_registered(day: datetime.date, kind: str, **kwargs) -> Customer:
    """A data subject of `kind` (§5) registered on `day` and nothing else."""
    return CustomerFactory(kind=kind, registered_at=riga(day), **kwargs)


def withdraw_consent(customer, at: datetime.datetime, topic: str = "marketing_email"):
    from consents.services import consent_withdraw

    return consent_withdraw(
        actor=None, customer=customer, topic=topic, channel=Channel.PORTAL, occurred_at=at
    )


def set_period(code: str, months: int) -> RetentionRule:
    """The DPO sets the period the policy does not give, and switches the rule on."""
    rule = RetentionRule.objects.get(code=code)
    rule.window_months = months
    rule.enabled = True
    rule.full_clean()
    rule.save()
    return rule


def former_customer(last_invoice: datetime.date, **kwargs) -> Customer:
    """A customer whose contract ended long ago and whose last invoice is of `last_invoice` (§31)."""
    customer = old_customer(**kwargs)
    ContractFactory(
        customer=customer,
        start_date=datetime.date(2008, 1, 1),
        end_date=datetime.date(2010, 1, 1),
        last_service_use=datetime.date(2010, 1, 1),
        status=Contract.Status.ENDED,
    )
    invoice_on(last_invoice, customer=customer)
    return customer


def active(customer: Customer) -> bool:
    """Still there with its personal data (not deleted, not a tombstone)."""
    return Customer.objects.filter(pk=customer.pk, status=Customer.Status.ACTIVE).exists()


def age_history(obj, day: datetime.date, hour: int = 12) -> None:
    """Move every history row of `obj` to `day` (Riga)."""
    obj.history.model.objects.filter(id=obj.pk).update(history_date=riga(day, hour))


def package_answered_on(day: datetime.date, customer=None) -> ExportPackage:
    """A data package (with its file) of an access request answered on `day` (§42)."""
    received = riga(day) - datetime.timedelta(days=20)
    request = SubjectRequestFactory(
        customer=customer or old_customer(),
        received_at=received,
        verified_at=received,
        status=SubjectRequest.Status.ANSWERED,
        outcome=SubjectRequest.Outcome.FULFILLED,
        answer_method=SubjectRequest.AnswerMethod.PORTAL,
        answered_on=day,
    )
    return ExportPackageFactory(request=request)


def sweep(code: str, as_of: datetime.date, **kwargs):
    return rule_sweep(rule=RetentionRule.objects.get(code=code), as_of=as_of, **kwargs)


__all__ = [
    "Action",
    "ended_postpaid",
    "evidence_recording",
    "prepaid_service",
    "set_period",
    "subject_registered",
    "video_on",
    "withdraw_consent",
    "LegalHoldFactory",
    "active",
    "age_history",
    "former_customer",
    "give_consent",
    "hold_record",
    "invoice_on",
    "old_customer",
    "open_complaint",
    "open_request",
    "package_answered_on",
    "prepaid_customer",
    "recording_on",
    "riga",
    "sweep",
]
