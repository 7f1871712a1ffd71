"""Admin for erasure records, the suppression list and the file-deletion queue (§38–39, §60).

All three are evidence or machinery: nobody adds, edits or deletes them by hand here.
"""

from django.contrib import admin, messages
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .admin_utils import ReadOnlyAdmin, ReadOnlyMixin
from .erasure import delete_pending_files, reason_label, reason_text
from .models import ErasureRecord, PendingFileDeletion, SuppressionEntry


@admin.register(ErasureRecord)
class ErasureRecordAdmin(ReadOnlyAdmin):
    """Who erased whom (by id and keyed hash only), when, on which request, what went and what stayed."""

    list_display = [
        "created_at",
        "actor",
        "reason_shown",
        "request_reference",
        "erased_total",
        "kept_total",
        "tombstone",
        "replayed",
    ]
    list_filter = ["tombstone", "created_at"]
    list_select_related = ["actor"]
    search_fields = ["=request_reference", "=uuid", "=subject_id"]
    search_help_text = _("Request reference, ledger id or customer id.")
    date_hierarchy = "created_at"
    fieldsets = [
        (
            None,
            {"fields": ["uuid", "created_at", "actor", "reason_shown", "request_reference", "request_id"]},
        ),
        (_("Subject"), {"fields": ["subject_id", "tombstone", "replay_of"]}),
        (_("Erased and kept"), {"fields": ["erased_table", "kept_table", "suppressed_channels"]}),
        (_("Keyed hashes for replay"), {"fields": ["customer_number_hash", "personal_code_hash"]}),
    ]
    readonly_fields = ["uuid", "reason_shown", "erased_table", "kept_table"]

    @admin.display(description=_("reason"))
    def reason_shown(self, obj):
        return reason_text(obj.reason)

    @admin.display(description=_("rows erased"))
    def erased_total(self, obj):
        return sum(obj.erased.values())

    @admin.display(description=_("rows kept"))
    def kept_total(self, obj):
        return sum(count for reasons in obj.kept.values() for count in reasons.values())

    @admin.display(description=_("replay"), boolean=True)
    def replayed(self, obj):
        return obj.replay_of is not None

    @admin.display(description=_("erased"))
    def erased_table(self, obj):
        if not obj.erased:
            return "—"
        anonymised = obj.anonymised or {}
        rows = [
            (
                label,
                count,
                _("of which anonymised: %(n)s") % {"n": anonymised[label]} if label in anonymised else "",
            )
            for label, count in sorted(obj.erased.items())
        ]
        return format_html_join("", "<div><code>{}</code>: {} {}</div>", rows)

    @admin.display(description=_("kept, and why"))
    def kept_table(self, obj):
        if not obj.kept:
            return _("nothing")
        rows = [
            (label, count, reason_label(reason))
            for label, reasons in sorted(obj.kept.items())
            for reason, count in sorted(reasons.items())
        ]
        return format_html_join("", "<div><code>{}</code>: {} — {}</div>", rows)


@admin.register(SuppressionEntry)
class SuppressionEntryAdmin(ReadOnlyAdmin):
    """§60: opt-outs of erased subjects, as keyed hashes; search with the full hash of a contact."""

    list_display = ["contact_hash", "channel", "created_at", "erasure"]
    list_filter = ["channel"]
    list_select_related = ["erasure"]
    search_fields = ["=contact_hash"]
    date_hierarchy = "created_at"


@admin.register(PendingFileDeletion)
class PendingFileDeletionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Files of erased rows that storage has not confirmed deleted yet (item 4): retried, never forgotten."""

    list_display = ["queued_at", "field", "name", "attempts", "last_error"]
    list_filter = ["field"]
    search_fields = ["=name"]
    actions = ["retry_now"]
    show_full_result_count = False

    def has_retry_permission(self, request):
        """Deleting files is a change (the nightly retry does it anyway): not for view-only roles. No
        role of privacy/roles.py holds it; the superuser does."""
        return request.user.has_perm("privacy.change_pendingfiledeletion")

    @admin.action(description=_("Delete the selected files from storage now"), permissions=["retry"])
    def retry_now(self, request, queryset):
        counts = delete_pending_files(ids=list(queryset.values_list("pk", flat=True)))
        done = counts["deleted"] + counts["missing"]
        self.message_user(
            request,
            ngettext("%(n)d file deleted.", "%(n)d files deleted.", done) % {"n": done},
            messages.SUCCESS,
        )
        if counts["failed"]:
            self.message_user(
                request,
                ngettext(
                    "%(n)d file could not be deleted; it stays queued.",
                    "%(n)d files could not be deleted; they stay queued.",
                    counts["failed"],
                )
                % {"n": counts["failed"]},
                messages.ERROR,
            )
