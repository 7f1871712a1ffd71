"""The access, copy and portability package (§38, GDPR Art. 15 and 20), driven by the catalogue: a model
another app registers is covered here as soon as it has a factory in tests/<app>/factories.py."""

import csv
import functools
import hashlib
import importlib
import io
import json
import os
import zipfile

import factory
import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from privacy import catalogue
from privacy.models import AccessLog, Customer
from requests_app import services
from requests_app.export import package_bytes
from requests_app.models import SubjectRequest
from tests.factories import CustomerFactory, RecordingFactory, UserFactory
from tests.requests_app.factories import ExportPackageFactory, generic_create

pytestmark = pytest.mark.django_db

OUR_APPS = ["privacy", "consents", "requests_app", "retention"]
RECORDING_BYTES = b"RIFF\x24\x00\x00\x00WAVEfmt call audio"


def _factories() -> dict:
    """Every DjangoModelFactory of our test suites, by model (the first one found wins)."""
    found = {}
    for name in ["tests.factories", *(f"tests.{app}.factories" for app in OUR_APPS)]:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, factory.django.DjangoModelFactory)
                and value._meta.model is not None
            ):
                found.setdefault(value._meta.model._meta.concrete_model, value)
    return found


def data_in_every_catalogued_model(customer: Customer) -> dict[str, list]:
    """One row (at least) of every catalogued model for `customer`, each changed once (two history rows)."""
    factories = _factories()
    created = {}
    for entry in catalogue.entries():
        if entry.model is Customer:
            continue
        model_factory = factories.get(entry.model._meta.concrete_model)
        if model_factory is None:
            # No factory yet (another app's model): build one row from the field definitions.
            model_factory = functools.partial(generic_create, entry.model)
        extra = (
            {"file": ContentFile(RECORDING_BYTES, name="call.wav")}
            if entry.label == "privacy.Recording"
            else {}
        )
        obj = model_factory(**{entry.customer_path: customer}, **extra)
        obj.save()  # a second history row ("~")
        created[entry.label] = [obj]
    customer.save()
    return created


def open_package(data: bytes):
    archive = zipfile.ZipFile(io.BytesIO(data))
    document = json.loads(archive.read("data.json"))
    return archive, document, {table["model"]: table for table in document["tables"]}


def read_csv(archive, name):
    text = archive.read(name).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def subject():
    return CustomerFactory(first_name="Ilze", last_name="Ozola", email="ilze@example.lv")


@pytest.mark.real_password_hashing
def test_package_holds_every_catalogued_model_with_its_history_and_nothing_of_others(subject):
    """§38 access/portability: one JSON document and a CSV per table, from the catalogue."""
    created = data_in_every_catalogued_model(subject)
    other = CustomerFactory(email="someone.else@example.lv")
    data_in_every_catalogued_model(other)

    archive, document, tables = open_package(package_bytes(subject, reference="SR-2026-000001"))

    assert document["customer_number"] == subject.customer_number
    assert document["request"] == "SR-2026-000001"
    assert set(tables) == {entry.label for entry in catalogue.entries()}
    for entry in catalogue.entries():
        table = tables[entry.label]
        everything = entry.model._default_manager.filter(entry.customer_filter([subject.pk]))
        assert everything.count() >= 1, entry.label
        # §39: what the subject is not told (a legal hold, a §26.3 disclosure) is not in the package
        expected = everything.exclude(entry.withhold()).count() if entry.withhold else everything.count()
        assert len(table["rows"]) == expected, entry.label
        assert len(read_csv(archive, table["csv"])) == expected, entry.label
        if hasattr(entry.model, "history") and expected:
            assert len(table["history"]) >= 2, entry.label
            assert len(read_csv(archive, table["history_csv"])) == len(table["history"]), entry.label
            assert {row["history_type"] for row in table["history"]} >= {"+", "~"}, entry.label
        ids = {row[entry.model._meta.pk.attname] for row in table["rows"]}
        if entry.model is not Customer and expected:
            assert ids >= {obj.pk for obj in created[entry.label]}, entry.label
    customer_row = tables["privacy.Customer"]["rows"][0]
    assert customer_row["first_name"] == "Ilze"
    assert customer_row["email"] == "ilze@example.lv"
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert other.customer_number.encode() not in everything
    assert b"someone.else@example.lv" not in everything
    # No staff credentials: the production hasher, so the hash's own prefix is what is looked for.
    assert b"correct-horse" not in everything and b"pbkdf2" not in everything


def test_staff_members_are_not_named_in_the_package(subject, clerk):
    subject_request = services.request_register(
        actor=clerk, type="access", channel="portal", customer=subject
    )
    _archive, _document, tables = open_package(package_bytes(subject))
    row = next(r for r in tables["requests_app.SubjectRequest"]["rows"] if r["id"] == subject_request.pk)
    assert "registered_by_id" not in row and "registered_by" not in row
    assert all(
        "history_user" not in h and "history_user_id" not in h for h in tables["privacy.Customer"]["history"]
    )


def test_copy_includes_the_recording_files_access_only_their_metadata(subject):
    recording = RecordingFactory(customer=subject, file=ContentFile(RECORDING_BYTES, name="call.wav"))
    archive, document, tables = open_package(package_bytes(subject, include_files=True))
    (item,) = document["files"]
    assert item["model"] == "privacy.Recording" and item["id"] == recording.pk
    assert archive.read(item["path"]) == RECORDING_BYTES
    assert item["sha256"] == hashlib.sha256(RECORDING_BYTES).hexdigest()
    assert tables["privacy.Recording"]["rows"][0]["file"] == item["path"]

    archive, document, tables = open_package(package_bytes(subject, include_files=False))
    assert document["files"] == []
    assert not [name for name in archive.namelist() if name.startswith("files/")]
    assert tables["privacy.Recording"]["rows"][0]["duration_seconds"] == 95


def test_a_missing_recording_file_is_reported_not_fatal(subject):
    recording = RecordingFactory(customer=subject, file=ContentFile(RECORDING_BYTES, name="call.wav"))
    recording.file.storage.delete(recording.file.name)
    _archive, document, _tables = open_package(package_bytes(subject, include_files=True))
    assert document["files"] == [
        {"model": "privacy.Recording", "id": recording.pk, "field": "file", "path": None, "missing": True}
    ]


def test_csv_cells_are_neutralised_against_formula_injection(subject):
    subject.first_name = '=HYPERLINK("http://evil.example","x")'
    subject.address = "+371 Rīga"
    subject.save()
    archive, _document, tables = open_package(package_bytes(subject))
    (row,) = read_csv(archive, "csv/privacy.customer.csv")
    with override(subject.preferred_language):  # the headers are labels in the customer's language
        first_name, address = (
            str(Customer._meta.get_field(f).verbose_name) for f in ("first_name", "address")
        )
    assert row[first_name] == '\'=HYPERLINK("http://evil.example","x")'
    assert row[address] == "'+371 Rīga"
    assert tables["privacy.Customer"]["rows"][0]["first_name"].startswith(
        "=HYPERLINK"
    )  # JSON keeps the value


def test_a_restricted_customer_still_gets_everything_about_them(subject):
    """§38: restriction limits marketing and analytics, not the subject's own right of access."""
    subject.restricted_since = timezone.now()
    subject.save()
    RecordingFactory(customer=subject)
    _archive, _document, tables = open_package(package_bytes(subject))
    assert len(tables["privacy.Customer"]["rows"]) == 1
    assert len(tables["privacy.Recording"]["rows"]) == 1


# --- the command --------------------------------------------------------------------------------------------


def test_export_subject_data_command_writes_a_private_package_and_logs_it(subject, tmp_path):
    out = tmp_path / "subject.zip"
    stdout = io.StringIO()
    call_command("export_subject_data", subject.customer_number, "--out", str(out), stdout=stdout)
    assert "Wrote" in stdout.getvalue()
    assert os.stat(out).st_mode & 0o777 == 0o600
    _archive, document, _tables = open_package(out.read_bytes())
    assert document["customer_number"] == subject.customer_number
    log = AccessLog.objects.get(object_label="privacy.Customer", object_id=str(subject.pk))
    assert log.action == "download" and log.user is None

    with pytest.raises(CommandError, match="exists"):
        call_command("export_subject_data", subject.customer_number, "--out", str(out))
    call_command("export_subject_data", subject.customer_number, "--out", str(out), "--force", stdout=stdout)
    with pytest.raises(CommandError, match="No customer has the number NOPE"):
        call_command("export_subject_data", "NOPE", "--out", str(tmp_path / "x.zip"))
    with pytest.raises(CommandError, match="does not exist"):
        call_command("export_subject_data", subject.customer_number, "--out", str(tmp_path / "no" / "x.zip"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["subject.zip"]  # no half-written temporaries


# --- the stored package and its download ---------------------------------------------------------------


def _copy_request_in_evaluation(actor, customer):
    subject_request = services.request_register(actor=actor, type="copy", channel="portal", customer=customer)
    services.request_verify_identity(subject_request=subject_request, actor=actor, portal_session_id="s-1")
    return services.request_start_evaluation(subject_request=subject_request, actor=actor)


def test_package_is_stored_privately_with_its_checksum(subject, clerk):
    RecordingFactory(customer=subject, file=ContentFile(RECORDING_BYTES, name="call.wav"))
    subject_request = _copy_request_in_evaluation(clerk, subject)
    package = services.request_build_package(subject_request=subject_request, actor=clerk)
    data = package.file.read()
    assert package.includes_files is True
    assert package.size_bytes == len(data)
    assert package.sha256 == hashlib.sha256(data).hexdigest()
    assert "subject-packages/" in package.file.name and subject.customer_number not in package.file.name
    with pytest.raises(ValueError, match="no public URL"):
        package.file.url  # noqa: B018
    archive, document, _tables = open_package(data)
    assert document["request"] == str(subject_request)
    assert any(name.startswith("files/privacy.recording/") for name in archive.namelist())


def test_only_export_requests_get_a_package(subject, clerk):
    subject_request = services.request_register(
        actor=clerk, type="erasure", channel="portal", customer=subject
    )
    with pytest.raises(Exception, match="Only access, copy and portability"):
        services.request_build_package(subject_request=subject_request, actor=clerk)


def test_download_needs_the_permission_and_every_attempt_is_logged(client, subject, clerk, dpo):
    package = ExportPackageFactory(request__customer=subject)
    url = reverse("requests_app:package-download", args=[package.pk])

    assert client.get(url).status_code == 302  # not logged in: to the admin login
    outsider = UserFactory(username="outsider", is_staff=False)
    client.force_login(outsider)
    assert client.get(url).status_code == 302

    client.force_login(clerk)  # staff, but without the download permission
    assert client.get(url).status_code == 403
    refused = AccessLog.objects.get(action="refused")
    assert (refused.user, refused.object_label, refused.object_id) == (
        clerk,
        "requests_app.ExportPackage",
        str(package.pk),
    )

    client.force_login(dpo)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == package.file.open("rb").read()
    assert f'filename="{package.request}.zip"' in response["Content-Disposition"]
    downloaded = AccessLog.objects.get(action="download")
    assert downloaded.user == dpo and downloaded.object_id == str(package.pk)


def test_download_link_shown_on_the_request_page(admin_client, subject):
    package = ExportPackageFactory(request__customer=subject, request__type=SubjectRequest.Type.PORTABILITY)
    page = admin_client.get(reverse("admin:requests_app_subjectrequest_change", args=[package.request.pk]))
    assert page.status_code == 200
    assert reverse("requests_app:package-download", args=[package.pk]) in page.content.decode()
