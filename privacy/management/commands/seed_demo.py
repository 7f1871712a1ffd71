"""`python manage.py seed_demo --customers N`: realistic demo customers with their records (idempotent)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from privacy.demo import MAX_CUSTOMERS, Progress, seed_demo


def _duration(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes}m{seconds:02d}s" if minutes else f"{seconds}s"


class Command(BaseCommand):
    help = _(
        "Make sure demo customers C00000001 … N exist, with contracts, invoices, recordings and "
        "disclosures spread over the last six years. A second run creates nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--customers", type=int, default=200, help=_("number of demo customers (1..N)"))
        parser.add_argument("--seed", type=int, default=1, help=_("random seed of the generated data"))
        parser.add_argument("--chunk-size", type=int, default=None, help=_("customers per transaction"))
        parser.add_argument(
            "--jobs",
            type=int,
            default=None,
            help=_("chunks written at once on PostgreSQL (default: 2 from 20,000 new customers, else 1)"),
        )
        files = parser.add_mutually_exclusive_group()
        files.add_argument(
            "--files",
            action="store_true",
            default=None,
            help=_("give a few call recordings a WAV file (default when N <= 1000)"),
        )
        files.add_argument("--no-files", dest="files", action="store_false", help=_("no recording files"))

    def handle(self, *args, customers, seed, chunk_size, jobs, files, **options):
        if not 0 <= customers <= MAX_CUSTOMERS:
            raise CommandError(_("--customers must be between 0 and %(max)s.") % {"max": MAX_CUSTOMERS})
        if chunk_size is not None and chunk_size < 1:
            raise CommandError(_("--chunk-size must be at least 1."))
        if jobs is not None and jobs < 1:
            raise CommandError(_("--jobs must be at least 1."))
        verbosity = options["verbosity"]

        def report(progress: Progress) -> None:
            if verbosity < 1:
                return
            self.stdout.write(
                _(
                    "%(done)s/%(todo)s customers (%(percent).0f%%), %(cps).0f customers/s, "
                    "%(rps).0f rows/s, ETA %(eta)s"
                )
                % {
                    "done": f"{progress.done:,}",
                    "todo": f"{progress.todo:,}",
                    "percent": 100 * progress.done / progress.todo,
                    "cps": progress.customers_per_second,
                    "rps": progress.rows_per_second,
                    "eta": _duration(progress.eta_seconds),
                }
            )

        result = seed_demo(
            customers=customers, seed=seed, chunk_size=chunk_size, files=files, progress=report
        )
        if not result.created:
            self.stdout.write(
                _("Demo data present: customers up to %(n)s exist already, nothing to add.")
                % {"n": f"{result.existing:,}"}
            )
            return
        counts = ", ".join(f"{count:,} {table}" for table, count in result.created.items())
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo data created in %(time)s: %(counts)s (with their history).")
                % {"time": _duration(result.seconds), "counts": counts}
            )
        )
