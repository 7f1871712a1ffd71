"""Letters to the data subject about their request, in the customer's language (§41–42).

Four kinds: the acknowledgement of receipt (§41), the extension notice with its reason (GDPR Art. 12(3)),
the refusal with its §39 reason and the right to complain to Datu valsts inspekcija (§43–44), and the
cover letter of the answer (§42). Each is written in the customer's preferred language (lv, ru, en): the
text comes from the translation catalogues, dates are in that language's format and times in Riga time.
One rendering gives the HTML (the copy for Mans Balticom) and the PDF printed for a registered letter;
both are stored in private storage, listed on the request, and streamed only by a permission-checked,
logged view. Sending is recorded separately, with who recorded it, when and how it went (§42).
"""

from __future__ import annotations

import datetime
import hashlib
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateformat import format as date_format_pattern
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import override

from privacy.access_answer import SUPERVISORY_AUTHORITY, access_information
from privacy.models import Customer, Language
from privacy.special_categories import HIDDEN, can_view_special_categories, special_fields_of

from . import deadlines
from .models import Letter, SubjectRequest
from .services.base import date_errors, lock_request_with_customer, save_with_reason

Kind = Letter.Kind
Status = SubjectRequest.Status

#: The controller as the policy names it (§1–2, §47).
CONTROLLER = {
    "name": "AS Balticom",
    "registration_number": "40003443452",
    "address": "Straupes iela 5 k-3, Rīga",
    "email": "klients@balticom.info",
    "phone": "29333333",
    "portal": "Mans Balticom",
}
#: The date format of each letter language: Django's own for Latvian ("2026. gada 3. marts") and Russian
#: ("3 марта 2026 г."); for English the day-month-year order used in the EU ("3 March 2026").
DATE_FORMATS = {"lv": "DATE_FORMAT", "ru": "DATE_FORMAT", "en": "j F Y"}
TIME_FORMAT = "H:i"

LETTER_TEMPLATES = {kind: f"requests_app/letters/{kind}.html" for kind in Kind.values}


@dataclass(frozen=True)
class RenderedLetter:
    kind: str
    language: str
    subject: str
    html: str
    postable: bool


# --- what can be written ---------------------------------------------------------------------------


def letter_kinds_available(subject_request: SubjectRequest) -> list[str]:
    """The kinds of letter the request's state allows: an acknowledgement always; an extension notice
    once extended; a refusal once refused; the answer's cover letter once decided."""
    kinds = [Kind.ACKNOWLEDGEMENT]
    if subject_request.extension_months:
        kinds.append(Kind.EXTENSION)
    if subject_request.outcome == SubjectRequest.Outcome.REFUSED:
        kinds.append(Kind.REFUSAL)
    if subject_request.status in (*SubjectRequest.DECIDED_STATUSES, Status.ANSWERED):
        kinds.append(Kind.ANSWER)
    return [str(kind) for kind in kinds]


def letter_language_for(subject_request: SubjectRequest) -> str:
    """The customer's preferred language; Latvian, the policy's own, when no customer is matched.
    After an erasure, the language held for the answer."""
    if subject_request.answer_language in Language.values:
        return subject_request.answer_language
    customer = subject_request.customer
    if customer is not None and customer.preferred_language in Language.values:
        return customer.preferred_language
    return Language.LATVIAN


def _recipient(subject_request: SubjectRequest) -> tuple[str, str]:
    """Name and postal address: held for the answer after an erasure, else the matched customer's, else
    what the requester gave."""
    if subject_request.answer_recipient_name:
        return subject_request.answer_recipient_name, subject_request.answer_recipient_address.strip()
    customer: Customer | None = subject_request.customer
    name = address = ""
    if customer is not None:
        name = f"{customer.first_name} {customer.last_name}".strip()
        address = customer.address.strip()
    return (
        name or subject_request.requester_name.strip(),
        address or subject_request.requester_address.strip(),
    )


def letter_addressing(subject_request: SubjectRequest) -> tuple[str, str, str]:
    """Name, postal address and language the answer letter is written with (held across an erasure)."""
    name, address = _recipient(subject_request)
    return name, address, letter_language_for(subject_request)


def local_date(day: datetime.date | datetime.datetime | None, language: str) -> str:
    """A date in the letter language's format; a moment is first taken to its Riga calendar day."""
    if day is None:
        return ""
    if isinstance(day, datetime.datetime):
        day = deadlines.local_date(day)
    with override(language):
        pattern = DATE_FORMATS.get(language, "DATE_FORMAT")
        return date_format(day, pattern) if pattern == "DATE_FORMAT" else date_format_pattern(day, pattern)


def local_time(moment: datetime.datetime, language: str) -> str:
    """The time of day in Riga (Europe/Riga, summer time included)."""
    return date_format_pattern(moment.astimezone(deadlines.RIGA), TIME_FORMAT)


# --- rendering -------------------------------------------------------------------------------------


def letter_render(
    *,
    subject_request: SubjectRequest,
    kind: str,
    language: str = "",
    on: datetime.date | None = None,
) -> RenderedLetter:
    """Render a letter to HTML without storing anything (the preview, the tests and `letter_generate`).

    Refuses (ValidationError) a kind the request's state does not allow and a letter with nobody to
    write to.
    """
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Unknown kind of letter: %(kind)s.") % {"kind": kind}})
    if kind not in letter_kinds_available(subject_request):
        raise ValidationError(
            {
                "kind": _("%(request)s: no “%(kind)s” letter can be written in its current state.")
                % {"request": subject_request, "kind": Kind(kind).label}
            },
            code="kind_not_available",
        )
    language = language or letter_language_for(subject_request)
    if language not in Language.values:
        raise ValidationError({"language": _("Letters are written in Latvian, Russian or English.")})
    name, address = _recipient(subject_request)
    if not name:
        raise ValidationError(
            _(
                "%(request)s holds no name to address the letter to (match a customer or give the "
                "requester's name; an erased subject's request has none)."
            )
            % {"request": subject_request},
            code="no_recipient",
        )
    on = on or deadlines.today()
    with override(language):
        context = _context(subject_request, kind, language, name, address, on)
        html = render_to_string(LETTER_TEMPLATES[kind], context)
        subject = str(context["subject"])
    return RenderedLetter(kind, language, subject, html, bool(address))


def _context(subject_request, kind, language, name, address, on) -> dict:
    """Everything a letter template shows, evaluated in the letter's language."""
    received = subject_request.received_at
    packages = list(subject_request.packages.order_by("-created_at")[:1])
    special = set(special_fields_of(Customer))
    corrected = [
        {
            "name": str(Customer._meta.get_field(change.field_name).verbose_name),
            "special": change.field_name in special,
        }
        for change in subject_request.rectifications.all()
        if change.field_name in {f.name for f in Customer._meta.concrete_fields}
    ]
    subjects = {
        Kind.ACKNOWLEDGEMENT: _("Your request %(reference)s has been received"),
        Kind.EXTENSION: _("More time is needed to answer your request %(reference)s"),
        Kind.REFUSAL: _("Your request %(reference)s cannot be fulfilled"),
        Kind.ANSWER: _("Answer to your request %(reference)s"),
    }
    return {
        "kind": kind,
        "language": language,
        "subject": subjects[Kind(kind)] % {"reference": subject_request.reference},
        "request": subject_request,
        "reference": subject_request.reference,
        "recipient_name": name,
        "recipient_address": address,
        "letter_date": local_date(on, language),
        "received_date": local_date(received, language),
        "received_time": local_time(received, language),
        "due_date": local_date(subject_request.due_at, language),
        "extended_due_date": local_date(subject_request.extended_due_at, language),
        "extension_months": subject_request.extension_months,
        "answer_method": (
            subject_request.get_answer_method_display()
            if subject_request.answer_method
            else subject_request.get_preferred_answer_method_display()
        ),
        "package": packages[0] if packages else None,
        # GDPR Art. 15(1)–(2) for this person, from the register, in the letter's language (§38–44).
        "information": (
            access_information(subject_request.customer)
            if kind == Kind.ANSWER
            and subject_request.type in SubjectRequest.EXPORT_TYPES
            and subject_request.customer is not None
            and subject_request.outcome != SubjectRequest.Outcome.REFUSED
            else None
        ),
        "corrected_fields": corrected,
        "controller": CONTROLLER,
        "authority": SUPERVISORY_AUTHORITY,
    }


def letter_pdf(html: str) -> bytes:
    """The printable PDF (A4) of a rendered letter. Nothing is fetched from outside: the letter carries
    its own styles, and any other URL is refused."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=["data"])).write_pdf()


#: How the answer letter marks a corrected field of a special category (Annex 1 cat. 3) in its HTML.
SPECIAL_ITEM = re.compile(r'(<li class="special-category">)(.*?)(</li>)', re.DOTALL)


def letter_copy_for(user, html: str, language: str) -> str | None:
    """The letter's HTML as `user` may see it: None when they may see all of it, else a copy with the
    names of special-category fields ("Deceased", "Disability mark") replaced by "(hidden: special
    category)". The customer's letter itself is not changed: it is theirs, names included. Letters
    written before the names were marked are matched by the names in the letter's language."""
    if can_view_special_categories(user):
        return None
    hidden = escape(str(HIDDEN))
    copy = SPECIAL_ITEM.sub(lambda m: f"{m.group(1)}{hidden}{m.group(3)}", html)
    with override(language):
        for name in special_fields_of(Customer):
            label = escape(capfirst(str(Customer._meta.get_field(name).verbose_name)))
            copy = copy.replace(f"<li>{label}</li>", f"<li>{hidden}</li>")
    return None if copy == html else copy


# --- writes ----------------------------------------------------------------------------------------


@transaction.atomic
def letter_generate(*, subject_request: SubjectRequest, kind: str, actor, language: str = "") -> Letter:
    """Write a letter for the request in the customer's language (or `language`), as HTML and PDF
    in private storage, and list it on the request (§41–42)."""
    lock_request_with_customer(subject_request)  # the letter holds personal data: never racing an erasure
    rendered = letter_render(subject_request=subject_request, kind=kind, language=language)
    pdf = letter_pdf(rendered.html)
    letter = Letter(
        request=subject_request,
        kind=rendered.kind,
        language=rendered.language,
        pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        postable=rendered.postable,
        created_by=actor,
    )
    letter.pdf.save("letter.pdf", ContentFile(pdf), save=False)
    letter.html.save("letter.html", ContentFile(rendered.html.encode("utf-8")), save=False)
    try:
        save_with_reason(
            letter,
            actor=actor,
            reason=_("%(request)s: letter written (%(kind)s, %(language)s)")
            % {"request": subject_request, "kind": kind, "language": rendered.language},
        )
    except Exception:
        for stored in (letter.pdf, letter.html):  # nothing half-written
            stored.storage.delete(stored.name)
        raise
    return letter


@transaction.atomic
def letter_mark_sent(
    *,
    letter: Letter,
    actor,
    method: str,
    sent_on: datetime.date | None = None,
    tracking_number: str = "",
) -> Letter:
    """Record that the letter went out: how (§42: registered letter, Mans Balticom, in person), on which
    day, the registered-mail number if any, and who recorded it."""
    Letter.objects.select_for_update().filter(pk=letter.pk).values_list("pk").get()
    letter.refresh_from_db()
    sent_on = sent_on or deadlines.today()
    errors = {}
    if letter.sent_on is not None:
        raise ValidationError(
            _("%(letter)s was already recorded as sent on %(day)s.")
            % {"letter": letter, "day": letter.sent_on.isoformat()},
            code="already_sent",
        )
    if method not in SubjectRequest.AnswerMethod.values:
        errors["method"] = _("Registered letter, Mans Balticom or in person (§42).")
    elif method == SubjectRequest.AnswerMethod.REGISTERED_LETTER and not letter.postable:
        errors["method"] = _(
            "This letter has no postal address: give the customer's address and generate it again."
        )
    errors |= date_errors(
        "sent_on",
        sent_on,
        missing="",  # never: no date is today
        future=_("The sending date cannot be in the future."),
        earliest=deadlines.local_date(letter.created_at),
        too_early=_("A letter cannot be sent before it was generated."),
    )
    if errors:
        raise ValidationError(errors)
    letter.sent_on = sent_on
    letter.sent_method = method
    letter.tracking_number = tracking_number.strip()
    letter.sent_recorded_at = timezone.now()
    letter.sent_recorded_by = actor
    save_with_reason(
        letter,
        actor=actor,
        reason=_("%(letter)s sent (%(method)s)") % {"letter": letter, "method": method},
    )
    return letter
