"""A legal hold names a record that exists (§31: "tiesvedības vai citas juridiskas darbības laikā dati
netiek dzēsti"). A hold whose record id is not an id of the record type (a customer number typed into
a recording's id) or names no record is refused by the form and the service; one saved before these
checks never stops a sweep or a preview: the sweep keeps every validly held row, reports the bad hold
in the run record and goes on; the admin and a system check show it."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from privacy.checks import legal_holds_name_records
from privacy.erasure import erase_subject
from privacy.models import LegalHold, Recording
from privacy.services import legal_hold_set
from retention.models import RetentionRule, RetentionRun
from tests.factories import UserFactory
from tests.security.conftest import in_role

from .factories import AS_OF, LONG_PAST, LegalHoldFactory, hold_record, old_customer, recording_on, sweep

pytestmark = pytest.mark.django_db

ADD = "admin:privacy_legalhold_add"


def _bad_hold(object_id="C00000007", model=Recording) -> LegalHold:
    """A hold as the admin saved it before it checked the record (written straight to the table)."""
    return LegalHoldFactory(
        customer=None,
        content_type=ContentType.objects.get_for_model(model),
        object_id=object_id,
        reason="Tiesas rīkojums",
    )


def _post(client, **data):
    form = {"customer_number": "", "content_type": "", "object_id": "", "reason": "", "until": ""}
    form.update(data)
    form.setdefault("released_at", "")
    return client.post(reverse(ADD), form)


# --- the form and the service refuse a hold that names nothing ---------------------------------------


@pytest.mark.parametrize(
    "object_id",
    ["C00000007", "Rūta Kārkliņa", "99999999999999999999999", "7.5", "0x10", "\x00", "9" * 64, "x" * 5000],
)
def test_the_hold_form_refuses_an_id_that_is_no_recording_id_and_does_not_echo_it(client, object_id):
    """§31: `privacy | recording` with a customer number as its id used to save and break every sweep."""
    client.force_login(in_role("retention_operator"))
    recording_on(LONG_PAST)
    content_type = ContentType.objects.get_for_model(Recording)
    response = _post(client, content_type=content_type.pk, object_id=object_id, reason="Court order")
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "object_id" in errors
    assert object_id.strip() not in str(errors["object_id"])  # what was typed is not repeated
    assert not LegalHold.objects.exists()


def test_the_hold_form_refuses_a_recording_that_does_not_exist_and_accepts_one_that_does(client):
    operator = in_role("retention_operator")
    client.force_login(operator)
    recording = recording_on(LONG_PAST)
    content_type = ContentType.objects.get_for_model(Recording)

    missing = _post(client, content_type=content_type.pk, object_id=str(recording.pk + 1000), reason="Court")
    assert missing.status_code == 200
    assert "object_id" in missing.context["adminform"].form.errors
    assert not LegalHold.objects.exists()

    saved = _post(client, content_type=content_type.pk, object_id=f" 00{recording.pk} ", reason="Court")
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    hold = LegalHold.objects.get()
    assert (hold.object_id, hold.set_by) == (str(recording.pk), operator)  # stored as the record's key
    assert hold.history.get().history_user == operator


def test_the_service_refuses_a_hold_on_no_record():
    actor = UserFactory()
    recording = recording_on(LONG_PAST)
    content_type = ContentType.objects.get_for_model(Recording)
    for object_id in ("C00000007", str(recording.pk + 1000), ""):
        with pytest.raises(ValidationError):
            legal_hold_set(actor=actor, reason="Court", content_type=content_type, object_id=object_id)
    with pytest.raises(ValidationError):
        legal_hold_set(
            actor=actor,
            reason="Court",
            customer=recording.customer,
            content_type=content_type,
            object_id=str(recording.pk),
        )
    hold = legal_hold_set(actor=actor, reason="Court", content_type=content_type, object_id=str(recording.pk))
    assert hold.set_by == actor and LegalHold.objects.count() == 1


# --- a bad hold saved earlier never stops the sweep -----------------------------------------------------


def test_the_recordings_sweep_goes_on_past_a_mistyped_hold_and_reports_it(rules):
    """§31, §33: "C00000007" on a recording used to fail the whole night (`value must be an integer`);
    now the overdue recordings go, the validly held one stays, and the run names the bad hold."""
    bad = _bad_hold()
    overdue = [recording_on(LONG_PAST) for _ in range(3)]
    held = recording_on(LONG_PAST)
    hold_record(held)
    run = sweep("recordings", AS_OF)
    assert run.status == RetentionRun.Status.FINISHED
    assert set(Recording.objects.values_list("pk", flat=True)) == {held.pk}
    assert run.deleted == 3 and run.kept_by_reason == {"legal_hold": 1}
    assert run.errors == 1
    assert run.error_log == [
        {"target": f"privacy.LegalHold#{bad.pk}", "error": "InvalidLegalHold", "code": "invalid_record_id"}
    ]
    assert "C00000007" not in str(run.error_log) and overdue


def test_a_hold_on_a_recording_that_is_gone_is_reported_too(rules):
    gone = _bad_hold(object_id="987654")
    recording_on(LONG_PAST)
    run = sweep("recordings", AS_OF, dry_run=True)
    assert run.status == RetentionRun.Status.FINISHED and run.deleted == 1
    assert [entry["target"] for entry in run.error_log] == [f"privacy.LegalHold#{gone.pk}"]
    assert run.error_log[0]["code"] == "no_such_record"


def test_a_customer_rule_goes_on_past_a_mistyped_hold_on_a_customer_record(rules):
    """The customer rules read record holds on customers through the same path."""
    from privacy.models import Customer

    _bad_hold(object_id="C00000007", model=Customer)
    run = sweep("former_customers", AS_OF)
    assert run.status == RetentionRun.Status.FINISHED and run.errors == 1


def test_a_hold_on_another_record_type_is_not_reported_by_this_rule(rules):
    from privacy.models import Invoice

    _bad_hold(object_id="C00000007", model=Invoice)
    assert sweep("recordings", AS_OF).errors == 0
    assert sweep("invoices", AS_OF).errors == 1


def test_a_released_bad_hold_is_not_reported(rules):
    from django.utils import timezone

    hold = _bad_hold()
    LegalHold.objects.filter(pk=hold.pk).update(released_at=timezone.now())
    assert sweep("recordings", AS_OF).errors == 0


def test_the_preview_opens_and_warns_with_a_mistyped_hold(client, rules):
    """The retention preview used to answer 500 for every rule reading record holds."""
    bad = _bad_hold()
    recording_on(LONG_PAST)
    client.force_login(in_role("retention_operator"))
    rule = RetentionRule.objects.get(code="recordings")
    response = client.get(
        reverse("admin:retention_retentionrule_preview", args=[rule.pk]), {"as_of": AS_OF.isoformat()}
    )
    assert response.status_code == 200
    warnings = [str(message) for message in response.context["messages"]]
    assert any(f"#{bad.pk}" in message for message in warnings)


def test_erasure_keeps_a_record_whose_hold_id_has_leading_zeros():
    """A hold typed "007" before the form normalised ids holds record 7: erasure keeps it (§31)."""
    customer = old_customer()
    recording = recording_on(LONG_PAST, customer=customer)
    _bad_hold(object_id=f"00{recording.pk}")
    _bad_hold(object_id="C00000007")  # and a mistyped one does not stop the erasure
    record = erase_subject(customer, reason="test", actor=None)
    assert Recording.objects.filter(pk=recording.pk).exists()
    assert record.kept["privacy.Recording"] == {"legal_hold": 1}


# --- existing bad holds are found -----------------------------------------------------------------------


def test_a_system_check_finds_holds_that_name_no_record():
    bad, gone = _bad_hold(), _bad_hold(object_id="987654")
    good = hold_record(recording_on(LONG_PAST))
    found = legal_holds_name_records(databases=["default"])
    assert [(w.id, w.obj) for w in found] == [
        ("privacy.W001", f"privacy.LegalHold#{bad.pk}"),
        ("privacy.W001", f"privacy.LegalHold#{gone.pk}"),
    ]
    assert f"#{good.pk}" not in str(found)
    assert "C00000007" not in str(found)
    assert legal_holds_name_records(databases=None) == []  # plain `check` does not touch the database
    call_command("check", "--database", "default")  # a warning, not an error: the command passes


def test_the_hold_list_flags_a_hold_on_no_record(client):
    bad = _bad_hold()
    client.force_login(in_role("retention_operator"))
    hold_record(recording_on(LONG_PAST))  # a valid one, not listed
    response = client.get(reverse("admin:privacy_legalhold_changelist"), {"names_no_record": "1"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [bad]
    page = client.get(reverse("admin:privacy_legalhold_change", args=[bad.pk]))
    assert page.status_code == 200
    assert any("names no existing record" in str(message) for message in page.context["messages"])
