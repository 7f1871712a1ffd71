"""`python manage.py seed_demo_consents`: demo consent decisions for the first demo customers (idempotent)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from consents.demo import demo_consents_ensure


class Command(BaseCommand):
    help = _("Record demo consent decisions (given and withdrawn) for the first demo customers; idempotent.")

    def add_arguments(self, parser):
        parser.add_argument("--customers", type=int, default=20, help=_("number of demo customers"))

    def handle(self, *args, customers, **options):
        written = demo_consents_ensure(customers=customers)
        if written:
            self.stdout.write(self.style.SUCCESS(_("Demo consents: %(n)s events recorded.") % {"n": written}))
        else:
            self.stdout.write(_("Demo consents present (or no demo customers): nothing to add."))
