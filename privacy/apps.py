from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Register and customers")

    def ready(self) -> None:
        from . import catalogue

        catalogue.autodiscover()

        from .erasure import guard

        guard.connect()  # an erasure cannot be undone by a save (§38–39)
