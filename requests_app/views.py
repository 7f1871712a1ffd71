"""Permission-checked download of subject data packages (§38, §42). Nothing is served publicly."""

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET
from django.views.defaults import permission_denied

from privacy.models import AccessLog
from privacy.selectors import ExportPurpose, export_rows
from privacy.services import access_log_record

from .models import ExportPackage


@require_GET
@staff_member_required
def package_download(request, pk: int):
    """Stream a package to staff holding `requests_app.download_exportpackage`; log every attempt (§22)."""
    package = get_object_or_404(ExportPackage.objects.select_related("request"), pk=pk)
    if not request.user.has_perm("requests_app.download_exportpackage"):
        # A response, not `raise PermissionDenied`: with ATOMIC_REQUESTS an exception would roll the
        # refusal's log row back.
        access_log_record(actor=request.user, obj=package, action=AccessLog.Action.REFUSED)
        return permission_denied(request, PermissionDenied())
    if not export_rows(
        ExportPackage.objects.filter(pk=package.pk), purpose=ExportPurpose.SUBJECT_ACCESS
    ).exists():
        raise Http404("This package may not leave the system.")
    try:
        handle = package.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The package's file is missing from storage.") from exc
    access_log_record(actor=request.user, obj=package)
    return FileResponse(handle, as_attachment=True, filename=f"{package.request}.zip")
