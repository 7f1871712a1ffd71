"""Consent files as they really arrive (§47, §48, §60): import profiles, matching people by e-mail,
phone, personal code or portal user number, opt-outs by people the register does not know, spreadsheets.

§48: "Klientam ir tiesības jebkurā brīdī atsaukt datu apstrādei doto piekrišanu tādā pat veidā, kādā tā ir
sniegta" — the e-mail platform's and the SMS gateway's exports are such ways, and must not be rewritten
by hand first. §60: "Atsevišķos gadījumos pieprasījuma apstrāde var prasīt laiku līdz 2 dienām."
"""

import datetime
import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from consents.importer import run_import
from consents.importer.mapping import DEFAULT, Mapping, normalise_phone
from consents.models import Consent, ConsentEvent, ImportProfile
from privacy.models import Customer, SuppressionEntry
from privacy.suppression import contact_hash, is_suppressed
from tests.factories import CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db
BACKENDS = ["postgres", "orm"]

UNSUB_HEADER = "Email Address,First Name,Last Name,UNSUB_TIME,UNSUB_CAMPAIGN_TITLE"


def text_file(*lines: str) -> io.BytesIO:
    return io.BytesIO(("\n".join(lines) + "\n").encode("utf-8"))


def profile(code: str) -> ImportProfile:
    return ImportProfile.objects.get(code=code)


def import_with_profile(code: str, handle, file_name: str, staff, backend: str, **options):
    """A file as it arrives, read through the shipped import profile `code`."""
    return run_import(
        handle, file_name=file_name, actor=staff, backend=backend, mapping=profile(code).mapping(), **options
    )


def import_unsubscribes(*lines: str, staff, backend: str, mapping: Mapping | None = None):
    """Lines of an e-mail platform's unsubscribe export (after its header), through its profile."""
    return run_import(
        text_file(UNSUB_HEADER, *lines),
        file_name="u.csv",
        actor=staff,
        backend=backend,
        mapping=mapping or profile("email-platform-unsubscribes").mapping(),
    )


@pytest.fixture
def staff():
    return UserFactory(username="importer")


def test_shipped_profiles_exist_and_the_default_is_our_own_layout():
    default = ImportProfile.objects.get(is_default=True)
    assert default.mapping() == DEFAULT
    assert profile("email-platform-unsubscribes").match_key == "email"
    assert profile("sms-gateway-stop").match_key == "phone"
    assert profile("default").history.count() >= 0


@pytest.mark.parametrize("backend", BACKENDS)
def test_unsubscribe_export_matches_emails_in_any_case_and_suppresses_unknown_addresses(backend, staff):
    """§48, §60: the e-mail platform's unsubscribe export, as it arrives: mixed case and spaces in the
    addresses, names we do not need, and addresses of people the register does not know."""
    anna = CustomerFactory(customer_number="C100", email="Anna.Berzina@Example.lv")
    CustomerFactory(customer_number="C200", email="janis@example.lv")
    handle = text_file(
        UNSUB_HEADER,
        "  ANNA.berzina@example.LV ,Anna,Bērziņa,2024-05-01 10:00:00,November offers",
        "stranger@Example.com,Zane,Ozola,2024-05-02 11:00:00,November offers",
        "stranger@example.com ,Zane,Ozola,2024-05-03 11:00:00,December offers",
    )
    result = import_with_profile(
        "email-platform-unsubscribes",
        handle,
        "unsubs.csv",
        staff,
        backend,
        profile="email-platform-unsubscribes",
    )
    assert result.ok, result.errors
    assert result.applied
    assert (result.new_events, result.unknown_opt_outs, result.suppressed) == (1, 2, 1)
    assert result.duplicates == 0
    event = ConsentEvent.objects.get()
    assert (event.customer_id, event.topic.code, event.action, event.channel, event.source) == (
        anna.pk,
        "marketing_email",
        "withdrawn",
        "email",
        "November offers",
    )
    assert Consent.objects.get(customer=anna).status == "withdrawn"
    # The unknown address is kept only as a keyed hash, and is not marketed to when it comes back.
    entry = SuppressionEntry.objects.get()
    assert entry.contact_hash == contact_hash("stranger@example.com") and "stranger" not in entry.contact_hash
    assert is_suppressed(channel="email", email=" Stranger@EXAMPLE.com")
    assert entry.history.count() == 1


def test_the_preview_counts_unknown_opt_outs_apart_and_suppresses_nothing(staff):
    CustomerFactory(customer_number="C100", email="anna@example.lv")
    handle = text_file(
        UNSUB_HEADER,
        "anna@example.lv,Anna,B,2024-05-01 10:00:00,x",
        "nobody@example.lv,N,N,2024-05-01 10:00:00,x",
    )
    mapping = profile("email-platform-unsubscribes").mapping()
    result = run_import(handle, file_name="u.csv", actor=staff, dry_run=True, mapping=mapping)
    assert result.ok and (result.new_events, result.unknown_opt_outs, result.suppressed) == (1, 1, 0)
    assert not SuppressionEntry.objects.exists() and not ConsentEvent.objects.exists()


@pytest.mark.parametrize("backend", BACKENDS)
def test_consent_given_by_an_unknown_email_is_an_error_on_its_line(backend, staff):
    """§46–47: a consent needs a person; only a withdrawal by an unknown contact is kept (hashed)."""
    mapping = Mapping(
        match="email",
        columns={"email": "email", "occurred_at": "at"},
        constants={"topic": "marketing_email", "action": "given", "channel": "email"},
    )
    result = run_import(
        text_file("email,at", "nobody@example.lv,2024-05-01 10:00"),
        file_name="g.csv",
        actor=staff,
        backend=backend,
        mapping=mapping,
    )
    assert [(e.line, e.column, e.message) for e in result.errors] == [
        (2, "email", "No customer has this e-mail address.")
    ]
    assert not result.applied and not SuppressionEntry.objects.exists()


@pytest.mark.parametrize("backend", BACKENDS)
def test_sms_stop_list_in_three_phone_formats_matches_one_customer(backend, staff):
    """§60: STOP replies by SMS; "29 123 456", "+371 29123456" and "0037129123456" are one number."""
    peteris = CustomerFactory(customer_number="C300", phone="+371 29123456")
    handle = text_file(
        "msisdn,received_at",
        "29 123 456,01.05.2024 10:00:00",
        "+371 29123456,02.05.2024 10:00:00",
        "0037129123456,03.05.2024 10:00:00",
        "+371 26 000 000,03.05.2024 10:00:00",
    )
    result = import_with_profile("sms-gateway-stop", handle, "stop.csv", staff, backend)
    assert result.ok, result.errors
    assert result.new_events == 3 and result.unknown_opt_outs == 1
    assert set(ConsentEvent.objects.values_list("customer_id", flat=True)) == {peteris.pk}
    assert Consent.objects.get(customer=peteris).status == "withdrawn"
    assert is_suppressed(channel="sms", phone="26000000")
    assert not is_suppressed(channel="sms", phone="29123456")


def test_phone_numbers_normalise_to_e164_with_latvia_by_default():
    assert {normalise_phone(v) for v in ("29 123 456", "+371 29123456", "0037129123456")} == {"37129123456"}
    assert normalise_phone("+44 20 7946 0958") == "442079460958"
    assert normalise_phone("abc") == normalise_phone("") == ""


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_key_matching_two_customers_is_an_error_naming_both(backend, staff):
    CustomerFactory(customer_number="C401", email="family@example.lv")
    CustomerFactory(customer_number="C402", email=" Family@Example.lv")
    result = import_unsubscribes("family@example.lv,A,B,2024-05-01 10:00:00,x", staff=staff, backend=backend)
    assert [(e.line, e.column, e.message) for e in result.errors] == [
        (2, "email", "Matches more than one customer: C401, C402.")
    ]
    assert not ConsentEvent.objects.exists()


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_erased_customers_email_never_matches(backend, staff):
    """§38–39: a tombstone keeps no consents; its contact is treated as unknown (a withdrawal goes onto
    the suppression list, a consent is refused)."""
    CustomerFactory(customer_number="C500", email="gone@example.lv", status=Customer.Status.TOMBSTONE)
    line = "gone@example.lv,A,B,2024-05-01 10:00:00,x"
    result = import_unsubscribes(line, staff=staff, backend=backend)
    assert result.ok and result.new_events == 0 and result.unknown_opt_outs == 1
    assert not ConsentEvent.objects.exists()
    given = profile("email-platform-unsubscribes").mapping().overridden(constants={"action": "given"})
    result = import_unsubscribes(line, staff=staff, backend=backend, mapping=given)
    assert [(e.line, e.message) for e in result.errors] == [(2, "No customer has this e-mail address.")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_emails_stored_in_another_form_match_as_stored_lower_case_ones_do(backend, staff):
    """§48: on PostgreSQL, addresses stored in the compared form (lower case, no spaces around) are matched
    by plain equality and the others through a partial index (migration consents 0012): both kinds
    match, together they are one ambiguous key, and an erased customer's never matches."""
    plain = CustomerFactory(customer_number="C601", email="liga@example.lv")
    mixed = CustomerFactory(customer_number="C602", email=" Zane.Ozola@EXAMPLE.lv ")
    CustomerFactory(customer_number="C603", email="Kaspars@Example.lv", status=Customer.Status.TOMBSTONE)
    CustomerFactory(customer_number="C604", email="kaspars@example.lv", status=Customer.Status.TOMBSTONE)
    CustomerFactory(customer_number="C605", email="toms@example.lv")
    CustomerFactory(customer_number="C606", email="TOMS@example.lv")
    result = import_unsubscribes(
        "LIGA@example.lv,A,B,2024-05-01 10:00:00,x",
        "zane.ozola@example.lv,A,B,2024-05-01 10:00:00,x",
        "kaspars@example.lv,A,B,2024-05-01 10:00:00,x",
        staff=staff,
        backend=backend,
    )
    assert result.ok, result.errors
    assert (result.new_events, result.unknown_opt_outs) == (2, 1)
    assert set(ConsentEvent.objects.values_list("customer_id", flat=True)) == {plain.pk, mixed.pk}
    result = import_unsubscribes(" Toms@Example.LV,A,B,2024-05-01 10:00:00,x", staff=staff, backend=backend)
    assert [(e.line, e.message) for e in result.errors] == [
        (2, "Matches more than one customer: C605, C606.")
    ]


@pytest.mark.parametrize("backend", BACKENDS)
def test_personal_codes_match_with_or_without_hyphen(backend, staff):
    a = CustomerFactory(customer_number="C601", personal_code="010190-12345")
    b = CustomerFactory(customer_number="C602", personal_code="02029012346")
    mapping = Mapping(
        match="personal_code",
        columns={"personal_code": "pk", "occurred_at": "at", "action": "action"},
        constants={"topic": "surveys", "channel": "application_form"},
    )
    result = run_import(
        text_file(
            "pk,at,action", "01019012345,2024-05-01 10:00,given", "020290-12346,2024-05-01 10:00,given"
        ),
        file_name="p.csv",
        actor=staff,
        backend=backend,
        mapping=mapping,
    )
    assert result.ok, result.errors
    assert set(ConsentEvent.objects.values_list("customer_id", flat=True)) == {a.pk, b.pk}


def test_portal_user_number_is_a_match_key(staff):
    c = CustomerFactory(customer_number="C700", portal_user_number="P-77")
    mapping = Mapping(
        match="portal_user_number",
        columns={"portal_user_number": "user", "occurred_at": "at", "topic": "choice"},
        constants={"action": "given", "channel": "banner", "source": "portal banner"},
    )
    result = run_import(
        text_file("user;at;choice", "P-77;2024-05-01T10:00:00;surveys"), file_name="b.csv", mapping=mapping
    )
    assert result.ok, result.errors
    assert ConsentEvent.objects.get().customer_id == c.pk


def test_a_profile_column_missing_from_the_file_is_a_header_error(staff):
    result = run_import(
        text_file("Email,UNSUB_TIME", "a@example.lv,2024-05-01 10:00:00"),
        file_name="u.csv",
        mapping=profile("email-platform-unsubscribes").mapping(),
    )
    assert {(e.line, e.column) for e in result.errors} == {(1, "email"), (1, "source")}


def test_a_date_not_in_the_profiles_format_is_an_error_on_its_line(staff):
    CustomerFactory(customer_number="C100", email="anna@example.lv")
    result = run_import(
        text_file(UNSUB_HEADER, "anna@example.lv,A,B,01.05.2024 10:00,x"),
        file_name="u.csv",
        mapping=profile("email-platform-unsubscribes").mapping(),
    )
    assert [(e.line, e.column) for e in result.errors] == [(2, "occurred_at")]


# --- The command line ---------------------------------------------------------------------------------


def test_command_reads_a_one_off_file_with_map_and_set_and_no_profile(tmp_path, staff, capsys):
    """The issue's example: an unsubscribe file imported without a profile."""
    anna = CustomerFactory(customer_number="C100", email="anna@example.lv")
    path = tmp_path / "unsubs.csv"
    path.write_text(
        UNSUB_HEADER + "\nAnna@example.lv,A,B,2024-05-01 10:00:00,Nov\nx@y.lv,X,Y,2024-05-01 10:00:00,N\n"
    )
    call_command(
        "import_consents",
        str(path),
        "--match",
        "email",
        "--map",
        "email=Email Address",
        "--map",
        "occurred_at=UNSUB_TIME",
        "--set",
        "topic=marketing_email",
        "--set",
        "action=withdrawn",
        "--set",
        "channel=email",
        "--set",
        "source=e-mail platform",
    )
    event = ConsentEvent.objects.get()
    assert (event.customer_id, event.source) == (anna.pk, "e-mail platform")
    assert "suppression list" in capsys.readouterr().out
    assert is_suppressed(channel="email", email="x@y.lv")


def test_command_profile_with_an_override(tmp_path, staff):
    CustomerFactory(customer_number="C100", email="anna@example.lv")
    path = tmp_path / "unsubs.csv"
    path.write_text(UNSUB_HEADER + "\nanna@example.lv,A,B,2024-05-01 10:00:00,Nov\n")
    call_command(
        "import_consents", str(path), "--profile", "email-platform-unsubscribes", "--set", "source=platform X"
    )
    assert ConsentEvent.objects.get().source == "platform X"


def test_command_refuses_an_unknown_profile_or_field(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a\n")
    with pytest.raises(CommandError, match="No import profile"):
        call_command("import_consents", str(path), "--profile", "nope")
    with pytest.raises(CommandError, match="FIELD"):
        call_command("import_consents", str(path), "--set", "customer_id=5")


# --- Spreadsheets -------------------------------------------------------------------------------------


def xlsx(rows, *, formula_without_value: bool = False) -> io.BytesIO:
    """A workbook as Excel saves it: formula cells carry their cached value (openpyxl writes none, so
    the value is put in by hand, as Excel would)."""
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    if formula_without_value:
        return io.BytesIO(buffer.getvalue())

    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                # Excel saves a text result as t="str" with the value after the formula.
                data = data.replace(b'<c r="C3"><f>', b'<c r="C3" t="str"><f>').replace(
                    b"</f><v /></c>", b"</f><v>withdrawn</v></c>"
                )
            target.writestr(item, data)
    return io.BytesIO(out.getvalue())


PAPER_FORM = [
    ["Klienta numurs", "Tēma", "Lēmums", "Datums", "Avots"],
    ["C100", "surveys", "given", datetime.datetime(2024, 5, 1, 10, 0), "Iesniegums Nr. 5, Šķēde"],
    ["C100", "surveys", '=IF(1=1,"withdrawn","given")', datetime.datetime(2024, 5, 2, 10, 0), "Ģirts Ēķis"],
]
PAPER_MAPPING = Mapping(
    columns={
        "customer_number": "Klienta numurs",
        "topic": "Tēma",
        "action": "Lēmums",
        "occurred_at": "Datums",
        "source": "Avots",
    },
    constants={"channel": "application_form"},
)


@pytest.mark.parametrize("backend", BACKENDS)
def test_xlsx_paper_form_with_latvian_letters_and_a_formula_cell(backend, staff):
    """§47: "Klients piekrišanu ... var sniegt ... Balticom pakalpojumu pieteikšanas formās" — paper forms
    typed into a spreadsheet. The formula cell gives its saved value; nothing is evaluated."""
    anna = CustomerFactory(customer_number="C100")
    result = run_import(
        xlsx(PAPER_FORM), file_name="forms.xlsx", actor=staff, backend=backend, mapping=PAPER_MAPPING
    )
    assert result.ok, result.errors
    assert result.encoding == "xlsx" and result.rows == 2
    assert list(ConsentEvent.objects.order_by("occurred_at").values_list("action", "source")) == [
        ("given", "Iesniegums Nr. 5, Šķēde"),
        ("withdrawn", "Ģirts Ēķis"),
    ]
    assert Consent.objects.get(customer=anna).status == "withdrawn"
    first = ConsentEvent.objects.order_by("occurred_at").first()
    assert first.occurred_at == datetime.datetime(2024, 5, 1, 7, 0, tzinfo=datetime.UTC)  # Riga summer time


def test_xlsx_formula_without_a_saved_value_is_an_error_on_its_sheet_row(staff):
    CustomerFactory(customer_number="C100")
    result = run_import(
        xlsx(PAPER_FORM, formula_without_value=True),
        file_name="forms.xlsx",
        actor=staff,
        mapping=PAPER_MAPPING,
    )
    assert [(e.line, e.column, e.message) for e in result.errors] == [
        (3, "action", "A formula without a saved value.")
    ]
    assert not ConsentEvent.objects.exists()


def test_xlsx_errors_name_the_sheets_row_numbers(staff):
    CustomerFactory(customer_number="C100")
    rows = [PAPER_FORM[0], PAPER_FORM[1], [], [], ["C100", "nope", "given", "2024-05-01 10:00", "x"]]
    result = run_import(xlsx(rows), file_name="forms.xlsx", actor=staff, mapping=PAPER_MAPPING)
    assert [(e.line, e.column) for e in result.errors] == [(5, "topic")]


def test_a_broken_xlsx_is_an_error_not_a_crash(staff):
    result = run_import(io.BytesIO(b"PK\x03\x04 not really"), file_name="x.xlsx", actor=staff)
    assert result.errors[0].line == 0 and not result.applied


# --- The admin -----------------------------------------------------------------------------------------


def test_admin_upload_with_a_profile_shows_the_first_rows_against_the_mapping_then_the_preview(client):
    """§60: the unsubscribe export is uploaded as it came; the page shows how its columns are read."""
    from django.contrib.auth.models import Group
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from consents.models import ConsentImport
    from privacy.roles import AGENT

    agent = UserFactory(username="agent")
    agent.groups.add(Group.objects.get(name=AGENT.group))
    client.force_login(agent)
    CustomerFactory(customer_number="C100", email="anna@example.lv")
    body = "\n".join(
        [
            UNSUB_HEADER,
            "ANNA@example.lv,Anna,B,2024-05-01 10:00:00,Nov",
            "z@example.lv,Z,O,2024-05-01 10:00:00,Nov",
        ]
    )
    response = client.post(
        reverse("admin:consents_consentevent_import"),
        {
            "format": "0",
            "resource": "0",
            "profile": profile("email-platform-unsubscribes").pk,
            "import_file": SimpleUploadedFile("unsubs.csv", body.encode(), content_type="text/csv"),
        },
    )
    job = ConsentImport.objects.get()
    assert job.profile.code == "email-platform-unsubscribes"
    page = client.get(response["Location"])
    first = page.context["first_rows"]
    assert ("email", "Email Address", "") in first["fields"]
    assert ("action", None, "withdrawn") in first["fields"]
    assert first["rows"][0] == (
        2,
        ["ANNA@example.lv", "marketing_email", "withdrawn", "email", "2024-05-01 10:00:00", "Nov", ""],
    )
    content = page.content.decode()
    assert "Email Address" in content and content.index("import-first-rows") < content.index('class="counts"')
    result = page.context["result"]
    assert (result.new_events, result.unknown_opt_outs) == (1, 1)
    client.post(reverse("admin:consents_consentevent_process_import"), {"job_id": job.pk})
    assert ConsentEvent.objects.count() == 1 and SuppressionEntry.objects.count() == 1


def test_admin_accepts_an_xlsx_upload(client):
    from django.contrib.auth.models import Group
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from consents.models import ConsentImport
    from privacy.roles import AGENT

    agent = UserFactory(username="agent")
    agent.groups.add(Group.objects.get(name=AGENT.group))
    client.force_login(agent)
    CustomerFactory(customer_number="C100")
    rows = [list(HEADER_DEFAULT), ["C100", "surveys", "given", "portal", "2024-05-01 10:00", "Šķēde", ""]]
    client.post(
        reverse("admin:consents_consentevent_import"),
        {
            "format": "0",
            "resource": "0",
            "import_file": SimpleUploadedFile(
                "forms.xlsx",
                xlsx(rows).getvalue(),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ),
        },
    )
    job = ConsentImport.objects.get()
    assert job.status == ConsentImport.Status.READY, job.result
    assert job.profile.is_default and job.lines == 2


@pytest.mark.parametrize("role_key", ["auditor", "data_protection_officer"])
def test_roles_that_do_not_import_cannot_change_a_profile_by_a_forged_post(client, role_key):
    from django.contrib.auth.models import Group
    from django.urls import reverse

    from privacy.roles import ROLES

    user = UserFactory(username=role_key)
    user.groups.add(Group.objects.get(name=next(r for r in ROLES if r.key == role_key).group))
    client.force_login(user)
    target = profile("email-platform-unsubscribes")
    url = reverse("admin:consents_importprofile_change", args=[target.pk])
    assert client.get(url).status_code == 200  # may look
    response = client.post(
        url,
        {"name": "hijacked", "code": target.code, "match_key": "email", "columns": "{}", "constants": "{}"},
    )
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.name != "hijacked"


def test_the_agent_edits_a_profile_and_the_change_has_history(client):
    from django.contrib.auth.models import Group
    from django.urls import reverse

    from privacy.roles import AGENT

    agent = UserFactory(username="agent")
    agent.groups.add(Group.objects.get(name=AGENT.group))
    client.force_login(agent)
    target = profile("sms-gateway-stop")
    response = client.post(
        reverse("admin:consents_importprofile_change", args=[target.pk]),
        {
            "name": target.name,
            "code": target.code,
            "match_key": "phone",
            "columns": '{"phone": "Number", "occurred_at": "received_at"}',
            "constants": '{"topic": "marketing_sms", "action": "withdrawn", "channel": "other"}',
            "date_format": "%d.%m.%Y %H:%M:%S",
            "encoding": "",
            "delimiter": ";",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    target.refresh_from_db()
    assert target.columns["phone"] == "Number" and target.delimiter == ";"
    assert target.history.latest().history_user == agent
    bad = client.post(
        reverse("admin:consents_importprofile_change", args=[target.pk]),
        {
            "name": "x",
            "code": target.code,
            "match_key": "phone",
            "columns": '{"customer_id": "X"}',
            "constants": "{}",
        },
    )
    assert bad.status_code == 200 and "columns" in bad.context["adminform"].form.errors


HEADER_DEFAULT = ("customer_number", "topic", "action", "channel", "occurred_at", "source", "policy_version")


@pytest.mark.parametrize("backend", BACKENDS)
def test_extreme_values_in_a_profiles_file_are_errors_on_their_lines_not_crashes(backend, staff):
    """Year 9999, a 5,000-character phone number, a NUL: each an error on its own line; nothing applied."""
    CustomerFactory(customer_number="C300", phone="29123456")
    long_phone = "2" * 5000
    handle = io.BytesIO(
        "\n".join(
            [
                "msisdn,received_at",
                "29123456,01.05.9999 10:00:00",
                f"{long_phone},01.05.2024 10:00:00",
                "29123456,01.05.2024 10:00:00\x00",
                "29123456,01.05.2024 10:00:00",
            ]
        ).encode()
    )
    result = import_with_profile("sms-gateway-stop", handle, "stop.csv", staff, backend)
    assert [(e.line, e.column) for e in result.errors] == [(2, "occurred_at"), (3, "phone"), (4, "")]
    assert result.errors[1].message == "Not a phone number."
    assert not result.applied and not ConsentEvent.objects.exists() and not SuppressionEntry.objects.exists()
