"""Uploads are size-limited and type-checked by content (§22, issue 7): recording files in the Recording
admin's add form, consent CSV files in the consents admin."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from consents.models import ConsentImport
from privacy.models import Recording
from privacy.uploads import sniff
from tests.factories import CustomerFactory, UserFactory

from .conftest import WAV, in_role

pytestmark = pytest.mark.django_db

MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x64" + b"\x00" * 50
MP3_BARE = b"\xff\xfb\x90\x64" + b"\x00" * 60
OGG = b"OggS\x00\x02" + b"\x00" * 58
M4A = b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00" + b"\x00" * 44
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00" + b"\x00" * 44
WEBM = b"\x1a\x45\xdf\xa3" + b"\x00" * 60
PDF = b"%PDF-1.7\n" + b"\x00" * 55
EML = b"Received: from mx.example.lv\r\nFrom: someone@example.lv\r\nSubject: test\r\n\r\nBody"
HTML = b"<!doctype html><script>alert(1)</script>"
EXE = b"MZ\x90\x00" + b"\x00" * 60
ZIP = b"PK\x03\x04" + b"\x00" * 60


@pytest.mark.parametrize(
    "head,kind",
    [
        (WAV, "wav"),
        (MP3, "mp3"),
        (MP3_BARE, "mp3"),
        (OGG, "ogg"),
        (M4A, "m4a"),
        (MP4, "mp4"),
        (WEBM, "webm"),
        (PDF, "pdf"),
        (EML, "eml"),
        (HTML, None),
        (EXE, None),
        (ZIP, None),
        (b"", None),
    ],
)
def test_file_types_are_told_by_their_first_bytes(head, kind):
    assert sniff(head) == kind


@pytest.fixture
def root(client):
    client.force_login(UserFactory(username="root", is_superuser=True))
    return client


def _add_recording(client, name: str, content: bytes, kind: str = "call_audio"):
    customer = CustomerFactory()
    now = timezone.localtime()
    return client.post(
        reverse("admin:privacy_recording_add"),
        {
            "customer": customer.pk,
            "kind": kind,
            "channel": "phone",
            "recorded_at_0": now.strftime("%Y-%m-%d"),
            "recorded_at_1": now.strftime("%H:%M:%S"),
            "duration_seconds": "60",
            "file": SimpleUploadedFile(name, content, content_type="audio/wav"),
        },
    )


@pytest.mark.parametrize(
    "name,content,kind",
    [
        ("call.wav", WAV, "call_audio"),
        ("call.mp3", MP3, "call_audio"),
        ("call.ogg", OGG, "call_audio"),
        ("call.m4a", M4A, "call_audio"),
        ("call.m4a", MP4, "call_audio"),
        ("visit.mp4", MP4, "video"),
        ("letter.pdf", PDF, "correspondence"),
        ("mail.eml", EML, "correspondence"),
    ],
)
def test_a_recording_of_an_accepted_type_is_stored(root, name, content, kind):
    response = _add_recording(root, name, content, kind)
    assert response.status_code == 302, response.context["adminform"].form.errors
    recording = Recording.objects.get()
    assert recording.file.read() == content


@pytest.mark.parametrize(
    "name,content,kind",
    [
        ("call.wav", HTML, "call_audio"),  # an HTML page with an audio name and content type
        ("call.wav", EXE, "call_audio"),
        ("call.mp3", ZIP, "call_audio"),
        ("call.html", WAV, "call_audio"),  # audio content under a name a browser would render
        ("call.wav", PDF, "call_audio"),  # a real type, but not audio
        ("letter.pdf", WAV, "correspondence"),
        ("visit.mp4", WAV, "video"),
        ("empty.wav", b"", "call_audio"),
    ],
)
def test_a_recording_of_another_type_is_refused_with_a_clear_error(root, name, content, kind):
    response = _add_recording(root, name, content, kind)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["file"]
    assert errors and ("accepted type" in errors[0] or "empty" in errors[0])
    assert not Recording.objects.exists()


def test_a_recording_over_the_size_limit_is_refused(root, settings):
    settings.RECORDING_MAX_UPLOAD_BYTES = 1024 * 1024
    response = _add_recording(root, "long.wav", WAV + b"\x00" * (1024 * 1024))
    assert response.status_code == 200
    assert "larger than 1 MB" in response.context["adminform"].form.errors["file"][0]
    assert not Recording.objects.exists()


# --- Consent CSV ---------------------------------------------------------------------------------------


def _upload_csv(client, name: str, content: bytes, content_type: str = "text/csv"):
    return client.post(
        reverse("admin:consents_consentevent_import"),
        {
            "format": "0",
            "resource": "0",
            "import_file": SimpleUploadedFile(name, content, content_type=content_type),
        },
    )


@pytest.mark.parametrize(
    "name,content,content_type,message",
    [
        ("consents.xlsx", b"PK\x03\x04" + b"\x00" * 40, "application/vnd.ms-excel", "not a readable .xlsx"),
        ("consents.csv", b"PK\x03\x04" + b"\x00" * 40, "text/csv", "spreadsheet file"),
        ("consents.csv", b"\xd0\xcf\x11\xe0" + b"\x00" * 40, "text/csv", "spreadsheet file"),
        ("consents.csv", b"a,b\n", "application/x-msdownload", "not CSV"),
        ("consents.exe", EXE, "application/octet-stream", "Only .csv"),
    ],
)
def test_a_consent_file_that_is_not_csv_is_refused_at_upload(client, name, content, content_type, message):
    client.force_login(in_role("customer_service"))
    response = _upload_csv(client, name, content, content_type)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["import_file"])
    assert not ConsentImport.objects.exists()


def test_a_consent_file_over_the_size_limit_is_refused(client, settings):
    settings.CONSENT_IMPORT_MAX_BYTES = 1024
    client.force_login(in_role("customer_service"))
    body = b"customer_number,topic,action,channel,occurred_at,source,policy_version\n" + b"x" * 2000
    response = _upload_csv(client, "big.csv", body)
    assert "larger than" in " ".join(response.context["form"].errors["import_file"])
    assert not ConsentImport.objects.exists()


def test_binary_content_under_a_csv_name_is_refused_without_applying_anything(client):
    client.force_login(in_role("customer_service"))
    response = _upload_csv(client, "consents.csv", EXE + b"\x00\xff\xfe" * 100)
    if response.status_code == 200:  # refused by the form
        assert response.context["form"].errors
        assert not ConsentImport.objects.exists()
        return
    job = ConsentImport.objects.get()  # or stored, checked, and refused by the check
    assert job.status == ConsentImport.Status.INVALID
    assert job.result.get("errors")
