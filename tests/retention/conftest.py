import pytest

from retention.models import RetentionRule
from retention.rules import RULES


@pytest.fixture
def rules(db):
    """The seeded rules by code (a transactional test's flush removes migration data: re-seed then)."""
    for row in RULES:
        RetentionRule.objects.get_or_create(code=row["code"], defaults=row)
    return {rule.code: rule for rule in RetentionRule.objects.all()}
