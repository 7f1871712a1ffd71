"""Special categories of personal data (Annex 1 cat. 3: resident status, deceased, disability mark)
are shown only to staff holding `privacy.view_special_categories` (issue 7).

Which fields are special is the catalogue's to say (`Entry.special_fields()`), so a model that registers
a category-3 field is covered everywhere by that one declaration: in admin lists, filters, search,
sorting, forms, history lists (the diffs) and history detail pages. `HistoryAdmin`, the base of every
admin of ours, mixes `SpecialCategoryAdminMixin` in.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import catalogue
from .roles import VIEW_SPECIAL_CATEGORIES

HIDDEN = _("(hidden: special category)")


def can_view_special_categories(user) -> bool:
    return bool(user and user.is_active and user.has_perm(VIEW_SPECIAL_CATEGORIES))


def special_fields_of(model) -> list[str]:
    entry = catalogue.entry_for(model)
    return entry.special_fields() if entry else []


def hidden_fields(user, model) -> list[str]:
    """The special-category fields of `model` that `user` may not see (none for holders of the
    permission)."""
    if can_view_special_categories(user):
        return []
    return special_fields_of(model)


def hide_special_form_fields(form, user) -> None:
    """Remove the special-category fields `user` may not see from a ModelForm (so they are neither
    shown nor changed by it)."""
    model = getattr(getattr(form, "_meta", None), "model", None)
    if model is None:
        return
    for name in hidden_fields(user, model):
        form.fields.pop(name, None)


def _without(names, hidden: set[str]):
    return [name for name in names if _field_name(name) not in hidden]


def _field_name(item) -> str:
    """The model field an admin declaration refers to: "disability", "=disability", ("disability",
    SomeFilter), "disability__exact"."""
    if isinstance(item, list | tuple):
        item = item[0]
    if not isinstance(item, str):
        return ""
    return item.lstrip("=^@-").split("__")[0]


class SpecialCategoryAdminMixin:
    """Hides the model's special-category fields from staff without the permission (Annex 1 cat. 3)."""

    def special_hidden(self, request) -> set[str]:
        return set(hidden_fields(request.user, self.model))

    # --- forms ---------------------------------------------------------------------------------

    def get_fields(self, request, obj=None):
        return _without(super().get_fields(request, obj), self.special_hidden(request))

    def get_fieldsets(self, request, obj=None):
        hidden = self.special_hidden(request)
        fieldsets = super().get_fieldsets(request, obj)
        if not hidden:
            return fieldsets
        kept = []
        for title, options in fieldsets:
            lines = []
            for line in options.get("fields", ()):
                if isinstance(line, list | tuple):
                    line = type(line)(_without(line, hidden))
                    if line:
                        lines.append(line)
                elif _field_name(line) not in hidden:
                    lines.append(line)
            if lines:
                kept.append((title, {**options, "fields": lines}))
        return kept

    def get_exclude(self, request, obj=None):
        hidden = self.special_hidden(request)
        exclude = super().get_exclude(request, obj)
        if not hidden:
            return exclude
        return [*(exclude or ()), *sorted(hidden)]

    def get_readonly_fields(self, request, obj=None):
        return _without(super().get_readonly_fields(request, obj), self.special_hidden(request))

    # --- lists ---------------------------------------------------------------------------------

    def get_list_display(self, request):
        return _without(super().get_list_display(request), self.special_hidden(request))

    def get_list_display_links(self, request, list_display):
        links = super().get_list_display_links(request, list_display)
        return links if links is None else _without(links, self.special_hidden(request))

    def get_list_filter(self, request):
        return _without(super().get_list_filter(request), self.special_hidden(request))

    def get_search_fields(self, request):
        return _without(super().get_search_fields(request), self.special_hidden(request))

    def get_sortable_by(self, request):
        return _without(super().get_sortable_by(request), self.special_hidden(request))

    def lookup_allowed(self, lookup, value, request=None):
        """The changelist accepts `?field=value` on any local field; not on a hidden one (it would
        tell who has a disability mark by what the filtered list shows)."""
        if request is not None and _field_name(lookup) in self.special_hidden(request):
            return False
        return super().lookup_allowed(lookup, value, request)

    # --- history -------------------------------------------------------------------------------

    def get_history_list_display(self, request):
        return _without(super().get_history_list_display(request), self.special_hidden(request))

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """The history list shows, per version, the fields that changed with old and new values:
        leave the hidden ones out of the diff."""
        hidden = self.special_hidden(request)
        if not hidden:
            return super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(
                    current, excluded_fields=sorted(hidden), foreign_keys_are_objs=foreign_keys_are_objs
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current


class SpecialValueInlineMixin:
    """For rows that record a value of a customer field (a rectification's before and after): the
    values of special-category fields are masked for staff without the permission."""

    #: The model whose field the row names, as "app_label.ModelName".
    special_value_model = "privacy.Customer"
    #: The row's attribute naming the field.
    special_value_name_field = "field_name"
    #: The row's attributes holding values of that field.
    special_value_fields: tuple[str, ...] = ("old_value", "new_value")

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        model = getattr(cls, "model", None)
        for name in cls.special_value_fields:
            label = model._meta.get_field(name).verbose_name if model else name.replace("_", " ")
            setattr(cls, f"{name}_masked", _masked_display(name, label))

    def _masking(self, request) -> bool:
        from django.apps import apps

        return bool(hidden_fields(request.user, apps.get_model(self.special_value_model)))

    def _mask_names(self, request, names):
        if not self._masking(request):
            return names
        return [f"{name}_masked" if name in self.special_value_fields else name for name in names]

    def get_fields(self, request, obj=None):
        return self._mask_names(request, super().get_fields(request, obj))

    def get_readonly_fields(self, request, obj=None):
        return self._mask_names(request, super().get_readonly_fields(request, obj))


def _masked_display(attribute: str, label):
    def display(self, row):
        from django.apps import apps

        model = apps.get_model(self.special_value_model)
        if getattr(row, self.special_value_name_field, "") in special_fields_of(model):
            return HIDDEN
        return getattr(row, attribute)

    display.__name__ = f"{attribute}_masked"
    return admin.display(description=label)(display)
