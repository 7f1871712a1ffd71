"""What staff still saw in English with the admin in Latvian or Russian: the nightly schedule's pages
(django-celery-beat ships no Latvian, and its Russian mistranslates), the permission names on the group
and user pages (Django stores them in English), and the erasure record's reason (written in English
for the audit trail, privacy/erasure/reasons.py)."""

import datetime
import re
import uuid
from pathlib import Path

import django_celery_beat
import polib
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from privacy.erasure import replay_reason, retention_reason
from privacy.models import ErasureRecord

from .catalogues import TRANSLATED, po_path
from .test_admin_pages_translated import _chunks, _norm, _untranslated, ours  # noqa: F401

pytestmark = pytest.mark.django_db

#: The library's own English msgids, from the catalogue it ships (every one of them is English).
BEAT_MSGIDS = {
    _norm(entry.msgid)
    for entry in polib.pofile(
        str(Path(django_celery_beat.__file__).parent / "locale" / "ru" / "LC_MESSAGES" / "django.po")
    )
    if len(entry.msgid) > 3 and "{" not in entry.msgid and "%" not in entry.msgid
}
#: What the schedule's pages show that is not in the library's catalogue (its fieldset titles).
BEAT_HEADINGS = {"schedule", "arguments", "execution options", "periodic tasks", "task name"}


def _beat_pages() -> list[str]:
    task = PeriodicTask.objects.order_by("pk").first()
    return [
        reverse("admin:django_celery_beat_periodictask_changelist"),
        reverse("admin:django_celery_beat_periodictask_add"),
        reverse("admin:django_celery_beat_periodictask_change", args=[task.pk]),
        reverse("admin:app_list", args=["django_celery_beat"]),
    ]


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_nightly_schedule_pages_are_in_the_staff_members_language(client, staff_in, ours, language):  # noqa: F811
    """The retention sweeps' schedule (§31–34) as the DPO and the operator read it."""
    assert PeriodicTask.objects.exists()  # the nightly schedules come with the migrations
    client.force_login(staff_in(language))
    failures = {}
    for url in _beat_pages():
        html = client.get(url).content.decode()
        assert f'<html lang="{language}"' in html, url
        english = [chunk for chunk in _chunks(html, language) if _norm(chunk) in BEAT_MSGIDS | BEAT_HEADINGS]
        problems = english + _untranslated(html, language, ours)
        if problems:
            failures[url] = problems
    assert failures == {}, "\n".join(f"{url}: {problems[:8]}" for url, problems in failures.items())


def _permission_labels(html: str, field: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{field}".*?</select>', html, re.S).group(0)
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


@pytest.mark.parametrize("language", TRANSLATED)
def test_permission_names_on_the_group_and_user_pages_are_translated(client, staff_in, language):
    """The roles' groups (privacy/roles.py) list their permissions in the reader's language."""
    staff = staff_in(language)
    client.force_login(staff)
    group = Group.objects.order_by("pk").first()
    catalogue = {entry.msgid: entry.msgstr for entry in polib.pofile(str(po_path(language)))}
    for url, field in (
        (reverse("admin:auth_group_change", args=[group.pk]), "permissions"),
        (reverse("admin:privacy_user_change", args=[staff.pk]), "user_permissions"),
    ):
        labels = _permission_labels(client.get(url).content.decode(), field)
        assert len(labels) > 100
        english = [label for label in labels if re.search(r"\| Can (add|change|delete|view) ", label)]
        assert english == [], f"{url}: {english[:5]}"
        assert any(catalogue["Can start a retention sweep from the admin"] in label for label in labels)


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_erasure_records_reason_is_shown_in_the_readers_language(client, staff_in, ours, language):  # noqa: F811
    """§22: the reason is stored once, in English; staff read it in their language."""
    swept = ErasureRecord.objects.create(
        uuid=uuid.uuid4(),
        reason=retention_reason(code="former_customers", clause="§31", as_of=datetime.date(2026, 12, 3)),
    )
    ErasureRecord.objects.create(uuid=uuid.uuid4(), reason=replay_reason(swept.uuid))
    client.force_login(staff_in(language))
    for url in (
        reverse("admin:privacy_erasurerecord_changelist"),
        reverse("admin:privacy_erasurerecord_change", args=[swept.pk]),
    ):
        html = client.get(url).content.decode()
        assert "former_customers" in html and "2026-12-03" in html
        assert "as of 2026-12-03" not in html and "replay of erasure" not in html
        assert _untranslated(html, language, ours) == []
