"""The staff roles' groups as staff see them (§22): in the staff member's language, on the groups list
and on the staff pages (the groups offered, shown read-only and filtered by). The groups keep their
stable English names (privacy/roles.py)."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from .roles import group_label


class RoleGroupFilter(admin.RelatedFieldListFilter):
    def field_choices(self, field, request, model_admin):
        return [(pk, group_label(name)) for pk, name in super().field_choices(field, request, model_admin)]


class TranslatedGroupsMixin:
    """A staff member's page and the staff list name the groups (roles) in the viewer's language."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups" and field is not None:
            field.label_from_instance = lambda group: group_label(group.name)
        return field

    def get_list_filter(self, request):
        return [
            ("groups", RoleGroupFilter) if name == "groups" else name
            for name in super().get_list_filter(request)
        ]

    def get_fieldsets(self, request, obj=None):
        """Read-only (the auditor): the groups by their translated names."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        return [
            (name, {**options, "fields": ["role_names" if f == "groups" else f for f in options["fields"]]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "role_names"]

    @admin.display(description=_("groups"))
    def role_names(self, obj):
        return ", ".join(sorted(group_label(group.name) for group in obj.groups.all())) or "—"


class RoleGroupAdmin(GroupAdmin):
    list_display = ["role_name"]

    @admin.display(description=_("name"), ordering="name")
    def role_name(self, obj):
        return group_label(obj.name)


admin.site.unregister(Group)
admin.site.register(Group, RoleGroupAdmin)
