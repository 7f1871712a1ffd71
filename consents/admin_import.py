"""django-import-export in the consents admin, driven by our own engine, through the library's doors.

The stock flow (upload -> dry-run preview -> confirm) keeps its views, forms, templates and permission
hooks. Underneath, an import is a stored job (ConsentImport) run by `consents.importer.run_import`,
streamed and set-based, instead of the row-by-row Resource import (minutes for a million rows): the
Resource (`ConsentJobResource`, given the acting user and the form by `get_import_resource_kwargs`)
uploads or confirms a job; the confirm form carries the job's id (`confirm_form_class`); the library's
"temporary storage" and "format" of the confirm step name the job instead of re-reading the file; and
`process_result` redirects to the job's page, which polls the progress of a large file. Files over
CONSENT_IMPORT_ASYNC_ROWS rows (10,000) are checked and applied in the background (consents/tasks.py).
Exports stream CSV, every cell neutralised against formula injection (privacy/csv_safety.py).
"""

from __future__ import annotations

import tablib
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from import_export import fields, resources
from import_export.admin import ExportMixin, ImportMixin
from import_export.formats.base_formats import CSV, Format
from import_export.results import Result
from import_export.signals import post_export, post_import
from import_export.tmp_storages import BaseStorage

from privacy.csv_safety import stream_csv
from privacy.models import Customer
from privacy.selectors import ExportPurpose, export_rows

from . import services
from .forms import ConsentConfirmImportForm, ConsentImportForm
from .importer.progress import PHASES, read_progress
from .importer.reading import COLUMNS, encoding_label
from .importer.result import ImportResult
from .models import ConsentImport, ConsentTopic
from .tasks import async_threshold, consent_import_start


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

    def get_export_queryset(self, request):
        """Only what the export gate lets out, whichever path writes the file."""
        queryset = super().get_export_queryset(request)
        return export_rows(queryset, purpose=self.export_purpose).select_related(*self.list_select_related)

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        """The file, streamed: the library's public `get_export_data` builds it in memory, a million rows
        at once. This private hook is the only way to stream; pinned (pyproject.toml) and checked by
        tests/consents/test_library_hooks.py."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        resource_class = self.choose_export_resource_class(export_form, request)
        resource = resource_class(**self.get_export_resource_kwargs(request))
        fields = self.get_export_resource_fields_from_form(export_form)
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


# --- Import: the library's pieces, each naming a stored job ---------------------------------------


class ConsentFileFormat(Format):
    """The import's one format: CSV or XLSX, read by our engine (consents/importer), not by tablib.

    At the confirm step the library reads back what its temporary storage holds, here the job's id
    (`ConsentJobStorage`), and this "dataset" carries it to the Resource."""

    def __init__(self, encoding=None):
        self.encoding = encoding

    def get_title(self):
        return "CSV / XLSX"

    def can_import(self):
        return True

    def create_dataset(self, in_stream):
        return tablib.Dataset([str(in_stream)], headers=["job"])


class ConsentJobStorage(BaseStorage):
    """The library's temporary storage at the confirm step: its "file name" is the job's id, and the
    file stays where the job keeps it (private storage, deleted once imported or abandoned)."""

    def save(self, data):
        raise NotImplementedError("uploads are stored as import jobs (services.consent_import_upload)")

    def read(self):
        return self.name

    def remove(self):
        pass


class ConsentJobResult(Result):
    """An import-export result that is a job: where to follow it, or why it was refused."""

    def __init__(self, job_id: int, problem: str = ""):
        super().__init__()
        self.job_id, self.problem = job_id, problem


class ConsentJobResource(resources.Resource):
    """Lists the columns on the upload page and runs the two steps as jobs: `import_data` with
    dry_run uploads and checks the form's file; without, confirms the form's checked job and applies it.
    `actor` and `form` come from the admin's `get_import_resource_kwargs`."""

    class Meta:
        fields = COLUMNS

    def __init__(self, *, actor=None, form=None, **kwargs):
        super().__init__(**kwargs)
        self.actor, self.form = actor, form

    @classmethod
    def get_display_name(cls):
        return gettext_lazy("Consent decisions (CSV)")

    def get_user_visible_fields(self):
        return [fields.Field(column_name=name) for name in COLUMNS]

    def import_data(self, dataset=None, dry_run=False, **kwargs):
        data = self.form.cleaned_data
        if dry_run:
            job = services.consent_import_upload(
                actor=self.actor, upload=data["import_file"], profile=data["profile"]
            )
        else:
            try:
                job = services.consent_import_confirm(job_id=data["job_id"], actor=self.actor)
            except ConsentImport.DoesNotExist as exc:
                raise PermissionDenied from exc
            except ValidationError as exc:
                return ConsentJobResult(data["job_id"], problem=" ".join(exc.messages))
        consent_import_start(job=job, actor=self.actor, dry_run=dry_run)
        return ConsentJobResult(job.pk)


class ConsentImportMixin(PermissionCodeMixin, ImportMixin):
    """The upload -> preview -> confirm flow of import-export, on the consents import engine."""

    import_formats = [ConsentFileFormat]
    import_form_class = ConsentImportForm
    confirm_form_class = ConsentConfirmImportForm
    tmp_storage_class = ConsentJobStorage
    import_template_name = "admin/consents/consentevent/import.html"
    import_resource_classes = [ConsentJobResource]
    skip_import_confirm = False
    skip_admin_log = True  # the job, its history and the ledger's history record who imported what

    def get_import_resource_classes(self, request):
        return self.import_resource_classes

    def get_import_resource_kwargs(self, request, **kwargs):
        return {**super().get_import_resource_kwargs(request, **kwargs), "actor": request.user}

    def get_import_context_data(self, **kwargs):
        return {
            **super().get_import_context_data(**kwargs),
            "topics": ConsentTopic.objects.all(),
            "async_rows": async_threshold(),
        }

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

    def _job_url(self, job_id: int) -> str:
        return reverse("admin:{}_{}_import_job".format(*self.get_model_info()), args=[job_id])

    def import_action(self, request, **kwargs):
        """The library's upload page; a valid upload is stored as a job and checked by the Resource, then
        the browser goes to the job's page (post/redirect/get). The library's own POST branch would read
        the whole file into memory (up to CONSENT_IMPORT_MAX_BYTES) and check it inside this request;
        an invalid form goes back to it, which shows the errors."""
        if request.method != "POST" or not self.has_import_permission(request):
            return super().import_action(request, **kwargs)
        form = self.create_import_form(request)
        if not form.is_valid():
            return super().import_action(request, **kwargs)
        resource = self.choose_import_resource_class(form, request)(
            **self.get_import_resource_kwargs(request, form=form)
        )
        return self.process_result(resource.import_data(dry_run=True), request)

    def process_result(self, result, request):
        """After either step: to the job's page (the refusal, if any, as a message)."""
        if result.problem:
            messages.error(request, result.problem)
        else:
            post_import.send(sender=None, model=self.model)
        return HttpResponseRedirect(self._job_url(result.job_id))

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
            checking = job.status == ConsentImport.Status.QUEUED
            consent_import_start(job=job, actor=request.user, dry_run=checking)
        return HttpResponseRedirect(self._job_url(job_id))

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
            "changes": self._changes(result),
            "confirm_form": ConsentConfirmImportForm(initial={"job_id": job.pk})
            if job.status == ConsentImport.Status.READY and result and result.changes_anything
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
    def _changes(result: ImportResult | None) -> list[dict]:
        """The preview's changes with each customer's current number, in one query (the stored result
        holds ids only, nothing from the file: an erased customer shows the erased record's number)."""
        if not result:
            return []
        ids = {change.get("customer") for change in result.changes} - {None}
        numbers = (
            dict(Customer.objects.filter(pk__in=ids).values_list("pk", "customer_number")) if ids else {}
        )
        return [
            {**change, "customer_number": numbers.get(change.get("customer"), "")}
            for change in result.changes
        ]

    @staticmethod
    def _progress(job: ConsentImport) -> dict:
        progress = read_progress(job.pk) if job.running else {"percent": 100.0, "phase": "done"}
        return {**progress, "phase_label": str(PHASES.get(progress["phase"], progress["phase"]))}
