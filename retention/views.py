"""The customer overview page (retention/overview.py), served inside the admin (config/urls.py)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from privacy.models import Customer

from .overview import can_view, customer_overview


def customer_overview_view(request, pk: int):
    """§36–37: everything held on one customer, each section within the viewer's permissions."""
    if not can_view(request.user, Customer):
        raise PermissionDenied
    customer = get_object_or_404(Customer, pk=pk)
    data = customer_overview(
        customer,
        user=request.user,
        invoice_page=request.GET.get("invoices"),
        history_page=request.GET.get("history"),
    )
    user = request.user
    actions = []
    # One click to the admin's add page with this customer filled in; only what the viewer may add.
    for perm, url_name, params, label in [
        (
            "requests_app.add_subjectrequest",
            "admin:requests_app_subjectrequest_add",
            {"customer": customer.pk},
            _("Register a request"),
        ),
        (
            "consents.add_consentevent",
            "admin:consents_consentevent_add",
            {"customer": customer.pk},
            _("Record a consent"),
        ),
        (
            "privacy.add_legalhold",
            "admin:privacy_legalhold_add",
            {"customer_number": customer.customer_number},
            _("Set a hold"),
        ),
    ]:
        if user.has_perm(perm):
            actions.append((f"{reverse(url_name)}?{urlencode(params)}", label))
    context = {
        **admin.site.each_context(request),
        **data,
        "title": _("Customer overview: %(customer)s") % {"customer": customer},
        "actions": actions,
        "change_url": reverse("admin:privacy_customer_change", args=[customer.pk]),
        "opts": Customer._meta,
    }
    return TemplateResponse(request, "retention/customer_overview.html", context)
