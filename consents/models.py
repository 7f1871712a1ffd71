"""Consents (§46–50, §56–61, Annex 1 cat. 28): topics, the append-only ledger of decisions, the current
state per customer and topic, and the record of CSV imports."""

from __future__ import annotations

import datetime
import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from privacy.history import AppendOrderIndex, history
from privacy.models import Customer, PolicyVersion, TranslatedName


class Action(models.TextChoices):
    """What the customer said. The same words name the current state of a consent."""

    GIVEN = "given", _("given")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Channel(models.TextChoices):
    """§47, §48, §60: the ways a consent is given or withdrawn, plus bulk import and anything else."""

    PORTAL = "portal", _("self-service portal (Mans Balticom)")
    APPLICATION_FORM = "application_form", _("service application form")
    BANNER = "banner", _("banner")
    APP = "app", _("mobile app")
    PHONE = "phone", _("phone (customer service)")
    EMAIL = "email", _("email")
    IN_PERSON = "in_person", _("in person")
    IMPORT = "import", _("bulk import")
    OTHER = "other", _("other")


class ContactChannel(models.TextChoices):
    """The contact channel a commercial-notice topic covers (and the suppression list's channels)."""

    EMAIL = "email", _("email")
    SMS = "sms", _("SMS")
    PHONE = "phone", _("phone call")


class BulkHistoricalRecords(HistoricalRecords):
    """History of the tables the CSV import fills by the million (the ledger and the current state).

    The same 64-bit history id as `privacy.history.history`, with indexes chosen for bulk writes: every
    B-tree entry costs a million-row import about half a second, so only look-ups that need one get
    one. `history_date` (the history sweep of §32) and, for the append-only ledger, the object `id`
    (erasure, the admin's history page) get BRIN indexes (`AppendOrderIndex`): rows are appended in
    that order, so a block-range summary finds them for almost nothing. The customer column is not
    indexed: the data-subject package reads this history by object id (catalogue `history_by_id`).
    `history_user` is not a database constraint either (staff users are deactivated, never deleted).

    Through simple-history's own arguments (`history_id_field`, `user_db_constraint`, `no_db_index`) and
    its two model-building methods `get_extra_fields` and `get_meta_options`; no private hook. The
    B-tree indexes of `history_date` and `history_user` have no argument of their own (only the global
    SIMPLE_HISTORY_DATE_INDEX, which would drop them from every other history table too), so
    `get_extra_fields` unsets them. The version range is pinned in pyproject.toml and
    tests/consents/test_library_hooks.py fails loudly if the library changes either method.
    """

    def __init__(self, *, index_prefix: str, brin_id: bool = False, **kwargs):
        self.index_prefix = index_prefix
        self.brin_id = brin_id
        super().__init__(**kwargs)

    def get_extra_fields(self, model, fields):
        extra = super().get_extra_fields(model, fields)
        for name in ("history_date", "history_user"):
            extra[name].db_index = False
        return extra

    def get_meta_options(self, model):
        options = super().get_meta_options(model)
        prefix = self.index_prefix
        options["indexes"] = [AppendOrderIndex(fields=["history_date"], name=f"{prefix}_date_brin")]
        if self.brin_id:
            options["indexes"].append(
                AppendOrderIndex(fields=["id"], name=f"{prefix}_id_brin", pages_per_range=16)
            )
        return options


def bulk_history(*, no_db_index: list[str], brin_id: bool = False, **kwargs) -> BulkHistoricalRecords:
    if brin_id:
        no_db_index = [*no_db_index, "id"]
    return BulkHistoricalRecords(
        history_id_field=models.BigAutoField(primary_key=True),
        user_db_constraint=False,
        no_db_index=[*no_db_index, "customer"],
        brin_id=brin_id,
        **kwargs,
    )


#: §60: an opt-out of commercial notices must be processed within this long of the customer's request.
OPT_OUT_DEADLINE = datetime.timedelta(days=2)


def decision_prevails(
    *,
    new_occurred_at: datetime.datetime,
    new_action: str,
    current_occurred_at: datetime.datetime,
    current_status: str,
) -> bool:
    """Whether a decision replaces the current state: the later decision wins (§48–49).

    A decision older than the current state is kept in the ledger but does not overturn the state. At the
    very same moment a withdrawal beats a consent: when in doubt, do not process (§48). The bulk import
    applies the same rule in SQL (consents/importer/postgres.py).
    """
    if new_occurred_at != current_occurred_at:
        return new_occurred_at > current_occurred_at
    return new_action == Action.WITHDRAWN and current_status == Action.GIVEN


def no_consent_needed_message(code: str) -> str:
    """Why no decision is recorded for a topic that needs no consent (the importer and the services)."""
    from django.utils.translation import gettext

    return gettext(
        "“%(topic)s” needs no consent (§62: necessary cookies); no decision is recorded for it."
    ) % {"topic": code[:40]}


class ConsentTopic(TranslatedName):
    """What a consent is for. Seeded by a data migration; the codes are used by code and CSV files."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    clause = models.CharField(_("clause"), max_length=32, blank=True)
    commercial_notice = models.BooleanField(
        _("commercial notice"),
        default=False,
        help_text=_(
            "Commercial notices of the operator or of its partners (§56–60): opt-outs must be honoured "
            "within 2 days and outlive an erasure in the suppression list."
        ),
    )
    channel = models.CharField(
        _("contact channel"),
        max_length=8,
        choices=ContactChannel.choices,
        blank=True,
        help_text=_(
            "For commercial notices: the contact channel the topic covers; empty for every channel "
            "(partners' offers)."
        ),
    )
    asked_through = models.CharField(
        _("asked through"),
        max_length=16,
        choices=Channel.choices,
        blank=True,
        help_text=_("Where the customer is asked (the cookie categories: the website banner, §62)."),
    )
    needs_consent = models.BooleanField(
        _("needs consent"),
        default=True,
        help_text=_(
            "Off for what works without consent (necessary cookies, §62): no consent decision is recorded "
            "for such a topic."
        ),
    )

    history = history()

    class Meta:
        ordering = ["code"]
        verbose_name = _("consent topic")
        verbose_name_plural = _("consent topics")
        permissions = [("export_marketing_audience", _("Can export the commercial-notice audience"))]
        constraints = [
            models.UniqueConstraint(
                fields=["channel"],
                condition=models.Q(commercial_notice=True),
                name="consenttopic_one_commercial_topic_per_channel",
            ),
            # §56, §58: partners' commercial notices are commercial notices on every channel (no
            # channel of their own); only a commercial-notice topic may name a channel.
            models.CheckConstraint(
                condition=models.Q(commercial_notice=True) | models.Q(channel=""),
                name="consenttopic_channel_only_for_commercial_notice",
                violation_error_message=_("Only a commercial-notice topic covers a contact channel."),
            ),
        ]

    def __str__(self) -> str:
        return self.code


class ConsentEvent(models.Model):
    """One decision of a customer about a topic: the append-only ledger (§46–49).

    Never changed or deleted in the admin. The natural key (customer, topic, action, occurred_at, source)
    is unique, so the same decision recorded twice (a re-imported file) is one event.
    """

    # References are kept by the ORM (PROTECT) and by the import's own look-ups, not by database
    # constraints: a per-row foreign-key check costs a million-row import seconds at commit. Erasure,
    # the one way a customer goes, takes the bulk-import lock (privacy/locks.py), so an import never
    # writes events for a customer erased after it looked the customer up.
    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        related_name="consent_events",
        verbose_name=_("customer"),
        db_index=False,  # the natural-key index starts with customer
        db_constraint=False,
    )
    topic = models.ForeignKey(
        ConsentTopic,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("topic"),
        db_index=False,
        db_constraint=False,
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    occurred_at = models.DateTimeField(_("occurred at"), help_text=_("When the customer said it."))
    recorded_at = models.DateTimeField(
        _("recorded at"), default=timezone.now, help_text=_("When we processed it.")
    )
    source = models.CharField(
        _("source"), max_length=255, blank=True, help_text=_("File name and line, call id, form id, …")
    )
    policy_version = models.ForeignKey(
        PolicyVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("policy version"),
        help_text=_("The privacy policy in force when the customer decided (§68–71)."),
        db_index=False,
        db_constraint=False,
    )
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("captured by"),
        db_index=False,
        db_constraint=False,
    )

    # The bulk import writes these history rows itself (set-based); see consents/importer/postgres.py.
    history = bulk_history(
        no_db_index=["topic", "policy_version", "captured_by"], brin_id=True, index_prefix="consentevent_hist"
    )

    class Meta:
        ordering = ["-id"]
        verbose_name = _("consent event")
        verbose_name_plural = _("consent ledger")
        default_permissions = ("add", "view")
        permissions = [
            ("import_consentevent", _("Can import consent events from CSV")),
            ("export_consentevent", _("Can export the consent ledger")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "topic", "action", "occurred_at", "source"],
                name="consentevent_natural_key",
            ),
        ]

    def __str__(self) -> str:
        topic = self.topic.code if self.topic_id else ""
        return f"{topic} {self.get_action_display()} {self.occurred_at:%Y-%m-%d %H:%M}"

    @property
    def late(self) -> bool:
        """§60: a commercial-notice withdrawal processed more than 2 days after it was made."""
        return (
            self.action == Action.WITHDRAWN
            and self.topic.commercial_notice
            and self.recorded_at - self.occurred_at > OPT_OUT_DEADLINE
        )


class Consent(models.Model):
    """The current state of one customer's consent to one topic, kept in step with the ledger."""

    # Derived from the ledger: its references are kept as the ledger's are (ORM, import look-ups, lock).
    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        related_name="consents",
        verbose_name=_("customer"),
        db_index=False,  # the unique (customer, topic) index serves
        db_constraint=False,
    )
    topic = models.ForeignKey(
        ConsentTopic,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("topic"),
        db_index=False,
        db_constraint=False,
    )
    status = models.CharField(_("status"), max_length=16, choices=Action.choices)
    occurred_at = models.DateTimeField(_("decided at"), help_text=_("When the deciding event occurred."))
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    source = models.CharField(_("source"), max_length=255, blank=True)
    policy_version = models.ForeignKey(
        PolicyVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("policy version"),
        db_index=False,
        db_constraint=False,
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    history = bulk_history(no_db_index=["topic", "policy_version"], index_prefix="consent_hist")

    class Meta:
        ordering = ["-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents (current state)")
        default_permissions = ("view",)
        permissions = [("export_consent", _("Can export consents"))]
        constraints = [
            models.UniqueConstraint(fields=["customer", "topic"], name="consent_one_per_customer_topic"),
        ]

    def __str__(self) -> str:
        return f"{self.topic_id and self.topic.code}: {self.get_status_display()}"


class ImportProfile(models.Model):
    """How to read one source's consent file (§47, §48, §60): the key that names the person, which
    column feeds which field, fixed values for the fields the file lacks, the date format, and
    optionally the encoding and delimiter (detected when not set). Picked at upload and by
    `import_consents --profile`; the default profile is our own layout."""

    class MatchKey(models.TextChoices):
        CUSTOMER_NUMBER = "customer_number", _("customer number")
        EMAIL = "email", _("email")
        PHONE = "phone", _("phone")
        PERSONAL_CODE = "personal_code", _("personal code")
        PORTAL_USER_NUMBER = "portal_user_number", _("portal user number")

    class Encoding(models.TextChoices):
        DETECT = "", _("detect")
        UTF8 = "utf-8", "UTF-8"
        CP1257 = "cp1257", "Windows-1257"

    class Delimiter(models.TextChoices):
        DETECT = "", _("detect")
        COMMA = ",", ","
        SEMICOLON = ";", ";"
        TAB = "\t", "TAB"

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    match_key = models.CharField(
        _("match key"), max_length=24, choices=MatchKey.choices, default=MatchKey.CUSTOMER_NUMBER
    )
    columns = models.JSONField(
        _("columns"),
        default=dict,
        blank=True,
        help_text=_('Field → the file\'s column header, e.g. {"email": "Email Address"}.'),
    )
    constants = models.JSONField(
        _("fixed values"),
        default=dict,
        blank=True,
        help_text=_(
            'Field → the value of every row, for fields the file lacks, e.g. {"action": "withdrawn"}.'
        ),
    )
    date_format = models.CharField(
        _("date format"),
        max_length=64,
        blank=True,
        help_text=_("A Python strptime format; empty for ISO 8601 or DD.MM.YYYY HH:MM[:SS]."),
    )
    encoding = models.CharField(_("encoding"), max_length=16, choices=Encoding.choices, blank=True)
    delimiter = models.CharField(_("delimiter"), max_length=2, choices=Delimiter.choices, blank=True)
    is_default = models.BooleanField(_("default"), default=False)

    history = history()

    class Meta:
        ordering = ["-is_default", "name"]
        verbose_name = _("import profile")
        verbose_name_plural = _("import profiles")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="import_profile_one_default"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def mapping(self):
        """The engine's `Mapping` of this profile."""
        from .importer.mapping import Mapping

        return Mapping(
            match=self.match_key,
            columns={str(k): str(v) for k, v in (self.columns or {}).items()},
            constants={str(k): str(v) for k, v in (self.constants or {}).items()},
            date_format=self.date_format,
            encoding=self.encoding,
            delimiter=self.delimiter,
        )

    def clean(self):
        from django.core.exceptions import ValidationError

        from .importer.mapping import FIELDS, MATCH_KEYS

        problems = {}
        if not isinstance(self.columns, dict) or not all(
            name in (*MATCH_KEYS, *FIELDS) and isinstance(header, str) and header.strip()
            for name, header in self.columns.items()
        ):
            problems["columns"] = _("Use the fields %(fields)s, each with a column header.") % {
                "fields": ", ".join((*MATCH_KEYS, *FIELDS))
            }
        if not isinstance(self.constants, dict) or not all(
            name in FIELDS and isinstance(value, str) for name, value in self.constants.items()
        ):
            problems["constants"] = _("Use the fields %(fields)s, each with a text value.") % {
                "fields": ", ".join(FIELDS)
            }
        if self.date_format:
            try:
                datetime.datetime.strptime(
                    datetime.datetime(2024, 5, 1, 10, 0).strftime(self.date_format), self.date_format
                )
            except ValueError:
                problems["date_format"] = _("Not a date format.")
        if problems:
            raise ValidationError(problems)


def consent_import_upload_to(instance: ConsentImport, filename: str) -> str:
    """Uploaded files are named by date and a random part, never by anything personal."""
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"consent-imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class ConsentImport(models.Model):
    """One CSV file uploaded in the admin: its preview, its application and their results.

    The file sits in private storage until the import is applied or abandoned. The stored result holds
    counts and errors by line and column, never values from the file.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued for checking")
        CHECKING = "checking", _("checking")
        INVALID = "invalid", _("has errors: nothing applied")
        READY = "ready", _("checked: waiting for confirmation")
        APPLY_QUEUED = "apply_queued", _("queued for import")
        APPLYING = "applying", _("importing")
        APPLIED = "applied", _("imported")
        FAILED = "failed", _("failed")

    file = models.FileField(_("file"), upload_to=consent_import_upload_to, blank=True, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    lines = models.PositiveIntegerField(_("lines"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    profile = models.ForeignKey(
        ImportProfile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("import profile"),
    )
    result = models.JSONField(_("result"), default=dict, blank=True)
    heartbeat_at = models.DateTimeField(
        _("last sign of life"),
        null=True,
        blank=True,
        help_text=_(
            "Set when the job is queued or started and, while it runs, by its worker every few seconds."
        ),
    )

    history = history()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("consent import")
        verbose_name_plural = _("consent imports")
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def failure_message(self) -> str:
        """Why a failed import failed, in words for its user (the stored result holds only a code)."""
        failure = self.result.get("failure", "")
        if failure == "worker_lost":
            return _(
                "The worker running this import stopped before it finished (it was restarted or ran out "
                "of memory). Nothing was imported: the file is applied in one transaction, which was "
                "rolled back. You can try again."
            )
        if failure == "abandoned":
            return _(
                "Nobody worked on this import for a day, so its file was deleted (it holds personal "
                "data). Nothing was imported. Upload the file again."
            )
        return _("Nothing was imported. The error was logged; please tell the administrators.")

    @property
    def running(self) -> bool:
        return self.status in {
            self.Status.QUEUED,
            self.Status.CHECKING,
            self.Status.APPLY_QUEUED,
            self.Status.APPLYING,
        }


class AutomatedDecision(models.Model):
    """One automated decision with legal or similar effect on a customer (§16–18, GDPR Art. 22): when,
    by which logic and version, with which outcome, and on which ground.

    §17: only "līguma ... noslēgšanas vai izpildes gaitā, pamatojoties uz Klienta nepārprotamu piekrišanu
    vai ārējos normatīvajos aktos noteiktajos gadījumos": a contract plus the customer's explicit consent
    (topic `automated_decisions`, the event relied on is linked), or a provision of law. Recorded only by
    `consents.automated_decisions.automated_decision_record`, which refuses a decision without a ground.
    It lives here, not in `privacy`, because the gate needs the consent ledger (privacy imports no app
    of ours) and it is not a request (requests_app).
    """

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")
        CONDITIONAL = "conditional", _("approved with conditions")

    class Ground(models.TextChoices):
        CONTRACT_CONSENT = "contract_consent", _("contract and the customer's explicit consent (§17)")
        LAW = "law", _("a provision of law (§17)")

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="automated_decisions", verbose_name=_("customer")
    )
    decided_at = models.DateTimeField(_("decided at"))
    system = models.CharField(_("system"), max_length=64, help_text=_("The system that decided (its code)."))
    logic_version = models.CharField(_("logic and version"), max_length=64)
    matter = models.CharField(
        _("what was decided"), max_length=200, help_text=_("e.g. a service application")
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    ground = models.CharField(_("ground"), max_length=16, choices=Ground.choices)
    contract_reference = models.CharField(_("contract or application"), max_length=64, blank=True)
    # The consent event relied on, by id and moment (no foreign key: the ledger's retention and erasure
    # must not be blocked by a decision that outlives the event it relied on).
    consent_event_id = models.BigIntegerField(
        _("explicit consent relied on (event id)"), null=True, blank=True
    )
    consent_given_at = models.DateTimeField(_("explicit consent given at"), null=True, blank=True)
    legal_provision = models.CharField(_("provision of law"), max_length=200, blank=True)
    reference = models.CharField(
        _("reference in the system"),
        max_length=64,
        help_text=_("Unique per system: recording twice is harmless."),
    )
    human_review_requested_at = models.DateTimeField(
        _("human review requested at"),
        null=True,
        blank=True,
        help_text=_("GDPR Art. 22(3): the customer may ask for a person to review the decision."),
    )
    human_review_outcome = models.TextField(_("outcome of the human review"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    source = models.CharField(_("source"), max_length=255, blank=True)

    history = history()

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("automated decision")
        verbose_name_plural = _("automated decisions")
        indexes = [models.Index(fields=["decided_at"], name="autodecision_decided_at")]
        constraints = [
            models.UniqueConstraint(fields=["system", "reference"], name="autodecision_unique_reference"),
            models.CheckConstraint(
                condition=models.Q(
                    ground="contract_consent", consent_given_at__isnull=False, contract_reference__gt=""
                )
                | models.Q(ground="law", legal_provision__gt=""),
                name="autodecision_has_ground",
                violation_error_message=_(
                    "An automated decision needs its ground: a contract and the customer's explicit consent, "
                    "or a provision of law (§17)."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.system} {self.reference}"
