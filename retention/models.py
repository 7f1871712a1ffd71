"""Retention rules (§31–34) and the log of their nightly runs.

Legal holds live in `privacy.LegalHold` (they block erasure as well as retention).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from privacy.history import history


class RetentionRule(models.Model):
    """One retention window of the policy. Created by sync_reference (one row per code); the code decides
    what the sweep does, staff with `retention.change_retentionrule` may lengthen a window or switch a
    rule off, never shorten it below the policy's minimum (`minimum_months`)."""

    class Code(models.TextChoices):
        RECORDINGS = "recordings", _("call recordings and correspondence (§33)")
        PREPAID_CUSTOMERS = "prepaid_customers", _("prepaid-service customers (§34)")
        INVOICES = "invoices", _("invoices (§31, Accounting Law)")
        AUDIT_HISTORY = "audit_history", _("audit history (§32)")
        SECURITY_LOGS = "security_logs", _("access and security logs (§32)")
        FORMER_CUSTOMERS = "former_customers", _("customers with no basis left (§31)")
        DATA_PACKAGES = "data_packages", _("data packages answering requests (§31, §42)")
        EVIDENCE_RECORDINGS = "evidence_recordings", _("recordings kept as evidence (§12.9, §31)")
        VIDEO = "video", _("video of events and premises (Annex 1 cat. 25)")
        OTHER_SUBJECTS = "other_subjects", _("visitors, online users, property owners (§5, §31)")

    class CountsFrom(models.TextChoices):
        RECORDED_AT = "recorded_at", _("recording or correspondence date")
        LAST_SERVICE_USE = "last_service_use", _("end of the last service use")
        ISSUE_DATE = "issue_date", _("invoice date")
        ISSUE_YEAR_END = "issue_year_end", _("end of the calendar year of the invoice date")
        HISTORY_DATE = "history_date", _("date of the history record")
        LOGGED_AT = "logged_at", _("date the log entry was written")
        LAST_BASIS = "last_basis", _("end of the last basis (contract, service use, consent, registration)")
        ANSWERED_ON = "answered_on", _("date the request was answered")
        BASIS_END = "basis_end", _("end of the contract or consent the recording proves")
        REGISTERED_AT = "registered_at", _("registration date")

    class Action(models.TextChoices):
        DELETE = "delete", _("delete the rows (with their history and files)")
        ANONYMISE = "anonymise", _("anonymise the personal fields")
        ERASE = "erase", _("erase the customer through the catalogue (delete or anonymise each record)")

    code = models.CharField(_("code"), max_length=32, choices=Code.choices, unique=True)
    clause = models.CharField(_("policy clause"), max_length=16)
    description = models.TextField(_("description"))
    window_months = models.PositiveSmallIntegerField(
        _("window (months)"),
        null=True,
        blank=True,
        help_text=_("Empty: the policy gives no period and none is set yet; the rule does nothing."),
    )
    fixed = models.BooleanField(
        _("fixed period"),
        default=False,
        editable=False,
        help_text=_(
            "The policy sets the period itself: it cannot be lengthened; only a legal hold keeps longer."
        ),
    )
    minimum_months = models.PositiveSmallIntegerField(
        _("policy minimum (months)"), help_text=_("The window can be lengthened, never shortened below this.")
    )
    extended_window_months = models.PositiveSmallIntegerField(
        _("window for high-security records (months)"),
        null=True,
        blank=True,
        help_text=_("§32: audit records of heightened-security systems."),
    )
    extended_minimum_months = models.PositiveSmallIntegerField(
        _("policy minimum for high-security records (months)"), null=True, blank=True
    )
    counts_from = models.CharField(_("counts from"), max_length=24, choices=CountsFrom.choices)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    enabled = models.BooleanField(
        _("enabled"), default=True, help_text=_("A disabled rule is skipped by the nightly run.")
    )

    history = history()

    class Meta:
        ordering = ["id"]
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        permissions = [("run_retentionrule", _("Can start a retention sweep from the admin"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(window_months__gte=F("minimum_months")) & Q(window_months__lte=1200),
                name="retentionrule_window_within_policy",
                violation_error_message=_("The window cannot be shorter than the policy's minimum."),
            ),
            models.CheckConstraint(
                condition=Q(extended_window_months__isnull=True)
                | Q(extended_window_months__gte=F("extended_minimum_months"))
                & Q(extended_window_months__gte=F("window_months"))
                & Q(extended_window_months__lte=1200),
                name="retentionrule_extended_window_within_policy",
                violation_error_message=_(
                    "The high-security window cannot be shorter than its minimum or the ordinary window."
                ),
            ),
            models.CheckConstraint(
                condition=Q(fixed=False) | Q(window_months=F("minimum_months")),
                name="retentionrule_fixed_window",
                violation_error_message=_("The policy fixes this period: it cannot be changed."),
            ),
            models.CheckConstraint(
                condition=Q(enabled=False) | Q(window_months__isnull=False),
                name="retentionrule_enabled_needs_window",
                violation_error_message=_("Set the period before switching the rule on."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.clause})"

    @property
    def period_set(self) -> bool:
        return self.window_months is not None

    @property
    def policy_words(self) -> str:
        """The clause this rule enforces, in the admin's language (lv: the policy's own words)."""
        from .rules import POLICY_WORDS

        return str(POLICY_WORDS.get(self.code, ""))

    def clean(self) -> None:
        errors = {}
        if (
            self.window_months is not None
            and self.minimum_months
            and self.window_months < self.minimum_months
        ):
            errors["window_months"] = _("%(clause)s: at least %(months)d months.") % {
                "clause": self.clause,
                "months": self.minimum_months,
            }
        if self.extended_window_months is not None:
            floor = max(self.extended_minimum_months or 0, self.window_months or 0)
            if self.extended_window_months < floor:
                errors["extended_window_months"] = _("%(clause)s: at least %(months)d months.") % {
                    "clause": self.clause,
                    "months": floor,
                }
        if self.fixed and self.window_months != self.minimum_months:
            errors["window_months"] = _("%(clause)s fixes the period at %(months)d months.") % {
                "clause": self.clause,
                "months": self.minimum_months,
            }
        if self.enabled and self.window_months is None:
            errors["window_months"] = _(
                "The policy gives no period for this rule: set one before switching it on."
            )
        if errors:
            raise ValidationError(errors)


class KeepReason(models.TextChoices):
    """Why a record past its window was kept. Every rule checks the first five; each rule adds its own."""

    LEGAL_HOLD = "legal_hold", _("legal hold (§31)")
    RESTRICTED = "restricted", _("processing restricted at the customer's request (§38)")
    OPEN_REQUEST = "open_request", _("open data-subject request (§38–41)")
    OPEN_COMPLAINT = "open_complaint", _("open complaint (§43–44)")
    ACTIVE_CONTRACT = "active_contract", _("contract in force (§31)")
    OPEN_DEBT = "open_debt", _("open debt (§31)")
    CONSENT = "consent", _("consent in force (§31)")
    EVIDENCE = "evidence", _("kept as evidence of a contract or consent (§12.9)")
    OTHER_BASIS = "other_basis", _("other legal basis (§31)")


class RetentionRun(models.Model):
    """One sweep of one rule: counts only, never personal data (no names, no record ids).

    Written by the sweep chunk by chunk, in the chunk's own transaction, so a run killed half-way says
    exactly what it did. The run log is itself the audit record of retention and nobody edits it, so it
    has no history of its own (a history row per chunk would double every write for nothing).
    """

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        FINISHED = "finished", _("finished")
        STOPPED = "stopped", _("stopped early (time limit or lost lock); the next run continues")
        INTERRUPTED = "interrupted", _("interrupted (worker died); the next run continues")
        FAILED = "failed", _("failed")

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", _("nightly schedule")
        COMMAND = "command", _("management command")
        ADMIN = "admin", _("admin")

    rule = models.ForeignKey(
        RetentionRule, on_delete=models.PROTECT, related_name="runs", verbose_name=_("rule")
    )
    as_of = models.DateField(_("as of"))
    dry_run = models.BooleanField(_("dry run"), default=False)
    trigger = models.CharField(_("started by"), max_length=16, choices=Trigger.choices)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RUNNING)
    window_months = models.PositiveSmallIntegerField(_("window (months)"))
    cutoff = models.DateField(_("cutoff"), help_text=_("Records counted from this day or earlier were due."))
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    examined = models.PositiveBigIntegerField(_("examined"), default=0)
    deleted = models.PositiveBigIntegerField(_("deleted"), default=0)
    anonymised = models.PositiveBigIntegerField(_("anonymised"), default=0)
    kept = models.PositiveBigIntegerField(_("kept"), default=0)
    kept_by_reason = models.JSONField(_("kept, by reason"), default=dict, blank=True)
    errors = models.PositiveIntegerField(_("errors"), default=0)
    error_log = models.JSONField(
        _("error log"), default=list, blank=True, help_text=_("Error types and database codes, no data.")
    )
    details = models.JSONField(_("details"), default=dict, blank=True, help_text=_("Counts per model."))
    chunks = models.PositiveIntegerField(_("chunks"), default=0)
    longest_chunk_ms = models.PositiveIntegerField(_("longest transaction (ms)"), default=0)

    _history_exempt = True

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        indexes = [
            models.Index(fields=["rule", "as_of"], name="retentionrun_rule_as_of"),
            models.Index(fields=["started_at"], name="retentionrun_started_at"),
            models.Index(fields=["status"], name="retentionrun_status"),
        ]

    def __str__(self) -> str:
        kind = _("dry run") if self.dry_run else _("run")
        return f"{self.rule.code} {kind} {self.as_of:%Y-%m-%d} #{self.pk}"

    @property
    def duration(self):
        return self.finished_at - self.started_at if self.finished_at else None
