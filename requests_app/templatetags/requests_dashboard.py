"""`{% requests_dashboard %}`: the requests panel of the admin index (templates/admin/index.html)."""

from django import template
from django.urls import reverse

from .. import charts, selectors
from ..display import days_left_html

register = template.Library()


@register.inclusion_tag("requests_app/dashboard.html", takes_context=True)
def requests_dashboard(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("requests_app.view_subjectrequest"):
        return {"show": False}
    board = selectors.dashboard()
    changelist = reverse("admin:requests_app_subjectrequest_changelist")
    urgent = [
        (reverse("admin:requests_app_subjectrequest_change", args=[item.pk]), item, days_left_html(item))
        for item in selectors.requests_most_urgent()
    ]
    return {
        "show": True,
        "urgent": urgent,
        "board": board,
        "changelist": changelist,
        "complaints": reverse("admin:requests_app_complaint_changelist"),
        "chart": charts.requests_per_month_svg(board.months),
    }
