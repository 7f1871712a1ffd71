"""Admin for objections to processing (§38, §12): received by intake, decided by the DPO.

Every change goes through privacy/objections.py: adding records an objection, the decision field of
the change form upholds, overrides (with the compelling grounds) or withdraws it.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from .admin_utils import HistoryAdmin
from .models import Objection
from .objections import DECIDE, objection_decide, objection_record, objection_withdraw

DECISIONS = [
    ("", "—"),
    ("upheld", Objection.Status.UPHELD.label),
    ("overridden", Objection.Status.OVERRIDDEN.label),
    ("withdrawn", Objection.Status.WITHDRAWN.label),
]


class ObjectionForm(forms.ModelForm):
    decision = forms.ChoiceField(label=_("decision"), choices=DECISIONS, required=False)

    class Meta:
        model = Objection
        fields = ["customer", "interest", "grounds", "request_reference", "decision_reason"]


@admin.register(Objection)
class ObjectionAdmin(HistoryAdmin):
    form = ObjectionForm
    list_display = ["received_at", "customer", "interest", "status", "request_reference", "decided_at"]
    list_filter = ["status", ("interest", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["customer", "interest"]
    search_fields = ["=customer__customer_number", "=request_reference"]
    date_hierarchy = "received_at"
    autocomplete_fields = ["customer"]
    actions = ["uphold_selected"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["customer", "interest", "grounds", "request_reference"]
        fields = ["customer", "interest", "grounds", "request_reference", "status", "received_at"]
        fields += ["decided_at", "decided_by", "decision_reason"]
        return [*fields, "decision"] if obj.stands else fields

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        editable = {"decision", "decision_reason"} if obj.status == Objection.Status.PENDING else {"decision"}
        if not obj.stands:
            editable = set()
        return [name for name in self.get_fields(request, obj) if name not in editable]

    def has_delete_permission(self, request, obj=None):
        return False  # evidence of how the right was handled; erasure removes it with the customer

    def has_decide_permission(self, request):
        return request.user.has_perm(DECIDE)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            if not change:
                saved = objection_record(
                    actor=request.user,
                    customer=data["customer"],
                    interest=data["interest"],
                    grounds=data.get("grounds", ""),
                    request_reference=data.get("request_reference", ""),
                )
                obj.pk = saved.pk
                return
            decision = data.get("decision")
            if decision == "withdrawn":
                objection_withdraw(actor=request.user, objection=obj)
            elif decision:
                obj.refresh_from_db()
                objection_decide(
                    actor=request.user,
                    objection=obj,
                    upheld=decision == "upheld",
                    reason=data.get("decision_reason", ""),
                )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))

    def save_related(self, request, form, formsets, change):
        pass  # no many-to-many fields; the services wrote everything

    @admin.action(
        description=_("Uphold the selected objections (the processing stops)"), permissions=["decide"]
    )
    def uphold_selected(self, request, queryset):
        done = 0
        for objection in queryset.filter(status=Objection.Status.PENDING):
            objection_decide(actor=request.user, objection=objection, upheld=True)
            done += 1
        self.message_user(request, _("Objections upheld: %(n)d") % {"n": done}, messages.SUCCESS)
