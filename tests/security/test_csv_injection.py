"""Formula injection (OWASP "CSV injection") on every CSV the product writes (§22).

A customer-supplied value beginning with =, +, -, @, a tab or a carriage return would run as a formula
when staff open the export in a spreadsheet. Every export is fed such values in each text column it
writes and read back: no cell may start with one of those characters unless it is a plain number, and
each payload must arrive as text (prefixed with an apostrophe). A guard test fails when new code writes
CSV without going through privacy/csv_safety.py.
"""

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from consents.admin import ConsentEventResource, ConsentResource
from consents.services import consent_give
from privacy.csv_safety import FORMULA_PREFIXES, PHONE
from requests_app import services as request_services
from tests.factories import CustomerFactory, UserFactory

from .conftest import in_role, request_in_evaluation

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PAYLOADS = [
    '=HYPERLINK("http://x")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "\tleading tab",
    "\rleading CR",
]
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def assert_formula_safe(rows: list[list[str]], *, expect: list[str] = PAYLOADS) -> None:
    """No cell runs as a formula, and each expected payload is there, as text."""
    cells = [cell for row in rows for cell in row]
    # A number, or a phone number the export validated (digits after a "+"), carries no formula.
    dangerous = [
        cell
        for cell in cells
        if cell.startswith(FORMULA_PREFIXES) and not NUMBER.match(cell) and not PHONE.fullmatch(cell)
    ]
    assert dangerous == []
    for payload in expect:
        assert any(cell == "'" + payload or cell.startswith("'" + payload) for cell in cells), payload


def _read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))


@pytest.fixture
def poisoned_customers():
    """One customer per payload: in the customer number, the names and the consent's source."""
    customers = []
    for n, payload in enumerate(PAYLOADS):
        customer = CustomerFactory(
            customer_number=payload[:32], first_name=payload, last_name=payload, email=f"p{n}@example.lv"
        )
        consent_give(actor=None, customer=customer, topic="marketing_email", channel="portal", source=payload)
        customers.append(customer)
    return customers


def _admin_export(client, url: str, prefix: str, fields: list[str]) -> list[list[str]]:
    data = {"format": "0", "resource": "0", **{f"{prefix}_{name}": "on" for name in fields}}
    response = client.post(url, data)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return _read(b"".join(response.streaming_content).decode("utf-8"))


#: Every column of each consent export, as its resource declares them (a new column is tested too).
CONSENT_EXPORTS = {
    "ledger": (
        "data_protection_officer",
        "admin:consents_consentevent_export",
        "consenteventresource",
        list(ConsentEventResource._meta.fields),
    ),
    "state": (
        "auditor",
        "admin:consents_consent_export",
        "consentresource",
        list(ConsentResource._meta.fields),
    ),
}


@pytest.mark.parametrize("export", CONSENT_EXPORTS)
def test_the_consent_ledger_and_state_exports(client, poisoned_customers, export):
    role_key, url_name, prefix, fields = CONSENT_EXPORTS[export]
    client.force_login(in_role(role_key))
    rows = _admin_export(client, reverse(url_name), prefix, fields)
    assert len(rows) == 1 + len(PAYLOADS)
    assert_formula_safe(rows)


def test_the_marketing_audience_export_in_the_admin(client, poisoned_customers):
    from consents.models import ConsentTopic

    client.force_login(in_role("data_protection_officer"))
    topic = ConsentTopic.objects.get(code="marketing_email")
    response = client.post(
        reverse("admin:consents_consenttopic_changelist"),
        {"action": "export_audience", "_selected_action": [topic.pk]},
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = _read(b"".join(response.streaming_content).decode("utf-8"))
    assert len(rows) == 1 + len(PAYLOADS)
    assert_formula_safe(rows)


def test_the_marketing_audience_command(poisoned_customers, tmp_path):
    out = tmp_path / "audience.csv"
    call_command("export_marketing_audience", "--channel", "email", "--out", str(out))
    rows = _read(out.read_bytes().decode("utf-8"))  # bytes: read_text would turn the payload's \r into \n
    assert len(rows) == 1 + len(PAYLOADS)
    assert_formula_safe(rows)


def test_every_csv_in_a_subject_data_package(client, poisoned_customers):
    """The access package's csv/ tables (the customer, requests, consents and their history), downloaded
    through the permission-checked view."""
    customer = poisoned_customers[0]
    for payload in PAYLOADS:
        consent_give(
            actor=None, customer=customer, topic="surveys", channel="portal", source=payload + " (surveys)"
        )
    agent, dpo = in_role("customer_service"), in_role("data_protection_officer")
    subject_request = request_in_evaluation(
        customer,
        type="access",
        agent=agent,
        decider=dpo,
        document_number=PAYLOADS[4],
        mismatch="Jauna pase",
        requester_name=PAYLOADS[1],
        requester_address=PAYLOADS[2],
        details=PAYLOADS[3],
    )
    package = request_services.request_build_package(subject_request=subject_request, actor=dpo)
    client.force_login(dpo)
    response = client.get(reverse("requests_app:package-download", args=[package.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    tables = [name for name in archive.namelist() if name.endswith(".csv")]
    assert tables
    rows = [row for name in tables for row in _read(archive.read(name).decode("utf-8-sig"))]
    assert_formula_safe(rows)


def test_the_policy_notice_list(poisoned_customers):
    """§68: the list of customers to tell about a new policy version (an admin action's ZIP)."""
    from privacy.models import PolicyVersion
    from privacy.policy_notice import policy_notice_package

    version = PolicyVersion.objects.order_by("-effective_from").first()
    with zipfile.ZipFile(io.BytesIO(policy_notice_package(version))) as archive:
        rows = _read(archive.read("customers.csv").decode("utf-8"))
    assert_formula_safe(rows)


def test_nothing_writes_csv_except_through_csv_safety():
    """Every CSV writer of the product goes through privacy/csv_safety.py (SafeWriter, stream_csv or
    neutralise); a new export that does not fails here and needs a test above."""
    writers = re.compile(r"csv\.(writer|DictWriter)\s*\(")
    offenders = []
    exporters = set()
    for app in ("privacy", "consents", "requests_app", "retention", "config"):
        for path in (ROOT / app).rglob("*.py"):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative:
                continue
            text = path.read_text(encoding="utf-8")
            if writers.search(text) and relative != "privacy/csv_safety.py":
                offenders.append(relative)
            exporting = re.search(r'SafeWriter|stream_csv|neutralise\(|content_type="text/csv', text)
            if exporting and relative != "privacy/csv_safety.py":
                exporters.add(relative)
    assert offenders == []
    # The exports tested above; add a test when this set grows.
    assert exporters == {
        "consents/admin.py",
        "consents/admin_import.py",
        "consents/exports.py",
        "privacy/policy_notice.py",
        "requests_app/export.py",
    }


def test_numbers_stay_numbers():
    """Neutralising does not touch numbers: a negative amount is still a number in the spreadsheet."""
    from decimal import Decimal

    from privacy.csv_safety import safe_row

    assert safe_row([Decimal("-5.00"), -3, "-3", None]) == [Decimal("-5.00"), -3, "'-3", None]
    assert UserFactory.build().username  # factories import cleanly here
