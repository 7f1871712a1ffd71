"""The database agrees with the cutoff arithmetic (§33): a recording is selected exactly when its Riga
calendar day is on or before the cutoff, for random moments around daylight-saving changes."""

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from privacy.models import Recording
from retention.cutoffs import add_months, cutoff_date, local_date
from retention.models import RetentionRule
from retention.rules import RULES
from retention.selectors import rule_targets
from tests.factories import CustomerFactory

from .factories import DST_CHANGES, near_dst

UTC = datetime.UTC
moments = near_dst(30)


class SqlCutoffTests(TestCase):
    @settings(max_examples=40, deadline=None)
    @given(
        recorded=st.lists(moments, min_size=1, max_size=12),
        nudge=st.integers(min_value=-2, max_value=2),
        base=st.sampled_from(DST_CHANGES),
    )
    def test_selected_exactly_when_the_riga_day_is_past_its_window(self, recorded, nudge, base):
        rule = RetentionRule.objects.get_or_create(code="recordings", defaults=RULES[0])[0]
        # an as-of day whose cutoff falls on a DST change day, give or take two days
        as_of = add_months(local_date(base), rule.window_months) + datetime.timedelta(days=1 + nudge)
        customer = CustomerFactory()
        recordings = Recording.objects.bulk_create(
            [Recording(customer=customer, recorded_at=moment) for moment in recorded]
        )
        (target,) = rule_targets(rule=rule, as_of=as_of)
        selected = set(target.queryset.values_list("pk", flat=True))
        cutoff = cutoff_date(as_of, rule.window_months)
        expected = {r.pk for r in recordings if local_date(r.recorded_at) <= cutoff}
        assert selected == expected
