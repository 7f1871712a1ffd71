"""python manage.py import_consents FILE [--dry-run] [--user USERNAME] [--profile CODE] [--match KEY]
[--map FIELD=HEADER ...] [--set FIELD=VALUE ...]: the admin's CSV and XLSX import, scripted.

Without --profile the default profile reads the file (our own layout). --map and --set override the
profile's columns and fixed values; without --profile they (with --match) describe a one-off file
completely, so it needs no profile:

    import_consents unsubs.csv --match email --map "email=Email Address" --map occurred_at=UNSUB_TIME \
        --set topic=marketing_email --set action=withdrawn --set channel=email --set "source=e-mail platform"
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from consents.importer import run_import
from consents.importer.mapping import DEFAULT, FIELDS, MATCH_KEYS, Mapping
from consents.importer.progress import PHASES
from consents.importer.reading import encoding_label
from consents.importer.result import ImportResult, RowError
from consents.models import ImportProfile
from privacy.management.options import add_repeatable
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
    if result.unknown_opt_outs:
        lines.append(
            _(
                "Withdrawals by people not in the register (§57, §60): %(n)d, onto the suppression list: "
                "%(added)d new"
            )
            % {"n": result.unknown_opt_outs, "added": result.suppressed}
        )
    if result.late_withdrawals:
        lines.append(
            _("Commercial-notice withdrawals recorded more than 2 days late (§60): %(n)d")
            % {"n": result.late_withdrawals}
        )
    return lines


class Command(BaseCommand):
    help = _("Import consent decisions from a CSV or XLSX file (the same engine as the admin's import).")

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            help=_("CSV file: customer_number, topic, action, channel, occurred_at, source, policy_version"),
        )
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Check the file and report; change nothing.")
        )
        parser.add_argument("--user", help=_("Username of the staff member the import is attributed to."))
        parser.add_argument("--profile", help=_("Code of the import profile to read the file with."))
        parser.add_argument("--match", choices=MATCH_KEYS, help=_("What names the person."))
        add_repeatable(
            parser, "--map", metavar="FIELD=HEADER", help=_("The file's column for a field (repeatable).")
        )
        add_repeatable(
            parser,
            "--set",
            metavar="FIELD=VALUE",
            help=_("A fixed value of a field for every row (repeatable)."),
        )

    def mapping(self, options) -> tuple[Mapping, str]:
        """The profile's mapping (or the default profile's), with --match, --map and --set; without
        --profile, those alone describe the file."""
        columns = self._pairs(options["map"], (*MATCH_KEYS, *FIELDS))
        constants = self._pairs(options["set"], FIELDS)
        if options["profile"]:
            profile = ImportProfile.objects.filter(code=options["profile"]).first()
            if profile is None:
                raise CommandError(_("No import profile %(code)s.") % {"code": options["profile"]})
            base, code = profile.mapping(), profile.code
        elif columns or constants or options["match"]:
            base, code = Mapping(columns={}), ""
        else:
            profile = ImportProfile.objects.filter(is_default=True).first()
            base, code = (profile.mapping(), profile.code) if profile else (DEFAULT, "")
        return base.overridden(match=options["match"] or "", columns=columns, constants=constants), code

    @staticmethod
    def _pairs(values: list[str], allowed) -> dict[str, str]:
        pairs = {}
        for value in values:
            name, sep, rest = value.partition("=")
            name = name.strip()
            if not sep or name not in allowed:
                raise CommandError(
                    _("“%(value)s”: use FIELD=… with a field of %(fields)s.")
                    % {"value": value, "fields": ", ".join(allowed)}
                )
            pairs[name] = rest
        return pairs

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(_("No staff user %(name)s.") % {"name": options["user"]})
        mapping, profile = self.mapping(options)
        with path.open("rb") as handle:
            result = run_import(
                handle,
                file_name=path.name,
                actor=actor,
                dry_run=options["dry_run"],
                progress=ConsoleProgress(self.stderr.write),
                on_error=lambda error: self.stderr.write(format_error(error)),
                mapping=mapping,
                profile=profile,
            )
        for line in summary_lines(result):
            self.stdout.write(line)
        if result.error_count:
            raise CommandError(_("%(n)d errors: nothing was imported.") % {"n": result.error_count})
        if result.dry_run:
            self.stdout.write(_("Dry run: nothing was changed."))
        else:
            self.stdout.write(self.style.SUCCESS(_("Imported in %(s).1f s.") % {"s": result.seconds}))
