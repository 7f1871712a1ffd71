"""Validating consent rows as a stream, in chunks, with set-based look-ups.

Topics, channels and policy versions are small reference tables read once; every line is checked
against them as it is read. Customer numbers are resolved set-based: per chunk in one query
(`resolve_customers`, the ORM backend), or by one join over the staged file (PostgreSQL backend).
Every invalid row becomes an error with its line, column and reason.
"""

from __future__ import annotations

import bisect
import csv
import datetime
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any, BinaryIO, NamedTuple

from django.db.models import Value
from django.db.models.functions import Lower, Replace, Trim
from django.utils.translation import gettext as _

from privacy.models import Customer, PolicyVersion
from privacy.suppression import normalise_phone

from ..models import Action, Channel, ConsentEvent, ConsentTopic, no_consent_needed_message
from .mapping import CONTACT_KEYS, DEFAULT, Mapping, normaliser
from .reading import (
    RIGA,
    FileInfo,
    Header,
    HeaderError,
    iter_lines,
    parse_header,
    parse_moment,
    parse_moment_format,
    split_record,
)
from .result import ImportResult, RowError
from .spreadsheet import NO_CACHED_VALUE, iter_sheet_rows

SOURCE_MAX = ConsentEvent._meta.get_field("source").max_length
#: No decision recorded here is older (naive UTC, as `parse_moment` gives): earlier dates are typing
#: errors (0001-01-01, 01.01.0001), and year 1 is where the calendar, and the arithmetic on it, ends.
EARLIEST = datetime.datetime(1900, 1, 1)


def _naive_utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC).replace(tzinfo=None)


class Parsed(NamedTuple):
    """A row that passed every check but the customer look-up (done per chunk, or in SQL on PostgreSQL).

    `customer_number` holds the row's match key (the mapping's `match`), normalised as the register
    compares it. `occurred_at` is a naive datetime in UTC (cheap to compare and to COPY).
    """

    line: int
    customer_number: str
    topic_id: int
    action: str
    channel: str
    occurred_at: datetime.datetime
    source: str
    policy_version_id: int | None


#: A valid row, customer resolved, ready for the ledger (the ORM backend's rows; aware datetimes): the
#: fields of `Parsed`, the customer's id in place of the match key.
Row = NamedTuple("Row", [("line", int), ("customer_id", int), *list(Parsed.__annotations__.items())[2:]])


class References:
    """The small reference tables, read once per import."""

    def __init__(self):
        self.topics = dict(ConsentTopic.objects.values_list("code", "id"))
        self.topic_codes = {pk: code for code, pk in self.topics.items()}
        self.no_consent_topic_ids = set(
            ConsentTopic.objects.filter(needs_consent=False).values_list("id", flat=True)
        )
        self.commercial_topic_ids = set(
            ConsentTopic.objects.filter(commercial_notice=True).values_list("id", flat=True)
        )
        #: topic id -> the contact channel a commercial-notice topic covers ("" for none)
        self.topic_channels = dict(ConsentTopic.objects.values_list("id", "channel"))
        self.actions = frozenset(Action.values)
        self.channels = frozenset(Channel.values)
        # label -> (id, the moment it came into force: midnight in Riga of its first day, as naive UTC)
        self.versions = {
            label: (pk, _naive_utc(datetime.datetime.combine(start, datetime.time(0), tzinfo=RIGA)))
            for label, pk, start in PolicyVersion.objects.values_list("label", "id", "effective_from")
        }
        in_force = sorted(self.versions.values(), key=lambda item: item[1])
        self._version_ids = [pk for pk, _start in in_force]
        self._version_starts = [start for _pk, start in in_force]

    def version_in_force(self, moment: datetime.datetime) -> int | None:
        """§68–71: the latest version in force at a (naive UTC) moment, as
        privacy.selectors.policy_version_in_force decides it."""
        index = bisect.bisect_right(self._version_starts, moment)
        return self._version_ids[index - 1] if index else None


class Backend:
    """What either backend (postgres.py, orm.py) applies an import with: the staff user it is attributed
    to (None from the command line), the change reason, the moment, the reference tables, the result to
    fill, and the key rows name their person by."""

    def __init__(
        self,
        *,
        actor,
        reason: str,
        now: datetime.datetime,
        references: References,
        result: ImportResult,
        match: str = "customer_number",
    ):
        vars(self).update(actor=actor, reason=reason, now=now, refs=references, result=result, match=match)


class Validator:
    """Reads a file line by line and yields chunks of valid rows; errors go to the result."""

    def __init__(
        self,
        handle: BinaryIO,
        info: FileInfo,
        *,
        result: ImportResult,
        now: datetime.datetime,
        references: References,
        chunk_size: int = 20_000,
        emit: Callable[..., Any] = Parsed,
        mapping: Mapping = DEFAULT,
    ):
        self.mapping = mapping
        self.handle = handle
        self.info = info
        self.result = result
        self.now = now
        self.refs = references
        self.chunk_size = chunk_size
        #: Called with a valid row's eight `Parsed` fields; what it returns is what the chunks hold.
        self.emit = emit
        self.line = 0
        self._pending_errors: list[RowError] = []

    def _error(self, line: int, column: str, message: str) -> None:
        self._pending_errors.append(RowError(line, column, message))

    def _flush_errors(self) -> None:
        for error in sorted(self._pending_errors, key=lambda error: (error.line, error.column)):
            self.result.add_error(error)
        self._pending_errors.clear()

    def chunks(self) -> Iterator[list]:
        """Rows valid but for the customer look-up (as `emit` makes them), in chunks of `chunk_size`,
        in file order."""
        records = self._sheet_records() if self.info.encoding == "xlsx" else self._csv_records()
        header: Header | None = None
        pending: list = []
        parse = None
        for line, record in records:
            self.line = line
            if parse is None:
                try:
                    header = self._header(record)
                except HeaderError as exc:
                    for column, message in exc.args[0]:
                        self._error(line, column, message)
                    break  # without a header no line can be read
                self.result.delimiter = header.delimiter
                parse = self._parser(header)
                continue
            row = parse(line, record)
            if row is not None:
                pending.append(row)
                if len(pending) >= self.chunk_size:
                    self._flush_errors()
                    yield pending
                    pending = []
        if header is None and not self._pending_errors:
            self._error(1, "", _("The file has no header line."))
        self._flush_errors()
        if pending:
            yield pending

    def _csv_records(self) -> Iterator[tuple[int, str]]:
        """(line, text) of the lines that hold anything; unreadable lines become errors."""
        line = 0
        for text in iter_lines(self.handle, self.info.encoding, self.info.newline):
            line += 1
            if text is None:
                self._error(line, "", _("The line holds bytes that are not valid UTF-8 or Windows-1257."))
                continue
            if not text or text.isspace():
                continue  # blank lines, e.g. at the end of the file
            if "\x00" in text:
                self._error(line, "", _("The line holds a NUL byte (a binary or corrupt file?)."))
                continue
            yield line, text
        self.line = line

    def _sheet_records(self) -> Iterator[tuple[int, list]]:
        """(row number, cells) of a spreadsheet's rows that hold anything."""
        for line, cells in iter_sheet_rows(self.handle):
            if all(cell == "" for cell in cells):
                continue
            yield line, cells

    def _header(self, record) -> Header:
        if isinstance(record, str):
            return parse_header(record, self.mapping)
        cells = ["" if cell is NO_CACHED_VALUE else cell for cell in record]
        text = ",".join('"' + cell.replace('"', '""') + '"' for cell in cells)
        header = parse_header(text, replace(self.mapping, delimiter=","))
        return Header(delimiter="", width=len(cells), positions=header.positions)

    def _parser(self, header: Header):
        """A function checking one record (a CSV line's text, or a sheet row's cells) against the header,
        the mapping and the references: what `emit` makes of its fields, or None after recording the
        line's errors. Written for speed: it runs once per line of million-line files."""
        refs, error, result, emit = self.refs, self._error, self.result, self.emit
        topics, actions, channels, versions = refs.topics, refs.actions, refs.channels, refs.versions
        version_in_force, now = refs.version_in_force, _naive_utc(self.now)
        delimiter, width = header.delimiter, header.width
        mapping = self.mapping
        match, constants, date_format = mapping.match, mapping.constants, mapping.date_format
        normalise = None if match == "customer_number" else normaliser(match)
        position = header.positions
        names = {index: name for name, index in position.items()}
        i_key = position[match]
        # -1: the field has no column; its constant (or "") stands for it
        i_topic, i_action, i_channel, i_moment, i_source, i_version = (
            position.get(name, -1)
            for name in ("topic", "action", "channel", "occurred_at", "source", "policy_version")
        )
        c_topic, c_action, c_channel, c_moment, c_source, c_version = (
            constants.get(name, "")
            for name in ("topic", "action", "channel", "occurred_at", "source", "policy_version")
        )
        bad_moment = (
            _("Not a date and time in the format %(format)s.") % {"format": date_format}
            if date_format
            else _("Not a date and time: use ISO 8601 or DD.MM.YYYY HH:MM[:SS].")
        )
        bad_key = {
            "email": _("Not an e-mail address."),
            "phone": _("Not a phone number."),
        }.get(match, _("Missing."))

        unknown_topic = _("Unknown topic “%(value)s”.")
        unknown_action = _("Unknown action “%(value)s” (given or withdrawn).")
        unknown_channel = _("Unknown channel “%(value)s”.")

        def choice(line: int, column: str, value: str, allowed, unknown: str) -> str | None:
            """The value trimmed and in lower case if that is allowed; else None, the line's error noted.
            (Called only for a value not allowed as it stands: the common case costs no call.)"""
            value = value.strip().lower()
            if value in allowed:
                return value
            error(line, column, unknown % {"value": value[:40]} if value else _("Missing."))
            return None

        def parse(line: int, record):
            if isinstance(record, list):
                fields = record
                if NO_CACHED_VALUE in fields:
                    for index, cell in enumerate(fields):
                        if cell is NO_CACHED_VALUE:
                            error(line, names.get(index, ""), _("A formula without a saved value."))
                    return None
                if len(fields) < width:
                    fields = fields + [""] * (width - len(fields))
            else:
                text = record
                if '"' in text:
                    try:
                        fields = split_record(text, header)
                    except csv.Error:
                        error(line, "", _('Malformed quoting: a stray or unclosed quote (").'))
                        return None
                else:
                    fields = text.split(delimiter)
                if len(fields) != width:
                    fields = split_record(text, header) if len(fields) > width else fields  # trailing padding
                    if len(fields) != width:
                        error(
                            line,
                            "",
                            _("Expected %(expected)d fields, found %(found)d.")
                            % {"expected": width, "found": len(fields)},
                        )
                        return None
            result.rows += 1
            ok = True

            raw_key = fields[i_key]
            customer_number = raw_key.strip() if normalise is None else normalise(raw_key)
            if not customer_number or (match == "email" and "@" not in customer_number):
                error(line, match, bad_key if raw_key.strip() else _("Missing."))
                ok = False

            topic = fields[i_topic] if i_topic >= 0 else c_topic
            topic_id = topics.get(topic)
            if topic_id is None:
                topic = choice(line, "topic", topic, topics, unknown_topic)
                topic_id = topics.get(topic)
                ok = ok and topic_id is not None
            if topic_id is not None and topic_id in refs.no_consent_topic_ids:
                error(line, "topic", no_consent_needed_message(topic.strip().lower()))
                ok = False

            action = fields[i_action] if i_action >= 0 else c_action
            if action not in actions:
                action = choice(line, "action", action, actions, unknown_action)
                ok = ok and action is not None

            channel = fields[i_channel] if i_channel >= 0 else c_channel
            if channel not in channels:
                channel = choice(line, "channel", channel, channels, unknown_channel)
                ok = ok and channel is not None

            raw_moment = (fields[i_moment] if i_moment >= 0 else c_moment).strip()
            if not raw_moment:
                occurred_at = None
            elif date_format:
                occurred_at = parse_moment_format(raw_moment, date_format)
            else:
                occurred_at = parse_moment(raw_moment)
            if occurred_at is None:
                error(line, "occurred_at", bad_moment if raw_moment else _("Missing."))
                ok = False
            elif occurred_at > now:
                error(line, "occurred_at", _("Lies in the future."))
                ok = False
            elif occurred_at < EARLIEST:
                error(line, "occurred_at", _("Lies before the year 1900: not a date of a decision."))
                ok = False

            source = (fields[i_source] if i_source >= 0 else c_source).strip()
            if len(source) > SOURCE_MAX:
                error(line, "source", _("Longer than %(max)d characters.") % {"max": SOURCE_MAX})
                ok = False

            label = (fields[i_version] if i_version >= 0 else c_version).strip()
            version_id = None
            if label:
                version = versions.get(label)
                if version is None:
                    error(
                        line,
                        "policy_version",
                        _("Unknown policy version “%(value)s”.") % {"value": label[:40]},
                    )
                    ok = False
                elif occurred_at is not None and occurred_at < version[1]:
                    error(
                        line,
                        "policy_version",
                        _("Version “%(value)s” was not yet in force at that moment.") % {"value": label},
                    )
                    ok = False
                else:
                    version_id = version[0]
            elif occurred_at is not None:
                version_id = version_in_force(occurred_at)

            if not ok:
                return None
            return emit(line, customer_number, topic_id, action, channel, occurred_at, source, version_id)

        return parse


def resolve_customers(
    pending: list[Parsed], report, *, match: str = "customer_number", unknown_opt_out=None
) -> list[Row]:
    """Resolve a chunk's keys in one query; rows of unknown or erased customers, and keys matching two
    customers, are errors (passed to `report`); a withdrawal by an unknown e-mail or phone goes to
    `unknown_opt_out(row)` instead (§57, §60). The ORM backend's way; PostgreSQL resolves them with a
    join (postgres.py)."""
    keys = {row.customer_number for row in pending}
    found: dict[str, list[tuple[int, str, str]]] = {}
    for key, pk, number, status in customer_keys(match, keys):
        found.setdefault(key, []).append((pk, number, status))
    rows = []
    for parsed in pending:
        line, key, topic_id, action, channel, occurred_at, source, version_id = parsed
        customers = found.get(key, [])
        if len(customers) > 1:
            report(RowError(line, match, ambiguous_message(number for _pk, number, _status in customers)))
        elif not customers:
            if match in CONTACT_KEYS and action == Action.WITHDRAWN and unknown_opt_out is not None:
                unknown_opt_out(parsed)
            else:
                report(RowError(line, match, unknown_customer_message(match)))
        elif customers[0][2] == Customer.Status.TOMBSTONE:
            report(RowError(line, match, erased_customer_message()))
        else:
            rows.append(
                Row(
                    line,
                    customers[0][0],
                    topic_id,
                    action,
                    channel,
                    occurred_at.replace(tzinfo=datetime.UTC),
                    source,
                    version_id,
                )
            )
    return rows


def opt_out_channels(match: str, topic_channel: str) -> tuple[str, ...]:
    """The suppression-list channels an unknown person's withdrawal by `match` (e-mail or phone) stops:
    e-mail for an address; for a phone number the topic's channel (SMS or calls), or both if the topic
    names neither."""
    if match == "email":
        return ("email",)
    return (topic_channel,) if topic_channel in ("sms", "phone") else ("sms", "phone")


def customer_keys(match: str, keys: set[str]):
    """(key, id, customer number, status) of the customers whose `match` key, normalised as the file's
    keys are, is one of `keys`. An erased customer's (tombstone) contact or code never matches; only
    the customer number still names one (to say it was erased)."""
    customers = Customer.objects.all()
    if match == "customer_number":
        return customers.filter(customer_number__in=keys).values_list(
            "customer_number", "id", "customer_number", "status"
        )
    customers = customers.exclude(status=Customer.Status.TOMBSTONE)
    if match == "phone":
        return [
            (key, pk, number, status)
            for phone, pk, number, status in customers.exclude(phone="").values_list(
                "phone", "id", "customer_number", "status"
            )
            if (key := register_phone_key(phone)) in keys
        ]
    expression = {
        "email": Lower(Trim("email")),
        "personal_code": Replace(Trim("personal_code"), Value("-"), Value("")),
        "portal_user_number": Trim("portal_user_number"),
    }[match]
    return (
        customers.annotate(match_key=expression)
        .filter(match_key__in=keys)
        .values_list("match_key", "id", "customer_number", "status")
    )


def register_phone_key(phone: str) -> str:
    """A stored phone number as the import compares it: privacy.suppression's normal form (digits,
    "00" dropped, +371 before 8 digits), which the SQL function `consent_phone_key` mirrors."""
    return normalise_phone(phone) if phone.strip() else ""


def unknown_customer_message(match: str = "customer_number") -> str:
    return {
        "email": _("No customer has this e-mail address."),
        "phone": _("No customer has this phone number."),
        "personal_code": _("No customer has this personal code."),
        "portal_user_number": _("No customer has this portal user number."),
    }.get(match) or _("No customer has this number.")


def ambiguous_message(numbers) -> str:
    return _("Matches more than one customer: %(numbers)s.") % {"numbers": ", ".join(sorted(numbers))}


def erased_customer_message() -> str:
    return _("This customer was erased.")
