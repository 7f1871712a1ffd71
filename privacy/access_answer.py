"""What the access answer tells the person, generated from the live register (GDPR Art. 15(1)–(2), §38–44).

For each Annex 1 category actually held on this person (found through the personal-data catalogue):
the purposes (§9) and legal bases (§11), the legitimate interests (§12), the recipients (§19–29) with
the disclosures actually made to them (§26), transfers to third countries and their safeguards (§28–29),
how long it is kept (the register's words, and the date this person's data is next due to go where a
retention rule computes one, §31–34), where it came from (§24) and automated decisions (§16–18). Then
the rights (§38), how to use them (§40) and the right to complain to Datu valsts inspekcija (§44).

Every text comes from the register (`DataCategory` and its links, which the DPO keeps in the admin) or
from the translation catalogues, in the active language: the caller activates the customer's language.

§39: what must not be revealed is withheld (the catalogue's `withhold` and `withheld_fields`: disclosures
to persons entitled by law on their request, §26.3; legal holds and their reasons; internal notes), and
`withheld_items` lists it for the DPO with the reason.

The retention rules live in the retention app, which privacy may not import: it registers a provider
(`register_retention_dates`) that gives, for one customer, the date each rule next deletes their data.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.db import models
from django.utils.translation import gettext_lazy as _

from . import catalogue
from .models import Customer, DataCategory, Disclosure
from .selectors import ExportPurpose, export_rows

#: The supervisory authority the customer may complain to (§44), as the authority itself publishes it.
SUPERVISORY_AUTHORITY = {
    "name": "Datu valsts inspekcija",
    "address": "Elijas iela 17, Rīga, LV-1050",
    "email": "pasts@dvi.gov.lv",
    "phone": "67223131",
    "website": "www.dvi.gov.lv",
}

RetentionDates = Callable[[Customer], dict[str, datetime.date]]
_retention_providers: list[RetentionDates] = []


def register_retention_dates(provider: RetentionDates) -> None:
    """Called by the retention app at start-up: `provider(customer)` -> {rule code: next deletion date}."""
    if provider not in _retention_providers:
        _retention_providers.append(provider)


def retention_dates(customer: Customer) -> dict[str, datetime.date]:
    dates: dict[str, datetime.date] = {}
    for provider in _retention_providers:
        dates.update(provider(customer))
    return dates


# --- what the subject sees, and what is withheld (§39) --------------------------------------------------


def subject_rows(entry: catalogue.Entry, customer: Customer) -> models.QuerySet:
    """The subject's rows of a catalogued model that their answer shows: through the export gate (the
    subject's own access, §38), without the rows withheld under §39."""
    queryset = export_rows(
        entry.model._default_manager.filter(entry.customer_filter([customer.pk])),
        purpose=ExportPurpose.SUBJECT_ACCESS,
    )
    if entry.withhold is not None:
        queryset = queryset.exclude(entry.withhold())
    return queryset


def withheld_items(customer: Customer) -> list[dict]:
    """What the answer leaves out and why (§39), for the DPO: counts, field names and reasons only."""
    items = []
    for entry in catalogue.entries():
        if entry.withhold is None and not entry.withheld_fields:
            continue
        everything = export_rows(
            entry.model._default_manager.filter(entry.customer_filter([customer.pk])),
            purpose=ExportPurpose.SUBJECT_ACCESS,
        )
        rows = everything.filter(entry.withhold()).count() if entry.withhold is not None else 0
        fields = []
        for name in entry.withheld_fields:
            empty = [] if isinstance(entry.model._meta.get_field(name), models.JSONField) else ""
            blank = models.Q(**{f"{name}__isnull": True}) | models.Q(**{name: empty})
            if everything.exclude(blank).exists():
                fields.append(str(entry.model._meta.get_field(name).verbose_name))
        if rows or fields:
            items.append(
                {
                    "model": entry.label,
                    "name": str(entry.model._meta.verbose_name_plural),
                    "rows": rows,
                    "fields": fields,
                    "reason": str(entry.withhold_reason),
                }
            )
    return items


def _held(value) -> bool:
    if value is None or value is False:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    return True


def categories_held(customer: Customer) -> set[int]:
    """The Annex 1 categories of which the subject's answer shows data (§39 withholdings left out)."""
    held: set[int] = set()
    for entry in catalogue.entries():
        rows = subject_rows(entry, customer)
        fields = [name for name in entry.fields if name not in entry.withheld_fields]
        values = list(rows.values(*fields)) if fields else [{} for _row in rows.values("pk")]
        if not values:
            continue
        held.update(entry.record_categories)
        for name in fields:
            if any(_held(row[name]) for row in values):
                held.add(entry.fields[name])
    return held


# --- the answer ---------------------------------------------------------------------------------------


def _recipient(recipient) -> dict:
    return {
        "name": recipient.name,
        "role": recipient.get_role_display(),
        "third_country": recipient.third_country,
        "country": recipient.country,
        "safeguard": recipient.safeguard if recipient.third_country else "",
        "disclosures": [],
    }


def _disclosures(customer: Customer) -> list[Disclosure]:
    entry = catalogue.entry_for(Disclosure)
    return list(
        subject_rows(entry, customer)
        .select_related("recipient")
        .prefetch_related("data_categories")
        .order_by("disclosed_on", "pk")
    )


def access_information(customer: Customer) -> dict:
    """The information GDPR Art. 15(1)–(2) requires, for this person, in the active language."""
    from .periods import today

    numbers = categories_held(customer)
    categories = (
        DataCategory.objects.filter(number__in=numbers)
        .prefetch_related("purposes", "legal_bases", "legitimate_interests", "sources", "recipients")
        .order_by("number")
    )
    disclosures = _disclosures(customer)
    dates = retention_dates(customer)
    on = today()
    out = []
    for category in categories:
        recipients: dict[int, dict] = {r.pk: _recipient(r) for r in category.recipients.all()}
        for disclosure in disclosures:
            if category.pk not in {c.pk for c in disclosure.data_categories.all()}:
                continue
            item = recipients.setdefault(disclosure.recipient_id, _recipient(disclosure.recipient))
            item["disclosures"].append(
                {"date": disclosure.disclosed_on, "ground": disclosure.get_ground_display()}
            )
        next_date = dates.get(category.retention_rule) if category.retention_rule else None
        out.append(
            {
                "number": category.number,
                "name": category.name,
                "examples": category.translated("examples"),
                "purposes": [f"{p.code} {p.name}" for p in category.purposes.all()],
                "legal_bases": [b.name for b in category.legal_bases.all()],
                "legitimate_interests": [f"{i.clause} {i.name}" for i in category.legitimate_interests.all()],
                "recipients": list(recipients.values()),
                "third_country_transfers": [r for r in recipients.values() if r["third_country"]],
                "retention": category.translated("retention"),
                "next_deletion": next_date if next_date and next_date > on else None,
                "sources": [s.name for s in category.sources.all()],
                "automated_decisions": category.translated("automated_decisions"),
            }
        )
    return {
        "categories": out,
        "rights": [str(text) for text in RIGHTS],
        "how_to_exercise": [str(text) for text in HOW_TO_EXERCISE],
        "complaint": complaint_text(),
        "authority": SUPERVISORY_AUTHORITY,
    }


#: §38: the subject's rights, and §40: how to exercise them (lazy: read in the language of the answer).
RIGHTS = (
    _("Access: to know whether and which of your personal data we process and to receive them."),
    _("Rectification: to have inaccurate data corrected and incomplete data supplemented."),
    _("Erasure: to have your data erased where no legal duty or other basis requires us to keep them."),
    _("Restriction: to have the processing of your data restricted."),
    _("Objection: to object to processing based on our legitimate interests, and to direct marketing."),
    _("Portability: to receive the data you gave us in a machine-readable format, or have it sent on."),
    _("Consent: to withdraw a consent at any time; what was done before stays lawful (§49)."),
    _("Human review: to ask for an automated decision to be reviewed by a person (§16–18)."),
)
HOW_TO_EXERCISE = (
    _("In writing, in person at Straupes iela 5 k-3, Rīga, showing an identity document."),
    _("By email to klients@balticom.info, signed with a secure electronic signature."),
    _("In the Mans Balticom portal, after logging in."),
    _("We answer within one month of receiving the request (GDPR Art. 12(3))."),
)


def complaint_text() -> str:
    """§44, in the active language."""
    authority = SUPERVISORY_AUTHORITY
    return (
        _(
            "You have the right to lodge a complaint with the supervisory authority, %(name)s (Data State "
            "Inspectorate), %(address)s; email %(email)s; phone %(phone)s; %(website)s. A complaint by email "
            "must be signed with a secure electronic signature (§44)."
        )
        % authority
    )
