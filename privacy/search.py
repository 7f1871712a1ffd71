"""Finding a person by whatever the caller gives (§5, §36–37: a request names its subject in many ways).

    customers_matching(term) -> QuerySet[Customer]     every search box that looks for a customer
    erasures_matching(term)  -> QuerySet[ErasureRecord] the erasures of an old number or personal code

What was typed decides the lookup, so that every search is served by an index at a million customers:

- a personal code ("010190-12345", "01019012345") -> the personal code;
- an email (anything with "@") -> the email;
- anything with a digit -> customer number, contract number, portal user number, or a phone number in
  any common form ("+371 2612 3456", "0037126123456", "2612 3456");
- words -> the full name, in either order, any part of it, without diacritics: "berzina", "Vija
  Bērziņa" and "Bērziņa Vija" all find Vija Bērziņa. On PostgreSQL each word of three letters or more
  is a substring of the stored `search_name` (`privacy_person_name(first_name, last_name)`: lower-cased,
  `unaccent`-ed, kept by PostgreSQL as a generated column, migration 0014), served by a trigram GIN
  index; one or two letters alone are a last-name prefix (a b-tree range). Elsewhere (SQLite,
  `make run`) the words are `icontains` on the two names.

An erased customer's old customer number or personal code is found through the erasure ledger's keyed
hashes (privacy/erasure/ledger.py): a customer kept as a tombstone is in the results (status "erased"),
and the caller can show the matching erasure records.

The term is cleaned first: NUL characters and lone surrogates (which PostgreSQL and UTF-8 refuse) are
dropped, and it is cut to MAX_TERM characters and MAX_WORDS words.
"""

from __future__ import annotations

import re

from django.db import connections
from django.db.models import CharField, F, Func, Q, QuerySet, Value
from django.db.models.lookups import Contains

from .admin_utils import prefix_filter
from .erasure.ledger import customer_number_hash, personal_code_hash
from .models import Contract, Customer, ErasureRecord
from .suppression import normalise_phone

MAX_TERM = 200
MAX_WORDS = 6
#: Shorter words cannot use the trigram index (a trigram needs three characters).
TRIGRAM_MIN = 3

PERSONAL_CODE = re.compile(r"^\d{6}-?\d{5}$")
_PHONE = re.compile(r"^\+?[\d\s\-().]{6,}$")


class StoredName(Func):
    """The customer's `search_name`: `privacy_person_name(first, last)` ("first last", lower-cased,
    without diacritics), stored by PostgreSQL in a generated column (migration 0014) that the trigram
    index covers. The column has no model field, so it is named through the row's own alias (the
    customer table may be aliased in a subquery)."""

    output_field = CharField()

    def __init__(self):
        super().__init__(F("pk"))

    def as_sql(self, compiler, connection, **extra_context):
        pk, params = compiler.compile(self.get_source_expressions()[0])
        column = connection.ops.quote_name("search_name")
        return (f"{pk.rsplit('.', 1)[0]}.{column}" if "." in pk else column), params


class Fold(Func):
    """`privacy_fold(text)`: the same folding as the stored name, for the search term."""

    function = "privacy_fold"
    output_field = CharField()


def clean(term: str) -> str:
    """The term without NUL or lone surrogates, stripped and cut to MAX_TERM characters."""
    term = (term or "").replace("\x00", "")
    term = term.encode("utf-8", "ignore").decode("utf-8")
    return term.strip()[:MAX_TERM]


def customers_matching(term: str, queryset: QuerySet | None = None) -> QuerySet:
    """The customers `term` names (see the module docstring). An empty term matches nobody."""
    qs = Customer.objects.all() if queryset is None else queryset
    term = clean(term)
    if not term:
        return qs.none()
    if PERSONAL_CODE.match(term):
        code = term if "-" in term else f"{term[:6]}-{term[6:]}"
        return qs.filter(Q(personal_code=code) | Q(pk__in=_linked_ids(term, set())))
    if "@" in term:
        return qs.filter(email__in={term, term.lower()})
    if any(char.isdigit() for char in term):
        compact = re.sub(r"\s+", "", term)
        numbers = {compact, compact.upper()}
        match = (
            Q(customer_number__in=numbers)
            | Q(portal_user_number=compact)
            | Q(pk__in=_linked_ids(term, numbers))
        )
        if _PHONE.match(term):
            match |= Q(phone__in=_phone_forms(term))
        return qs.filter(match)
    return _by_name(qs, term)


def _phone_forms(term: str) -> set[str]:
    """The stored forms a phone number may have: "+37126123456", "26123456", and as typed."""
    digits = normalise_phone(term)
    forms = {re.sub(r"[\s\-().]", "", term)}
    if digits:
        forms |= {f"+{digits}", digits}
        if digits.startswith("371") and len(digits) == 11:
            forms.add(digits[3:])
    return forms


def _by_name(qs: QuerySet, term: str) -> QuerySet:
    words = [word for word in re.split(r"[\s,]+", term) if word][:MAX_WORDS]
    if not words:
        return qs.none()
    if len(words) == 1 and len(words[0]) < TRIGRAM_MIN:
        word = words[0]
        return prefix_filter(qs, "last_name", word[:1].upper() + word[1:])
    if connections[qs.db].vendor != "postgresql":
        for word in words:
            qs = qs.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
        return qs
    name = StoredName()
    for word in words:
        qs = qs.filter(Contains(name, Fold(Value(word))))
    return qs


def _linked_ids(term: str, contract_numbers: set[str]) -> list[int]:
    """Ids of the customers a contract number names, and of tombstones whose erasure record holds the
    hash of `term` as a customer number or personal code (a deleted customer has no row left: see
    erasures_matching). Read first, in one query, so that the customer query is an OR of plain index
    lookups: an `IN (subquery)` inside the OR would make PostgreSQL read the whole table."""
    erased = (
        erasures_matching(term)
        .filter(tombstone=True, subject_id__isnull=False)
        .values_list("subject_id", flat=True)
        .order_by()
    )
    if not contract_numbers:
        return list(erased)
    contracts = Contract.objects.filter(number__in=contract_numbers).values_list("customer_id", flat=True)
    return list(contracts.order_by().union(erased))


def erasures_matching(term: str) -> QuerySet:
    """The erasure records of the customer whose old customer number or personal code is `term`."""
    term = clean(term)
    # Customer numbers and personal codes hold digits: a name costs no query here.
    if not term or any(char.isspace() for char in term) or not any(char.isdigit() for char in term):
        return ErasureRecord.objects.none()
    hashes = Q(customer_number_hash=customer_number_hash(term))
    if PERSONAL_CODE.match(term):
        hashes |= Q(personal_code_hash=personal_code_hash(term))
    return ErasureRecord.objects.filter(hashes)
