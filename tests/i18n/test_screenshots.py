"""Screenshots for people to look at (issue 8): the request queue as a Latvian-speaking staff member sees
it, and a letter to a Russian-speaking customer, written to test-artifacts/i18n/.

The pages are rendered by Django's test client inside the test's transaction, then photographed by
Debian's Chromium in a subprocess (headless `--screenshot`), with the page's /static/ URLs pointed at the
files on disk. Not Playwright's in-process sync API: once it runs, the test body's ORM calls leave the
test transaction (they run on another connection, in another greenlet) and would commit into the
shared test database.
"""

import datetime
import os
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils import timezone

from requests_app import letters
from tests.factories import CustomerFactory, UserFactory
from tests.requests_app.factories import SubjectRequestFactory, riga

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "i18n"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@pytest.fixture
def artifacts():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium (see .ci/run)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def _static_on_disk(html: str) -> str:
    """Point the page's /static/ URLs at the files on disk, so the browser needs no server."""
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"

    def swap(match):
        found = finders.find(match.group(2))
        return f'{match.group(1)}="{Path(found).as_uri()}"' if found else match.group(0)

    return re.sub(rf'(href|src)="{re.escape(prefix)}([^"?#]+)[^"]*"', swap, html)


def _screenshot(html: str, target: Path, scratch: Path, *, width: int, height: int) -> None:
    page = scratch / f"{target.stem}.html"
    page.write_text(html, encoding="utf-8")
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--allow-file-access-from-files",
            f"--user-data-dir={scratch / 'profile'}",
            f"--window-size={width},{height}",
            f"--screenshot={target}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert target.stat().st_size > 10_000, f"{target} looks empty"


def _queue():
    """A handful of requests in different states: overdue, due soon, extended, answered."""
    now = timezone.now()
    customers = [
        CustomerFactory(first_name=first, last_name=last, preferred_language=lang)
        for first, last, lang in [
            ("Ilze", "Kalniņa", "lv"),
            ("Сергей", "Иванов", "ru"),
            ("Jānis", "Ozoliņš", "lv"),
            ("Anna", "Petrova", "ru"),
        ]
    ]
    SubjectRequestFactory(customer=customers[0], type="access", received_at=now - datetime.timedelta(days=40))
    SubjectRequestFactory(
        customer=customers[1], type="erasure", received_at=now - datetime.timedelta(days=27)
    )
    extended = SubjectRequestFactory(
        customer=customers[2],
        type="copy",
        status="in_evaluation",
        received_at=now - datetime.timedelta(days=20),
    )
    extended.extension_months = 1
    extended.extended_due_at = extended.due_at + datetime.timedelta(days=30)
    extended.save()
    SubjectRequestFactory(
        customer=customers[3],
        type="objection",
        status="answered",
        outcome="fulfilled",
        verified_at=now - datetime.timedelta(days=9),
        answer_method="portal",
        answered_on=timezone.localdate() - datetime.timedelta(days=2),
        received_at=now - datetime.timedelta(days=10),
    )


def test_screenshot_of_the_request_queue_in_latvian(artifacts, tmp_path):
    _queue()
    staff = UserFactory(username="ilze.dpo", is_superuser=True, language="lv")
    client = Client(headers={"accept-language": "en-GB"})  # the browser asks for English ...
    client.force_login(staff)
    response = client.get("/admin/requests_app/subjectrequest/")
    html = response.content.decode()
    assert '<html lang="lv"' in html  # ... the account's language wins
    assert "Datu subjektu pieprasījumi" in html and "nokavēts" in html  # the app and a deadline filter
    _screenshot(_static_on_disk(html), artifacts / "request-queue-lv.png", tmp_path, width=1400, height=1000)


def test_screenshot_of_a_letter_in_russian(artifacts, tmp_path):
    customer = CustomerFactory(
        first_name="Сергей",
        last_name="Иванов",
        address="ул. Маскавас 12-4, Рига, LV-1003",
        preferred_language="ru",
    )
    subject_request = SubjectRequestFactory(
        customer=customer, type="access", received_at=riga(2026, 1, 31, 23, 30), details="Копия моих данных."
    )
    subject_request.extension_months = 2
    subject_request.extended_due_at = datetime.date(2026, 4, 30)
    subject_request.extension_reason = "Запрос охватывает записи разговоров за шесть лет; их нужно проверить."
    subject_request.save()
    letter = letters.letter_generate(
        subject_request=subject_request, kind="extension", actor=UserFactory(username="clerk")
    )
    with letter.html.open("rb") as handle:
        html = handle.read().decode()
    assert '<html lang="ru">' in html and "30 апреля 2026 г." in html
    _screenshot(html, artifacts / "letter-extension-ru.png", tmp_path, width=900, height=1270)
    with letter.pdf.open("rb") as handle:
        (artifacts / "letter-extension-ru.pdf").write_bytes(handle.read())
