"""Data-subject requests (§38–42), their rectifications and export packages, and complaints (§43–44).

Every state change goes through `requests_app.services`; the models hold fields, invariants the
database can enforce, and small read-only helpers.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy.history import history
from privacy.models import Language

from . import deadlines


class SubjectRequest(models.Model):
    """A request from a data subject (§38), received through one of the channels of §40.

    The clock runs from `received_at`: the answer is due one calendar month later (`due_at`), or up to
    two further months when extended within the first month (`extended_due_at`, GDPR Art. 12(3)).
    """

    class Type(models.TextChoices):
        ACCESS = "access", _("access")
        RECTIFICATION = "rectification", _("rectification")
        ERASURE = "erasure", _("erasure")
        COPY = "copy", _("copy")
        OBJECTION = "objection", _("objection")
        RESTRICTION = "restriction", _("restriction")
        PORTABILITY = "portability", _("portability")

    class Channel(models.TextChoices):
        IN_PERSON = "in_person", _("in person (§40.1)")
        EMAIL = "email", _("e-signed email (§40.2)")
        PORTAL = "portal", _("Mans Balticom (§40.3)")

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        IDENTITY_VERIFIED = "identity_verified", _("identity verified")
        IN_EVALUATION = "in_evaluation", _("in evaluation")
        FULFILLED = "fulfilled", _("fulfilled")
        PARTLY_FULFILLED = "partly_fulfilled", _("partly fulfilled")
        REFUSED = "refused", _("refused")
        ANSWERED = "answered", _("answered")

    class Outcome(models.TextChoices):
        NONE = "", _("not decided")
        FULFILLED = "fulfilled", _("fulfilled")
        PARTLY_FULFILLED = "partly_fulfilled", _("partly fulfilled")
        REFUSED = "refused", _("refused")

    class AnswerMethod(models.TextChoices):
        """§42: how an answer holding personal data reaches the customer."""

        REGISTERED_LETTER = "registered_letter", _("registered letter to the contact address")
        PORTAL = "portal", _("in Mans Balticom")
        IN_PERSON = "in_person", _("handed over in person")

    class IdentityDocument(models.TextChoices):
        PASSPORT = "passport", _("passport")
        ID_CARD = "id_card", _("identity card (eID)")
        RESIDENCE_PERMIT = "residence_permit", _("residence permit")

    class FlagAction(models.TextChoices):
        """For restriction and objection requests: set the customer's flag, or lift it."""

        NONE = "", _("—")
        SET = "set", _("set")
        LIFT = "lift", _("lift")

    class DeadlineFlag(models.TextChoices):
        """Written by the nightly task (see tasks.py)."""

        NONE = "", _("on time")
        DUE_SOON = "due_soon", _("due within 7 days")
        OVERDUE = "overdue", _("overdue")

    OPEN_STATUSES = (
        Status.RECEIVED,
        Status.IDENTITY_VERIFIED,
        Status.IN_EVALUATION,
        Status.FULFILLED,
        Status.PARTLY_FULFILLED,
        Status.REFUSED,
    )
    DECIDED_STATUSES = (Status.FULFILLED, Status.PARTLY_FULFILLED, Status.REFUSED)
    EXPORT_TYPES = (Type.ACCESS, Type.COPY, Type.PORTABILITY)

    # Intake
    type = models.CharField(_("type"), max_length=16, choices=Type.choices)
    channel = models.CharField(
        _("channel"),
        max_length=16,
        choices=Channel.choices,
        help_text=_(
            "§40: in person with an identity document; email signed with a qualified e-signature; "
            "authenticated in Mans Balticom."
        ),
    )
    # Who asked: a matched customer or the requester's details (checked at intake, not by a constraint:
    # erasure anonymises a request by blanking both, and the request stays as evidence).
    customer = models.ForeignKey(
        "privacy.Customer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subject_requests",
        verbose_name=_("customer"),
        help_text=_("Empty until the requester is matched to a customer (at the latest when verified)."),
    )
    requester_name = models.CharField(_("requester's name"), max_length=200, blank=True)
    requester_email = models.EmailField(_("requester's email"), blank=True)
    requester_phone = models.CharField(_("requester's phone"), max_length=32, blank=True)
    requester_address = models.TextField(_("requester's address"), blank=True)
    details = models.TextField(_("what is asked"), blank=True)
    preferred_answer_method = models.CharField(
        _("answer wanted by"), max_length=24, choices=AnswerMethod.choices, blank=True
    )
    flag_action = models.CharField(
        _("restriction/objection"),
        max_length=8,
        choices=FlagAction.choices,
        blank=True,
        help_text=_("Restriction and objection requests: set the flag on the customer, or lift it."),
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    status = models.CharField(_("status"), max_length=24, choices=Status.choices, default=Status.RECEIVED)
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices, blank=True)

    # Deadlines (Art. 12(3))
    due_at = models.DateField(_("due"), help_text=_("One calendar month after receipt."))
    extension_months = models.PositiveSmallIntegerField(_("extended by (months)"), default=0)
    extended_due_at = models.DateField(_("extended deadline"), null=True, blank=True)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    extension_notified_on = models.DateField(_("customer told of the extension on"), null=True, blank=True)
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("extended by"),
    )
    deadline_flag = models.CharField(
        _("deadline flag"), max_length=16, choices=DeadlineFlag.choices, blank=True
    )
    deadline_flagged_on = models.DateField(_("deadline flag changed on"), null=True, blank=True)

    # Identity verification (§41)
    verified_at = models.DateTimeField(_("identity verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("identity verified by"),
    )
    identity_document_type = models.CharField(
        _("identity document type"), max_length=24, choices=IdentityDocument.choices, blank=True
    )
    identity_document_number = models.CharField(_("identity document number"), max_length=32, blank=True)
    identity_document_differs = models.BooleanField(
        _("document differs from the customer's record"),
        default=False,
        help_text=_("The number of the document checked is not the one on the customer's record (§41)."),
    )
    identity_mismatch_reason = models.TextField(
        _("why the differing document was accepted"),
        blank=True,
        help_text=_("Required when the document differs from the customer's record (a new passport, say)."),
    )
    signature_validation = models.TextField(
        _("e-signature validation"),
        blank=True,
        help_text=_("How the qualified e-signature was validated (validator and its result)."),
    )
    portal_session_id = models.CharField(_("portal session id"), max_length=128, blank=True)

    # Evaluation and decision
    evaluation_started_at = models.DateTimeField(_("evaluation started at"), null=True, blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("evaluated by"),
    )
    withheld = models.JSONField(
        _("withheld from the answer (§39)"),
        default=list,
        blank=True,
        help_text=_("What the answer does not reveal and why: counts and reasons, no personal data."),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    outcome_notes = models.TextField(_("what was done"), blank=True)
    refusal_reason = models.TextField(_("reason for refusal (§39)"), blank=True)

    # Restriction and objection: what this request did to the customer's flags
    flag_applied_at = models.DateTimeField(_("customer flag changed at"), null=True, blank=True)
    lifts_request = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lifted_by",
        verbose_name=_("lifts the flag set by"),
    )

    # Erasure: four eyes (approval by a second staff member) and the result
    erasure_approved_at = models.DateTimeField(_("erasure approved at"), null=True, blank=True)
    erasure_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erasure approved by"),
    )
    erasure_preview = models.JSONField(
        _("dry run seen at approval"), null=True, blank=True, help_text=_("What would be erased and kept.")
    )
    erasure_result = models.JSONField(_("erasure result"), null=True, blank=True)

    # Answer (§42). An erasure blanks the requester's details; what the answer letter needs to reach them
    # (name, address, language) is copied here just before the erasure runs and scrubbed, live and in
    # history, when the answer is recorded as sent (GDPR Art. 12(1), Art. 5(1)(c)).
    answer_recipient_name = models.CharField(
        _("answer addressed to (held until answered)"), max_length=200, blank=True
    )
    answer_recipient_address = models.TextField(_("answer postal address (held until answered)"), blank=True)
    answer_language = models.CharField(
        _("answer language (held until answered)"), max_length=2, choices=Language.choices, blank=True
    )
    answer_method = models.CharField(
        _("answer delivered by"), max_length=24, choices=AnswerMethod.choices, blank=True
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )

    history = history()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")
        permissions = [
            ("approve_erasure", _("Can approve an erasure (second pair of eyes)")),
            (
                "decide_subjectrequest",
                _("Can decide data-subject requests (evaluate, extend, correct, fulfil, refuse, answer)"),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"], name="subjectrequest_status_due"),
            models.Index(fields=["received_at"], name="subjectrequest_received_at"),
            models.Index(fields=["answered_on"], name="subjectrequest_answered_on"),
            models.Index(fields=["type", "status"], name="subjectrequest_type_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(extension_months__lte=deadlines.MAX_EXTENSION_MONTHS),
                name="subjectrequest_extension_at_most_two_months",
                violation_error_message=_("A deadline can be extended by two further months at most."),
            ),
            models.CheckConstraint(
                condition=~Q(outcome="refused") | ~Q(refusal_reason=""),
                name="subjectrequest_refusal_has_reason",
                violation_error_message=_("A refusal needs its reason (§39)."),
            ),
            models.CheckConstraint(
                condition=~Q(outcome__in=["fulfilled", "partly_fulfilled"]) | Q(verified_at__isnull=False),
                name="subjectrequest_fulfilled_only_when_verified",
                violation_error_message=_("Nothing is fulfilled before the identity is verified (§41)."),
            ),
            models.CheckConstraint(
                condition=~Q(status="answered") | (~Q(answer_method="") & Q(answered_on__isnull=False)),
                name="subjectrequest_answer_has_method_and_date",
                violation_error_message=_("An answer needs its delivery method and date (§42)."),
            ),
        ]

    def __str__(self) -> str:
        """A reference that holds no personal data ("SR-2026-000123")."""
        if self.pk is None:
            return "SR-new"
        return f"SR-{deadlines.local_date(self.received_at):%Y}-{self.pk:06d}"

    @property
    def reference(self) -> str:
        return str(self)

    @property
    def deadline(self) -> datetime.date:
        """The deadline in force: the extended one if any, else one month after receipt."""
        return self.extended_due_at or self.due_at

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def days_left(self, on: datetime.date | None = None) -> int | None:
        """Days until the deadline (0 = due today, negative = overdue); None once answered."""
        if not self.is_open or self.deadline is None:
            return None
        return (self.deadline - (on or deadlines.today())).days


def package_upload_to(instance: ExportPackage, filename: str) -> str:
    """Named by date and a random part, never by anything personal."""
    return f"subject-packages/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.zip"


class ExportPackage(models.Model):
    """The ZIP answering an access, copy or portability request, in private storage (§38, §42)."""

    request = models.ForeignKey(
        SubjectRequest, on_delete=models.PROTECT, related_name="packages", verbose_name=_("request")
    )
    file = models.FileField(_("file"), upload_to=package_upload_to, max_length=255)
    size_bytes = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    includes_files = models.BooleanField(_("includes recording files"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    history = history()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("data package")
        verbose_name_plural = _("data packages")
        permissions = [("download_exportpackage", _("Can download a subject's data package"))]

    def __str__(self) -> str:
        return f"{self.request} {_('package')} #{self.pk}"


class RectificationChange(models.Model):
    """One field corrected through a rectification request: before, after, and the history row."""

    request = models.ForeignKey(
        SubjectRequest, on_delete=models.PROTECT, related_name="rectifications", verbose_name=_("request")
    )
    field_name = models.CharField(_("field"), max_length=64)
    old_value = models.TextField(_("before"), blank=True)
    new_value = models.TextField(_("after"), blank=True)
    customer_history_id = models.BigIntegerField(
        _("customer history row"), null=True, help_text=_("The customer's history row with the correction.")
    )
    applied_at = models.DateTimeField(_("applied at"), default=timezone.now)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("applied by")
    )

    history = history()

    class Meta:
        ordering = ["applied_at", "id"]
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")

    def __str__(self) -> str:
        return f"{self.request}: {self.field_name}"


class Complaint(models.Model):
    """A complaint or objection to the data protection officer (§43), and its escalation to the
    supervisory authority, Datu valsts inspekcija (§44), with the dates."""

    class Status(models.TextChoices):
        OPEN = "open", _("open, with the data protection officer")
        RESOLVED = "resolved", _("resolved by the data protection officer")
        ESCALATED = "escalated", _("escalated to Datu valsts inspekcija")
        CLOSED = "closed", _("closed after the inspectorate's decision")

    customer = models.ForeignKey(
        "privacy.Customer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("customer"),
    )
    request = models.ForeignKey(
        SubjectRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("about request"),
    )
    complainant_name = models.CharField(_("complainant's name"), max_length=200, blank=True)
    complainant_contact = models.TextField(_("complainant's contact"), blank=True)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    description = models.TextField(_("complaint"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OPEN)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("data protection officer"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    # §44: the supervisory authority
    escalated_on = models.DateField(_("complained to Datu valsts inspekcija on"), null=True, blank=True)
    authority_reference = models.CharField(_("inspectorate's case number"), max_length=64, blank=True)
    authority_replied_on = models.DateField(_("our reply to the inspectorate on"), null=True, blank=True)
    authority_decision = models.TextField(_("inspectorate's decision"), blank=True)
    authority_decided_on = models.DateField(_("inspectorate decided on"), null=True, blank=True)

    history = history()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        permissions = [("handle_complaint", _("Can handle complaints as the data protection officer"))]
        indexes = [models.Index(fields=["status", "received_at"], name="complaint_status_received")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="resolved") | (~Q(resolution="") & Q(resolved_on__isnull=False)),
                name="complaint_resolution_recorded",
                violation_error_message=_("A resolved complaint needs the resolution and its date."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["escalated", "closed"]) | Q(escalated_on__isnull=False),
                name="complaint_escalation_dated",
                violation_error_message=_("An escalation needs the date (§44)."),
            ),
        ]

    def __str__(self) -> str:
        """A reference without personal data."""
        if self.pk is None:
            return "C-new"
        return f"C-{deadlines.local_date(self.received_at):%Y}-{self.pk:06d}"


def letter_upload_to(instance: Letter, filename: str) -> str:
    """Named by date and a random part, never by anything personal; the suffix says PDF or HTML."""
    suffix = ".pdf" if filename.lower().endswith(".pdf") else ".html"
    return f"letters/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Letter(models.Model):
    """A letter to the data subject about their request, in their language (§39, §41–42, §44, GDPR
    Art. 12(3)): the PDF printed for a registered letter and the same text as HTML for Mans Balticom,
    both in private storage. Generated by `requests_app.letters.letter_generate`; sending recorded by
    `letter_mark_sent` (who, when, how)."""

    class Kind(models.TextChoices):
        ACKNOWLEDGEMENT = "acknowledgement", _("acknowledgement of receipt")
        EXTENSION = "extension", _("extension notice (GDPR Art. 12(3))")
        REFUSAL = "refusal", _("refusal with reasons (§39, §44)")
        ANSWER = "answer", _("answer cover letter (§42)")

    request = models.ForeignKey(
        SubjectRequest, on_delete=models.PROTECT, related_name="letters", verbose_name=_("request")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    pdf = models.FileField(_("PDF"), upload_to=letter_upload_to, max_length=255)
    html = models.FileField(_("HTML"), upload_to=letter_upload_to, max_length=255)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    postable = models.BooleanField(
        _("has a postal address"),
        default=False,
        help_text=_("Only a letter with the recipient's address can go by registered letter (§42)."),
    )
    created_at = models.DateTimeField(_("generated at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("generated by")
    )
    # §42: how and when it went out, and who recorded that
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    sent_method = models.CharField(
        _("sent as"), max_length=24, choices=SubjectRequest.AnswerMethod.choices, blank=True
    )
    tracking_number = models.CharField(_("registered-mail number"), max_length=64, blank=True)
    sent_recorded_at = models.DateTimeField(_("sending recorded at"), null=True, blank=True)
    sent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sending recorded by"),
    )

    history = history()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("letter to the customer")
        verbose_name_plural = _("letters to the customer")
        permissions = [("download_letter", _("Can download letters to customers"))]
        constraints = [
            models.CheckConstraint(
                condition=(Q(sent_on__isnull=True) & Q(sent_method=""))
                | (Q(sent_on__isnull=False) & ~Q(sent_method="")),
                name="letter_sent_has_method_and_date",
                violation_error_message=_("A sent letter needs both the date and the way it was sent (§42)."),
            ),
        ]

    def __str__(self) -> str:
        """A reference that holds no personal data ("SR-2026-000123 letter #7")."""
        return f"{self.request} {_('letter')} #{self.pk or '-'}"
