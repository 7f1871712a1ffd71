"""Every admin page of our apps renders in Latvian and in Russian with no untranslated string of ours
(issue 8): lists, add and change pages, history, the workflow steps of requests and complaints, the
dashboard, the consent import and the retention preview.

A page fails when it shows, as text or in a title/placeholder/button, one of our English msgids whose
translation differs (a string marked but not translated, or a stale .mo), or English prose that is in no
catalogue (a string nobody marked). Data shown on the page (codes, names, the rules' descriptions) is not
ours to translate and is left out by the element that holds it.
"""

import bisect
import contextlib
import re
from html.parser import HTMLParser

import polib
import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from requests_app.admin import COMPLAINT_TRANSITIONS, REQUEST_TRANSITIONS
from requests_app.models import Complaint, SubjectRequest

from .catalogues import TRANSLATED, po_path

pytestmark = pytest.mark.django_db

OUR_APPS = {"privacy", "consents", "requests_app", "retention"}
#: Words that mark English prose; none of them is a Latvian word ("no", "to" and "un" are, so not here).
ENGLISH = {
    *("the", "of", "and", "is", "are", "for", "with", "this", "that", "be", "not", "or", "from", "by"),
    *("an", "in", "on", "at", "was", "has", "have", "will", "which", "there", "their", "your", "you"),
    *("can", "all", "been", "were", "into", "than", "when", "what", "who", "its", "it", "as"),
}
#: Whole words, Latvian and Cyrillic letters included; not the letters inside a token with digits (the
#: "a" and "be" of a UUID such as 3139bc31-…-a7be-303fecdde1be are no English).
WORDS = re.compile(r"(?<![\w-])[^\W\d_]+(?![\w-])")
#: Elements whose text is data, not ours: values typed by staff or loaded as reference data, codes.
DATA_CLASSES = re.compile(
    r"\b(field-code|field-description|field-name_en|field-examples_en|field-text|field-safeguard|"
    r"field-task|field-name|field-last_error|field-errors|field-error_log_display|field-result)\b"
)
DATA_TAGS = {"textarea", "script", "style", "code", "pre", "option"}


class _Text(HTMLParser):
    """The visible text nodes and labelled attributes of a page, minus data elements and text marked as
    another language on purpose (the language switcher names each language in itself)."""

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.chunks: list[str] = []
        self._skip: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        foreign = tag != "html" and attributes.get("lang") not in (None, self.language)
        if foreign or tag in DATA_TAGS or DATA_CLASSES.search(attributes.get("class") or ""):
            self._skip.append(tag)
            return
        if self._skip and tag not in ("br", "img", "input", "meta", "link", "hr"):
            self._skip.append(tag)
            return
        if self._skip:
            return
        for name in ("title", "placeholder", "aria-label", "alt"):
            if attributes.get(name):
                self.chunks.append(attributes[name])
        if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
            self.chunks.append(attributes["value"])

    def handle_endtag(self, tag):
        if self._skip and self._skip[-1] == tag:
            self._skip.pop()

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.chunks.append(" ".join(data.split()))


def _chunks(html: str, language: str) -> list[str]:
    parser = _Text(language)
    parser.feed(html)
    return parser.chunks


def _norm(text: str) -> str:
    return text.strip().rstrip(":").strip().lower()


@pytest.fixture(scope="module")
def ours():
    """language -> {normalised English msgid: msgid} for the msgids whose translation differs."""
    result = {}
    for language in TRANSLATED:
        catalogue = polib.pofile(str(po_path(language)))
        result[language] = {
            _norm(entry.msgid): entry.msgid
            for entry in catalogue
            if not entry.obsolete
            and "%" not in entry.msgid
            and len(entry.msgid) > 3
            and entry.msgstr
            and _norm(entry.msgstr) != _norm(entry.msgid)
        }
    return result


def _data_texts() -> set[str]:
    """Text that is data, not ours, where the page gives it no element of its own: the retention rules'
    codes and their editable descriptions (seeded in English, like any value staff type), and the staff
    roles' group names (stable English keys, privacy/roles.py)."""
    from django.contrib.auth.models import Group

    from retention.models import RetentionRule

    rows = [*RetentionRule.objects.values_list("code", "description"), *Group.objects.values_list("name")]
    return {_norm(text) for row in rows for text in row if text}


def _untranslated(html: str, language: str, ours: dict, data: frozenset = frozenset()) -> list[str]:
    found = []
    msgids = ours[language]
    long_ones = sorted((m for m in msgids if len(m.split()) >= 3), key=len)
    lengths = [len(m) for m in long_ones]
    for chunk in _chunks(html, language):
        text = _norm(chunk)
        if text in data:
            continue
        if text in msgids:
            found.append(f"msgid {msgids[text]!r}")
            continue
        hits = [m for m in long_ones[: bisect.bisect_right(lengths, len(text))] if m in text]
        if hits:
            found.append(f"msgid {msgids[hits[0]]!r} in {chunk!r}")
            continue
        words = WORDS.findall(text)
        if sum(word in ENGLISH for word in words) >= 2:
            found.append(f"English text {chunk!r}")
    return found


def _our_model_admins():
    return sorted(
        ((m, a) for m, a in admin.site._registry.items() if m._meta.app_label in OUR_APPS),
        key=lambda pair: pair[0]._meta.label,
    )


def _pages(client) -> list[str]:
    """Every admin page of ours that the data of `one_of_everything` makes reachable."""
    urls = [reverse("admin:index")]
    for label in OUR_APPS:
        urls.append(reverse("admin:app_list", args=[label]))
    request = client.get(reverse("admin:index")).wsgi_request
    for model, model_admin in _our_model_admins():
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        if model_admin.has_add_permission(request):
            urls.append(reverse("admin:{}_{}_add".format(*info)))
        for obj in model._default_manager.order_by("pk")[:2]:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
            urls.append(reverse("admin:{}_{}_history".format(*info), args=[obj.pk]))
    for model, transitions in ((SubjectRequest, REQUEST_TRANSITIONS), (Complaint, COMPLAINT_TRANSITIONS)):
        info = (model._meta.app_label, model._meta.model_name)
        for obj in model._default_manager.all():
            for step in transitions:
                if step.available(obj):
                    urls.append(reverse("admin:{}_{}_transition".format(*info), args=[obj.pk, step.name]))
    for name, args in (
        ("admin:consents_consentevent_import", []),
        ("admin:retention_retentionrule_preview", [1]),
    ):
        with contextlib.suppress(NoReverseMatch):
            urls.append(reverse(name, args=args))
    from consents.models import ConsentImport

    for job in ConsentImport.objects.all()[:1]:
        urls.append(reverse("admin:consents_consentevent_import_job", args=[job.pk]))
    return list(dict.fromkeys(urls))


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_admin_page_of_ours_is_in_the_staff_members_language(
    client, one_of_everything, staff_in, ours, language
):
    client.force_login(staff_in(language))
    failures = {}
    pages = _pages(client)
    assert len(pages) > 60
    data = frozenset(_data_texts())
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        html = response.content.decode()
        assert f'<html lang="{language}"' in html, url
        problems = _untranslated(html, language, ours, data)
        if problems:
            failures[url] = problems
    assert failures == {}, "\n".join(f"{url}: {problems[:5]}" for url, problems in failures.items())


def test_the_check_catches_an_untranslated_string(ours):
    """The detector itself: our msgid left in English, and unmarked English prose, are both caught."""
    page = '<h1>data-subject requests</h1><p class="help">This is not in any catalogue at all.</p>'
    assert len(_untranslated(page, "lv", ours)) == 2
    translated = "<h1>datu subjektu pieprasījumi</h1><td class='field-code'>recordings</td>"
    assert _untranslated(translated, "lv", ours) == []
