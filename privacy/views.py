"""Permission-checked streaming of private files. Nothing personal is ever served under a public URL."""

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.defaults import permission_denied

from .models import AccessLog, Recording
from .selectors import ExportPurpose, export_rows
from .services import access_log_record


@staff_member_required
def recording_file(request, pk: int):
    """Stream a recording's file to staff holding `privacy.download_recording`; log every attempt."""
    recording = get_object_or_404(Recording, pk=pk)
    if not request.user.has_perm("privacy.download_recording"):
        access_log_record(actor=request.user, obj=recording, action=AccessLog.Action.REFUSED)
        # A response, not `raise PermissionDenied`: with ATOMIC_REQUESTS the exception would roll the
        # refusal's log row back.
        return permission_denied(request, PermissionDenied())
    if not export_rows(
        Recording.objects.filter(pk=recording.pk), purpose=ExportPurpose.FILE_DOWNLOAD
    ).exists():
        # §38–39: a restricted or erased customer's recording leaves only under a legal hold.
        access_log_record(actor=request.user, obj=recording, action=AccessLog.Action.REFUSED)
        return TemplateResponse(request, "403_restricted.html", status=403)
    if not recording.file:
        raise Http404("This recording has no file.")
    try:
        handle = recording.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The recording's file is missing from storage.") from exc
    access_log_record(actor=request.user, obj=recording)
    return FileResponse(handle, as_attachment=True, filename=f"recording-{recording.pk}{_suffix(recording)}")


def _suffix(recording: Recording) -> str:
    name = recording.file.name
    return name[name.rfind(".") :] if "." in name.rsplit("/", 1)[-1] else ""
