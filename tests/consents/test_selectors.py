"""§60 promptness of opt-outs, and who may receive commercial notices (§56–59, §57/§12.10 soft opt-in)."""

import datetime

import pytest
from django.utils import timezone

from consents.importer.reading import RIGA
from consents.models import ConsentEvent
from consents.selectors import (
    AUDIENCE_COLUMNS,
    late_opt_outs,
    marketing_audience,
    marketing_audience_rows,
    soft_opt_in_since,
    withdrawn_channels,
)
from consents.services import consent_give, consent_withdraw
from privacy.models import Contract, Customer, SuppressionEntry
from privacy.suppression import suppression_add
from tests.factories import ContractFactory, CustomerFactory

from .factories import ConsentEventFactory, topic

pytestmark = pytest.mark.django_db

TWO_DAYS = datetime.timedelta(days=2)
SECOND = datetime.timedelta(seconds=1)


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=RIGA)


# --- §60 -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("delay", "late"),
    [(TWO_DAYS - SECOND, False), (TWO_DAYS, False), (TWO_DAYS + SECOND, True)],
    ids=["2 days minus a second", "exactly 2 days", "2 days plus a second"],
)
def test_a_commercial_notice_opt_out_recorded_more_than_two_days_late_is_a_breach(delay, late):
    """§60: sending stops when the request is processed, at the latest within 2 days."""
    occurred = at(2024, 5, 1, 12, 0)
    event = ConsentEventFactory(
        topic=topic("marketing_sms"), action="withdrawn", occurred_at=occurred, recorded_at=occurred + delay
    )
    assert (event in late_opt_outs()) is late
    assert event.late is late


def test_only_withdrawals_of_commercial_notice_topics_count_as_breaches():
    occurred = at(2024, 5, 1)
    ConsentEventFactory(
        topic=topic("usage_analysis"),
        action="withdrawn",
        occurred_at=occurred,
        recorded_at=occurred + 10 * TWO_DAYS,
    )
    ConsentEventFactory(
        topic=topic("marketing_email"),
        action="given",
        occurred_at=occurred,
        recorded_at=occurred + 10 * TWO_DAYS,
    )
    assert not late_opt_outs().exists()


# --- The audience --------------------------------------------------------------------------------


def emails(channel="email", **kwargs) -> set[str]:
    return set(marketing_audience(channel=channel, **kwargs).values_list("email", flat=True))


def test_explicit_consent_not_withdrawn_is_in_the_audience():
    given = CustomerFactory(email="given@example.lv")
    withdrawn = CustomerFactory(email="withdrawn@example.lv")
    consent_give(
        actor=None, customer=given, topic="marketing_email", channel="portal", occurred_at=at(2024, 1, 1)
    )
    consent_give(
        actor=None, customer=withdrawn, topic="marketing_email", channel="portal", occurred_at=at(2024, 1, 1)
    )
    consent_withdraw(
        actor=None, customer=withdrawn, topic="marketing_email", channel="email", occurred_at=at(2024, 2, 1)
    )
    CustomerFactory(email="silent@example.lv")  # never decided, no prepaid service

    assert emails() == {"given@example.lv"}
    assert marketing_audience(channel="email").get().basis == "consent"


def test_consent_survives_the_end_of_the_contract():
    """§59."""
    customer = CustomerFactory(email="former@example.lv", lifecycle=Customer.Lifecycle.FORMER)
    ContractFactory(customer=customer, status=Contract.Status.ENDED, end_date=datetime.date(2022, 12, 31))
    consent_give(
        actor=None, customer=customer, topic="marketing_email", channel="portal", occurred_at=at(2020, 1, 1)
    )
    assert emails() == {"former@example.lv"}


def test_channels_are_separate_and_need_a_contact():
    sms = CustomerFactory(phone="+37120000001")
    consent_give(actor=None, customer=sms, topic="marketing_sms", channel="portal")
    no_phone = CustomerFactory(phone="")
    consent_give(actor=None, customer=no_phone, topic="marketing_sms", channel="portal")

    assert set(marketing_audience(channel="sms")) == {sms}
    assert not marketing_audience(channel="phone").exists()
    assert not marketing_audience(channel="email").exists()


def test_restricted_objecting_and_erased_customers_are_left_out():
    """§38: a restriction or an objection to direct marketing takes the customer out of every list."""
    now = timezone.now()
    restricted = CustomerFactory(email="r@example.lv")
    objecting = CustomerFactory(email="o@example.lv")
    erased = CustomerFactory(email="e@example.lv")
    CustomerFactory(email="f@example.lv")
    for customer in Customer.objects.all():
        consent_give(actor=None, customer=customer, topic="marketing_email", channel="portal")
    Customer.objects.filter(pk=restricted.pk).update(restricted_since=now)
    Customer.objects.filter(pk=objecting.pk).update(marketing_objection_since=now)
    Customer.objects.filter(pk=erased.pk).update(status=Customer.Status.TOMBSTONE)

    assert emails() == {"f@example.lv"}


def test_contacts_on_the_suppression_list_are_left_out_of_the_export():
    """An erased subject's opt-out outlives them (§57, §60): their address under a new number is skipped."""
    back = CustomerFactory(email="Back@Example.lv")
    other = CustomerFactory(email="other@example.lv")
    for customer in (back, other):
        consent_give(actor=None, customer=customer, topic="marketing_email", channel="portal")
    suppression_add(channels=["email"], email="back@example.lv")

    rows = list(marketing_audience_rows(channel="email"))
    assert [row[4] for row in rows] == ["other@example.lv"]
    assert rows[0][0] == other.customer_number and rows[0][5] == "consent"


def test_a_person_who_came_back_and_consented_after_the_listing_receives_notices_again():
    """§48–49: a consent given after the contact went on the suppression list is a later decision and
    wins; a consent dated before the listing (an old form imported late) and the soft opt-in do not."""
    listed = timezone.now() - datetime.timedelta(days=30)
    suppression_add(channels=["email"], email="back@example.lv")
    SuppressionEntry.objects.update(created_at=listed)

    again = CustomerFactory(email="Back@Example.lv")
    consent_give(actor=None, customer=again, topic="marketing_email", channel="portal")
    old_form = CustomerFactory(email="back@example.lv")
    before_listing = listed - datetime.timedelta(days=1)
    consent_give(
        actor=None,
        customer=old_form,
        topic="marketing_email",
        channel="application_form",
        occurred_at=before_listing,
    )
    soft = CustomerFactory(email="back@example.lv")
    ContractFactory(customer=soft, type=Contract.Type.PREPAID, start_date=timezone.localdate())

    audience = set(marketing_audience(channel="email").values_list("pk", flat=True))
    assert {again.pk, old_form.pk, soft.pk} <= audience  # all three would be reached but for the list
    rows = list(marketing_audience_rows(channel="email"))
    assert [(row[0], row[5]) for row in rows] == [(again.customer_number, "consent")]
    assert all(len(row) == len(AUDIENCE_COLUMNS) for row in rows)


def test_the_audience_on_a_past_day_follows_the_ledger():
    customer = CustomerFactory(email="then@example.lv")
    consent_give(
        actor=None, customer=customer, topic="marketing_email", channel="portal", occurred_at=at(2024, 1, 1)
    )
    consent_withdraw(
        actor=None,
        customer=customer,
        topic="marketing_email",
        channel="email",
        occurred_at=at(2024, 6, 1, 10),
    )

    assert emails(as_of=datetime.date(2024, 5, 31)) == {"then@example.lv"}
    assert emails(as_of=datetime.date(2024, 6, 1)) == set()  # withdrawn that day
    assert emails() == set()


# --- The soft opt-in (§57, §12.10) ---------------------------------------------------------------


def prepaid(
    email: str, *, last_use: datetime.date | None, start: datetime.date = datetime.date(2015, 1, 1)
) -> Customer:
    customer = CustomerFactory(email=email)
    ContractFactory(
        customer=customer, type=Contract.Type.PREPAID, start_date=start, last_service_use=last_use
    )
    return customer


@pytest.mark.parametrize(
    ("last_use", "included"),
    [
        (datetime.date(2024, 3, 16), True),  # the day after: inside
        (datetime.date(2024, 3, 15), True),  # exactly two years: still inside (see soft_opt_in_since)
        (datetime.date(2024, 3, 14), False),  # two years and a day: outside
    ],
    ids=["two years minus a day", "exactly two years", "two years plus a day"],
)
def test_soft_opt_in_covers_prepaid_customers_who_used_a_service_in_the_previous_two_years(
    last_use, included
):
    """§57, §12.10: the boundary at exactly two years is inside: a period of two years from a use on
    15 March 2024 ends at the end of 15 March 2026 (EU Regulation 1182/71, art. 3)."""
    prepaid("p@example.lv", last_use=last_use)
    audience = marketing_audience(channel="email", as_of=datetime.date(2026, 3, 15))
    assert (audience.filter(email="p@example.lv").exists()) is included
    if included:
        assert audience.get().basis == "soft_opt_in"


@pytest.mark.parametrize(
    ("last_use", "as_of", "included"),
    [
        (datetime.date(2024, 2, 29), datetime.date(2026, 2, 28), True),
        (datetime.date(2024, 2, 29), datetime.date(2026, 3, 1), False),
        (datetime.date(2022, 2, 28), datetime.date(2024, 2, 29), False),
        (datetime.date(2022, 3, 1), datetime.date(2024, 2, 29), True),
    ],
)
def test_soft_opt_in_on_29_february(last_use, as_of, included):
    """A period from 29 February ends on the last day of February two years on (a common year)."""
    prepaid("p@example.lv", last_use=last_use)
    assert emails(as_of=as_of) == ({"p@example.lv"} if included else set())


def test_soft_opt_in_cut_off_days():
    assert soft_opt_in_since(datetime.date(2026, 3, 15)) == datetime.date(2024, 3, 15)
    assert soft_opt_in_since(datetime.date(2024, 2, 29)) == datetime.date(2022, 3, 1)
    assert soft_opt_in_since(datetime.date(2026, 2, 28)) == datetime.date(2024, 2, 28)


def test_soft_opt_in_uses_the_start_date_when_the_service_was_never_used():
    prepaid("new@example.lv", last_use=None, start=datetime.date(2025, 6, 1))
    prepaid("old@example.lv", last_use=None, start=datetime.date(2020, 6, 1))
    assert emails(as_of=datetime.date(2026, 1, 1)) == {"new@example.lv"}


def test_soft_opt_in_is_for_email_only_for_prepaid_only_and_ends_with_an_opt_out():
    today = timezone.localdate()
    recent = today - datetime.timedelta(days=30)
    opted_out = prepaid("out@example.lv", last_use=recent)
    consent_withdraw(actor=None, customer=opted_out, topic="marketing_email", channel="email")
    prepaid("in@example.lv", last_use=recent)
    postpaid = CustomerFactory(email="post@example.lv")
    ContractFactory(customer=postpaid, last_service_use=recent)

    assert emails() == {"in@example.lv"}
    assert not marketing_audience(channel="sms").exists()


def test_withdrawn_channels_for_the_catalogue():
    customer = CustomerFactory()
    consent_give(
        actor=None, customer=customer, topic="marketing_email", channel="portal", occurred_at=at(2024, 1, 1)
    )
    consent_withdraw(actor=None, customer=customer, topic="marketing_sms", channel="portal")
    consent_withdraw(actor=None, customer=customer, topic="surveys", channel="portal")
    assert withdrawn_channels(customer) == {"sms"}
    customer.marketing_objection_since = timezone.now()
    assert withdrawn_channels(customer) == {"email", "sms", "phone"}
    assert ConsentEvent.objects.count() == 3
