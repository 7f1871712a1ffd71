"""The Latvian and Russian catalogues are complete (issue 8): every string of ours is translated, nothing
is fuzzy, placeholders survive, and a string newly marked in the code but missing from the catalogues
fails here (the code is extracted afresh, as `make messages` would)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

from .catalogues import LOCALE_DIR, TRANSLATED, po_path

#: What `make messages` extracts from (and nothing else: not the virtualenv, tests or benchmarks).
SOURCES = ("config", "privacy", "consents", "requests_app", "retention", "templates", "manage.py")
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "migrations")
PLURAL_FORMS = {"lv": 3, "ru": 4}


def _catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(po_path(language)))


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_string_is_translated_and_nothing_is_fuzzy(language):
    catalogue = _catalogue(language)
    assert not catalogue.metadata_is_fuzzy, "the header is marked fuzzy: msgfmt would drop it"
    assert catalogue.metadata["Language"] == language
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == [], f"{len(untranslated)} untranslated in {language}: {untranslated[:20]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy (unchecked guesses) in {language}: {fuzzy[:20]}"
    for entry in catalogue:
        if entry.msgid_plural and not entry.obsolete:
            forms = [entry.msgstr_plural.get(n, "") for n in range(PLURAL_FORMS[language])]
            assert all(forms), f"{language}: a plural form of {entry.msgid!r} is empty"


@pytest.mark.parametrize("language", (*TRANSLATED, "en"))
def test_placeholders_survive_translation(language):
    """msgfmt --check-format: every %(name)s of the msgid is in the translation, and no other."""
    result = subprocess.run(
        ["msgfmt", "--check-format", "-o", os.devnull, str(po_path(language))],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_every_marked_string_of_ours_is_in_the_catalogues(tmp_path):
    """Re-extract the code into a scratch copy and compare: a string marked since the catalogues were
    last updated (or one that nobody translated) fails here, naming the string and where it is."""
    root = Path(settings.BASE_DIR)
    for name in SOURCES:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=IGNORE)
        else:
            shutil.copy2(source, tmp_path / name)
    (tmp_path / "locale").mkdir()
    env = {**os.environ, "DEBUG": "true", "PYTHONDONTWRITEBYTECODE": "1"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "lv", "--no-obsolete"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(tmp_path / "locale" / "lv" / "LC_MESSAGES" / "django.po"))
    for language in TRANSLATED:
        known = {(e.msgctxt, e.msgid): e for e in _catalogue(language) if not e.obsolete}
        problems = []
        for entry in fresh:
            held = known.get((entry.msgctxt, entry.msgid))
            where = ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:2])
            if held is None:
                problems.append(f"not in the catalogue: {entry.msgid!r} ({where})")
            elif not held.translated():
                problems.append(f"not translated: {entry.msgid!r} ({where})")
        assert problems == [], f"{language}: run `make messages` and translate:\n" + "\n".join(problems[:40])


def test_catalogues_are_compiled_and_used():
    """The compiled catalogues are the ones Django reads (make run / make test build them)."""
    for language in (*TRANSLATED, "en"):
        assert (LOCALE_DIR / language / "LC_MESSAGES" / "django.mo").exists()
    with translation.override("lv"):
        assert translation.gettext("data-subject requests") == "datu subjektu pieprasījumi"
    with translation.override("ru"):
        assert translation.gettext("data-subject requests") == "запросы субъектов данных"
    with translation.override("en"):
        assert translation.gettext("data-subject requests") == "data-subject requests"
