"""Writing generated demo chunks: PostgreSQL COPY (psycopg 3) or `bulk_create` elsewhere, plus history.

Every seeded row gets its "+" history row, written set-based (`INSERT INTO <history> ... SELECT ... FROM
<table> WHERE ...`) and dated when the record came to be (registration, contract start, issue date,
recording time, disclosure date), never through simple-history's per-row signals. One chunk is one
transaction: a run stopped half-way leaves whole customers only, and the next run carries on.
"""

import datetime
import io
import math
import struct
import wave
from collections.abc import Callable, Iterable, Sequence

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connections, models, transaction
from django.utils import timezone

from ..history import HISTORY_OWN_FIELDS
from ..models import Contract, Customer, DataCategory, Disclosure, Invoice, Recipient, Recording
from .data import DISCLOSURE_LEGAL_REFERENCES
from .generate import (
    CONTRACT_COLUMNS,
    CUSTOMER_COLUMNS,
    INVOICE_COLUMNS,
    RECORDING_COLUMNS,
    Chunk,
    customer_number,
)

HISTORY_REASON = "seed_demo"
# The moment each record came to be: its "+" history row is dated then (§32 windows need old history).
HISTORY_DATE_FIELD = {
    Customer: "registered_at",
    Contract: "start_date",
    Invoice: "issue_date",
    Recording: "recorded_at",
    Disclosure: "disclosed_on",
}


def tone_wav(seconds: float = 1.0, rate: int = 8000) -> bytes:
    """A tiny real WAV file (8 kHz mono, a two-tone beep) standing in for call audio."""
    frames = bytearray()
    for n in range(int(seconds * rate)):
        t = n / rate
        value = 0.3 * math.sin(2 * math.pi * 440 * t) + 0.2 * math.sin(2 * math.pi * 660 * t)
        frames += struct.pack("<h", int(value * 32767))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(frames))
    return buffer.getvalue()


def _extra_columns(model: type[models.Model], given: Sequence[str], now: datetime.datetime):
    """Columns the generator does not fill, with their model defaults (so new fields need no change).

    Fields with a database default are left to the database.
    """
    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.column in given or field.primary_key or field.db_default is not models.NOT_PROVIDED:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        else:
            value = field.get_default()
        columns.append(field.column)
        values.append(value)
    return columns, tuple(values)


class Loader:
    """Writes chunks into the database behind `using`; one transaction per chunk."""

    def __init__(self, *, using: str = "default", files: bool = False):
        self.using = using
        self.postgresql = connections[using].vendor == "postgresql"
        self.files = files
        self._wav: bytes | None = None
        self.now = timezone.now()
        self.recipients = dict(Recipient.objects.using(using).values_list("code", "id"))
        self.categories = dict(DataCategory.objects.using(using).values_list("number", "id"))

    @property
    def connection(self):
        """This thread's connection: chunks may be written by several threads at once."""
        return connections[self.using]

    # --- what exists already -------------------------------------------------------------------------

    def last_seeded_index(self) -> int:
        """The highest demo customer number present (C00000042 → 42), 0 if none.

        A run creates the numbers above it only: demo customers that were erased or deleted since are
        not brought back.
        """
        last = (
            Customer.objects.using(self.using)
            .filter(customer_number__gte=customer_number(0), customer_number__lte=customer_number(99999999))
            .filter(customer_number__regex=r"^C[0-9]{8}$")
            .order_by("-customer_number")
            .values_list("customer_number", flat=True)
            .first()
        )
        return int(last[1:]) if last else 0

    # --- one chunk -----------------------------------------------------------------------------------

    def write(self, chunk: Chunk, before_commit: Callable[[], None] | None = None) -> dict[str, int]:
        """Write a chunk in one transaction; `before_commit` may wait for a turn or raise to roll back."""
        saved_files: list[str] = []
        try:
            with transaction.atomic(using=self.using):
                counts = self._write(chunk, saved_files)
                if before_commit is not None:
                    before_commit()
        except BaseException:
            storage = Recording._meta.get_field("file").storage
            for name in saved_files:
                storage.delete(name)
            raise
        return counts

    def _write(self, chunk: Chunk, saved_files: list[str]) -> dict[str, int]:
        with self.connection.cursor() as cursor:
            if self.postgresql:
                customer_ids = self._allocate(cursor, Customer, len(chunk.customers))
                owners = self._owner_ids(chunk, customer_ids)
                self._copy(
                    cursor,
                    Customer,
                    ["id", "belongs_to_id", *CUSTOMER_COLUMNS],
                    ((customer_ids[pos], owners.get(pos), *row) for pos, row in enumerate(chunk.customers)),
                )
                contract_ids = self._allocate(cursor, Contract, len(chunk.contracts))
                self._copy(
                    cursor,
                    Contract,
                    ["id", "customer_id", *CONTRACT_COLUMNS],
                    (
                        (contract_ids[n], customer_ids[row[0]], *row[1:])
                        for n, row in enumerate(chunk.contracts)
                    ),
                )
                self._copy(
                    cursor,
                    Invoice,
                    ["customer_id", "contract_id", *INVOICE_COLUMNS],
                    ((customer_ids[row[0]], contract_ids[row[1]], *row[2:]) for row in chunk.invoices),
                )
                self._copy(
                    cursor,
                    Recording,
                    ["customer_id", *RECORDING_COLUMNS],
                    ((customer_ids[row[0]], *row[1:]) for row in chunk.recordings),
                )
            else:
                customer_ids, contract_ids = self._bulk_create(chunk)
            self._disclosures(chunk, customer_ids)
            if self.files and chunk.with_files:
                self._attach_files([customer_ids[pos] for pos in chunk.with_files], saved_files)
            for model in (Customer, Contract, Invoice, Recording, Disclosure):
                self._insert_history(cursor, model, customer_ids)
            self._insert_m2m_history(cursor, customer_ids)
        return {
            "customers": len(chunk.customers),
            "contracts": len(chunk.contracts),
            "invoices": len(chunk.invoices),
            "recordings": len(chunk.recordings),
            "disclosures": len(chunk.disclosures),
        }

    # --- PostgreSQL ----------------------------------------------------------------------------------

    def _allocate(self, cursor, model: type[models.Model], count: int) -> list[int]:
        """`count` fresh ids from the table's own sequence (safe beside concurrent inserts)."""
        if not count:
            return []
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, count],
        )
        return [row[0] for row in cursor.fetchall()]

    def _copy(self, cursor, model: type[models.Model], columns: list[str], rows: Iterable[tuple]) -> None:
        extra_columns, extra = _extra_columns(model, columns, self.now)
        quote = self.connection.ops.quote_name
        names = ", ".join(quote(column) for column in [*columns, *extra_columns])
        sql = f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            write = copy.write_row
            if extra:
                for row in rows:
                    write(row + extra)
            else:
                for row in rows:
                    write(row)

    def _owner_ids(self, chunk: Chunk, customer_ids: list[int]) -> dict[int, int]:
        """belongs_to of contact persons and payers: ids of owners inside the chunk or already stored."""
        owners, outside = {}, {}
        for pos, index in chunk.owners:
            if chunk.start <= index < chunk.stop:
                owners[pos] = customer_ids[index - chunk.start]
            else:
                outside[pos] = customer_number(index)
        if outside:
            stored = dict(
                Customer.objects.using(self.using)
                .filter(customer_number__in=set(outside.values()))
                .values_list("customer_number", "id")
            )
            owners.update({pos: stored[number] for pos, number in outside.items() if number in stored})
        return owners

    # --- other databases (the embedded SQLite run) ---------------------------------------------------

    def _bulk_create(self, chunk: Chunk) -> tuple[list[int], list[int]]:
        db = self.using
        customers = Customer.objects.using(db).bulk_create(
            [Customer(**dict(zip(CUSTOMER_COLUMNS, row, strict=True))) for row in chunk.customers]
        )
        customer_ids = [customer.pk for customer in customers]
        by_pos = dict(enumerate(customers))
        stored = {}
        outside = {
            customer_number(index) for pos, index in chunk.owners if not chunk.start <= index < chunk.stop
        }
        if outside:
            stored = dict(
                Customer.objects.using(db)
                .filter(customer_number__in=outside)
                .values_list("customer_number", "id")
            )
        linked = []
        for pos, index in chunk.owners:
            owner_id = (
                customer_ids[index - chunk.start]
                if chunk.start <= index < chunk.stop
                else stored.get(customer_number(index))
            )
            if owner_id:
                by_pos[pos].belongs_to_id = owner_id
                linked.append(by_pos[pos])
        Customer.objects.using(db).bulk_update(linked, ["belongs_to"])
        contracts = Contract.objects.using(db).bulk_create(
            [
                Contract(
                    customer_id=customer_ids[row[0]], **dict(zip(CONTRACT_COLUMNS, row[1:], strict=True))
                )
                for row in chunk.contracts
            ]
        )
        contract_ids = [contract.pk for contract in contracts]
        Invoice.objects.using(db).bulk_create(
            [
                Invoice(
                    customer_id=customer_ids[row[0]],
                    contract_id=contract_ids[row[1]],
                    **dict(zip(INVOICE_COLUMNS, row[2:], strict=True)),
                )
                for row in chunk.invoices
            ],
            batch_size=2000,
        )
        Recording.objects.using(db).bulk_create(
            [
                Recording(
                    customer_id=customer_ids[row[0]], **dict(zip(RECORDING_COLUMNS, row[1:], strict=True))
                )
                for row in chunk.recordings
            ]
        )
        return customer_ids, contract_ids

    # --- both ----------------------------------------------------------------------------------------

    def _disclosures(self, chunk: Chunk, customer_ids: list[int]) -> None:
        """A few §26 disclosures (ORM bulk_create: they are rare) with their data categories."""
        if not chunk.disclosures or not self.recipients:
            return
        fallback = next(iter(self.recipients.values()))
        disclosures = Disclosure.objects.using(self.using).bulk_create(
            [
                Disclosure(
                    customer_id=customer_ids[pos],
                    recipient_id=self.recipients.get(recipient, fallback),
                    ground=ground,
                    legal_reference=DISCLOSURE_LEGAL_REFERENCES[ground],
                    request_reference=reference,
                    disclosed_on=on,
                )
                for pos, recipient, ground, reference, on, _categories in chunk.disclosures
            ]
        )
        through = Disclosure.data_categories.through
        through.objects.using(self.using).bulk_create(
            [
                through(disclosure_id=disclosure.pk, datacategory_id=self.categories[number])
                for disclosure, row in zip(disclosures, chunk.disclosures, strict=True)
                for number in row[5]
                if number in self.categories
            ]
        )

    def _attach_files(self, customer_ids: list[int], saved_files: list[str]) -> None:
        """Give the call audio of a few customers a tiny real WAV file, through the model's FileField."""
        if self._wav is None:
            self._wav = tone_wav()
        recordings = Recording.objects.using(self.using).filter(
            customer_id__in=customer_ids, kind=Recording.Kind.CALL_AUDIO
        )
        for recording in recordings:
            recording.file.save("call.wav", ContentFile(self._wav), save=False)
            saved_files.append(recording.file.name)
            Recording.objects.using(self.using).filter(pk=recording.pk).update(file=recording.file.name)

    def _id_filter(self, column: str, ids: list[int]) -> tuple[str, list]:
        quoted = self.connection.ops.quote_name(column)
        if ids and ids[-1] - ids[0] + 1 == len(ids) and ids == sorted(ids):
            return f"{quoted} BETWEEN %s AND %s", [ids[0], ids[-1]]
        if self.postgresql:
            return f"{quoted} = ANY(%s)", [list(ids)]
        return f"{quoted} IN ({', '.join(['%s'] * len(ids))})", list(ids)

    def _history_date_sql(self, model: type[models.Model]) -> tuple[str, list]:
        field = model._meta.get_field(HISTORY_DATE_FIELD[model])
        column = self.connection.ops.quote_name(field.column)
        if isinstance(field, models.DateTimeField):
            return column, []
        if self.postgresql:  # a date: 09:00 local time that day
            return f"(({column} + TIME '09:00') AT TIME ZONE %s)", [settings.TIME_ZONE]
        return f"({column} || ' 07:00:00')", []

    def _insert_history(self, cursor, model: type[models.Model], customer_ids: list[int]) -> None:
        """The "+" history row of every row of `model` this chunk created, in one INSERT ... SELECT."""
        if not customer_ids:
            return
        history = model.history.model
        base_columns = {field.column for field in model._meta.concrete_fields}
        columns = [f.column for f in history._meta.concrete_fields if f.name not in HISTORY_OWN_FIELDS]
        missing = set(columns) - base_columns
        if missing:
            raise RuntimeError(
                f"{history._meta.label} has columns {sorted(missing)} that {model._meta.label} lacks"
            )
        quote = self.connection.ops.quote_name
        names = ", ".join(quote(column) for column in columns)
        date_sql, date_params = self._history_date_sql(model)
        where, where_params = self._id_filter("id" if model is Customer else "customer_id", customer_ids)
        cursor.execute(
            f"INSERT INTO {quote(history._meta.db_table)} ({names}, history_date, history_change_reason, "  # noqa: S608
            f"history_type, history_user_id) SELECT {names}, {date_sql}, %s, '+', NULL "
            f"FROM {quote(model._meta.db_table)} WHERE {where}",
            [*date_params, HISTORY_REASON, *where_params],
        )

    def _insert_m2m_history(self, cursor, customer_ids: list[int]) -> None:
        """Disclosure.data_categories as of the "+" history row of each seeded disclosure."""
        if not customer_ids:
            return
        m2m_history = apps.get_model("privacy", "HistoricalDisclosure_data_categories")
        history = Disclosure.history.model
        through = Disclosure.data_categories.through
        quote = self.connection.ops.quote_name
        where, params = self._id_filter("customer_id", customer_ids)
        cursor.execute(
            f"INSERT INTO {quote(m2m_history._meta.db_table)} "  # noqa: S608
            f"(id, disclosure_id, datacategory_id, history_id) "
            f"SELECT t.id, t.disclosure_id, t.datacategory_id, h.history_id "
            f"FROM {quote(through._meta.db_table)} t "
            f"JOIN {quote(history._meta.db_table)} h ON h.id = t.disclosure_id "
            f"AND h.history_type = '+' AND h.history_change_reason = %s "
            f"WHERE t.disclosure_id IN (SELECT id FROM {quote(Disclosure._meta.db_table)} WHERE {where})",
            [HISTORY_REASON, *params],
        )

    def analyze(self) -> None:
        """Fresh planner statistics after a bulk load (the admin's estimated counts read them)."""
        if not self.postgresql:
            return
        tables = []
        for model in HISTORY_DATE_FIELD:
            tables += [model._meta.db_table, model.history.model._meta.db_table]
        with self.connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ANALYZE {self.connection.ops.quote_name(table)}")
