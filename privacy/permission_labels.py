"""Permission names as staff read them on the group and user pages, in their own language.

Django writes each permission's name into the database once, in English ("Can view invoice"), and the
pages list the stored name. Here the name is made again from what it means: a default permission
from its action and its model's (translated) name, one of ours from its msgid (the models' `Meta.
permissions`, marked for translation).
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import Permission
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

DEFAULT_ACTIONS = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}


def permission_name(permission: Permission) -> str:
    model = permission.content_type.model_class()
    action, _sep, model_name = permission.codename.partition("_")
    if model is not None and action in DEFAULT_ACTIONS and model_name == model._meta.model_name:
        return str(DEFAULT_ACTIONS[action]) % {"model": model._meta.verbose_name}
    return gettext(permission.name)


class PermissionsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Permission) -> str:
        return f"{obj.content_type} | {permission_name(obj)}"


class TranslatedPermissionsMixin:
    """For a ModelAdmin of users or groups: their permissions listed in the reader's language."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in ("permissions", "user_permissions"):
            kwargs["form_class"] = PermissionsField
        return super().formfield_for_manytomany(db_field, request, **kwargs)
