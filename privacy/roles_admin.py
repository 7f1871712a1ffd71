"""The staff roles' groups as staff see them (§22): in the staff member's language, on the groups list
and on a staff member's page. The groups keep their stable English names (privacy/roles.py)."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from .roles import group_label


class TranslatedGroupsMixin:
    """A staff member's page lists the groups (roles) by their names in the viewer's language."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups" and field is not None:
            field.label_from_instance = lambda group: group_label(group.name)
        return field


class RoleGroupAdmin(GroupAdmin):
    list_display = ["role_name"]

    @admin.display(description=_("name"), ordering="name")
    def role_name(self, obj):
        return group_label(obj.name)


admin.site.unregister(Group)
admin.site.register(Group, RoleGroupAdmin)
