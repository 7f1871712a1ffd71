"""What each retention rule covers and from when it counts, read against the Latvian original (§5, §12.9,
§31, §33, §34, §47, §50, §61, Annex 1 cat. 25). The boundary matrices of every rule are in
test_windows.py; the invoices' year-end counting (§31.3) in test_invoice_duty.py.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from consents.models import Channel
from consents.services import consent_give
from privacy.models import Contract, Customer, Recording
from retention.models import KeepReason, RetentionRule
from retention.rules import RULES, SUBJECT_KINDS
from retention.selectors import rule_preview
from tests.factories import UserFactory
from tests.requests_app.conftest import grant

from .factories import (
    AS_OF,
    LONG_PAST,
    LegalHoldFactory,
    active,
    ended_postpaid,
    evidence_recording,
    give_consent,
    invoice_on,
    old_customer,
    prepaid_service,
    recording_on,
    riga,
    set_period,
    subject_registered,
    sweep,
    video_on,
    withdraw_consent,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def _exists(recording) -> bool:
    return Recording.objects.filter(pk=recording.pk).exists()


# --- §33: one purpose, a fixed time ---------------------------------------------------------------


def test_33_a_service_recording_goes_after_6_months_an_evidence_recording_does_not(rules):
    """§33: "Sarunas ar Klientu audioieraksts vai sarakste par pakalpojumu darbības nodrošināšanu,
    uzturēšanu un norēķiniem, pamatojoties uz Balticom leģitīmajām interesēm, tiek glabāta 6 mēnešus pēc
    sarunas ierakstīšanas vai sarakstes veikšanas datuma, un pēc tam tiek dzēsts." A recording kept as
    evidence of an oral contract (§12.9) serves another purpose: counted as kept for it, not deleted
    (today's code deleted it with the rest)."""
    customer = old_customer()
    service = recording_on(LONG_PAST, customer=customer)
    letter = recording_on(LONG_PAST, customer=customer, kind=Recording.Kind.CORRESPONDENCE)
    evidence = evidence_recording(recorded=LONG_PAST, contract_end=None, customer=customer)

    run = sweep("recordings", AS_OF)

    assert (_exists(service), _exists(letter), _exists(evidence)) == (False, False, True)
    assert run.kept_by_reason == {KeepReason.EVIDENCE: 1}


def test_annex_1_cat_25_video_is_not_33_and_is_kept_until_the_dpo_sets_its_period(rules):
    """Annex 1 cat. 25 "Video dati: video no klientu pasākumiem, videonovērošana Balticom objektos": not
    a conversation nor correspondence, so not §33 (today's code deleted video after 6 months). The
    policy gives no period: until the DPO sets one the video rule is off and does nothing."""
    video = video_on(LONG_PAST)
    sweep("recordings", AS_OF)
    assert _exists(video)

    rule = RetentionRule.objects.get(code="video")
    assert (rule.enabled, rule.window_months) == (False, None)
    with pytest.raises(ValidationError, match="no period"):
        sweep("video", AS_OF)
    with pytest.raises(ValidationError, match="no period"):
        sweep("video", AS_OF, dry_run=True)
    assert rule_preview(rule=rule, as_of=AS_OF).examined == 0
    assert _exists(video)

    set_period("video", 1)
    run = sweep("video", AS_OF)
    assert not _exists(video)
    assert run.deleted == 1


def test_a_rule_without_a_period_cannot_be_switched_on(rules):
    """The DPO sets the period first: the model refuses, and so does the database."""
    rule = RetentionRule.objects.get(code="video")
    rule.enabled = True
    with pytest.raises(ValidationError) as error:
        rule.full_clean()
    assert "window_months" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        rule.save()


@pytest.mark.parametrize("months", [7, 120, 5])
def test_33_the_dpo_cannot_change_the_6_months(rules, client, months):
    """§33 "tiek glabāta 6 mēnešus ... un pēc tam tiek dzēsts": a fixed period, not a minimum. Today a
    DPO could set 7 or 120 months; the field is read-only now and a forged POST changes nothing."""
    dpo = grant(UserFactory(username="dpo"), "retention.view_retentionrule", "retention.change_retentionrule")
    client.force_login(dpo)
    rule = rules["recordings"]
    url = reverse("admin:retention_retentionrule_change", args=[rule.pk])
    form = {"description": rule.description, "enabled": "on", "window_months": months}
    client.post(url, form)
    rule.refresh_from_db()
    assert rule.window_months == 6
    rule.window_months = months
    with pytest.raises(ValidationError, match="fixes the period"):
        rule.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        RetentionRule.objects.filter(pk=rule.pk).update(window_months=months)


def test_33_only_a_legal_hold_keeps_a_service_recording_longer(rules):
    """§33, §31: a hold is the one thing that keeps a service recording past its 6 months."""
    held = recording_on(LONG_PAST)
    LegalHoldFactory(customer=held.customer)
    other = recording_on(LONG_PAST)
    run = sweep("recordings", AS_OF)
    assert (_exists(held), _exists(other)) == (True, False)
    assert run.kept_by_reason == {KeepReason.LEGAL_HOLD: 1}


def test_12_9_evidence_of_an_oral_contract_is_kept_while_it_is_in_force_then_while_claims_can_be_pursued(
    rules,
):
    """§12.9 "nodrošināt mutiski noslēgta līguma noslēgšanas fakta un satura ... pierādījumus, t.sk.,
    veicot sarunas ar Klientu ierakstu un glabāšanu"; §31.1 "ir spēkā ar Klientu noslēgtais līgums";
    §31.2 "kamēr ... Balticom vai Klients var īstenot savas leģitīmās intereses". The claims period is
    the DPO's (here 36 months after the contract ended)."""
    set_period("evidence_recordings", 36)
    in_force = evidence_recording(recorded=LONG_PAST, contract_end=None)
    ended_recently = evidence_recording(recorded=LONG_PAST, contract_end=D(2023, 1, 1))
    ended_long_ago = evidence_recording(recorded=LONG_PAST, contract_end=D(2022, 7, 15))
    with_debt = evidence_recording(recorded=LONG_PAST, contract_end=D(2020, 1, 1))
    invoice_on(D(2019, 12, 1), customer=with_debt.customer, outstanding_debt=Decimal("9.99"))

    run = sweep("evidence_recordings", AS_OF)

    assert [_exists(r) for r in (in_force, ended_recently, ended_long_ago, with_debt)] == [
        True,
        True,
        False,
        True,
    ]
    assert run.kept_by_reason == {KeepReason.ACTIVE_CONTRACT: 1, KeepReason.OPEN_DEBT: 1}


def test_12_9_evidence_of_a_consent_is_kept_while_a_consent_is_in_force(rules):
    """§12.9 "piekrišanas fakta un satura pierādījumus": kept while the customer's consent is in force,
    then for the claims period after the last consent decision."""
    set_period("evidence_recordings", 12)
    customer = old_customer()
    recording = recording_on(LONG_PAST, customer=customer, purpose=Recording.Purpose.CONSENT_EVIDENCE)
    give_consent(customer)
    run = sweep("evidence_recordings", AS_OF)
    assert _exists(recording)
    assert run.kept_by_reason == {KeepReason.CONSENT: 1}
    withdraw_consent(customer, riga(D(2024, 7, 16)))
    sweep("evidence_recordings", AS_OF)  # withdrawn 12 months ago: its last day
    assert _exists(recording)
    sweep("evidence_recordings", AS_OF + datetime.timedelta(days=1))
    assert not _exists(recording)


# --- §34: from the end of use ----------------------------------------------------------------------


def test_34_a_prepaid_service_unused_for_2_years_has_ended_its_use_whatever_its_status(rules):
    """§34 "Priekšapmaksas pakalpojumu klientu dati tiek glabāti 2 gadus pēc pakalpojuma lietošanas
    beigām": a service whose row still says active but was last used over 2 years ago has ended its use.
    Today's code kept such a customer forever (the active row counted as a contract in force)."""
    customer = old_customer()
    prepaid_service(customer, last_use=D(2023, 7, 15), status=Contract.Status.ACTIVE)
    suspended = old_customer()
    prepaid_service(suspended, last_use=D(2023, 7, 15), status=Contract.Status.SUSPENDED)
    run = sweep("prepaid_customers", AS_OF)
    assert not active(customer) and not active(suspended)
    assert run.kept == 0


def test_34_with_several_prepaid_services_the_latest_use_counts(rules):
    """§34: the end of use of the last service: one used a year ago keeps the customer, although the
    other (still "active") was last used five years ago."""
    customer = old_customer()
    prepaid_service(customer, last_use=D(2020, 1, 1), status=Contract.Status.ACTIVE)
    prepaid_service(customer, last_use=D(2024, 1, 1), end=D(2024, 6, 30))
    sweep("prepaid_customers", AS_OF)
    assert active(customer)
    sweep("prepaid_customers", D(2026, 6, 30))  # 2 years after the later end: its last day
    assert active(customer)
    sweep("prepaid_customers", D(2026, 7, 1))
    assert not active(customer)


@pytest.mark.parametrize(
    "as_of, kept", [(D(2025, 6, 29), True), (D(2025, 6, 30), True), (D(2025, 7, 1), False)], ids=str
)
def test_34_end_date_and_last_use_apart_the_later_ends_the_use(rules, as_of, kept):
    """§34 matrix with the end date and the last use apart: last used on 1 January 2020, ended on 30
    June 2023: kept through 30 June 2025 (a night late beats a day early), erased from 1 July."""
    customer = old_customer()
    prepaid_service(customer, last_use=D(2020, 1, 1), end=D(2023, 6, 30))
    sweep("prepaid_customers", as_of)
    assert active(customer) is kept


def test_34_ended_and_settled_postpaid_contracts_do_not_exclude_a_customer_from_34(rules):
    """§34: a customer whose postpaid contracts have all ended and been settled is §34's for their
    prepaid data (today's code left anybody with a postpaid contract out, so they were kept forever:
    §31's former-customer rule leaves prepaid customers to §34). An open debt on one keeps them."""
    settled, in_debt = old_customer(), old_customer()
    for customer in (settled, in_debt):
        prepaid_service(customer, last_use=D(2022, 1, 1), end=D(2022, 1, 1))
        contract = ended_postpaid(customer, D(2021, 6, 30))
        invoice_on(D(2021, 6, 1), customer=customer, contract=contract)
    invoice_on(D(2021, 6, 2), customer=in_debt, outstanding_debt=Decimal("3.00"))

    assert sweep("former_customers", AS_OF).examined == 0
    run = sweep("prepaid_customers", AS_OF)

    assert (active(settled), active(in_debt)) == (False, True)
    assert run.kept_by_reason == {KeepReason.OPEN_DEBT: 1}


# --- §31: when no basis remains, delete ------------------------------------------------------------


def test_31_4_a_prospect_kept_only_by_consent_goes_the_night_after_the_last_consent_is_withdrawn(rules):
    """§31.4 "kamēr ir spēkā Klienta piekrišana datu glabāšanai (attiecas tikai uz tādiem gadījumiem,
    kad personas datu glabāšanai nepastāv cits tiesiskais pamats (piemēram, gadījumos, kad potenciālā
    klienta dati ir iegūti īstenojot mārketinga aktivitātes))" and "Pēc tam, kad nepastāv neviens no
    datu apstrādes tiesiskajiem pamatiem, Klienta personas dati tiek dzēsti." Today's code waited 60
    months after registration: this prospect, registered last year, would have stayed until 2029."""
    prospect = subject_registered(D(2024, 3, 1), Customer.Kind.MARKETING_PARTICIPANT)
    give_consent(prospect, "marketing_email")
    give_consent(prospect, "marketing_sms")
    withdraw_consent(prospect, riga(D(2025, 7, 10)), topic="marketing_email")

    run = sweep("former_customers", AS_OF)
    assert active(prospect)  # the other consent is in force
    assert run.kept_by_reason == {KeepReason.CONSENT: 1}

    withdraw_consent(prospect, riga(AS_OF, 15, 0), topic="marketing_sms")
    sweep("former_customers", AS_OF)  # the same day: the withdrawal is today's
    assert active(prospect)
    sweep("former_customers", AS_OF + datetime.timedelta(days=1))  # the next nightly run
    assert not active(prospect)


def test_61_a_survey_participant_who_withdraws_is_erased_the_next_night(rules):
    """§61 "Par Klienta izteikto viedokli aptaujās, ja Klients atstāj savu kontaktinformāciju ... Balticom
    var ar viņu sazināties": a survey participant's contact details rest on their consent alone; §47:
    given in any of the channels ("zvanot uz Balticom klientu apkalpošanas tālruni 29333333")."""
    participant = subject_registered(D(2023, 5, 5), Customer.Kind.MARKETING_PARTICIPANT)
    consent_give(
        actor=None,
        customer=participant,
        topic="surveys",
        channel=Channel.PHONE,
        occurred_at=riga(D(2023, 5, 5)),
    )
    sweep("former_customers", AS_OF)
    assert active(participant)
    withdraw_consent(participant, riga(D(2025, 7, 15), 9, 0), topic="surveys")
    sweep("former_customers", AS_OF)
    assert not active(participant)


def test_50_after_a_withdrawal_another_basis_still_keeps_the_data(rules):
    """§50 "Pēc Klienta piekrišanas datu apstrādei atsaukšanas Balticom ir tiesības apstrādāt tos Klienta
    datus, kuru apstrādei ir cits tiesiskais pamatojums": a contract in force keeps the customer."""
    customer = old_customer()
    from tests.factories import ContractFactory

    ContractFactory(customer=customer, status=Contract.Status.ACTIVE, start_date=D(2010, 1, 1))
    give_consent(customer)
    withdraw_consent(customer, riga(D(2025, 7, 1)))
    run = sweep("former_customers", AS_OF)
    assert active(customer)
    assert run.kept_by_reason == {KeepReason.ACTIVE_CONTRACT: 1}


def test_31_no_general_5_years_a_settled_former_customer_goes_the_night_after_the_contract_ended(rules):
    """§31: the 5 years are the invoices' (§31.3), not the person's: a subscriber whose contract ended
    yesterday and is settled has no basis left (today's code kept them 5 years)."""
    customer = old_customer()
    ended_postpaid(customer, AS_OF - datetime.timedelta(days=1))
    run = sweep("former_customers", AS_OF)
    assert not active(customer)
    assert run.kept == 0


def test_5_every_kind_of_data_subject_falls_under_a_rule(rules):
    """§5 "Privātuma politiku piemēro ... attiecībā uz: 1. fiziskajām personām - klientiem, abonentiem ...
    (kontaktpersonām, maksātājiem utt.); 2. ... apmeklētājiem; 3. ... mobilo lietotņu lietotājiem, un zvanu
    veicējiem ...; 4. ... mārketinga akciju dalībniekiem; 5. nekustamo īpašumu ... īpašniekiem.": no kind
    of subject is left out of every rule (today visitors, online users and property owners were)."""
    covered = {kind for kinds in SUBJECT_KINDS.values() for kind in kinds}
    assert covered == set(Customer.Kind.values)
    assert set(SUBJECT_KINDS) <= {row["code"] for row in RULES} == set(RetentionRule.Code.values)
    assert set(RetentionRule.objects.values_list("code", flat=True)) == set(RetentionRule.Code.values)


@pytest.mark.parametrize("kind", list(Customer.Kind.values))
def test_5_each_kind_with_no_basis_left_is_erased_by_its_rule(rules, kind):
    """§5, §31: registered long ago, nothing else: the rule of their kind erases them (the rule for
    visitors, online users and property owners once the DPO has set its period)."""
    set_period("other_subjects", 12)
    subject = subject_registered(D(2015, 1, 1), kind, lifecycle=Customer.Lifecycle.FORMER)
    (code,) = [code for code, kinds in SUBJECT_KINDS.items() if kind in kinds]
    sweep(code, AS_OF)
    assert not active(subject)


def test_5_5_a_property_owner_is_kept_while_the_network_is_on_their_property(rules):
    """§5.5, §9.6 "Inženierkomunikāciju tīkla uzturēšanai ... saskaņošanai ar zemes vai ēku
    īpašniekiem": a current property owner has a basis of their own, counted as "other legal basis"."""
    set_period("other_subjects", 12)
    owner = subject_registered(D(2015, 1, 1), Customer.Kind.PROPERTY_OWNER)
    visitor = subject_registered(D(2024, 7, 16), Customer.Kind.VISITOR)  # 12 months today: last day
    run = sweep("other_subjects", AS_OF)
    assert active(owner) and active(visitor)
    assert run.kept_by_reason == {KeepReason.OTHER_BASIS: 1}


# --- What the preview and the runs say ------------------------------------------------------------


def test_the_preview_counts_every_reason_the_rule_checks_zeros_included(rules, client):
    """Each rule's preview gives a count per reason kept: hold, evidence purpose, and every other
    reason the rule checks at 0 (today only the reasons that happened to keep something were shown, and
    there was no evidence reason)."""
    held = recording_on(LONG_PAST)
    LegalHoldFactory(customer=held.customer)
    evidence_recording(recorded=LONG_PAST, contract_end=None)
    recording_on(LONG_PAST)
    preview = rule_preview(rule=rules["recordings"], as_of=AS_OF)
    rows = dict(preview.kept_rows())
    assert rows[KeepReason.LEGAL_HOLD.label] == 1
    assert rows[KeepReason.EVIDENCE.label] == 1
    assert rows[KeepReason.OPEN_REQUEST.label] == rows[KeepReason.OPEN_COMPLAINT.label] == 0
    assert (preview.to_handle, preview.kept) == (1, 2)

    customers = dict(rule_preview(rule=rules["former_customers"], as_of=AS_OF).kept_rows())
    assert customers[KeepReason.ACTIVE_CONTRACT.label] == 1  # the evidence recording's customer
    assert customers[KeepReason.LEGAL_HOLD.label] == 1  # the held recording's customer
    for reason in (KeepReason.OPEN_DEBT, KeepReason.CONSENT, KeepReason.RESTRICTED):
        assert customers[reason.label] == 0


def test_the_run_page_lists_every_reason_with_its_count(rules, client):
    client.force_login(UserFactory(username="root", is_superuser=True))
    evidence_recording(recorded=LONG_PAST, contract_end=None)
    run = sweep("recordings", AS_OF)
    page = client.get(reverse("admin:retention_retentionrun_change", args=[run.pk])).content.decode()
    assert f"{KeepReason.EVIDENCE.label}: 1" in page
    assert f"{KeepReason.LEGAL_HOLD.label}: 0" in page


@pytest.mark.parametrize(
    "language, words",
    [
        ("lv", "tiek glabāta 6 mēnešus pēc sarunas ierakstīšanas vai sarakstes veikšanas datuma"),
        ("ru", "хранится 6 месяцев после даты записи разговора или переписки"),
        ("en", "are kept for 6 months after the date of recording"),
    ],
)
def test_33_the_rule_quotes_its_clause_in_the_admins_language(rules, client, language, words):
    """The rule's page and its preview quote §33 in the admin's language (lv: the policy's own words)."""
    from django.utils import translation

    from tests.i18n.catalogues import ensure_compiled

    ensure_compiled()
    client.force_login(UserFactory(username=f"dpo-{language}", is_superuser=True, language=language))
    rule = rules["recordings"]
    try:
        for url in (
            reverse("admin:retention_retentionrule_change", args=[rule.pk]),
            reverse("admin:retention_retentionrule_preview", args=[rule.pk]),
        ):
            page = client.get(url).content.decode()
            assert words in page, url
    finally:
        translation.deactivate()


def test_a_rule_with_no_period_says_so_in_the_admin(rules, client):
    client.force_login(UserFactory(username="root", is_superuser=True))
    rule = RetentionRule.objects.get(code="video")
    page = client.get(reverse("admin:retention_retentionrule_preview", args=[rule.pk])).content.decode()
    assert 'id="preview-no-period"' in page
    listing = client.get(reverse("admin:retention_retentionrule_changelist")).content.decode()
    assert "not set: the rule does nothing" in listing


def test_a_viewer_cannot_set_the_period_the_policy_leaves_to_the_dpo(rules, client):
    """A forged POST by staff without `retention.change_retentionrule` sets no period and switches
    nothing on (Annex 1 cat. 25 video stays kept)."""
    viewer = grant(UserFactory(username="viewer"), "retention.view_retentionrule")
    client.force_login(viewer)
    rule = RetentionRule.objects.get(code="video")
    url = reverse("admin:retention_retentionrule_change", args=[rule.pk])
    response = client.post(url, {"description": rule.description, "enabled": "on", "window_months": 0})
    assert response.status_code == 403
    rule.refresh_from_db()
    assert (rule.enabled, rule.window_months) == (False, None)


@pytest.mark.parametrize("on", [D(1, 1, 1), D(5, 12, 31), D(9999, 12, 31)], ids=str)
def test_31_3_the_year_end_cutoff_at_the_ends_of_the_calendar(on):
    """§31.3 at extreme dates: no overflow, nothing due before year 1, and 9999 counts like any year."""
    from privacy.periods import accounting_duty_cutoff, under_accounting_duty

    cutoff = accounting_duty_cutoff(on)
    assert cutoff == (D(on.year - 6, 12, 31) if on.year > 6 else D.min)  # D.min: the calendar's floor
    assert under_accounting_duty(on, on=on) is (on > D.min)


def test_31_3_the_invoices_preview_as_of_year_9999(rules, client):
    client.force_login(UserFactory(username="root", is_superuser=True))
    invoice_on(D(2020, 1, 1))
    rule = rules["invoices"]
    url = reverse("admin:retention_retentionrule_preview", args=[rule.pk])
    page = client.get(url, {"as_of": "9999-12-31"})
    assert page.status_code == 200
    assert 'id="preview-to-handle">1<' in page.content.decode()


def test_12_9_staff_mark_a_recording_as_evidence_of_an_oral_contract_in_the_admin(rules, client):
    """§12.9: the recording's page sets its purpose and the contract it proves; §33 then keeps it."""
    client.force_login(UserFactory(username="root", is_superuser=True))
    recording = recording_on(LONG_PAST)
    contract = evidence_recording(recorded=LONG_PAST, contract_end=None, customer=recording.customer).contract
    url = reverse("admin:privacy_recording_change", args=[recording.pk])
    at = recording.recorded_at.astimezone(riga(LONG_PAST).tzinfo)
    response = client.post(
        url,
        {
            "customer": recording.customer_id,
            "kind": recording.kind,
            "purpose": Recording.Purpose.CONTRACT_EVIDENCE,
            "contract": contract.pk,
            "channel": recording.channel,
            "recorded_at_0": at.strftime("%Y-%m-%d"),
            "recorded_at_1": at.strftime("%H:%M:%S"),
            "duration_seconds": recording.duration_seconds,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    recording.refresh_from_db()
    assert (recording.purpose, recording.contract_id) == (Recording.Purpose.CONTRACT_EVIDENCE, contract.pk)
    run = sweep("recordings", AS_OF)
    assert _exists(recording)
    assert run.kept_by_reason == {KeepReason.EVIDENCE: 2}
