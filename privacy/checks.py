"""System checks: settings that cannot be weakened by accident (§22), shown by `manage.py check
--deploy` (deploy-tagged, so a development run is not nagged); and the privacy app's data, shown by
`manage.py check --database default` and by `migrate`, so holds saved before the hold form checked their
record are found (§31)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

#: HMAC-SHA256 keys shorter than this are below the hash's own strength (RFC 2104: at least L bytes).
SUPPRESSION_KEY_MIN_BYTES = 32


@checks.register(checks.Tags.security, deploy=True)
def suppression_key_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """SUPPRESSION_HMAC_KEY keys the suppression list's and the erasure ledger's hashes (§38, §60):
    a short key lets anyone with the table guess contacts back; SECRET_KEY's value ties the hashes to a
    key that is rotated (and every stored hash is then orphaned)."""
    key = getattr(settings, "SUPPRESSION_HMAC_KEY", "") or ""
    errors = []
    if len(key.encode("utf-8")) < SUPPRESSION_KEY_MIN_BYTES:
        errors.append(
            checks.Error(
                f"SUPPRESSION_HMAC_KEY is shorter than {SUPPRESSION_KEY_MIN_BYTES} bytes.",
                hint="Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(48))'",
                id="privacy.E001",
            )
        )
    if key and key == getattr(settings, "SECRET_KEY", None):
        errors.append(
            checks.Error(
                "SUPPRESSION_HMAC_KEY equals SECRET_KEY.",
                hint="Give it a secret of its own: SECRET_KEY may be rotated, this key never.",
                id="privacy.E002",
            )
        )
    return errors


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
