"""`python manage.py enforce_retention [--dry-run] [--as-of YYYY-MM-DD] [--rule CODE]`: the nightly
sweep by hand, in this process (§31–34). Prints per-rule counts; exits non-zero if a rule was skipped
because another sweep of it was running, or if a run recorded errors."""

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from retention import cutoffs
from retention.models import KeepReason, RetentionRule, RetentionRun
from retention.services import rules_sweep


class Command(BaseCommand):
    help = _(
        "Apply the retention rules (§31–34): delete or erase what their windows have passed. "
        "Without --rule, every enabled rule."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help=_("Count only; change nothing."))
        parser.add_argument(
            "--as-of",
            metavar="YYYY-MM-DD",
            help=_(
                "The day to apply the rules as of (default: today in Riga). Future days only with --dry-run."
            ),
        )
        parser.add_argument(
            "--rule",
            action="append",
            metavar="CODE",
            choices=RetentionRule.Code.values,
            help=_("Only this rule (repeatable): %(codes)s.")
            % {"codes": ", ".join(RetentionRule.Code.values)},
        )

    def handle(self, *args, dry_run, as_of, rule, **options):
        day = None
        if as_of:
            try:
                day = datetime.date.fromisoformat(as_of)
            except ValueError as exc:
                raise CommandError(
                    _("--as-of %(value)s is not a date in the form YYYY-MM-DD.") % {"value": as_of}
                ) from exc
            if not cutoffs.as_of_possible(day):
                raise CommandError(
                    _("--as-of %(value)s is outside the days a run can be made for (%(first)s to %(last)s).")
                    % {
                        "value": as_of,
                        "first": cutoffs.FIRST_AS_OF.isoformat(),
                        "last": cutoffs.LAST_AS_OF.isoformat(),
                    }
                )
        missing = set(rule or []) - set(RetentionRule.objects.values_list("code", flat=True))
        if missing:
            raise CommandError(
                _("Unknown retention rule(s): %(codes)s.") % {"codes": ", ".join(sorted(missing))}
            )
        try:
            outcome = rules_sweep(
                codes=rule, as_of=day, dry_run=dry_run, trigger=RetentionRun.Trigger.COMMAND
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        trouble = False
        for retention_rule, run, skipped in outcome:
            if run is None:
                trouble = True
                self.stdout.write(
                    _("%(code)s: skipped, %(why)s.") % {"code": retention_rule.code, "why": skipped}
                )
                continue
            trouble |= run.errors > 0 or run.status != RetentionRun.Status.FINISHED
            self.stdout.write(self._line(retention_rule, run))
        if trouble:
            raise CommandError(_("Some rules were skipped, stopped or had errors; see the lines above."))

    def _line(self, rule: RetentionRule, run: RetentionRun) -> str:
        kept = ", ".join(
            f"{KeepReason(reason).label}: {count}" for reason, count in sorted(run.kept_by_reason.items())
        )
        values = {
            "code": rule.code,
            "mode": _("dry run") if run.dry_run else _("run"),
            "as_of": run.as_of.isoformat(),
            "cutoff": run.cutoff.isoformat(),
            "status": run.get_status_display(),
            "examined": run.examined,
            "deleted": run.deleted,
            "anonymised": run.anonymised,
            "kept": run.kept,
            "errors": run.errors,
        }
        line = (
            _(
                "%(code)s (%(mode)s as of %(as_of)s, due up to %(cutoff)s): examined %(examined)d, "
                "deleted %(deleted)d, anonymised %(anonymised)d, kept %(kept)d, errors %(errors)d; %(status)s"
            )
            % values
        )
        return f"{line}" + (f" [{kept}]" if kept else "")
