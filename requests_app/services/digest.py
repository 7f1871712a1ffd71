"""The DPO's morning email of overdue and due-soon requests (§41)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from .. import deadlines
from ..selectors import requests_due_soon, requests_overdue


def dpo_digest_send(*, on: datetime.date | None = None) -> bool:
    """Email the DPO the overdue and due-soon requests, when `DPO_DIGEST_EMAIL` is set.

    References, types, statuses and deadlines only: no personal data leaves in the email.
    """
    recipient = getattr(settings, "DPO_DIGEST_EMAIL", "")
    if not recipient:
        return False
    on = on or deadlines.today()
    overdue = list(requests_overdue(on=on).order_by("current_deadline", "pk"))
    due_soon = list(requests_due_soon(on=on).order_by("current_deadline", "pk"))
    if not overdue and not due_soon:
        return False
    lines = [_("Data-subject requests on %(day)s") % {"day": on.isoformat()}, ""]
    for title, rows in ((_("Overdue"), overdue), (_("Due within 7 days"), due_soon)):
        lines.append(f"{title}: {len(rows)}")
        for row in rows:
            lines.append(
                f"  {row}  {row.get_type_display()}  {row.get_status_display()}  "
                f"{_('due')} {row.deadline.isoformat()}  ({row.days_left(on):+d})"
            )
        lines.append("")
    send_mail(
        subject=_("Requests: %(overdue)d overdue, %(soon)d due within 7 days")
        % {"overdue": len(overdue), "soon": len(due_soon)},
        message="\n".join(lines),
        from_email=None,
        recipient_list=[recipient],
    )
    return True
