"""A link to the customer overview page next to every customer an admin names (§36–37).

The page itself is served by `retention` (retention/overview.py), the one app allowed to read every
other; here it is only named by its URL, so `privacy`, `consents` and `requests_app` import nothing of it.

    with_overview_link(customer, text=None) -> html   "C00000042 Vija Bērziņa ↗"
    customer_column(path="customer")                 a list_display column of the record's customer
"""

from __future__ import annotations

from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

URL_NAME = "customer-overview"
CUSTOMER = _("customer")


def overview_url(customer_pk: int) -> str:
    try:
        return reverse(URL_NAME, args=[customer_pk])
    except NoReverseMatch:  # a URLconf without the page (a test's own)
        return ""


def with_overview_link(customer, text=None):
    """The customer as text, followed by a link to their overview page."""
    if customer is None:
        return text or "—"
    url = overview_url(customer.pk)
    label = customer if text is None else text
    if not url:
        return label
    return format_html(
        '{} <a class="customer-overview-link" href="{}" title="{}">↗</a>', label, url, _("Customer overview")
    )


def customer_column(path: str = "customer", description=CUSTOMER):
    """A list_display callable: the record's customer (reached by `path`) with the overview link.
    Select the customer with list_select_related, or each row costs a query."""

    @admin.display(description=description)
    def column(model_admin, obj):
        target = obj
        for part in path.split("__"):
            target = getattr(target, part, None)
            if target is None:
                break
        return with_overview_link(target)

    return column
