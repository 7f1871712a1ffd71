"""Bad query strings get an answer, not a 500 (§22), for every admin of the site, third-party ones included.

- A NUL character anywhere in the query string: 400. PostgreSQL refuses NUL in text, so a search, an
  autocomplete term or a filter value holding one would fail in the database.
- A changelist's date-hierarchy parameters (`<field>__year`, `__month`, `__day`) that are not a day
  Django's ChangeList can turn into a range (year 0, 9999 or 10000, month 13, day 99, not a number):
  the admin's own "invalid filter" answer, a redirect to `?e=1` (the unfiltered list). Django checks
  some of these and overflows on others (9999 + one year, day 31 of December 9999 + one day).
- A view that builds a ChangeList outside the changelist (the export pages of django-import-export)
  and meets filters the ChangeList refuses (`IncorrectLookupParameters`): the same redirect.
"""

from __future__ import annotations

import datetime

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ERROR_FLAG
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.utils.translation import gettext as _

#: Years whose whole range, and the time-zone shift around it, stays inside Python's datetime.
FIRST_YEAR, LAST_YEAR = datetime.MINYEAR + 1, datetime.MAXYEAR - 1
PARTS = {"year": (FIRST_YEAR, LAST_YEAR), "month": (1, 12), "day": (1, 31)}


def date_hierarchy_valid(field: str, params) -> bool:
    """Whether the date-hierarchy parameters of `params` (a QueryDict) name a day, month or year that
    the changelist can filter on."""
    chosen: dict[str, int] = {}
    for part, (low, high) in PARTS.items():
        for raw in params.getlist(f"{field}__{part}"):
            try:
                value = int(raw)
            except ValueError:
                return False
            if not low <= value <= high:
                return False
            chosen[part] = value  # the last one counts, as in Django's ChangeList
    if "year" not in chosen:
        return True
    try:
        datetime.date(chosen["year"], chosen.get("month", 1), chosen.get("day", 1))
    except ValueError:
        return False
    return True


def _invalid_filter(request):
    """What Django's changelist answers to filters it cannot apply: a redirect to the unfiltered page
    with `?e=1`; if that still fails, a 400."""
    if ERROR_FLAG in request.GET:
        return HttpResponseBadRequest(
            _("These filters cannot be applied."), content_type="text/plain; charset=utf-8"
        )
    return HttpResponseRedirect(f"{request.path}?{ERROR_FLAG}=1")


class AdminInputMiddleware:
    """See the module's docstring. Applies to every URL (NUL) and to every ModelAdmin's views."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.META.get("QUERY_STRING", "") or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            return HttpResponseBadRequest(
                _("The address holds a NUL character."), content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        model_admin = getattr(view_func, "model_admin", None)
        match = getattr(request, "resolver_match", None)
        if model_admin is None or match is None or not (match.url_name or "").endswith("_changelist"):
            return None
        field = getattr(model_admin, "date_hierarchy", None)
        if field and not date_hierarchy_valid(field, request.GET):
            return _invalid_filter(request)
        return None

    def process_exception(self, request, exception):
        if isinstance(exception, IncorrectLookupParameters):
            return _invalid_filter(request)
        return None
