from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "retention"
    verbose_name = _("Retention")

    def ready(self):
        # The access answer names the date this person's data is next due to go (GDPR Art. 15(1)(d));
        # privacy may not import retention, so retention hands it the means.
        from privacy.access_answer import register_retention_dates

        from .selectors import subject_next_deletions

        register_retention_dates(subject_next_deletions)
