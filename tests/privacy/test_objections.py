"""§38 "iebilst pret datu apstrādi" against each processing based on a legitimate interest (§12: "segmentēt
klientu datu bāzi pakalpojumu efektīvākai nodrošināšanai", "reklamēt savas preces un pakalpojumus"): recorded
per processing with history, decided by the DPO; while it stands the selectors feeding that processing
leave the customer out."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from consents.selectors import marketing_audience
from consents.services import consent_give
from privacy.models import Objection
from privacy.objections import objection_decide, objection_record, objection_withdraw
from privacy.selectors import legitimate_interest_subjects
from requests_app import services
from tests.factories import CustomerFactory
from tests.requests_app.conftest import grant

pytestmark = pytest.mark.django_db

SEGMENTATION = "12.14"
ADVERTISING = "12.16"


@pytest.fixture
def dpo(django_user_model):
    from tests.factories import UserFactory

    return grant(UserFactory(username="objection-dpo"), "privacy.decide_objection", "privacy.view_objection")


def test_a_standing_objection_removes_the_customer_from_that_processing_only_s38_s12(dpo):
    anna, berzins = CustomerFactory(), CustomerFactory()
    objection = objection_record(
        actor=None, customer=anna, interest=SEGMENTATION, grounds="Negribu profilēšanu."
    )
    assert objection.status == Objection.Status.PENDING
    # Pending: it stands already (GDPR Art. 18(1)(d): pending the verification of overriding grounds).
    assert set(legitimate_interest_subjects(clause=SEGMENTATION)) == {berzins}
    assert set(legitimate_interest_subjects(clause="12.11")) == {anna, berzins}  # usage analysis unaffected

    objection_decide(actor=dpo, objection=objection, upheld=True)
    assert set(legitimate_interest_subjects(clause=SEGMENTATION)) == {berzins}
    objection_withdraw(actor=None, objection=objection)
    assert set(legitimate_interest_subjects(clause=SEGMENTATION)) == {anna, berzins}
    assert [row.status for row in objection.history.order_by("history_id")] == [
        "pending",
        "upheld",
        "withdrawn",
    ]


def test_compelling_grounds_override_it_and_must_be_stated_s38(dpo):
    anna = CustomerFactory()
    objection = objection_record(actor=None, customer=anna, interest=SEGMENTATION)
    with pytest.raises(ValidationError, match="compelling grounds"):
        objection_decide(actor=dpo, objection=objection, upheld=False, reason="  ")
    objection_decide(actor=dpo, objection=objection, upheld=False, reason="Krāpniecības novēršana (§12.21).")
    assert anna in legitimate_interest_subjects(clause=SEGMENTATION)
    with pytest.raises(ValidationError, match="already decided"):
        objection_decide(actor=dpo, objection=objection, upheld=True)


def test_only_the_dpo_decides_s38():
    from tests.factories import UserFactory

    objection = objection_record(actor=None, customer=CustomerFactory(), interest=SEGMENTATION)
    with pytest.raises(PermissionDenied):
        objection_decide(actor=UserFactory(username="agent"), objection=objection, upheld=True)
    assert Objection.objects.get().status == Objection.Status.PENDING


def test_one_standing_objection_per_processing_and_unknown_interest_refused_s12():
    anna = CustomerFactory()
    objection_record(actor=None, customer=anna, interest=SEGMENTATION)
    with pytest.raises(ValidationError):
        objection_record(actor=None, customer=anna, interest="§12.14")
    with pytest.raises(ValidationError, match="No legitimate interest"):
        objection_record(actor=None, customer=anna, interest="99.9" + "x" * 5000)


def test_an_objection_to_advertising_empties_the_marketing_audience_s38_s12_16():
    anna = CustomerFactory(email="anna@example.lv")
    consent_give(actor=None, customer=anna, topic="marketing_email", channel="portal", source="p-1")
    assert anna in marketing_audience(channel="email")
    objection_record(actor=None, customer=anna, interest=ADVERTISING)
    assert anna not in marketing_audience(channel="email")


def test_an_objection_request_records_the_objection_per_processing_s38():
    from tests.factories import UserFactory

    clerk = grant(
        UserFactory(username="clerk"),
        "requests_app.add_subjectrequest",
        "requests_app.change_subjectrequest",
        "requests_app.decide_subjectrequest",
    )
    anna = CustomerFactory()
    subject_request = services.request_register(
        actor=clerk, type="objection", channel="in_person", customer=anna
    )
    with pytest.raises(ValidationError, match="not verified"):
        services.request_record_objection(subject_request=subject_request, actor=clerk, interest=SEGMENTATION)
    services.request_verify_identity(
        subject_request=subject_request,
        actor=clerk,
        document_type="passport",
        document_number=subject_request.customer.id_document_number,
    )
    objection = services.request_record_objection(
        subject_request=subject_request, actor=clerk, interest=SEGMENTATION, grounds="Nepiekrītu."
    )
    assert objection.request_id == subject_request.pk and objection.request_reference == str(subject_request)
    assert anna not in legitimate_interest_subjects(clause=SEGMENTATION)


def test_forged_decision_post_by_an_agent_changes_nothing_s38(client):
    from tests.factories import UserFactory

    agent = grant(
        UserFactory(username="agent2", is_staff=True),
        "privacy.view_objection",
        "privacy.add_objection",
    )
    objection = objection_record(actor=None, customer=CustomerFactory(), interest=SEGMENTATION)
    client.force_login(agent)
    url = reverse("admin:privacy_objection_changelist")
    client.post(url, {"action": "uphold_selected", "_selected_action": [objection.pk]})
    change = reverse("admin:privacy_objection_change", args=[objection.pk])
    client.post(change, {"decision": "upheld", "decision_reason": ""})
    assert Objection.objects.get().status == Objection.Status.PENDING


def test_the_dpo_records_and_decides_in_the_admin_through_the_services_s38(client):
    from django.contrib.auth.models import Group

    from privacy.models import LegitimateInterest
    from privacy.roles import DPO
    from tests.factories import UserFactory

    dpo = UserFactory(username="admin-dpo", is_staff=True)
    dpo.groups.add(Group.objects.get(name=DPO.group))
    anna = CustomerFactory()
    interest = LegitimateInterest.objects.get(clause=SEGMENTATION)
    client.force_login(dpo)
    client.post(
        reverse("admin:privacy_objection_add"),
        {"customer": anna.pk, "interest": interest.pk, "grounds": "Nevēlos.", "request_reference": ""},
    )
    objection = Objection.objects.get()
    assert objection.status == Objection.Status.PENDING and objection.history.count() == 1
    change = reverse("admin:privacy_objection_change", args=[objection.pk])
    client.post(change, {"decision": "overridden", "decision_reason": ""})  # no grounds: refused
    assert Objection.objects.get().status == Objection.Status.PENDING
    client.post(change, {"decision": "overridden", "decision_reason": "Tīkla drošība (§12.20)."})
    objection.refresh_from_db()
    assert objection.status == Objection.Status.OVERRIDDEN and objection.decided_by == dpo
    assert anna in legitimate_interest_subjects(clause=SEGMENTATION)
