"""Helpers for the translation tests: our catalogues (locale/<lang>/LC_MESSAGES/django.po) and their
compiled .mo files, which `make test` and `make run` build and git never holds."""

from __future__ import annotations

import subprocess
from pathlib import Path

from django.conf import settings

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
#: The staff and customer languages whose catalogues must be complete; English is the msgid itself.
TRANSLATED = ("lv", "ru")


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def ensure_compiled() -> None:
    """Compile a catalogue whose .mo is missing or older than its .po (a bare `pytest` run outside
    `make test`), then drop Django's cached translations so the fresh files are read."""
    stale = []
    for language in (*TRANSLATED, "en"):
        po = po_path(language)
        mo = po.with_suffix(".mo")
        if po.exists() and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
            stale.append((po, mo))
    for po, mo in stale:
        subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(po)], check=True)  # noqa: S607
    if stale:
        from django.utils.translation import trans_real

        trans_real._translations = {}
        trans_real._default = None
