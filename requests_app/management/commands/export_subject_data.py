"""`python manage.py export_subject_data CUSTOMER_NUMBER --out FILE.zip`: the subject's data package."""

import os
import tempfile
from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from privacy.models import Customer
from privacy.services import access_log_record
from requests_app.export import write_package


class Command(BaseCommand):
    help = _(
        "Write the access/portability package (ZIP: data.json and one CSV per table) of one customer. "
        "The file holds personal data: keep it private."
    )

    def add_arguments(self, parser):
        parser.add_argument("customer_number")
        parser.add_argument("--out", required=True, help=_("Path of the ZIP file to write."))
        parser.add_argument(
            "--with-files", action="store_true", help=_("Include recording files (a copy request).")
        )
        parser.add_argument("--force", action="store_true", help=_("Overwrite an existing file."))

    def handle(self, *args, customer_number, out, with_files, force, **options):
        try:
            customer = Customer.objects.get(customer_number=customer_number)
        except Customer.DoesNotExist as exc:
            raise CommandError(
                _("No customer has the number %(number)s.") % {"number": customer_number}
            ) from exc
        target = Path(out)
        if target.exists() and not force:
            raise CommandError(_("%(path)s exists; use --force to overwrite it.") % {"path": target})
        if not target.parent.is_dir():
            raise CommandError(_("The folder %(path)s does not exist.") % {"path": target.parent})
        # Written to a private temporary file beside the target, then renamed: never half a package.
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".export-", suffix=".zip")
        try:
            with os.fdopen(handle, "wb") as stream:
                summary = write_package(customer, stream, include_files=with_files)
            os.chmod(temporary, 0o600)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        access_log_record(actor=AnonymousUser(), obj=customer)
        rows = sum(summary.rows.values())
        self.stdout.write(
            _(
                "Wrote %(path)s: %(rows)d records in %(tables)d tables, "
                "%(history)d history rows, %(files)d files."
            )
            % {
                "path": target,
                "rows": rows,
                "tables": len(summary.rows),
                "history": sum(summary.history_rows.values()),
                "files": summary.files,
            }
        )
