"""Every rule, every window (§31–34): the record one day inside the window is kept, the one on the
boundary day is kept too (its window's last day is today) and handled by the next night's run, the one
a day past is handled. Timestamps count by their calendar day in Riga, at either end of the day.

Boundary side: a record is kept through the last day of its window (the same date `window` months
later, clamped to a short month's end) and handled from the next day on: the policy's periods are
minimums (§31 "at least 5 years", §32 "at least 1 year"), so a night late beats a day early.
"""

import datetime

import pytest

from privacy.models import Contract, Customer, Invoice, Recording
from requests_app.models import ExportPackage
from retention.cutoffs import add_months
from tests.factories import ContractFactory

from .factories import (
    active,
    age_history,
    ended_postpaid,
    evidence_recording,
    give_consent,
    invoice_on,
    old_customer,
    package_answered_on,
    prepaid_customer,
    prepaid_service,
    recording_on,
    riga,
    set_period,
    subject_registered,
    sweep,
    video_on,
    withdraw_consent,
)

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)


def _both_ends_of_the_day(rows):
    """Alive while the two rows, at 00:00:30 and 23:59:30 of one Riga day, are both there: a sweep that
    takes one of them without the other reads the day in the wrong time zone."""

    def alive():
        found = rows.count()
        assert found in (0, 2), "both ends of a Riga day are the same day"
        return found == 2

    return alive


def _recordings(day, customer=None):
    """§33: one recording just after midnight and one just before midnight of `day`, Riga time."""
    customer = customer or old_customer()
    early = recording_on(day, customer=customer)
    Recording.objects.filter(pk=early.pk).update(recorded_at=riga(day, 0, 0, 30))
    late = recording_on(day, customer=customer)
    Recording.objects.filter(pk=late.pk).update(recorded_at=riga(day, 23, 59, 30))
    return _both_ends_of_the_day(Recording.objects.filter(pk__in=[early.pk, late.pk]))


def _invoices(day, customer=None):
    invoice = invoice_on(day, customer=customer)
    return lambda: Invoice.objects.filter(pk=invoice.pk).exists()


def _prepaid(day, customer=None):
    customer = prepaid_customer(day)
    return lambda: active(customer)


def _prepaid_active_unused(day, customer=None):
    """§34: a prepaid service whose row still says active, last used on `day`."""
    customer = old_customer()
    prepaid_service(customer, last_use=day)
    return lambda: active(customer)


def _former(day, customer=None):
    """§31: a subscriber whose postpaid contract ended on `day` (settled): no basis left after it."""
    customer = old_customer()
    ended_postpaid(customer, day)
    return lambda: active(customer)


def _consent_only(day, customer=None):
    """§31.4, §61: a marketing participant kept only by consent, withdrawn on `day` at 23:30."""
    customer = old_customer(kind=Customer.Kind.MARKETING_PARTICIPANT)
    give_consent(customer)
    withdraw_consent(customer, riga(day, 23, 30))
    return lambda: active(customer)


def _evidence(day, customer=None):
    """§12.9: evidence of an oral contract that ended on `day`."""
    recording = evidence_recording(recorded=D(2015, 1, 1), contract_end=day)
    return lambda: Recording.objects.filter(pk=recording.pk).exists()


def _video(day, customer=None):
    """Annex 1 cat. 25: CCTV recorded on `day`."""
    video = video_on(day)
    return lambda: Recording.objects.filter(pk=video.pk).exists()


def _visitor(day, customer=None):
    """§5.2: a visitor of the premises registered on `day`."""
    visitor = subject_registered(day, Customer.Kind.VISITOR)
    return lambda: active(visitor)


def _contract_history(day, customer=None):
    """§32: the audit records of an ordinary model (18 months in this heightened-security system), at
    both ends of the Riga day."""
    contract = ContractFactory(customer=customer or old_customer())
    history = Contract.history.model
    first = history.objects.get(id=contract.pk)
    first.history_date = riga(day, 0, 0, 30)
    first.save()
    contract.service_name = "Internets 300 Mbit/s"
    contract.save()
    Contract.history.model.objects.filter(id=contract.pk).exclude(pk=first.pk).update(
        history_date=riga(day, 23, 59, 30)
    )
    return _both_ends_of_the_day(history.objects.filter(id=contract.pk))


def _packages(day, customer=None):
    """§31, §42: a data package of a request answered on `day`."""
    package = package_answered_on(day, customer=customer)
    return lambda: ExportPackage.objects.filter(pk=package.pk).exists()


def _recording_history(day, customer=None):
    """§32: audit records of a high-security model (recordings: 18 months)."""
    recording = recording_on(datetime.date(2000, 1, 1), customer=customer)
    age_history(recording, day)
    return lambda: Recording.history.model.objects.filter(id=recording.pk).exists()


CASES = {
    "recordings": ("recordings", 6, _recordings),
    "prepaid_customers": ("prepaid_customers", 24, _prepaid),
    "prepaid_customers_active_but_unused": ("prepaid_customers", 24, _prepaid_active_unused),
    "former_customers": ("former_customers", 0, _former),
    "former_customers_consent_withdrawn": ("former_customers", 0, _consent_only),
    "audit_history": ("audit_history", 18, _contract_history),
    "audit_history_high_security": ("audit_history", 18, _recording_history),
    "data_packages": ("data_packages", 1, _packages),
    "evidence_recordings": ("evidence_recordings", 36, _evidence),
    "video": ("video", 1, _video),
    "other_subjects": ("other_subjects", 12, _visitor),
}
#: the rules whose period the policy does not give: the tests set one, as the DPO would
DPO_SET = {"evidence_recordings", "video", "other_subjects"}
AS_OF = [
    D(2025, 7, 16),  # mid-month, summer time
    D(2025, 3, 1),  # right after a short February
    D(2025, 11, 3),  # winter time
]


@pytest.mark.django_db
@pytest.mark.parametrize("as_of", AS_OF, ids=str)
@pytest.mark.parametrize("case", list(CASES))
def test_one_day_inside_and_the_boundary_day_are_kept_the_day_past_is_handled(rules, case, as_of):
    code, months, make = CASES[case]
    if code in DPO_SET:
        set_period(code, months)
    boundary = add_months(as_of, -months)  # the window of a record of this day ends today
    inside, on_boundary, past = make(boundary + ONE_DAY), make(boundary), make(boundary - ONE_DAY)

    run = sweep(code, as_of)

    assert run.status == "finished"
    assert (inside(), on_boundary(), past()) == (True, True, False)
    sweep(code, as_of + ONE_DAY)  # the next night: the boundary record's window has ended
    assert (inside(), on_boundary()) == (True, False)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "case, day, kept_on, handled_on",
    [
        # §33: 29 February + 6 months ends on 29 August
        ("recordings", D(2024, 2, 29), D(2024, 8, 29), D(2024, 8, 30)),
        # §33: 31 August + 6 months is clamped to 28 February
        ("recordings", D(2024, 8, 31), D(2025, 2, 28), D(2025, 3, 1)),
        # §34: 29 February + 2 years ends on 28 February
        ("prepaid_customers", D(2024, 2, 29), D(2026, 2, 28), D(2026, 3, 1)),
        # §32: 31 August + 18 months is clamped to 28 February
        ("audit_history", D(2024, 8, 31), D(2026, 2, 28), D(2026, 3, 1)),
        # §31.3: invoices of 31 August and 29 February 2020 are kept to the end of 2025
        ("invoices", D(2020, 8, 31), D(2025, 12, 31), D(2026, 1, 1)),
        ("invoices", D(2020, 2, 29), D(2025, 12, 31), D(2026, 1, 1)),
        # §31, §42: a package of a request answered on 31 January is kept through 28 February
        ("data_packages", D(2025, 1, 31), D(2025, 2, 28), D(2025, 3, 1)),
        ("data_packages", D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 1)),
        # DST: recordings of the night clocks went forward (30 March 2025) and back (26 October 2025)
        ("recordings", D(2025, 3, 30), D(2025, 9, 30), D(2025, 10, 1)),
        ("recordings", D(2024, 10, 27), D(2025, 4, 27), D(2025, 4, 28)),
    ],
)
def test_month_ends_29_february_and_dst_nights(rules, case, day, kept_on, handled_on):
    code, _months, make = CASES.get(case, (case, None, _invoices))
    alive = make(day)
    sweep(code, kept_on)
    assert alive()
    sweep(code, handled_on)
    assert not alive()


@pytest.mark.django_db
@pytest.mark.parametrize("as_of", [D(2025, 12, 31), D(2026, 1, 1), D(2026, 7, 16)], ids=str)
def test_31_3_invoices_inside_on_and_past_the_end_of_their_fifth_year(rules, as_of):
    """§31.3 "rēķini jāglabā vismaz 5 gadus", counted from the end of the invoice's calendar year: on
    any as-of day the invoices of the year whose 5 years end tomorrow or later are kept, those of the
    last year whose 5 years ended are deleted. Matrix: 30 December (one day inside), 31 December (the
    boundary day: kept), 1 January (one day past)."""
    passed_year = as_of.year - 6  # its 5 years ended on 31 December of as_of.year - 1 at the latest
    kept_year = passed_year + 1
    kept = [_invoices(D(kept_year, 1, 1)), _invoices(D(kept_year, 12, 31))]
    gone = [_invoices(D(passed_year, 1, 1)), _invoices(D(passed_year, 12, 31))]
    run = sweep("invoices", as_of)
    assert [check() for check in kept] == [True, True]
    assert [check() for check in gone] == [False, False]
    assert run.deleted == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "as_of, kept", [(D(2025, 12, 30), True), (D(2025, 12, 31), True), (D(2026, 1, 1), False)], ids=str
)
def test_31_3_an_invoice_of_1_january_2020_is_kept_through_31_december_2025(rules, as_of, kept):
    """§31.3: counting from the invoice's own day would delete it on 2 January 2025, 12 months early."""
    alive = _invoices(D(2020, 1, 1))
    sweep("invoices", as_of)
    assert alive() is kept


@pytest.mark.django_db
def test_recordings_of_the_repeated_and_skipped_hours_count_by_riga_day(rules):
    """§33 at the DST changes: 02:59 before the spring jump, 04:00 after it, both 03:30s in autumn."""
    customer = old_customer()
    at = {
        "spring_before": datetime.datetime(2025, 3, 30, 0, 59, tzinfo=datetime.UTC),  # 02:59 EET
        "spring_after": datetime.datetime(2025, 3, 30, 1, 0, tzinfo=datetime.UTC),  # 04:00 EEST
        "autumn_first": datetime.datetime(2025, 10, 26, 0, 30, tzinfo=datetime.UTC),  # 03:30 EEST
        "autumn_second": datetime.datetime(2025, 10, 26, 1, 30, tzinfo=datetime.UTC),  # 03:30 EET
        "autumn_late": datetime.datetime(2025, 10, 26, 21, 59, tzinfo=datetime.UTC),  # 23:59 EET
    }
    ids = {}
    for name, moment in at.items():
        recording = recording_on(D(2025, 1, 1), customer=customer)
        Recording.objects.filter(pk=recording.pk).update(recorded_at=moment)
        ids[name] = recording.pk

    sweep("recordings", D(2026, 4, 26))  # window of 26 October ends 26 April: kept
    assert (
        Recording.objects.filter(
            pk__in=[ids["autumn_first"], ids["autumn_second"], ids["autumn_late"]]
        ).count()
        == 3
    )
    assert not Recording.objects.filter(pk__in=[ids["spring_before"], ids["spring_after"]]).exists()
    sweep("recordings", D(2026, 4, 27))
    assert not Recording.objects.filter(pk__in=list(ids.values())).exists()


@pytest.mark.django_db
def test_a_missed_night_is_caught_up_by_the_next_run(rules):
    """The sweep takes everything past its cutoff, not "yesterday's" records (§33)."""
    as_of = D(2025, 7, 16)
    alive = [_recordings(day) for day in (D(2022, 1, 1), D(2025, 1, 10), D(2025, 1, 14), D(2025, 1, 15))]
    kept = _recordings(D(2025, 1, 16))

    run = sweep("recordings", as_of)

    assert [check() for check in alive] == [False] * 4
    assert kept()
    assert (run.examined, run.deleted, run.kept) == (8, 8, 0)
