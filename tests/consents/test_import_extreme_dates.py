"""Dates at the ends of the calendar in a consent CSV (§46–49: the ledger records when the customer decided).

Year 1 and year 9999 are typing errors a file can hold. The time-zone shift to UTC moved such moments off
Python's calendar: `import_consents` died with an OverflowError traceback and the admin's import showed
"failed: OverflowError" without a line. Now each is an error of its line and column, from the command
line and in the admin alike, and nothing is imported.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from consents.models import ConsentEvent, ConsentImport
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

HEADER = "customer_number,topic,action,channel,occurred_at,source,policy_version"
GOOD = "C1,marketing_email,given,portal,2024-05-01T10:00:00,form-1,"

TOO_EARLY = "Lies before the year 1900"
FUTURE = "Lies in the future."
EXTREMES = [
    ("0001-01-01 00:00", TOO_EARLY),  # Riga time: UTC would be in year 0
    ("0001-01-01T00:00:00+14:00", TOO_EARLY),
    ("01.01.0001 00:00", TOO_EARLY),
    ("0001-06-01 12:00", TOO_EARLY),  # on the calendar, but no decision is that old
    ("1899-12-31T23:59:59+00:00", TOO_EARLY),
    ("9999-12-31 23:59:59", FUTURE),
    ("9999-12-31T23:59:59-12:00", FUTURE),  # UTC would be in year 10000
    ("31.12.9999 23:59", FUTURE),
]


def _file(tmp_path, moment: str):
    CustomerFactory(customer_number="C1")
    path = tmp_path / "gala-datumi.csv"
    path.write_text("\n".join([HEADER, GOOD, f"C1,marketing_sms,given,portal,{moment},form-2,"]) + "\n")
    return path


@pytest.mark.parametrize(("moment", "message"), EXTREMES)
def test_the_command_names_the_line_and_column_of_a_date_at_the_end_of_the_calendar(
    tmp_path, moment, message
):
    path = _file(tmp_path, moment)
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 errors: nothing was imported"):
        call_command("import_consents", str(path), stdout=io.StringIO(), stderr=err)
    assert f"line 3, column occurred_at: {message}" in err.getvalue()
    assert ConsentEvent.objects.count() == 0


@pytest.mark.parametrize(("moment", "message"), EXTREMES)
def test_the_admin_import_lists_a_date_at_the_end_of_the_calendar_as_an_error_of_its_line(
    importer,
    moment,
    message,
):
    CustomerFactory(customer_number="C1")
    body = "\n".join([HEADER, GOOD, f"C1,marketing_sms,given,portal,{moment},form-2,"]).encode()
    response = importer.post(
        reverse("admin:consents_consentevent_import"),
        {
            "format": "0",
            "resource": "0",
            "import_file": SimpleUploadedFile("gala-datumi.csv", body, content_type="text/csv"),
        },
    )
    job = ConsentImport.objects.get()
    assert job.status == ConsentImport.Status.INVALID, job.result
    page = importer.get(response["Location"])
    assert page.status_code == 200
    errors = page.context["result"].errors
    assert [(error.line, error.column) for error in errors] == [(3, "occurred_at")]
    assert message in errors[0].message
    assert ConsentEvent.objects.count() == 0
