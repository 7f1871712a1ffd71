"""Reads that matter for data-subject requests: the queue's deadlines and the dashboard's figures."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Case, IntegerField, Value, When
from django.db.models.functions import Coalesce, TruncMonth

from . import deadlines
from .models import Complaint, Letter, SubjectRequest


def requests_with_deadline() -> models.QuerySet[SubjectRequest]:
    """Requests annotated with `current_deadline`: the extended deadline if any, else the first one."""
    return SubjectRequest.objects.annotate(current_deadline=Coalesce("extended_due_at", "due_at"))


def requests_open() -> models.QuerySet[SubjectRequest]:
    """Requests not answered yet (the clock still runs, §41)."""
    return requests_with_deadline().filter(status__in=SubjectRequest.OPEN_STATUSES)


def queue_ordering() -> list:
    """The queue's order: open requests first, the least time left on top (overdue first, §41), the
    extended deadline counting where there is one; then answered and closed ones, newest first."""
    is_open = models.Q(status__in=SubjectRequest.OPEN_STATUSES)
    return [
        Case(When(is_open, then=Value(0)), default=Value(1), output_field=IntegerField()).asc(),
        Case(When(is_open, then=Coalesce("extended_due_at", "due_at")), default=None).asc(nulls_last=True),
        "-received_at",
        "-id",
    ]


def requests_most_urgent(*, limit: int = 10) -> list[SubjectRequest]:
    """The open requests with the least time left, overdue first: the dashboard's worklist (§41)."""
    return list(
        requests_open().select_related("customer").order_by("current_deadline", "received_at", "id")[:limit]
    )


def requests_overdue(*, on: datetime.date | None = None) -> models.QuerySet[SubjectRequest]:
    """Open requests whose deadline has passed: the answer was due before `on` (today in Riga)."""
    on = on or deadlines.today()
    return requests_open().filter(current_deadline__lt=on)


def requests_due_soon(
    *, on: datetime.date | None = None, days: int = deadlines.DUE_SOON_DAYS
) -> models.QuerySet[SubjectRequest]:
    """Open requests due from `on` up to `days` days later (inclusive), not yet overdue."""
    on = on or deadlines.today()
    return requests_open().filter(
        current_deadline__gte=on, current_deadline__lte=on + datetime.timedelta(days=days)
    )


def request_flag_set_by(*, customer, request_type: str) -> SubjectRequest | None:
    """The fulfilled request that set a customer's restriction/objection flag and is not lifted yet."""
    return (
        SubjectRequest.objects.filter(
            customer=customer,
            type=request_type,
            flag_action=SubjectRequest.FlagAction.SET,
            flag_applied_at__isnull=False,
        )
        .exclude(lifted_by__flag_applied_at__isnull=False)
        .order_by("-flag_applied_at")
        .first()
    )


def customers_with_objection_ids(customer_ids) -> set:
    """Of the given customers, those who objected to direct marketing through a request (§38)."""
    return set(
        SubjectRequest.objects.filter(
            customer_id__in=customer_ids,
            type=SubjectRequest.Type.OBJECTION,
            flag_action=SubjectRequest.FlagAction.SET,
            flag_applied_at__isnull=False,
        )
        .exclude(lifted_by__flag_applied_at__isnull=False)
        .values_list("customer_id", flat=True)
    )


@dataclass
class MonthBar:
    month: datetime.date  # the first day of the month
    received: int = 0
    answered: int = 0


@dataclass
class Dashboard:
    on: datetime.date
    open_by_status: list[tuple[str, str, int]]  # (status, label, count), in workflow order
    open_total: int
    overdue: int
    due_soon: int
    open_complaints: int
    months: list[MonthBar] = field(default_factory=list)


def _month_starts(on: datetime.date, count: int) -> list[datetime.date]:
    first = on.replace(day=1)
    return [deadlines.add_months(first, -offset) for offset in range(count - 1, -1, -1)]


def requests_per_month(*, on: datetime.date | None = None, months: int = 12) -> list[MonthBar]:
    """Requests received and answered per month, the last `months` months up to `on` (Riga months)."""
    on = on or deadlines.today()
    starts = _month_starts(on, months)
    bars = {start: MonthBar(month=start) for start in starts}
    since = datetime.datetime.combine(starts[0], datetime.time.min, tzinfo=deadlines.RIGA)
    received = (
        SubjectRequest.objects.filter(received_at__gte=since)
        .annotate(month=TruncMonth("received_at", tzinfo=deadlines.RIGA))
        .values("month")
        .annotate(count=models.Count("id"))
    )
    for row in received:
        month = row["month"].astimezone(deadlines.RIGA).date() if row["month"] else None
        if month in bars:
            bars[month].received = row["count"]
    answered = (
        SubjectRequest.objects.filter(answered_on__gte=starts[0])
        .annotate(month=TruncMonth("answered_on"))
        .values("month")
        .annotate(count=models.Count("id"))
    )
    for row in answered:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        if month in bars:
            bars[month].answered = row["count"]
    return [bars[start] for start in starts]


def dashboard(*, on: datetime.date | None = None) -> Dashboard:
    """Everything the admin index shows about requests: a handful of aggregate queries."""
    on = on or deadlines.today()
    counts = dict(
        SubjectRequest.objects.filter(status__in=SubjectRequest.OPEN_STATUSES)
        .values_list("status")
        .annotate(count=models.Count("id"))
        .values_list("status", "count")
    )
    by_status = [
        (status.value, status.label, counts.get(status.value, 0)) for status in SubjectRequest.Status
    ]
    by_status = [row for row in by_status if row[0] in SubjectRequest.OPEN_STATUSES]
    return Dashboard(
        on=on,
        open_by_status=by_status,
        open_total=sum(counts.values()),
        overdue=requests_overdue(on=on).count(),
        due_soon=requests_due_soon(on=on).count(),
        open_complaints=Complaint.objects.filter(
            status__in=[Complaint.Status.OPEN, Complaint.Status.ESCALATED]
        ).count(),
        months=requests_per_month(on=on),
    )


def request_answer_letter_sent(subject_request: SubjectRequest):
    """The letter that carried the answer, recorded as sent (§42): the latest sent cover letter of the
    answer or refusal letter; None when none went out yet."""
    return (
        subject_request.letters.filter(
            sent_on__isnull=False, kind__in=[Letter.Kind.ANSWER, Letter.Kind.REFUSAL]
        )
        .order_by("-sent_on", "-pk")
        .first()
    )
