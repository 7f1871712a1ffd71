"""Reads that matter for consents: §60 breaches, who may receive commercial notices (§56–59, §12.10)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone

from privacy.models import Contract, Customer
from privacy.periods import ONE_DAY, cutoff_date
from privacy.selectors import ExportPurpose, exportable_customers, objecting_customer_ids

from .importer.reading import RIGA
from .models import OPT_OUT_DEADLINE, Action, Consent, ConsentEvent, ConsentTopic, ContactChannel

#: §57, §12.10: the soft opt-in covers customers who bought or used a similar service this long ago.
SOFT_OPT_IN_YEARS = 2


# --- §60 promptness ------------------------------------------------------------------------------


#: §12.16 "reklamēt savas preces un pakalpojumus": a standing objection to it removes the customer from
#: the commercial-notice audience, as an objection to direct marketing does (§38).
ADVERTISING_INTEREST = "12.16"


def late_opt_out_q(prefix: str = "") -> models.Q:
    """Q of ledger events that breach §60: a commercial-notice withdrawal recorded more than 2 days
    after the customer made it (exactly 2 days is still in time)."""
    return models.Q(
        **{
            f"{prefix}action": Action.WITHDRAWN,
            f"{prefix}topic__commercial_notice": True,
            f"{prefix}recorded_at__gt": models.F(f"{prefix}occurred_at") + OPT_OUT_DEADLINE,
        }
    )


def late_opt_outs() -> models.QuerySet[ConsentEvent]:
    """§60: withdrawals of commercial notices processed later than 2 days after the request."""
    return ConsentEvent.objects.filter(late_opt_out_q())


# --- Who may receive commercial notices ----------------------------------------------------------


def commercial_topic(channel: str) -> ConsentTopic:
    """The commercial-notice topic covering a contact channel ("email", "sms", "phone")."""
    if channel not in ContactChannel.values:
        raise ValueError(f"Unknown channel {channel!r}; expected one of {', '.join(ContactChannel.values)}")
    return ConsentTopic.objects.get(commercial_notice=True, channel=channel)


def soft_opt_in_since(as_of: datetime.date) -> datetime.date:
    """The earliest day of last service use that still counts for the §57/§12.10 soft opt-in on `as_of`.

    "In the previous two years" is counted like a legal period (EU Regulation 1182/71, art. 3): a period
    of years that runs from a day of use ends at the end of the same calendar day two years later, or,
    when that day does not exist (29 February), at the end of the month's last day. So a use on
    2024-03-15 still counts on 2026-03-15 and no longer on 2026-03-16; a use on 2024-02-29 counts up to
    2026-02-28. Hence the first day that counts is `as_of` two years back, and when that is 29 February
    of a common year (as_of is a 29 February), 1 March: a use on 28 February ended on the 28th.
    """
    return cutoff_date(as_of, SOFT_OPT_IN_YEARS * 12) + ONE_DAY


def _contact_field(channel: str) -> str:
    return "email" if channel == ContactChannel.EMAIL else "phone"


def _decision_on(topic: ConsentTopic, as_of: datetime.date, what: str = "status") -> models.Subquery:
    """The customer's consent decision on the topic at the end of `as_of` (Europe/Riga): its status, or
    with `what="moment"` when the customer made it.

    Up to today that is the current state; for a past day it is the last decision in the ledger made
    before that day ended (at the same moment a withdrawal wins, as in the state).
    """
    if as_of >= timezone.localdate():
        column = "status" if what == "status" else "occurred_at"
        decisions = Consent.objects.filter(customer=models.OuterRef("pk"), topic=topic).values(column)
    else:
        column = "action" if what == "status" else "occurred_at"
        end = datetime.datetime.combine(as_of + datetime.timedelta(days=1), datetime.time(0), tzinfo=RIGA)
        decisions = (
            ConsentEvent.objects.filter(customer=models.OuterRef("pk"), topic=topic, occurred_at__lt=end)
            .order_by("-occurred_at", "-action")  # "withdrawn" sorts after "given": first when descending
            .values(column)
        )
    return models.Subquery(decisions[:1])


def marketing_audience(*, channel: str, as_of: datetime.date | None = None) -> models.QuerySet[Customer]:
    """Customers who may receive the operator's commercial notices on `channel` on `as_of` (today).

    - explicit consent to the channel's topic, not withdrawn (§56, §58); it survives the end of the
      contract (§59);
    - for email only, the soft opt-in (§57, §12.10): a registered prepaid customer who bought or used a
      service in the previous two years (see `soft_opt_in_since`) and never opted out of the topic;
    - never a restricted customer, an erased one (tombstone) or one who objected to direct marketing
      (§38), nor anyone without a contact on the channel.

    Annotated with `basis`: "consent" or "soft_opt_in", and `consent_at`, when the deciding consent
    was given. The suppression list (opt-outs of erased subjects) is applied by
    `marketing_audience_rows`, which hashes the contacts.
    """
    as_of = as_of or timezone.localdate()
    topic = commercial_topic(channel)
    contact = _contact_field(channel)
    end = datetime.datetime.combine(as_of + datetime.timedelta(days=1), datetime.time(0), tzinfo=RIGA)
    customers = (
        exportable_customers(purpose=ExportPurpose.MARKETING)
        .exclude(marketing_objection_since__lt=end)
        .exclude(pk__in=objecting_customer_ids(clause=ADVERTISING_INTEREST))
        .exclude(**{contact: ""})
        .annotate(consent_status=_decision_on(topic, as_of), consent_at=_decision_on(topic, as_of, "moment"))
    )
    explicit = models.Q(consent_status=Action.GIVEN)
    if channel == ContactChannel.EMAIL:
        recent_prepaid = (
            Contract.objects.filter(type=Contract.Type.PREPAID, start_date__lte=as_of)
            .annotate(last_use=Coalesce("last_service_use", "start_date"))
            .filter(last_use__gte=soft_opt_in_since(as_of))
            .values("customer_id")
        )
        soft = models.Q(consent_status__isnull=True, pk__in=recent_prepaid)
        customers = customers.filter(explicit | soft)
    else:
        customers = customers.filter(explicit)
    return customers.annotate(
        basis=models.Case(
            models.When(explicit, then=models.Value("consent")),
            default=models.Value("soft_opt_in"),
            output_field=models.CharField(),
        )
    ).order_by("pk")


AUDIENCE_COLUMNS = ("customer_number", "first_name", "last_name", "preferred_language", "contact", "basis")


def marketing_audience_rows(*, channel: str, as_of: datetime.date | None = None) -> Iterator[tuple]:
    """The audience as export rows (see AUDIENCE_COLUMNS), without contacts on the suppression list.

    The suppression list keeps, as keyed hashes, the opt-outs of customers who were erased (§57, §60):
    a contact that came back under another customer number is still left out, on the soft opt-in and
    on any consent older than the entry. A consent the person gave after their contact was listed is a
    later decision of theirs and wins (§48–49): they receive notices again.
    """
    from privacy.suppression import contact_hash, suppressed_since

    suppressed = suppressed_since(channel=channel)
    contact = _contact_field(channel)
    fields = (
        "customer_number",
        "first_name",
        "last_name",
        "preferred_language",
        contact,
        "basis",
        "consent_at",
    )
    for *row, consent_at in (
        marketing_audience(channel=channel, as_of=as_of).values_list(*fields).iterator(chunk_size=2000)
    ):
        if suppressed:
            try:
                listed_at = suppressed.get(contact_hash(row[4]))
            except ValueError:
                continue  # a contact with nothing to reach
            if listed_at is not None and not (row[5] == "consent" and consent_at > listed_at):
                continue
        yield tuple(row)


# --- For the personal-data catalogue ------------------------------------------------------------


def withdrawn_channels(customer: Customer) -> set[str]:
    """The contact channels whose commercial notices the customer opted out of (state: withdrawn), and
    every channel when they objected to direct marketing or opted out of partners' offers (§56, §60).
    Erasure keeps these in the suppression list."""
    channels = set(
        Consent.objects.filter(
            customer=customer, status=Action.WITHDRAWN, topic__commercial_notice=True
        ).values_list("topic__channel", flat=True)
    )
    # A commercial topic without a channel (partners' offers, §56, §58) reaches the customer on any.
    if "" in channels or customer.marketing_objection_since is not None:
        channels |= set(ContactChannel.values)
    return channels - {""}
