"""How an erasure's dry run and result read on the request's pages: model, count, what happens and why."""

from __future__ import annotations

from django.apps import apps
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def erasure_rows(data) -> list[dict]:
    """Rows for showing an erasure's dry run or result: model, count and what happens, and why."""
    from privacy.erasure import reason_label

    if not data:
        return []

    def name(label: str) -> str:
        try:
            return str(apps.get_model(label)._meta.verbose_name_plural)
        except LookupError:
            return label

    rows = []
    anonymised = data.get("anonymised") or {}
    for label, count in sorted((data.get("erased") or {}).items()):
        anonymous = min(anonymised.get(label, 0), count)
        if count - anonymous:
            rows.append({"model": name(label), "count": count - anonymous, "what": gettext("deleted")})
        if anonymous:
            what = gettext("anonymised (personal data removed)")
            rows.append({"model": name(label), "count": anonymous, "what": what})
    for label, reasons in sorted((data.get("kept") or {}).items()):
        for reason, count in sorted((reasons or {}).items()):
            what = gettext("kept: %(reason)s") % {"reason": reason_label(reason)}
            rows.append({"model": name(label), "count": count, "what": what, "kept": True})
    return rows


def erasure_table(data):
    rows = erasure_rows(data)
    if not rows:
        return "—"
    return format_html(
        '<table class="rq-erasure"><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>'
        "<tbody>{}</tbody></table>",
        _("records"),
        _("rows"),
        _("what happens"),
        format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((row["model"], row["count"], row["what"]) for row in rows),
        ),
    )
