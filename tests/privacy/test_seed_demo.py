"""`seed_demo`: idempotent, realistic, with history, and with rows on both sides of every retention
boundary (§31 invoices 5 years, §32 audit 12/18 months, §33 recordings 6 months, §34 prepaid 2 years)."""

import datetime
import re
import wave
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from privacy import demo
from privacy.demo import load as demo_load
from privacy.demo.generate import Generator, customer_number, personal_code
from privacy.models import Contract, Customer, Disclosure, Invoice, Recording
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SEEDED = (Customer, Contract, Invoice, Recording, Disclosure)


def _counts() -> dict[str, int]:
    counts = {model.__name__: model.objects.count() for model in SEEDED}
    counts.update({f"history {model.__name__}": model.history.count() for model in SEEDED})
    return counts


def _months_ago(months: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=round(months * 30.44))


@pytest.fixture
def seeded():
    """400 demo customers, serial writer, small chunks (several transactions), with WAV files."""
    demo.seed_demo(customers=400, jobs=1, chunk_size=150)


def test_second_run_creates_nothing(seeded):
    before = _counts()
    out = StringIO()
    call_command("seed_demo", "--customers", "400", stdout=out)
    assert "nothing to add" in out.getvalue()
    assert _counts() == before
    assert before["Customer"] == 400


def test_a_larger_run_adds_only_the_missing_customers_and_keeps_the_others(seeded):
    def snapshot():
        return {
            c.customer_number: (c.personal_code, c.phone, c.registered_at, c.belongs_to_id)
            for c in Customer.objects.filter(customer_number__lte=customer_number(400))
        }

    before, contracts = snapshot(), set(Contract.objects.values_list("number", flat=True))
    call_command("seed_demo", "--customers", "450", stdout=StringIO())
    assert snapshot() == before
    assert contracts < set(Contract.objects.values_list("number", flat=True))
    assert sorted(Customer.objects.values_list("customer_number", flat=True)) == [
        customer_number(i) for i in range(1, 451)
    ]
    assert Customer.history.count() == 450


def test_no_duplicates(seeded):
    for model, field in [
        (Customer, "personal_code"),
        (Customer, "phone"),
        (Customer, "email"),
        (Customer, "id_document_number"),
        (Contract, "number"),
        (Invoice, "number"),
    ]:
        repeated = model.objects.exclude(**{field: ""}).values(field).annotate(n=Count("id")).filter(n__gt=1)
        assert not repeated.exists(), (model.__name__, field, list(repeated[:3]))


def test_every_seeded_row_has_exactly_one_creation_history_row(seeded):
    """History is written set-based, one "+" row per seeded row, dated when the record came to be."""
    for model in SEEDED:
        ids = set(model.objects.values_list("id", flat=True))
        history = model.history.filter(history_type="+", history_change_reason=demo.HISTORY_REASON)
        assert sorted(history.values_list("id", flat=True)) == sorted(ids), model.__name__
    customer = Customer.objects.order_by("?").first()
    assert customer.history.get().history_date == customer.registered_at
    assert customer.history.get().personal_code == customer.personal_code
    invoice = Invoice.objects.order_by("?").first()
    assert timezone.localtime(invoice.history.get().history_date).date() == invoice.issue_date
    m2m_history = apps.get_model("privacy", "HistoricalDisclosure_data_categories")
    assert m2m_history.objects.count() == Disclosure.data_categories.through.objects.count() > 0


def test_section_31_invoices_on_both_sides_of_five_years_with_open_debts(seeded):
    boundary = timezone.localdate().replace(year=timezone.localdate().year - 5)
    near = datetime.timedelta(days=60)
    assert Invoice.objects.filter(issue_date__lt=boundary, issue_date__gte=boundary - near).exists()
    assert Invoice.objects.filter(issue_date__gte=boundary, issue_date__lt=boundary + near).exists()
    assert Invoice.objects.filter(outstanding_debt__gt=0, issue_date__lt=timezone.localdate() - near).exists()
    assert not Invoice.objects.filter(contract__type=Contract.Type.PREPAID).exists()
    assert (
        Invoice.objects.filter(issue_date__lt=timezone.localdate() - datetime.timedelta(days=6 * 366)).count()
        == 0
    )


def test_section_32_history_rows_on_both_sides_of_12_and_18_months(seeded):
    history = Customer.history.all()
    for months in (12, 18):
        boundary = _months_ago(months)
        window = datetime.timedelta(days=45)
        assert history.filter(history_date__lt=boundary, history_date__gte=boundary - window).exists(), months
        assert history.filter(history_date__gte=boundary, history_date__lt=boundary + window).exists(), months


def test_section_33_recordings_on_both_sides_of_six_months(seeded):
    boundary = _months_ago(6)
    window = datetime.timedelta(days=15)
    assert Recording.objects.filter(recorded_at__lt=boundary, recorded_at__gte=boundary - window).count() >= 5
    assert Recording.objects.filter(recorded_at__gte=boundary, recorded_at__lt=boundary + window).count() >= 5


def test_section_34_prepaid_services_last_used_on_both_sides_of_two_years(seeded):
    today = timezone.localdate()
    boundary = today.replace(year=today.year - 2)
    prepaid = Contract.objects.filter(type=Contract.Type.PREPAID, status=Contract.Status.ENDED)
    window = datetime.timedelta(days=60)
    assert prepaid.filter(last_service_use__lt=boundary, last_service_use__gte=boundary - window).exists()
    assert prepaid.filter(last_service_use__gte=boundary, last_service_use__lt=boundary + window).exists()
    assert Contract.objects.filter(type=Contract.Type.PREPAID, status=Contract.Status.ACTIVE).exists()
    assert Contract.objects.filter(type=Contract.Type.POSTPAID).exists()


def test_data_looks_latvian_and_is_consistent(seeded):
    customers = Customer.objects.all()
    with_code = customers.exclude(personal_code="")
    assert with_code.count() > 200
    for customer in with_code:
        assert re.fullmatch(r"\d{6}-[12]\d{4}", customer.personal_code), customer.personal_code
        assert customer.personal_code[:6] == customer.birth_date.strftime("%d%m%y")
        assert customer.personal_code[7] == ("1" if customer.birth_date.year < 2000 else "2")
    for phone in customers.exclude(phone="").values_list("phone", flat=True):
        assert re.fullmatch(r"\+3712\d{7}", phone)
    for address in customers.exclude(address="").values_list("address", flat=True):
        assert re.fullmatch(r".+ \d+(-\d+)?, Rīga, LV-10\d\d", address), address
    names = "".join(customers.values_list("last_name", flat=True))
    assert set("āēīūčšžņļķģ") & set(names.lower())
    assert {"lv", "ru", "en"} <= set(customers.values_list("preferred_language", flat=True))
    assert {kind for kind, _ in Customer.Kind.choices} == set(customers.values_list("kind", flat=True))
    assert {lc for lc, _ in Customer.Lifecycle.choices} == set(customers.values_list("lifecycle", flat=True))
    linked = customers.filter(belongs_to__isnull=False)
    assert linked.exists()
    assert set(linked.values_list("kind", flat=True)) <= {"contact_person", "payer"}
    assert set(linked.values_list("belongs_to__kind", flat=True)) == {"subscriber"}
    # Female surnames take the female ending: Bērziņa, not Bērziņš.
    assert Customer.objects.filter(last_name__endswith="iņa").exists()
    assert Customer.objects.filter(last_name__endswith="iņš").exists()


def test_personal_codes_agree_with_birth_dates_and_check_digit():
    weights = (1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    for i in range(1, 3000, 7):
        code, birth = personal_code(i)
        digits = code.replace("-", "")
        assert digits[:6] == birth.strftime("%d%m%y")
        check = (1101 - sum(w * int(d) for w, d in zip(weights, digits[:10], strict=True))) % 11 % 10
        assert int(digits[10]) == check


def test_generation_is_deterministic_per_customer():
    now = timezone.now()
    first = Generator(now=now, today=timezone.localdate(now)).chunk(1, 300)
    again = Generator(now=now, today=timezone.localdate(now)).chunk(101, 201)
    assert again.customers == first.customers[100:200]
    assert [c[1:] for c in again.contracts] == [c[1:] for c in first.contracts if 100 <= c[0] < 200]


def test_small_runs_give_a_few_recordings_a_real_wav_file_that_staff_can_download(seeded, client):
    with_file = Recording.objects.exclude(file="")
    assert 1 <= with_file.count() <= 40
    recording = with_file.first()
    assert recording.history.get().file == recording.file.name
    with recording.file.open("rb") as handle, wave.open(handle) as audio:
        assert audio.getnframes() > 0
    client.force_login(UserFactory(is_superuser=True))
    response = client.get(reverse("privacy:recording-file", args=[recording.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"RIFF"


def test_bulk_runs_store_no_files():
    demo.seed_demo(customers=60, jobs=1, files=False)
    assert not Recording.objects.exclude(file="").exists()


def test_a_failed_chunk_rolls_back_whole_and_the_next_run_carries_on(monkeypatch):
    real_write = demo_load.Loader._write

    def failing(self, chunk, saved_files):
        if chunk.start >= 100:
            raise RuntimeError("disk full")
        return real_write(self, chunk, saved_files)

    monkeypatch.setattr(demo_load.Loader, "_write", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        demo.seed_demo(customers=250, jobs=1, chunk_size=100)
    assert Customer.objects.count() == 99  # C00000001 … C00000099: the first chunk ends at 100
    monkeypatch.setattr(demo_load.Loader, "_write", real_write)
    demo.seed_demo(customers=250, jobs=1, chunk_size=100)
    assert sorted(Customer.objects.values_list("customer_number", flat=True)) == [
        customer_number(i) for i in range(1, 251)
    ]
    assert Customer.history.count() == 250


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("seeded")
def test_parallel_writers_commit_in_order_and_match_a_serial_run(monkeypatch):
    """jobs=2 on PostgreSQL: chunks commit in order; a failure leaves a prefix; data as a serial run."""
    real_write = demo_load.Loader._write

    def failing(self, chunk, saved_files):
        if chunk.start == 500:
            raise RuntimeError("connection lost")
        return real_write(self, chunk, saved_files)

    monkeypatch.setattr(demo_load.Loader, "_write", failing)
    with pytest.raises(RuntimeError, match="connection lost"):
        demo.seed_demo(customers=900, jobs=2, chunk_size=100, files=False)
    stored = sorted(Customer.objects.values_list("customer_number", flat=True))
    assert stored == [customer_number(i) for i in range(1, 500)]  # chunks before the failed one
    monkeypatch.setattr(demo_load.Loader, "_write", real_write)
    result = demo.seed_demo(customers=900, jobs=2, chunk_size=100, files=False)
    assert result.existing == 499
    assert Customer.objects.count() == Customer.history.count() == 900
    assert Invoice.objects.count() == Invoice.history.count()
    owners = dict(
        Customer.objects.filter(belongs_to__isnull=False).values_list(
            "customer_number", "belongs_to__customer_number"
        )
    )
    now = timezone.now()
    chunk = Generator(now=now, today=timezone.localdate(now)).chunk(1, 901)
    expected = {customer_number(pos + 1): customer_number(owner) for pos, owner in chunk.owners}
    assert owners == expected


def test_bad_input_is_refused_with_a_clear_message():
    with pytest.raises(CommandError, match="--customers"):
        call_command("seed_demo", "--customers", "-1")
    with pytest.raises(CommandError, match="--chunk-size"):
        call_command("seed_demo", "--customers", "10", "--chunk-size", "0")
    assert not Customer.objects.exists()
