"""How to read one source's consent file: the match key, which column feeds which field, constants for
the fields the file lacks, the date format, and optionally the encoding and delimiter (§47, §48, §60).

An admin-editable `consents.ImportProfile` becomes a `Mapping`; `import_consents --map/--set/--match`
override or replace it. The default mapping is our own layout: the seven columns, keyed by customer
number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import phonenumbers

#: The ways a row names its person: a column of `privacy.Customer`.
MATCH_KEYS = ("customer_number", "email", "phone", "personal_code", "portal_user_number")
#: Keys a withdrawal from an unknown person can be suppressed by (§57, §60): contacts, hashed.
CONTACT_KEYS = ("email", "phone")
#: The fields of a row besides its key.
FIELDS = ("topic", "action", "channel", "occurred_at", "source", "policy_version")
#: Fields a row cannot do without (a column or a constant must give them).
REQUIRED = ("topic", "action", "channel", "occurred_at")
#: Our own layout.
COLUMNS = ("customer_number", *FIELDS)
ENCODINGS = ("utf-8", "utf-8-sig", "cp1257")
DELIMITERS = (",", ";", "\t")


def header_name(name: str) -> str:
    """A column name as headers are compared: trimmed, lower case, spaces as underscores."""
    return name.strip().lower().replace(" ", "_")


@dataclass(frozen=True)
class Mapping:
    match: str = "customer_number"
    #: field (the match key's name or one of FIELDS) -> header of the file's column
    columns: dict[str, str] = field(default_factory=lambda: {name: name for name in COLUMNS})
    #: field -> the value every row gets
    constants: dict[str, str] = field(default_factory=dict)
    #: strptime format of occurred_at; "" for ISO 8601 or DD.MM.YYYY HH:MM[:SS]
    date_format: str = ""
    #: "" to detect
    encoding: str = ""
    #: "" to detect ("," or ";")
    delimiter: str = ""

    @property
    def key_column(self) -> str:
        """The header of the match key's column (by default named like the key)."""
        return self.columns.get(self.match, self.match)

    def wanted(self) -> dict[str, str]:
        """Field -> header of every column this mapping reads (constants win over a profile's column)."""
        wanted = {self.match: self.key_column}
        for name in FIELDS:
            if name in self.columns and name not in self.constants:
                wanted[name] = self.columns[name]
        return wanted

    def overridden(
        self,
        *,
        match: str = "",
        columns: dict[str, str] | None = None,
        constants: dict[str, str] | None = None,
    ) -> Mapping:
        """This mapping with the command line's --match, --map FIELD=HEADER and --set FIELD=VALUE: a
        mapped field loses its constant, a set field its column."""
        new_columns, new_constants = dict(self.columns), dict(self.constants)
        for name, header in (columns or {}).items():
            new_columns[name] = header
            new_constants.pop(name, None)
        for name, value in (constants or {}).items():
            new_constants[name] = value
            if name in FIELDS:
                new_columns.pop(name, None)
        return replace(self, match=match or self.match, columns=new_columns, constants=new_constants)


DEFAULT = Mapping()


# --- Keys as the register compares them ------------------------------------------------------------

_NON_DIGITS = re.compile(r"\D+")


def normalise_email(value: str) -> str:
    return value.strip().lower()


def normalise_phone(value: str) -> str:
    """A phone number in E.164 without the "+", Latvia the default country: "29 123 456",
    "+371 29123456" and "0037129123456" are all "37129123456"; "" when it is not a phone number.

    The database side (migration consents 0006, `consent_phone_key`) gives the customers' stored numbers
    the same form: digits, "00" dropped, +371 before an 8-digit national number.
    """
    value = value.strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "LV")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_possible_number(number):
        digits = _NON_DIGITS.sub("", value)
        try:
            number = phonenumbers.parse("+" + digits, None) if digits else None
        except phonenumbers.NumberParseException:
            return ""
        if number is None or not phonenumbers.is_possible_number(number):
            return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)[1:]


def normalise_personal_code(value: str) -> str:
    return value.strip().replace("-", "")


def normaliser(match: str):
    """The function giving a file's key the form the register's key is compared in."""
    return {
        "email": normalise_email,
        "phone": normalise_phone,
        "personal_code": normalise_personal_code,
    }.get(match, str.strip)
