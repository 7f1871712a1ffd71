"""Make sure an admin login exists: from DJANGO_SUPERUSER_* variables, or generated and printed once."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "Create the admin login if none exists (DJANGO_SUPERUSER_USERNAME/PASSWORD/EMAIL, or generated)."

    def handle(self, *args, **options):
        User = get_user_model()
        username = os.environ.get("DJANGO_SUPERUSER_USERNAME", "admin")
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        email = os.environ.get("DJANGO_SUPERUSER_EMAIL", "")
        if User.objects.filter(username=username).exists():
            self.stdout.write(
                _(
                    "Admin login '%(username)s' exists (its password was printed when it was created; "
                    "reset it with: python manage.py changepassword %(username)s)."
                )
                % {"username": username}
            )
            return
        generated = password is None
        password = password or secrets.token_urlsafe(15)
        User.objects.create_superuser(username=username, email=email, password=password)
        if generated:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "Created admin login  username: %(username)s  password: %(password)s  "
                        "(shown only this once)"
                    )
                    % {"username": username, "password": password}
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Created admin login '%(username)s' from DJANGO_SUPERUSER_*.") % {"username": username}
                )
            )
