"""Staff roles (§22, Annex 1 cat. 3 and 26–27): the permission matrix as data, synced into auth Groups.

The roles (key, group, what they are for) are declared here; what each may do is declared by the app
that owns the models: `PERMISSIONS` in each app's `roles.py` (this module holds privacy's own and the
third-party models'), collected through the app registry, so privacy names no model of the apps above
it. `manage.py sync_reference` (run after every `migrate`, privacy/sync.py) and `staff_roles --sync`
make the Groups match the matrix exactly; the README shows it (`render_markdown`), and the table-driven
test in tests/security/ checks every admin page against it. The superuser is Django's `is_superuser`
flag, not a group: everything, for the few who administer the system.

A matrix entry maps a model ("app_label.model_name") to actions: the model permissions "view", "add",
"change", "delete", or the codename of a custom permission of that model ("download_recording").
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import import_module

from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_noop

MODEL_ACTIONS = ("view", "add", "change", "delete")

#: The dedicated permission without which special-category fields (Annex 1 cat. 3) are hidden.
VIEW_SPECIAL_CATEGORIES = "privacy.view_special_categories"

REFERENCE_REGISTERS = (
    "privacy.datacategory",
    "privacy.processingpurpose",
    "privacy.legalbasis",
    "privacy.legitimateinterest",
    "privacy.datasource",
    "privacy.recipient",
    "privacy.policyversion",
)

Matrix = dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Role:
    key: str
    #: The Group's name: stable, English, used by the sync (rename = a new group). Marked for
    #: translation: the admin shows it in the staff member's language (`group_label`).
    group: str
    summary: str
    #: Entries of this role besides the apps' `PERMISSIONS` (none for the four roles).
    extra_models: Matrix = field(default_factory=dict)

    @property
    def models(self) -> Matrix:
        """The role's matrix: every app's `PERMISSIONS[key]`, in INSTALLED_APPS order."""
        merged: Matrix = {}
        for declared in declarations():
            merged.update(declared.get(self.key, {}))
        return {**merged, **self.extra_models}

    @property
    def permissions(self) -> frozenset[str]:
        """Every permission of the role as "app_label.codename"."""
        return frozenset(perm for label, actions in self.models.items() for perm in _perms(label, actions))


def _perms(model_label: str, actions: Iterable[str]) -> list[str]:
    app_label, model_name = model_label.split(".")
    return [
        f"{app_label}.{action}_{model_name}" if action in MODEL_ACTIONS else f"{app_label}.{action}"
        for action in actions
    ]


def _each(labels: Iterable[str], *actions: str) -> Matrix:
    return dict.fromkeys(labels, actions)


def app_modules(name: str) -> list:
    """Each installed app's module `name` ("roles", "reference_data"), in INSTALLED_APPS order: how an
    app contributes to the matrix and to the sync without privacy importing it."""
    from django.apps import apps

    return [
        import_module(f"{config.name}.{name}")
        for config in apps.get_app_configs()
        if module_has_submodule(config.module, name)
    ]


@functools.cache
def declarations() -> tuple[dict[str, Matrix], ...]:
    """Every app's `PERMISSIONS` ({role key: matrix}), read once the apps are loaded."""
    return tuple(module.PERMISSIONS for module in app_modules("roles"))


AGENT = Role(
    key="customer_service",
    group=gettext_noop("Customer-service agent"),
    summary=(
        "Customers and their contracts and invoices, consents (by hand and CSV or XLSX import, and the "
        "import profiles), intake of "
        "data-subject requests (registration, identity check) and complaints, letters to customers "
        "(§42). No decisions on requests, no recording content, no special categories, no data "
        "packages, no exports."
    ),
)

DPO = Role(
    key="data_protection_officer",
    group=gettext_noop("Data protection officer (DPO)"),
    summary=(
        "Data-subject requests: their decisions and erasure approval (four eyes), data packages and "
        "letters, complaints (§43–44), the registers of processing and disclosures, legal holds, "
        "policy versions, special categories and call recordings; exports of the consent ledger and "
        "audiences."
    ),
)

RETENTION_OPERATOR = Role(
    key="retention_operator",
    group=gettext_noop("Retention operator"),
    summary=(
        "Retention rules (windows within the policy's minimum, on/off), runs and dry runs (previews), "
        "legal holds, the nightly schedule (read-only), erasure records and the file-deletion queue. "
        "No customer records."
    ),
)

AUDITOR = Role(
    key="auditor",
    group=gettext_noop("Auditor"),
    summary=(
        "Read-only everything, history included, and the consent ledger and state exports. No "
        "changes, no special categories, no downloads of recordings, data packages or letters."
    ),
)

ROLES: tuple[Role, ...] = (AGENT, DPO, RETENTION_OPERATOR, AUDITOR)

_BEAT_SCHEDULES = (
    "django_celery_beat.intervalschedule",
    "django_celery_beat.solarschedule",
    "django_celery_beat.clockedschedule",
)

#: Privacy's models and the third-party ones (auth, django-celery-beat, django-axes); each app above
#: declares its own in its roles.py.
PERMISSIONS: dict[str, Matrix] = {
    AGENT.key: {
        "privacy.customer": ("view", "add", "change"),
        "privacy.contract": ("view",),
        "privacy.invoice": ("view",),
        "privacy.recording": ("view",),  # that a call was recorded; not its content
        **_each(REFERENCE_REGISTERS, "view"),
        "privacy.objection": ("view", "add"),  # §38: intake of an objection to a processing
    },
    DPO.key: {
        "privacy.customer": ("view", "change", "view_special_categories"),
        "privacy.contract": ("view",),
        "privacy.invoice": ("view",),
        "privacy.recording": ("view", "download_recording"),
        "privacy.disclosure": ("view", "add", "change"),
        "privacy.legalhold": ("view", "add", "change"),
        **_each(REFERENCE_REGISTERS, "view", "add", "change"),
        **_each(("privacy.accesslog", "privacy.erasurerecord"), "view"),
        **_each(("privacy.suppressionentry", "privacy.pendingfiledeletion"), "view"),
        "privacy.objection": ("view", "add", "change", "decide_objection"),
    },
    RETENTION_OPERATOR.key: {
        "privacy.legalhold": ("view", "add", "change"),
        **_each(("privacy.erasurerecord", "privacy.pendingfiledeletion"), "view"),
        **_each(("django_celery_beat.periodictask", "django_celery_beat.crontabschedule"), "view"),
    },
    AUDITOR.key: {
        **_each(("privacy.customer", "privacy.contract", "privacy.invoice", "privacy.recording"), "view"),
        **_each(("privacy.disclosure", "privacy.legalhold"), "view"),
        **_each(REFERENCE_REGISTERS, "view"),
        **_each(("privacy.accesslog", "privacy.erasurerecord", "privacy.suppressionentry"), "view"),
        **_each(("privacy.pendingfiledeletion", "privacy.user", "auth.group"), "view"),
        **_each(("django_celery_beat.periodictask", "django_celery_beat.crontabschedule"), "view"),
        **_each(_BEAT_SCHEDULES, "view"),
        **_each(("axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"), "view"),
        "privacy.objection": ("view",),
    },
}


def role(key: str) -> Role:
    for candidate in ROLES:
        if candidate.key == key:
            return candidate
    raise KeyError(key)


def group_label(name: str) -> str:
    """A role's group name in the active language (§22: staff see their roles in their language); a
    group that is not a role's keeps its name."""
    from django.utils.translation import gettext

    return gettext(name) if name in {each.group for each in ROLES} else name


# --- Sync into Groups ------------------------------------------------------------------------------


def create_all_permissions(*, using: str = "default") -> None:
    """Create every app's content types and permissions now: post_migrate creates them app by app,
    and a flush (tests) leaves them to be created again before the groups can hold them."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)


def sync_roles(*, using: str = "default", strict: bool = True) -> dict[str, dict[str, list[str]]]:
    """Make each role's Group hold exactly the matrix's permissions; idempotent.

    Returns {group: {"added": [...], "removed": [...], "missing": [...]}}. `strict` raises on a
    permission the database does not have (a typo in the matrix).
    """
    from django.apps import apps

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted_labels = {perm for each in ROLES for perm in each.permissions}
    by_label = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.using(using).values_list(
            "pk", "content_type__app_label", "codename"
        )
        if f"{app_label}.{codename}" in wanted_labels
    }
    label_of = {pk: label for label, pk in by_label.items()}
    report: dict[str, dict[str, list[str]]] = {}
    for each in ROLES:
        missing = sorted(each.permissions - by_label.keys())
        if missing and strict:
            raise LookupError(f"Role {each.key!r}: no such permission(s): {', '.join(missing)}")
        group, _created = Group.objects.using(using).get_or_create(name=each.group)
        wanted = {by_label[perm] for perm in each.permissions if perm in by_label}
        current = set(group.permissions.values_list("pk", flat=True))
        added, removed = wanted - current, current - wanted
        if removed:
            group.permissions.remove(*removed)
        if added:
            group.permissions.add(*added)
        report[each.group] = {
            "added": sorted(label_of[pk] for pk in added),
            "removed": sorted(
                f"{app}.{code}"
                for app, code in Permission.objects.using(using)
                .filter(pk__in=removed)
                .values_list("content_type__app_label", "codename")
            ),
            "missing": missing,
        }
    return report


# --- The README's table ----------------------------------------------------------------------------

MARKER_START = "<!-- roles-matrix:start -->"
MARKER_END = "<!-- roles-matrix:end -->"


def _cell(actions: tuple[str, ...]) -> str:
    if not actions:
        return "—"
    return ", ".join(action if action in MODEL_ACTIONS else f"`{action}`" for action in actions)


def _model_title(label: str) -> str:
    from django.apps import apps as global_apps
    from django.utils import translation

    app_label, model_name = label.split(".")
    try:
        model = global_apps.get_model(app_label, model_name)
    except LookupError:
        return f"`{label}`"
    with translation.override("en"):
        return f"{str(model._meta.verbose_name_plural).capitalize()} (`{label}`)"


def render_markdown() -> str:
    """The README's roles section body: the roles, then one row per model and one column per role.

    Generated from ROLES; a test checks README.md holds exactly this between the markers.
    """
    lines = ["| Role (group) | What it is for |", "|---|---|"]
    lines += [f"| {each.group} | {each.summary} |" for each in ROLES]
    lines.append(
        "| Superuser (`is_superuser`, not a group) | Everything, including staff accounts and groups; "
        "for the few who administer the system. |"
    )
    lines.append("")
    labels = sorted({label for each in ROLES for label in each.models})
    lines.append("| Model | " + " | ".join(each.group for each in ROLES) + " |")
    lines.append("|---|" + "---|" * len(ROLES))
    for label in labels:
        cells = [_cell(each.models.get(label, ())) for each in ROLES]
        lines.append(f"| {_model_title(label)} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append(
        "Nobody, the superuser included, edits or deletes history, the file-access log, erasure "
        "records, retention runs or consent ledger events in the admin. Special-category fields "
        f"(Annex 1 cat. 3) are hidden from anyone without `{VIEW_SPECIAL_CATEGORIES}` in lists, "
        "filters, forms, exports and history."
    )
    return "\n".join(lines)


def readme_section() -> str:
    """The block to paste into README.md, markers included."""
    return f"{MARKER_START}\n{render_markdown()}\n{MARKER_END}"
