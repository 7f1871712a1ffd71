"""Complaints in the admin (§43–44): the DPO's handling and the escalation to Datu valsts inspekcija,
each step a button that calls its service."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from privacy.admin_utils import HistoryAdmin
from privacy.overview_links import with_overview_link

from .. import forms, services, workflow
from ..models import Complaint
from .search import queue_search
from .steps import EvidenceAdminMixin, RegisterThroughServiceMixin, Transition, TransitionAdminMixin, calls

STEP = workflow.complaint_step

COMPLAINT_TRANSITIONS = (
    Transition(
        STEP("assign"),
        _("Assign to the data protection officer"),
        forms.AssignForm,
        calls(services.complaint_assign, record="complaint"),
        _("assigned."),
    ),
    Transition(
        STEP("resolve"),
        _("Resolve"),
        forms.ResolveForm,
        calls(services.complaint_resolve, record="complaint"),
        _("resolved."),
    ),
    Transition(
        STEP("escalate"),
        _("Escalated to Datu valsts inspekcija"),
        forms.EscalateForm,
        calls(services.complaint_escalate, record="complaint"),
        _("escalation recorded."),
    ),
    Transition(
        STEP("authority-reply"),
        _("Our reply to the inspectorate"),
        forms.AuthorityReplyForm,
        calls(services.complaint_record_authority_reply, record="complaint"),
        _("reply recorded."),
    ),
    Transition(
        STEP("authority-decision"),
        _("The inspectorate's decision"),
        forms.AuthorityDecisionForm,
        calls(services.complaint_record_authority_decision, record="complaint"),
        _("decision recorded; complaint closed."),
    ),
)


@admin.register(Complaint)
class ComplaintAdmin(EvidenceAdminMixin, RegisterThroughServiceMixin, TransitionAdminMixin, HistoryAdmin):
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
    add_form = forms.ComplaintIntakeForm
    register_service = staticmethod(services.complaint_register)
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

    add_fieldsets = fieldsets

    def get_search_results(self, request, queryset, search_term):
        """A reference finds its complaint; else customer number or the complainant's name."""
        return queue_search(queryset, search_term, lambda term: Q(complainant_name__icontains=term))

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
        if obj.status != Complaint.Status.OPEN:
            return [*managed, "customer", "request", "received_at", "description"]
        return [*managed, "received_at"]

    @admin.display(description=_("complainant"))
    def complainant(self, obj):
        return with_overview_link(obj.customer) if obj.customer_id else obj.complainant_name
