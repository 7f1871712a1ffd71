"""System checks of settings that cannot be weakened by accident (§22).

Shown by `manage.py check --deploy` (deploy-tagged, so a development run is not nagged).
"""

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
