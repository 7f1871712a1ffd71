"""Every export passes the one gate, `privacy.selectors.export_rows` (§38–39): a restricted customer and
an erased customer's leftovers (tombstone) are in no admin export, CLI export or audience file; the
paths the restriction explicitly allows (the subject's own package, §38; a held file, §31) still work.

The admin exports are discovered from `admin.site._registry` (every action of every registered
ModelAdmin, and import-export's export view), the CLI exports from the management commands of our
apps, so a new export is covered without touching this file."""

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.core.management import call_command, get_commands
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consents.models import ConsentEvent, ConsentTopic
from consents.services import consent_give
from privacy.models import AccessLog, Customer, LegalHold
from privacy.selectors import ExportPurpose, export_rows, exportable_customers
from requests_app.export import write_package
from tests.consents.factories import ConsentEventFactory
from tests.factories import (
    ContractFactory,
    CustomerFactory,
    InvoiceFactory,
    RecordingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

OUR_APPS = ("privacy", "consents", "requests_app", "retention")
VISIBLE, RESTRICTED, ERASED = "VISIBLE-7731", "RESTRICTED-7732", "ERASED-7733"
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 28


def _customer(number: str, **extra) -> Customer:
    """A customer with everything an export could carry: consents to every commercial-notice topic
    (given at once, so also in the audience), a recent prepaid contract (soft opt-in), an invoice and
    a call recording."""
    customer = CustomerFactory(customer_number=number, email=f"{number.lower()}@example.lv", **extra)
    for code in ConsentTopic.objects.filter(commercial_notice=True).values_list("code", flat=True):
        consent_give(actor=None, customer=customer, topic=code, channel="portal", source="form")
    consent_give(actor=None, customer=customer, topic="surveys", channel="portal", source="form")
    ContractFactory(
        customer=customer, type="prepaid", start_date=timezone.localdate() - datetime.timedelta(days=30)
    )
    InvoiceFactory(customer=customer)
    RecordingFactory(customer=customer, file=ContentFile(WAV, name="call.wav"))
    return customer


@pytest.fixture
def people():
    visible = _customer(VISIBLE)
    restricted = _customer(RESTRICTED)
    restricted.restricted_since = timezone.now() - datetime.timedelta(days=1)
    restricted.save()
    # Leftovers of an erasure: a tombstone with rows still attached (as a write racing the erasure
    # left them). The tombstone is found by its status alone, even without a restriction mark.
    erased = _customer(ERASED)
    Customer.objects.filter(pk=erased.pk).update(
        status=Customer.Status.TOMBSTONE, first_name="", last_name="", email=""
    )
    # Written past the erasure guard (privacy/erasure/guard.py refuses a save on a tombstone), as the
    # bulk import's COPY or a write from before the guard would have left it.
    ConsentEvent.objects.bulk_create([ConsentEventFactory.build(customer=erased, source="left-over")])
    erased.refresh_from_db()
    return visible, restricted, erased


class _Rollback(Exception):
    pass


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _is_file(response) -> bool:
    return "attachment" in response.get("Content-Disposition", "") or response.get(
        "Content-Type", ""
    ).startswith("text/csv")


def _undone(client: Client, method: str, url: str, data: dict) -> tuple[int, bytes, bool]:
    """Send a request and read its answer inside a savepoint that is rolled back: actions that change
    data (a retention run, an erasure step) leave the fixture as it was for the next one."""
    outcome: tuple[int, bytes, bool] = (0, b"", False)
    try:
        with transaction.atomic():
            response = getattr(client, method)(url, data)
            outcome = (response.status_code, _body(response), _is_file(response))
            raise _Rollback
    except _Rollback:
        pass
    return outcome


def _admin_exports(client: Client) -> dict[str, bytes]:
    """Every file the admin hands out from a changelist: each action of each registered ModelAdmin
    with all its rows selected, else with each row alone, and import-export's export view with every
    resource and every column."""
    superuser = UserFactory(username="root", is_superuser=True)
    client.force_login(superuser)
    files: dict[str, bytes] = {}
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        changelist = reverse("admin:{}_{}_changelist".format(*info))
        pks = [str(pk) for pk in model._default_manager.values_list("pk", flat=True)[:50]]
        request = type("Request", (), {"user": superuser, "GET": {}, "POST": {}, "method": "GET"})()
        for name in model_admin.get_actions(request):
            if name == "delete_selected" or not pks:
                continue
            for selection in [pks, *([pk] for pk in pks)]:
                status, body, is_file = _undone(
                    client, "post", changelist, {"action": name, "_selected_action": selection}
                )
                if is_file:
                    files[f"{model._meta.label}.{name}"] = body
                    break
        if hasattr(model_admin, "export_action"):
            url = reverse("admin:{}_{}_export".format(*info))
            for index, resource_class in enumerate(model_admin.get_export_resource_classes(request)):
                resource = resource_class()
                columns = {
                    f"{resource_class.__name__.lower()}_{field.column_name}": "on"
                    for field in resource.get_export_fields()
                }
                status, body, is_file = _undone(
                    client, "post", url, {"format": "0", "resource": str(index), **columns}
                )
                assert is_file, f"{url} gave no file ({status})"
                files[f"{model._meta.label}.export[{resource_class.__name__}]"] = body
    return files


def _export_commands() -> set[str]:
    return {name for name, app in get_commands().items() if app in OUR_APPS and "export" in name}


def _cli_exports(tmp_path: Path, people) -> dict[str, bytes]:
    """Every CLI export with every choice it offers. A new export command must be added here: the
    test fails until it is."""
    visible, restricted, erased = people
    files: dict[str, bytes] = {}
    for channel in ("email", "sms", "phone"):
        out = tmp_path / f"audience-{channel}.csv"
        call_command("export_marketing_audience", channel=channel, out=str(out), stdout=io.StringIO())
        files[f"export_marketing_audience --channel {channel}"] = out.read_bytes()
    # The subject's own package of an unrestricted customer: no one else is in it.
    out = tmp_path / "package.zip"
    call_command("export_subject_data", VISIBLE, out=str(out), with_files=True, stdout=io.StringIO())
    files["export_subject_data (another customer's package)"] = _unzipped(out.read_bytes())
    assert set(files_commands := {key.split()[0] for key in files}) == _export_commands(), (
        f"export commands not covered: {_export_commands() - files_commands}"
    )
    return files


def _unzipped(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return b"\n".join(archive.read(name) for name in archive.namelist())


def test_no_export_path_lets_out_a_restricted_or_erased_customer_38_39(client, tmp_path, people):
    """§38: "ierobežot apstrādi"; §39: what an erasure keeps is kept under a legal duty, not for use.
    Neither the restricted customer nor the tombstone's leftovers appear in any admin export, admin
    audience file or CLI export; the unrestricted customer does (so each path really exported)."""
    files = {**_admin_exports(client), **_cli_exports(tmp_path, people)}
    expected = {
        "consents.ConsentEvent.export[ConsentEventResource]",
        "consents.Consent.export[ConsentResource]",
        "consents.ConsentTopic.export_audience",
        "export_marketing_audience --channel email",
    }
    assert expected <= set(files), sorted(files)
    for path in expected:
        assert VISIBLE.encode() in files[path], f"{path}: the export is empty, nothing was checked"
    for path, body in files.items():
        for number in (RESTRICTED, ERASED):
            assert number.encode() not in body, f"{path} lets out {number}"
        assert b"left-over" not in body, f"{path} lets out an erasure leftover"


def test_the_subjects_own_package_includes_restricted_data_38(people):
    """Allowed path, §38: a restriction limits the controller, not the subject's access to their own
    data (GDPR Art. 15, 20): the restricted customer's package holds their consents and invoices."""
    _visible, restricted, _erased = people
    out = io.BytesIO()
    summary = write_package(restricted, out)
    assert summary.rows["consents.ConsentEvent"] >= 4
    assert summary.rows["privacy.Invoice"] == 1
    assert RESTRICTED.encode() in _unzipped(out.getvalue())


def test_a_restricted_or_erased_customers_package_and_letters_download_38_42(client, people):
    """Allowed path, §38, §42: the package and the letters answering a request are the subject's own;
    a restriction or an erasure does not stop them reaching the subject."""
    from requests_app.models import ExportPackage, Letter, SubjectRequest
    from tests.requests_app.factories import ExportPackageFactory, SubjectRequestFactory

    _visible, restricted, erased = people
    client.force_login(UserFactory(username="dpo-letters", is_superuser=True))
    for customer in (restricted, erased):
        # The request came before the erasure: written past the erasure guard, which refuses anything
        # new on a tombstone (privacy/erasure/guard.py).
        (subject_request,) = SubjectRequest.objects.bulk_create(
            [SubjectRequestFactory.build(customer=customer, registered_by=UserFactory())]
        )
        (package,) = ExportPackage.objects.bulk_create(
            [ExportPackageFactory.build(request=subject_request, created_by=UserFactory())]
        )
        (letter,) = Letter.objects.bulk_create(
            [
                Letter(
                    request=subject_request,
                    kind=Letter.Kind.ACKNOWLEDGEMENT,
                    language="lv",
                    pdf=ContentFile(b"%PDF-1.4", name="letter.pdf"),
                    pdf_sha256="0" * 64,
                    created_by=UserFactory(username=f"writer-{customer.pk}"),
                )
            ]
        )
        assert client.get(reverse("requests_app:package-download", args=[package.pk])).status_code == 200
        assert client.get(reverse("requests_app:letter-file", args=[letter.pk, "pdf"])).status_code == 200


def test_a_restricted_customers_recording_downloads_only_under_a_legal_hold_31_38(client, people):
    """FILE_DOWNLOAD: a restricted customer's call recording is refused (and the refusal logged) until
    a legal hold keeps the customer for a legal claim (§31); an unrestricted one downloads."""
    visible, restricted, erased = people
    dpo = UserFactory(username="dpo-download", is_superuser=True)
    client.force_login(dpo)

    def download(customer):
        recording = customer.recordings.get()
        return client.get(reverse("privacy:recording-file", args=[recording.pk]))

    assert download(visible).status_code == 200
    for customer in (restricted, erased):
        refused = download(customer)
        assert (
            refused.status_code == 403 and "restricted or the customer was erased" in refused.content.decode()
        )
    assert AccessLog.objects.filter(action=AccessLog.Action.REFUSED).count() == 2
    LegalHold.objects.create(customer=restricted, reason="court case", set_by=dpo)
    response = download(restricted)
    assert response.status_code == 200 and _body(response) == WAV


def test_the_gate_per_purpose(people):
    visible, restricted, erased = people
    assert set(exportable_customers(purpose=ExportPurpose.STAFF_EXPORT)) == {visible}
    assert set(exportable_customers(purpose=ExportPurpose.MARKETING)) == {visible}
    assert set(exportable_customers(purpose=ExportPurpose.SUBJECT_ACCESS)) == {visible, restricted, erased}
    with pytest.raises(ValueError):
        export_rows(Customer.objects.all(), purpose="analytics")
