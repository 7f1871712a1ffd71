"""§16–18: automated decisions with legal effect are logged and gated. §17: "var tikt veikta tikai līguma
starp Balticom un Klientu noslēgšanas vai izpildes gaitā, pamatojoties uz Klienta nepārprotamu piekrišanu
vai ārējos normatīvajos aktos noteiktajos gadījumos"."""

import datetime
import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from consents.automated_decisions import CSV_COLUMNS, automated_decision_record
from consents.models import AutomatedDecision
from consents.services import consent_give, consent_withdraw
from privacy.erasure import erase_subject
from requests_app.export import package_bytes
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _record(customer, **overrides):
    values = {
        "actor": None,
        "customer": customer,
        "decided_at": NOW - datetime.timedelta(minutes=5),
        "system": "credit-scoring",
        "logic_version": "score-v3.2",
        "matter": "service application",
        "outcome": "refused",
        "ground": "contract_consent",
        "contract_reference": "APP-77",
        "reference": "D-1",
    }
    values.update(overrides)
    return automated_decision_record(**values)


def _decide(service, customer, *, days_ago, source):
    """The customer gives or withdraws the §17 explicit consent to automated decisions on the portal."""
    return service(
        actor=None,
        customer=customer,
        topic="automated_decisions",
        channel="portal",
        source=source,
        occurred_at=NOW - datetime.timedelta(days=days_ago),
    )


def test_a_decision_on_contract_and_explicit_consent_is_recorded_s17():
    customer = CustomerFactory()
    event = _decide(consent_give, customer, days_ago=1, source="p")
    decision = _record(customer)
    assert (decision.outcome, decision.ground, decision.consent_event_id) == (
        "refused",
        "contract_consent",
        event.pk,
    )
    assert decision.history.count() == 1
    assert _record(customer).pk == decision.pk  # the same reference twice: one record


def test_a_decision_without_a_ground_is_refused_s17():
    customer = CustomerFactory()
    with pytest.raises(ValidationError, match="explicit consent"):
        _record(customer)  # no consent at all
    _decide(consent_give, customer, days_ago=2, source="p")
    _decide(consent_withdraw, customer, days_ago=1, source="w")
    with pytest.raises(ValidationError, match="explicit consent"):
        _record(customer)  # withdrawn before the decision
    with pytest.raises(ValidationError, match="provision of law"):
        _record(customer, ground="law")
    with pytest.raises(ValidationError, match="needs its ground"):
        _record(customer, ground="")
    with pytest.raises(ValidationError, match="future"):
        _record(
            customer,
            ground="law",
            legal_provision="x",
            decided_at=datetime.datetime(9999, 1, 1, tzinfo=datetime.UTC),
        )
    assert not AutomatedDecision.objects.exists()


def test_a_decision_required_by_law_needs_no_consent_s17():
    decision = _record(
        CustomerFactory(), ground="law", legal_provision="Noziedzīgi iegūtu līdzekļu likums, 11.1 p."
    )
    assert decision.consent_event_id is None and decision.legal_provision.startswith("Noziedzīgi")


def test_the_access_package_shows_decisions_with_the_right_to_human_review_s16_18():
    customer = CustomerFactory()
    _record(customer, ground="law", legal_provision="likums", matter="pieteikums internetam")
    archive = zipfile.ZipFile(io.BytesIO(package_bytes(customer)))
    text = json.dumps(json.loads(archive.read("data.json")), ensure_ascii=False)
    assert "pieteikums internetam" in text and "score-v3.2" in text
    assert "human_review_requested_at" in text


def test_erasure_removes_the_decisions_s16_18():
    customer = CustomerFactory()
    _record(customer, ground="law", legal_provision="likums")
    erase_subject(customer, reason="test", actor=None)
    assert not AutomatedDecision.objects.exists()


def test_one_command_call_records_a_decision_or_a_csv_file_s16_18(tmp_path):
    customer = CustomerFactory(customer_number="C900")
    out = io.StringIO()
    call_command(
        "record_automated_decision",
        "C900",
        "--system",
        "credit-scoring",
        "--logic-version",
        "v1",
        "--matter",
        "application",
        "--outcome",
        "approved",
        "--ground",
        "law",
        "--law",
        "likums",
        "--reference",
        "R-1",
        stdout=out,
    )
    assert AutomatedDecision.objects.get().customer == customer
    with pytest.raises(CommandError, match="explicit consent"):
        call_command(
            "record_automated_decision",
            "C900",
            "--system",
            "s",
            "--logic-version",
            "v1",
            "--matter",
            "m",
            "--outcome",
            "approved",
            "--ground",
            "contract_consent",
            "--contract",
            "K-1",
            "--reference",
            "R-2",
        )
    good = tmp_path / "decisions.csv"
    header = ",".join(CSV_COLUMNS)
    good.write_text(
        f"{header}\nC900,2026-01-05T10:00:00+02:00,s,v1,m,refused,law,,likums,R-3\n", encoding="utf-8"
    )
    call_command("record_automated_decision", "--csv", str(good), stdout=out)
    assert AutomatedDecision.objects.count() == 2
    bad = tmp_path / "bad.csv"
    bad.write_text(
        f"{header}\nC900,2026-01-05T10:00:00+02:00,s,v1,m,refused,law,,likums,R-4\n"
        "C900,2026-01-05T10:00:00+02:00,s,v1,m,refused,,,,R-5\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="line 3"):
        call_command("record_automated_decision", "--csv", str(bad), stdout=out)
    assert AutomatedDecision.objects.count() == 2  # all or nothing
