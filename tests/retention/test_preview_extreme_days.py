"""The retention preview (§31–34) and the command for days at the ends of the calendar.

`as_of=0001-01-01` went back up to 100 years (the longest window) before year 1, and `9999-12-31`
past year 9999: the preview answered 500. Such a day is now an error next to the date field, and the
page shows tonight's run; the command refuses it before it runs anything.
"""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from retention import cutoffs
from retention.models import RetentionRun
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = ["0001-01-01", "0100-06-30", "1899-12-31", "9999-12-31", "9000-01-01"]


@pytest.fixture
def root(client):
    client.force_login(UserFactory(username="preview-root", is_superuser=True))
    return client


@pytest.mark.parametrize("day", OUT_OF_RANGE)
def test_a_preview_for_a_day_at_the_end_of_the_calendar_is_a_form_error(rules, root, day):
    for rule in rules.values():
        response = root.get(reverse("admin:retention_retentionrule_preview", args=[rule.pk]), {"as_of": day})
        assert response.status_code == 200, (rule.code, day)
        page = response.content.decode()
        assert f"{day} is outside the days a run can be previewed for" in page
        assert response.context["as_of"] == cutoffs.next_nightly_as_of()  # tonight's run instead


@pytest.mark.parametrize("day", ["1900-01-01", "2999-12-31"])
def test_the_first_and_the_last_day_that_can_be_previewed(rules, root, day):
    for rule in rules.values():
        response = root.get(reverse("admin:retention_retentionrule_preview", args=[rule.pk]), {"as_of": day})
        assert response.status_code == 200
        assert response.context["as_of"].isoformat() == day
        assert "is outside the days" not in response.content.decode()


@pytest.mark.parametrize("day", OUT_OF_RANGE)
def test_the_command_refuses_a_day_at_the_end_of_the_calendar(rules, day):
    with pytest.raises(CommandError, match="outside the days"):
        call_command("enforce_retention", "--dry-run", "--as-of", day, stdout=io.StringIO())
    assert RetentionRun.objects.count() == 0
