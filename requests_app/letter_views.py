"""Permission-checked streaming of letters to customers (issue 8, §42). Nothing is served publicly."""

import io

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET
from django.views.defaults import permission_denied

from privacy.models import AccessLog
from privacy.selectors import ExportPurpose, export_rows
from privacy.services import access_log_record

from . import letters
from .models import Letter

#: The HTML copy is shown in the browser but may load nothing and run nothing.
HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'none'"


def _copy_for(user, letter: Letter, fmt: str, handle):
    """Staff without the special-category permission get the letter with the names of corrected
    special-category fields hidden (Annex 1 cat. 3), as HTML or as a PDF printed from that HTML."""
    if not letter.html:
        return handle
    with letter.html.storage.open(
        letter.html.name, "rb"
    ) as html_file:  # not the FieldFile: it may be `handle`
        html = html_file.read().decode("utf-8")
    copy = letters.letter_copy_for(user, html, letter.language)
    if copy is None:
        return handle
    handle.close()
    content = letters.letter_pdf(copy) if fmt == "pdf" else copy.encode("utf-8")
    return io.BytesIO(content)


@require_GET
@staff_member_required
def letter_file(request, pk: int, fmt: str):
    """The letter's PDF (a download, for printing) or HTML (shown, as in Mans Balticom), to staff holding
    `requests_app.download_letter`; every attempt, refused ones too, is logged (§22)."""
    if fmt not in ("pdf", "html"):
        raise Http404("No such format.")
    letter = get_object_or_404(Letter.objects.select_related("request"), pk=pk)
    if not request.user.has_perm("requests_app.download_letter"):
        # A response, not `raise PermissionDenied`: with ATOMIC_REQUESTS an exception would roll the
        # refusal's log row back.
        access_log_record(actor=request.user, obj=letter, action=AccessLog.Action.REFUSED)
        return permission_denied(request, PermissionDenied())
    if not export_rows(Letter.objects.filter(pk=letter.pk), purpose=ExportPurpose.SUBJECT_ACCESS).exists():
        raise Http404("This letter may not leave the system.")
    stored = letter.pdf if fmt == "pdf" else letter.html
    if not stored:
        raise Http404("The letter's file has been erased.")
    try:
        handle = stored.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The letter's file is missing from storage.") from exc
    handle = _copy_for(request.user, letter, fmt, handle)
    access_log_record(actor=request.user, obj=letter)
    filename = f"{letter.request}-{letter.kind}-{letter.language}.{fmt}"
    if fmt == "pdf":
        return FileResponse(handle, as_attachment=True, filename=filename, content_type="application/pdf")
    response = FileResponse(handle, filename=filename, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = HTML_CSP
    return response
