"""The queue's search, the same for requests and complaints."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.db.models import Q

from privacy import search

REFERENCE = re.compile(r"^(?:SR|C)-\d{4}-0*(\d+)$", re.IGNORECASE)


def queue_search(queryset, search_term: str, own: Callable[[str], Q]):
    """The queue's search: a reference (SR-2026-000123, C-2026-000007) finds its row; anything else
    the customer by anything privacy/search.py understands (name in any order and without diacritics,
    number, contract, phone, email, personal code, an erased customer's old number), or the model's
    `own` fields. NUL and lone surrogates are dropped first (search.clean)."""
    term = search.clean(search_term)
    if not term:
        return queryset, False
    reference = REFERENCE.match(term)
    if reference:
        return queryset.filter(pk=int(reference.group(1))), False
    customers = search.customers_matching(term).values("pk")
    return queryset.filter(Q(customer__in=customers) | own(term)), False
