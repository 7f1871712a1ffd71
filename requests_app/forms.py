"""Forms behind the admin's transition buttons. Each one collects a service's arguments; the service
decides (and refuses with a ValidationError the page shows)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from privacy.models import Customer

from . import deadlines, selectors, services
from .models import Complaint, SubjectRequest


def _date_input() -> forms.DateInput:
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class TransitionForm(forms.Form):
    """A form for one transition; `service_kwargs()` turns the cleaned data into the service's arguments."""

    def __init__(self, *args, obj=None, **kwargs):
        self.obj = obj
        super().__init__(*args, **kwargs)

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class ConfirmForm(TransitionForm):
    pass


class VerifyIdentityForm(TransitionForm):
    """§40–41: what was checked depends on the channel the request came through."""

    customer_number = forms.CharField(
        label=_("customer number"),
        required=False,
        help_text=_("The customer the verified requester is; needed when the request is not matched yet."),
    )
    document_type = forms.ChoiceField(
        label=_("identity document checked"), choices=SubjectRequest.IdentityDocument.choices
    )
    document_number = forms.CharField(label=_("document number"), max_length=32)
    document_mismatch_reason = forms.CharField(
        label=_("if the number differs from the customer's record: why it is accepted"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed only when the number is not the one on record (a new passport, say)."),
    )
    signature_validation = forms.CharField(
        label=_("e-signature validation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Validator used and its result, e.g. “eparaksts.lv: valid qualified signature”."),
    )
    portal_session_id = forms.CharField(label=_("portal session id"), max_length=128)

    CHANNEL_FIELDS = {
        SubjectRequest.Channel.IN_PERSON: ["document_type", "document_number", "document_mismatch_reason"],
        SubjectRequest.Channel.EMAIL: ["signature_validation"],
        SubjectRequest.Channel.PORTAL: ["portal_session_id"],
    }

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        keep = {"customer_number", *self.CHANNEL_FIELDS.get(obj.channel, [])}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if obj.customer_id:
            del self.fields["customer_number"]

    def clean_customer_number(self):
        number = self.cleaned_data["customer_number"].strip()
        if not number:
            return None
        try:
            return Customer.objects.get(customer_number=number)
        except Customer.DoesNotExist as exc:
            raise forms.ValidationError(_("No customer has this number.")) from exc

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        customer = data.pop("customer_number", None)
        if customer is not None:
            data["customer"] = customer
        return data


class ExtendForm(TransitionForm):
    """GDPR Art. 12(3): up to two further months, told to the customer within the first month."""

    months = forms.TypedChoiceField(
        label=_("extend by"), coerce=int, choices=[(1, _("one month")), (2, _("two months"))]
    )
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))
    notified_on = forms.DateField(
        widget=_date_input(),
        label=_("customer told on"),
        help_text=_("Within the first month after receipt."),
    )

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        self.fields["notified_on"].initial = deadlines.today()


class RectifyForm(forms.ModelForm):
    """The customer's fields with their current values; the changed ones are the correction (§38)."""

    class Meta:
        model = Customer
        fields = list(services.RECTIFIABLE_FIELDS)

    def __init__(self, *args, obj=None, **kwargs):
        self.obj = obj
        super().__init__(*args, instance=obj.customer, **kwargs)

    def _post_clean(self):
        pass  # the service validates the customer as a whole, with the request's change reason

    def service_kwargs(self) -> dict:
        return {"changes": {name: self.cleaned_data[name] for name in self.changed_data}}


class FulfilForm(TransitionForm):
    partly = forms.BooleanField(
        label=_("only partly fulfilled"),
        required=False,
        help_text=_("E.g. invoices kept under the Accounting Law (§39): say what and why below."),
    )
    notes = forms.CharField(
        label=_("what was done"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RefuseForm(TransitionForm):
    reason = forms.CharField(
        label=_("reason for refusal (§39)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The legal duty or contract term the request conflicts with, or why identity failed."),
    )


class AnswerForm(TransitionForm):
    method = forms.ChoiceField(label=_("delivered by (§42)"), choices=SubjectRequest.AnswerMethod.choices)
    answered_on = forms.DateField(widget=_date_input(), label=_("answered on"))

    def __init__(self, *args, obj=None, **kwargs):
        """The method and date of the answer letter recorded as sent, if one was (§42); else today and
        the method the customer chose. Staff may change either."""
        super().__init__(*args, obj=obj, **kwargs)
        self.fields["answered_on"].initial = deadlines.today()
        if obj.preferred_answer_method:
            self.fields["method"].initial = obj.preferred_answer_method
        letter = selectors.request_answer_letter_sent(obj)
        if letter is not None:
            self.fields["method"].initial = letter.sent_method
            self.fields["answered_on"].initial = letter.sent_on


# --- complaints -------------------------------------------------------------------------------------


def dpo_users():
    """Staff holding the complaint-handling permission (the data protection officer, §43)."""
    perm = Permission.objects.filter(content_type__app_label="requests_app", codename="handle_complaint")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(user_permissions__in=perm) | Q(groups__permissions__in=perm))
        .distinct()
        .order_by("username")
    )


class AssignForm(TransitionForm):
    dpo = forms.ModelChoiceField(label=_("data protection officer"), queryset=None)

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        self.fields["dpo"].queryset = dpo_users()


class ResolveForm(TransitionForm):
    resolution = forms.CharField(label=_("resolution"), widget=forms.Textarea(attrs={"rows": 4}))
    resolved_on = forms.DateField(widget=_date_input(), label=_("resolved on"))

    def __init__(self, *args, obj=None, **kwargs):
        super().__init__(*args, obj=obj, **kwargs)
        self.fields["resolved_on"].initial = deadlines.today()


class EscalateForm(TransitionForm):
    escalated_on = forms.DateField(
        widget=_date_input(),
        label=_("complained to Datu valsts inspekcija on"),
        help_text=_("The date of the complaint to the inspectorate (or of its inquiry, if earlier known)."),
    )
    authority_reference = forms.CharField(label=_("inspectorate's case number"), required=False)


class AuthorityReplyForm(TransitionForm):
    replied_on = forms.DateField(widget=_date_input(), label=_("our reply to the inspectorate on"))


class AuthorityDecisionForm(TransitionForm):
    decision = forms.CharField(label=_("inspectorate's decision"), widget=forms.Textarea(attrs={"rows": 4}))
    decided_on = forms.DateField(widget=_date_input(), label=_("decided on"))


# --- intake: the admin's add forms ---------------------------------------------------------------------


class IntakeForm(forms.ModelForm):
    """An add form whose clean() asks the registering service's own validation (`intake_errors`), so the
    form and the service refuse the same things; `service_kwargs()` are the service's arguments, the
    free-text ones (`text_fields`) as strings."""

    text_fields: tuple[str, ...] = ()

    def intake_errors(self, data: dict) -> dict[str, str]:
        raise NotImplementedError

    def clean(self):
        data = super().clean()
        for field, message in self.intake_errors(data).items():
            self.add_error(field, message)
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            name: data.get(name) or "" if name in self.text_fields else data.get(name) for name in self.fields
        }


class RequestIntakeForm(IntakeForm):
    """Registering a request (§38, §40) through `request_register`."""

    text_fields = ("flag_action", *services.INTAKE_TEXT_FIELDS)

    class Meta:
        model = SubjectRequest
        fields = ["type", "channel", "flag_action", "received_at", "customer", *services.INTAKE_TEXT_FIELDS]

    def intake_errors(self, data: dict) -> dict[str, str]:
        names = ("type", "flag_action", "received_at", "customer", "requester_name")
        return services.request_intake_errors(**{name: data.get(name) for name in names})


class ComplaintIntakeForm(IntakeForm):
    """Registering a complaint (§43) through `complaint_register`."""

    text_fields = ("complainant_name", "complainant_contact", "description")

    class Meta:
        model = Complaint
        fields = [
            "customer",
            "request",
            "complainant_name",
            "complainant_contact",
            "received_at",
            "description",
        ]

    def intake_errors(self, data: dict) -> dict[str, str]:
        names = ("customer", "request", "complainant_name")
        return services.complaint_intake_errors(**{name: data.get(name) for name in names})
