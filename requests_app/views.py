"""Permission-checked download of subject data packages (§38, §42). Nothing is served publicly."""

from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from privacy.selectors import ExportPurpose
from privacy.views import stream_private_file

from .models import ExportPackage


@require_GET
@staff_member_required
def package_download(request, pk: int):
    """Stream a package to staff holding `requests_app.download_exportpackage`; log every attempt (§22)."""
    package = get_object_or_404(ExportPackage.objects.select_related("request"), pk=pk)
    name = f"{package.request}.zip"
    return stream_private_file(request, package, ExportPurpose.SUBJECT_ACCESS, name, restricted_page=False)
