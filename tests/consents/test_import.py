"""The consent CSV import engine (§47–49): encodings, delimiters, errors by line and column,
all-or-nothing, idempotence, ordering, history. Key behaviour runs on both backends: PostgreSQL (COPY and
set-based SQL) and the ORM path used with SQLite."""

import datetime
import io

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consents.importer import run_import
from consents.importer.reading import RIGA
from consents.models import Consent, ConsentEvent
from consents.services import consent_give
from privacy.models import Customer, PolicyVersion
from tests.consents.factories import counts
from tests.factories import CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = "customer_number,topic,action,channel,occurred_at,source,policy_version"
BACKENDS = ["postgres", "orm"]


def csv_file(*lines: str, header: str = HEADER, encoding: str = "utf-8", newline: str = "\n") -> io.BytesIO:
    text = newline.join([header, *lines]) + newline
    return io.BytesIO(text.encode(encoding))


@pytest.fixture
def staff():
    return UserFactory(username="importer")


@pytest.fixture
def anna():
    return CustomerFactory(customer_number="C100")


@pytest.fixture
def berzins():
    return CustomerFactory(customer_number="C200")


def _email_consent_on_the_portal(customer, staff, *, month: int):
    """The state a file meets: the customer consented to marketing e-mail on the portal, 1 `month` 2024."""
    consent_give(
        actor=staff,
        customer=customer,
        topic="marketing_email",
        channel="portal",
        occurred_at=datetime.datetime(2024, month, 1, tzinfo=RIGA),
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_valid_file_writes_ledger_state_and_history_attributed_to_the_staff_user(
    backend, staff, anna, berzins
):
    """§46–49: each row becomes a ledger event; the state follows; history names the importer and file."""
    handle = csv_file(
        "C100,marketing_email,given,portal,2024-05-01T10:00:00,portal-1,",
        "C200,marketing_sms,withdrawn,phone,2024-05-02 11:30,call-77,",
    )
    result = run_import(handle, file_name="portal.csv", actor=staff, backend=backend)

    assert result.ok and result.applied
    assert (result.rows, result.new_events, result.consents_created) == (2, 2, 2)
    event = ConsentEvent.objects.get(customer=anna)
    assert (event.topic.code, event.action, event.channel, event.source) == (
        "marketing_email",
        "given",
        "portal",
        "portal-1",
    )
    assert event.occurred_at == datetime.datetime(2024, 5, 1, 10, 0, tzinfo=RIGA)
    assert event.captured_by == staff
    assert event.policy_version.label == "2023-01-20"
    assert Consent.objects.get(customer=berzins).status == "withdrawn"
    assert counts() == {"events": 2, "event_history": 2, "consents": 2, "consent_history": 2}
    for record in [*ConsentEvent.history.all(), *Consent.history.all()]:
        assert record.history_user == staff
        assert record.history_type == "+"
        assert "portal.csv" in record.history_change_reason


@pytest.mark.parametrize("backend", BACKENDS)
def test_withdrawal_listed_before_its_give_still_wins_when_it_is_later(backend, staff, anna):
    """Rows of one customer and topic apply in occurred_at order, whatever their order in the file."""
    handle = csv_file(
        "C100,marketing_email,withdrawn,email,2024-06-01T09:00:00,mail-2,",
        "C100,marketing_email,given,portal,2024-03-01T09:00:00,portal-1,",
    )
    result = run_import(handle, file_name="mixed.csv", actor=staff, backend=backend)

    assert result.ok
    consent = Consent.objects.get(customer=anna)
    assert consent.status == "withdrawn"
    assert consent.occurred_at == datetime.datetime(2024, 6, 1, 9, 0, tzinfo=RIGA)
    assert ConsentEvent.objects.filter(customer=anna).count() == 2  # both decisions stay in the ledger (§49)
    assert Consent.history.filter(customer_id=anna.pk).count() == 1  # one change of state, one history row


@pytest.mark.parametrize("backend", BACKENDS)
def test_windows_1257_semicolon_file_with_latvian_letters(backend, staff):
    customer = CustomerFactory(customer_number="LV-Ā1")
    handle = csv_file(
        "LV-Ā1;surveys;given;in_person;15.03.2024 14:05;Klātienē, Rīga – Ķekava šķūnis Žagars;",
        "LV-Ā1;usage_analysis;given;application_form;15.03.2024 14:05:30;Pieteikuma forma Nr. 5;2023-01-20",
        header=HEADER.replace(",", ";"),
        encoding="cp1257",
        newline="\r\n",
    )
    result = run_import(handle, file_name="veikals.csv", actor=staff, backend=backend)

    assert result.ok, result.errors
    assert (result.encoding, result.delimiter) == ("cp1257", ";")
    survey = ConsentEvent.objects.get(customer=customer, topic__code="surveys")
    assert survey.source == "Klātienē, Rīga – Ķekava šķūnis Žagars"
    assert survey.occurred_at == datetime.datetime(2024, 3, 15, 14, 5, tzinfo=RIGA)
    usage = ConsentEvent.objects.get(customer=customer, topic__code="usage_analysis")
    assert usage.occurred_at.second == 30


@pytest.mark.parametrize("backend", BACKENDS)
def test_utf8_with_bom_and_explicit_offsets(backend, staff, anna):
    handle = io.BytesIO(
        ("\ufeff" + HEADER + "\nC100,personalised_ads,given,app,2024-07-01T12:00:00+00:00,app-9,\n").encode()
    )
    result = run_import(handle, file_name="bom.csv", actor=staff, backend=backend)

    assert result.ok and result.encoding == "utf-8-sig"
    event = ConsentEvent.objects.get(customer=anna)
    assert event.occurred_at == datetime.datetime(2024, 7, 1, 12, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_file_with_one_bad_row_applies_nothing_and_names_the_line(backend, staff, anna, berzins):
    """All or nothing: no events, no state, no history rows; the error says line 3, column topic."""
    consent_give(actor=staff, customer=anna, topic="surveys", channel="portal")
    before = counts()
    handle = csv_file(
        "C100,marketing_email,given,portal,2024-05-01T10:00:00,a,",
        "C200,marketing_faxes,given,portal,2024-05-01T10:00:00,b,",
        "C200,marketing_sms,given,portal,2024-05-01T10:00:00,c,",
    )
    result = run_import(handle, file_name="bad.csv", actor=staff, backend=backend)

    assert not result.applied
    assert [(error.line, error.column) for error in result.errors] == [(3, "topic")]
    assert "marketing_faxes" in result.errors[0].message
    assert counts() == before


@pytest.mark.parametrize("backend", BACKENDS)
def test_reimporting_the_same_file_adds_nothing(backend, staff, anna, berzins):
    lines = [
        "C100,marketing_email,given,portal,2024-05-01T10:00:00,portal-1,",
        "C100,marketing_email,withdrawn,email,2024-05-03T10:00:00,,",
        "C200,surveys,given,in_person,01.02.2024 08:00,,",
    ]
    first = run_import(csv_file(*lines), file_name="f.csv", actor=staff, backend=backend)
    after_first = counts()
    second = run_import(csv_file(*lines), file_name="f.csv", actor=staff, backend=backend)

    assert first.new_events == 3
    assert (second.new_events, second.duplicates) == (0, 3)
    assert second.consents_created + second.consents_changed + second.consents_refreshed == 0
    assert counts() == after_first


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_row_repeated_in_the_file_is_one_event(backend, staff, anna):
    row = "C100,marketing_phone,given,phone,2024-05-01T10:00:00,call-1,"
    result = run_import(csv_file(row, row), file_name="twice.csv", actor=staff, backend=backend)

    assert (result.rows, result.new_events, result.duplicates) == (2, 1, 1)
    assert ConsentEvent.objects.count() == 1


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_event_older_than_the_current_state_is_recorded_but_does_not_overturn_it(backend, staff, anna):
    """§49: the ledger keeps the older decision; the state keeps the later one."""
    _email_consent_on_the_portal(anna, staff, month=6)
    handle = csv_file("C100,marketing_email,withdrawn,email,2024-01-01T00:00:00,old-letter,")
    result = run_import(handle, file_name="old.csv", actor=staff, backend=backend)

    assert (result.new_events, result.consents_kept, result.consents_changed) == (1, 1, 0)
    assert ConsentEvent.objects.filter(customer=anna).count() == 2
    consent = Consent.objects.get(customer=anna)
    assert consent.status == "given"
    assert Consent.history.filter(customer_id=anna.pk).count() == 1


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_later_decision_changes_the_state_with_one_history_row(backend, staff, anna):
    _email_consent_on_the_portal(anna, staff, month=1)
    handle = csv_file("C100,marketing_email,withdrawn,email,2024-06-01T00:00:00,letter,")
    result = run_import(handle, file_name="later.csv", actor=staff, backend=backend)

    assert result.consents_changed == 1
    assert result.changes == [
        {"line": 2, "topic": "marketing_email", "before": "given", "after": "withdrawn", "customer": anna.pk}
    ]
    consent = Consent.objects.get(customer=anna)
    assert (consent.status, consent.source) == ("withdrawn", "letter")
    latest = Consent.history.filter(id=consent.pk).latest("history_id")
    assert (latest.history_type, latest.status, latest.history_user) == ("~", "withdrawn", staff)


@pytest.mark.parametrize("backend", BACKENDS)
def test_at_the_same_moment_a_withdrawal_beats_a_consent(backend, staff, anna):
    handle = csv_file(
        "C100,partner_offers,withdrawn,portal,2024-05-01T10:00:00,a,",
        "C100,partner_offers,given,portal,2024-05-01T10:00:00,b,",
    )
    run_import(handle, file_name="tie.csv", actor=staff, backend=backend)

    assert Consent.objects.get(customer=anna).status == "withdrawn"


@pytest.mark.parametrize("backend", BACKENDS)
def test_dry_run_reports_what_would_change_and_changes_nothing(backend, staff, anna, berzins):
    _email_consent_on_the_portal(anna, staff, month=1)
    before = counts()
    handle = csv_file(
        "C100,marketing_email,withdrawn,email,2024-06-01T00:00:00,x,",
        "C200,marketing_email,given,portal,2024-06-01T00:00:00,y,",
    )
    result = run_import(handle, file_name="dry.csv", actor=staff, dry_run=True, backend=backend)

    assert result.ok and not result.applied
    assert (result.new_events, result.consents_created, result.consents_changed) == (2, 1, 1)
    assert result.new_by_topic == {"marketing_email": {"given": 1, "withdrawn": 1}}
    assert result.late_withdrawals == 1  # recorded now, occurred months ago (§60)
    assert counts() == before


def test_policy_version_defaults_to_the_one_in_force_when_the_customer_decided(staff, anna):
    """§68–71."""
    handle = csv_file(
        "C100,surveys,given,portal,2020-02-01T10:00:00,old,",
        "C100,usage_analysis,given,portal,2023-01-20T00:00:00,first-day,",
        "C100,partner_offers,given,portal,2023-01-19T23:59:59,last-day-of-old,",
        "C100,personalised_ads,given,portal,2017-01-01T00:00:00,before-any,",
    )
    run_import(handle, file_name="v.csv", actor=staff)
    labels = dict(
        ConsentEvent.objects.values_list("topic__code", "policy_version__label"),
    )
    assert labels == {
        "surveys": "2018-05-25",
        "usage_analysis": "2023-01-20",
        "partner_offers": "2018-05-25",
        "personalised_ads": None,
    }


def _errors(*lines: str, header: str = HEADER, **kwargs) -> list[tuple[int, str]]:
    result = run_import(csv_file(*lines, header=header), file_name="e.csv", **kwargs)
    assert not result.applied
    return [(error.line, error.column) for error in result.errors]


def test_every_kind_of_bad_row_is_reported_with_line_and_column(staff, anna):
    future = (timezone.now() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S")
    CustomerFactory(customer_number="GONE", status=Customer.Status.TOMBSTONE)
    errors = _errors(
        "C999,marketing_email,given,portal,2024-05-01T10:00:00,,",  # 2 unknown customer
        "C100,marketing_email,maybe,portal,2024-05-01T10:00:00,,",  # 3 unknown action
        "C100,marketing_email,given,pigeon,2024-05-01T10:00:00,,",  # 4 unknown channel
        "C100,marketing_email,given,portal,yesterday,,",  # 5 bad date
        f"C100,marketing_email,given,portal,{future},,",  # 6 future date
        "C100,marketing_email,given,portal,2024-05-01,,",  # 7 a date without a time
        "C100,marketing_email,given,portal,31.02.2024 10:00,,",  # 8 impossible date
        ",marketing_email,given,portal,2024-05-01T10:00:00,,",  # 9 missing customer
        "C100,marketing_email,given,portal,2024-05-01T10:00:00,,1999-01-01",  # 10 unknown policy version
        "C100,marketing_email,given,portal,2020-05-01T10:00:00,,2023-01-20",  # 11 version not yet in force
        'C100,marketing_email,given,portal,2024-05-01T10:00:00,"unclosed,',  # 12 stray quote
        "C100,marketing_email,given,portal,2024-05-01T10:00:00,\x00,",  # 13 NUL byte
        "C100,marketing_email,given,portal,2024-05-01T10:00:00",  # 14 too few fields
        "C100,marketing_email,given,portal,2024-05-01T10:00:00,a,,extra",  # 15 too many fields
        "GONE,marketing_email,given,portal,2024-05-01T10:00:00,,",  # 16 erased customer
        "C100,marketing_email,given,portal,2024-05-01T10:00:00," + "x" * 256 + ",",  # 17 source too long
        actor=staff,
    )
    assert errors == [
        (2, "customer_number"),
        (3, "action"),
        (4, "channel"),
        (5, "occurred_at"),
        (6, "occurred_at"),
        (7, "occurred_at"),
        (8, "occurred_at"),
        (9, "customer_number"),
        (10, "policy_version"),
        (11, "policy_version"),
        (12, ""),
        (13, ""),
        (14, ""),
        (15, ""),
        (16, "customer_number"),
        (17, "source"),
    ]
    assert ConsentEvent.objects.count() == 0


@pytest.mark.parametrize("backend", BACKENDS)
def test_each_repeated_line_of_an_unknown_or_erased_customer_is_reported(backend, staff, anna):
    CustomerFactory(customer_number="GONE", status=Customer.Status.TOMBSTONE)
    row = "{},marketing_email,given,portal,2024-05-01T10:00:00,form-1,"
    errors = _errors(
        row.format("C100"),
        row.format("NOBODY"),
        row.format("GONE"),
        row.format("NOBODY"),
        row.format("GONE"),
        row.format("C100"),
        actor=staff,
        backend=backend,
    )
    assert errors == [(line, "customer_number") for line in (3, 4, 5, 6)]


def test_a_missing_header_column_is_reported_and_nothing_is_read(staff, anna):
    errors = _errors(
        "C100,marketing_email,given,portal,2024-05-01T10:00:00,",
        header="customer_number,topic,action,channel,occurred_at,source",
        actor=staff,
    )
    assert errors == [(1, "policy_version")]


def test_columns_in_any_order_extra_columns_ignored_padding_tolerated(staff, anna):
    header = "topic,comment,customer_number,action,channel,occurred_at,source,policy_version"
    handle = csv_file("surveys,hello,C100,GIVEN,Portal,2024-05-01T10:00:00,s,,,", header=header)
    result = run_import(handle, file_name="o.csv", actor=staff)
    assert result.ok, result.errors
    assert ConsentEvent.objects.get().channel == "portal"


def test_quoted_fields_with_delimiters_inside(staff, anna):
    handle = csv_file('C100,surveys,given,portal,2024-05-01T10:00:00,"form 5, page ""2""",')
    result = run_import(handle, file_name="q.csv", actor=staff)
    assert result.ok
    assert ConsentEvent.objects.get().source == 'form 5, page "2"'


@pytest.mark.parametrize(
    ("content", "column"),
    [
        (b"", ""),
        (b"PK\x03\x04 zipped spreadsheet", ""),
        ("\ufeffcustomer_number".encode("utf-16"), ""),
        (b"just some text without delimiters\n", ""),
    ],
)
def test_files_that_are_no_csv_give_an_error_not_a_crash(staff, content, column):
    result = run_import(io.BytesIO(content), file_name="x.csv", actor=staff)
    assert result.error_count >= 1 and not result.applied
    assert result.errors[0].column == column


def test_all_errors_are_counted_and_passed_on_but_the_result_keeps_the_first_thousand(staff):
    seen = []
    lines = [f"NOBODY{n},surveys,given,portal,2024-05-01T10:00:00,,," for n in range(1200)]
    result = run_import(csv_file(*lines), file_name="many.csv", actor=staff, on_error=seen.append)
    assert result.error_count == 1200 == len(seen)
    assert len(result.errors) == 1000
    assert result.errors[0].line == 2


def test_progress_moves_forward_to_the_end(staff):
    for n in range(30):
        CustomerFactory(customer_number=f"P{n}")
    lines = [f"P{n},surveys,given,portal,2024-05-01T10:00:00,s{n}," for n in range(30)]

    class Recorder:
        def __init__(self):
            self.seen = []

        def update(self, percent, phase):
            self.seen.append((percent, phase))

    recorder = Recorder()
    run_import(csv_file(*lines), file_name="p.csv", actor=staff, progress=recorder, chunk_size=5)
    percents = [percent for percent, _ in recorder.seen]
    assert percents == sorted(percents)
    assert len({percent for percent, phase in recorder.seen if phase == "reading"}) >= 5
    assert recorder.seen[-1] == (100.0, "done")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.one_of(
        st.binary(max_size=400),
        st.lists(
            st.text(
                alphabet=st.sampled_from(list('C100,;"\x00\r\n\tāŠ-:.T 2024marketing_emailgiven')),
                max_size=60,
            ),
            max_size=8,
        ).map(lambda lines: ("\n".join([HEADER, *lines])).encode("utf-8")),
    )
)
def test_no_input_however_broken_raises(staff, body):
    """Whatever the bytes, the engine answers with a result (errors or counts), never an exception."""
    Customer.objects.get_or_create(customer_number="C100")
    before = ConsentEvent.objects.count()
    result = run_import(io.BytesIO(body), file_name="fuzz.csv", actor=staff, dry_run=True)
    assert result.error_count >= 0
    assert ConsentEvent.objects.count() == before


def test_policy_versions_are_those_of_the_register():
    assert set(PolicyVersion.objects.values_list("label", flat=True)) >= {"2018-05-25", "2023-01-20"}
