"""Erase again everyone who came back from a restored backup (issue 5 item 9).

    python manage.py replay_erasures --export-ledger FILE   keep the ledger outside the backups
    python manage.py replay_erasures --ledger FILE          after a restore: import it, then replay
    python manage.py replay_erasures [--dry-run]            replay against the records in the database

Prints ids and counts only, never personal data. Queued file deletions are retried at the end.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from privacy.erasure import delete_pending_files
from privacy.erasure.replay import ledger_export, ledger_import, replay_erasures


class Command(BaseCommand):
    help = _("Erase again the subjects of recorded erasures who came back from a restored backup.")

    def add_arguments(self, parser):
        parser.add_argument("--ledger", metavar="FILE", help=_("Import this ledger file before replaying."))
        parser.add_argument(
            "--export-ledger",
            metavar="FILE",
            help=_("Write the ledger (hashes and counts) to FILE and stop."),
        )
        parser.add_argument("--dry-run", action="store_true", help=_("Report what would be erased."))

    def handle(self, *args, ledger=None, export_ledger=None, dry_run=False, **options):
        if export_ledger:
            with open(export_ledger, "w", encoding="utf-8") as stream:
                lines = ledger_export(stream)
            self.stdout.write(_("Ledger written: %(n)d lines.") % {"n": lines})
            return
        if ledger:
            try:
                with open(ledger, encoding="utf-8") as stream:
                    counts = ledger_import(stream)
            except OSError as exc:
                raise CommandError(
                    _("Cannot read the ledger %(file)s: %(error)s") % {"file": ledger, "error": exc}
                ) from exc
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(
                _("Ledger imported: %(erasures)d erasure records and %(suppressions)d suppression entries.")
                % counts
            )
        replays = replay_erasures(dry_run=dry_run)
        for replay in replays:
            if replay.refused:
                self.stderr.write(
                    _("Customer #%(id)s (erasure %(uuid)s): refused: %(why)s")
                    % {"id": replay.customer_id, "uuid": replay.erasure, "why": replay.refused}
                )
                continue
            verb = _("would be erased again") if dry_run else _("erased again")
            self.stdout.write(
                _("Customer #%(id)s (erasure %(uuid)s) %(verb)s: %(rows)d rows.")
                % {
                    "id": replay.customer_id,
                    "uuid": replay.erasure,
                    "verb": verb,
                    "rows": sum(replay.record.erased.values()),
                }
            )
        done = sum(1 for r in replays if not r.refused)
        self.stdout.write(
            _("Replayed erasures: %(n)d; refused: %(refused)d.") % {"n": done, "refused": len(replays) - done}
        )
        if not dry_run:
            files = delete_pending_files()
            if files["failed"]:
                self.stderr.write(
                    _("%(n)d queued files could not be deleted; they stay queued.") % {"n": files["failed"]}
                )
        if any(r.refused for r in replays):
            raise CommandError(_("Some erasures could not be replayed (legal hold); see above."))
