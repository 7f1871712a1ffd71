"""No admin action without its permission (§22), third-party admins included.

The walk takes every ModelAdmin registered on the admin site (ours, django-celery-beat's, django-axes',
Django's own) and every action it has for the superuser, and for every role of privacy/roles.py:

- an action that changes data or starts work (seen by running it as the superuser: the database
  differs afterwards, or a Celery task was sent or queued) never needs only a view permission;
- it is offered (on the changelist) only to roles whose matrix holds the permissions it declares
  (an action declaring none needs the model's change permission);
- a forged POST of it (the changelist's action POST, confirmation included) by any other role changes
  no row of any table and starts no task.

A new third-party admin or action is walked too: nothing here lists them.
"""

from __future__ import annotations

import datetime

import pytest
from axes.models import AccessAttempt
from celery.signals import before_task_publish, task_prerun
from django.contrib import admin
from django.contrib.admin.models import DELETION, LogEntry
from django.contrib.auth.models import Permission
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from privacy.models import PendingFileDeletion
from privacy.roles import MODEL_ACTIONS, ROLES
from retention.models import RetentionRun
from tests.factories import UserFactory

from .conftest import in_role

pytestmark = pytest.mark.django_db

#: Tables a logged-in request writes whatever it does (the session is saved on every request).
NOT_DATA = {"django_session"}


def _snapshot() -> dict[str, tuple[int, int, int]]:
    """Every table's rows inserted, updated and deleted so far in this transaction, in one statement
    (PostgreSQL's own counters, which count every row written, even one written back unchanged)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_xact_user_tables")
        return {name: tuple(counts) for name, *counts in cursor.fetchall() if name not in NOT_DATA}


def _changed(before: dict, after: dict) -> list[str]:
    return sorted(table for table in before.keys() | after.keys() if before.get(table) != after.get(table))


class TaskSpy:
    """Celery tasks sent to the broker or run in-process while it listens."""

    def __init__(self):
        self.started: list[str] = []

    def _sent(self, sender=None, **_kwargs):
        self.started.append(str(sender))

    def _ran(self, sender=None, **_kwargs):
        self.started.append(getattr(sender, "name", str(sender)))

    def __enter__(self):
        before_task_publish.connect(self._sent, weak=False)
        task_prerun.connect(self._ran, weak=False)
        return self

    def __exit__(self, *exc):
        before_task_publish.disconnect(self._sent)
        task_prerun.disconnect(self._ran)


def _required(model, func) -> set[str]:
    """The matrix permissions ("app_label.codename") an action needs: what it declares, mapped as
    Django does (has_<name>_permission: the model permission, else the custom one of that name); an
    action that declares none needs the change permission."""
    opts = model._meta
    declared = getattr(func, "allowed_permissions", None) or ("change",)
    codenames = set(
        Permission.objects.filter(content_type__app_label=opts.app_label).values_list("codename", flat=True)
    )
    needs = set()
    for name in declared:
        if name in MODEL_ACTIONS or f"{name}_{opts.model_name}" in codenames:
            needs.add(f"{opts.app_label}.{name}_{opts.model_name}")
        elif name in codenames:
            needs.add(f"{opts.app_label}.{name}")
        else:
            needs.add(f"{opts.app_label}.<{name}: no such permission>")
    return needs


def _changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def _offered(client, model) -> set[str]:
    response = client.get(_changelist(model))
    if response.status_code != 200 or not response.context.get("action_form"):
        return set()
    return {name for name, _label in response.context["action_form"].fields["action"].choices if name}


def _run(client, model, action: str, django_capture_on_commit_callbacks):
    """POST the action on every row (confirmation included, as a forger would), then undo it all.
    Returns (status, tables changed, tasks started)."""
    pks = [str(pk) for pk in model._default_manager.order_by("pk").values_list("pk", flat=True)[:50]]
    data = {"action": action, admin.helpers.ACTION_CHECKBOX_NAME: pks, "post": "yes"}
    with transaction.atomic():
        before = _snapshot()
        with TaskSpy() as spy, django_capture_on_commit_callbacks(execute=False) as callbacks:
            response = client.post(_changelist(model), data)
        after = _snapshot()
        transaction.set_rollback(True)
    started = spy.started + [f"on commit: {callback}" for callback in callbacks]
    return response.status_code, _changed(before, after), started


def _something_for_every_action() -> None:
    """Rows each action has work on: a disabled periodic task, an expired login failure (made after the
    logins: django-axes cleans expired ones up at every login), a file waiting for deletion."""
    PeriodicTask.objects.filter(pk=PeriodicTask.objects.order_by("pk").first().pk).update(enabled=False)
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(days=2))
    if not PendingFileDeletion.objects.exists():
        PendingFileDeletion.objects.create(field="privacy.Recording.file", name="recordings/gone.wav")


def _every_action(superuser_request) -> list[tuple[type, admin.ModelAdmin, str, object]]:
    found = []
    for model, model_admin in sorted(admin.site._registry.items(), key=lambda pair: pair[0]._meta.label):
        for name, (func, _name, _description) in model_admin.get_actions(superuser_request).items():
            found.append((model, model_admin, name, func))
    return found


def test_every_action_of_every_admin_needs_its_permission_for_every_role(
    one_of_everything, eager_celery, django_capture_on_commit_callbacks, rf
):
    """§22: what a role may do is the matrix's to say, for actions too, whoever wrote the admin."""
    superuser = UserFactory(username="root", is_superuser=True)
    request = rf.get("/admin/")
    request.user = superuser
    actions = _every_action(request)
    third_party = {model._meta.app_label for model, *_ in actions} - {
        "privacy",
        "consents",
        "requests_app",
        "retention",
    }
    assert {"django_celery_beat", "axes", "auth"} <= third_party  # the walk covers others' admins
    clients = {"superuser": Client()}
    clients["superuser"].force_login(superuser)
    for role in ROLES:
        clients[role.key] = Client()
        clients[role.key].force_login(in_role(role.key))
    _something_for_every_action()
    problems = []
    writing = set()
    # What a role's changelist offers, asked once per role and model: every forged POST is rolled back,
    # so the offer cannot change from one action of the model to the next.
    offers: dict[tuple[str, type], set[str]] = {}
    for model, _model_admin, name, func in actions:
        label = f"{model._meta.label} {name}"
        needs = _required(model, func)
        status, changed, started = _run(clients["superuser"], model, name, django_capture_on_commit_callbacks)
        if status >= 500:
            problems.append(f"{label}: {status} for the superuser")
        writes = bool(changed or started)
        if writes:
            writing.add(label)
        if writes and all(".view_" in perm for perm in needs):
            problems.append(f"{label} changes {changed or started} but needs only {sorted(needs)}")
        for role in ROLES:
            permitted = needs <= role.permissions
            if permitted:
                continue
            client = clients[role.key]
            if (role.key, model) not in offers:
                offers[role.key, model] = _offered(client, model)
            if name in offers[role.key, model]:
                problems.append(f"{label}: offered to {role.key}, whose matrix lacks {sorted(needs)}")
            status, changed, started = _run(client, model, name, django_capture_on_commit_callbacks)
            if status >= 500 or changed or started:
                problems.append(f"{label}: forged by {role.key}: {status}, changed {changed}, {started}")
    assert problems == []
    # The walk sees work being done (else it would prove nothing): switching and running the schedule,
    # running a retention rule, emptying the file queue, cleaning up login failures, deleting rows.
    assert {
        "django_celery_beat.PeriodicTask disable_tasks",
        "django_celery_beat.PeriodicTask run_tasks",
        "retention.RetentionRule run_now",
        "privacy.PendingFileDeletion retry_now",
        "axes.AccessAttempt cleanup_expired_attempts",
        "auth.Group delete_selected",
    } <= writing


def test_an_action_without_a_declared_permission_is_dropped_for_a_view_only_role(client, one_of_everything):
    """The generic guard: the next third-party action that declares no permission is not offered to a
    role that may only look, and its forged POST does nothing."""

    def stop_everything(model_admin, request, queryset):
        queryset.update(enabled=False)

    model_admin = admin.site._registry[PeriodicTask]
    auditor = in_role("auditor")
    client.force_login(auditor)
    original = model_admin.actions
    model_admin.actions = [*original, stop_everything]
    try:
        assert "stop_everything" not in _offered(client, PeriodicTask)
        client.post(
            _changelist(PeriodicTask),
            {
                "action": "stop_everything",
                admin.helpers.ACTION_CHECKBOX_NAME: list(PeriodicTask.objects.values_list("pk", flat=True)),
            },
        )
        assert not PeriodicTask.objects.filter(enabled=False).exists()
        superuser = UserFactory(username="root", is_superuser=True)
        client.force_login(superuser)
        assert "stop_everything" in _offered(client, PeriodicTask)
    finally:
        model_admin.actions = original


def test_a_periodic_task_run_from_the_admin_is_recorded_with_the_person(
    client, one_of_everything, eager_celery
):
    """A retention sweep started from the schedule's admin says who started it (trigger "admin",
    triggered_by), not "nightly schedule" with nobody; the admin log names the person too."""
    superuser = UserFactory(username="root", is_superuser=True)
    client.force_login(superuser)
    periodic = PeriodicTask.objects.get(task="retention.sweep_rule", kwargs__contains='"recordings"')
    response = client.post(
        _changelist(PeriodicTask),
        {"action": "run_tasks", admin.helpers.ACTION_CHECKBOX_NAME: [periodic.pk]},
    )
    assert response.status_code == 302
    run = RetentionRun.objects.filter(rule__code="recordings").latest("started_at")
    assert (run.trigger, run.triggered_by) == (RetentionRun.Trigger.ADMIN, superuser)
    entry = LogEntry.objects.get(object_id=str(periodic.pk), content_type__app_label="django_celery_beat")
    assert entry.user == superuser


def test_cleaning_up_expired_login_failures_works_for_the_superuser(client, one_of_everything):
    """django-axes' own action raised AttributeError (axes_attempt_time) on every use: a 500."""
    client.force_login(UserFactory(username="root", is_superuser=True))  # first: logins clean up too
    old = AccessAttempt.objects.create(
        username="old", ip_address="192.0.2.11", user_agent="t", path_info="/", failures_since_start=1
    )
    AccessAttempt.objects.filter(pk=old.pk).update(attempt_time=timezone.now() - datetime.timedelta(hours=2))
    response = client.post(
        _changelist(AccessAttempt),
        {"action": "cleanup_expired_attempts", admin.helpers.ACTION_CHECKBOX_NAME: [old.pk]},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(pk=old.pk).exists()
    assert AccessAttempt.objects.filter(username="someone").exists()  # recent: kept
    entry = LogEntry.objects.get(content_type__app_label="axes", object_id=str(old.pk))
    assert (entry.user.username, entry.action_flag) == ("root", DELETION)


@pytest.mark.parametrize("role", [r.key for r in ROLES])
def test_no_role_deletes_queued_files_by_hand(client, one_of_everything, role):
    """The file-deletion queue is evidence of erasures (§38): seeing it does not mean emptying it."""
    pending = PendingFileDeletion.objects.create(field="privacy.Recording.file", name="recordings/x.wav")
    client.force_login(in_role(role))
    assert "retry_now" not in _offered(client, PendingFileDeletion)
    client.post(
        _changelist(PendingFileDeletion),
        {"action": "retry_now", admin.helpers.ACTION_CHECKBOX_NAME: [pending.pk]},
    )
    assert PendingFileDeletion.objects.filter(pk=pending.pk).exists()
