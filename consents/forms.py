"""Admin forms of the consents app: the CSV upload (size- and type-checked), its confirmation, and
recording one decision by hand."""

from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export.forms import ImportForm

from privacy.models import Customer

from .importer.spreadsheet import count_rows
from .models import ConsentEvent, ImportProfile

#: Content types browsers send for .csv files (Windows sends Excel's for CSV too).
CSV_CONTENT_TYPES = {
    "text/csv",
    "text/plain",
    "application/csv",
    "application/vnd.ms-excel",
    "application/octet-stream",
    "",
}


def max_upload_bytes() -> int:
    return settings.CONSENT_IMPORT_MAX_BYTES


XLSX_CONTENT_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-excel",
    "application/octet-stream",
    "application/zip",
    "",
}


class ConsentImportForm(ImportForm):
    """django-import-export's upload form, accepting CSV and XLSX files up to a size limit, and the
    import profile that says how to read the file (§47, §48, §60)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["import_file"].label = _("File to import")
        self.fields["format"].label = _("Format")
        self.fields["import_file"].widget.attrs["accept"] = ".csv,.xlsx,text/csv"
        self.fields["import_file"].help_text = _(
            "CSV (UTF-8 or Windows-1257) or XLSX (the first sheet); at most %(mb)d MB."
        ) % {"mb": max_upload_bytes() // (1024 * 1024)}
        self.fields["profile"] = forms.ModelChoiceField(
            label=_("import profile"),
            queryset=ImportProfile.objects.all(),
            initial=ImportProfile.objects.filter(is_default=True).first(),
            empty_label=None,
            required=False,
        )

    def clean_profile(self):
        """Not chosen (a scripted upload): the default profile, our own layout."""
        return self.cleaned_data.get("profile") or ImportProfile.objects.filter(is_default=True).first()

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        suffix = PurePath(upload.name).suffix.lower()
        if suffix not in (".csv", ".xlsx"):
            raise forms.ValidationError(_("Only .csv and .xlsx files can be imported."))
        content_type = (upload.content_type or "").split(";")[0].strip().lower()
        if content_type not in (CSV_CONTENT_TYPES if suffix == ".csv" else XLSX_CONTENT_TYPES):
            raise forms.ValidationError(_("The file's type is not CSV."))
        if upload.size > max_upload_bytes():
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB.") % {"mb": max_upload_bytes() // (1024 * 1024)}
            )
        head = upload.read(8)
        upload.seek(0)
        if suffix == ".xlsx":
            if count_rows(upload) is None:
                raise forms.ValidationError(_("The file is not a readable .xlsx spreadsheet."))
            upload.seek(0)
        elif head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
            raise forms.ValidationError(_("This is a spreadsheet file, not CSV; save it as CSV first."))
        return upload


class ConsentConfirmImportForm(forms.Form):
    """The confirm step: which checked upload (an import job) to apply.

    django-import-export's confirm step reads the temporary file's name, the original name and the
    format from the form; here they name the job (consents/admin_import.py `ConsentJobStorage`)."""

    job_id = forms.IntegerField(widget=forms.HiddenInput(), min_value=1, max_value=2**63 - 1)

    def clean(self):
        data = super().clean()
        if "job_id" in data:
            data.update(import_file_name=str(data["job_id"]), original_file_name="", format="0", resource="")
        return data


class ConsentEventAddForm(forms.ModelForm):
    """Record one decision by hand (e.g. told to the call centre, §47); saved through the service."""

    class Meta:
        model = ConsentEvent
        fields = ["customer", "topic", "action", "channel", "occurred_at", "source"]

    def clean_occurred_at(self):
        occurred_at = self.cleaned_data["occurred_at"]
        if occurred_at and occurred_at > timezone.now():
            raise forms.ValidationError(_("A decision cannot lie in the future."))
        return occurred_at

    def clean_customer(self):
        customer = self.cleaned_data["customer"]
        if customer and customer.status == Customer.Status.TOMBSTONE:
            raise forms.ValidationError(_("This customer was erased; no consents are recorded for them."))
        return customer
