"""What each retention rule would handle on a day, and why the rest is kept (§31–34).

A rule is a list of `Target`s: a queryset of the rows past their window and, in priority order, the
reasons that keep some of them. The sweep walks a target in primary-key order, classifying each chunk
in one query (a CASE over the reasons); the admin's preview and the dry run use the same expression,
so preview, dry run and real run count alike.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.apps import apps
from django.conf import settings
from django.db import connections, models
from django.db.models import Case, Count, Exists, Max, OuterRef, Q, Subquery, Sum, Value, When
from django.utils.translation import gettext

from consents.models import Action as ConsentAction
from consents.models import Consent
from privacy import catalogue
from privacy.models import Contract, Customer, Invoice, Recording
from privacy.periods import ACCOUNTING_LAW_MONTHS, accounting_duty_cutoff, open_debt_q, year_end
from privacy.selectors import held_customer_ids, held_record_keys, invalid_record_holds
from requests_app.models import Complaint, ExportPackage, SubjectRequest

from . import cutoffs
from .models import KeepReason, RetentionRule, RetentionRun
from .rules import SUBJECT_KINDS

#: Apps whose history tables the audit_history rule (§32) sweeps.
AUDITED_APPS = ("privacy", "consents", "requests_app", "retention")
#: Annex 1 categories whose models count as high-security by default (§32): special categories,
#: call recordings, access data.
HIGH_SECURITY_CATEGORIES = frozenset({3, 26, 27})
OPEN_COMPLAINT_STATUSES = (Complaint.Status.OPEN, Complaint.Status.ESCALATED)
CONTRACT_IN_FORCE = (Contract.Status.ACTIVE, Contract.Status.SUSPENDED)
#: §12.9: recordings kept as evidence of an oral contract or a consent (not §33's service purpose).
EVIDENCE_PURPOSES = (Recording.Purpose.CONTRACT_EVIDENCE, Recording.Purpose.CONSENT_EVIDENCE)


@dataclass(frozen=True)
class Target:
    """One table a rule sweeps on a given day."""

    label: str
    #: "rows" (deleted set-based), "history" (history rows deleted), "logs" (log rows deleted with their
    #: history, no "-" row) or "customers" (erased one by one)
    kind: str
    queryset: models.QuerySet
    reasons: tuple[tuple[str, Q], ...]
    months: int
    cutoff: datetime.date
    #: pk -> counted-from date, for a first page of candidates (the preview)
    counted_from: Callable[[list], dict] = field(repr=False, default=lambda pks: {})

    @property
    def model(self) -> type[models.Model]:
        return self.queryset.model

    def reason_expression(self) -> Case:
        """'' for a row to handle, else the first reason that keeps it."""
        return self.reason_expression_of(self.reasons)

    @staticmethod
    def reason_expression_of(reasons: tuple[tuple[str, Q], ...]) -> Case:
        return Case(
            *[When(condition, then=Value(reason)) for reason, condition in reasons],
            default=Value(""),
            output_field=models.CharField(),
        )

    def classified(self) -> models.QuerySet:
        return self.queryset.annotate(keep_reason=self.reason_expression())

    def _next(self, *, after, size: int) -> models.QuerySet:
        qs = self.classified()
        if after is not None:
            qs = qs.filter(pk__gt=after)
        return qs.order_by("pk").values_list("pk", "keep_reason")[:size]

    def chunk(self, *, after, size: int) -> list[tuple]:
        """The next `size` candidates after primary key `after`, as (pk, keep reason) in pk order."""
        return list(self._next(after=after, size=size))

    @cached_property
    def _classified_sql(self) -> tuple[str, tuple]:
        """The classified candidates as SQL of (pk, keep reason), compiled once for all the chunks (the
        database flattens it into each chunk's query, so `pk > after` still walks the primary key)."""
        return self.classified().order_by().values_list("pk", "keep_reason").query.sql_with_params()

    def chunk_summary(self, *, after, size: int) -> ChunkSummary | None:
        """The same chunk, summarised in the database: its last pk, how many rows, the pks to handle and
        the reasons of the kept ones. One row back instead of thousands (None when nothing is left)."""
        connection = connections[self.queryset.db]
        if connection.vendor != "postgresql":
            rows = list(self._next(after=after, size=size))
            return ChunkSummary.of(rows) if rows else None
        sql, params = self._classified_sql
        where, after_params = ("WHERE c.pk > %s ", [after]) if after is not None else ("", [])
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*), max(pk), array_agg(pk) FILTER (WHERE keep_reason = ''), "  # noqa: S608
                "array_agg(keep_reason) FILTER (WHERE keep_reason <> '') "
                f"FROM (SELECT c.pk, c.keep_reason FROM ({sql}) AS c (pk, keep_reason) {where}"
                "ORDER BY c.pk LIMIT %s) AS chunk",
                [*params, *after_params, size],
            )
            examined, last_pk, handle, kept = cursor.fetchone()
        if not examined:
            return None
        return ChunkSummary(last_pk=last_pk, examined=examined, handle=handle or [], kept=Counter(kept or []))


@dataclass
class ChunkSummary:
    last_pk: object
    examined: int
    handle: list
    kept: Counter

    @classmethod
    def of(cls, rows: list[tuple]) -> ChunkSummary:
        """From (pk, keep reason) rows in pk order."""
        return cls(
            last_pk=rows[-1][0],
            examined=len(rows),
            handle=[pk for pk, reason in rows if not reason],
            kept=Counter(reason for _pk, reason in rows if reason),
        )


# --- Who is kept, as subqueries of customer ids ------------------------------------------------------


def hold_day(as_of: datetime.date) -> datetime.date:
    """A hold blocks if it is in force today or on the as-of day (a re-run for a past day, a preview)."""
    return min(as_of, cutoffs.today())


def _record_holds(model: type[models.Model], on: datetime.date, lookup: str = "pk") -> Q:
    """Rows of `model` under a hold in force on one record. A hold whose id cannot be a key of
    `model` names no row: it is left out here (never failing the rule) and reported in the run."""
    keys = held_record_keys(model, on=on)
    if not keys:
        return Q(pk__in=[])
    return Q(**{f"{lookup}__in": sorted(keys, key=str)})


def _customer_reasons(path: str, on: datetime.date) -> list[tuple[str, Q]]:
    """Reasons every rule checks on the customer behind a row (`path` leads to the customer id).

    Small sets (holds, open requests and complaints) are IN-subqueries, hashed once per chunk; facts
    about the customer row itself are a join or an index probe, never a scan of all customers.
    """
    if path in ("pk", "id"):
        restricted = Q(
            Exists(Customer.objects.filter(pk=OuterRef(path), restricted_since__isnull=False).values("pk"))
        )
    else:
        restricted = Q(**{f"{path}__restricted_since__isnull": False})
    open_requests = SubjectRequest.objects.filter(
        status__in=SubjectRequest.OPEN_STATUSES, customer__isnull=False
    ).values("customer_id")
    open_complaints = Complaint.objects.filter(
        status__in=OPEN_COMPLAINT_STATUSES, customer__isnull=False
    ).values("customer_id")
    return [
        (KeepReason.LEGAL_HOLD, Q(**{f"{path}__in": held_customer_ids(on=on)})),
        (KeepReason.RESTRICTED, restricted),
        (KeepReason.OPEN_REQUEST, Q(**{f"{path}__in": open_requests})),
        (KeepReason.OPEN_COMPLAINT, Q(**{f"{path}__in": open_complaints})),
    ]


def _merge(reasons: list[tuple[str, Q]], extra: dict[str, Q]) -> tuple[tuple[str, Q], ...]:
    """OR extra conditions into reasons of the same name (a record hold joins the customer hold)."""
    merged = [(reason, condition | extra.pop(reason, Q(pk__in=[]))) for reason, condition in reasons]
    return tuple(merged + list(extra.items()))


def _use_after(cutoff: datetime.date) -> Q:
    """Contracts whose service use ended after `cutoff`: the later of last use and end date, or the
    start date of one never used and never ended."""
    return (
        Q(last_service_use__gt=cutoff)
        | Q(end_date__gt=cutoff)
        | Q(last_service_use__isnull=True, end_date__isnull=True, start_date__gt=cutoff)
    )


def _latest(values) -> datetime.date | None:
    values = [v.date() if isinstance(v, datetime.datetime) else v for v in values if v is not None]
    return max(values) if values else None


def _customer_dates(pks: list, *, prepaid_only: bool) -> dict:
    """Per customer: the end of their last basis. §34 (`prepaid_only`): the end of use of their last
    prepaid service. §31: the latest of registration, the end of any service use and their last
    consent decision (a withdrawal ends the basis it gave)."""
    contracts = Contract.objects.filter(customer_id__in=pks)
    if prepaid_only:
        contracts = contracts.filter(type=Contract.Type.PREPAID)
    use_end = {}
    for customer_id, last_use, end, start in contracts.values_list(
        "customer_id", "last_service_use", "end_date", "start_date"
    ):
        when = _latest([last_use, end]) or start
        use_end[customer_id] = _latest([use_end.get(customer_id), when])
    if prepaid_only:
        return {pk: use_end.get(pk) for pk in pks}
    last_consent = dict(
        Consent.objects.filter(customer_id__in=pks)
        .values("customer_id")
        .annotate(last=Max("occurred_at"))
        .values_list("customer_id", "last")
    )
    result = {}
    for pk, registered_at in Customer.objects.filter(pk__in=pks).values_list("pk", "registered_at"):
        consent = last_consent.get(pk)
        dates = [use_end.get(pk), cutoffs.local_date(registered_at), consent and cutoffs.local_date(consent)]
        result[pk] = _latest(dates)
    return result


# --- The rules ----------------------------------------------------------------------------------------


def _recordings(rule: RetentionRule, as_of: datetime.date) -> list[Target]:
    """§33: recordings and correspondence about service provision, maintenance and billing, 6 months
    after the recording date (a fixed period: only a hold keeps one longer). Recordings kept as
    evidence (§12.9) are counted as kept for that purpose; video (Annex 1 cat. 25) is not §33."""
    on = hold_day(as_of)
    qs = Recording.objects.filter(recorded_at__lt=cutoffs.expiry_instant(as_of, rule.window_months)).exclude(
        kind=Recording.Kind.VIDEO
    )
    hold, *others = _merge(
        _customer_reasons("customer", on), {KeepReason.LEGAL_HOLD: _record_holds(Recording, on)}
    )
    # One comparison per row (the sweep's speed): every purpose but §33's is an evidence purpose.
    reasons = (hold, (KeepReason.EVIDENCE, ~Q(purpose=Recording.Purpose.SERVICE)), *others)
    return [_recording_target(rule, as_of, qs, reasons)]


def _recording_dates(pks) -> dict:
    rows = Recording.objects.filter(pk__in=pks).values_list("pk", "recorded_at")
    return {pk: cutoffs.local_date(at) for pk, at in rows}


def _rows_target(rule: RetentionRule, queryset, reasons, *, cutoff: datetime.date, counted_from) -> Target:
    """A table whose due rows `rule` deletes set-based, counted from `counted_from`'s dates."""
    return Target(
        label=queryset.model._meta.label,
        kind="rows",
        queryset=queryset,
        reasons=reasons,
        months=rule.window_months,
        cutoff=cutoff,
        counted_from=counted_from,
    )


def _recording_target(rule: RetentionRule, as_of: datetime.date, qs, reasons) -> Target:
    """Recordings due under `rule`, counted from their recording date (§33, Annex 1 cat. 25)."""
    cutoff = cutoffs.cutoff_date(as_of, rule.window_months)
    return _rows_target(rule, qs, reasons, cutoff=cutoff, counted_from=_recording_dates)


def _video(rule: RetentionRule, as_of: datetime.date) -> list[Target]:
    """Annex 1 cat. 25: video of customer events and CCTV of premises, `window` months after the
    recording date. Not §33: the policy gives no period, so the DPO sets it (no period, no targets)."""
    on = hold_day(as_of)
    qs = Recording.objects.filter(
        kind=Recording.Kind.VIDEO, recorded_at__lt=cutoffs.expiry_instant(as_of, rule.window_months)
    )
    reasons = _merge(_customer_reasons("customer", on), {KeepReason.LEGAL_HOLD: _record_holds(Recording, on)})
    return [_recording_target(rule, as_of, qs, reasons)]


def _evidence_recordings(rule: RetentionRule, as_of: datetime.date) -> list[Target]:
    """§12.9, §31.1–31.2: a recording kept as evidence of an oral contract or of a consent is kept while
    that contract (or a consent of the customer) is in force and then `window` months while claims can
    be pursued, counted from the contract's end (or the recording date when no contract is linked) or
    from the customer's last consent decision; then deleted."""
    on = hold_day(as_of)
    expiry = cutoffs.expiry_instant(as_of, rule.window_months)
    cutoff = cutoffs.cutoff_date(as_of, rule.window_months)
    recent_consent = Consent.objects.filter(customer=OuterRef("customer"), occurred_at__gte=expiry)
    qs = (
        Recording.objects.filter(purpose__in=EVIDENCE_PURPOSES, recorded_at__lt=expiry)
        .exclude(kind=Recording.Kind.VIDEO)
        .exclude(purpose=Recording.Purpose.CONTRACT_EVIDENCE, contract__end_date__gt=cutoff)
        .exclude(Q(purpose=Recording.Purpose.CONSENT_EVIDENCE) & Q(Exists(recent_consent)))
    )
    given = Consent.objects.filter(customer=OuterRef("customer"), status=ConsentAction.GIVEN)
    hold, *others = _merge(
        _customer_reasons("customer", on), {KeepReason.LEGAL_HOLD: _record_holds(Recording, on)}
    )
    reasons = (
        hold,
        (
            KeepReason.ACTIVE_CONTRACT,
            Q(purpose=Recording.Purpose.CONTRACT_EVIDENCE, contract__status__in=CONTRACT_IN_FORCE),
        ),
        (KeepReason.CONSENT, Q(purpose=Recording.Purpose.CONSENT_EVIDENCE) & Q(Exists(given))),
        (
            KeepReason.OPEN_DEBT,
            Q(Exists(Invoice.objects.filter(open_debt_q(), customer=OuterRef("customer")))),
        ),
        *others,
    )

    def counted_from(pks):
        dates = _recording_dates(pks)
        for pk, end in Recording.objects.filter(pk__in=pks, contract__end_date__isnull=False).values_list(
            "pk", "contract__end_date"
        ):
            dates[pk] = _latest([dates.get(pk), end])
        return dates

    return [_rows_target(rule, qs, reasons, cutoff=cutoff, counted_from=counted_from)]


def _invoice_reasons(on: datetime.date) -> tuple[tuple[str, Q], ...]:
    """What keeps an invoice past its window (§31, §31.2): a debt open on it comes right after a hold."""
    hold, *others = _merge(
        _customer_reasons("customer", on), {KeepReason.LEGAL_HOLD: _record_holds(Invoice, on)}
    )
    return (hold, (KeepReason.OPEN_DEBT, open_debt_q()), *others)


def _invoices(rule: RetentionRule, as_of: datetime.date) -> list[Target]:
    """§31.3: invoices, 5 years (Accounting Law: "at least") counted from the end of the calendar year of
    the invoice date, unless a debt on them is open.

    The Accounting Law's duty and the open debt are erasure's rules too (privacy/periods.py): the rule's
    window may lengthen the duty, never shorten it.
    """
    cutoff = min(accounting_duty_cutoff(as_of, rule.window_months), accounting_duty_cutoff(as_of))
    reasons = _invoice_reasons(hold_day(as_of))

    def counted_from(pks):
        return {
            pk: year_end(day)
            for pk, day in Invoice.objects.filter(pk__in=pks).values_list("pk", "issue_date")
        }

    qs = Invoice.objects.filter(issue_date__lte=cutoff)
    return [_rows_target(rule, qs, reasons, cutoff=cutoff, counted_from=counted_from)]


@dataclass(frozen=True)
class InvoiceRetention:
    """Why one invoice is still held and until when, as the `invoices` rule's sweep decides (§31)."""

    #: the last day the Accounting Law, or the rule's longer window, keeps it (§31.3)
    until: datetime.date
    #: the first reason that keeps it beyond that day, in the sweep's order ("" none)
    keep_reason: str
    #: the as-of day of the nightly run that deletes it (None: nothing deletes it yet)
    due_on: datetime.date | None
    #: whether `until` has passed for the next nightly run
    past_window: bool

    @property
    def kept(self) -> bool:
        return self.due_on is None

    def __str__(self) -> str:
        until = self.until.isoformat()
        duty = gettext("Accounting Law (§31.3)")
        reason = KeepReason(self.keep_reason).label if self.keep_reason else ""
        if not self.past_window and not reason:
            return gettext("kept until %(until)s: %(why)s") % {"until": until, "why": duty}
        if not self.past_window:
            return gettext("kept at least until %(until)s: %(why)s") % {
                "until": until,
                "why": f"{duty}; {reason}",
            }
        if reason:
            return gettext("kept past %(until)s while this lasts: %(why)s") % {"until": until, "why": reason}
        if self.due_on is not None:
            return gettext("due: deleted by the run of %(day)s (kept until %(until)s)") % {
                "day": self.due_on.isoformat(),
                "until": until,
            }
        return gettext("past its window (%(until)s); kept while the invoices rule is off") % {"until": until}


class InvoiceKeeping:
    """The `invoices` rule (§31, §31.2, §31.3) as the screens show it, for the nightly run to come: the
    same reasons to keep, in the same order, and the same dates as the sweep. `annotate` adds the
    reasons and the rule's window to the invoices' own query (one query more, for the record holds)."""

    def __init__(self) -> None:
        self.as_of = cutoffs.next_nightly_as_of()

    def annotate(self, queryset: models.QuerySet) -> models.QuerySet:
        """`queryset` of invoices with `keep_reason` ('' or the first reason that keeps each one) and
        the invoices rule's window and switch (None when the rule is missing)."""
        rule = RetentionRule.objects.filter(code=RetentionRule.Code.INVOICES)
        reasons = _invoice_reasons(hold_day(self.as_of))
        return queryset.annotate(
            keep_reason=Target.reason_expression_of(reasons),
            rule_window=Subquery(rule.values("window_months")[:1]),
            rule_enabled=Subquery(rule.values("enabled")[:1]),
        )

    def of(self, invoice: Invoice) -> InvoiceRetention:
        """`invoice` must come from `annotate`. The rule's window may lengthen the Accounting Law's duty,
        never shorten it (`_invoices`)."""
        months = max(invoice.rule_window or 0, ACCOUNTING_LAW_MONTHS)
        try:
            until = cutoffs.window_end(year_end(invoice.issue_date), months)
        except ValueError:  # an invoice dated in the calendar's last years: kept past its end
            until = datetime.date.max
        past = until < self.as_of
        runs = bool(invoice.rule_enabled) and invoice.rule_window is not None
        due = self.as_of if past and not invoice.keep_reason and runs else None
        return InvoiceRetention(until=until, keep_reason=invoice.keep_reason, due_on=due, past_window=past)


def _customer_keep_reasons(
    on: datetime.date, *, own_contracts: Q | None = None, extra: dict[str, Q] | None = None
) -> tuple[tuple[str, Q], ...]:
    """§31: what keeps a customer whose window has passed (index probes per candidate customer).

    `own_contracts` narrows which of the customer's own contracts in force keep them (§34: a prepaid
    service's use, not its status, decides; only a postpaid contract in force keeps).
    """

    def in_force(customer, narrow: Q | None = None):
        return Exists(Contract.objects.filter(narrow or Q(), customer=customer, status__in=CONTRACT_IN_FORCE))

    base = _customer_reasons("pk", on)
    extra = {
        **(extra or {}),
        KeepReason.LEGAL_HOLD: _record_holds(Customer, on),
        # A contact person or payer is kept while the customer they act for has a contract in force.
        KeepReason.ACTIVE_CONTRACT: Q(in_force(OuterRef("pk"), own_contracts))
        | Q(in_force(OuterRef("belongs_to"))),
        KeepReason.OPEN_DEBT: Q(Exists(Invoice.objects.filter(open_debt_q(), customer=OuterRef("pk")))),
        KeepReason.CONSENT: Q(
            Exists(Consent.objects.filter(customer=OuterRef("pk"), status=ConsentAction.GIVEN))
        ),
    }
    return _merge(base, extra)


def _prepaid_customers(rule: RetentionRule, as_of: datetime.date) -> list[Target]:
    """§34: "Priekšapmaksas pakalpojumu klientu dati tiek glabāti 2 gadus pēc pakalpojuma lietošanas
    beigām": customers with prepaid services, 2 years after the end of use of their last one.

    The end of use is the latest of its last use and its end date (its start, if never used nor
    ended), whatever its status says: a prepaid service unused for 2 years has ended its use. With
    several, the latest counts. Postpaid contracts do not exclude the customer: one in force keeps
    them (a keep reason), one ended and settled does not.
    """
    cutoff = cutoffs.cutoff_date(as_of, rule.window_months)
    prepaid = Contract.objects.filter(customer=OuterRef("pk"), type=Contract.Type.PREPAID)
    qs = (
        Customer.objects.filter(status=Customer.Status.ACTIVE)
        .filter(Exists(prepaid))
        .exclude(Exists(prepaid.filter(_use_after(cutoff))))
    )
    return [
        Target(
            label=Customer._meta.label,
            kind="customers",
            queryset=qs,
            reasons=_customer_keep_reasons(hold_day(as_of), own_contracts=~Q(type=Contract.Type.PREPAID)),
            months=rule.window_months,
            cutoff=cutoff,
            counted_from=lambda pks: _customer_dates(pks, prepaid_only=True),
        )
    ]


def _subjects_past(kinds, rule: RetentionRule, as_of: datetime.date) -> models.QuerySet:
    """§31: subjects of `kinds` whose every basis with a date ended on or before the rule's cutoff:
    registration, the end of use of every contract and their last consent decision (a consent
    withdrawn after the cutoff is too recent; one in force is a keep reason)."""
    cutoff = cutoffs.cutoff_date(as_of, rule.window_months)
    expiry = cutoffs.expiry_instant(as_of, rule.window_months)
    return (
        Customer.objects.filter(status=Customer.Status.ACTIVE, kind__in=kinds, registered_at__lt=expiry)
        .exclude(Exists(Contract.objects.filter(_use_after(cutoff), customer=OuterRef("pk"))))
        .exclude(Exists(Consent.objects.filter(customer=OuterRef("pk"), occurred_at__gte=expiry)))
    )


def _former_customers(rule: RetentionRule, as_of: datetime.date) -> list[Target]:
    """§31: "Pēc tam, kad nepastāv neviens no datu apstrādes tiesiskajiem pamatiem, Klienta personas
    dati tiek dzēsti." Subscribers, contact persons, payers and marketing or survey participants (§5.1,
    §5.4, §61) are erased by the first nightly run after their last basis ended (window 0 unless the
    DPO lengthens it): one kept only by consent goes the night after their last consent is withdrawn.

    No 5-year period for the person: the Accounting Law keeps their invoices (§31.3), which erasure
    keeps on a tombstone. Customers with prepaid services are §34's (2 years after the end of use).
    """
    qs = _subjects_past(SUBJECT_KINDS[RetentionRule.Code.FORMER_CUSTOMERS], rule, as_of).exclude(
        Exists(Contract.objects.filter(customer=OuterRef("pk"), type=Contract.Type.PREPAID))
    )
    return [
        Target(
            label=Customer._meta.label,
            kind="customers",
            queryset=qs,
            reasons=_customer_keep_reasons(hold_day(as_of)),
            months=rule.window_months,
            cutoff=cutoffs.cutoff_date(as_of, rule.window_months),
            counted_from=lambda pks: _customer_dates(pks, prepaid_only=False),
        )
    ]


def _other_subjects(rule: RetentionRule, as_of: datetime.date) -> list[Target]:
    """§31, §5.2, §5.3, §5.5: visitors of premises, website and app users and callers, and owners of
    property carrying the network, `window` months after their last basis (registration, contract,
    consent) unless something keeps them. A property owner marked current is kept: the network on
    their property is a basis of its own (§9.6). The policy gives no period: the DPO sets it."""
    current_owner = Q(kind=Customer.Kind.PROPERTY_OWNER) & ~Q(lifecycle=Customer.Lifecycle.FORMER)
    return [
        Target(
            label=Customer._meta.label,
            kind="customers",
            queryset=_subjects_past(SUBJECT_KINDS[RetentionRule.Code.OTHER_SUBJECTS], rule, as_of),
            reasons=_customer_keep_reasons(hold_day(as_of), extra={KeepReason.OTHER_BASIS: current_owner}),
            months=rule.window_months,
            cutoff=cutoffs.cutoff_date(as_of, rule.window_months),
            counted_from=lambda pks: _customer_dates(pks, prepaid_only=False),
        )
    ]


def high_security_labels() -> set[str]:
    """§32: models whose audit records are kept 18 months: catalogue entries marked high-security or
    holding special-category, call-recording or access data, plus RETENTION_HIGH_SECURITY_MODELS."""
    labels = set(settings.RETENTION_HIGH_SECURITY_MODELS)
    for entry in catalogue.entries():
        if entry.high_security or HIGH_SECURITY_CATEGORIES & set(entry.fields.values()):
            labels.add(entry.label)
    return labels


def audited_models() -> list[type[models.Model]]:
    """Models of our apps that keep simple-history audit records, in label order."""
    tracked = [
        model
        for app in AUDITED_APPS
        for model in apps.get_app_config(app).get_models()
        if hasattr(model, "history") and getattr(model.history, "model", None) is not None
    ]
    return sorted(tracked, key=lambda model: model._meta.label)


def _audit_history(rule: RetentionRule, as_of: datetime.date) -> list[Target]:
    """§32: history rows 18 months after they were written in a heightened-security system (the
    default), else 12 months, 18 for high-security models. A deleted row's history rows stay until then
    (purge removes their personal fields)."""
    on = hold_day(as_of)
    high = high_security_labels()
    targets = []
    for model in audited_models():
        hmodel = model.history.model
        months = rule.window_months
        if rule.extended_window_months and (
            settings.RETENTION_HEIGHTENED_SECURITY_SYSTEM or model._meta.label in high
        ):
            months = rule.extended_window_months
        entry = catalogue.entry_for(model)
        reasons: tuple[tuple[str, Q], ...]
        if entry is not None:
            path = entry.customer_path or "id"
            reasons = _merge(
                _customer_reasons(path, on), {KeepReason.LEGAL_HOLD: _record_holds(model, on, lookup="id")}
            )
        else:
            reasons = ((KeepReason.LEGAL_HOLD, _record_holds(model, on, lookup="id")),)

        def counted_from(pks, hmodel=hmodel):
            rows = hmodel.objects.filter(pk__in=pks).values_list("pk", "history_date")
            return {pk: cutoffs.local_date(at) for pk, at in rows}

        targets.append(
            Target(
                label=hmodel._meta.label,
                kind="history",
                queryset=hmodel.objects.filter(history_date__lt=cutoffs.expiry_instant(as_of, months)),
                reasons=reasons,
                months=months,
                cutoff=cutoffs.cutoff_date(as_of, months),
                counted_from=counted_from,
            )
        )
    return targets


#: §32: the access and security logs, as (model label, the field holding when each entry was written).
SECURITY_LOGS = (
    ("privacy.AccessLog", "at"),
    ("axes.AccessAttempt", "attempt_time"),
    ("axes.AccessLog", "attempt_time"),
    ("axes.AccessFailureLog", "attempt_time"),
    ("admin.LogEntry", "action_time"),
)


def _security_logs(rule: RetentionRule, as_of: datetime.date) -> list[Target]:
    """§32: access and security logs 18 months after they were written in a heightened-security system
    (the default), else 12 months; a legal hold on an entry keeps it."""
    on = hold_day(as_of)
    months = rule.window_months
    if settings.RETENTION_HEIGHTENED_SECURITY_SYSTEM and rule.extended_window_months:
        months = rule.extended_window_months
    targets = []
    for label, written in SECURITY_LOGS:
        model = apps.get_model(label)

        def counted_from(pks, model=model, written=written):
            rows = model.objects.filter(pk__in=pks).values_list("pk", written)
            return {pk: cutoffs.local_date(at) for pk, at in rows}

        targets.append(
            Target(
                label=model._meta.label,
                kind="logs",
                queryset=model.objects.filter(**{f"{written}__lt": cutoffs.expiry_instant(as_of, months)}),
                reasons=((KeepReason.LEGAL_HOLD, _record_holds(model, on)),),
                months=months,
                cutoff=cutoffs.cutoff_date(as_of, months),
                counted_from=counted_from,
            )
        )
    return targets


def _data_packages(rule: RetentionRule, as_of: datetime.date) -> list[Target]:
    """§31, §42: a data package has served its purpose once the answer went out: deleted with its file
    `window` months after its request was answered (never while the request is unanswered). A hold
    on the package or on its request keeps it, as do the reasons every rule checks on the customer."""
    on = hold_day(as_of)
    cutoff = cutoffs.cutoff_date(as_of, rule.window_months)
    reasons = _merge(
        _customer_reasons("request__customer", on),
        {
            KeepReason.LEGAL_HOLD: _record_holds(ExportPackage, on)
            | _record_holds(SubjectRequest, on, lookup="request")
        },
    )

    def counted_from(pks):
        return dict(ExportPackage.objects.filter(pk__in=pks).values_list("pk", "request__answered_on"))

    qs = ExportPackage.objects.filter(request__answered_on__lte=cutoff)
    return [_rows_target(rule, qs, reasons, cutoff=cutoff, counted_from=counted_from)]


_BUILDERS = {
    RetentionRule.Code.RECORDINGS: _recordings,
    RetentionRule.Code.PREPAID_CUSTOMERS: _prepaid_customers,
    RetentionRule.Code.INVOICES: _invoices,
    RetentionRule.Code.AUDIT_HISTORY: _audit_history,
    RetentionRule.Code.SECURITY_LOGS: _security_logs,
    RetentionRule.Code.FORMER_CUSTOMERS: _former_customers,
    RetentionRule.Code.DATA_PACKAGES: _data_packages,
    RetentionRule.Code.EVIDENCE_RECORDINGS: _evidence_recordings,
    RetentionRule.Code.VIDEO: _video,
    RetentionRule.Code.OTHER_SUBJECTS: _other_subjects,
}


def held_labels(targets: list[Target]) -> set[str]:
    """Labels of the models whose record holds keep rows of these targets (a history table's rows are
    kept by holds on its model's records)."""
    labels = set()
    for target in targets:
        model = getattr(target.model, "instance_type", None) or target.model
        labels.add(model._meta.label)
    if any(target.model is ExportPackage for target in targets):
        labels.add(SubjectRequest._meta.label)  # a hold on the request keeps its packages
    return labels


def rule_invalid_holds(*, targets: list[Target], as_of: datetime.date) -> list[dict]:
    """Holds in force on a record of these targets that name no record (§31), as run-log entries:
    the hold's id and why, never the id typed (it may be a customer number or a name)."""
    return [
        {"target": f"{hold._meta.label}#{hold.pk}", "error": "InvalidLegalHold", "code": problem}
        for hold, problem in invalid_record_holds(on=hold_day(as_of), labels=held_labels(targets))
    ]


def rule_targets(*, rule: RetentionRule, as_of: datetime.date) -> list[Target]:
    """The tables `rule` sweeps on `as_of`, with the rows past their window and the reasons to keep."""
    try:
        builder = _BUILDERS[rule.code]
    except KeyError:
        raise ValueError(f"retention rule {rule.code!r} has no sweep") from None
    if rule.window_months is None:
        return []  # the policy gives no period and the DPO has set none: the rule does nothing
    return builder(rule, as_of)


def rule_keep_reasons(rule: RetentionRule, as_of: datetime.date) -> list[str]:
    """The reasons `rule` checks, in its priority order (each counted in its preview and runs, 0 too)."""
    seen: list[str] = []
    for target in rule_targets(rule=rule, as_of=as_of):
        seen += [reason for reason, _condition in target.reasons if reason not in seen]
    return seen


# --- Preview and reports --------------------------------------------------------------------------


@dataclass
class PreviewRow:
    label: str
    pk: object
    counted_from: datetime.date | None
    keep_reason: str

    @property
    def keep_reason_label(self) -> str:
        return KeepReason(self.keep_reason).label if self.keep_reason else ""


@dataclass
class Preview:
    rule: RetentionRule
    as_of: datetime.date
    examined: int = 0
    to_handle: int = 0
    kept_by_reason: dict[str, int] = field(default_factory=dict)
    per_target: list[tuple[str, int, int, datetime.date]] = field(default_factory=list)
    first_page: list[PreviewRow] = field(default_factory=list)
    #: every reason the rule checks, in its priority order
    reasons: list[str] = field(default_factory=list)

    @property
    def kept(self) -> int:
        return sum(self.kept_by_reason.values())

    def kept_rows(self) -> list[tuple[str, int]]:
        """(label, count) for every reason the rule checks, 0 included, then any other one counted."""
        order = self.reasons + sorted(set(self.kept_by_reason) - set(self.reasons))
        return [(KeepReason(reason).label, self.kept_by_reason.get(reason, 0)) for reason in order]


def rule_preview(*, rule: RetentionRule, as_of: datetime.date, page_size: int = 50) -> Preview:
    """What a run on `as_of` would do: counts by reason (one aggregate query per table) and the first
    candidates to handle, by id with their counted-from date. Ids and dates only: no personal data."""
    preview = Preview(rule=rule, as_of=as_of)
    for target in rule_targets(rule=rule, as_of=as_of):
        preview.reasons += [reason for reason, _condition in target.reasons if reason not in preview.reasons]
        counts = dict(
            target.classified()
            .order_by()
            .values("keep_reason")
            .annotate(n=Count("pk"))
            .values_list("keep_reason", "n")
        )
        examined = sum(counts.values())
        handle = counts.pop("", 0)
        preview.examined += examined
        preview.to_handle += handle
        for reason, count in counts.items():
            preview.kept_by_reason[reason] = preview.kept_by_reason.get(reason, 0) + count
        preview.per_target.append((target.label, examined, handle, target.cutoff))
        room = page_size - len(preview.first_page)
        if room > 0 and handle:
            pks = list(
                target.classified().filter(keep_reason="").order_by("pk").values_list("pk", flat=True)[:room]
            )
            dates = target.counted_from(pks)
            preview.first_page += [PreviewRow(target.label, pk, dates.get(pk), "") for pk in pks]
    return preview


def last_runs() -> dict[int, RetentionRun]:
    """The latest real (not dry) run of each rule."""
    latest = RetentionRun.objects.filter(dry_run=False, rule=OuterRef("rule")).order_by("-started_at", "-id")
    runs = RetentionRun.objects.filter(pk=Subquery(latest.values("pk")[:1])).select_related("rule")
    return {run.rule_id: run for run in runs}


def deletions_per_night(*, days: int = 30, until: datetime.date | None = None) -> dict[str, list]:
    """Rows deleted or anonymised by real runs, per rule code and as-of night: {code: [(day, n), ...]}
    for every night of the period (0 where nothing ran), oldest first."""
    until = until or cutoffs.today()
    start = until - datetime.timedelta(days=days - 1)
    totals = (
        RetentionRun.objects.filter(dry_run=False, as_of__gte=start, as_of__lte=until)
        .values("rule__code", "as_of")
        .annotate(n=Sum("deleted") + Sum("anonymised"))
    )
    by_rule: dict[str, dict] = {code: {} for code in RetentionRule.objects.values_list("code", flat=True)}
    for row in totals:
        by_rule.setdefault(row["rule__code"], {})[row["as_of"]] = row["n"] or 0
    nights = [start + datetime.timedelta(days=offset) for offset in range(days)]
    return {
        code: [(night, per_night.get(night, 0)) for night in nights] for code, per_night in by_rule.items()
    }


def subject_next_deletions(customer: Customer) -> dict[str, datetime.date]:
    """For one customer, the day each enabled rule next deletes some of their data (§31, §33, §34):
    the day after the window of their oldest record ends (the first nightly run past it). The access
    answer shows it (GDPR Art. 15(1)(d)); a rule with nothing of theirs due gives no date."""
    rules = {rule.code: rule.window_months for rule in RetentionRule.objects.filter(enabled=True)}
    dates: dict[str, datetime.date] = {}

    def due(day: datetime.date, months: int) -> datetime.date:
        return cutoffs.window_end(day, months) + cutoffs.ONE_DAY

    months = rules.get(RetentionRule.Code.RECORDINGS)
    if months is not None:
        oldest = Recording.objects.filter(customer=customer).order_by("recorded_at").first()
        if oldest is not None:
            dates[RetentionRule.Code.RECORDINGS] = due(cutoffs.local_date(oldest.recorded_at), months)
    months = rules.get(RetentionRule.Code.INVOICES)
    if months is not None:
        oldest = (
            Invoice.objects.filter(customer=customer).exclude(open_debt_q()).order_by("issue_date").first()
        )
        if oldest is not None:
            # §31.3: counted from the end of the invoice date's calendar year, as the sweep counts it.
            dates[RetentionRule.Code.INVOICES] = due(year_end(oldest.issue_date), months)
    months = rules.get(RetentionRule.Code.PREPAID_CUSTOMERS)
    contracts = list(Contract.objects.filter(customer=customer))
    if months is not None and contracts and all(c.type == Contract.Type.PREPAID for c in contracts):
        last_use = [c.last_service_use for c in contracts]
        if all(day is not None for day in last_use):
            dates[RetentionRule.Code.PREPAID_CUSTOMERS] = due(max(last_use), months)
    return dates
