"""System checks of the privacy app's data: shown by `manage.py check --database default` and by
`migrate`, so holds saved before the hold form checked their record are found (§31)."""

from django.core import checks


@checks.register(checks.Tags.database)
def legal_holds_name_records(app_configs=None, databases=None, **kwargs):
    """A legal hold in force on one record must name a record that exists, by an id of its key type
    (privacy.W001). Such a hold keeps nothing: retention skips it and reports it in every run."""
    if not databases or "default" not in databases:
        return []
    from django.db import DatabaseError

    from .selectors import invalid_record_holds

    try:
        invalid = invalid_record_holds()
    except DatabaseError:  # tables not migrated yet
        return []
    return [
        checks.Warning(
            f"Legal hold #{hold.pk} in force names no existing record ({problem}).",
            hint="Release it and set it again on the right record (Legal holds in the admin).",
            obj=f"privacy.LegalHold#{hold.pk}",
            id="privacy.W001",
        )
        for hold, problem in invalid
    ]
