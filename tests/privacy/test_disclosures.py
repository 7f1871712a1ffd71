"""§26: disclosures to third parties are duty records: a ground, a recipient, a legal reference and the
request they answered; they outlive an erasure as evidence that the disclosure was lawful.

§26 of the original: "Balticom neizpauž trešajām personām Klienta personas datus ..., izņemot:
  1. ja attiecīgajai trešajai personai dati jānodod noslēgtā līguma ietvaros, lai veiktu kādu līguma
     izpildei nepieciešamu vai ar likumu deleģētu funkciju (piemēram, bankai norēķinu ietvaros vai sadales
     tīkla operatoram elektroenerģijas pakalpojuma ietvaros), Klients par to tiek informēts attiecīgajā
     pakalpojuma līgumā;
  2. saskaņā ar Klienta skaidru un nepārprotamu piekrišanu;
  3. ārējos normatīvajos aktos paredzētajām personām pēc viņu pamatota pieprasījuma;
  4. Balticom leģitīmo interešu aizsardzībai normatīvajos aktos paredzētajā kārtībā, piemēram, vēršoties
     tiesā vai citās valsts institūcijās ..."
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from privacy.erasure import erase_subject
from privacy.models import Customer, DataCategory, Disclosure, Recipient
from tests.factories import CustomerFactory, UserFactory
from tests.requests_app.conftest import grant

pytestmark = pytest.mark.django_db

Ground = Disclosure.Ground


def disclosure(recipient: str, ground: str, **fields) -> Disclosure:
    """An unsaved disclosure to a seeded recipient (privacy/reference_data.py)."""
    values = {
        "customer": fields.pop("customer", None) or CustomerFactory(),
        "recipient": Recipient.objects.get(code=recipient),
        "ground": ground,
        "disclosed_on": datetime.date(2026, 3, 2),
        "legal_reference": "Operatīvās darbības likums, 6. pants",
        **fields,
    }
    return Disclosure(**values)


def errors_of(obj: Disclosure) -> dict:
    with pytest.raises(ValidationError) as caught:
        obj.full_clean()
    return caught.value.message_dict


# --- §26.1 contract or delegated function, the customer told in the contract ------------------------


@pytest.mark.parametrize("recipient", ["banks", "electricity_dso"])
def test_section_26_1_contract_disclosure_to_a_bank_or_the_distribution_operator_is_valid(recipient):
    """§26.1 "bankai norēķinu ietvaros vai sadales tīkla operatoram": the contract term is the reference."""
    obj = disclosure(recipient, Ground.CONTRACT, legal_reference="Pakalpojuma līgums, 7. punkts")
    obj.full_clean()


def test_section_26_1_needs_the_contract_term_that_told_the_customer():
    """§26.1 "Klients par to tiek informēts attiecīgajā pakalpojuma līgumā": no term named, refused."""
    assert "legal_reference" in errors_of(disclosure("banks", Ground.CONTRACT, legal_reference=" "))


def test_section_26_1_is_not_a_ground_for_giving_data_to_an_authority():
    """§26.1 is for a contract party; authorities receive data under §26.3 or §26.4."""
    assert "recipient" in errors_of(disclosure("law_entitled_persons", Ground.CONTRACT))


# --- §26.2 explicit consent ---------------------------------------------------------------------


def test_section_26_2_consent_disclosure_names_the_consent():
    """§26.2 "saskaņā ar Klienta skaidru un nepārprotamu piekrišanu": the consent is its reference."""
    disclosure("banks", Ground.CONSENT, legal_reference="Piekrišana, portāls, 2026-02-27").full_clean()
    assert "legal_reference" in errors_of(disclosure("banks", Ground.CONSENT, legal_reference=""))


# --- §26.3 persons entitled by law, on their justified request ------------------------------------


def test_section_26_3_disclosure_answers_a_justified_request():
    """§26.3 "pēc viņu pamatota pieprasījuma": the request it answered is named."""
    ok = disclosure("law_entitled_persons", Ground.LAW, request_reference="VP pieprasījums Nr. 2-2026/00017")
    ok.full_clean()
    missing = disclosure("law_entitled_persons", Ground.LAW, request_reference="")
    assert "request_reference" in errors_of(missing)


def test_section_26_3_recipient_is_a_person_entitled_by_law_not_a_bank():
    """§26.3 "ārējos normatīvajos aktos paredzētajām personām": a bank is not one."""
    obj = disclosure("banks", Ground.LAW, request_reference="Nr. 1")
    assert "recipient" in errors_of(obj)


# --- §26.4 defence of legitimate interests, before a court or a state institution ------------------


def test_section_26_4_disclosure_goes_to_a_court_or_state_institution():
    """§26.4 "vēršoties tiesā vai citās valsts institūcijās"."""
    ok = disclosure(
        "courts_state_institutions", Ground.DEFENCE, legal_reference="Tiesas lieta Nr. C2026/00003"
    )
    ok.full_clean()
    assert "recipient" in errors_of(disclosure("electricity_dso", Ground.DEFENCE))


def test_a_disclosure_without_one_of_the_four_grounds_is_refused():
    """§26 "izņemot: 1. ... 4.": no fifth ground."""
    assert "ground" in errors_of(disclosure("banks", "26.5"))


def test_a_5000_character_legal_reference_is_refused_not_truncated():
    obj = disclosure("banks", Ground.CONTRACT, legal_reference="ā" * 5000)
    assert "legal_reference" in errors_of(obj)


# --- Erasure: the disclosure stays, attached to the tombstone, without the subject's personal data ---


def test_erasure_keeps_a_disclosure_as_evidence_attached_to_the_tombstone_without_personal_data():
    """§26: the record that the disclosure was lawful outlives the subject's erasure; the notes go, in
    the live row and in its history; ground, recipient, legal reference, request and categories stay."""
    customer = CustomerFactory(first_name="Anna", last_name="Bērziņa")
    obj = disclosure(
        "law_entitled_persons",
        Ground.LAW,
        customer=customer,
        request_reference="VP pieprasījums Nr. 2-2026/00017",
        notes="Anna Bērziņa, tālr. 26123456, pieprasīja izrakstu",
    )
    obj.full_clean()
    obj.save()
    obj.data_categories.set(DataCategory.objects.filter(number__in=[1, 31]))

    record = erase_subject(customer, reason="request", actor=UserFactory())

    kept = Disclosure.objects.get(pk=obj.pk)
    assert record.tombstone
    assert record.kept[Disclosure._meta.label] == {"disclosure_evidence": 1}
    assert kept.customer_id == customer.pk
    assert Customer.objects.get(pk=customer.pk).status == Customer.Status.TOMBSTONE
    assert (kept.ground, kept.recipient.code) == (Ground.LAW, "law_entitled_persons")
    assert kept.legal_reference == "Operatīvās darbības likums, 6. pants"
    assert kept.request_reference == "VP pieprasījums Nr. 2-2026/00017"
    assert kept.disclosed_on == datetime.date(2026, 3, 2)
    assert set(kept.data_categories.values_list("number", flat=True)) == {1, 31}
    assert kept.notes == ""
    erased_version = Disclosure.history.filter(id=obj.pk, history_type="~").latest()
    assert erased_version.history_change_reason == f"erasure {record.uuid}"
    assert set(erased_version.data_categories.values_list("datacategory_id", flat=True)) == set(
        DataCategory.objects.filter(number__in=[1, 31]).values_list("pk", flat=True)
    )
    assert not Disclosure.history.filter(id=obj.pk).exclude(notes="").exists()
    assert "Bērziņa" not in str(list(Disclosure.history.filter(id=obj.pk).values()))


# --- The admin: the form validates the ground; a role without the permission cannot post -----------


def _post(client, customer, recipient: str, ground: str, **fields):
    data = {
        "customer": customer.pk,
        "recipient": Recipient.objects.get(code=recipient).pk,
        "ground": ground,
        "legal_reference": "Operatīvās darbības likums, 6. pants",
        "request_reference": "",
        "disclosed_on": "2026-03-02",
        "data_categories": [DataCategory.objects.get(number=1).pk],
        "notes": "",
        **fields,
    }
    return client.post(reverse("admin:privacy_disclosure_add"), data)


def test_the_admin_refuses_a_section_26_3_disclosure_without_the_request_it_answered(client):
    """§26.3 in the admin: the DPO's form shows the error and records nothing."""
    dpo = grant(UserFactory(username="dpo26"), "privacy.add_disclosure", "privacy.view_disclosure")
    client.force_login(dpo)
    customer = CustomerFactory()

    refused = _post(client, customer, "law_entitled_persons", Ground.LAW)
    assert refused.status_code == 200
    assert "request_reference" in refused.context["adminform"].form.errors
    assert not Disclosure.objects.exists()

    accepted = _post(
        client, customer, "law_entitled_persons", Ground.LAW, request_reference="VP pieprasījums Nr. 2-2026/9"
    )
    assert accepted.status_code == 302
    assert Disclosure.objects.get().request_reference == "VP pieprasījums Nr. 2-2026/9"


def test_a_forged_post_by_a_customer_service_agent_records_no_disclosure(client):
    """Only the DPO records disclosures (README roles): an agent's forged POST is refused."""
    agent = grant(UserFactory(username="agent26"), "privacy.view_customer", "privacy.change_customer")
    client.force_login(agent)
    response = _post(client, CustomerFactory(), "banks", Ground.CONTRACT, legal_reference="Līgums, 7. p.")
    assert response.status_code == 403
    assert not Disclosure.objects.exists()
