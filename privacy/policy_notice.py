"""Telling customers of a new privacy-policy version (§68–69): who to notify and the letter in their
language, produced from the admin (an action on PolicyVersion).

§68: "Balticom ir tiesības veikt papildinājumus Privātuma politikā, padarot pieejamu Klientam tā aktuālo
versiju"; §69: "Balticom saglabā Privātuma politikas iepriekšējās redakcijas". The list passes the export
gate (restricted and erased customers are left out, §38–39); one letter per language is rendered, and
the list says which language each customer gets.
"""

from __future__ import annotations

import io
import zipfile

from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from .csv_safety import stream_csv
from .models import Customer, Language, PolicyVersion
from .selectors import ExportPurpose, export_rows

COLUMNS = ("customer_number", "first_name", "last_name", "preferred_language", "email", "address")


def customers_to_notify(version: PolicyVersion):
    """Current customers (not erased) who may receive a letter: through the export gate (§38–39)."""
    customers = Customer.objects.filter(status=Customer.Status.ACTIVE).order_by("customer_number")
    return export_rows(customers, purpose=ExportPurpose.STAFF_EXPORT)


def policy_notice_render(version: PolicyVersion, language: str) -> str:
    """The letter announcing `version`, in `language` (lv, ru, en)."""
    previous = PolicyVersion.objects.filter(effective_from__lt=version.effective_from).first()
    with override(language):
        return render_to_string(
            "privacy/policy_notice.html",
            {
                "language": language,
                "version": version,
                "previous": previous,
                # English in the EU's day-month-year order, as the letters to customers (requests_app).
                "effective_from": date_format(
                    version.effective_from, "j F Y" if language == Language.ENGLISH else "DATE_FORMAT"
                ),
                "text": version.text_in(language),
                "subject": _("The Balticom privacy policy has changed"),
            },
        )


def policy_notice_package(version: PolicyVersion) -> bytes:
    """A ZIP: customers.csv (who, in which language, where to) and one letter per language."""
    rows = customers_to_notify(version).values_list(*COLUMNS)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("customers.csv", "".join(stream_csv(COLUMNS, rows.iterator())))
        for language in Language.values:
            archive.writestr(f"letter_{language}.html", policy_notice_render(version, language))
    return buffer.getvalue()
