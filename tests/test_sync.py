"""One idempotent sync of reference data, roles, retention rules and schedules (privacy/sync.py).

What `migrate` leaves on a fresh database is what it left before the sync existed (§9, §11, §12,
§19–29, §68–71 registers, §46–62 topics, §31–34 rules with their nightly sweeps, §22 roles); the sync
runs after every migrate and any number of times, creates what is missing and leaves what staff edited.
"""

import ast
import io
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from consents.models import ConsentTopic, ImportProfile
from privacy import roles
from privacy.models import DataCategory, ProcessingPurpose, Recipient
from privacy.sync import sync_reference
from retention.models import RetentionRule
from retention.rules import RULES, TASK_NAME, periodic_task_name

ROOT = Path(__file__).resolve().parent.parent
OUR_APPS = ("privacy", "consents", "requests_app", "retention")

pytestmark = pytest.mark.django_db

#: What a fresh `migrate` left before the sync existed (counted on the migrations of that day).
REGISTER_COUNTS = {
    apps.get_model(label): count
    for label, count in {
        "privacy.DataCategory": 32,
        "privacy.ProcessingPurpose": 31,
        "privacy.LegalBasis": 5,
        "privacy.LegitimateInterest": 29,
        "privacy.DataSource": 6,
        "privacy.Recipient": 9,
        "privacy.PolicyVersion": 2,
        "consents.ConsentTopic": 12,
        "consents.ImportProfile": 3,
        "retention.RetentionRule": 10,
    }.items()
}
#: name -> (task, crontab "minute hour" or interval "every period")
SCHEDULE = {
    **{periodic_task_name(row["code"]): (TASK_NAME, "0 2") for row in RULES},  # the 10 rules, 02:00
    "requests: flag deadlines": ("requests_app.flag_request_deadlines", "30 2"),
    "consents: discard stale imports": ("consents.discard_stale_imports", "45 2"),
    "retention: mark interrupted runs": ("retention.mark_interrupted_runs", "10 minutes"),
}


def _state() -> dict:
    """Everything the sync writes, without ids: registers, topics, profiles, rules, tasks, groups."""
    state = {model._meta.label: model.objects.count() for model in REGISTER_COUNTS}
    state["rules"] = sorted(
        RetentionRule.objects.values_list("code", "window_months", "minimum_months", "enabled", "fixed")
    )
    state["tasks"] = sorted(
        (task.name, task.task, task.kwargs, task.enabled, task.expire_seconds, str(task.schedule))
        for task in PeriodicTask.objects.select_related("crontab", "interval")
    )
    state["groups"] = {
        group.name: sorted(group.permissions.values_list("codename", flat=True))
        for group in Group.objects.all()
    }
    state["register links"] = DataCategory.purposes.through.objects.count()
    return state


def _when(task: PeriodicTask) -> str:
    if task.interval_id:
        return f"{task.interval.every} {task.interval.period}"
    assert str(task.crontab.timezone) == "Europe/Riga", task.name
    assert (task.crontab.day_of_month, task.crontab.month_of_year, task.crontab.day_of_week) == ("*",) * 3
    return f"{task.crontab.minute} {task.crontab.hour}"


def test_migrate_and_sync_leave_what_the_seeding_migrations_left():
    """§9–§29 registers, §46–62 topics, §31–34 rules, their sweeps at 02:00 Riga and §22 roles."""
    assert {model: model.objects.count() for model in REGISTER_COUNTS} == REGISTER_COUNTS
    tasks = {task.name: task for task in PeriodicTask.objects.select_related("crontab", "interval")}
    assert {name: (task.task, _when(task)) for name, task in tasks.items()} == SCHEDULE
    assert all(task.enabled for task in tasks.values())
    for row in RULES:
        rule = RetentionRule.objects.get(code=row["code"])
        assert {field: getattr(rule, field) for field in row} == {**row}, row["code"]
        assert rule.history.get().history_change_reason == "seeded by sync_reference"
        sweep = tasks[periodic_task_name(row["code"])]
        assert json.loads(sweep.kwargs) == {"code": row["code"]}
        assert sweep.description == f"{row['clause']}: {row['description']}"
        assert sweep.expire_seconds == 22 * 3600
    assert tasks["retention: mark interrupted runs"].expire_seconds == 9 * 60
    for role in roles.ROLES:
        held = Group.objects.get(name=role.group).permissions.values_list(
            "content_type__app_label", "codename"
        )
        assert {f"{app}.{code}" for app, code in held} == role.permissions, role.group
    assert Group.objects.count() == len(roles.ROLES)
    category = DataCategory.objects.get(number=1)
    assert set(category.purposes.values_list("code", flat=True)) == {
        "9.1.1",
        "9.1.2",
        "9.1.8",
        "9.2.1",
        "9.4.2",
    }
    assert category.retention_rule == "prepaid_customers"
    assert ConsentTopic.objects.get(code="partner_offers").commercial_notice is True  # §56, §58
    assert ConsentTopic.objects.get(code="cookies_necessary").needs_consent is False  # §62
    assert ImportProfile.objects.get(is_default=True).code == "default"


def test_the_sync_runs_any_number_of_times_and_changes_nothing_the_second_time():
    before = _state()
    report = sync_reference()
    assert report["periodic tasks"] == []
    assert all(not count for count in report["privacy.reference_data"].values())
    assert report["retention.reference_data"] == {"RetentionRule": 0, "sweep descriptions": 0}
    assert all(not changes["added"] and not changes["removed"] for changes in report["roles"].values())
    sync_reference()
    assert _state() == before
    assert CrontabSchedule.objects.count() == 3 and IntervalSchedule.objects.count() == 1


def test_what_staff_edited_in_the_admin_survives_the_sync():
    """The DPO's register wording, a rule's window and switch, a schedule moved and switched off, a
    topic's name and a profile's columns are the admin's, not the code's: the sync leaves them."""
    DataCategory.objects.filter(number=5).update(name_en="Customer data (edited)")
    category = DataCategory.objects.get(number=7)
    category.purposes.set(ProcessingPurpose.objects.filter(code="9.3.1"))
    RetentionRule.objects.filter(code="invoices").update(window_months=84, description="Our wording")
    RetentionRule.objects.filter(code="video").update(window_months=12, enabled=True)
    PeriodicTask.objects.filter(name="requests: flag deadlines").update(enabled=False)
    sweep = PeriodicTask.objects.get(name="retention: invoices")
    sweep.crontab = CrontabSchedule.objects.create(minute="15", hour="4", timezone="Europe/Riga")
    sweep.description = "moved to 04:15"
    sweep.save()
    ConsentTopic.objects.filter(code="surveys").update(name_lv="Aptaujas")
    ImportProfile.objects.filter(code="sms-gateway-stop").update(columns={"phone": "MSISDN"})

    call_command("sync_reference", stdout=io.StringIO())

    assert DataCategory.objects.get(number=5).name_en == "Customer data (edited)"
    assert list(category.purposes.values_list("code", flat=True)) == ["9.3.1"]
    invoices = RetentionRule.objects.get(code="invoices")
    assert (invoices.window_months, invoices.description) == (84, "Our wording")
    assert RetentionRule.objects.get(code="video").enabled
    assert not PeriodicTask.objects.get(name="requests: flag deadlines").enabled
    sweep.refresh_from_db()
    assert (sweep.crontab.hour, sweep.crontab.minute, sweep.description) == ("4", "15", "moved to 04:15")
    assert ConsentTopic.objects.get(code="surveys").name_lv == "Aptaujas"
    assert ImportProfile.objects.get(code="sms-gateway-stop").columns == {"phone": "MSISDN"}


def test_what_is_missing_is_created_again_and_a_role_group_is_put_back_to_the_matrix():
    """After a flush (transactional tests) or a row deleted by hand, the sync restores it; a
    permission given by hand to a role's group is taken away (§22: the matrix is the one place)."""
    before = _state()
    PeriodicTask.objects.filter(name__in=["retention: video", "retention: mark interrupted runs"]).delete()
    RetentionRule.objects.filter(code="security_logs").delete()
    ConsentTopic.objects.filter(code="cookies_targeting").delete()
    Recipient.objects.filter(code="banks").delete()
    Group.objects.filter(name=roles.AUDITOR.group).delete()
    agent = Group.objects.get(name=roles.AGENT.group)
    agent.permissions.add(Permission.objects.get(codename="download_recording"))

    sync_reference()

    assert _state() == before
    assert DataCategory.objects.get(number=1).recipients.filter(code="banks").count() == 0  # links: the DPO's


def test_a_category_whose_register_is_empty_gets_it_and_one_the_dpo_keeps_does_not():
    """A category that predates the register of processing (Annex 1, GDPR Art. 30) gets it filled;
    one whose register the DPO keeps is left alone, even where it differs from the code's."""
    old = DataCategory.objects.get(number=2)
    old.purposes.clear()
    DataCategory.objects.filter(pk=old.pk).update(retention_rule="", retention_en="", retention_lv="")
    kept = DataCategory.objects.get(number=3)
    kept.recipients.clear()  # special categories (§3): the DPO decided nobody receives them

    report = sync_reference()

    assert report["privacy.reference_data"]["DataCategory register"] == 1
    old.refresh_from_db()
    assert set(old.purposes.values_list("code", flat=True)) == {"9.1.3", "9.1.8", "9.1.7", "9.1.11"}
    assert (old.retention_rule, old.retention_lv[:14]) == ("prepaid_customers", "Kamēr ir spēkā")
    assert not kept.recipients.exists()


def test_every_migrate_runs_the_sync():
    """An upgrade needs no step of its own: `migrate` with nothing to apply still syncs (post_migrate)."""
    Group.objects.filter(name=roles.DPO.group).delete()
    PeriodicTask.objects.filter(name="consents: discard stale imports").delete()

    call_command("migrate", verbosity=0)

    assert Group.objects.get(name=roles.DPO.group).permissions.count() == len(roles.DPO.permissions)
    assert PeriodicTask.objects.filter(name="consents: discard stale imports", enabled=True).exists()


def test_a_migrate_to_an_earlier_migration_leaves_the_tables_alone():
    """The sync writes the tables as the code has them: not while a migration is still unapplied (a
    `migrate retention 0003` on the way back), only once the database is up to date again."""
    from django.apps import apps as registry
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder

    from privacy.sync import after_migrate

    retention = registry.get_app_config("retention")
    Group.objects.filter(name=roles.AUDITOR.group).delete()
    graph = MigrationLoader(connection).graph
    (leaf,) = graph.leaf_nodes("retention")
    # A squashed migration counts as applied while everything it replaces is: unapply the last of those too.
    names = [leaf[1], *[name for _, name in graph.nodes[leaf].replaces[-1:]]]
    applied = MigrationRecorder.Migration.objects.filter(app="retention", name__in=names)
    assert applied.count() == len(names)
    applied.delete()  # as if the last retention migration had been unapplied
    after_migrate(retention, plan=[], using="default")
    assert not Group.objects.filter(name=roles.AUDITOR.group).exists()

    MigrationRecorder.Migration.objects.bulk_create(
        MigrationRecorder.Migration(app="retention", name=name) for name in names
    )
    after_migrate(retention, plan=[], using="default")
    assert Group.objects.filter(name=roles.AUDITOR.group).exists()


def test_every_periodic_task_is_declared_in_one_place_and_every_rule_has_its_sweep():
    """config/schedule.py (settings.PERIODIC_TASKS) names each rule's nightly sweep (§31–34)."""
    declared = {entry["name"]: entry for entry in settings.PERIODIC_TASKS}
    assert set(declared) == set(SCHEDULE)
    sweeps = {name: entry for name, entry in declared.items() if entry["task"] == TASK_NAME}
    assert sweeps == {
        periodic_task_name(row["code"]): {
            **sweeps[periodic_task_name(row["code"])],
            "kwargs": {"code": row["code"]},
        }
        for row in RULES
    }


def _migrations():
    return sorted(path for app in OUR_APPS for path in (ROOT / app / "migrations").glob("0*.py"))


@pytest.mark.parametrize("path", _migrations(), ids=lambda path: f"{path.parent.parent.name}/{path.stem}")
def test_no_migration_imports_live_code_or_another_migration(path):
    """A migration replayed years later must mean what it meant: it reads no module that changes with
    the code (reference data, roles, rules, the sync) and runs no other migration (importlib)."""
    live = ("reference_data", "roles", "rules", "sync", "importlib")
    imported = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            imported += [f"{node.module}.{alias.name}" for alias in node.names]
    assert [name for name in imported if any(part in live for part in name.split("."))] == []


def test_privacy_names_no_model_of_the_apps_above_it_and_each_app_declares_its_own():
    """The layers (privacy below consents, requests_app, retention) hold for the role matrix too."""
    assert {label.split(".")[0] for matrix in roles.PERMISSIONS.values() for label in matrix} == {
        "privacy",
        "auth",
        "django_celery_beat",
        "axes",
    }
    for app in ("consents", "requests_app", "retention"):
        module = __import__(f"{app}.roles", fromlist=["PERMISSIONS"])
        assert {label.split(".")[0] for matrix in module.PERMISSIONS.values() for label in matrix} == {app}
        assert set(module.PERMISSIONS) <= {role.key for role in roles.ROLES}
    source = (ROOT / "privacy" / "roles.py").read_text(encoding="utf-8")
    assert not [app for app in ("consents.", "requests_app.", "retention.") if app in source]
