"""python manage.py import_consents FILE [--dry-run] [--user USERNAME]: the admin's CSV import, scripted."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from consents.importer import run_import
from consents.importer.progress import PHASES
from consents.importer.reading import encoding_label
from consents.importer.result import ImportResult, RowError
from privacy.models import User


class ConsoleProgress:
    """Prints the phase and every 5 % of progress."""

    def __init__(self, write):
        self.write = write
        self.shown = (None, -1)

    def update(self, percent: float, phase: str) -> None:
        step = int(percent // 5) * 5
        if (phase, step) != self.shown and (phase != self.shown[0] or step > self.shown[1]):
            self.shown = (phase, step)
            self.write(_("%(phase)s: %(percent)d %%") % {"phase": PHASES.get(phase, phase), "percent": step})


def format_error(error: RowError) -> str:
    where = _("file") if error.line == 0 else _("line %(line)d") % {"line": error.line}
    if error.column:
        where += ", " + _("column %(column)s") % {"column": error.column}
    return f"{where}: {error.message}"


def summary_lines(result: ImportResult) -> list[str]:
    lines = [
        _("File: %(file)s (%(encoding)s, delimiter “%(delimiter)s”), %(rows)d rows")
        % {
            "file": result.file_name,
            "encoding": encoding_label(result.encoding),
            "delimiter": result.delimiter,
            "rows": result.rows,
        },
        _("New events: %(new)d, already recorded or repeated: %(dup)d")
        % {"new": result.new_events, "dup": result.duplicates},
        _(
            "Consents created: %(created)d, changed: %(changed)d, refreshed: %(refreshed)d, "
            "kept (older event): %(kept)d"
        )
        % {
            "created": result.consents_created,
            "changed": result.consents_changed,
            "refreshed": result.consents_refreshed,
            "kept": result.consents_kept,
        },
    ]
    if result.late_withdrawals:
        lines.append(
            _("Commercial-notice withdrawals recorded more than 2 days late (§60): %(n)d")
            % {"n": result.late_withdrawals}
        )
    return lines


class Command(BaseCommand):
    help = _("Import consent decisions from a CSV file (the same engine as the admin's import).")

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            help=_("CSV file: customer_number, topic, action, channel, occurred_at, source, policy_version"),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Check the file and report; change nothing.")
        )
        parser.add_argument("--user", help=_("Username of the staff member the import is attributed to."))

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(_("No staff user %(name)s.") % {"name": options["user"]})
        with path.open("rb") as handle:
            result = run_import(
                handle,
                file_name=path.name,
                actor=actor,
                dry_run=options["dry_run"],
                progress=ConsoleProgress(self.stderr.write),
                on_error=lambda error: self.stderr.write(format_error(error)),
            )
        for line in summary_lines(result):
            self.stdout.write(line)
        if result.error_count:
            raise CommandError(_("%(n)d errors: nothing was imported.") % {"n": result.error_count})
        if result.dry_run:
            self.stdout.write(_("Dry run: nothing was changed."))
        else:
            self.stdout.write(self.style.SUCCESS(_("Imported in %(s).1f s.") % {"s": result.seconds}))
