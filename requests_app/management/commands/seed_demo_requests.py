"""`python manage.py seed_demo_requests`: demo requests in every status, a complaint and a legal hold."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from requests_app.demo import DemoTooSmall, demo_requests_ensure


class Command(BaseCommand):
    help = _(
        "Create demo data-subject requests in every status (one overdue, one erasure awaiting approval), a "
        "complaint and a legal hold, through the services; needs seed_demo and seed_demo_staff; idempotent."
    )

    def handle(self, *args, **options):
        try:
            created = demo_requests_ensure()
        except DemoTooSmall as exc:
            raise CommandError(str(exc)) from exc
        if created:
            counts = ", ".join(f"{kind}: {count}" for kind, count in created.items())
            message = _("Demo requests created (%(counts)s).") % {"counts": counts}
            self.stdout.write(self.style.SUCCESS(message))
        else:
            self.stdout.write(_("Demo requests present (or no demo staff yet): nothing to add."))
