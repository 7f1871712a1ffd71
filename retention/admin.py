"""Admin for retention: the rules (windows editable by privileged staff), the run log (read-only), a
preview of what tonight's run would delete, and a chart of deletions per night. Holds are managed in
the privacy app's admin (Legal holds)."""

import datetime

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from privacy.admin import InvoiceAdmin as PrivacyInvoiceAdmin
from privacy.admin_utils import EstimatedCountPaginator, HistoryAdmin, ReadOnlyMixin
from privacy.models import Invoice

from . import cutoffs
from .charts import night_charts
from .models import KeepReason, RetentionRule, RetentionRun
from .rules import translated
from .selectors import (
    InvoiceKeeping,
    deletions_per_night,
    rule_invalid_holds,
    rule_keep_reasons,
    rule_preview,
    rule_targets,
)
from .tasks import sweep_rule

CHART_NIGHTS = 30


def _chart_context(codes: list[str] | None = None) -> dict:
    per_rule = deletions_per_night(days=CHART_NIGHTS)
    if codes is not None:
        per_rule = {code: series for code, series in per_rule.items() if code in codes}
    return {"night_charts": night_charts(per_rule), "chart_nights": CHART_NIGHTS}


@admin.register(RetentionRule)
class RetentionRuleAdmin(HistoryAdmin):
    """§31–34. Only the window, the high-security window, the description and the switch are editable
    (by holders of `retention.change_retentionrule`); what a rule does is its code's."""

    # Short columns that wrap, so the table fits a 1,280 px screen beside the menu and the filters:
    # what a rule counts from and does is on its page.
    list_display = ["name", "window", "enabled", "last_run", "preview_link"]
    list_filter = ["enabled", "action"]
    search_fields = ["code", "clause"]
    readonly_fields = [
        "code",
        "clause",
        "policy",
        "minimum_months",
        "extended_minimum_months",
        "counts_from",
        "action",
        "fixed",
        "described",
    ]
    fieldsets = [
        (None, {"fields": ["code", "clause", "policy", "described", "counts_from", "action", "enabled"]}),
        (
            _("Window"),
            {
                "fields": [
                    "window_months",
                    "fixed",
                    "minimum_months",
                    "extended_window_months",
                    "extended_minimum_months",
                ]
            },
        ),
    ]
    actions = ["run_now"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.fixed:
            fields.append("window_months")  # §33: the policy fixes the period; only a hold keeps longer
        return fields

    def get_fieldsets(self, request, obj=None):
        """The description in the staff member's language; who may change the rule also gets the
        stored text to edit (English as seeded: an edited text is shown as written)."""
        fieldsets = super().get_fieldsets(request, obj)
        if not self.has_change_permission(request, obj):
            return fieldsets
        (name, options), *rest = fieldsets
        fields = list(options["fields"])
        fields.insert(fields.index("described") + 1, "description")
        return [(name, {**options, "fields": fields}), *rest]

    def get_form(self, request, obj=None, **kwargs):
        labels = {"description": _("description as stored (edit here)")}
        return super().get_form(request, obj, **{"labels": labels, **kwargs})

    @admin.display(description=_("description"))
    def described(self, obj):
        return translated(obj.description) if obj is not None else ""

    @admin.display(description=_("the policy says"))
    def policy(self, obj):
        return obj.policy_words or "—"

    @admin.display(description=_("rule"), ordering="code")
    def name(self, obj):
        return str(obj)

    @admin.display(description=_("window (months)"), ordering="window_months")
    def window(self, obj):
        if not obj.period_set:
            return gettext("not set: the rule does nothing")
        if obj.extended_window_months is None:
            return obj.window_months
        return gettext("%(window)d; high-security records %(extended)d") % {
            "window": obj.window_months,
            "extended": obj.extended_window_months,
        }

    def get_queryset(self, request):
        latest = RetentionRun.objects.filter(rule=OuterRef("pk"), dry_run=False).order_by(
            "-started_at", "-id"
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                last_as_of=Subquery(latest.values("as_of")[:1]),
                last_status=Subquery(latest.values("status")[:1]),
                last_deleted=Subquery(latest.values("deleted")[:1]),
                last_anonymised=Subquery(latest.values("anonymised")[:1]),
                last_kept=Subquery(latest.values("kept")[:1]),
            )
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="retention_retentionrule_preview",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**_chart_context(), **(extra_context or {})})

    @admin.display(description=_("last run"))
    def last_run(self, obj):
        if getattr(obj, "last_as_of", None) is None:
            return "—"
        status = RetentionRun.Status(obj.last_status).label
        return gettext(
            "%(day)s: deleted %(deleted)d, anonymised %(anonymised)d, kept %(kept)d (%(status)s)"
        ) % {
            "day": obj.last_as_of.isoformat(),
            "deleted": obj.last_deleted,
            "anonymised": obj.last_anonymised,
            "kept": obj.last_kept,
            "status": status,
        }

    @admin.display(description=_("tonight"))
    def preview_link(self, obj):
        """Tonight's as-of day, linked to what the run would do (short: the column is narrow)."""
        url = reverse("admin:retention_retentionrule_preview", args=[obj.pk])
        return format_html('<a href="{}" title="{}">{}</a>', url, _("preview"), cutoffs.next_nightly_as_of())

    def has_add_permission(self, request):
        return False  # the rules come with the code (retention/rules.py, created by sync_reference)

    def has_delete_permission(self, request, obj=None):
        return False  # switch a rule off instead; its runs refer to it

    def has_run_permission(self, request):
        return request.user.has_perm("retention.run_retentionrule")

    @admin.action(
        description=_("Run the selected rules now (deletes what is due today)"), permissions=["run"]
    )
    def run_now(self, request, queryset):
        """§31–34: deletion is not undone, so the first POST only shows what each rule would delete
        today (the preview's counts); the run starts when the person confirms, and is recorded with
        them (trigger "admin", triggered_by)."""
        if request.POST.get("post") != "yes":
            return self._run_confirmation(request, queryset)
        queued = []
        for rule in queryset.filter(enabled=True):
            sweep_rule.delay_on_commit(
                code=rule.code, trigger=RetentionRun.Trigger.ADMIN, actor_id=request.user.pk
            )
            queued.append(rule.code)
        skipped = queryset.filter(enabled=False).count()
        if queued:
            self.message_user(
                request,
                gettext("Queued: %(codes)s. The runs appear under Retention runs.")
                % {"codes": ", ".join(queued)},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request, gettext("%(n)d disabled rule(s) skipped.") % {"n": skipped}, messages.WARNING
            )

    def _run_confirmation(self, request, queryset):
        as_of = cutoffs.today()
        rules = list(queryset.order_by("code"))
        rows = [
            (rule, rule_preview(rule=rule, as_of=as_of, page_size=0) if rule.enabled else None)
            for rule in rules
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Run the selected rules now?"),
            "rows": rows,
            "as_of": as_of,
            "selected": [rule.pk for rule in rules],
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/retention/retentionrule/run_confirmation.html", context)

    def preview_view(self, request, pk):
        """A dry run on screen: counts by reason and the first candidates (ids and dates only)."""
        rule = get_object_or_404(RetentionRule, pk=pk)
        if not self.has_view_permission(request, rule):
            raise PermissionDenied
        as_of = cutoffs.next_nightly_as_of()
        raw = request.GET.get("as_of", "").strip()
        if raw:
            try:
                day = datetime.date.fromisoformat(raw)
            except ValueError:
                self.message_user(
                    request,
                    gettext("%(value)s is not a date (YYYY-MM-DD); showing tonight's run.") % {"value": raw},
                    messages.ERROR,
                )
            else:
                if cutoffs.as_of_possible(day):
                    as_of = day
                else:
                    self.message_user(
                        request,
                        gettext(
                            "%(value)s is outside the days a run can be previewed for (%(first)s to "
                            "%(last)s); showing tonight's run."
                        )
                        % {
                            "value": raw,
                            "first": cutoffs.FIRST_AS_OF.isoformat(),
                            "last": cutoffs.LAST_AS_OF.isoformat(),
                        },
                        messages.ERROR,
                    )
        preview = rule_preview(rule=rule, as_of=as_of)
        invalid = rule_invalid_holds(targets=rule_targets(rule=rule, as_of=as_of), as_of=as_of)
        if invalid:
            self.message_user(
                request,
                gettext(
                    "Legal hold(s) %(holds)s name no existing record: they keep nothing, and the run "
                    "reports them as errors (§31). Correct them under Legal holds."
                )
                % {"holds": ", ".join("#" + entry["target"].rsplit("#", 1)[-1] for entry in invalid)},
                messages.WARNING,
            )
        context = {
            **self.admin_site.each_context(request),
            **_chart_context([rule.code]),
            "opts": self.model._meta,
            "original": rule,
            "title": gettext("What the %(code)s run as of %(day)s would do")
            % {
                "code": rule.code,
                "day": as_of.isoformat(),
            },
            "rule": rule,
            "description": translated(rule.description),
            "preview": preview,
            "as_of": as_of,
            "tonight": cutoffs.next_nightly_as_of(),
        }
        return TemplateResponse(request, "admin/retention/retentionrule/preview.html", context)


@admin.register(RetentionRun)
class RetentionRunAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The run log: read-only for everybody (written by the sweep only; it has no history of its own)."""

    paginator = EstimatedCountPaginator
    show_full_result_count = False
    # Five short columns that wrap (1,280 px beside the menu and the filters); the rest is on the run's page.
    list_display = ["rule", "night", "status", "when", "counts"]
    list_filter = ["rule", "dry_run", "status", "trigger"]
    list_select_related = ["rule"]
    date_hierarchy = "as_of"
    readonly_fields = [
        "rule",
        "as_of",
        "cutoff",
        "window_months",
        "dry_run",
        "status",
        "trigger",
        "triggered_by",
        "task_id",
        "started_at",
        "finished_at",
        "examined",
        "deleted",
        "anonymised",
        "kept",
        "kept_reasons",
        "errors",
        "error_list",
        "per_table",
        "chunks",
        "longest_chunk_ms",
    ]
    fields = readonly_fields

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**_chart_context(), **(extra_context or {})})

    @admin.display(description=_("as of"), ordering="as_of")
    def night(self, obj):
        if obj.dry_run:
            return format_html("{}<br><small>{}</small>", obj.as_of.isoformat(), gettext("dry run"))
        return obj.as_of.isoformat()

    @admin.display(description=_("started at"), ordering="started_at")
    def when(self, obj):
        started = timezone.localtime(obj.started_at)
        if obj.finished_at is None:
            return format_html("{}<br>{}", f"{started:%Y-%m-%d}", f"{started:%H:%M}")
        finished = timezone.localtime(obj.finished_at)
        return format_html("{}<br>{}–{}", f"{started:%Y-%m-%d}", f"{started:%H:%M}", f"{finished:%H:%M}")

    @admin.display(description=_("counts"))
    def counts(self, obj):
        names = ["examined", "deleted", "anonymised", "kept", "errors"]
        rows = [(RetentionRun._meta.get_field(name).verbose_name, getattr(obj, name)) for name in names]
        return format_html_join("", "<div>{}: {}</div>", rows)

    @admin.display(description=_("kept, by reason"))
    def kept_reasons(self, obj):
        """Every reason the rule checks, 0 included (§31: why each record past its window stayed)."""
        reasons = rule_keep_reasons(obj.rule, obj.as_of)
        order = reasons + sorted(set(obj.kept_by_reason) - set(reasons))
        rows = [(KeepReason(reason).label, obj.kept_by_reason.get(reason, 0)) for reason in order]
        return format_html_join("", "<div>{}: {}</div>", rows) if rows else "—"

    @admin.display(description=_("error log"))
    def error_list(self, obj):
        rows = [
            (entry.get("target", ""), entry.get("error", ""), entry.get("sqlstate", entry.get("code", "")))
            for entry in obj.error_log
        ]
        return format_html_join("", "<div>{} — {} {}</div>", rows) if rows else "—"

    @admin.display(description=_("per table"))
    def per_table(self, obj):
        rows = [
            (label, ", ".join(f"{key} {value}" for key, value in sorted(counts.items())))
            for label, counts in sorted(obj.details.items())
        ]
        return format_html_join("", "<div>{}: {}</div>", rows) if rows else "—"


admin.site.unregister(Invoice)


@admin.register(Invoice)
class InvoiceAdmin(PrivacyInvoiceAdmin):
    """The privacy app's invoice admin, and what keeps each invoice and until when (§31, §31.2, §31.3),
    as the retention sweep decides it: the rule is retention's, which privacy may not import."""

    list_display = [*PrivacyInvoiceAdmin.list_display, "retention"]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "retention"] if obj is not None else fields

    def annotate_page(self, request, queryset):
        """The keep reasons are worked out for the shown page's rows only: the period links, the count
        and the searches run on the invoices alone (at a million invoices the reasons' join to the
        customers made the date hierarchy's first/last-date look-up a full scan)."""
        return InvoiceKeeping().annotate(queryset)

    @admin.display(description=_("kept"))
    def retention(self, obj):
        if obj.pk is None:
            return "—"  # an unsaved invoice
        if not hasattr(obj, "keep_reason"):  # the change page: one query for this invoice
            obj = InvoiceKeeping().annotate(Invoice.objects.filter(pk=obj.pk)).get()
        state = InvoiceKeeping().of(obj)
        return format_html('<span class="{}">{}</span>', "kept" if state.kept else "due", state)
