"""§62–66: the cookie categories of the website banner are consent topics. §62: "Balticom izmanto
obligātās, funkcionālās, statistikas un mērķēšanas (reklāmas) sīkdatnes"; the necessary ones "nepieciešamas,
lai lietotājs varētu brīvi apmeklēt un pārlūkot tīmekļa vietni": they need no consent, so no decision is
recorded for them."""

import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError

from consents.importer import run_import
from consents.models import Consent, ConsentEvent, ConsentTopic
from consents.services import consent_give
from requests_app.export import package_bytes
from tests.factories import CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = "customer_number,topic,action,channel,occurred_at,source,policy_version"
COOKIES = ["cookies_necessary", "cookies_functional", "cookies_statistics", "cookies_targeting"]


def test_the_four_cookie_categories_are_topics_of_the_banner_s62():
    topics = {t.code: t for t in ConsentTopic.objects.filter(code__in=COOKIES)}
    assert set(topics) == set(COOKIES)
    assert {t.asked_through for t in topics.values()} == {"banner"}
    assert {t.clause for t in topics.values()} == {"§62"}
    assert [c for c in COOKIES if not topics[c].needs_consent] == ["cookies_necessary"]
    assert topics["cookies_targeting"].name_lv == "Mērķa (reklāmas) sīkdatnes"
    assert topics["cookies_statistics"].name_ru == "Статистические файлы cookie"
    assert not any(t.commercial_notice for t in topics.values())


def test_the_seed_leaves_the_other_topics_alone_s62():
    """The cookie migration only adds its four topics: the partner_offers topic keeps its own flags."""
    partner = ConsentTopic.objects.get(code="partner_offers")
    assert partner.asked_through == "" and partner.needs_consent


def test_no_consent_event_for_necessary_cookies_s62():
    customer = CustomerFactory()
    with pytest.raises(ValidationError, match="needs no consent"):
        consent_give(
            actor=None, customer=customer, topic="cookies_necessary", channel="banner", source="banner-1"
        )
    assert not ConsentEvent.objects.exists()


@pytest.mark.parametrize("backend", ["postgres", "orm"])
def test_cookie_consents_import_through_the_consent_csv_and_necessary_is_refused_s62(backend):
    CustomerFactory(customer_number="C700")
    staff = UserFactory(username="cookie-importer")
    good = f"{HEADER}\nC700,cookies_statistics,given,banner,2026-05-01T10:00:00,banner-1,\n"
    good += "C700,cookies_targeting,withdrawn,banner,2026-05-01T10:00:00,banner-1,\n"
    result = run_import(io.BytesIO(good.encode()), file_name="banner.csv", actor=staff, backend=backend)
    assert result.ok and result.applied and result.new_events == 2
    assert dict(Consent.objects.values_list("topic__code", "status")) == {
        "cookies_statistics": "given",
        "cookies_targeting": "withdrawn",
    }

    bad = f"{HEADER}\nC700,cookies_necessary,given,banner,2026-05-02T10:00:00,banner-2,\n"
    result = run_import(io.BytesIO(bad.encode()), file_name="banner2.csv", actor=staff, backend=backend)
    assert not result.applied
    assert [(e.line, e.column) for e in result.errors] == [(2, "topic")]
    assert "needs no consent" in result.errors[0].message
    assert ConsentEvent.objects.count() == 2


def test_the_access_package_shows_the_cookie_consents_s62():
    customer = CustomerFactory()
    consent_give(actor=None, customer=customer, topic="cookies_functional", channel="banner", source="b-1")
    archive = zipfile.ZipFile(io.BytesIO(package_bytes(customer)))
    document = json.loads(archive.read("data.json"))
    text = json.dumps(document, ensure_ascii=False)
    assert "cookies_functional" in text
    assert "banner" in text
