"""The admin in the staff member's own language: Latvian, Russian or English.

A staff member picks the language with the switcher in the admin header (templates/admin/base_site.html).
The choice is remembered on their account (`User.language`) and activated on every request of theirs by
`StaffLanguageMiddleware`, so it follows them to their next login on any browser; before login (the login
page) the language cookie and the browser's Accept-Language decide, as Django's LocaleMiddleware does.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext_lazy
from django.views.decorators.http import require_POST

from .models import User


def supported_language(code: str | None) -> str | None:
    """The code if it is one of settings.LANGUAGES (lv, ru, en), else None."""
    return code if code and code in dict(settings.LANGUAGES) else None


@transaction.atomic
def staff_language_set(*, actor: User, language: str) -> User:
    """Remember `language` as the admin language of `actor` (one history row when it changes)."""
    if not supported_language(language):
        raise ValidationError(
            {
                "language": _("“%(code)s” is not a language of the admin; choose one of: %(choices)s.")
                % {"code": language, "choices": ", ".join(dict(settings.LANGUAGES))}
            },
            code="invalid_language",
        )
    user = User.objects.select_for_update().get(pk=actor.pk)
    if user.language == language:
        return user
    user.language = language
    user.clean_fields(exclude=[f.name for f in User._meta.concrete_fields if f.name != "language"])
    user._history_user = actor
    user._change_reason = _("admin language changed")
    user.save(update_fields=["language"])
    actor.language = language
    return user


class StaffLanguageMiddleware:
    """Activate the signed-in staff member's remembered language (after AuthenticationMiddleware).

    LocaleMiddleware has already chosen from the cookie or Accept-Language; the account's choice wins,
    so the admin is in the same language on every browser the staff member uses.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = None
        if user is not None and user.is_authenticated:
            language = supported_language(getattr(user, "language", ""))
        if not language or language == getattr(request, "LANGUAGE_CODE", None):
            return self.get_response(request)
        request.LANGUAGE_CODE = language
        # Only for this request: the thread's language is restored afterwards (so nothing that runs
        # next on the thread inherits one staff member's choice).
        with translation.override(language):
            response = self.get_response(request)
        response.headers["Content-Language"] = language
        return response


@require_POST
def admin_language_set(request):
    """The header switcher's target: remember the language on the account (staff) and in the cookie
    (the login page, before anyone is signed in), then go back where the staff member was."""
    language = request.POST.get("language", "")
    target = request.POST.get("next") or "/admin/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/admin/"
    response = HttpResponseRedirect(target)
    if not supported_language(language):
        messages.error(request, _("Unknown language: choose Latvian, Russian or English."))
        return response
    if request.user.is_authenticated and request.user.is_staff:
        staff_language_set(actor=request.user, language=language)
    translation.activate(language)
    # the cookie Django's own `set_language` sets, from the same LANGUAGE_COOKIE_* settings
    options = {
        name: getattr(settings, f"LANGUAGE_COOKIE_{name.upper()}")
        for name in ("path", "domain", "secure", "httponly", "samesite")
    }
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE, **options
    )
    return response


#: Strings of third-party admin pages that ship no Latvian catalogue (django-simple-history has none, and
#: its Russian one sits under `ru_RU`, which Django never looks up for `ru`; django-import-export,
#: django-axes and django-celery-beat have none for Latvian). Listed here so makemessages carries them
#: into our catalogues, which take precedence: the history and import pages of our models, and the side
#: bar, are then in the staff member's language too. The rest of those apps' own pages stay as they come.
THIRD_PARTY_MSGIDS = (
    # django-simple-history
    gettext_noop("Change history: %s"),
    gettext_noop("View history: %s"),
    gettext_noop("Revert %s"),
    gettext_noop("View %s"),
    gettext_noop("Revert %(verbose_name)s"),
    gettext_noop("View %(verbose_name)s"),
    gettext_noop("Created"),
    gettext_noop("Changed"),
    gettext_noop("Deleted"),
    gettext_noop("Object"),
    gettext_noop("Date/time"),
    gettext_noop("Comment"),
    gettext_noop("Changed by"),
    gettext_noop("Change reason"),
    gettext_noop("Changes"),
    gettext_noop("Revert"),
    gettext_noop("Change History"),
    gettext_noop("Close"),
    gettext_noop("This object doesn't have a change history."),
    gettext_noop("Choose a date from the list below to revert to a previous version of this object."),
    gettext_noop("Press the 'Revert' button below to revert to this version of the object."),
    gettext_noop("Press the 'Change History' button below to edit the history."),
    gettext_noop("You may edit it again below"),
    gettext_noop('The %(name)s "%(obj)s" was changed successfully.'),
    gettext_noop("Deleted %(type_name)s"),
    ngettext_lazy("entry", "entries", "count"),
    # django-axes and django-celery-beat: their names in the admin's side bar (no Latvian catalogue)
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("Periodic Tasks"),
    gettext_noop("periodic task"),
    gettext_noop("periodic tasks"),
    gettext_noop("clocked"),
    gettext_noop("crontab"),
    gettext_noop("crontabs"),
    gettext_noop("interval"),
    gettext_noop("intervals"),
    gettext_noop("solar event"),
    gettext_noop("solar events"),
    # django-celery-beat: the periodic task list and change page as staff see them
    gettext_noop("Name"),
    gettext_noop("Short Description For This Task"),
    gettext_noop("Task Name"),
    gettext_noop('The Name of the Celery Task that Should be Run.  (Example: "proj.tasks.import_contacts")'),
    gettext_noop("Interval Schedule"),
    gettext_noop("Interval Schedule to run the task on.  Set only one schedule type, leave the others null."),
    gettext_noop("Crontab Schedule"),
    gettext_noop("Crontab Schedule to run the task on.  Set only one schedule type, leave the others null."),
    gettext_noop("Solar Schedule"),
    gettext_noop("Solar Schedule to run the task on.  Set only one schedule type, leave the others null."),
    gettext_noop("Clocked Schedule"),
    gettext_noop("Clocked Schedule to run the task on.  Set only one schedule type, leave the others null."),
    gettext_noop("Positional Arguments"),
    gettext_noop('JSON encoded positional arguments (Example: ["arg1", "arg2"])'),
    gettext_noop("Keyword Arguments"),
    gettext_noop('JSON encoded keyword arguments (Example: {"argument": "value"})'),
    gettext_noop("Queue Override"),
    gettext_noop("Queue defined in CELERY_TASK_QUEUES. Leave None for default queuing."),
    gettext_noop("Exchange"),
    gettext_noop("Override Exchange for low-level AMQP routing"),
    gettext_noop("Routing Key"),
    gettext_noop("Override Routing Key for low-level AMQP routing"),
    gettext_noop("AMQP Message Headers"),
    gettext_noop("JSON encoded message headers for the AMQP message."),
    gettext_noop("Priority"),
    gettext_noop(
        "Priority Number between 0 and 255. Supported by: RabbitMQ, Redis (priority reversed, 0 is highest)."
    ),
    gettext_noop("Expires Datetime"),
    gettext_noop("Datetime after which the schedule will no longer trigger the task to run"),
    gettext_noop("Expires timedelta with seconds"),
    gettext_noop("Timedelta with seconds which the schedule will no longer trigger the task to run"),
    gettext_noop("One-off Task"),
    gettext_noop("If True, the schedule will only run the task a single time"),
    gettext_noop("Start Datetime"),
    gettext_noop("Datetime when the schedule should begin triggering the task to run"),
    gettext_noop("Enabled"),
    gettext_noop("Set to False to disable the schedule"),
    gettext_noop("Last Run Datetime"),
    gettext_noop(
        "Datetime that the schedule last triggered the task to run. Reset to None if enabled is set to False."
    ),
    gettext_noop("Total Run Count"),
    gettext_noop("Running count of how many times the schedule has triggered the task"),
    gettext_noop("Last Modified"),
    gettext_noop("Datetime that this PeriodicTask was last modified"),
    gettext_noop("Description"),
    gettext_noop("Detailed description about the details of this Periodic Task"),
    gettext_noop("Task (registered)"),
    gettext_noop("Task (custom)"),
    gettext_noop("Schedule"),
    gettext_noop("Arguments"),
    gettext_noop("Execution Options"),
    gettext_noop("Enable selected tasks"),
    gettext_noop("Disable selected tasks"),
    gettext_noop("Toggle activity of selected tasks"),
    gettext_noop("Run selected tasks"),
    gettext_noop("Periodic Tasks Using This Schedule"),
    gettext_noop("Need name of task"),
    gettext_noop("Only one can be set, in expires and expire_seconds"),
    # django-import-export (the consent ledger's import and export)
    gettext_noop("Import"),
    gettext_noop("Export"),
    gettext_noop("This importer will import the following fields: "),
    gettext_noop("This exporter will export the following fields: "),
)
