"""The requests queue and complaints in the admin. Thin: every transition is a button (or a bulk action)
that calls a service; a refusal (ValidationError) becomes an error message on the page."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from privacy import search
from privacy.admin_utils import HistoryAdmin
from privacy.overview_links import with_overview_link
from privacy.special_categories import SpecialValueInlineMixin, hide_special_form_fields

from . import deadlines, forms, letter_admin, selectors, services
from .display import days_left_html
from .models import Complaint, ExportPackage, RectificationChange, SubjectRequest

Status = SubjectRequest.Status
REFERENCE = re.compile(r"^(?:SR|C)-\d{4}-0*(\d+)$", re.IGNORECASE)


def _search(queryset, search_term: str, own: Callable[[str], Q]):
    """The queue's search: a reference (SR-2026-000123, C-2026-000007) finds its row; anything else
    the customer by anything privacy/search.py understands (name in any order and without diacritics,
    number, contract, phone, email, personal code, an erased customer's old number), or the model's
    `own` fields. NUL and lone surrogates are dropped first (search.clean)."""
    term = search.clean(search_term)
    if not term:
        return queryset, False
    reference = REFERENCE.match(term)
    if reference:
        return queryset.filter(pk=int(reference.group(1))), False
    customers = search.customers_matching(term).values("pk")
    return queryset.filter(Q(customer__in=customers) | own(term)), False


# --- transitions: a button on the change page -> a form -> a service ---------------------------------


@dataclass(frozen=True)
class Transition:
    name: str
    label: Any
    form: type
    run: Callable[..., Any]
    available: Callable[[Any], bool]
    done: Any
    permission: str = ""
    preview: Callable[..., Any] | None = None
    danger: bool = False
    #: (obj, user) -> whether this person may take the step at all (the service refuses the others;
    #: the button is not offered to them).
    for_actor: Callable[[Any, Any], bool] | None = None


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
        if not self.has_change_permission(request, obj):
            return False
        return not transition.permission or request.user.has_perm(transition.permission)

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
            if transition.available(obj)
            and self._allowed(request, obj, transition)
            and (transition.for_actor is None or transition.for_actor(obj, request.user))
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
        if not step.available(obj):
            self.message_user(
                request,
                gettext("“%(step)s” is not possible for %(obj)s in its current state.")
                % {"step": step.label, "obj": obj},
                messages.ERROR,
            )
            return HttpResponseRedirect(change_url)
        form = step.form(request.POST if request.method == "POST" else None, obj=obj)
        hide_special_form_fields(form, request.user)  # Annex 1 cat. 3: not shown, not changed (issue 7)
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


# --- data-subject requests -----------------------------------------------------------------------------


class DeadlineFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [
            ("overdue", _("overdue")),
            ("due_soon", _("due within 7 days")),
            ("on_time", _("more than 7 days left")),
            ("open", _("all open")),
            ("answered_late", _("answered after the deadline")),
        ]

    def queryset(self, request, queryset):
        today = deadlines.today()
        soon = today + datetime.timedelta(days=deadlines.DUE_SOON_DAYS)
        open_ = queryset.filter(status__in=SubjectRequest.OPEN_STATUSES)
        match self.value():
            case "overdue":
                return open_.filter(current_deadline__lt=today)
            case "due_soon":
                return open_.filter(current_deadline__gte=today, current_deadline__lte=soon)
            case "on_time":
                return open_.filter(current_deadline__gt=soon)
            case "open":
                return open_
            case "answered_late":
                return queryset.filter(
                    status=Status.ANSWERED, answered_on__gt=Coalesce("extended_due_at", "due_at")
                )
        return queryset


class RectificationInline(SpecialValueInlineMixin, admin.TabularInline):
    model = RectificationChange
    fields = ["field_name", "old_value", "new_value", "applied_at", "applied_by", "history_link"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name_plural = _("corrections applied (before and after)")

    @admin.display(description=_("customer history"))
    def history_link(self, obj):
        if not obj.customer_history_id or not obj.request.customer_id:
            return "—"
        url = reverse(
            "admin:privacy_customer_simple_history", args=[obj.request.customer_id, obj.customer_history_id]
        )
        return format_html('<a href="{}">{}</a>', url, _("version after the correction"))

    def has_add_permission(self, request, obj=None):
        return False


class PackageInline(admin.TabularInline):
    model = ExportPackage
    fields = ["created_at", "created_by", "size_bytes", "includes_files", "sha256", "download"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False

    @admin.display(description=_("download"))
    def download(self, obj):
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("requests_app:package-download", args=[obj.pk]), _("download")
        )

    def has_add_permission(self, request, obj=None):
        return False


def _is(*statuses):
    return lambda obj: obj.status in statuses


REQUEST_TRANSITIONS = (
    Transition(
        "verify",
        _("Verify identity"),
        forms.VerifyIdentityForm,
        lambda obj, actor, **kw: services.request_verify_identity(subject_request=obj, actor=actor, **kw),
        _is(Status.RECEIVED),
        _("identity verified."),
    ),
    Transition(
        "evaluate",
        _("Start evaluation"),
        forms.ConfirmForm,
        lambda obj, actor, **kw: services.request_start_evaluation(subject_request=obj, actor=actor),
        _is(Status.IDENTITY_VERIFIED),
        _("in evaluation."),
        permission=services.DECIDE,
    ),
    Transition(
        "rectify",
        _("Correct the customer's data"),
        forms.RectifyForm,
        lambda obj, actor, **kw: services.request_rectify(subject_request=obj, actor=actor, **kw),
        lambda obj: (
            obj.type == SubjectRequest.Type.RECTIFICATION
            and obj.status == Status.IN_EVALUATION
            and obj.customer_id is not None
        ),
        _("correction applied."),
        permission=services.DECIDE,
    ),
    Transition(
        "package",
        _("Build the data package"),
        forms.ConfirmForm,
        lambda obj, actor, **kw: services.request_build_package(subject_request=obj, actor=actor),
        lambda obj: (
            obj.type in SubjectRequest.EXPORT_TYPES
            and obj.status in (Status.IN_EVALUATION, Status.FULFILLED, Status.PARTLY_FULFILLED)
        ),
        _("data package built."),
        permission=services.DECIDE,
    ),
    Transition(
        "approve-erasure",
        _("Approve the erasure"),
        forms.ConfirmForm,
        lambda obj, actor, **kw: services.request_approve_erasure(subject_request=obj, actor=actor),
        lambda obj: (
            obj.type == SubjectRequest.Type.ERASURE
            and obj.status == Status.IN_EVALUATION
            and obj.erasure_approved_at is None
        ),
        _("erasure approved."),
        permission="requests_app.approve_erasure",
        preview=lambda obj, actor: erasure_rows(services.erasure_preview(subject_request=obj, actor=actor)),
        for_actor=services.is_second_person,
    ),
    Transition(
        "fulfil",
        _("Fulfil"),
        forms.FulfilForm,
        lambda obj, actor, **kw: services.request_fulfil(subject_request=obj, actor=actor, **kw),
        lambda obj: (
            obj.status == Status.IN_EVALUATION
            and (obj.type != SubjectRequest.Type.ERASURE or obj.erasure_approved_at is not None)
        ),
        _("fulfilled."),
        preview=lambda obj, actor: erasure_rows(obj.erasure_preview),
        danger=False,
        permission=services.DECIDE,
    ),
    Transition(
        "extend",
        _("Extend the deadline"),
        forms.ExtendForm,
        lambda obj, actor, **kw: services.request_extend(subject_request=obj, actor=actor, **kw),
        lambda obj: (
            obj.status in (Status.RECEIVED, Status.IDENTITY_VERIFIED, Status.IN_EVALUATION)
            and obj.extension_months < deadlines.MAX_EXTENSION_MONTHS
            and deadlines.today() <= obj.due_at
        ),
        _("deadline extended."),
        permission=services.DECIDE,
    ),
    Transition(
        "refuse",
        _("Refuse"),
        forms.RefuseForm,
        lambda obj, actor, **kw: services.request_refuse(subject_request=obj, actor=actor, **kw),
        _is(Status.RECEIVED, Status.IDENTITY_VERIFIED, Status.IN_EVALUATION),
        _("refused."),
        danger=True,
        permission=services.DECIDE,
    ),
    Transition(
        "letter",
        _("Write a letter"),
        letter_admin.LetterForm,
        letter_admin.letter_generate_step,
        lambda obj: True,
        _("letter written."),
        permission="requests_app.add_letter",
    ),
    Transition(
        "letter-sent",
        _("Record a letter as sent"),
        letter_admin.LetterSentForm,
        letter_admin.letter_mark_sent_step,
        lambda obj: letter_admin.unsent_letters(obj).exists(),
        _("letter recorded as sent."),
        permission="requests_app.change_letter",
    ),
    Transition(
        "answer",
        _("Record the answer"),
        forms.AnswerForm,
        lambda obj, actor, **kw: services.request_answer(subject_request=obj, actor=actor, **kw),
        _is(*SubjectRequest.DECIDED_STATUSES),
        _("answer recorded."),
        permission=services.DECIDE,
    ),
)

INTAKE_TEXT_FIELDS = [
    "requester_name",
    "requester_email",
    "requester_phone",
    "requester_address",
    "details",
    "preferred_answer_method",
]


@admin.register(SubjectRequest)
class SubjectRequestAdmin(TransitionAdminMixin, HistoryAdmin):
    """The queue: what is open, what is due, what is late (§41). Transitions are buttons on the page."""

    list_display = [
        "reference",
        "type",
        "status",
        "days_left_display",
        "deadline_display",
        "received_at",
        "requester",
        "channel",
    ]
    list_filter = [DeadlineFilter, "status", "type", "channel", "deadline_flag", "identity_document_differs"]
    list_select_related = ["customer"]
    search_fields = ["=customer__customer_number"]
    search_help_text = _("Reference (SR-2026-000123), customer number, or the requester's name or email.")
    date_hierarchy = "received_at"
    autocomplete_fields = ["customer"]
    actions = ["start_evaluation_action", "fulfil_action"]
    transitions = REQUEST_TRANSITIONS

    # --- hooks -----------------------------------------------------------------------------------

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(current_deadline=Coalesce("extended_due_at", "due_at"))

    def get_ordering(self, request):
        """Deadlines first (selectors.queue_ordering); a column header the user clicks sorts by it."""
        return selectors.queue_ordering()

    def get_search_results(self, request, queryset, search_term):
        """A reference finds its request; else customer number, requester name or email."""
        return _search(
            queryset,
            search_term,
            lambda term: Q(requester_name__icontains=term) | Q(requester_email__iexact=term),
        )

    def get_inlines(self, request, obj):
        if obj is None:
            return []
        if obj.type == SubjectRequest.Type.RECTIFICATION:
            return [RectificationInline, letter_admin.LetterInline]
        if obj.type in SubjectRequest.EXPORT_TYPES:
            return [PackageInline, letter_admin.LetterInline]
        return [letter_admin.LetterInline]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [
                (None, {"fields": ["type", "channel", "flag_action", "received_at"]}),
                (
                    _("Requester"),
                    {
                        "fields": [
                            "customer",
                            "requester_name",
                            "requester_email",
                            "requester_phone",
                            "requester_address",
                            "details",
                            "preferred_answer_method",
                        ]
                    },
                ),
            ]
        sets = [
            (
                None,
                {
                    "fields": [
                        "reference",
                        "type",
                        "channel",
                        "status",
                        "outcome",
                        "received_at",
                        "registered_by",
                    ]
                },
            ),
            (
                _("Requester"),
                {
                    "fields": [
                        "customer",
                        "requester_name",
                        "requester_email",
                        "requester_phone",
                        "requester_address",
                        "details",
                        "preferred_answer_method",
                    ]
                },
            ),
            (
                _("Deadline (GDPR Art. 12(3))"),
                {
                    "fields": [
                        "due_at",
                        "days_left_display",
                        "extension_months",
                        "extended_due_at",
                        "extension_reason",
                        "extension_notified_on",
                        "extended_by",
                        "deadline_flag",
                    ]
                },
            ),
            (
                _("Identity verification (§40–41)"),
                {
                    "fields": [
                        "verified_at",
                        "verified_by",
                        "identity_document_type",
                        "identity_document_number",
                        "identity_document_differs",
                        "identity_mismatch_reason",
                        "signature_validation",
                        "portal_session_id",
                    ]
                },
            ),
            (
                _("Evaluation and decision"),
                {
                    "fields": [
                        "evaluation_started_at",
                        "evaluated_by",
                        *(["withheld_display"] if obj.type in SubjectRequest.EXPORT_TYPES else []),
                        "decided_at",
                        "decided_by",
                        "outcome_notes",
                        "refusal_reason",
                    ]
                },
            ),
        ]
        if obj.type in services.CUSTOMER_FLAG:
            sets.append(
                (
                    _("Restriction / objection (§38)"),
                    {
                        "fields": [
                            "flag_action",
                            "flag_applied_at",
                            "customer_flag",
                            "lifts_request",
                            "lifted_by",
                        ]
                    },
                )
            )
        if obj.type == SubjectRequest.Type.ERASURE:
            sets.append(
                (
                    _("Erasure (four eyes)"),
                    {
                        "fields": [
                            "erasure_approved_at",
                            "erasure_approved_by",
                            "erasure_preview_display",
                            "erasure_result_display",
                        ]
                    },
                )
            )
        sets.append((_("Answer (§42)"), {"fields": ["answer_method", "answered_on", "answered_by"]}))
        return sets

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        editable = {
            "requester_name",
            "requester_email",
            "requester_phone",
            "requester_address",
            "details",
            "preferred_answer_method",
        }
        if obj.status == Status.RECEIVED:
            editable.add("customer")
        shown = [name for _title, options in self.get_fieldsets(request, obj) for name in options["fields"]]
        return [name for name in dict.fromkeys(shown) if name not in editable]

    def save_model(self, request, obj, form, change):
        """A new request goes through `request_register` (it computes the deadline); edits of the
        requester's details are plain saves, attributed in history by the middleware."""
        if change:
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data
        created = services.request_register(
            actor=request.user,
            type=data["type"],
            channel=data["channel"],
            received_at=data.get("received_at"),
            customer=data.get("customer"),
            flag_action=data.get("flag_action") or "",
            **{name: data.get(name) or "" for name in INTAKE_TEXT_FIELDS},
        )
        _adopt(obj, created)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is None:
            base_clean = form.clean

            def clean(form_self):
                data = base_clean(form_self)
                errors = services.request_intake_errors(
                    type=data.get("type"),
                    flag_action=data.get("flag_action"),
                    received_at=data.get("received_at"),
                    customer=data.get("customer"),
                    requester_name=data.get("requester_name"),
                )
                for field, message in errors.items():
                    form_self.add_error(field, message)
                return data

            form.clean = clean
        return form

    def has_delete_permission(self, request, obj=None):
        return False  # requests are evidence that the rights were handled; erasure anonymises them

    # --- columns ---------------------------------------------------------------------------------

    @admin.display(description=_("reference"), ordering="pk")
    def reference(self, obj):
        return str(obj)

    @admin.display(description=_("requester"))
    def requester(self, obj):
        return with_overview_link(obj.customer) if obj.customer_id else obj.requester_name

    @admin.display(description=_("deadline"), ordering="current_deadline")
    def deadline_display(self, obj):
        if obj.extended_due_at:
            return format_html("{} <small>({})</small>", date_format(obj.extended_due_at), _("extended"))
        return obj.due_at

    @admin.display(description=_("days left"), ordering="current_deadline")
    def days_left_display(self, obj):
        return days_left_html(obj)

    @admin.display(description=_("customer's flag now"))
    def customer_flag(self, obj):
        if not obj.customer_id:
            return "—"
        field = services.CUSTOMER_FLAG[SubjectRequest.Type(obj.type)]
        since = getattr(obj.customer, field)
        return since or _("not set")

    @admin.display(description=_("lifted by"))
    def lifted_by(self, obj):
        rows = [
            (reverse("admin:requests_app_subjectrequest_change", args=[later.pk]), later)
            for later in obj.lifted_by.all()
        ]
        return format_html_join(", ", '<a href="{}">{}</a>', rows) or "—"

    @admin.display(description=_("withheld from the answer (§39)"))
    def withheld_display(self, obj):
        """§39: what the answer will not reveal, and why (listed when the evaluation starts)."""
        if not obj.withheld:
            return _("Nothing is withheld.")
        return format_html_join(
            "",
            '<div class="withheld">{}: {} ({})</div>',
            (
                (
                    item["name"],
                    "; ".join(
                        ([_("%(count)d record(s)") % {"count": item["rows"]}] if item["rows"] else [])
                        + list(item["fields"])
                    ),
                    item["reason"],
                )
                for item in obj.withheld
            ),
        )

    @admin.display(description=_("dry run approved (erased / kept)"))
    def erasure_preview_display(self, obj):
        return _erasure_table(obj.erasure_preview)

    @admin.display(description=_("erasure result (erased / kept)"))
    def erasure_result_display(self, obj):
        table = _erasure_table(obj.erasure_result)
        record = (obj.erasure_result or {}).get("record")
        if not record:
            return table
        try:
            url = reverse("admin:privacy_erasurerecord_change", args=[record])
        except NoReverseMatch:
            return table
        return format_html('{}<p><a href="{}">{}</a></p>', table, url, _("erasure record"))

    # --- bulk actions ----------------------------------------------------------------------------

    @admin.action(description=_("Start evaluation of the selected requests"), permissions=["decide"])
    def start_evaluation_action(self, request, queryset):
        self._bulk(
            request,
            queryset,
            lambda obj, actor: services.request_start_evaluation(subject_request=obj, actor=actor),
            gettext("In evaluation"),
        )

    @admin.action(
        description=_("Fulfil the selected requests (those that need no input)"), permissions=["decide"]
    )
    def fulfil_action(self, request, queryset):
        self._bulk(
            request,
            queryset,
            lambda obj, actor: services.request_fulfil(subject_request=obj, actor=actor),
            gettext("Fulfilled"),
        )

    def has_decide_permission(self, request, obj=None) -> bool:
        return self.has_change_permission(request, obj) and request.user.has_perm(services.DECIDE)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


def _adopt(obj, created) -> None:
    """Make the admin's unsaved instance the one a service created, so the admin carries on with it."""
    obj.__dict__.update({k: v for k, v in created.__dict__.items() if k != "_state"})
    obj._state.adding = False
    obj._state.db = created._state.db


def erasure_rows(data) -> list[dict]:
    """Rows for showing an erasure's dry run or result: model, count and what happens, and why."""
    from privacy.erasure import reason_label

    if not data:
        return []

    def name(label: str) -> str:
        try:
            return str(apps.get_model(label)._meta.verbose_name_plural)
        except LookupError:
            return label

    rows = []
    anonymised = data.get("anonymised") or {}
    for label, count in sorted((data.get("erased") or {}).items()):
        anonymous = min(anonymised.get(label, 0), count)
        if count - anonymous:
            rows.append({"model": name(label), "count": count - anonymous, "what": gettext("deleted")})
        if anonymous:
            what = gettext("anonymised (personal data removed)")
            rows.append({"model": name(label), "count": anonymous, "what": what})
    for label, reasons in sorted((data.get("kept") or {}).items()):
        for reason, count in sorted((reasons or {}).items()):
            what = gettext("kept: %(reason)s") % {"reason": reason_label(reason)}
            rows.append({"model": name(label), "count": count, "what": what, "kept": True})
    return rows


def _erasure_table(data):
    rows = erasure_rows(data)
    if not rows:
        return "—"
    return format_html(
        '<table class="rq-erasure"><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>'
        "<tbody>{}</tbody></table>",
        _("records"),
        _("rows"),
        _("what happens"),
        format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((row["model"], row["count"], row["what"]) for row in rows),
        ),
    )


# --- complaints -------------------------------------------------------------------------------------------


def _c_is(*statuses):
    return lambda obj: obj.status in statuses


CStatus = Complaint.Status

COMPLAINT_TRANSITIONS = (
    Transition(
        "assign",
        _("Assign to the data protection officer"),
        forms.AssignForm,
        lambda obj, actor, **kw: services.complaint_assign(complaint=obj, actor=actor, **kw),
        _c_is(CStatus.OPEN, CStatus.ESCALATED),
        _("assigned."),
    ),
    Transition(
        "resolve",
        _("Resolve"),
        forms.ResolveForm,
        lambda obj, actor, **kw: services.complaint_resolve(complaint=obj, actor=actor, **kw),
        _c_is(CStatus.OPEN),
        _("resolved."),
        permission="requests_app.handle_complaint",
    ),
    Transition(
        "escalate",
        _("Escalated to Datu valsts inspekcija"),
        forms.EscalateForm,
        lambda obj, actor, **kw: services.complaint_escalate(complaint=obj, actor=actor, **kw),
        _c_is(CStatus.OPEN, CStatus.RESOLVED),
        _("escalation recorded."),
    ),
    Transition(
        "authority-reply",
        _("Our reply to the inspectorate"),
        forms.AuthorityReplyForm,
        lambda obj, actor, **kw: services.complaint_record_authority_reply(complaint=obj, actor=actor, **kw),
        _c_is(CStatus.ESCALATED),
        _("reply recorded."),
    ),
    Transition(
        "authority-decision",
        _("The inspectorate's decision"),
        forms.AuthorityDecisionForm,
        lambda obj, actor, **kw: services.complaint_record_authority_decision(
            complaint=obj, actor=actor, **kw
        ),
        _c_is(CStatus.ESCALATED),
        _("decision recorded; complaint closed."),
    ),
)


@admin.register(Complaint)
class ComplaintAdmin(TransitionAdminMixin, HistoryAdmin):
    """§43–44: complaints to the DPO and their escalation to Datu valsts inspekcija, with the dates."""

    list_display = [
        "reference",
        "status",
        "complainant",
        "request",
        "received_at",
        "handled_by",
        "escalated_on",
        "authority_decided_on",
    ]
    list_filter = ["status", ("handled_by", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["customer", "request", "handled_by"]
    search_fields = ["=customer__customer_number"]
    date_hierarchy = "received_at"
    autocomplete_fields = ["customer", "request"]
    transitions = COMPLAINT_TRANSITIONS
    fieldsets = [
        (None, {"fields": ["customer", "request", "complainant_name", "complainant_contact", "received_at"]}),
        (_("Complaint"), {"fields": ["description", "status", "handled_by", "resolution", "resolved_on"]}),
        (
            _("Datu valsts inspekcija (§44)"),
            {
                "fields": [
                    "escalated_on",
                    "authority_reference",
                    "authority_replied_on",
                    "authority_decision",
                    "authority_decided_on",
                ]
            },
        ),
    ]

    def get_search_results(self, request, queryset, search_term):
        """A reference finds its complaint; else customer number or the complainant's name."""
        return _search(queryset, search_term, lambda term: Q(complainant_name__icontains=term))

    def get_readonly_fields(self, request, obj=None):
        managed = [
            "status",
            "handled_by",
            "resolution",
            "resolved_on",
            "escalated_on",
            "authority_reference",
            "authority_replied_on",
            "authority_decision",
            "authority_decided_on",
        ]
        if obj is None:
            return managed
        if obj.status != CStatus.OPEN:
            return [*managed, "customer", "request", "received_at", "description"]
        return [*managed, "received_at"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is None:
            base_clean = form.clean

            def clean(form_self):
                data = base_clean(form_self)
                named = (
                    data.get("customer")
                    or data.get("request")
                    or (data.get("complainant_name") or "").strip()
                )
                if not named:
                    form_self.add_error(
                        "complainant_name", _("Match a customer or give the complainant's name.")
                    )
                return data

            form.clean = clean
        return form

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        created = services.complaint_register(
            actor=request.user,
            description=form.cleaned_data["description"],
            customer=form.cleaned_data.get("customer"),
            request=form.cleaned_data.get("request"),
            complainant_name=form.cleaned_data.get("complainant_name") or "",
            complainant_contact=form.cleaned_data.get("complainant_contact") or "",
            received_at=form.cleaned_data.get("received_at"),
        )
        _adopt(obj, created)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description=_("reference"), ordering="pk")
    def reference(self, obj):
        return str(obj)

    @admin.display(description=_("complainant"))
    def complainant(self, obj):
        return with_overview_link(obj.customer) if obj.customer_id else obj.complainant_name
