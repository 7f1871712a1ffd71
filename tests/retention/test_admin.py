"""Admin for retention (§31–34): rules editable only by privileged staff and never below the policy's
minimum, the read-only run log, tonight's preview, and the deletions-per-night chart."""

import datetime

import pytest
from django.urls import reverse

from retention import cutoffs
from retention.models import RetentionRule, RetentionRun
from tests.factories import UserFactory
from tests.requests_app.conftest import grant

from .factories import old_customer, recording_on, sweep

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(username="root", is_superuser=True))
    return client


def _rule_form(rule, **changes):
    data = {
        "description": rule.description,
        "enabled": "on" if rule.enabled else "",
        "window_months": rule.window_months,
        "extended_window_months": rule.extended_window_months or "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_rules_page_lists_the_five_rules_with_the_last_run_and_the_chart(rules, superuser_client):
    recording_on(datetime.date(2019, 1, 1))
    sweep("recordings", datetime.date(2025, 7, 16))
    response = superuser_client.get(reverse("admin:retention_retentionrule_changelist"))
    assert response.status_code == 200
    page = response.content.decode()
    for code in rules:
        assert code in page
    assert "2025-07-16: deleted 1, anonymised 0, kept 0" in page
    assert "<svg" in page and "<rect" in page


def test_the_chart_shows_deletions_per_night(rules, superuser_client):
    today = cutoffs.today()
    recording_on(datetime.date(2019, 1, 1))
    recording_on(datetime.date(2019, 1, 2))
    sweep("recordings", today - datetime.timedelta(days=1))
    page = " ".join(
        superuser_client.get(reverse("admin:retention_retentionrun_changelist")).content.decode().split()
    )
    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    assert f"<title>{yesterday}: 2</title>" in page
    assert "recordings</strong> — 2 in total, at most 2 in a night" in page


def test_the_preview_shows_tonights_counts_and_ids_without_personal_data(rules, superuser_client):
    customer = old_customer(first_name="Ilze", last_name="Kalniņa")
    due = recording_on(datetime.date(2019, 1, 5), customer=customer)
    recording_on(cutoffs.today(), customer=customer)
    url = reverse("admin:retention_retentionrule_preview", args=[rules["recordings"].pk])
    response = superuser_client.get(url)
    assert response.status_code == 200
    preview = response.context["preview"]
    assert (preview.examined, preview.to_handle, preview.kept) == (1, 1, 0)
    assert [row.pk for row in preview.first_page] == [due.pk]
    page = response.content.decode()
    assert "2019-01-05" in page
    for personal in ("Ilze", "Kalniņa", customer.customer_number, customer.personal_code):
        assert personal not in page
    assert RetentionRun.objects.count() == 0  # a preview writes nothing


def test_the_preview_of_a_past_day_and_a_bad_day(rules, superuser_client):
    recording_on(datetime.date(2019, 1, 5))
    url = reverse("admin:retention_retentionrule_preview", args=[rules["recordings"].pk])
    assert superuser_client.get(url, {"as_of": "2019-03-01"}).context["preview"].to_handle == 0
    response = superuser_client.get(url, {"as_of": "1.3.2019"})
    assert response.status_code == 200
    assert "is not a date" in response.content.decode()


@pytest.mark.parametrize(
    "code", ["prepaid_customers", "former_customers", "audit_history", "invoices", "security_logs"]
)
def test_every_rules_preview_answers(rules, superuser_client, code):
    response = superuser_client.get(reverse("admin:retention_retentionrule_preview", args=[rules[code].pk]))
    assert response.status_code == 200


def test_the_run_log_is_read_only(rules, superuser_client):
    run = sweep("recordings", datetime.date(2025, 7, 16))
    change = reverse("admin:retention_retentionrun_change", args=[run.pk])
    response = superuser_client.get(change)
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    assert superuser_client.post(change, {}).status_code == 403
    assert superuser_client.get(reverse("admin:retention_retentionrun_add")).status_code == 403
    assert (
        superuser_client.get(reverse("admin:retention_retentionrun_delete", args=[run.pk])).status_code == 403
    )


def test_rules_cannot_be_added_or_deleted(rules, superuser_client):
    assert superuser_client.get(reverse("admin:retention_retentionrule_add")).status_code == 403
    delete = reverse("admin:retention_retentionrule_delete", args=[rules["invoices"].pk])
    assert superuser_client.get(delete).status_code == 403


def test_staff_without_the_permission_cannot_change_a_rule(rules, client):
    viewer = grant(UserFactory(username="viewer"), "retention.view_retentionrule")
    client.force_login(viewer)
    rule = rules["recordings"]
    url = reverse("admin:retention_retentionrule_change", args=[rule.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, _rule_form(rule, window_months=7)).status_code == 403
    rule.refresh_from_db()
    assert rule.window_months == 6


def test_the_dpo_lengthens_a_window_and_history_records_who(rules, client):
    """A window the policy gives as a minimum (§34) can be lengthened; §33's fixed one cannot
    (tests/retention/test_scope.py)."""
    dpo = grant(UserFactory(username="dpo"), "retention.view_retentionrule", "retention.change_retentionrule")
    client.force_login(dpo)
    rule = rules["prepaid_customers"]
    url = reverse("admin:retention_retentionrule_change", args=[rule.pk])
    response = client.post(url, _rule_form(rule, window_months=25))
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.window_months == 25
    latest = rule.history.latest("history_date")
    assert (latest.history_user, latest.window_months) == (dpo, 25)


@pytest.mark.parametrize(
    "code, changes, field",
    [
        ("invoices", {"window_months": 59}, "window_months"),  # Accounting Law: at least 5 years
        ("audit_history", {"extended_window_months": 17}, "extended_window_months"),  # §32: 18 months
        ("audit_history", {"window_months": 24, "extended_window_months": 18}, "extended_window_months"),
    ],
)
def test_a_window_below_the_policy_minimum_is_refused(rules, superuser_client, code, changes, field):
    rule = rules[code]
    url = reverse("admin:retention_retentionrule_change", args=[rule.pk])
    response = superuser_client.post(url, _rule_form(rule, **changes))
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert RetentionRule.objects.get(pk=rule.pk).window_months == rule.window_months


def _run_now(client, *rule_pks, confirmed: bool):
    data = {"action": "run_now", "_selected_action": list(rule_pks)}
    if confirmed:
        data["post"] = "yes"
    return client.post(reverse("admin:retention_retentionrule_changelist"), data, follow=True)


def test_run_now_queues_one_task_per_enabled_rule_after_the_commit(
    rules, client, django_capture_on_commit_callbacks
):
    operator = grant(
        UserFactory(username="operator"), "retention.view_retentionrule", "retention.run_retentionrule"
    )
    client.force_login(operator)
    RetentionRule.objects.filter(code="invoices").update(enabled=False)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _run_now(client, rules["recordings"].pk, rules["invoices"].pk, confirmed=True)
    assert response.status_code == 200
    assert len(callbacks) == 1  # the disabled rule is skipped
    assert "Queued: recordings" in response.content.decode()


def test_run_now_first_shows_what_each_rule_would_delete_and_deletes_nothing(
    rules, client, django_capture_on_commit_callbacks
):
    """§31–34: a deletion is not undone, so "Run the selected rules now" asks first, with the preview's
    counts per rule (as the request steps do); nothing is queued or deleted until confirmed."""
    from privacy.models import Recording

    recording_on(datetime.date(2019, 1, 1))
    recording_on(datetime.date(2019, 1, 2))
    RetentionRule.objects.filter(code="invoices").update(enabled=False)
    operator = grant(
        UserFactory(username="operator"), "retention.view_retentionrule", "retention.run_retentionrule"
    )
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _run_now(client, rules["recordings"].pk, rules["invoices"].pk, confirmed=False)
    assert response.status_code == 200
    assert callbacks == []
    assert Recording.objects.count() == 2
    assert not RetentionRun.objects.exists()
    page = " ".join(response.content.decode().split())
    assert '<td class="to-handle">2</td>' in page  # the recordings rule would delete both
    assert 'name="post" value="yes"' in page
    assert "This rule is disabled" in page  # invoices: skipped, said so


def test_run_now_confirmed_runs_and_records_the_person_who_confirmed(
    rules, client, django_capture_on_commit_callbacks, eager_celery
):
    from privacy.models import Recording

    recording_on(datetime.date(2019, 1, 1))
    operator = grant(
        UserFactory(username="operator"), "retention.view_retentionrule", "retention.run_retentionrule"
    )
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = _run_now(client, rules["recordings"].pk, confirmed=True)
    assert response.status_code == 200
    assert not Recording.objects.exists()
    run = RetentionRun.objects.get(rule=rules["recordings"])
    assert (run.trigger, run.triggered_by, run.deleted) == (RetentionRun.Trigger.ADMIN, operator, 1)


def test_run_now_confirmation_forged_by_a_role_without_the_permission_does_nothing(
    rules, client, django_capture_on_commit_callbacks
):
    from privacy.models import Recording

    recording_on(datetime.date(2019, 1, 1))
    dpo = grant(
        UserFactory(username="dpo3"), "retention.view_retentionrule", "retention.change_retentionrule"
    )
    client.force_login(dpo)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for confirmed in (False, True):
            response = _run_now(client, rules["recordings"].pk, confirmed=confirmed)
            assert "to-handle" not in response.content.decode()
    assert callbacks == []
    assert Recording.objects.count() == 1
    assert not RetentionRun.objects.exists()


def test_run_now_needs_its_own_permission(rules, client):
    dpo = grant(
        UserFactory(username="dpo2"), "retention.view_retentionrule", "retention.change_retentionrule"
    )
    client.force_login(dpo)
    response = client.get(reverse("admin:retention_retentionrule_changelist"))
    assert "run_now" not in response.content.decode()
