"""django-import-export in the consents admin, driven by our own engine.

The stock flow (upload -> dry-run preview -> confirm) and its forms, templates and permission hooks stay;
what runs underneath is `consents.importer.run_import`, streamed and set-based, instead of the
row-by-row Resource import (minutes for a million rows). Files over CONSENT_IMPORT_ASYNC_ROWS rows
(10,000) are checked and applied by a Celery task while the user watches a progress bar.
Exports stream CSV, every cell neutralised against formula injection (privacy/csv_safety.py).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from import_export.admin import ExportMixin, ImportMixin
from import_export.formats.base_formats import CSV
from import_export.signals import post_export

from privacy.csv_safety import stream_csv
from privacy.selectors import ExportPurpose, export_rows

from . import services
from .forms import ConsentConfirmImportForm, ConsentImportForm
from .importer.progress import PHASES, read_progress, reset_progress
from .importer.reading import COLUMNS, encoding_label
from .importer.result import ImportResult
from .models import ConsentImport, ConsentTopic


def async_threshold() -> int:
    """Files with more data rows than this run as a Celery task."""
    return settings.CONSENT_IMPORT_ASYNC_ROWS


class PermissionCodeMixin:
    """Import and export each need their own permission, not mere access to the model."""

    import_permission = ""
    export_permission = ""

    def has_import_permission(self, request):
        return bool(self.import_permission) and request.user.has_perm(self.import_permission)

    def has_export_permission(self, request):
        return bool(self.export_permission) and request.user.has_perm(self.export_permission)


class SafeStreamingExportMixin(PermissionCodeMixin, ExportMixin):
    """import-export's export form and filters; the file is streamed, CSV only, formula-safe, and holds
    only the rows the export gate lets out (no restricted customer, no erasure leftovers, §38–39)."""

    export_formats = [CSV]
    export_purpose = ExportPurpose.STAFF_EXPORT
    export_resource_classes: list = []

    def get_export_resource_classes(self, request):
        return self.export_resource_classes

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        if not self.has_export_permission(request):
            raise PermissionDenied
        resource_class = self.choose_export_resource_class(export_form, request)
        resource = resource_class(**self.get_export_resource_kwargs(request))
        fields = self.get_export_resource_fields_from_form(export_form)
        queryset = export_rows(queryset, purpose=self.export_purpose).select_related(
            *self.list_select_related
        )
        rows = (
            resource.export_resource(obj, selected_fields=fields) for obj in resource.iter_queryset(queryset)
        )
        response = StreamingHttpResponse(
            stream_csv(resource.get_export_headers(selected_fields=fields), rows),
            content_type="text/csv; charset=utf-8",
        )
        filename = self.get_export_filename(request, queryset, file_format)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        post_export.send(sender=None, model=self.model)
        return response


class ConsentImportMixin(PermissionCodeMixin, ImportMixin):
    """The upload -> preview -> confirm flow of import-export, on the consents import engine."""

    import_formats = [CSV]  # the form's format choice; .xlsx files go through the same engine
    import_form_class = ConsentImportForm
    confirm_form_class = ConsentConfirmImportForm
    import_template_name = "admin/consents/consentevent/import.html"
    import_resource_classes: list = []

    def get_import_resource_classes(self, request):
        return self.import_resource_classes

    def get_urls(self):
        info = self.get_model_info()
        return [
            path(
                "import/<int:job_id>/",
                self.admin_site.admin_view(self.import_job_view),
                name="{}_{}_import_job".format(*info),
            ),
            path(
                "import/<int:job_id>/retry/",
                self.admin_site.admin_view(self.import_retry_view),
                name="{}_{}_import_retry".format(*info),
            ),
            path(
                "import/<int:job_id>/progress/",
                self.admin_site.admin_view(self.import_progress_view),
                name="{}_{}_import_progress".format(*info),
            ),
            *super().get_urls(),
        ]

    def _job_url(self, job: ConsentImport) -> str:
        return reverse("admin:{}_{}_import_job".format(*self.get_model_info()), args=[job.pk])

    def _run(self, request, job: ConsentImport, *, dry_run: bool) -> None:
        """Small files now, in this request; large ones on a Celery worker after the commit."""
        if job.lines - 1 <= async_threshold():
            services.consent_import_execute(job_id=job.pk, actor=request.user, dry_run=dry_run)
            return
        from .tasks import consent_import_run

        reset_progress(job.pk)
        job_id, user_id = job.pk, request.user.pk
        transaction.on_commit(lambda: consent_import_run.delay(job_id, user_id, dry_run))

    def import_action(self, request, **kwargs):
        """Upload: store the file, check it (dry run: nothing is written), show the preview page."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = self.create_import_form(request)
        if request.method == "POST" and form.is_valid():
            job = services.consent_import_upload(
                actor=request.user,
                upload=form.cleaned_data["import_file"],
                profile=form.cleaned_data["profile"],
            )
            self._run(request, job, dry_run=True)
            return HttpResponseRedirect(self._job_url(job))
        resource = self.get_import_resource_classes(request)[0]()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import consents"),
            "form": form,
            "opts": self.model._meta,
            "media": self.media + form.media,
            "fields_list": [(resource.get_display_name(), list(COLUMNS))],
            "topics": ConsentTopic.objects.all(),
            "async_rows": async_threshold(),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context)

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        """Confirm: apply a checked file (again all or nothing: it is validated once more)."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = self.create_confirm_form(request)
        if not form.is_valid():
            messages.error(request, _("Nothing to confirm."))
            return HttpResponseRedirect(reverse("admin:{}_{}_import".format(*self.get_model_info())))
        try:
            job = services.consent_import_confirm(job_id=form.cleaned_data["job_id"], actor=request.user)
        except ConsentImport.DoesNotExist as exc:
            raise PermissionDenied from exc
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(
                reverse(
                    "admin:{}_{}_import_job".format(*self.get_model_info()),
                    args=[form.cleaned_data["job_id"]],
                )
            )
        self._run(request, job, dry_run=False)
        return HttpResponseRedirect(self._job_url(job))

    @method_decorator(require_POST)
    def import_retry_view(self, request, job_id: int):
        """Try a failed import again (its worker died, or an error of ours): the phase it failed in."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        try:
            job = services.consent_import_retry(job_id=job_id, actor=request.user)
        except ConsentImport.DoesNotExist as exc:
            raise PermissionDenied from exc
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            self._run(request, job, dry_run=job.status == ConsentImport.Status.QUEUED)
        return HttpResponseRedirect(self._job_url(ConsentImport(pk=job_id)))

    def import_job_view(self, request, job_id: int):
        """The progress bar while a job runs; then the preview with its confirm button, the errors, or
        the result. A job whose worker died is failed here (and by the nightly clean-up)."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        services.consent_imports_fail_lost(actor=request.user, job_id=job_id)
        job = get_object_or_404(ConsentImport, pk=job_id)
        result = ImportResult.from_dict(job.result) if job.result.get("file_name") else None
        topics = {topic.code: topic for topic in ConsentTopic.objects.all()}
        context = {
            **self.admin_site.each_context(request),
            "title": _("Consent import: %(file)s") % {"file": job.original_name},
            "opts": self.model._meta,
            "job": job,
            "result": result,
            "encoding": encoding_label(result.encoding) if result else "",
            "by_topic": [
                (topics.get(code, code), counts.get("given", 0), counts.get("withdrawn", 0))
                for code, counts in sorted(result.new_by_topic.items())
            ]
            if result
            else [],
            "confirm_form": ConsentConfirmImportForm(initial={"job_id": job.pk})
            if job.status == ConsentImport.Status.READY
            else None,
            "progress_url": reverse(
                "admin:{}_{}_import_progress".format(*self.get_model_info()), args=[job.pk]
            ),
            "progress": self._progress(job),
            "retry_url": reverse("admin:{}_{}_import_retry".format(*self.get_model_info()), args=[job.pk])
            if job.status == ConsentImport.Status.FAILED and job.file
            else "",
            "first_rows": self._first_rows(job),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/consents/consentevent/import_job.html", context)

    def import_progress_view(self, request, job_id: int):
        """Small JSON the progress page polls: status and percent done."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        services.consent_imports_fail_lost(actor=request.user, job_id=job_id)
        job = get_object_or_404(ConsentImport, pk=job_id)
        return JsonResponse(
            {"status": job.status, "status_label": job.get_status_display(), "running": job.running}
            | self._progress(job)
        )

    @staticmethod
    def _first_rows(job: ConsentImport) -> dict | None:
        """The file's first rows against the profile's mapping, read from the stored file (never kept in
        the result): while the file is still there."""
        if not job.file or job.status == ConsentImport.Status.APPLIED:
            return None
        from .importer import first_rows

        try:
            with job.file.open("rb") as handle:
                return first_rows(
                    handle, file_name=job.original_name, **services.profile_arguments(job.profile)
                )
        except FileNotFoundError:
            return None

    @staticmethod
    def _progress(job: ConsentImport) -> dict:
        progress = read_progress(job.pk) if job.running else {"percent": 100.0, "phase": "done"}
        return {**progress, "phase_label": str(PHASES.get(progress["phase"], progress["phase"]))}
