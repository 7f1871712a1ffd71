"""Admin for the register of processing and the customers' records."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import search
from .admin_utils import HistoryAdmin, ReadOnlyAdmin, ReadOnlyHistoryMixin
from .models import (
    AccessLog,
    Contract,
    Customer,
    DataCategory,
    DataSource,
    Disclosure,
    Invoice,
    LegalBasis,
    LegalHold,
    LegitimateInterest,
    PolicyVersion,
    ProcessingPurpose,
    Recipient,
    Recording,
    User,
)
from .overview_links import customer_column, overview_url, with_overview_link
from .permission_labels import TranslatedPermissionsMixin
from .roles_admin import TranslatedGroupsMixin
from .selectors import invalid_record_holds, record_hold_problem
from .services import HOLD_PROBLEM_MESSAGES, legal_hold_release, legal_hold_set
from .uploads import RecordingForm

# --- Reference registers -------------------------------------------------------------------------


class ReferenceAdmin(HistoryAdmin):
    search_fields = ["name_lv", "name_en", "name_ru"]

    @admin.display(description=_("name"))
    def display_name(self, obj):
        return obj.name


@admin.register(DataCategory)
class DataCategoryAdmin(ReferenceAdmin):
    list_display = ["number", "display_name", "special"]
    list_filter = ["special"]
    search_fields = [*ReferenceAdmin.search_fields, "=number"]
    # The register of processing behind every access answer (GDPR Art. 15, Art. 30): the DPO keeps it here.
    filter_horizontal = ["purposes", "legal_bases", "legitimate_interests", "sources", "recipients"]


@admin.register(ProcessingPurpose)
class ProcessingPurposeAdmin(ReferenceAdmin):
    list_display = ["code", "display_name", "parent"]
    list_select_related = ["parent"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = [*ReferenceAdmin.search_fields, "code"]
    autocomplete_fields = ["parent"]


@admin.register(LegalBasis)
class LegalBasisAdmin(ReferenceAdmin):
    list_display = ["clause", "code", "display_name"]


@admin.register(LegitimateInterest)
class LegitimateInterestAdmin(ReferenceAdmin):
    list_display = ["clause", "display_name"]


@admin.register(DataSource)
class DataSourceAdmin(ReferenceAdmin):
    list_display = ["clause", "code", "display_name"]


@admin.register(Recipient)
class RecipientAdmin(ReferenceAdmin):
    list_display = ["code", "display_name", "role", "country", "third_country"]
    list_filter = ["role", "third_country"]


@admin.register(PolicyVersion)
class PolicyVersionAdmin(HistoryAdmin):
    list_display = ["label", "effective_from", "effective_until"]
    date_hierarchy = "effective_from"
    search_fields = ["label"]
    actions = ["notify_customers"]

    @admin.display(description=_("in force until"))
    def effective_until(self, obj):
        return obj.effective_until or "—"

    @admin.display(description=_("file"))
    def stored_file(self, obj):
        """Private storage has no public URL: the stored name as text, never a link (uploaded when the
        version is added)."""
        return obj.file.name if obj.file else self.get_empty_value_display()

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return fields if obj is None else [name if name != "file" else "stored_file" for name in fields]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields if obj is None else [*fields, "stored_file"]

    @admin.action(description=_("Customers to notify and their letters (ZIP, §68)"), permissions=["change"])
    def notify_customers(self, request, queryset):
        from django.contrib import messages
        from django.http import HttpResponse

        from .policy_notice import policy_notice_package

        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one policy version."), messages.ERROR)
            return None
        version = queryset.get()
        response = HttpResponse(policy_notice_package(version), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="policy-{version.pk}-notice.zip"'
        return response


# --- Customers and their records -----------------------------------------------------------------


class ContractInline(admin.TabularInline):
    model = Contract
    fields = ["number", "type", "service_name", "start_date", "end_date", "last_service_use", "status"]
    extra = 0
    show_change_link = True
    max_num = 0
    can_delete = False
    readonly_fields = fields


@admin.register(Customer)
class CustomerAdmin(HistoryAdmin):
    list_display = [
        "customer_number",
        "last_name",
        "first_name",
        "kind",
        "lifecycle",
        "status",
        "registered_at",
    ]
    list_filter = ["kind", "lifecycle", "status", "preferred_language"]
    # The search box is routed by what was typed (see get_search_results), so every search hits an index.
    search_fields = ["customer_number"]
    search_help_text = _(
        "Name (any part, either order, with or without diacritics), customer or contract number, "
        "personal code, phone or email."
    )
    date_hierarchy = "registered_at"
    # Only columns an index can sort at a million rows (the others would sort the whole table).
    sortable_by = ["customer_number", "registered_at"]
    autocomplete_fields = ["belongs_to"]
    list_select_related = []
    readonly_fields = ["status", "registered_at", "restricted_since", "marketing_objection_since"]
    inlines = [ContractInline]
    fieldsets = [
        (None, {"fields": ["customer_number", "kind", "lifecycle", "belongs_to", "status", "registered_at"]}),
        (
            _("Identification"),
            {"fields": ["first_name", "last_name", "personal_code", "birth_date", "id_document_number"]},
        ),
        (_("Contact"), {"fields": ["address", "phone", "email", "preferred_language", "portal_user_number"]}),
        (_("Special categories"), {"fields": ["residency", "deceased", "disability"]}),
        (_("Restriction and objection (§38)"), {"fields": ["restricted_since", "marketing_objection_since"]}),
    ]

    def get_search_results(self, request, queryset, search_term):
        """Route the search box by what was typed, so that every search is an index lookup at 1M rows
        (privacy/search.py). An erased customer's old number names its erasure record(s)."""
        if not search_term.strip():
            return queryset, False
        for record in search.erasures_matching(search_term)[:5]:
            url = reverse("admin:privacy_erasurerecord_change", args=[record.pk])
            messages.info(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("Erased on %(date)s:") % {"date": f"{record.created_at:%Y-%m-%d}"},
                    url,
                    record,
                ),
            )
        return search.customers_matching(search_term, queryset), False

    def get_changelist_instance(self, request):
        """A search result is a handful of people: no year/month links over it (each link is an index
        probe with the search's condition, several times the search itself at a million rows), unless
        the user already drilled into a period."""
        changelist = super().get_changelist_instance(request)
        drilled = any(key.startswith("registered_at__") for key in request.GET)
        if changelist.query.strip() and not drilled:
            changelist.date_hierarchy = None
        return changelist

    def change_view(self, request, object_id, form_url="", extra_context=None):
        url = overview_url(int(object_id)) if str(object_id).isdigit() else ""
        extra_context = {**(extra_context or {}), "overview_url": url}
        return super().change_view(request, object_id, form_url, extra_context)

    def has_delete_permission(self, request, obj=None):
        return False  # customers are erased through a request or a retention rule, never deleted here


@admin.register(Contract)
class ContractAdmin(HistoryAdmin):
    list_display = [
        "number",
        "customer_link",
        "type",
        "service_name",
        "start_date",
        "end_date",
        "last_service_use",
        "status",
    ]
    customer_link = customer_column()
    list_filter = ["type", "status"]
    list_select_related = ["customer"]
    search_fields = ["=number", "=customer__customer_number"]
    date_hierarchy = "start_date"
    sortable_by = ["number", "start_date"]  # index-backed at scale
    autocomplete_fields = ["customer"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Invoice)
class InvoiceAdmin(HistoryAdmin):
    """Invoices (§31). The retention app registers a subclass that adds what keeps each invoice and
    until when (retention/admin.py): the rule is retention's, which privacy may not import."""

    list_display = ["number", "customer_link", "issue_date", "amount", "paid_date", "outstanding_debt"]
    customer_link = customer_column()
    list_select_related = ["customer"]
    search_fields = ["=number", "=customer__customer_number"]
    date_hierarchy = "issue_date"
    # Invoices share a handful of issue dates (a month's run): "-issue_date, -id" would sort the whole
    # latest run (hundreds of thousands of rows at scale) for every page; the id order is the entry order.
    ordering = ["-id"]
    sortable_by = ["number"]
    autocomplete_fields = ["customer", "contract"]

    def has_delete_permission(self, request, obj=None):
        return False  # §31: invoices leave only through the retention rule


@admin.register(Recording)
class RecordingAdmin(HistoryAdmin):
    form = RecordingForm  # the uploaded file is size- and type-checked by its content (§22)
    list_display = ["id", "customer_link", "kind", "channel", "recorded_at", "duration_seconds", "listen"]
    customer_link = customer_column()
    list_filter = ["kind", "purpose", "channel"]
    list_select_related = ["customer"]
    search_fields = ["=customer__customer_number"]
    date_hierarchy = "recorded_at"
    sortable_by = ["id", "recorded_at"]  # index-backed at scale
    autocomplete_fields = ["customer"]
    raw_id_fields = ["contract"]
    readonly_fields = ["listen"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "purpose" in form.base_fields:
            # Left out of a POST it is §33's service purpose (the model default), as before purposes existed.
            form.base_fields["purpose"].required = False
        return form

    def get_fields(self, request, obj=None):
        fields = ["customer", "kind", "purpose", "contract", "channel", "recorded_at", "duration_seconds"]
        return [*fields, "listen"] if obj else [*fields, "file"]

    @admin.display(description=_("file"))
    def listen(self, obj):
        if not obj.pk or not obj.file:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("privacy:recording-file", args=[obj.pk]), _("download")
        )

    def has_delete_permission(self, request, obj=None):
        return False  # §33: recordings leave through the retention rule, with their file


@admin.register(Disclosure)
class DisclosureAdmin(HistoryAdmin):
    list_display = [
        "disclosed_on",
        "customer_link",
        "recipient",
        "ground",
        "legal_reference",
        "request_reference",
    ]
    customer_link = customer_column()
    list_filter = ["ground", ("recipient", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["customer", "recipient"]
    search_fields = ["=customer__customer_number", "request_reference"]
    date_hierarchy = "disclosed_on"
    autocomplete_fields = ["customer", "recipient"]
    filter_horizontal = ["data_categories"]


@admin.register(User)
class StaffUserAdmin(
    TranslatedGroupsMixin, TranslatedPermissionsMixin, ReadOnlyHistoryMixin, SimpleHistoryAdmin, UserAdmin
):
    fieldsets = [*UserAdmin.fieldsets, (_("Preferences"), {"fields": ["language"]})]


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    """Read-only for everybody: the log of who opened which personal file (§22)."""

    list_display = ["at", "user", "action", "object_label", "object_id"]
    list_filter = ["action", "object_label"]
    list_select_related = ["user"]
    search_fields = ["=user__username", "=object_id"]
    date_hierarchy = "at"


class LegalHoldForm(forms.ModelForm):
    """The customer is named by number, not picked from a list: the retention operator, who sets holds,
    sees no customer records (privacy/roles.py). A set hold keeps its target, reason and end; it is
    only released (`legal_hold_release`), at the moment of the release."""

    customer_number = forms.CharField(
        label=_("customer number"),
        max_length=32,
        required=False,
        help_text=_(
            "A hold on a customer: their number. A hold on one record: leave empty, name the record."
        ),
    )

    release = forms.BooleanField(
        label=_("release this hold"),
        required=False,
        help_text=_("§31: from now on the hold keeps nothing. It stays as evidence, with who released it."),
    )

    class Meta:
        model = LegalHold
        fields = ["content_type", "object_id", "reason", "until"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.customer_id:
            self.fields["customer_number"].initial = self.instance.customer.customer_number
        if self.instance.pk:
            self.fields["customer_number"].disabled = True

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("release") and self.instance.released_at:
            self.add_error("release", _("This hold is already released."))
        if not self.instance.pk:
            number = (cleaned.get("customer_number") or "").strip()
            customer = Customer.objects.filter(customer_number=number).first() if number else None
            if number and customer is None:
                self.add_error("customer_number", _("No customer has this number."))
                return cleaned
            self.instance.customer = customer
        record = cleaned.get("content_type") is not None or (cleaned.get("object_id") or "").strip()
        if (self.instance.customer is None) == (not record):
            raise forms.ValidationError(_("A hold is on a customer or on one record, not both."))
        if not self.instance.pk and record:
            # §31: a hold names a record that exists, by an id of the record's own key type.
            if cleaned.get("content_type") is None:
                self.add_error("content_type", _("Say which type of record is held."))
            elif not (cleaned.get("object_id") or "").strip():
                self.add_error("object_id", _("Give the id of the record held."))
            else:
                problem = record_hold_problem(cleaned["content_type"], cleaned["object_id"])
                if problem:
                    self.add_error("object_id", HOLD_PROBLEM_MESSAGES[problem])
        return cleaned


class NamesNoRecordFilter(admin.SimpleListFilter):
    """Holds in force on one record that name no existing record (§31): they keep nothing, and every
    retention run lists them as errors. Computed only when chosen (the list stays as cheap as it was)."""

    title = _("record found")
    parameter_name = "names_no_record"

    def lookups(self, request, model_admin):
        return [("1", _("no: the hold names no existing record"))]

    def queryset(self, request, queryset):
        if self.value() != "1":
            return queryset
        return queryset.filter(pk__in=[hold.pk for hold, _problem in invalid_record_holds()])


@admin.register(LegalHold)
class LegalHoldAdmin(HistoryAdmin):
    """§31: while a hold is in force, no rule and no erasure touches what it covers."""

    form = LegalHoldForm
    list_display = ["__str__", "customer_number", "reason", "set_by", "set_at", "until", "released_at"]
    list_filter = ["released_at", "content_type", NamesNoRecordFilter]
    list_select_related = ["customer", "set_by", "content_type"]
    search_fields = ["=customer__customer_number", "reason"]
    readonly_fields = ["set_by", "set_at"]
    fields = ["customer_number", "content_type", "object_id", "reason", "until", *readonly_fields]
    date_hierarchy = "set_at"
    actions = ["release_holds"]

    @admin.display(description=_("customer number"), ordering="customer__customer_number")
    def customer_number(self, obj):
        if not obj.customer_id:
            return "—"
        return with_overview_link(obj.customer, obj.customer.customer_number)

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.fields
        release = ["release"] if obj.released_at is None else []
        return [*self.fields[:-2], "released_at", *release, *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        return [*self.readonly_fields, "content_type", "object_id", "reason", "until", "released_at"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        hold = self.get_object(request, object_id)
        if request.method == "GET" and hold is not None and hold.content_type_id and not hold.released_at:
            problem = record_hold_problem(hold.content_type, hold.object_id)
            if problem:
                self.message_user(
                    request,
                    gettext("This hold names no existing record: %(problem)s It keeps nothing.")
                    % {"problem": HOLD_PROBLEM_MESSAGES[problem]},
                    messages.WARNING,
                )
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        """Holds are written by the services only (§31): set on add, released on change."""
        if change:
            if form.cleaned_data.get("release"):
                self._release(request, obj)
            return
        typed = ("reason", "customer", "content_type", "object_id", "until")
        hold = legal_hold_set(actor=request.user, **{name: getattr(obj, name) for name in typed})
        obj.pk, obj.object_id, obj.set_by, obj.set_at = hold.pk, hold.object_id, hold.set_by, hold.set_at
        obj._state.adding = False

    @admin.action(description=_("Release the selected legal holds (§31)"), permissions=["change"])
    def release_holds(self, request, queryset):
        released = sum(self._release(request, hold) for hold in queryset.filter(released_at__isnull=True))
        self.message_user(request, gettext("Legal holds released: %(count)d.") % {"count": released})

    def _release(self, request, hold) -> bool:
        try:
            legal_hold_release(hold=hold, actor=request.user)
        except ValidationError as error:
            self.message_user(request, f"{hold}: {' '.join(error.messages)}", messages.ERROR)
            return False
        return True

    def has_delete_permission(self, request, obj=None):
        return False  # a hold is released (released_at), never deleted: the evidence stays


from . import erasure_admin, objection_admin, third_party_admin  # noqa: E402,F401
