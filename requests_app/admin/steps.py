"""The admin's generic part of a workflow: a button per step on the change page, leading to a page that
renders the step's form and calls its service; a record added through its registering service. Which
buttons a person sees is asked of the table of steps (requests_app/workflow.py), the table the services
enforce, so a button is shown exactly when the service would take the step."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from privacy.special_categories import hide_special_form_fields

from .. import workflow


@dataclass(frozen=True)
class Transition:
    """A button: `step` is the row of the table that says when it is offered, `form` collects the
    service's arguments, `run(obj=, actor=, **arguments)` calls the service, `done` is the message after."""

    step: workflow.Step
    label: Any
    form: type
    run: Callable[..., Any]
    done: Any
    preview: Callable[..., Any] | None = None
    danger: bool = False

    @property
    def name(self) -> str:
        return self.step.name

    def available(self, obj) -> bool:
        """Whether the object's state allows the step (for whoever holds its permission)."""
        return workflow.refusal(self.step, obj, of_actor=False) is None


def calls(service: Callable[..., Any], *, record: str = "subject_request") -> Callable[..., Any]:
    """A transition's `run`: the service called with the record under its keyword name."""
    return lambda obj, actor, **arguments: service(**{record: obj}, actor=actor, **arguments)


class TransitionAdminMixin:
    """Adds `<id>/do/<transition>/` pages and the buttons leading to them."""

    transitions: tuple[Transition, ...] = ()
    transition_template = "admin/requests_app/transition_form.html"

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/do/<slug:transition>/",
                self.admin_site.admin_view(self.transition_view),
                name=f"{opts.app_label}_{opts.model_name}_transition",
            ),
            *super().get_urls(),
        ]

    def _transition(self, name: str) -> Transition:
        for transition in self.transitions:
            if transition.name == name:
                return transition
        raise Http404(gettext("No such step."))

    def _allowed(self, request, obj, transition: Transition) -> bool:
        return self.has_change_permission(request, obj) and workflow.permitted(transition.step, request.user)

    def transition_buttons(self, request, obj) -> list[dict]:
        opts = self.model._meta
        return [
            {
                "url": reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_transition", args=[obj.pk, transition.name]
                ),
                "label": transition.label,
                "danger": transition.danger,
            }
            for transition in self.transitions
            if self.has_change_permission(request, obj)
            and workflow.offered(transition.step, obj, request.user)
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra_context = dict(extra_context or {})
        if obj is not None:
            extra_context["transition_buttons"] = self.transition_buttons(request, obj)
        return super().change_view(request, object_id, form_url, extra_context)

    def transition_view(self, request, object_id, transition):
        step = self._transition(transition)
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(gettext("No such record."))
        if not self._allowed(request, obj, step):
            raise PermissionDenied
        opts = self.model._meta
        change_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        refusal = workflow.refusal(step.step, obj, of_actor=False)
        if refusal is not None:
            not_possible = gettext("“%(step)s” is not possible for %(obj)s in its current state.") % {
                "step": step.label,
                "obj": obj,
            }
            self.message_user(request, " ".join([not_possible, *refusal.messages]), messages.ERROR)
            return HttpResponseRedirect(change_url)
        form = step.form(request.POST if request.method == "POST" else None, obj=obj)
        hide_special_form_fields(form, request.user)  # Annex 1 cat. 3: not shown, not changed
        if request.method == "POST" and form.is_valid():
            try:
                with transaction.atomic():
                    step.run(obj=obj, actor=request.user, **form.service_kwargs())
            except ValidationError as exc:
                _form_errors(form, exc)
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            except PermissionDenied as exc:
                self.message_user(request, str(exc) or gettext("Not allowed."), messages.ERROR)
                return HttpResponseRedirect(change_url)
            else:
                self.message_user(request, f"{obj}: {step.done}", messages.SUCCESS)
                return HttpResponseRedirect(change_url)
        preview = preview_error = None
        if step.preview is not None:
            try:
                preview = step.preview(obj=obj, actor=request.user)
            except (ValidationError, ImportError) as exc:
                preview_error = " ".join(getattr(exc, "messages", [str(exc)]))
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "original": obj,
            "title": f"{step.label}: {obj}",
            "form": form,
            "step": step,
            "preview": preview,
            "preview_error": preview_error,
            "change_url": change_url,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, self.transition_template, context)

    def _bulk(self, request, queryset, service, done) -> None:
        """Run a service on each selected object in its own transaction; report each refusal."""
        ok = 0
        for obj in queryset.order_by("pk"):
            try:
                with transaction.atomic():
                    service(obj, request.user)
                ok += 1
            except (ValidationError, PermissionDenied) as exc:
                text = " ".join(getattr(exc, "messages", [str(exc)]))
                self.message_user(request, f"{obj}: {text}", messages.ERROR)
        if ok:
            self.message_user(request, f"{done}: {ok}", messages.SUCCESS)


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error.messages if hasattr(error, "messages") else error)
    else:
        form.add_error(None, exc.messages)


class RegisterThroughServiceMixin:
    """A record is added by its registering service, never by a plain save: the admin declares
    `add_form` (whose clean() asks the service's validation, and whose `service_kwargs()` gives the
    service's arguments) and `add_fieldsets`, and names the service in `register_service`."""

    add_form: type
    add_fieldsets: list
    register_service: Callable[..., Any]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        return super().get_fieldsets(request, obj)

    def save_form(self, request, form, change):
        """The new record is the one the service registers; an edit is the form's plain save."""
        if change:
            return super().save_form(request, form, change)
        return self.register_service(actor=request.user, **form.service_kwargs())

    def save_model(self, request, obj, form, change):
        if change:  # a new record was saved by its service (save_form)
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if change:  # a new record has no inlines and no many-to-many fields to save
            super().save_related(request, form, formsets, change)


class EvidenceAdminMixin:
    """Requests and complaints are evidence that the rights were handled: never deleted in the admin
    (an erasure anonymises them), listed by their reference."""

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description=_("reference"), ordering="pk")
    def reference(self, obj):
        return str(obj)


class ListedInline(admin.TabularInline):
    """Rows a step wrote under the record (corrections, packages, letters): listed, never edited here."""

    extra = 0
    max_num = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return list(self.fields)

    def has_add_permission(self, request, obj=None):
        return False
