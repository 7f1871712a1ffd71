"""The requests queue in the admin (§38–42): what is open, what is due, what is late. Thin: every step
is a button (or a bulk action) that calls a service; a refusal (ValidationError) becomes an error
message on the page."""

from __future__ import annotations

import datetime

from django.contrib import admin
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from privacy.admin_utils import HistoryAdmin
from privacy.overview_links import with_overview_link
from privacy.special_categories import SpecialValueInlineMixin

from .. import deadlines, forms, selectors, services, workflow
from ..display import days_left_html
from ..models import ExportPackage, RectificationChange, SubjectRequest
from . import letters
from .erasure import erasure_rows, erasure_table
from .search import queue_search
from .steps import (
    EvidenceAdminMixin,
    ListedInline,
    RegisterThroughServiceMixin,
    Transition,
    TransitionAdminMixin,
    calls,
)

Status = SubjectRequest.Status
STEP = workflow.request_step


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


class RectificationInline(SpecialValueInlineMixin, ListedInline):
    model = RectificationChange
    fields = ["field_name", "old_value", "new_value", "applied_at", "applied_by", "history_link"]
    verbose_name_plural = _("corrections applied (before and after)")

    @admin.display(description=_("customer history"))
    def history_link(self, obj):
        if not obj.customer_history_id or not obj.request.customer_id:
            return "—"
        url = reverse(
            "admin:privacy_customer_simple_history", args=[obj.request.customer_id, obj.customer_history_id]
        )
        return format_html('<a href="{}">{}</a>', url, _("version after the correction"))


class PackageInline(ListedInline):
    model = ExportPackage
    fields = ["created_at", "created_by", "size_bytes", "includes_files", "sha256", "download"]

    @admin.display(description=_("download"))
    def download(self, obj):
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("requests_app:package-download", args=[obj.pk]), _("download")
        )


REQUEST_TRANSITIONS = (
    Transition(
        STEP("verify"),
        _("Verify identity"),
        forms.VerifyIdentityForm,
        calls(services.request_verify_identity),
        _("identity verified."),
    ),
    Transition(
        STEP("evaluate"),
        _("Start evaluation"),
        forms.ConfirmForm,
        calls(services.request_start_evaluation),
        _("in evaluation."),
    ),
    Transition(
        STEP("rectify"),
        _("Correct the customer's data"),
        forms.RectifyForm,
        calls(services.request_rectify),
        _("correction applied."),
    ),
    Transition(
        STEP("package"),
        _("Build the data package"),
        forms.ConfirmForm,
        calls(services.request_build_package),
        _("data package built."),
    ),
    Transition(
        STEP("approve-erasure"),
        _("Approve the erasure"),
        forms.ConfirmForm,
        calls(services.request_approve_erasure),
        _("erasure approved."),
        preview=lambda obj, actor: erasure_rows(services.erasure_preview(subject_request=obj, actor=actor)),
    ),
    Transition(
        STEP("fulfil"),
        _("Fulfil"),
        forms.FulfilForm,
        calls(services.request_fulfil),
        _("fulfilled."),
        preview=lambda obj, actor: erasure_rows(obj.erasure_preview),
    ),
    Transition(
        STEP("extend"),
        _("Extend the deadline"),
        forms.ExtendForm,
        calls(services.request_extend),
        _("deadline extended."),
    ),
    Transition(
        STEP("refuse"),
        _("Refuse"),
        forms.RefuseForm,
        calls(services.request_refuse),
        _("refused."),
        danger=True,
    ),
    Transition(
        STEP("letter"),
        _("Write a letter"),
        letters.LetterForm,
        letters.letter_generate_step,
        _("letter written."),
    ),
    Transition(
        STEP("letter-sent"),
        _("Record a letter as sent"),
        letters.LetterSentForm,
        letters.letter_mark_sent_step,
        _("letter recorded as sent."),
    ),
    Transition(
        STEP("answer"),
        _("Record the answer"),
        forms.AnswerForm,
        calls(services.request_answer),
        _("answer recorded."),
    ),
)


@admin.register(SubjectRequest)
class SubjectRequestAdmin(
    EvidenceAdminMixin, RegisterThroughServiceMixin, TransitionAdminMixin, HistoryAdmin
):
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
    add_form = forms.RequestIntakeForm
    register_service = staticmethod(services.request_register)
    add_fieldsets = [
        (None, {"fields": ["type", "channel", "flag_action", "received_at"]}),
        (_("Requester"), {"fields": ["customer", *services.INTAKE_TEXT_FIELDS]}),
    ]
    fieldsets = [
        (
            None,
            {"fields": ["reference", "type", "channel", "status", "outcome", "received_at", "registered_by"]},
        ),
        (_("Requester"), {"fields": ["customer", *services.INTAKE_TEXT_FIELDS]}),
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
                    "withheld_display",  # access, copy and portability only (§39)
                    "decided_at",
                    "decided_by",
                    "outcome_notes",
                    "refusal_reason",
                ]
            },
        ),
        (_("Answer (§42)"), {"fields": ["answer_method", "answered_on", "answered_by"]}),
    ]
    #: Sections only some types of request have, after the declared ones.
    type_fieldsets = {
        **dict.fromkeys(
            services.CUSTOMER_FLAG,
            [
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
            ],
        ),
        SubjectRequest.Type.ERASURE: [
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
        ],
    }

    # --- hooks -----------------------------------------------------------------------------------

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(current_deadline=Coalesce("extended_due_at", "due_at"))

    def get_ordering(self, request):
        """Deadlines first (selectors.queue_ordering); a column header the user clicks sorts by it."""
        return selectors.queue_ordering()

    def get_search_results(self, request, queryset, search_term):
        """A reference finds its request; else customer number, requester name or email."""
        return queue_search(
            queryset,
            search_term,
            lambda term: Q(requester_name__icontains=term) | Q(requester_email__iexact=term),
        )

    def get_inlines(self, request, obj):
        if obj is None:
            return []
        if obj.type == SubjectRequest.Type.RECTIFICATION:
            return [RectificationInline, letters.LetterInline]
        if obj.type in SubjectRequest.EXPORT_TYPES:
            return [PackageInline, letters.LetterInline]
        return [letters.LetterInline]

    def get_fieldsets(self, request, obj=None):
        """The declared sections, with those of the request's type (`type_fieldsets`) before the answer."""
        if obj is None:
            return self.add_fieldsets
        *sections, answer = self.fieldsets
        shown = []
        for title, options in [*sections, *self.type_fieldsets.get(obj.type, []), answer]:
            fields = [
                name
                for name in options["fields"]
                if name != "withheld_display" or obj.type in SubjectRequest.EXPORT_TYPES
            ]
            shown.append((title, {**options, "fields": fields}))
        return shown

    def get_readonly_fields(self, request, obj=None):
        """On the change page only what intake records is edited (and the customer, until verified)."""
        if obj is None:
            return []
        editable = set(services.INTAKE_TEXT_FIELDS)
        if obj.status == Status.RECEIVED:
            editable.add("customer")
        shown = [name for _title, options in self.get_fieldsets(request, obj) for name in options["fields"]]
        return [name for name in dict.fromkeys(shown) if name not in editable]

    # --- columns ---------------------------------------------------------------------------------

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
        return erasure_table(obj.erasure_preview)

    @admin.display(description=_("erasure result (erased / kept)"))
    def erasure_result_display(self, obj):
        table = erasure_table(obj.erasure_result)
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
            calls(services.request_start_evaluation),
            gettext("In evaluation"),
        )

    @admin.action(
        description=_("Fulfil the selected requests (those that need no input)"), permissions=["decide"]
    )
    def fulfil_action(self, request, queryset):
        self._bulk(
            request,
            queryset,
            calls(services.request_fulfil),
            gettext("Fulfilled"),
        )

    def has_decide_permission(self, request, obj=None) -> bool:
        return self.has_change_permission(request, obj) and request.user.has_perm(workflow.DECIDE)
