"""`python manage.py seed_demo_staff`: one demo login per staff role, passwords printed once (DEBUG only)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from privacy.demo.staff import demo_staff_ensure


class Command(BaseCommand):
    help = _(
        "Development only: make sure a demo login exists for each staff role (agent, dpo, deputy-dpo, "
        "retention, auditor); a password is printed once, when its login is created."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(_("Demo logins are for development only: run with DEBUG=true."))
        for login in demo_staff_ensure():
            if login.password:
                self.stdout.write(
                    self.style.SUCCESS(
                        _("Created demo login  %(username)s / %(password)s  (%(role)s; shown only this once)")
                        % {"username": login.username, "password": login.password, "role": login.role}
                    )
                )
            else:
                self.stdout.write(
                    _("Demo login '%(username)s' (%(role)s) exists.")
                    % {"username": login.username, "role": login.role}
                )
