"""python manage.py export_marketing_audience --channel email|sms|phone --out FILE.csv [--as-of DATE]"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from consents.exports import write_audience_csv
from consents.models import ContactChannel


class Command(BaseCommand):
    help = _("Export who may receive commercial notices on a channel (§56–59, §12.10) to a CSV file.")

    def add_arguments(self, parser):
        parser.add_argument("--channel", required=True, choices=ContactChannel.values)
        parser.add_argument("--out", required=True, help=_("CSV file to write"))
        parser.add_argument(
            "--as-of", help=_("Day the audience is computed for (YYYY-MM-DD); default today.")
        )

    def handle(self, *args, **options):
        as_of = None
        if options["as_of"]:
            try:
                as_of = datetime.date.fromisoformat(options["as_of"])
            except ValueError as exc:
                raise CommandError(_("--as-of must be a date like 2025-01-31.")) from exc
        with open(options["out"], "w", encoding="utf-8", newline="") as out:
            count = write_audience_csv(out, channel=options["channel"], as_of=as_of)
        self.stdout.write(
            _("%(count)d recipients written to %(path)s.") % {"count": count, "path": options["out"]}
        )
