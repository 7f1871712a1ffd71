"""Every admin page there is, discovered from the admin site itself (not a hand list), for the tests that
request all of them: the models' changelists, add, change, delete and history pages, their history version
pages, the autocomplete of each autocomplete field, and every custom URL of the site and of each ModelAdmin.

A custom URL with a parameter these helpers cannot fill makes `custom_urls` fail, so a new admin view is
covered or noticed, never skipped silently.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import admin
from django.urls import URLPattern, reverse

STANDARD = ("changelist", "add", "history", "delete", "change", "simple_history")
#: Site views that are not pages of the back-office (they log out or redirect elsewhere).
SITE_SKIPPED = {"logout", "view_on_site", "autocomplete", "password_change_done"}


@dataclass(frozen=True)
class Target:
    url: str
    #: "changelist", "autocomplete", "custom" (query strings matter) or "page" (an object's page).
    kind: str
    model_admin: admin.ModelAdmin | None = None

    def __str__(self) -> str:
        return self.url


def registered() -> list[tuple[type, admin.ModelAdmin]]:
    return sorted(admin.site._registry.items(), key=lambda pair: pair[0]._meta.label)


def url(model, name: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{name}", args=args)


def first(model):
    return model._default_manager.order_by("pk").first()


def changelists() -> list[Target]:
    return [Target(url(model, "changelist"), "changelist", ma) for model, ma in registered()]


def object_pages() -> list[Target]:
    """Add, change, delete and history pages (one existing row each) and that row's latest version page."""
    targets = []
    for model, model_admin in registered():
        targets.append(Target(url(model, "add"), "page", model_admin))
        obj = first(model)
        if obj is None:
            continue
        for name in ("change", "delete", "history"):
            targets.append(Target(url(model, name, obj.pk), "page", model_admin))
        version = latest_version(model, obj)
        if version is not None:
            targets.append(Target(version_url(model, obj.pk, version.history_id), "page", model_admin))
    return targets


def latest_version(model, obj):
    if not hasattr(model, "history") or not url_exists(model, "simple_history"):
        return None
    return model.history.filter(**{model._meta.pk.attname: obj.pk}).order_by("-history_id").first()


def version_url(model, pk, history_id) -> str:
    return url(model, "simple_history", pk, history_id)


def url_exists(model, name: str) -> bool:
    from django.urls import NoReverseMatch

    try:
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{name}", args=[1, 1])
    except NoReverseMatch:
        return False
    return True


def autocompletes() -> list[tuple[Target, dict[str, str]]]:
    """The autocomplete view as each autocomplete field of each admin asks it (its source parameters)."""
    targets = []
    for model, model_admin in registered():
        for field_name in model_admin.autocomplete_fields:
            params = {
                "app_label": model._meta.app_label,
                "model_name": model._meta.model_name,
                "field_name": field_name,
            }
            targets.append((Target(reverse("admin:autocomplete"), "autocomplete", model_admin), params))
    return targets


def _fill(pattern: URLPattern, model_admin) -> list[dict[str, str]]:
    """Keyword arguments for a custom URL: an existing row for ids, every declared step for steps."""
    converters = getattr(pattern.pattern, "converters", {})
    names = list(converters) or list(pattern.pattern.regex.groupindex)
    if not names:
        return [{}]
    values: dict[str, list[str]] = {}
    for name in names:
        if name in {"object_id", "pk"}:
            obj = first(model_admin.model)
            values[name] = [str(obj.pk)] if obj is not None else []
        elif name == "job_id":
            from consents.models import ConsentImport

            job = first(ConsentImport)
            values[name] = [str(job.pk)] if job is not None else []
        elif name == "transition":
            values[name] = [step.name for step in getattr(model_admin, "transitions", ())]
        else:
            raise AssertionError(
                f"{pattern.name}: no way to fill <{name}>; teach tests/security/admin_targets.py"
            )
    if len(names) == 1:
        return [{names[0]: value} for value in values[names[0]]]
    first_name, second_name = names  # the only two-parameter URLs: <object_id>/do/<transition>/
    return [{first_name: a, second_name: b} for a in values[first_name] for b in values[second_name]]


def custom_urls() -> list[Target]:
    """Every URL of the site and of each ModelAdmin beyond the standard ones, filled with real rows."""
    targets = []
    for pattern in admin.site.get_urls():
        if isinstance(pattern, URLPattern) and pattern.name and pattern.name not in SITE_SKIPPED:
            if pattern.name == "app_list":
                targets += [
                    Target(reverse("admin:app_list", kwargs={"app_label": label}), "custom")
                    for label in sorted({model._meta.app_label for model, _ in registered()})
                ]
            elif pattern.name != "login":
                targets.append(Target(reverse(f"admin:{pattern.name}"), "custom"))
    for _model, model_admin in registered():
        for pattern in model_admin.get_urls():
            if not isinstance(pattern, URLPattern) or not pattern.name:
                continue
            if any(pattern.name.endswith(f"_{name}") for name in STANDARD):
                continue
            for kwargs in _fill(pattern, model_admin):
                targets.append(Target(reverse(f"admin:{pattern.name}", kwargs=kwargs), "custom", model_admin))
    return targets
