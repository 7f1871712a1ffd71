"""§68: "Balticom ir tiesības veikt papildinājumus Privātuma politikā, padarot pieejamu Klientam tā aktuālo
versiju"; §69: "Balticom saglabā Privātuma politikas iepriekšējās redakcijas". Each version holds its full
text per language and its dates; the access answer names the version in force when each consent was
given; a new version's notice (who, and the letter in their language) comes from the admin."""

import csv
import datetime
import io
import json
import zipfile

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from consents.services import consent_give
from privacy.models import Customer, PolicyVersion
from privacy.policy_notice import policy_notice_render
from privacy.roles import AUDITOR, DPO
from requests_app.export import package_bytes
from tests.factories import CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_version():
    return PolicyVersion.objects.create(
        label="2026-06-01",
        effective_from=datetime.date(2026, 6, 1),
        text_lv="Balticom apstrādā Klienta personas datus ...",
        text_ru="Balticom обрабатывает персональные данные Клиента ...",
        text_en="Balticom processes the customer's personal data ...",
    )


def staff(username, role):
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=role.group))
    return user


def test_each_version_holds_its_text_per_language_and_its_dates_s68_s69(new_version):
    old = PolicyVersion.objects.get(label="2023-01-20")
    assert old.effective_until == datetime.date(2026, 5, 31)
    assert new_version.effective_until is None
    assert new_version.text_in("ru").startswith("Balticom обрабатывает")
    new_version.text_en = ""
    assert new_version.text_in("en").startswith("Balticom apstrādā")  # the Latvian original wins


def test_the_access_package_names_the_version_in_force_when_each_consent_was_given_s68(new_version):
    customer = CustomerFactory()
    riga = datetime.timezone(datetime.timedelta(hours=3))
    consent_give(
        actor=None,
        customer=customer,
        topic="surveys",
        channel="portal",
        source="old",
        occurred_at=datetime.datetime(2025, 3, 1, 12, tzinfo=riga),
    )
    consent_give(
        actor=None,
        customer=customer,
        topic="usage_analysis",
        channel="portal",
        source="new",
        occurred_at=timezone.now(),
    )
    document = json.loads(zipfile.ZipFile(io.BytesIO(package_bytes(customer))).read("data.json"))
    events = next(t for t in document["tables"] if t["model"] == "consents.ConsentEvent")["rows"]
    by_source = {row["source"]: row["policy_version"] for row in events}
    assert by_source == {"old": "2023-01-20", "new": "2026-06-01"}


def test_the_dpo_gets_the_list_and_the_letters_in_each_language_through_the_export_gate_s68(
    client, new_version
):
    anna = CustomerFactory(customer_number="C1", preferred_language="ru", email="anna@example.lv")
    CustomerFactory(customer_number="C2", preferred_language="lv", restricted_since=timezone.now())
    Customer.objects.filter(pk=CustomerFactory(customer_number="C3").pk).update(
        status=Customer.Status.TOMBSTONE
    )
    client.force_login(staff("dpo", DPO))
    response = client.post(
        reverse("admin:privacy_policyversion_changelist"),
        {"action": "notify_customers", "_selected_action": [new_version.pk]},
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    rows = list(csv.DictReader(io.StringIO(archive.read("customers.csv").decode("utf-8-sig"))))
    assert [(r["customer_number"], r["preferred_language"]) for r in rows] == [("C1", "ru")]  # no C2, C3
    assert rows[0]["email"] == anna.email
    assert "Политика конфиденциальности Balticom изменилась" in archive.read("letter_ru.html").decode()
    assert "Balticom privātuma politika ir mainīta" in archive.read("letter_lv.html").decode()
    assert "1 June 2026" in archive.read("letter_en.html").decode()
    assert "2023-01-20" in archive.read("letter_en.html").decode()  # the version it replaces, still published


def test_an_auditors_forged_post_gets_no_list_s68(client, new_version):
    CustomerFactory()
    client.force_login(staff("auditor", AUDITOR))
    response = client.post(
        reverse("admin:privacy_policyversion_changelist"),
        {"action": "notify_customers", "_selected_action": [new_version.pk]},
    )
    assert response.get("Content-Type") != "application/zip"


def test_the_letter_survives_a_5000_character_text_and_nul_s68(new_version):
    new_version.text_lv = "<script>x</script>" + "ā" * 5000 + "\x00"
    html = policy_notice_render(new_version, "lv")
    assert "<script>" not in html and "ā" * 5000 in html
