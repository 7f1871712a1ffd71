"""`import_consents FILE [--dry-run]` and `export_marketing_audience --channel ... --out ...`."""

import csv
import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from consents.models import Consent, ConsentEvent
from consents.services import consent_give
from privacy.models import Contract
from tests.factories import ContractFactory, CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = "customer_number;topic;action;channel;occurred_at;source;policy_version"


@pytest.fixture
def consent_file(tmp_path):
    CustomerFactory(customer_number="C1")
    path = tmp_path / "zvanu-centrs.csv"
    path.write_bytes(
        "\n".join([HEADER, "C1;marketing_phone;withdrawn;phone;02.05.2024 09:15;Zvans Nr. 7 – Līga;"]).encode(
            "cp1257"
        )
    )
    return path


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_command_dry_run_changes_nothing(consent_file):
    out, err = run("import_consents", str(consent_file), "--dry-run")
    assert "Windows-1257" in out and "New events: 1" in out and "Dry run" in out
    assert "reading and checking rows" in err and "100 %" in err  # progress
    assert ConsentEvent.objects.count() == 0


def test_import_command_imports_and_attributes_to_the_user(consent_file):
    user = UserFactory(username="ops")
    out, _ = run("import_consents", str(consent_file), "--user", "ops")
    event = ConsentEvent.objects.get()
    assert event.source == "Zvans Nr. 7 – Līga" and event.captured_by == user
    assert Consent.objects.get().status == "withdrawn"
    assert "Imported" in out
    out, _ = run("import_consents", str(consent_file))
    assert "New events: 0" in out and ConsentEvent.objects.count() == 1


def test_import_command_prints_every_error_and_fails(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER.replace(";", ",") + "\nNOBODY,surveys,given,portal,2024-05-01T10:00:00,,\n")
    with pytest.raises(CommandError, match="1 errors"):
        call_command("import_consents", str(path), stdout=io.StringIO(), stderr=(err := io.StringIO()))
    assert "line 2, column customer_number: No customer has this number." in err.getvalue()


def test_import_command_refuses_a_missing_file_or_user(tmp_path, consent_file):
    with pytest.raises(CommandError):
        call_command("import_consents", str(tmp_path / "nope.csv"))
    with pytest.raises(CommandError):
        call_command("import_consents", str(consent_file), "--user", "ghost")


def test_export_marketing_audience_writes_the_list(tmp_path):
    customer = CustomerFactory(email="anna@example.lv", first_name="=1+2")
    consent_give(
        actor=None,
        customer=customer,
        topic="marketing_email",
        channel="portal",
        occurred_at=datetime.datetime(2025, 5, 1, tzinfo=datetime.UTC),
    )
    soft = CustomerFactory(email="soft@example.lv")
    ContractFactory(customer=soft, type=Contract.Type.PREPAID, last_service_use=datetime.date(2025, 12, 1))
    out_file = tmp_path / "aud.csv"
    out, _ = run(
        "export_marketing_audience", "--channel", "email", "--out", str(out_file), "--as-of", "2026-01-01"
    )
    rows = list(csv.reader(out_file.open(encoding="utf-8")))
    assert rows[0] == ["customer_number", "first_name", "last_name", "preferred_language", "contact", "basis"]
    assert sorted((row[4], row[5]) for row in rows[1:]) == [
        ("anna@example.lv", "consent"),
        ("soft@example.lv", "soft_opt_in"),
    ]
    assert [row[1] for row in rows[1:] if row[4] == "anna@example.lv"] == ["'=1+2"]
    assert "2 recipients" in out


def test_export_marketing_audience_checks_its_arguments(tmp_path):
    with pytest.raises(CommandError):
        call_command("export_marketing_audience", "--channel", "fax", "--out", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError):
        call_command(
            "export_marketing_audience",
            "--channel",
            "sms",
            "--out",
            str(tmp_path / "x.csv"),
            "--as-of",
            "01.01.2026",
        )
