"""The admins of django-celery-beat and django-axes, with permissions on their actions (§22).

Their actions declare no permission, so Django offers them to anyone who may see the list: a read-only
role could switch off or start the nightly deletions. Here each gets the permission it needs (the
model's change permission for the schedule, delete for the lockout records: under the roles of
privacy/roles.py only the superuser), and what a person starts is recorded with that person: an admin
log entry for every task switched or run, and a task that records its runs (the retention sweep:
`trigger`, `actor_id`) is told who started it. privacy/admin_actions.py guards any action still
without a permission.
"""

from __future__ import annotations

import functools
import inspect
import json

from axes.admin import AccessAttemptAdmin
from axes.attempts import get_cool_off_threshold
from axes.conf import settings as axes_settings
from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext
from django_celery_beat.admin import PeriodicTaskAdmin
from django_celery_beat.models import PeriodicTask

#: The trigger a task that records its runs gets when a person starts it from the admin.
ADMIN_TRIGGER = "admin"


def _recorded(func, *permissions: str):
    """`func` (an action of the base class) needing `permissions`, with an admin log entry per object
    naming the person and the action."""

    @functools.wraps(func)
    def action(model_admin, request, queryset):
        for obj in queryset:
            model_admin.log_change(request, obj, str(func.short_description))
        return func(model_admin, request, queryset)

    action.allowed_permissions = permissions
    return action


def _records_who(task) -> bool:
    parameters = inspect.signature(task.run).parameters
    return "actor_id" in parameters and "trigger" in parameters


class _TaskNameFilter(admin.AllValuesFieldListFilter):
    """The task filter under a translated title: the library leaves its field's label unmarked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = gettext("Task Name")


class GuardedPeriodicTaskAdmin(PeriodicTaskAdmin):
    """The nightly schedule: switching tasks or running one needs the change permission."""

    list_filter = [
        ("task", _TaskNameFilter) if name == "task" else name for name in PeriodicTaskAdmin.list_filter
    ]

    enable_tasks = _recorded(PeriodicTaskAdmin.enable_tasks, "change")
    disable_tasks = _recorded(PeriodicTaskAdmin.disable_tasks, "change")
    toggle_tasks = _recorded(PeriodicTaskAdmin.toggle_tasks, "change")

    @admin.action(description=PeriodicTaskAdmin.run_tasks.short_description, permissions=["change"])
    def run_tasks(self, request, queryset):
        self.celery_app.loader.import_default_modules()
        selected = [(periodic, self.celery_app.tasks.get(periodic.task)) for periodic in queryset]
        unknown = [periodic.task for periodic, task in selected if task is None]
        if unknown:
            self.message_user(
                request, gettext("Unknown task: %(task)s") % {"task": unknown[0]}, messages.ERROR
            )
            return
        for periodic, task in selected:
            kwargs = json.loads(periodic.kwargs or "{}")
            if _records_who(task):
                kwargs.update(trigger=ADMIN_TRIGGER, actor_id=request.user.pk)
            options = {"queue": periodic.queue} if periodic.queue else {}
            self.log_change(request, periodic, str(PeriodicTaskAdmin.run_tasks.short_description))
            task.apply_async(
                args=json.loads(periodic.args or "[]"),
                kwargs=kwargs,
                headers={"periodic_task_name": periodic.name},
                **options,
            )
        self.message_user(
            request, gettext("Started: %(names)s.") % {"names": ", ".join(p.name for p, _ in selected)}
        )


class GuardedAccessAttemptAdmin(AccessAttemptAdmin):
    """Login failures: cleaning up expired ones deletes records, so it needs the delete permission."""

    @admin.action(
        description=AccessAttemptAdmin.cleanup_expired_attempts.short_description, permissions=["delete"]
    )
    def cleanup_expired_attempts(self, request, queryset):
        # django-axes computes the cool-off from the moment of a login attempt, which an admin
        # request does not have (its AttributeError was a 500): now is that moment here.
        request.axes_attempt_time = timezone.now()
        if not axes_settings.AXES_USE_ATTEMPT_EXPIRATION and axes_settings.AXES_COOLOFF_TIME is not None:
            # The admin log names who removed which (the same selection as django-axes' own cleanup).
            self.log_deletions(
                request, AccessAttempt.objects.filter(attempt_time__lte=get_cool_off_threshold(request))
            )
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(request, gettext("Expired login attempts removed: %(n)d.") % {"n": count})


def _replace(model, model_admin_class) -> None:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
        admin.site.register(model, model_admin_class)


_replace(PeriodicTask, GuardedPeriodicTaskAdmin)
_replace(AccessAttempt, GuardedAccessAttemptAdmin)
