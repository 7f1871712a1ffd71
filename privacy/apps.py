from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Register and customers")

    def ready(self) -> None:
        from . import catalogue, checks  # noqa: F401 - registers the system checks
        from .admin_actions import guard_site_actions

        catalogue.autodiscover()
        # The admin's autodiscovery ran before (django.contrib.admin comes first in INSTALLED_APPS).
        guard_site_actions()

        from .erasure import guard

        guard.connect()  # an erasure cannot be undone by a save (§38–39)

        from django.db.models.signals import post_migrate

        from .sync import after_migrate

        # Reference data, roles and schedules after every migrate (privacy/sync.py).
        post_migrate.connect(after_migrate, dispatch_uid="privacy.sync_reference")
