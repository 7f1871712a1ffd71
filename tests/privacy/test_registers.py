"""The reference registers hold what the policy lists (Annex 1, §9, §11, §12, §24, §19–29, §68–71)."""

import datetime

import pytest
from django.utils import translation

from privacy.models import (
    DataCategory,
    DataSource,
    LegalBasis,
    LegitimateInterest,
    PolicyVersion,
    ProcessingPurpose,
    Recipient,
)
from privacy.selectors import policy_version_in_force

pytestmark = pytest.mark.django_db


def test_annex_1_has_32_categories_and_only_category_3_is_special():
    assert DataCategory.objects.count() == 32
    assert list(DataCategory.objects.filter(special=True).values_list("number", flat=True)) == [3]


def test_section_9_purposes_with_sub_purposes():
    top = ProcessingPurpose.objects.filter(parent__isnull=True)
    assert sorted(top.values_list("code", flat=True)) == [f"9.{n}" for n in range(1, 8)]
    assert ProcessingPurpose.objects.get(code="9.1").children.count() == 12


def test_section_11_and_12_bases_and_29_legitimate_interests():
    assert set(LegalBasis.objects.values_list("code", flat=True)) == {
        "contract",
        "legal_obligation",
        "consent",
        "legitimate_interest",
        "vital_interest",
    }
    assert LegitimateInterest.objects.count() == 29
    assert "divu gadu" in LegitimateInterest.objects.get(clause="12.10").name_lv  # the soft opt-in, §12.10


def test_sources_and_recipients_with_a_safeguarded_third_country():
    assert DataSource.objects.count() == 6
    third = Recipient.objects.filter(third_country=True)
    assert third.exists()
    assert all(r.safeguard for r in third)


def test_policy_versions_and_which_was_in_force():
    assert PolicyVersion.objects.count() == 2
    assert policy_version_in_force(at=datetime.date(2020, 6, 1)).label == "2018-05-25"
    assert policy_version_in_force(at=datetime.date(2023, 1, 20)).label == "2023-01-20"
    assert policy_version_in_force(at=datetime.date(2023, 1, 19)).label == "2018-05-25"
    assert policy_version_in_force(at=datetime.date(2018, 5, 24)) is None


def test_names_follow_the_active_language():
    category = DataCategory.objects.get(number=26)
    with translation.override("lv"):
        assert category.name == category.name_lv
    with translation.override("en"):
        assert category.name == category.name_en
