"""Check that erasures left nothing behind (§38–39), on PostgreSQL or SQLite (`make run`).

    python manage.py erasure_scan                      orphans and personal data left on tombstones
    python manage.py erasure_scan --value TEXT ...     also every text column of every table for TEXT

Prints models, tables, columns and row keys only, never the values found. Fails (exit status 1) when
anything is found.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from privacy.erasure.scan import PROBLEMS, leftovers, scan
from privacy.management.options import add_repeatable


class Command(BaseCommand):
    help = _("Find what erasures left behind: orphans, personal data on tombstones, given values anywhere.")

    def add_arguments(self, parser):
        add_repeatable(
            parser,
            "--value",
            metavar="TEXT",
            help=_("Also look for this text in every text column of every table (repeatable)."),
        )

    def handle(self, *args, value=(), **options):
        found = 0
        for leftover in leftovers():
            found += 1
            field = f" {leftover.field}" if leftover.field else ""
            self.stdout.write(f"{leftover.model} #{leftover.key}{field}: {PROBLEMS[leftover.problem]}")
        for hit in scan(value) if value else []:
            found += 1
            self.stdout.write(f"{hit.table}.{hit.column} {hit.key}")
        if found:
            raise CommandError(_("Erasure scan: %(n)d finding(s).") % {"n": found})
        self.stdout.write(_("Erasure scan: nothing found."))
