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


def stream_private_file(request, obj, purpose: ExportPurpose, filename: str, *, restricted_page: bool):
    """Stream `obj.file` to staff holding the model's `download_<model>` permission; log every attempt (§22).

    Refused without the permission (logged); held back when `export_rows` does not let `obj` leave for
    `purpose` (§38–39): a logged refusal on the "restricted" page when `restricted_page`, else a plain
    404. Refusals are responses, not `raise PermissionDenied`: with ATOMIC_REQUESTS the exception would
    roll the refusal's log row back.
    """
    if not request.user.has_perm(f"{obj._meta.app_label}.download_{obj._meta.model_name}"):
        access_log_record(actor=request.user, obj=obj, action=AccessLog.Action.REFUSED)
        return permission_denied(request, PermissionDenied())
    if not export_rows(type(obj).objects.filter(pk=obj.pk), purpose=purpose).exists():
        if not restricted_page:
            raise Http404("This file may not leave the system.")
        access_log_record(actor=request.user, obj=obj, action=AccessLog.Action.REFUSED)
        return TemplateResponse(request, "403_restricted.html", status=403)
    if not obj.file:
        raise Http404("There is no file.")
    try:
        handle = obj.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing from storage.") from exc
    access_log_record(actor=request.user, obj=obj)
    return FileResponse(handle, as_attachment=True, filename=filename)


@staff_member_required
def recording_file(request, pk: int):
    """Stream a recording's file to staff holding `privacy.download_recording`; a restricted or erased
    customer's recording leaves only under a legal hold (§38–39)."""
    recording = get_object_or_404(Recording, pk=pk)
    name = f"recording-{recording.pk}{_suffix(recording)}"
    return stream_private_file(request, recording, ExportPurpose.FILE_DOWNLOAD, name, restricted_page=True)


def _suffix(recording: Recording) -> str:
    name = recording.file.name
    return name[name.rfind(".") :] if "." in name.rsplit("/", 1)[-1] else ""
