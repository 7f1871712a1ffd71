"""Deterministic demo rows for customer numbers C00000001, C00000002, ... (pure Python, no database).

Customer `i` is generated from its own seeded RNG, so it is the same whichever run and chunk creates it.
Dates are spread over the last six years relative to `today`, so that every retention window has rows
on both sides of its boundary: recordings around 6 months old (§33), prepaid services last used around
2 years ago (§34), invoices around 5 years old (§31) and history rows 12 and 18 months old (§32, the
history row of a seeded record is dated when the record came to be).

Rows are plain tuples in the column orders below; foreign keys are positions inside the chunk that the
loader turns into ids once it has them.
"""

import bisect
import datetime
import random
from dataclasses import dataclass, field

from django.utils import timezone

from . import data

CUSTOMER_COLUMNS = (
    "customer_number", "kind", "lifecycle", "first_name", "last_name", "personal_code", "birth_date",
    "id_document_number", "address", "phone", "email", "residency", "deceased", "disability",
    "preferred_language", "portal_user_number", "registered_at", "status",
)  # fmt: skip
CONTRACT_COLUMNS = (
    "number", "type", "service_name", "service_address", "start_date", "end_date", "last_service_use",
    "status",
)  # fmt: skip
INVOICE_COLUMNS = (
    "number", "issue_date", "amount", "paid_date", "outstanding_debt", "payer_name", "billing_address",
    "bank_account",
)  # fmt: skip
RECORDING_COLUMNS = ("kind", "channel", "recorded_at", "duration_seconds", "file")

NUMBER_PREFIX = "C"
NUMBER_DIGITS = 8
MAX_CUSTOMERS = 10**NUMBER_DIGITS - 1

YEARS = 6
BLOCK = 100  # chunk boundaries fall on multiples of this (see owner_of)
_MASK = (1 << 64) - 1
# Birth dates come from a fixed range (not from today), so personal codes stay unique across runs.
_BIRTH_FIRST = datetime.date(1935, 1, 1)
_BIRTH_DAYS = (datetime.date(2005, 12, 31) - _BIRTH_FIRST).days + 1
_CODE_WEIGHTS = (1, 6, 3, 7, 9, 10, 5, 8, 4, 2)

# Kinds of §5 by share of all customers (per mille, cumulative).
_KINDS = [
    (820, "subscriber"),
    (870, "contact_person"),
    (900, "payer"),
    (920, "visitor"),
    (960, "online_user"),
    (990, "marketing_participant"),
    (1000, "property_owner"),
]


def customer_number(i: int) -> str:
    return f"{NUMBER_PREFIX}{i:0{NUMBER_DIGITS}d}"


def _mix(value: int) -> int:
    """splitmix64 finaliser: a well-spread 64-bit hash of an integer."""
    value = (value + 0x9E3779B97F4A7C15) & _MASK
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & _MASK
    return value ^ (value >> 31)


def kind_of(i: int, seed: int) -> str:
    """The §5 kind of customer `i`, without running its generator (contact persons look up owners)."""
    bucket = _mix(i * 1_000_003 + seed) % 1000
    for limit, kind in _KINDS:
        if bucket < limit:
            return kind
    raise AssertionError("unreachable")


def owner_of(i: int, seed: int) -> int | None:
    """The customer a contact person or payer belongs to: the nearest earlier subscriber of its block.

    Blocks of BLOCK customers are never split between chunks of one run, so the owner is either in the
    same chunk or was committed by an earlier run (chunks are written in parallel).
    """
    for j in range(i - 1, max(1, i - i % BLOCK) - 1, -1):
        if kind_of(j, seed) == "subscriber":
            return j
    return None


def personal_code(i: int) -> tuple[str, datetime.date]:
    """An old-format Latvian personal code DDMMYY-CSSSK that agrees with the birth date.

    C is the century digit (1 for 1900s, 2 for 2000s), SSS a serial, K the check digit. Each index gets
    a distinct (birth date, serial) pair, so codes never repeat (up to 26 million customers).
    """
    day = (i * 7919) % _BIRTH_DAYS
    birth = _BIRTH_FIRST + datetime.timedelta(days=day)
    serial = (i // _BIRTH_DAYS + day * 37) % 1000
    century = 1 if birth.year < 2000 else 2
    digits = f"{birth:%d%m%y}{century}{serial:03d}"
    check = (1101 - sum(w * int(d) for w, d in zip(_CODE_WEIGHTS, digits, strict=True))) % 11 % 10
    return f"{digits[:6]}-{digits[6:]}{check}", birth


def iban(i: int) -> str:
    """A Latvian IBAN with valid check digits (LVkk BBBB 13 digits)."""
    bank = data.BANKS[i % len(data.BANKS)]
    account = f"{(i * 7873 + 1_000_003) % 10**13:013d}"
    numeric = "".join(str(int(ch, 36)) for ch in f"{bank}{account}LV00")
    return f"LV{98 - int(numeric) % 97:02d}{bank}{account}"


@dataclass
class Chunk:
    """The rows of a range of customers; foreign keys are positions in `customers` / `contracts`."""

    start: int
    stop: int
    customers: list[tuple] = field(default_factory=list)
    owners: list[tuple[int, int]] = field(default_factory=list)  # (customer position, owner's index)
    contracts: list[tuple] = field(default_factory=list)  # (customer position, *CONTRACT_COLUMNS)
    invoices: list[tuple] = field(default_factory=list)  # (customer pos, contract pos, *INVOICE_COLUMNS)
    recordings: list[tuple] = field(default_factory=list)  # (customer position, *RECORDING_COLUMNS)
    disclosures: list[tuple] = field(default_factory=list)  # (pos, recipient, ground, ref, on, categories)
    with_files: list[int] = field(default_factory=list)  # customer positions whose call audio gets a file

    @property
    def row_count(self) -> int:
        return (
            len(self.customers)
            + len(self.contracts)
            + len(self.invoices)
            + len(self.recordings)
            + len(self.disclosures)
        )


class Generator:
    """Builds chunks of demo customers relative to one `now` (an aware datetime)."""

    def __init__(self, *, now: datetime.datetime, today: datetime.date, seed: int = 1, files: bool = False):
        self.now = now
        self.today = today
        self.seed = seed
        self.files = files
        self.window_days = YEARS * 365
        self.first_day = today - datetime.timedelta(days=self.window_days)
        # Month ends inside the window, before today: the invoice dates of postpaid contracts.
        self.month_ends: list[datetime.date] = []
        month = self.first_day.replace(day=1)
        while True:
            following = (month + datetime.timedelta(days=32)).replace(day=1)
            end = following - datetime.timedelta(days=1)
            if end >= today:
                break
            if end >= self.first_day:
                self.month_ends.append(end)
            month = following
        self.month_labels = [f"{end:%y%m}" for end in self.month_ends]
        self.days = [datetime.timedelta(days=n) for n in range(self.window_days + 400)]

    def chunk(self, start: int, stop: int) -> Chunk:
        chunk = Chunk(start=start, stop=stop)
        for i in range(start, stop):
            self._customer(chunk, i)
        return chunk

    # --- one customer and what hangs off them --------------------------------------------------------

    def _customer(self, chunk: Chunk, i: int) -> None:
        rng = random.Random(_mix(_mix(self.seed) ^ i))
        r = rng.random
        kind = kind_of(i, self.seed)
        pos = len(chunk.customers)
        now = self.now

        female = r() < 0.52
        origin = r()
        if origin < 0.62:
            first = rng.choice(data.LATVIAN_FEMALE if female else data.LATVIAN_MALE)
            last = rng.choice(data.LATVIAN_SURNAMES)[female]
            language = "lv" if r() < 0.95 else "en"
            domains = data.EMAIL_DOMAINS_LV
        elif origin < 0.95:
            first = rng.choice(data.RUSSIAN_FEMALE if female else data.RUSSIAN_MALE)
            last = rng.choice(data.RUSSIAN_SURNAMES)[female]
            language = "ru" if r() < 0.75 else "lv"
            domains = data.EMAIL_DOMAINS_RU
        else:
            first = rng.choice(data.FOREIGN_FEMALE if female else data.FOREIGN_MALE)
            last = rng.choice(data.FOREIGN_SURNAMES)[female]
            language = "en"
            domains = data.EMAIL_DOMAINS_FOREIGN
        resident = origin < 0.95 or r() < 0.3
        residency = "resident" if resident else "non_resident"
        if r() < 0.08:
            residency = ""

        code, birth = personal_code(i)
        street, postcode = rng.choice(data.RIGA_STREETS)
        house = 1 + int(r() * r() * 150)
        flat = f"-{1 + int(r() * 120)}" if r() < 0.7 else ""
        address = f"{street} {house}{flat}, Rīga, {postcode}"
        phone = f"+3712{(i * 7901 + 1_234_567) % 10**7:07d}"
        local = data.ascii_fold(first) + "." + data.ascii_fold(last) if r() < 0.7 else data.ascii_fold(last)
        email = f"{local}{i}@{rng.choice(domains)}"
        document = f"PA{(i * 7907) % 10**7:07d}" if resident else f"X{(i * 7907) % 10**8:08d}"
        portal = f"MB{(i * 7877 + 31) % 10**8:08d}"

        if kind == "subscriber":
            roll = r()
            lifecycle = "potential" if roll < 0.06 else "current" if roll < 0.76 else "former"
        elif kind in ("contact_person", "payer", "property_owner"):
            lifecycle = "current"
        else:
            lifecycle = "potential"

        # Registration moment: former customers registered at least four months ago.
        earliest = 120 if lifecycle == "former" else 1
        seconds = (earliest + r() * (self.window_days - earliest)) * 86400
        registered = now - datetime.timedelta(seconds=seconds)

        # What each kind of data subject is known by (§5, Annex 1 cat. 1-2).
        has_code = kind in ("subscriber", "property_owner") or (kind == "payer" and r() < 0.7)
        if not resident:
            has_code = has_code and r() < 0.2
        with_portal = kind == "subscriber" and lifecycle != "potential" and r() < 0.6
        if kind == "online_user":
            first, last = ("", "") if r() < 0.4 else (first, last)
            address, document = "", ""
            phone = phone if r() < 0.5 else ""
        elif kind in ("contact_person", "marketing_participant"):
            address, document = "", ""
            phone = phone if r() < 0.8 else ""
        elif kind == "visitor":
            address, email = "", ""
            phone = phone if r() < 0.3 else ""
        elif kind == "payer":
            document = ""
        elif kind == "subscriber":
            email = email if r() < 0.85 else ""
            document = document if r() < 0.8 else ""

        chunk.customers.append(
            (
                customer_number(i),
                kind,
                lifecycle,
                first,
                last,
                code if has_code else "",
                birth if has_code or kind == "subscriber" else None,
                document,
                address,
                phone,
                email,
                residency if kind in ("subscriber", "payer", "property_owner") else "",
                lifecycle == "former" and r() < 0.03,  # deceased (Annex 1 cat. 3)
                r() < 0.02,  # disability mark (Annex 1 cat. 3)
                language,
                portal if with_portal else "",
                registered,
                "active",
            )
        )

        if kind in ("contact_person", "payer"):
            owner = owner_of(i, self.seed)
            if owner is not None:
                chunk.owners.append((pos, owner))

        if kind == "subscriber" and lifecycle != "potential":
            full_name = f"{first} {last}"
            account = iban(i) if r() < 0.4 else ""
            day = timezone.localtime(registered).date()
            self._contracts(chunk, rng, i, pos, day, lifecycle, address, full_name, account)
        if (kind == "subscriber" and lifecycle != "potential") or kind == "online_user":
            self._recordings(chunk, rng, pos)
            if self.files and i % 20 == 1:
                chunk.with_files.append(pos)
        if kind == "subscriber" and i % 37 == 5:
            self._disclosure(chunk, rng, i, pos)

    def _contracts(self, chunk, rng, i, pos, registered, lifecycle, address, full_name, account) -> None:
        r = rng.random
        today = self.today
        days = self.days
        since = max(0, (today - registered).days - 1)
        roll = r()
        count = 1 if roll < 0.6 else 2 if roll < 0.88 else 3 if roll < 0.97 else 4
        debtor = lifecycle == "former" and r() < 0.2
        for k in range(count):
            start = registered + days[0 if k == 0 else int(r() * since * 0.8)]
            prepaid = r() < 0.35
            ended = lifecycle == "former" or (k > 0 and r() < 0.35)
            span = (today - start).days  # >= 1
            if ended and span >= 2:
                two_years_ago = today - days[730]
                if prepaid and r() < 0.5 and start < two_years_ago - days[60]:
                    # §34: many prepaid services stopped being used around two years ago.
                    end = two_years_ago + datetime.timedelta(days=int(r() * 120) - 60)
                else:
                    end = start + days[1 + int(r() * (span - 1))]
                end = min(end, today - days[1])
                status, last_use = "ended", end
            else:
                end = None
                status = "suspended" if r() < 0.02 else "active"
                last_use = max(start, today - days[int(r() * 30)]) if prepaid else today - days[1]
            if prepaid:
                service = rng.choice(data.PREPAID_SERVICES)
                price = 0
            else:
                service, price = rng.choice(data.POSTPAID_SERVICES)
            contract_pos = len(chunk.contracts)
            number = f"L{i:08d}-{k + 1}"
            service_address = address if r() < 0.9 else rng.choice(data.RIGA_STREETS)[0] + ", Rīga"
            chunk.contracts.append(
                (pos, number, "prepaid" if prepaid else "postpaid", service, service_address, start, end,
                 last_use, status)
            )  # fmt: skip
            if not prepaid:
                self._invoices(chunk, rng, i, k, pos, contract_pos, start, end, price, full_name, address,
                               account, debtor)  # fmt: skip

    def _invoices(self, chunk, rng, i, k, pos, contract_pos, start, end, price, payer, address, account,
                  debtor) -> None:  # fmt: skip
        """Monthly invoices of a postpaid contract (Annex 1 cat. 18); some with open debts (§31.2)."""
        r = rng.random
        month_ends = self.month_ends
        first = bisect.bisect_left(month_ends, start)
        last = bisect.bisect_right(month_ends, end) if end else len(month_ends)
        if first >= last:
            return
        today = self.today
        days = self.days
        append = chunk.invoices.append
        unpaid_from = last - 1 - int(r() * 3) if debtor else last
        suffix = f"-{i:08d}{k + 1}"
        for m in range(first, last):
            issued = month_ends[m]
            cents = price + (int(r() * 2000) if r() < 0.1 else 0)
            amount = f"{cents // 100}.{cents % 100:02d}"
            paid = issued + days[3 + int(r() * 22)]
            if m >= unpaid_from or paid >= today or r() < 0.004:
                paid, debt = None, amount
            else:
                debt = "0.00"
            append((pos, contract_pos, f"R{self.month_labels[m]}{suffix}", issued, amount, paid, debt, payer,
                    address, account))  # fmt: skip

    def _recordings(self, chunk: Chunk, rng: random.Random, pos: int) -> None:
        """Call audio and correspondence (Annex 1 cat. 13, 26): many around 6 months old (§33)."""
        r = rng.random
        roll = r()
        count = 0 if roll < 0.35 else 1 if roll < 0.7 else 2 if roll < 0.9 else 3
        for _ in range(count):
            age = r() * 365 if r() < 0.7 else 182 + (r() - 0.5) * 40  # days
            recorded = self.now - datetime.timedelta(days=age)
            roll = r()
            if roll < 0.75:
                row = (pos, "call_audio", "phone", recorded, 30 + int(r() * r() * 1200), "")
            elif roll < 0.95:
                row = (pos, "correspondence", rng.choice(("email", "portal", "chat")), recorded, 0, "")
            else:
                row = (pos, "video", "in_person", recorded, 60 + int(r() * 540), "")
            chunk.recordings.append(row)

    def _disclosure(self, chunk: Chunk, rng: random.Random, i: int, pos: int) -> None:
        """A §26 disclosure: to the police on request, a court, a bank, the electricity operator."""
        r = rng.random
        roll = r()
        if roll < 0.4:
            recipient, ground, categories = "law_entitled_persons", "26.3", (1, 2, 31)
        elif roll < 0.55:
            recipient, ground, categories = "courts_state_institutions", "26.4", (1, 2, 18)
        elif roll < 0.75:
            recipient, ground, categories = "banks", "26.1", (1, 18)
        elif roll < 0.85:
            recipient, ground, categories = "electricity_dso", "26.1", (1, 2, 29)
        else:
            recipient, ground, categories = "banks", "26.2", (1, 2, 17)
        on = self.today - self.days[int(r() * self.window_days)]
        reference = data.DISCLOSURE_REFERENCES[ground].format(n=f"{on:%Y}/{i % 100000:05d}")
        chunk.disclosures.append((pos, recipient, ground, reference, on, categories))
