"""§52–61: which consent topics are commercial notices, read from the Latvian original.

§56: "Saziņu par komerciāliem paziņojumiem par Balticom un/vai trešo pušu pakalpojumiem un citiem ar
tiešu nolīgto pakalpojumu nodrošināšanu nesaistītiem paziņojumiem (piemēram, klientu aptaujas) Balticom
veic saskaņā ar Klienta piekrišanu ..." Commercial notices are about Balticom's AND third parties'
services; surveys are named apart, as "other notices".
§58: "Klients piekrišanu Balticom un/vai tā sadarbības partneru komerciālo paziņojumu saņemšanai var
sniegt ..." Partners' offers are commercial notices too.
§60: "Klients jebkurā laikā var atteikties no turpmākas komerciālo paziņojumu saņemšanas ... Atsevišķos
gadījumos pieprasījuma apstrāde var prasīt laiku līdz 2 dienām."
"""

import datetime

import pytest
from django.utils import timezone

from consents.models import ConsentTopic
from consents.selectors import late_opt_outs
from consents.services import consent_give, consent_withdraw
from privacy.erasure import erase_subject
from privacy.suppression import is_suppressed
from tests.factories import CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db

#: Each seeded topic, whether §52–61 makes it a commercial notice, and the words that say so.
EXPECTED = {
    # §56 "komerciāliem paziņojumiem par Balticom ... pakalpojumiem"; §57 "uz e-pastu"
    "marketing_email": True,
    "marketing_sms": True,
    "marketing_phone": True,
    # §56 "un/vai trešo pušu pakalpojumiem"; §58 "tā sadarbības partneru komerciālo paziņojumu"
    "partner_offers": True,
    # §56 "un citiem ... nesaistītiem paziņojumiem (piemēram, klientu aptaujas)": not commercial notices;
    # §61 lets Balticom contact a respondent about their answers.
    "surveys": False,
    # §46 consents to processing ("pakalpojumu lietošanas ieradumu datu analīzei, individuāli
    # sagatavotu reklāmu saņemšanai"), not a channel of notices; the notices themselves go by the
    # channel topics above.
    "usage_analysis": False,
    "personalised_ads": False,
    # §16–18 automated decisions: no notice at all.
    "automated_decisions": False,
    # §62–66 cookies on the website: consent to storing and reading cookies, not a channel of notices.
    "cookies_necessary": False,
    "cookies_functional": False,
    "cookies_statistics": False,
    "cookies_targeting": False,
}


def test_every_topics_commercial_notice_flag_follows_section_52_to_61():
    """§56, §58: every seeded topic is flagged as the original reads, and no topic is left unread."""
    flags = dict(ConsentTopic.objects.values_list("code", "commercial_notice"))
    assert flags == EXPECTED


def test_partner_offers_opt_out_recorded_30_days_late_breaks_the_2_day_promise_of_section_60():
    """§60 "var prasīt laiku līdz 2 dienām": a partner opt-out processed 30 days late is a breach."""
    customer = CustomerFactory()
    staff = UserFactory()
    said = timezone.now() - datetime.timedelta(days=30)
    consent_give(
        actor=staff,
        customer=customer,
        topic="partner_offers",
        channel="portal",
        occurred_at=said - datetime.timedelta(days=1),
    )
    late = consent_withdraw(
        actor=staff, customer=customer, topic="partner_offers", channel="phone", occurred_at=said
    )
    assert late in late_opt_outs()
    assert late.late


def test_partner_offers_opt_out_within_2_days_is_not_a_breach():
    """§60: within 2 days is in time."""
    said = timezone.now() - datetime.timedelta(days=2) + datetime.timedelta(minutes=1)
    event = consent_withdraw(
        actor=UserFactory(),
        customer=CustomerFactory(),
        topic="partner_offers",
        channel="phone",
        occurred_at=said,
    )
    assert event not in late_opt_outs()


def test_erasure_keeps_a_partner_offers_opt_out_on_the_suppression_list_of_every_channel():
    """§56, §58, §60: a partner opt-out outlives the erasure; partners reach the contact on any channel."""
    customer = CustomerFactory(email="partneri@example.lv", phone="+37126000111")
    staff = UserFactory()
    consent_give(actor=staff, customer=customer, topic="partner_offers", channel="portal")
    consent_withdraw(actor=staff, customer=customer, topic="partner_offers", channel="portal")
    record = erase_subject(customer, reason="request", actor=staff)
    assert record.suppressed_channels == ["email", "phone", "sms"]
    assert is_suppressed(channel="email", email="partneri@example.lv")
    assert is_suppressed(channel="sms", phone="26000111")


def test_erasure_does_not_suppress_anyone_who_kept_partner_offers():
    """§59: a consent in force is no opt-out; nothing goes on the suppression list."""
    customer = CustomerFactory(email="piekrit@example.lv", phone="+37126000222")
    consent_give(actor=None, customer=customer, topic="partner_offers", channel="portal")
    record = erase_subject(customer, reason="request", actor=UserFactory())
    assert record.suppressed_channels == []
    assert not is_suppressed(channel="email", email="piekrit@example.lv")
