"""The access answer tells the person what GDPR Art. 15(1)–(2) requires, generated from the live register,
in their language, and withholds what §39 forbids to reveal (§9, §11, §12, §16–18, §19–29, §31–34,
§38–44).

The policy's own words (seed, §39): "Klienta tiesības tiek nodrošinātas, ciktāl tās nav pretrunā ar
Balticom juridiskajiem pienākumiem" — a disclosure to persons entitled by law on their request (§26.3:
"personām, kuras likumā noteiktajā kārtībā ir tiesīgas saņemt šādu informāciju pēc pamatota
pieprasījuma") is not revealed to the subject, a §26.1 disclosure is.
"""

import csv
import datetime
import io
import json
import zipfile

import pypdf
import pytest
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils.translation import override

from privacy.models import DataCategory, LegalHold
from requests_app import letters, services
from requests_app.models import Letter, SubjectRequest
from tests.factories import CustomerFactory, UserFactory

from .conftest import grant
from .factories import (
    BANK_NOTE,
    HOLD_REASON,
    POLICE_NOTE,
    POLICE_REFERENCE,
    SubjectRequestFactory,
    in_evaluation,
    rich_customer,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("compiled_catalogues")]

#: The Annex 1 categories the customer below holds data of (at least 8, Done-when of the issue).
HELD = [1, 2, 3, 5, 6, 8, 10, 18, 21, 26, 28, 29]
#: Words of each language the register and the catalogues give, as the policy words them.
WORDS = {
    "lv": {
        "category": "Personas identifikācijas dati",
        "basis": "līguma noslēgšanai un izpildei",
        "heading": "Ko mēs darām ar jūsu personas datiem",
        "complaint": "Datu valsts inspekcija",
    },
    "ru": {
        "category": "Идентификационные данные лица",
        "basis": "Заключение и исполнение договора",
        "heading": "Что мы делаем с вашими персональными данными",
        "complaint": "Datu valsts inspekcija",
    },
}


@pytest.fixture
def compiled_catalogues():
    from django.utils import translation

    from tests.i18n.catalogues import ensure_compiled

    ensure_compiled()
    yield
    translation.deactivate()


@pytest.fixture
def officer():
    return grant(
        UserFactory(username="dpo-officer"),
        "requests_app.view_subjectrequest",
        "requests_app.change_subjectrequest",
        "requests_app.decide_subjectrequest",
    )


def answered(customer, actor) -> SubjectRequest:
    """An access request taken through the workflow as the product does: evaluated, packaged, fulfilled."""
    subject_request = SubjectRequestFactory(
        customer=customer, type=SubjectRequest.Type.ACCESS, channel=SubjectRequest.Channel.IN_PERSON
    )
    in_evaluation(subject_request, verified_by=actor, document_type="id_card")
    services.request_fulfil(subject_request=subject_request, actor=actor)
    subject_request.refresh_from_db()
    return subject_request


def package_of(subject_request):
    package = subject_request.packages.get()
    with package.file.open("rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    return archive


def everything_in(archive) -> str:
    return "\n".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist())


def letter_text(subject_request) -> tuple[str, str]:
    rendered = letters.letter_render(subject_request=subject_request, kind=Letter.Kind.ANSWER)
    pdf = pypdf.PdfReader(io.BytesIO(letters.letter_pdf(rendered.html)))
    return rendered.html, "\n".join(page.extract_text() for page in pdf.pages)


@pytest.mark.parametrize("language", ["lv", "ru"])
def test_art15_package_names_for_each_category_held_its_purposes_bases_recipients_retention_and_source(
    officer, language
):
    """GDPR Art. 15(1), §9, §11, §12, §19–29, §24, §31–34: for each Annex 1 category held on this person
    the package's readable document, data.json and the answer letter say, in the customer's language,
    why it is processed, on which basis, who receives it, how long it is kept and where it came from."""
    customer = rich_customer(language)
    subject_request = answered(customer, officer)
    archive = package_of(subject_request)
    document = json.loads(archive.read("data.json"))
    readable = archive.read("information.html").decode()
    html, _pdf = letter_text(subject_request)

    assert document["language"] == language
    held = [category["number"] for category in document["information"]["categories"]]
    assert held == HELD
    by_number = {category["number"]: category for category in document["information"]["categories"]}
    with override(language):
        for number in HELD:
            category = DataCategory.objects.get(number=number)
            shown = by_number[number]
            assert shown["name"] == getattr(category, f"name_{language}")
            purposes = [getattr(p, f"name_{language}") for p in category.purposes.all()]
            bases = [getattr(b, f"name_{language}") for b in category.legal_bases.all()]
            recipients = [getattr(r, f"name_{language}") for r in category.recipients.all()]
            sources = [getattr(s, f"name_{language}") for s in category.sources.all()]
            retention = getattr(category, f"retention_{language}")
            assert purposes and bases and recipients and sources and retention, number
            for text in (shown["name"], *purposes, *bases, *recipients, *sources, retention):
                assert text in readable, (number, text)
                assert text in html, (number, text)
            assert [p.split(" ", 1)[1] for p in shown["purposes"]] == purposes
            assert shown["legal_bases"] == bases
            assert [r["name"] for r in shown["recipients"]] == recipients
            assert shown["sources"] == sources
            assert shown["retention"] == retention
    words = WORDS[language]
    for text in words.values():
        assert text in readable
        assert text in html
    # §31, §33: this person's recording is next due to go 6 months after it was made.
    due = by_number[26]["next_deletion"]
    assert due and datetime.date.fromisoformat(due) > datetime.date.today() + datetime.timedelta(days=150)
    assert due in readable
    # §28–29: the third-country processor of the portal data, with its safeguard.
    transfers = by_number[6]["third_country_transfers"]
    assert transfers and "standard contractual clauses" in transfers[0]["safeguard"]
    # §44: the authority's contacts.
    for contact in ("Elijas iela 17, Rīga, LV-1050", "pasts@dvi.gov.lv", "67223131", "www.dvi.gov.lv"):
        assert contact in readable
        assert contact in html


def test_a_dpos_edit_of_the_register_in_the_admin_changes_the_next_answer(admin_client, officer):
    """The answer comes from the register, not from code: the DPO rewords category 26's retention and
    drops a purpose in the admin, and the next package says so (GDPR Art. 15(1)(a), (d))."""
    customer = rich_customer("lv")
    category = DataCategory.objects.get(number=26)
    dropped = category.purposes.first()
    data = {key: value for key, value in model_to_dict(category).items() if value is not None}
    for name in ("purposes", "legal_bases", "legitimate_interests", "sources", "recipients"):
        data[name] = [obj.pk for obj in data[name]]
    data["purposes"].remove(dropped.pk)
    data["retention_lv"] = "Sarunu ierakstus glabājam sešus mēnešus (DPO precizējums)."
    data.pop("id", None)
    response = admin_client.post(reverse("admin:privacy_datacategory_change", args=[category.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]

    subject_request = answered(customer, officer)
    readable = package_of(subject_request).read("information.html").decode()
    section = readable.split('id="category-26"')[1].split("</section>")[0]
    assert "Sarunu ierakstus glabājam sešus mēnešus (DPO precizējums)." in section
    assert dropped.name_lv not in section
    assert DataCategory.history.filter(number=26).count() >= 2  # the edit is in the register's history


def test_a_26_3_disclosure_legal_holds_and_internal_notes_are_withheld_a_26_1_disclosure_is_shown(officer):
    """§26.3, §39: the disclosure to persons entitled by law on their request, the legal hold and its
    reason and the staff's notes are absent from the package (every file, data.json included), the
    letter (HTML and PDF); the §26.1 disclosure to the bank is there."""
    customer = rich_customer("lv")
    subject_request = answered(customer, officer)
    archive = package_of(subject_request)
    package_text = everything_in(archive)
    html, pdf = letter_text(subject_request)
    # "26.3": not even the ground is named, nor the request's own list of what is withheld
    for secret in (POLICE_REFERENCE, POLICE_NOTE, "2026-02-03", HOLD_REASON, BANK_NOTE, "26.3"):
        assert secret not in package_text, secret
        assert secret not in html, secret
        assert secret not in pdf, secret
    document = json.loads(archive.read("data.json"))
    tables = {table["model"]: table for table in document["tables"]}
    disclosures = tables["privacy.Disclosure"]["rows"]
    assert [row["disclosed_on"] for row in disclosures] == ["2026-01-15"]
    assert tables["privacy.LegalHold"]["rows"] == []
    assert tables["privacy.LegalHold"]["history"] == []
    assert {h["ground"] for h in tables["privacy.Disclosure"]["history"]} == {"26.1"}
    # the §26.1 disclosure is named under the categories it concerned, in the document and the letter
    readable = archive.read("information.html").decode()
    assert "2026-01-15" in readable.split('id="category-18"')[1].split("</section>")[0]
    assert "2026-01-15" in html


def test_the_evaluation_lists_what_is_withheld_and_why_and_the_history_records_it(officer, admin_client):
    """§39: when the DPO starts the evaluation, the request lists what the answer will not reveal (one
    §26.3 disclosure, the notes, one legal hold) with the reason, on its page and in its history."""
    customer = rich_customer("lv")
    subject_request = SubjectRequestFactory(
        customer=customer, type=SubjectRequest.Type.ACCESS, channel=SubjectRequest.Channel.IN_PERSON
    )
    in_evaluation(subject_request, verified_by=officer, document_type="id_card")
    subject_request.refresh_from_db()
    withheld = {item["model"]: item for item in subject_request.withheld}
    assert withheld["privacy.Disclosure"]["rows"] == 1
    assert withheld["privacy.Disclosure"]["fields"] == ["notes"]
    assert "§26.3" in withheld["privacy.Disclosure"]["reason"]
    assert withheld["privacy.LegalHold"]["rows"] == 1
    assert POLICE_REFERENCE not in json.dumps(subject_request.withheld)  # counts and reasons only
    # the history row of the evaluation keeps the list (its reason is the same as for any evaluation)
    evaluation = subject_request.history.filter(status=SubjectRequest.Status.IN_EVALUATION).earliest(
        "history_date"
    )
    assert evaluation.withheld == subject_request.withheld
    assert evaluation.history_user == officer
    page = admin_client.get(
        reverse("admin:requests_app_subjectrequest_change", args=[subject_request.pk])
    ).content.decode()
    assert "§26.3" in page and "withheld" in page


def test_package_csv_speaks_the_customers_language_and_guards_only_free_text(officer):
    """The CSV headers and coded values are labels in the customer's language; a validated phone number
    and a number are written as they are, free text starting with "=" still gets the apostrophe."""
    customer = rich_customer("ru")
    archive = package_of(answered(customer, officer))
    (row,) = csv.DictReader(io.StringIO(archive.read("csv/privacy.customer.csv").decode("utf-8-sig")))
    assert "first_name" not in row
    assert row["имя"] == "Anna"
    assert row["телефон"] == "+37129111222"
    assert row["адрес"].startswith("'=HYPERLINK")
    assert row["статус резидента"] == "резидент"
    (invoice,) = csv.DictReader(io.StringIO(archive.read("csv/privacy.invoice.csv").decode("utf-8-sig")))
    assert invoice["сумма (EUR)"] == "-5.00"
    readme = archive.read("README.txt").decode()
    assert "information.html" in readme and "AS Balticom" in readme
    assert "Your personal data" not in readme


def test_a_legal_hold_is_no_category_and_a_person_with_nothing_else_gets_the_rights_anyway():
    """§39, §38, §44: of a person on whom only the customer record and a legal hold are held, the answer
    names the customer data (Annex 1 cat. 5) and nothing the hold would reveal (cat. 21), and still
    gives the rights and the authority's contacts."""
    from privacy.access_answer import access_information

    empty = ("first_name", "last_name", "personal_code", "id_document_number", "address", "phone", "email")
    customer = CustomerFactory(**dict.fromkeys(empty, ""), birth_date=None, preferred_language="lv")
    LegalHold.objects.create(customer=customer, reason=HOLD_REASON, set_by=UserFactory())
    with override("lv"):
        information = access_information(customer)
    assert [c["number"] for c in information["categories"]] == [5]
    assert "67223131" in information["complaint"]
    assert "drošu elektronisko parakstu" in information["complaint"]
    assert len(information["rights"]) == 8 and len(information["how_to_exercise"]) == 4
    # read in the answer's language, not in the one active when the module was imported
    assert information["rights"][0].startswith("Piekļuve: uzzināt, vai un kādus jūsu personas datus")
    assert "Portālā Mans Balticom, pēc pieslēgšanās." in information["how_to_exercise"]


@pytest.mark.parametrize("role_key", ["customer_service", "auditor"])
def test_a_forged_register_edit_by_a_role_that_may_not_change_it_is_refused(client, role_key):
    """The register behind every answer (GDPR Art. 30, §9–29) is the DPO's: a forged POST to the data
    category's change form by an agent or the auditor is refused and the next answer is unchanged."""
    from django.contrib.auth.models import Group

    from privacy.roles import role

    user = UserFactory(username=f"forger-{role_key}")
    user.groups.add(Group.objects.get(name=role(role_key).group))
    client.force_login(user)
    category = DataCategory.objects.get(number=26)
    before = category.retention_lv
    data = {key: value for key, value in model_to_dict(category).items() if value is not None}
    for name in ("purposes", "legal_bases", "legitimate_interests", "sources", "recipients"):
        data[name] = [obj.pk for obj in data[name]]
    data["retention_lv"] = '=HYPERLINK("x") ' + "A" * 5000
    data.pop("id", None)
    response = client.post(reverse("admin:privacy_datacategory_change", args=[category.pk]), data)
    assert response.status_code == 403
    category.refresh_from_db()
    assert category.retention_lv == before
