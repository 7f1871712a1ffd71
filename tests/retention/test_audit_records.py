"""§32: audit records outlive the records they are about, and the access and security logs have a window.

§32 of the original: "Auditācijas pieraksti tiek uzglabāti vismaz vienu gadu no to veikšanas dienas
saskaņā ar normatīvajos aktos noteikto. Auditācijas pieraksti no paaugstinātas drošības informācijas
sistēmām tik glabāti vismaz 18 (astoņpadsmit mēnešus)."

The policy classifies systems, not tables: this back-office holds special categories and call
recordings, so it is a heightened-security system (RETENTION_HEIGHTENED_SECURITY_SYSTEM, on by default)
and every audit record of it is kept 18 months from the day it was made.
"""

import datetime

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as LoginLog
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType

from privacy.erasure import erase_subject
from privacy.models import AccessLog, Contract, Recording
from retention.cutoffs import add_months
from tests.factories import ContractFactory, UserFactory

from .factories import age_history, hold_record, old_customer, recording_on, riga, sweep

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)
AS_OF = [D(2025, 7, 16), D(2025, 3, 1), D(2025, 11, 3)]

pytestmark = pytest.mark.django_db


# --- History of an ordinary model: 18 months in a heightened-security system ----------------------


def _contract_history(day):
    contract = ContractFactory(customer=old_customer())
    age_history(contract, day)
    return lambda: Contract.history.filter(id=contract.pk).exists()


@pytest.mark.parametrize("as_of", AS_OF, ids=str)
def test_section_32_every_audit_record_of_this_heightened_security_system_is_kept_18_months(rules, as_of):
    """§32 "no paaugstinātas drošības informācijas sistēmām ... vismaz 18 (astoņpadsmit mēnešus)": a
    contract's history (no special category) is kept through 18 months, not 12."""
    boundary = add_months(as_of, -18)
    twelve_months_past = _contract_history(add_months(as_of, -12) - ONE_DAY)
    inside, on_boundary, past = (
        _contract_history(d) for d in (boundary + ONE_DAY, boundary, boundary - ONE_DAY)
    )

    sweep("audit_history", as_of)

    assert twelve_months_past()
    assert (inside(), on_boundary(), past()) == (True, True, False)
    sweep("audit_history", as_of + ONE_DAY)
    assert (inside(), on_boundary()) == (True, False)


@pytest.mark.parametrize("as_of", AS_OF, ids=str)
def test_section_32_a_system_not_of_heightened_security_keeps_ordinary_audit_records_one_year(
    rules, settings, as_of
):
    """§32 "vismaz vienu gadu no to veikšanas dienas": the system-level setting switched off."""
    settings.RETENTION_HEIGHTENED_SECURITY_SYSTEM = False
    boundary = add_months(as_of, -12)
    inside, on_boundary, past = (
        _contract_history(d) for d in (boundary + ONE_DAY, boundary, boundary - ONE_DAY)
    )

    sweep("audit_history", as_of)

    assert (inside(), on_boundary(), past()) == (True, True, False)


# --- A deleted record's audit records stay, without its personal content ---------------------------


def test_section_32_a_swept_recordings_history_outlives_it_without_the_file(rules):
    """§33 deletes the recording after 6 months; §32 keeps who made and changed it, when, and that the
    retention sweep deleted it, until 18 months after each audit record was made. The file name goes."""
    as_of = D(2025, 7, 16)
    recording = recording_on(D(2025, 1, 10))
    Recording.objects.filter(pk=recording.pk).update(file="recordings/2025/01/anna-berzina-26123456.wav")
    Recording.history.filter(id=recording.pk).update(file="recordings/2025/01/anna-berzina-26123456.wav")
    age_history(recording, D(2025, 1, 10))

    run = sweep("recordings", as_of)

    assert run.deleted == 1
    assert not Recording.objects.filter(pk=recording.pk).exists()
    history = Recording.history.filter(id=recording.pk)
    assert list(history.order_by("history_date").values_list("history_type", flat=True)) == ["+", "-"]
    assert set(history.values_list("file", flat=True)) == {""}
    assert set(history.values_list("customer_id", flat=True)) == {recording.customer_id}
    gone = history.get(history_type="-")
    assert gone.history_change_reason.startswith("retention recordings (§33)")

    sweep("audit_history", add_months(D(2025, 1, 10), 18))  # the "+" row's window ends that day
    assert history.count() == 2
    sweep("audit_history", add_months(D(2025, 1, 10), 18) + ONE_DAY)
    assert list(history.values_list("history_type", flat=True)) == ["-"]


def test_section_32_erasure_keeps_the_audit_records_of_deleted_rows_without_personal_data():
    """§32: an erasure deletes the contract; who changed it and when stays, the address goes."""
    staff = UserFactory()
    customer = old_customer()
    contract = ContractFactory(customer=customer, service_address="Brīvības iela 1-5, Rīga")
    contract.service_name = "Internets 1 Gbit/s"
    contract.save()

    erase_subject(customer, reason="request", actor=staff)

    history = Contract.history.filter(id=contract.pk)
    assert list(history.order_by("history_date").values_list("history_type", flat=True)) == ["+", "~", "-"]
    assert set(history.values_list("service_address", flat=True)) == {""}
    assert history.get(history_type="-").history_user == staff


def test_section_32_audit_records_of_an_erased_customer_go_when_their_own_window_ends(rules):
    """§32: the blank audit records of a customer deleted by erasure (no row left to join) are deleted
    by the audit_history rule 18 months after they were made, not kept forever."""
    customer = old_customer()
    contract = ContractFactory(customer=customer)
    erase_subject(customer, reason="request", actor=None)
    made = D(2023, 1, 10)
    for model, pk in ((Contract, contract.pk), (type(customer), customer.pk)):
        model.history.filter(id=pk).update(history_date=riga(made))
    assert Contract.history.filter(id=contract.pk).exists()

    sweep("audit_history", add_months(made, 18))
    assert Contract.history.filter(id=contract.pk).count() == 2
    assert type(customer).history.filter(id=customer.pk).exists()
    sweep("audit_history", add_months(made, 18) + ONE_DAY)
    assert not Contract.history.filter(id=contract.pk).exists()
    assert not type(customer).history.filter(id=customer.pk).exists()


# --- The access and security logs ----------------------------------------------------------------


def _file_access(day):
    entry = AccessLog.objects.create(action="download", object_label="privacy.Recording", object_id="7")
    AccessLog.objects.filter(pk=entry.pk).update(at=riga(day))
    return entry


def _axes_fields():
    _axes_fields.n = getattr(_axes_fields, "n", 0) + 1  # (username, address, agent) is unique
    return {
        "user_agent": "Mozilla/5.0",
        "ip_address": "10.1.2.3",
        "username": f"anna{_axes_fields.n}",
        "http_accept": "text/html",
        "path_info": "/admin/login/",
    }


def _login_attempt(day):
    entry = AccessAttempt.objects.create(**_axes_fields(), get_data="", post_data="", failures_since_start=2)
    AccessAttempt.objects.filter(pk=entry.pk).update(attempt_time=riga(day))
    return entry


def _login(day):
    entry = LoginLog.objects.create(**_axes_fields())
    LoginLog.objects.filter(pk=entry.pk).update(attempt_time=riga(day))
    return entry


def _login_failure(day):
    entry = AccessFailureLog.objects.create(**_axes_fields(), locked_out=True)
    AccessFailureLog.objects.filter(pk=entry.pk).update(attempt_time=riga(day))
    return entry


def _admin_action(day):
    user = UserFactory()
    entry = LogEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(user),
        object_id=str(user.pk),
        object_repr="anna",
        action_flag=CHANGE,
        change_message="changed email",
    )
    LogEntry.objects.filter(pk=entry.pk).update(action_time=riga(day))
    return entry


LOGS = {
    "file access log": _file_access,
    "axes login attempts": _login_attempt,
    "axes login log": _login,
    "axes failed logins": _login_failure,
    "admin action log": _admin_action,
}


def _alive(entry) -> bool:
    return type(entry).objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize("as_of", AS_OF, ids=str)
@pytest.mark.parametrize("log", list(LOGS))
def test_section_32_access_and_security_logs_are_kept_18_months_then_deleted(rules, log, as_of):
    """§32: a log entry one day inside and on the boundary day is kept, one a day past is deleted."""
    make = LOGS[log]
    boundary = add_months(as_of, -18)
    inside, on_boundary, past = make(boundary + ONE_DAY), make(boundary), make(boundary - ONE_DAY)

    run = sweep("security_logs", as_of)

    assert run.status == "finished"
    assert (_alive(inside), _alive(on_boundary), _alive(past)) == (True, True, False)
    sweep("security_logs", as_of + ONE_DAY)
    assert (_alive(inside), _alive(on_boundary)) == (True, False)


@pytest.mark.parametrize("log", list(LOGS))
def test_section_32_logs_of_a_system_not_of_heightened_security_go_after_one_year(rules, settings, log):
    settings.RETENTION_HEIGHTENED_SECURITY_SYSTEM = False
    as_of = D(2025, 7, 16)
    boundary = add_months(as_of, -12)
    on_boundary, past = LOGS[log](boundary), LOGS[log](boundary - ONE_DAY)

    sweep("security_logs", as_of)

    assert (_alive(on_boundary), _alive(past)) == (True, False)


def test_section_32_a_legal_hold_keeps_a_file_access_entry_past_its_window(rules):
    as_of = D(2025, 7, 16)
    held = _file_access(D(2020, 1, 1))
    other = _file_access(D(2020, 1, 1))
    hold_record(held)

    run = sweep("security_logs", as_of)

    assert (_alive(held), _alive(other)) == (True, False)
    assert run.kept_by_reason == {"legal_hold": 1}


def test_section_32_the_log_rule_deletes_the_file_access_entries_history_with_it(rules):
    """A log is its own audit record: its history rows go with it, no "-" row is left behind."""
    entry = _file_access(D(2020, 1, 1))
    age_history(entry, D(2020, 1, 1))

    sweep("security_logs", D(2025, 7, 16))

    assert not AccessLog.history.filter(id=entry.pk).exists()
