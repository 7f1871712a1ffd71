"""The register of processing and the data subject's records (§5, §9, §11, §12, §19–29, §68–71, Annex 1)."""

import datetime

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .history import history


class User(AbstractUser):
    """A staff member. The admin remembers the language they picked."""

    language = models.CharField(_("admin language"), max_length=8, blank=True)

    history = history(excluded_fields=["password", "last_login"])

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("staff user")
        verbose_name_plural = _("staff users")


class Language(models.TextChoices):
    LATVIAN = "lv", _("Latvian")
    RUSSIAN = "ru", _("Russian")
    ENGLISH = "en", _("English")


# --- Reference registers -------------------------------------------------------------------------


class TranslatedName(models.Model):
    """Reference entries carry the policy's Latvian wording plus English and Russian ones.

    A plain set of fields rather than django-modeltranslation: three languages that never change at run
    time, loaded by sync_reference, with no per-language migrations or query rewriting to maintain.
    """

    name_lv = models.TextField(_("name (Latvian)"))
    name_en = models.TextField(_("name (English)"))
    name_ru = models.TextField(_("name (Russian)"), blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        lang = (get_language() or "en")[:2]
        return getattr(self, f"name_{lang}", "") or self.name_en


class DataCategory(TranslatedName):
    """Annex 1: the 32 categories of personal data; category 3 is special (sensitive)."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    special = models.BooleanField(_("special category"), default=False)
    examples_lv = models.TextField(_("examples (Latvian)"), blank=True)
    examples_en = models.TextField(_("examples (English)"), blank=True)
    examples_ru = models.TextField(_("examples (Russian)"), blank=True)
    # The register of processing for this category (GDPR Art. 30): what the access answer tells the
    # person whose data of this category is held (GDPR Art. 15, §9, §11, §12, §16–18, §19–29, §31–34).
    purposes = models.ManyToManyField(
        "ProcessingPurpose", blank=True, related_name="data_categories", verbose_name=_("purposes (§9)")
    )
    legal_bases = models.ManyToManyField(
        "LegalBasis", blank=True, related_name="data_categories", verbose_name=_("legal bases (§11)")
    )
    legitimate_interests = models.ManyToManyField(
        "LegitimateInterest",
        blank=True,
        related_name="data_categories",
        verbose_name=_("legitimate interests (§12)"),
    )
    sources = models.ManyToManyField(
        "DataSource", blank=True, related_name="data_categories", verbose_name=_("sources (§24)")
    )
    recipients = models.ManyToManyField(
        "Recipient", blank=True, related_name="data_categories", verbose_name=_("recipients (§19–29)")
    )
    retention_lv = models.TextField(_("how long it is kept (Latvian)"), blank=True)
    retention_en = models.TextField(_("how long it is kept (English)"), blank=True)
    retention_ru = models.TextField(_("how long it is kept (Russian)"), blank=True)
    retention_rule = models.CharField(
        _("retention rule"),
        max_length=32,
        blank=True,
        help_text=_("Code of the retention rule that dates this category's deletion for a person, if any."),
    )
    automated_decisions_lv = models.TextField(_("automated decisions (Latvian)"), blank=True)
    automated_decisions_en = models.TextField(_("automated decisions (English)"), blank=True)
    automated_decisions_ru = models.TextField(_("automated decisions (Russian)"), blank=True)

    history = history(m2m_fields=[purposes, legal_bases, legitimate_interests, sources, recipients])

    class Meta:
        ordering = ["number"]
        verbose_name = _("data category")
        verbose_name_plural = _("data categories")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    def translated(self, prefix: str) -> str:
        """A register text (`examples`, `retention`, `automated_decisions`) in the active language."""
        lang = (get_language() or "en")[:2]
        return getattr(self, f"{prefix}_{lang}", "") or getattr(self, f"{prefix}_en", "")


class ProcessingPurpose(TranslatedName):
    """§9: purposes of processing and their sub-purposes."""

    code = models.CharField(_("clause"), max_length=16, unique=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )

    history = history()

    class Meta:
        ordering = ["code"]
        verbose_name = _("processing purpose")
        verbose_name_plural = _("processing purposes")

    def __str__(self) -> str:
        return f"§{self.code} {self.name}"


class LegalBasis(TranslatedName):
    """§11: the legal bases of processing."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    clause = models.CharField(_("clause"), max_length=16)

    history = history()

    class Meta:
        ordering = ["clause"]
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")


class LegitimateInterest(TranslatedName):
    """§12: the operator's 29 legitimate interests."""

    clause = models.CharField(_("clause"), max_length=16, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = history()

    class Meta:
        ordering = ["position"]
        verbose_name = _("legitimate interest")
        verbose_name_plural = _("legitimate interests")

    def __str__(self) -> str:
        return f"§{self.clause} {self.name}"


class DataSource(TranslatedName):
    """§24: where personal data comes from."""

    code = models.SlugField(_("code"), max_length=48, unique=True)
    clause = models.CharField(_("clause"), max_length=16)

    history = history()

    class Meta:
        ordering = ["clause"]
        verbose_name = _("data source")
        verbose_name_plural = _("data sources")


class Recipient(TranslatedName):
    """§19–20, §26, §28–29: processors, third parties and authorities that receive personal data."""

    class Role(models.TextChoices):
        PROCESSOR = "processor", _("processor")
        THIRD_PARTY = "third_party", _("third party")
        AUTHORITY = "authority", _("authority")

    code = models.SlugField(_("code"), max_length=48, unique=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166 code"))
    third_country = models.BooleanField(_("outside the EU/EEA"), default=False)
    safeguard = models.TextField(_("safeguard for transfer"), blank=True)
    clause = models.CharField(_("clause"), max_length=16, blank=True)

    history = history()

    class Meta:
        ordering = ["code"]
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(third_country=False) | ~models.Q(safeguard=""),
                name="recipient_third_country_needs_safeguard",
                violation_error_message=_("A recipient outside the EU/EEA needs a safeguard (§28–29)."),
            )
        ]


class PolicyVersion(models.Model):
    """§68–71: every version of the privacy policy, kept and linkable from consents."""

    label = models.CharField(_("label"), max_length=32, unique=True)
    effective_from = models.DateField(_("in force from"), unique=True)
    text = models.TextField(_("text"), blank=True)
    # §68–69: every version keeps its full text, per language, or as a stored file (the published PDF).
    text_lv = models.TextField(_("full text (Latvian)"), blank=True)
    text_ru = models.TextField(_("full text (Russian)"), blank=True)
    text_en = models.TextField(_("full text (English)"), blank=True)
    file = models.FileField(
        _("published file (PDF)"), upload_to="policy-versions/", max_length=255, blank=True
    )

    history = history()

    class Meta:
        ordering = ["-effective_from"]
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")

    def __str__(self) -> str:
        return self.label

    def text_in(self, language: str) -> str:
        """The full text in a language (lv, ru, en), else the Latvian original (it wins, §68)."""
        return getattr(self, f"text_{language}", "") or self.text_lv or self.text

    @property
    def effective_until(self):
        """The last day in force: the day before the next version came into force; None while current."""
        following = (
            PolicyVersion.objects.filter(effective_from__gt=self.effective_from)
            .order_by("effective_from")
            .first()
        )
        return following.effective_from - datetime.timedelta(days=1) if following else None


# --- The data subject and their records ----------------------------------------------------------


class Customer(models.Model):
    """A data subject (§5) with identification, contact and special-category data (Annex 1 cat. 1–3)."""

    class Kind(models.TextChoices):
        SUBSCRIBER = "subscriber", _("customer / subscriber")
        CONTACT_PERSON = "contact_person", _("contact person")
        PAYER = "payer", _("payer")
        VISITOR = "visitor", _("visitor of premises")
        ONLINE_USER = "online_user", _("website/app user or caller")
        MARKETING_PARTICIPANT = "marketing_participant", _("marketing campaign participant")
        PROPERTY_OWNER = "property_owner", _("property owner")

    class Lifecycle(models.TextChoices):
        POTENTIAL = "potential", _("potential")
        CURRENT = "current", _("current")
        FORMER = "former", _("former")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        TOMBSTONE = "tombstone", _("erased (kept under a legal duty)")

    class Residency(models.TextChoices):
        UNKNOWN = "", _("unknown")
        RESIDENT = "resident", _("resident")
        NON_RESIDENT = "non_resident", _("non-resident")

    customer_number = models.CharField(_("customer number"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, default=Kind.SUBSCRIBER)
    lifecycle = models.CharField(
        _("lifecycle"), max_length=16, choices=Lifecycle.choices, default=Lifecycle.CURRENT
    )
    belongs_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="linked_persons",
        verbose_name=_("belongs to customer"),
        help_text=_("For contact persons and payers: the customer they act for."),
    )
    # Annex 1 cat. 1: identification
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    personal_code = models.CharField(_("personal code"), max_length=12, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    id_document_number = models.CharField(_("identity document number"), max_length=32, blank=True)
    # Annex 1 cat. 2: contact
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    # Annex 1 cat. 3: special categories
    residency = models.CharField(_("resident status"), max_length=16, choices=Residency.choices, blank=True)
    deceased = models.BooleanField(_("deceased"), default=False)
    disability = models.BooleanField(_("disability mark"), default=False)
    # Annex 1 cat. 5–7
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.LATVIAN
    )
    portal_user_number = models.CharField(_("portal user number"), max_length=32, blank=True)
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    # §38: set by a restriction or objection request (the request that set them links back to the
    # customer from the requests app). Restricted customers are left out of exports and marketing
    # selectors; an objection to direct marketing opts them out of every commercial-notice topic.
    restricted_since = models.DateTimeField(_("processing restricted since"), null=True, blank=True)
    marketing_objection_since = models.DateTimeField(
        _("objected to direct marketing since"), null=True, blank=True
    )

    history = history()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        # Annex 1 cat. 3: without it, special-category fields are hidden everywhere (issue 7).
        permissions = [("view_special_categories", _("Can see special categories of personal data"))]
        indexes = [
            models.Index(fields=["personal_code"], name="customer_personal_code"),
            models.Index(fields=["last_name", "first_name"], name="customer_name"),
            models.Index(fields=["phone"], name="customer_phone"),
            models.Index(fields=["email"], name="customer_email"),
            models.Index(fields=["portal_user_number"], name="customer_portal_user"),
            models.Index(fields=["registered_at"], name="customer_registered_at"),
            models.Index(fields=["kind", "lifecycle"], name="customer_kind_lifecycle"),
        ]

    def __str__(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        return f"{self.customer_number} {name}".strip()


class Contract(models.Model):
    """A postpaid contract or a prepaid service (Annex 1 cat. 8, 10); `last_service_use` drives §34."""

    class Type(models.TextChoices):
        POSTPAID = "postpaid", _("postpaid contract")
        PREPAID = "prepaid", _("prepaid service")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        SUSPENDED = "suspended", _("suspended")
        ENDED = "ended", _("ended")

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("customer")
    )
    number = models.CharField(_("number"), max_length=32, unique=True)
    type = models.CharField(_("type"), max_length=16, choices=Type.choices)
    service_name = models.CharField(_("service"), max_length=200)
    service_address = models.TextField(_("service address"), blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    last_service_use = models.DateField(_("last service use"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)

    history = history()

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("contract or service")
        verbose_name_plural = _("contracts and services")
        indexes = [
            models.Index(fields=["customer", "status"], name="contract_customer_status"),
            models.Index(fields=["type", "last_service_use"], name="contract_type_last_use"),
            models.Index(fields=["start_date"], name="contract_start_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="contract_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.number


class Invoice(models.Model):
    """An invoice (Annex 1 cat. 18): kept 5 years (§31, Accounting Law); an open debt keeps it (§31.2)."""

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("customer")
    )
    contract = models.ForeignKey(
        Contract,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invoices",
        verbose_name=_("contract"),
    )
    number = models.CharField(_("number"), max_length=32, unique=True)
    issue_date = models.DateField(_("issue date"))
    amount = models.DecimalField(_("amount (EUR)"), max_digits=12, decimal_places=2)
    paid_date = models.DateField(_("paid on"), null=True, blank=True)
    outstanding_debt = models.DecimalField(
        _("outstanding debt (EUR)"), max_digits=12, decimal_places=2, default=0
    )
    payer_name = models.CharField(_("payer name"), max_length=200, blank=True)
    billing_address = models.TextField(_("billing address"), blank=True)
    bank_account = models.CharField(_("bank account"), max_length=34, blank=True)
    # §39: set when an erasure keeps the invoice under the Accounting Law (§31) or an open debt (§31.2):
    # a restricted invoice is left out of exports and marketing selectors (catalogue.unrestricted).
    restricted_at = models.DateTimeField(_("restricted since"), null=True, blank=True, editable=False)

    history = history()

    class Meta:
        ordering = ["-issue_date", "-id"]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        indexes = [
            models.Index(fields=["issue_date"], name="invoice_issue_date"),
            models.Index(fields=["customer", "issue_date"], name="invoice_customer_issue_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outstanding_debt__gte=0), name="invoice_debt_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.number


def recording_upload_to(instance: "Recording", filename: str) -> str:
    """Files are named by date and a random part, never by anything personal."""
    import uuid
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()[:8]
    when = instance.recorded_at or timezone.now()
    return f"recordings/{when:%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Recording(models.Model):
    """A call recording, correspondence or video (Annex 1 cat. 13, 25, 26).

    What keeps it depends on its purpose: a conversation or correspondence about service provision,
    maintenance and billing is deleted 6 months after its date (§33); one kept as evidence that a
    contract was concluded orally or that a consent was given (§12.9) is kept while that contract or
    consent is in force and while claims can be pursued (§31.1–31.2); video of premises or events
    (Annex 1 cat. 25) is not §33 and has a rule of its own. The file sits in private storage; only a
    permission-checked view streams it.
    """

    class Kind(models.TextChoices):
        CALL_AUDIO = "call_audio", _("call audio")
        CORRESPONDENCE = "correspondence", _("written correspondence")
        VIDEO = "video", _("video")

    class Channel(models.TextChoices):
        PHONE = "phone", _("phone")
        EMAIL = "email", _("email")
        PORTAL = "portal", _("portal")
        IN_PERSON = "in_person", _("in person")
        CHAT = "chat", _("chat")

    class Purpose(models.TextChoices):
        SERVICE = "service", _("service provision, maintenance and billing (§33)")
        CONTRACT_EVIDENCE = "contract_evidence", _("evidence of an orally concluded contract (§12.9)")
        CONSENT_EVIDENCE = "consent_evidence", _("evidence of a consent given (§12.9)")

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="recordings", verbose_name=_("customer")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.CALL_AUDIO)
    purpose = models.CharField(
        _("purpose"),
        max_length=24,
        choices=Purpose.choices,
        default=Purpose.SERVICE,
        db_default=Purpose.SERVICE,  # rows loaded with COPY or raw SQL are §33's unless marked otherwise
        help_text=_("Decides how long it is kept (§33, §12.9). Video is kept by its own rule."),
    )
    contract = models.ForeignKey(
        Contract,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evidence_recordings",
        verbose_name=_("contract it proves"),
        help_text=_("For evidence of an orally concluded contract (§12.9): kept while it is in force."),
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.PHONE)
    recorded_at = models.DateTimeField(_("recorded at"))
    duration_seconds = models.PositiveIntegerField(_("duration (s)"), default=0)
    file = models.FileField(_("file"), upload_to=recording_upload_to, blank=True, max_length=255)

    history = history()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("recording")
        verbose_name_plural = _("recordings")
        permissions = [("download_recording", _("Can download recording files"))]
        indexes = [
            models.Index(fields=["recorded_at"], name="recording_recorded_at"),
            models.Index(fields=["customer", "recorded_at"], name="recording_customer_recorded"),
            # purge() checks that no other live row still uses a file before deleting it (§33 sweeps).
            models.Index(fields=["file"], name="recording_file"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.recorded_at:%Y-%m-%d %H:%M}"


class Disclosure(models.Model):
    """That a customer's data went to a recipient, and on which ground of §26."""

    class Ground(models.TextChoices):
        CONTRACT = "26.1", _("§26.1 contract or delegated legal function")
        CONSENT = "26.2", _("§26.2 customer's explicit consent")
        LAW = "26.3", _("§26.3 person entitled by law, on justified request")
        DEFENCE = "26.4", _("§26.4 defence of legitimate interests")

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="disclosures", verbose_name=_("customer")
    )
    recipient = models.ForeignKey(
        Recipient, on_delete=models.PROTECT, related_name="disclosures", verbose_name=_("recipient")
    )
    ground = models.CharField(_("ground"), max_length=8, choices=Ground.choices)
    legal_reference = models.CharField(
        _("legal reference"),
        max_length=200,
        blank=True,
        help_text=_(
            "What the disclosure rests on (§26): the contract term that told the customer (26.1), the "
            "consent (26.2), the law entitling the requester (26.3), the proceedings (26.4)."
        ),
    )
    request_reference = models.CharField(
        _("reference of the request"),
        max_length=100,
        blank=True,
        help_text=_(
            "The requester's reference of the request the disclosure answered (not the customer's "
            "details: it stays after an erasure); required for §26.3."
        ),
    )
    disclosed_on = models.DateField(_("disclosed on"))
    data_categories = models.ManyToManyField(
        DataCategory, related_name="disclosures", verbose_name=_("data categories")
    )
    notes = models.TextField(_("notes"), blank=True)

    history = history(m2m_fields=[data_categories])

    class Meta:
        ordering = ["-disclosed_on", "-id"]
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        indexes = [models.Index(fields=["disclosed_on"], name="disclosure_disclosed_on")]

    def __str__(self) -> str:
        return f"{self.recipient} {self.disclosed_on:%Y-%m-%d}"

    def clean(self) -> None:
        """§26: a disclosure names its ground's legal reference; §26.3 answers a justified request of a
        person entitled by law, §26.4 goes to a court or a state institution (an authority); §26.1 goes
        to a contract party (a bank, the distribution operator), not to an authority."""
        errors: dict[str, list] = {}
        if not (self.legal_reference or "").strip():
            errors.setdefault("legal_reference", []).append(
                _("Name what the disclosure rests on (§26): contract term, consent, law or proceedings.")
            )
        if self.ground == self.Ground.LAW and not (self.request_reference or "").strip():
            errors.setdefault("request_reference", []).append(
                _("§26.3: a person entitled by law receives data only on their justified request: name it.")
            )
        role = self.recipient.role if self.recipient_id else None
        authority = Recipient.Role.AUTHORITY
        if self.ground in (self.Ground.LAW, self.Ground.DEFENCE) and role not in (None, authority):
            errors.setdefault("recipient", []).append(
                _(
                    "§26.3 and §26.4: the recipient is a person entitled by law, a court or a state "
                    "institution."
                )
            )
        if self.ground == self.Ground.CONTRACT and role == authority:
            errors.setdefault("recipient", []).append(
                _(
                    "§26.1: the recipient is the party of a contract or of a delegated function, not an "
                    "authority."
                )
            )
        if errors:
            raise ValidationError(errors)


class AccessLog(models.Model):
    """Who opened which personal file and when (§22). Append-only; nobody edits it in the admin.

    Holds ids, never personal data, so it survives an erasure as it is.
    """

    class Action(models.TextChoices):
        DOWNLOAD = "download", _("download")
        REFUSED = "refused", _("refused")

    at = models.DateTimeField(_("at"), default=timezone.now)
    user = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, related_name="file_accesses", verbose_name=_("staff user")
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    object_label = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)

    history = history()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("file access")
        verbose_name_plural = _("file access log")
        indexes = [models.Index(fields=["at"], name="accesslog_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_label}#{self.object_id}"


class LegalHold(models.Model):
    """Keeps a customer's data, or one record, from any deletion while it is in force (§31).

    A hold on a customer blocks every retention rule and erasure for everything of theirs; a hold on
    a single record (content type + id) blocks that record only. `until` empty = until released.
    """

    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="legal_holds",
        verbose_name=_("customer"),
    )
    content_type = models.ForeignKey(
        "contenttypes.ContentType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("record type"),
    )
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    reason = models.TextField(_("reason"))
    set_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("set by"))
    set_at = models.DateTimeField(_("set at"), default=timezone.now)
    until = models.DateField(_("until"), null=True, blank=True, help_text=_("Empty: until released."))
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)

    history = history()

    class Meta:
        ordering = ["-set_at", "-id"]
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        indexes = [models.Index(fields=["content_type", "object_id"], name="legalhold_record")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(customer__isnull=False, content_type__isnull=True, object_id="")
                    | models.Q(customer__isnull=True, content_type__isnull=False) & ~models.Q(object_id="")
                ),
                name="legalhold_customer_or_record",
                violation_error_message=_("A hold is on a customer or on one record, not both."),
            )
        ]

    def __str__(self) -> str:
        target = (
            self.customer_id and f"customer #{self.customer_id}" or f"{self.content_type}#{self.object_id}"
        )
        return f"{_('Hold')}: {target}"


# --- Erasure (§31, §38–39, GDPR Art. 17) ------------------------------------------------------------


class ErasureRecord(models.Model):
    """What one erasure erased, what it kept and why (§38–39): counts and keyed hashes, no personal data.

    The hashes (HMAC-SHA256 with SUPPRESSION_HMAC_KEY) of the customer number and personal code let
    `replay_erasures` find the subject again if they come back from a restored backup.
    """

    uuid = models.UUIDField(_("ledger id"), unique=True, editable=False)
    created_at = models.DateTimeField(_("erased at"), default=timezone.now, editable=False)
    actor = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("erased by"),
    )
    reason = models.CharField(_("reason"), max_length=200)
    request_reference = models.CharField(_("request"), max_length=100, blank=True)
    request_id = models.BigIntegerField(_("request id"), null=True, blank=True)
    subject_id = models.BigIntegerField(
        _("customer id"),
        null=True,
        blank=True,
        help_text=_("Id of the customer row (the tombstone if kept)."),
    )
    tombstone = models.BooleanField(_("customer kept as a tombstone"), default=False)
    erased = models.JSONField(_("erased (rows per model)"), default=dict, blank=True)
    anonymised = models.JSONField(_("anonymised (rows per model)"), default=dict, blank=True)
    kept = models.JSONField(_("kept (rows per model and reason)"), default=dict, blank=True)
    suppressed_channels = models.JSONField(
        _("opt-outs kept in the suppression list"), default=list, blank=True
    )
    customer_number_hash = models.CharField(_("customer number (keyed hash)"), max_length=64, blank=True)
    personal_code_hash = models.CharField(_("personal code (keyed hash)"), max_length=64, blank=True)
    replay_of = models.UUIDField(
        _("replay of erasure"),
        null=True,
        blank=True,
        help_text=_("Set when this erasure repeated an earlier one for a subject restored from a backup."),
    )

    history = history()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("erasure record")
        verbose_name_plural = _("erasure records")
        indexes = [
            models.Index(fields=["created_at"], name="erasure_created_at"),
            models.Index(fields=["customer_number_hash"], name="erasure_customer_number_hash"),
            models.Index(fields=["personal_code_hash"], name="erasure_personal_code_hash"),
            models.Index(fields=["request_id"], name="erasure_request_id"),
        ]

    def __str__(self) -> str:
        return f"{_('Erasure')} #{self.pk} {self.created_at:%Y-%m-%d %H:%M}"


class SuppressionEntry(models.Model):
    """An erased subject's opt-out (§57, §60) as a keyed hash of the contact: no readable personal data."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("email")
        SMS = "sms", _("SMS")
        PHONE = "phone", _("phone call")

    contact_hash = models.CharField(_("contact (keyed hash)"), max_length=64)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    created_at = models.DateTimeField(_("added at"), default=timezone.now, editable=False)
    erasure = models.ForeignKey(
        ErasureRecord,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suppressions",
        verbose_name=_("added by erasure"),
    )

    history = history()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("suppression list entry")
        verbose_name_plural = _("suppression list")
        constraints = [
            models.UniqueConstraint(fields=["channel", "contact_hash"], name="suppression_channel_contact")
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.contact_hash[:12]}…"


class PendingFileDeletion(models.Model):
    """A stored file whose row was erased: deleted from storage after the commit, retried until gone.

    Rows are deleted first, files after the commit (never a row pointing at nothing); a file that cannot
    be deleted stays here, visible in the admin, until `delete_pending_files` succeeds. Storage names are
    random (see recording_upload_to), not personal.
    """

    field = models.CharField(_("file field"), max_length=200, help_text=_("app_label.Model.field"))
    name = models.CharField(_("storage name"), max_length=500)
    queued_at = models.DateTimeField(_("queued at"), default=timezone.now, editable=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    # A transient work queue of random storage names: no history (nothing personal, nothing to audit).
    _history_exempt = True

    class Meta:
        ordering = ["queued_at", "id"]
        verbose_name = _("pending file deletion")
        verbose_name_plural = _("pending file deletions")

    def __str__(self) -> str:
        return f"{self.field}: {self.name}"


class ErasedRow(models.Model):
    """A row an erasure left behind, anonymised or kept under a legal duty (§38–39): ids only.

    Such a row is evidence: its personal fields stay as the erasure left them and it is never attached to
    a customer again (privacy/erasure/guard.py). Anonymised requests and complaints lose their customer
    link, so this mark, not the customer, says what an erasure touched; it outlives the history rows,
    which retention deletes (§32).
    """

    erasure = models.ForeignKey(
        ErasureRecord, on_delete=models.CASCADE, related_name="rows", verbose_name=_("erasure")
    )
    model = models.CharField(_("model"), max_length=100, help_text=_("app_label.Model"))
    object_id = models.CharField(_("object id"), max_length=64)
    how = models.CharField(_("how"), max_length=32, help_text=_("“anonymised” or the reason it was kept"))

    # Ids and reason codes only, written once by the erasure: nothing personal, nothing to audit.
    _history_exempt = True

    class Meta:
        verbose_name = _("row left by an erasure")
        verbose_name_plural = _("rows left by erasures")
        indexes = [models.Index(fields=["model", "object_id"], name="erased_row_object")]
        constraints = [
            models.UniqueConstraint(fields=["erasure", "model", "object_id"], name="erased_row_once")
        ]

    def __str__(self) -> str:
        return f"{self.model} #{self.object_id}"


class Objection(models.Model):
    """§38 "iebilst pret datu apstrādi": the customer objects to one processing based on a legitimate
    interest (§12, GDPR Art. 21(1)). While it stands (received and undecided, or upheld), the selectors
    that feed that processing leave the customer out (`privacy.selectors.objecting_customer_ids`); the
    DPO decides whether compelling legitimate grounds override it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("received, to be decided")
        UPHELD = "upheld", _("upheld: the processing stops")
        OVERRIDDEN = "overridden", _("overridden by compelling legitimate grounds")
        WITHDRAWN = "withdrawn", _("withdrawn by the customer")

    STANDING = (Status.PENDING, Status.UPHELD)

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="objections", verbose_name=_("customer")
    )
    interest = models.ForeignKey(
        LegitimateInterest,
        on_delete=models.PROTECT,
        related_name="objections",
        verbose_name=_("processing objected to (§12)"),
    )
    grounds = models.TextField(
        _("the customer's grounds"), blank=True, help_text=_("Their particular situation, in their words.")
    )
    # The data-subject request it came with (requests_app sits above privacy: its id and reference only).
    request_id = models.BigIntegerField(_("request id"), null=True, blank=True)
    request_reference = models.CharField(_("request"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "privacy.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    history = history()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("objection to processing")
        verbose_name_plural = _("objections to processing")
        permissions = [("decide_objection", _("Can decide objections to processing (§38)"))]
        indexes = [models.Index(fields=["status"], name="objection_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "interest"],
                condition=models.Q(status__in=["pending", "upheld"]),
                name="objection_one_standing_per_interest",
                violation_error_message=_(
                    "The customer already has a standing objection to this processing."
                ),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="overridden") | ~models.Q(decision_reason=""),
                name="objection_override_has_reason",
                violation_error_message=_("Overriding an objection needs the compelling grounds (§38)."),
            ),
        ]

    def __str__(self) -> str:
        return f"{_('objection')} #{self.pk} §{self.interest.clause if self.interest_id else ''}"

    @property
    def stands(self) -> bool:
        return self.status in self.STANDING
