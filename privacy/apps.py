from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Register and customers")

    def ready(self) -> None:
        from . import catalogue, checks  # noqa: F401 - registers the system checks

        catalogue.autodiscover()
