"""How a request's deadline is shown: the days left, coloured (the queue, the request page, the dashboard)."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from . import deadlines
from .models import SubjectRequest


def days_left_html(obj: SubjectRequest):
    days = obj.days_left()
    if days is None:
        late = obj.answered_on and obj.answered_on > obj.deadline
        return format_html('<span class="rq-days rq-late">{}</span>', _("answered late")) if late else "—"
    css = "rq-overdue" if days < 0 else "rq-soon" if days <= deadlines.DUE_SOON_DAYS else "rq-ok"
    text = (
        ngettext("%(days)d day overdue", "%(days)d days overdue", -days) % {"days": -days}
        if days < 0
        else gettext("due today")
        if days == 0
        else str(days)
    )
    return format_html('<span class="rq-days {}" data-days="{}">{}</span>', css, days, text)
