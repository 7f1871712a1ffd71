"""One reader for the consent CSV, whoever hands the file in: the admin (a Django `File` from private
storage) and `import_consents` (a file on disk) give the same result for the same bytes, line numbers
included. No silent mojibake: a UTF-8 file with bytes of another encoding on some lines is refused,
naming them; a genuine Windows-1257 file imports; the result and the preview say which encoding was
used. Each line of a file is one record (§46–49: every decision on its own line of the ledger)."""

import contextlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from consents.importer import run_import
from consents.importer.reading import inspect_file
from consents.importer.result import ImportResult, RowError
from consents.management.commands.import_consents import format_error, summary_lines
from consents.models import ConsentEvent, ConsentImport
from tests.factories import CustomerFactory, UserFactory

from .conftest import staff_with

pytestmark = pytest.mark.django_db

HEADER = b"customer_number,topic,action,channel,occurred_at,source,policy_version"
ROW1 = "C1,surveys,given,portal,2024-05-01T10:00:00,Rīga – Ķekava,".encode()
ROW2 = "C2,usage_analysis,withdrawn,app,2024-05-02T11:00:00,Līga Šņore,".encode()
IMPORT_URL = reverse("admin:consents_consentevent_import")


def _lines(*lines: bytes, end: bytes = b"\n") -> bytes:
    return end.join(lines) + end


#: name -> the file's bytes. Every one goes through both ways in (admin upload, command line).
FIXTURES = {
    "lf": _lines(HEADER, ROW1, ROW2),
    "crlf": _lines(HEADER, ROW1, ROW2, end=b"\r\n"),
    "bare-cr (old Mac Excel)": _lines(HEADER, ROW1, ROW2, end=b"\r"),
    "bom": b"\xef\xbb\xbf" + _lines(HEADER, ROW1, ROW2, end=b"\r\n"),
    "no final line end": _lines(HEADER, ROW1) + ROW2,
    "empty lines": _lines(HEADER, b"", ROW1, b"   ", b"", ROW2, b"", b""),
    "quoted newline inside a field": _lines(
        HEADER, ROW1, b'C2,usage_analysis,given,app,2024-05-02T11:00:00,"call', b'centre",', ROW2
    ),
    # A CR inside a field of an LF file: the admin once counted 7 lines (LF) and reported an error on
    # "line 8" (its iteration split on the CR too). Now a CR is a line end for the count as well.
    "cr inside a line": _lines(
        HEADER, ROW1, b"C2,surveys,given,app,2024-05-02T11:00:00,call\rcentre,", ROW2, b"", b"", b""
    ),
    "trailing junk": _lines(HEADER, ROW1, ROW2, b"", b"Total: 2 rows") + b"\x1a",
    "windows-1257": _lines(
        HEADER, "C1,surveys,given,portal,2024-05-01T10:00:00,Rīga – Ķekava,".encode("cp1257"), end=b"\r\n"
    ),
    "utf-8 with one stray latin-1 byte": _lines(
        HEADER, ROW1, b"C2,surveys,given,app,2024-05-02T11:00:00,caf\xe9,", ROW2
    ),
    "header only": _lines(HEADER),
}


@pytest.fixture
def customers():
    CustomerFactory(customer_number="C1")
    CustomerFactory(customer_number="C2")


def _by_admin(client, name: str, body: bytes) -> tuple[list[str], list[str]]:
    """Upload through the admin (its preview is a dry run); the summary and errors as the command
    would print them."""
    response = client.post(
        IMPORT_URL,
        {
            "format": "0",
            "resource": "0",
            "import_file": SimpleUploadedFile(name, body, content_type="text/csv"),
        },
    )
    assert response.status_code in (200, 302), response.content[:300]
    if response.status_code == 200:  # refused by the upload form (e.g. an empty file)
        return [], [str(error) for error in response.context["form"].errors.get("import_file", [])]
    job = ConsentImport.objects.latest("pk")
    result = ImportResult.from_dict(job.result)
    return summary_lines(result)[:1], [format_error(error) for error in result.errors]


def _by_command(tmp_path, name: str, body: bytes) -> tuple[list[str], list[str]]:
    path = tmp_path / name
    path.write_bytes(body)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.suppress(CommandError):  # a file with errors: the command exits with an error
        call_command("import_consents", str(path), "--dry-run", stdout=out, stderr=err)
    errors = [line for line in err.getvalue().splitlines() if line.startswith(("line ", "file"))]
    return out.getvalue().splitlines()[:1], errors


@pytest.mark.parametrize("fixture", list(FIXTURES))
def test_the_admin_and_the_command_read_a_file_the_same_way(client, tmp_path, customers, fixture):
    """Same summary (encoding, delimiter, rows) and same errors, line numbers included."""
    client.force_login(staff_with("view_consentevent", "import_consentevent", "view_consentimport"))
    name = "consents.csv"
    admin_summary, admin_errors = _by_admin(client, name, FIXTURES[fixture])
    cli_summary, cli_errors = _by_command(tmp_path, name, FIXTURES[fixture])
    assert admin_errors == cli_errors
    assert admin_summary == cli_summary
    lines = inspect_file(io.BytesIO(FIXTURES[fixture])).lines
    assert all(
        int(error.split()[1].rstrip(":,")) <= lines for error in cli_errors if error.startswith("line ")
    )


def _result(body: bytes, **kwargs):
    return run_import(io.BytesIO(body), file_name="f.csv", actor=UserFactory(username="imp"), **kwargs)


def test_bare_cr_line_ends_import_on_both_ways(customers):
    result = _result(FIXTURES["bare-cr (old Mac Excel)"])
    assert result.ok and result.rows == 2 and result.lines == 3


def test_a_cr_inside_a_line_is_a_line_end_and_numbers_agree(customers):
    """7 LF lines and a CR: 8 lines by every count; the broken record is reported on lines 3 and 4."""
    result = _result(FIXTURES["cr inside a line"])
    assert result.lines == 8
    assert {error.line for error in result.errors} == {3, 4}


def test_quoted_newline_spoils_its_two_lines_only(customers):
    result = _result(FIXTURES["quoted newline inside a field"])
    assert [error.line for error in result.errors] == [3, 4]
    assert result.rows == 2  # rows 2 and 5 are read (nothing is applied: the file has errors)


def test_lines_of_every_line_end_kind_in_big_blocks():
    """The reader decodes in 1 MB blocks: a CR LF or a multi-byte letter split between two blocks is
    read whole."""
    from consents.importer.reading import iter_lines

    body = ("Ā" * 524_287 + "\r\n" + "ž\r" + "x" * (1 << 20) + "\n").encode()
    assert [len(line) for line in iter_lines(io.BytesIO(body), "utf-8")] == [524_287, 1, 1 << 20]
    assert inspect_file(io.BytesIO(body)).lines == 3


# --- No silent mojibake --------------------------------------------------------------------------


def test_utf8_file_with_a_stray_latin1_byte_is_refused_naming_the_line(customers):
    """Before: read as Windows-1257, "Rīga – Ķekava" stored as "RÄ«ga â€“ Ä¶ekava", no warning."""
    result = _result(FIXTURES["utf-8 with one stray latin-1 byte"])
    assert not result.ok and not result.applied
    assert result.errors[0] == RowError(0, "", result.errors[0].message)
    assert "UTF-8 except on 1 line" in result.errors[0].message
    assert [(error.line, error.message) for error in result.errors[1:]] == [
        (3, "Not valid UTF-8, unlike the rest of the file.")
    ]
    assert ConsentEvent.objects.count() == 0


def test_a_stray_byte_beside_the_only_latvian_letters_is_refused_too(customers):
    """One line of letters beyond ASCII, UTF-8 but for one Latin-1 byte: no line is wholly UTF-8, yet
    "Rīga" in UTF-8 tells the file is not Windows-1257 (where it would read "RÄ«ga")."""
    body = _lines(HEADER, b"C1,surveys,given,portal,2024-05-01T10:00:00,R\xc4\xabga caf\xe9,")
    result = _result(body)
    assert [error.line for error in result.errors] == [0, 2]
    assert ConsentEvent.objects.count() == 0


def test_utf8_file_with_many_bad_lines_names_each_one(customers):
    body = _lines(HEADER, *[ROW1] * 5, *[b"C1,surveys,given,portal,2024-05-01T10:00:00,\xe0 la,"] * 3, ROW2)
    result = _result(body)
    assert [error.line for error in result.errors] == [0, 7, 8, 9]


def test_windows_1257_file_with_one_utf8_line_is_refused_naming_it(customers):
    cp = "C1,surveys,given,portal,2024-05-01T10:00:00,Rīga – Ķekava,".encode("cp1257")
    body = _lines(HEADER, cp, cp, cp, ROW2)
    result = _result(body)
    assert [(error.line, error.column) for error in result.errors] == [(0, ""), (5, "")]
    assert "Windows-1257 except on 1 line" in result.errors[0].message


def test_genuine_windows_1257_file_imports_with_its_letters(customers):
    """Latvian letters in cp1257 on every line (none valid UTF-8): read as Windows-1257, stored right."""
    letters = "Ā Č Ē Ģ Ī Ķ Ļ Ņ Š Ū Ž ā č ē ģ ī ķ ļ ņ š ū ž"
    rows = [f"C{n % 2 + 1},surveys,given,portal,2024-05-0{n}T10:00:00,{letters} {n}," for n in range(1, 6)]
    body = _lines(HEADER, *(row.encode("cp1257") for row in rows), end=b"\r\n")
    result = _result(body)
    assert result.ok, result.errors
    assert result.encoding == "cp1257"
    assert ConsentEvent.objects.filter(source=f"{letters} 5").exists()


@pytest.mark.parametrize(
    ("fixture", "label"),
    [("lf", "UTF-8"), ("bom", "UTF-8 (BOM)"), ("windows-1257", "Windows-1257")],
)
def test_the_preview_and_the_command_say_which_encoding_was_used(client, tmp_path, customers, fixture, label):
    client.force_login(staff_with("view_consentevent", "import_consentevent", "view_consentimport"))
    response = client.post(
        IMPORT_URL,
        {
            "format": "0",
            "resource": "0",
            "import_file": SimpleUploadedFile("f.csv", FIXTURES[fixture], content_type="text/csv"),
        },
        follow=True,
    )
    assert f"Read as {label}," in response.content.decode()
    summary, _errors = _by_command(tmp_path, "f.csv", FIXTURES[fixture])
    assert f"({label}, delimiter" in summary[0]
