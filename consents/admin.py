"""Admin for consents: topics (with the audience export), the ledger (append-only, CSV import and export),
the current state (export), and the record of imports."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources

from privacy.admin_utils import HistoryAdmin, ReadOnlyAdmin
from privacy.csv_safety import neutralise
from privacy.overview_links import customer_column

from . import services
from .admin_import import ConsentImportMixin, ConsentJobResource, SafeStreamingExportMixin
from .exports import audience_csv_stream
from .forms import ConsentEventAddForm
from .models import AutomatedDecision, Consent, ConsentEvent, ConsentImport, ConsentTopic, ImportProfile
from .selectors import late_opt_out_q

# --- Resources: the columns of the exports (and the import's list of columns) -------------------


class SafeResource(resources.ModelResource):
    """Every exported cell is neutralised against formula injection."""

    def export_field(self, field, instance, **kwargs):
        return neutralise(super().export_field(field, instance, **kwargs))


class ConsentColumnsResource(SafeResource):
    """What the ledger's and the current state's exports share: the customer by number, the topic and
    the policy version by their codes, neutralised cells, and a display name."""

    customer_number = fields.Field(attribute="customer__customer_number", column_name="customer_number")
    topic = fields.Field(attribute="topic__code", column_name="topic")
    policy_version = fields.Field(attribute="policy_version__label", column_name="policy_version")
    display_name = ""

    @classmethod
    def get_display_name(cls):
        return cls.display_name


class ConsentEventResource(ConsentColumnsResource):
    captured_by = fields.Field(attribute="captured_by__username", column_name="captured_by")
    display_name = _("Consent ledger")

    class Meta:
        model = ConsentEvent
        fields = export_order = (
            *("id", "customer_number", "topic", "action", "channel", "occurred_at", "recorded_at", "source"),
            *("policy_version", "captured_by"),
        )


class ConsentResource(ConsentColumnsResource):
    display_name = _("Consents")

    class Meta:
        model = Consent
        fields = export_order = (
            *("customer_number", "topic", "status", "occurred_at", "channel", "source", "policy_version"),
            "updated_at",
        )


# --- Topics --------------------------------------------------------------------------------------


@admin.register(ConsentTopic)
class ConsentTopicAdmin(HistoryAdmin):
    list_display = ["code", "display_name", "clause", "commercial_notice", "channel", "needs_consent"]
    list_filter = ["commercial_notice", "asked_through", "needs_consent"]
    search_fields = ["code", "name_lv", "name_en", "name_ru"]
    readonly_fields = ["code", "commercial_notice", "channel", "asked_through", "needs_consent"]
    actions = ["export_audience"]

    @admin.display(description=_("name"))
    def display_name(self, obj):
        return obj.name

    @admin.action(
        description=_("Export who may receive these commercial notices today (CSV)"),
        permissions=["export_marketing_audience"],
    )
    def export_audience(self, request, queryset):
        """§56–59, §12.10: the audience of one commercial-notice topic's channel, as of today."""
        topics = list(queryset.filter(commercial_notice=True).exclude(channel=""))
        if len(topics) != 1 or queryset.count() != 1:
            self.message_user(request, _("Select exactly one commercial-notice topic."), messages.ERROR)
            return None
        channel = topics[0].channel
        response = StreamingHttpResponse(
            audience_csv_stream(channel=channel), content_type="text/csv; charset=utf-8"
        )
        filename = f"audience-{channel}-{timezone.localdate():%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def has_export_marketing_audience_permission(self, request):
        return request.user.has_perm("consents.export_marketing_audience")

    def has_add_permission(self, request):
        return False  # topics arrive by data migration; code relies on their codes

    def has_delete_permission(self, request, obj=None):
        return False


# --- The ledger ----------------------------------------------------------------------------------


class LateOptOutFilter(admin.SimpleListFilter):
    """§60: commercial-notice withdrawals recorded more than 2 days after the customer made them."""

    title = _("opt-out processed in time (§60)")
    parameter_name = "opt_out_in_time"

    def lookups(self, request, model_admin):
        return [("late", _("Late: more than 2 days (breach)")), ("in_time", _("Within 2 days"))]

    def queryset(self, request, queryset):
        if self.value() == "late":
            return queryset.filter(late_opt_out_q())
        if self.value() == "in_time":
            return queryset.filter(action="withdrawn", topic__commercial_notice=True).exclude(
                late_opt_out_q()
            )
        return queryset


@admin.register(ConsentEvent)
class ConsentEventAdmin(ConsentImportMixin, SafeStreamingExportMixin, HistoryAdmin):
    """The append-only ledger (§46–49): decisions are added (by hand, by import), never edited or deleted."""

    import_export_change_list_template = "admin/import_export/change_list_import_export.html"
    import_permission = "consents.import_consentevent"
    export_permission = "consents.export_consentevent"
    import_resource_classes = [ConsentJobResource]
    export_resource_classes = [ConsentEventResource]

    list_display = [
        "occurred_at",
        "customer_link",
        "topic",
        "action",
        "channel",
        "recorded_at",
        "late",
        "source",
        "policy_version",
        "captured_by",
    ]
    customer_link = customer_column()
    list_filter = [LateOptOutFilter, "action", "topic", "channel"]
    list_select_related = ["customer", "topic", "policy_version", "captured_by"]
    # Customer number only: it hits the natural-key index; other columns would scan a million rows.
    search_fields = ["=customer__customer_number"]
    search_help_text = _("Customer number.")
    autocomplete_fields = ["customer"]
    form = ConsentEventAddForm

    @admin.display(boolean=True, description=_("late opt-out (§60)"))
    def late(self, obj):
        return obj.late

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [field.name for field in ConsentEvent._meta.fields]

    def save_model(self, request, obj, form, change):
        """Recorded through the service: policy version, current state and history in one transaction."""
        data = form.cleaned_data
        try:
            event = services.consent_record(
                actor=request.user,
                customer=data["customer"],
                topic=data["topic"],
                action=data["action"],
                channel=data["channel"],
                occurred_at=data["occurred_at"],
                source=data.get("source", ""),
            )
        except ValidationError as exc:  # pragma: no cover - the form checks the same rules first
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            raise
        obj.pk = event.pk
        obj.recorded_at = event.recorded_at
        obj.policy_version = event.policy_version
        obj.captured_by = event.captured_by

    def has_change_permission(self, request, obj=None):
        return False  # append-only

    def has_delete_permission(self, request, obj=None):
        return False  # a decision leaves the ledger only with the customer's erasure


# --- The current state ---------------------------------------------------------------------------


@admin.register(Consent)
class ConsentAdmin(SafeStreamingExportMixin, ReadOnlyAdmin):
    """Current state per customer and topic; it changes only through the ledger."""

    export_permission = "consents.export_consent"
    export_resource_classes = [ConsentResource]

    list_display = ["customer_link", "topic", "status", "occurred_at", "channel", "source", "updated_at"]
    customer_link = customer_column()
    list_filter = ["status", "topic", "channel"]
    list_select_related = ["customer", "topic", "policy_version"]
    search_fields = ["=customer__customer_number"]
    search_help_text = _("Customer number.")

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Consent._meta.fields]


# --- Imports -------------------------------------------------------------------------------------


@admin.register(ConsentImport)
class ConsentImportAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "original_name", "status", "lines", "uploaded_by", "applied_by", "open"]
    list_filter = ["status"]
    list_select_related = ["uploaded_by", "applied_by"]
    search_fields = ["original_name"]
    date_hierarchy = "created_at"
    # The upload lies in private storage, which has no URL: Django's read-only display of a file field
    # links to its URL, so the change and history version pages show `stored_file` instead.
    exclude = ["file"]

    @admin.display(description=_("details"))
    def open(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:consents_consentevent_import_job", args=[obj.pk]), _("open")
        )

    @admin.display(description=_("file"))
    def stored_file(self, obj):
        """The storage name (a date and a random part, nothing from the file), never a link."""
        return obj.file.name if obj.file else self.get_empty_value_display()

    def get_readonly_fields(self, request, obj=None):
        fields = [
            field.name if field.name != "file" else "stored_file" for field in ConsentImport._meta.fields
        ]
        return [*fields, "open"]


@admin.register(AutomatedDecision)
class AutomatedDecisionAdmin(ReadOnlyAdmin):
    """§16–18: automated decisions with legal effect, as the deciding systems recorded them (through
    `record_automated_decision`); evidence, so nobody edits them here."""

    list_display = ["decided_at", "customer", "system", "logic_version", "outcome", "ground", "reference"]
    list_filter = ["outcome", "ground", "system"]
    list_select_related = ["customer"]
    search_fields = ["=customer__customer_number", "=reference"]
    date_hierarchy = "decided_at"


@admin.register(ImportProfile)
class ImportProfileAdmin(HistoryAdmin):
    """How each source's consent files are read (§47, §48, §60); picked at upload."""

    list_display = ["name", "code", "match_key", "date_format", "is_default"]
    search_fields = ["name", "code"]
    fields = [
        "name",
        "code",
        "match_key",
        "columns",
        "constants",
        "date_format",
        "encoding",
        "delimiter",
        "is_default",
    ]
