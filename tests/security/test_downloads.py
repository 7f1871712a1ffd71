"""Personal files leave only through the permission-checked views, and every attempt is logged
(§22, Annex 1 cat. 26): unauthenticated access, staff without the permission, wrong ids,
path traversal in the URL and in a stored file name, and the folders a web server might serve."""

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse

from privacy.models import AccessLog, Recording
from requests_app.models import ExportPackage, Letter
from tests.factories import RecordingFactory, UserFactory
from tests.requests_app.factories import ExportPackageFactory

from .conftest import HTML, PDF, WAV, in_role, letter_for

pytestmark = pytest.mark.django_db

PACKAGE_BYTES = b"PK\x05\x06" + b"\x00" * 18


@pytest.fixture
def recording():
    return RecordingFactory(file=ContentFile(WAV, name="call.wav"))


@pytest.fixture
def package():
    return ExportPackageFactory(file=ContentFile(PACKAGE_BYTES, name="package.zip"))


@pytest.fixture
def letter(package):
    return letter_for(package.request)


def _letter_url(pk, fmt="pdf") -> str:
    return reverse("requests_app:letter-file", args=[pk, fmt])


def _recording_url(pk) -> str:
    return reverse("privacy:recording-file", args=[pk])


def _package_url(pk) -> str:
    return reverse("requests_app:package-download", args=[pk])


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


# --- Who may download --------------------------------------------------------------------------------


def _no_file_in(response) -> bool:
    body = _body(response)
    return all(secret not in body for secret in (WAV, PACKAGE_BYTES, PDF, HTML))


def _file_urls(recording, package, letter) -> list[str]:
    """The download of each kind of private file: a recording, a data package, a letter (PDF, HTML)."""
    return [
        _recording_url(recording.pk),
        _package_url(package.pk),
        _letter_url(letter.pk),
        _letter_url(letter.pk, "html"),
    ]


def test_anonymous_visitors_are_sent_to_the_login_page_and_get_no_bytes(client, recording, package, letter):
    for url in _file_urls(recording, package, letter):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
        assert _no_file_in(response)
    assert not AccessLog.objects.exists()


def test_a_logged_in_user_who_is_not_staff_gets_no_file(client, recording, package, letter):
    client.force_login(UserFactory(username="customer", is_staff=False))
    for url in (_recording_url(recording.pk), _package_url(package.pk), _letter_url(letter.pk)):
        response = client.get(url)
        assert response.status_code == 302
        assert _no_file_in(response)


@pytest.mark.parametrize("role_key", ["customer_service", "auditor", "retention_operator"])
def test_staff_without_the_permission_are_refused_and_the_refusal_is_logged(
    client, recording, package, role_key
):
    user = in_role(role_key)
    client.force_login(user)
    response = client.get(_recording_url(recording.pk))
    assert response.status_code == 403 and _no_file_in(response)
    response = client.get(_package_url(package.pk))
    assert response.status_code == 403 and _no_file_in(response)
    logged = set(AccessLog.objects.filter(user=user).values_list("action", "object_label", "object_id"))
    assert logged == {
        ("refused", "privacy.Recording", str(recording.pk)),
        ("refused", "requests_app.ExportPackage", str(package.pk)),
    }


@pytest.mark.parametrize("role_key", ["auditor", "retention_operator"])
def test_staff_without_the_letter_permission_are_refused_letters_and_it_is_logged(client, letter, role_key):
    user = in_role(role_key)
    client.force_login(user)
    for fmt in ("pdf", "html"):
        response = client.get(_letter_url(letter.pk, fmt))
        assert response.status_code == 403 and _no_file_in(response)
    assert set(AccessLog.objects.filter(user=user).values_list("action", "object_label")) == {
        ("refused", "requests_app.Letter")
    }


def test_a_letter_opens_for_the_permitted_and_each_opening_is_logged(client, letter):
    agent = in_role("customer_service")
    client.force_login(agent)
    pdf = client.get(_letter_url(letter.pk, "pdf"))
    assert (
        pdf.status_code == 200 and _body(pdf) == PDF and pdf["Content-Disposition"].startswith("attachment")
    )
    html = client.get(_letter_url(letter.pk, "html"))
    assert html.status_code == 200 and _body(html) == HTML
    assert "default-src 'none'" in html["Content-Security-Policy"]
    assert (
        AccessLog.objects.filter(user=agent, action="download", object_label="requests_app.Letter").count()
        == 2
    )


def test_the_dpo_downloads_both_and_each_download_is_logged(client, recording, package):
    dpo = in_role("data_protection_officer")
    client.force_login(dpo)
    response = client.get(_recording_url(recording.pk))
    assert response.status_code == 200 and _body(response) == WAV
    assert response["Content-Disposition"].startswith("attachment")
    response = client.get(_package_url(package.pk))
    assert response.status_code == 200 and _body(response) == PACKAGE_BYTES
    logged = list(AccessLog.objects.filter(user=dpo).values_list("action", "object_label", "object_id"))
    assert sorted(logged) == [
        ("download", "privacy.Recording", str(recording.pk)),
        ("download", "requests_app.ExportPackage", str(package.pk)),
    ]


def test_a_download_name_says_nothing_personal(client, recording, package):
    client.force_login(in_role("data_protection_officer"))
    recording_name = client.get(_recording_url(recording.pk))["Content-Disposition"]
    assert f"recording-{recording.pk}.wav" in recording_name
    package_name = client.get(_package_url(package.pk))["Content-Disposition"]
    assert f"{package.request}.zip" in package_name
    assert recording.customer.last_name not in recording_name + package_name


# --- IDOR: ids that are wrong, someone else's, or not ids at all --------------------------------------


def test_wrong_ids_are_not_found_for_the_permitted(client, recording, package, letter):
    client.force_login(in_role("data_protection_officer"))
    for url in (
        _recording_url(recording.pk + 1000),
        _package_url(package.pk + 1000),
        _letter_url(letter.pk + 1000),
    ):
        assert client.get(url).status_code == 404


def test_another_customers_package_is_refused_to_staff_without_the_permission(client):
    """A staff member who built or can see one package cannot fetch any other by guessing ids."""
    mine = ExportPackageFactory(file=ContentFile(PACKAGE_BYTES, name="a.zip"))
    other = ExportPackageFactory(file=ContentFile(b"PK\x05\x06OTHER" + b"\x00" * 13, name="b.zip"))
    agent = in_role("customer_service")
    mine.created_by = agent
    mine.save()
    client.force_login(agent)
    for package in (mine, other):
        response = client.get(_package_url(package.pk))
        assert response.status_code == 403
        assert b"PK" not in _body(response)


@pytest.mark.parametrize(
    "path",
    [
        "/files/recordings/../../settings.py",
        "/files/recordings/..%2F..%2Fconfig%2Fsettings.py/",
        "/files/recordings/%2e%2e/%2e%2e/etc/passwd",
        "/files/recordings/1/../../../etc/passwd",
        "/files/recordings/-1/",
        "/files/recordings/1.0/",
        "/files/recordings/0x1/",
        "/files/requests/packages/../../../config/settings.py",
        "/files/requests/packages/..%2F..%2Fmanage.py/",
        "/files/requests/packages/%2e%2e%2f%2e%2e%2fetc%2fpasswd/",
        "/files/requests/packages/1/../../../etc/passwd",
        "/files/requests/packages/abc/",
        "/files/requests/letters/1/..%2F..%2Fconfig%2Fsettings.py/",
        "/files/requests/letters/1/../../../etc/passwd",
        "/files/requests/letters/1/%2e%2e%2f%2e%2e%2fetc%2fpasswd/",
        "/files/requests/letters/1/txt/",
        "/files/requests/letters/1/PDF/",
        "/files/requests/letters/../1/pdf/",
    ],
)
def test_anything_but_a_plain_id_in_the_url_is_not_found(client, recording, package, letter, path):
    client.force_login(in_role("data_protection_officer"))
    response = client.get(path)
    assert response.status_code == 404
    body = _body(response)
    assert b"root:" not in body and b"SECRET_KEY" not in body and _no_file_in(response)


@pytest.mark.parametrize("name", ["../../../../etc/passwd", "/etc/passwd", "recordings/../../../etc/passwd"])
def test_a_stored_name_pointing_outside_private_storage_is_never_served(client, name):
    """A file name tampered with in the database (or a future bug) cannot reach outside the folder."""
    recording = RecordingFactory()
    Recording.objects.filter(pk=recording.pk).update(file=name)
    package = ExportPackageFactory()
    ExportPackage.objects.filter(pk=package.pk).update(file=name)
    letter = letter_for(package.request)
    Letter.objects.filter(pk=letter.pk).update(pdf=name, html=name)
    client.force_login(in_role("data_protection_officer"))
    client.raise_request_exception = False
    for url in _file_urls(recording, package, letter):
        response = client.get(url)
        assert response.status_code in (400, 404), url
        assert b"root:" not in _body(response)
    assert not AccessLog.objects.filter(action="download").exists()


# --- No public path to private files ----------------------------------------------------------------


def test_private_files_have_no_public_url(client, recording):
    name = recording.file.name
    client.force_login(in_role("data_protection_officer"))
    for path in (
        f"/media/{name}",
        f"/private_media/{name}",
        f"/static/{name}",
        f"/static/../private_media/{name}",
        f"/{name}",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert WAV not in _body(response)
    with pytest.raises(ValueError, match="no public URL"):
        recording.file.url  # noqa: B018
    assert not hasattr(settings, "MEDIA_URL") or settings.MEDIA_URL in ("", "/")


# --- The log itself -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role_key", ["customer_service", "data_protection_officer", "retention_operator", "auditor", "superuser"]
)
def test_the_access_log_cannot_be_added_changed_or_deleted_by_anyone(client, role_key):
    user = UserFactory(username="root", is_superuser=True) if role_key == "superuser" else in_role(role_key)
    entry = AccessLog.objects.create(
        user=user, action="download", object_label="privacy.Recording", object_id="7"
    )
    client.force_login(user)
    change = reverse("admin:privacy_accesslog_change", args=[entry.pk])
    can_view = role_key in ("data_protection_officer", "auditor", "superuser")
    assert client.get(reverse("admin:privacy_accesslog_changelist")).status_code == (200 if can_view else 403)
    assert client.get(change).status_code == (200 if can_view else 403)
    assert client.get(reverse("admin:privacy_accesslog_add")).status_code == 403
    assert client.post(reverse("admin:privacy_accesslog_add"), {"action": "download"}).status_code == 403
    assert client.post(change, {"action": "refused", "object_id": "8"}).status_code == 403
    assert (
        client.post(reverse("admin:privacy_accesslog_delete", args=[entry.pk]), {"post": "yes"}).status_code
        == 403
    )
    bulk = client.post(
        reverse("admin:privacy_accesslog_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302, 403)
    entry.refresh_from_db()
    assert (entry.action, entry.object_id) == ("download", "7")
