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

from consents.models import Action as ConsentAction
from consents.models import Consent
from privacy import catalogue
from privacy.models import Contract, Customer, Invoice, Recording
from privacy.periods import accounting_duty_cutoff, open_debt_q
from privacy.selectors import held_customer_ids, held_record_ids
from requests_app.models import Complaint, ExportPackage, SubjectRequest

from . import cutoffs
from .models import KeepReason, RetentionRule, RetentionRun

#: Apps whose history tables the audit_history rule (§32) sweeps.
AUDITED_APPS = ("privacy", "consents", "requests_app", "retention")
#: Annex 1 categories whose models count as high-security by default (§32): special categories,
#: call recordings, access data.
HIGH_SECURITY_CATEGORIES = frozenset({3, 26, 27})
OPEN_COMPLAINT_STATUSES = (Complaint.Status.OPEN, Complaint.Status.ESCALATED)
CONTRACT_IN_FORCE = (Contract.Status.ACTIVE, Contract.Status.SUSPENDED)


@dataclass(frozen=True)
class Target:
    """One table a rule sweeps on a given day."""

    label: str
    #: "rows" (deleted set-based), "history" (history rows deleted) or "customers" (erased one by one)
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
        return Case(
            *[When(condition, then=Value(reason)) for reason, condition in self.reasons],
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
    ids = held_record_ids(model, on=on)
    if not ids:
        return Q(pk__in=[])
    field_ = model._meta.pk
    values = [field_.to_python(value) for value in ids]
    return Q(**{f"{lookup}__in": values})


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


def _customer_dates(pks: list, *, registered: bool) -> dict:
    """Per customer: the latest of the end of service use, the last invoice and (optionally) registration."""
    use_end = {}
    for customer_id, last_use, end, start in Contract.objects.filter(customer_id__in=pks).values_list(
        "customer_id", "last_service_use", "end_date", "start_date"
    ):
        when = _latest([last_use, end]) or start
        use_end[customer_id] = _latest([use_end.get(customer_id), when])
    last_invoice = dict(
        Invoice.objects.filter(customer_id__in=pks)
        .values("customer_id")
        .annotate(last=Max("issue_date"))
        .values_list("customer_id", "last")
    )
    result = {}
    for pk, registered_at in Customer.objects.filter(pk__in=pks).values_list("pk", "registered_at"):
        dates = [use_end.get(pk), last_invoice.get(pk)]
        if registered:
            dates.append(cutoffs.local_date(registered_at))
        result[pk] = _latest(dates)
    return result


# --- The rules ----------------------------------------------------------------------------------------


def _recordings(rule: RetentionRule, as_of: datetime.date) -> list[Target]:
    """§33: recordings and correspondence, 6 months after the recording date."""
    on = hold_day(as_of)
    qs = Recording.objects.filter(recorded_at__lt=cutoffs.expiry_instant(as_of, rule.window_months))
    reasons = _merge(_customer_reasons("customer", on), {KeepReason.LEGAL_HOLD: _record_holds(Recording, on)})

    def counted_from(pks):
        rows = Recording.objects.filter(pk__in=pks).values_list("pk", "recorded_at")
        return {pk: cutoffs.local_date(at) for pk, at in rows}

    return [
        Target(
            label=Recording._meta.label,
            kind="rows",
            queryset=qs,
            reasons=reasons,
            months=rule.window_months,
            cutoff=cutoffs.cutoff_date(as_of, rule.window_months),
            counted_from=counted_from,
        )
    ]


def _invoices(rule: RetentionRule, as_of: datetime.date) -> list[Target]:
    """§31: invoices, 5 years after the invoice date (Accounting Law), unless a debt on them is open.

    The Accounting Law's duty and the open debt are erasure's rules too (privacy/periods.py): the rule's
    window may lengthen the duty, never shorten it.
    """
    on = hold_day(as_of)
    cutoff = min(cutoffs.cutoff_date(as_of, rule.window_months), accounting_duty_cutoff(as_of))
    hold, *others = _merge(
        _customer_reasons("customer", on), {KeepReason.LEGAL_HOLD: _record_holds(Invoice, on)}
    )
    # §31.2: a debt open on the invoice keeps it; the rule's own reason comes right after a hold.
    reasons = (hold, (KeepReason.OPEN_DEBT, open_debt_q()), *others)

    def counted_from(pks):
        return dict(Invoice.objects.filter(pk__in=pks).values_list("pk", "issue_date"))

    return [
        Target(
            label=Invoice._meta.label,
            kind="rows",
            queryset=Invoice.objects.filter(issue_date__lte=cutoff),
            reasons=reasons,
            months=rule.window_months,
            cutoff=cutoff,
            counted_from=counted_from,
        )
    ]


def _customer_keep_reasons(on: datetime.date) -> tuple[tuple[str, Q], ...]:
    """§31: what keeps a customer whose window has passed (index probes per candidate customer)."""

    def in_force(customer):
        return Exists(Contract.objects.filter(customer=customer, status__in=CONTRACT_IN_FORCE))

    base = _customer_reasons("pk", on)
    extra = {
        KeepReason.LEGAL_HOLD: _record_holds(Customer, on),
        # A contact person or payer is kept while the customer they act for has a contract in force.
        KeepReason.ACTIVE_CONTRACT: Q(in_force(OuterRef("pk"))) | Q(in_force(OuterRef("belongs_to"))),
        KeepReason.OPEN_DEBT: Q(Exists(Invoice.objects.filter(open_debt_q(), customer=OuterRef("pk")))),
        KeepReason.CONSENT: Q(
            Exists(Consent.objects.filter(customer=OuterRef("pk"), status=ConsentAction.GIVEN))
        ),
    }
    return _merge(base, extra)


def _prepaid_customers(rule: RetentionRule, as_of: datetime.date) -> list[Target]:
    """§34: customers whose only services are prepaid, 2 years after the end of their last service use."""
    cutoff = cutoffs.cutoff_date(as_of, rule.window_months)
    contracts = Contract.objects.filter(customer=OuterRef("pk"))
    qs = (
        Customer.objects.filter(status=Customer.Status.ACTIVE)
        .filter(Exists(contracts.filter(type=Contract.Type.PREPAID)))
        .exclude(Exists(contracts.exclude(type=Contract.Type.PREPAID)))
        .exclude(Exists(contracts.filter(_use_after(cutoff))))
    )
    return [
        Target(
            label=Customer._meta.label,
            kind="customers",
            queryset=qs,
            reasons=_customer_keep_reasons(hold_day(as_of)),
            months=rule.window_months,
            cutoff=cutoff,
            counted_from=lambda pks: _customer_dates(pks, registered=False),
        )
    ]


def _former_customers(rule: RetentionRule, as_of: datetime.date) -> list[Target]:
    """§31 (last sentence): customers with no basis left. Their window counts from the latest of their
    registration, the end of their last service use and their last invoice, so "no invoice inside 5
    years" (the Accounting Law's duty, as erasure counts it) holds for every candidate; what else
    keeps one is a keep reason."""
    cutoff = cutoffs.cutoff_date(as_of, rule.window_months)
    last_invoice_cutoff = min(cutoff, accounting_duty_cutoff(as_of))
    qs = (
        Customer.objects.filter(
            status=Customer.Status.ACTIVE,
            kind__in=settings.RETENTION_FORMER_CUSTOMER_KINDS,
            registered_at__lt=cutoffs.expiry_instant(as_of, rule.window_months),
        )
        .exclude(Exists(Invoice.objects.filter(customer=OuterRef("pk"), issue_date__gt=last_invoice_cutoff)))
        .exclude(Exists(Contract.objects.filter(_use_after(cutoff), customer=OuterRef("pk"))))
    )
    return [
        Target(
            label=Customer._meta.label,
            kind="customers",
            queryset=qs,
            reasons=_customer_keep_reasons(hold_day(as_of)),
            months=rule.window_months,
            cutoff=cutoff,
            counted_from=lambda pks: _customer_dates(pks, registered=True),
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
    """§32: history rows 12 months after they were written, 18 for high-security models."""
    on = hold_day(as_of)
    high = high_security_labels()
    targets = []
    for model in audited_models():
        hmodel = model.history.model
        months = rule.window_months
        if model._meta.label in high and rule.extended_window_months:
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

    return [
        Target(
            label=ExportPackage._meta.label,
            kind="rows",
            queryset=ExportPackage.objects.filter(request__answered_on__lte=cutoff),
            reasons=reasons,
            months=rule.window_months,
            cutoff=cutoff,
            counted_from=counted_from,
        )
    ]


_BUILDERS = {
    RetentionRule.Code.RECORDINGS: _recordings,
    RetentionRule.Code.PREPAID_CUSTOMERS: _prepaid_customers,
    RetentionRule.Code.INVOICES: _invoices,
    RetentionRule.Code.AUDIT_HISTORY: _audit_history,
    RetentionRule.Code.FORMER_CUSTOMERS: _former_customers,
    RetentionRule.Code.DATA_PACKAGES: _data_packages,
}


def rule_targets(*, rule: RetentionRule, as_of: datetime.date) -> list[Target]:
    """The tables `rule` sweeps on `as_of`, with the rows past their window and the reasons to keep."""
    try:
        builder = _BUILDERS[rule.code]
    except KeyError:
        raise ValueError(f"retention rule {rule.code!r} has no sweep") from None
    return builder(rule, as_of)


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

    @property
    def kept(self) -> int:
        return sum(self.kept_by_reason.values())

    def kept_rows(self) -> list[tuple[str, int]]:
        return [(KeepReason(reason).label, count) for reason, count in sorted(self.kept_by_reason.items())]


def rule_preview(*, rule: RetentionRule, as_of: datetime.date, page_size: int = 50) -> Preview:
    """What a run on `as_of` would do: counts by reason (one aggregate query per table) and the first
    candidates to handle, by id with their counted-from date. Ids and dates only: no personal data."""
    preview = Preview(rule=rule, as_of=as_of)
    for target in rule_targets(rule=rule, as_of=as_of):
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
            dates[RetentionRule.Code.INVOICES] = due(oldest.issue_date, months)
    months = rules.get(RetentionRule.Code.PREPAID_CUSTOMERS)
    contracts = list(Contract.objects.filter(customer=customer))
    if months is not None and contracts and all(c.type == Contract.Type.PREPAID for c in contracts):
        last_use = [c.last_service_use for c in contracts]
        if all(day is not None for day in last_use):
            dates[RetentionRule.Code.PREPAID_CUSTOMERS] = due(max(last_use), months)
    return dates
