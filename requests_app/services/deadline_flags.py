"""The deadline flags of open requests (§41): set at once by the writes that move a deadline, and
brought up to date for the rest by the nightly check."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from .. import deadlines
from ..models import SubjectRequest
from ..selectors import requests_with_deadline
from .base import reason_for, save_with_reason


def deadline_flag_for(subject_request: SubjectRequest, *, on: datetime.date) -> str:
    """The deadline flag a request should carry on a day."""
    days = subject_request.days_left(on)
    if days is None:
        return SubjectRequest.DeadlineFlag.NONE
    if days < 0:
        return SubjectRequest.DeadlineFlag.OVERDUE
    if days <= deadlines.DUE_SOON_DAYS:
        return SubjectRequest.DeadlineFlag.DUE_SOON
    return SubjectRequest.DeadlineFlag.NONE


def reflag(subject_request: SubjectRequest, *, on: datetime.date) -> None:
    """Bring the stored deadline flag up to date at once (the nightly task does it for the rest)."""
    flag = deadline_flag_for(subject_request, on=on)
    if flag != subject_request.deadline_flag:
        subject_request.deadline_flag = flag
        subject_request.deadline_flagged_on = on


@transaction.atomic
def requests_flag_deadlines(*, on: datetime.date | None = None) -> dict[str, int]:
    """Mark open requests due within 7 days and overdue ones (and clear flags no longer true).

    Returns counts only. Only rows whose flag changes are written (one history row each), so a rerun
    the same day writes nothing.
    """
    on = on or deadlines.today()
    counts = {"due_soon": 0, "overdue": 0, "newly_due_soon": 0, "newly_overdue": 0, "cleared": 0}
    candidates = requests_with_deadline().filter(
        Q(status__in=SubjectRequest.OPEN_STATUSES) | ~Q(deadline_flag=SubjectRequest.DeadlineFlag.NONE)
    )
    for subject_request in candidates.select_for_update().order_by("pk"):
        flag = deadline_flag_for(subject_request, on=on)
        if flag:
            counts[flag] += 1
        if flag == subject_request.deadline_flag:
            continue
        counts[f"newly_{flag}" if flag else "cleared"] += 1
        subject_request.deadline_flag = flag
        subject_request.deadline_flagged_on = on
        save_with_reason(
            subject_request, actor=None, reason=reason_for(subject_request, _("nightly deadline check"))
        )
    return counts
