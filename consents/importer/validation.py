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
from typing import Any, BinaryIO, NamedTuple

from django.utils.translation import gettext as _

from privacy.models import Customer, PolicyVersion

from ..models import Action, Channel, ConsentEvent, ConsentTopic, no_consent_needed_message
from .reading import (
    RIGA,
    FileInfo,
    Header,
    HeaderError,
    iter_lines,
    parse_header,
    parse_moment,
    split_record,
)
from .result import ImportResult, RowError

SOURCE_MAX = ConsentEvent._meta.get_field("source").max_length
#: No decision recorded here is older (naive UTC, as `parse_moment` gives): earlier dates are typing
#: errors (0001-01-01, 01.01.0001), and year 1 is where the calendar, and the arithmetic on it, ends.
EARLIEST = datetime.datetime(1900, 1, 1)


def _naive_utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC).replace(tzinfo=None)


class Parsed(NamedTuple):
    """A row that passed every check but the customer look-up (done per chunk, or in SQL on PostgreSQL).

    `occurred_at` is a naive datetime in UTC (cheap to compare and to COPY).
    """

    line: int
    customer_number: str
    topic_id: int
    action: str
    channel: str
    occurred_at: datetime.datetime
    source: str
    policy_version_id: int | None


class Row(NamedTuple):
    """A valid row, customer resolved, ready for the ledger (the ORM backend's rows; aware datetimes)."""

    line: int
    customer_id: int
    topic_id: int
    action: str
    channel: str
    occurred_at: datetime.datetime
    source: str
    policy_version_id: int | None


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
    ):
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
        encoding = self.info.encoding
        header: Header | None = None
        pending: list = []
        parse = None
        for text in iter_lines(self.handle, encoding, self.info.newline):
            self.line += 1
            line = self.line
            if text is None:
                self._error(line, "", _("The line holds bytes that are not valid UTF-8 or Windows-1257."))
                continue
            if not text or text.isspace():
                continue  # blank lines, e.g. at the end of the file
            if "\x00" in text:
                self._error(line, "", _("The line holds a NUL byte (a binary or corrupt file?)."))
                continue
            if parse is None:
                try:
                    header = parse_header(text)
                except HeaderError as exc:
                    for column, message in exc.args[0]:
                        self._error(line, column, message)
                    break  # without a header no line can be read
                self.result.delimiter = header.delimiter
                parse = self._parser(header)
                continue
            row = parse(line, text)
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

    def _parser(self, header: Header):
        """A function checking one line against the header and the references: what `emit` makes of
        its fields, or None after recording the line's errors. Written for speed: it runs once per
        line of million-line files."""
        refs, error, result, emit = self.refs, self._error, self.result, self.emit
        topics, actions, channels, versions = refs.topics, refs.actions, refs.channels, refs.versions
        version_in_force, now = refs.version_in_force, _naive_utc(self.now)
        delimiter, width = header.delimiter, header.width
        position = header.positions
        i_customer, i_topic, i_action, i_channel = (
            position["customer_number"],
            position["topic"],
            position["action"],
            position["channel"],
        )
        i_moment, i_source, i_version = (
            position["occurred_at"],
            position["source"],
            position["policy_version"],
        )

        def parse(line: int, text: str):
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

            customer_number = fields[i_customer].strip()
            if not customer_number:
                error(line, "customer_number", _("Missing."))
                ok = False

            topic = fields[i_topic]
            topic_id = topics.get(topic)
            if topic_id is None:
                topic = topic.strip().lower()
                topic_id = topics.get(topic)
                if topic_id is None:
                    error(
                        line,
                        "topic",
                        _("Unknown topic “%(value)s”.") % {"value": topic[:40]} if topic else _("Missing."),
                    )
                    ok = False
            if topic_id is not None and topic_id in refs.no_consent_topic_ids:
                error(line, "topic", no_consent_needed_message(topic.strip().lower()))
                ok = False

            action = fields[i_action]
            if action not in actions:
                action = action.strip().lower()
                if action not in actions:
                    error(
                        line,
                        "action",
                        _("Unknown action “%(value)s” (given or withdrawn).") % {"value": action[:40]}
                        if action
                        else _("Missing."),
                    )
                    ok = False

            channel = fields[i_channel]
            if channel not in channels:
                channel = channel.strip().lower()
                if channel not in channels:
                    error(
                        line,
                        "channel",
                        _("Unknown channel “%(value)s”.") % {"value": channel[:40]}
                        if channel
                        else _("Missing."),
                    )
                    ok = False

            raw_moment = fields[i_moment].strip()
            occurred_at = parse_moment(raw_moment) if raw_moment else None
            if occurred_at is None:
                error(
                    line,
                    "occurred_at",
                    _("Not a date and time: use ISO 8601 or DD.MM.YYYY HH:MM[:SS].")
                    if raw_moment
                    else _("Missing."),
                )
                ok = False
            elif occurred_at > now:
                error(line, "occurred_at", _("Lies in the future."))
                ok = False
            elif occurred_at < EARLIEST:
                error(line, "occurred_at", _("Lies before the year 1900: not a date of a decision."))
                ok = False

            source = fields[i_source].strip()
            if len(source) > SOURCE_MAX:
                error(line, "source", _("Longer than %(max)d characters.") % {"max": SOURCE_MAX})
                ok = False

            label = fields[i_version].strip()
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


def resolve_customers(pending: list[Parsed], report) -> list[Row]:
    """Resolve a chunk's customer numbers in one query; rows of unknown or erased customers are errors
    (passed to `report`). The ORM backend's way; PostgreSQL resolves them with a join (postgres.py)."""
    numbers = {row.customer_number for row in pending}
    found = {
        number: (pk, status)
        for number, pk, status in Customer.objects.filter(customer_number__in=numbers).values_list(
            "customer_number", "id", "status"
        )
    }
    rows = []
    for line, number, topic_id, action, channel, occurred_at, source, version_id in pending:
        customer = found.get(number)
        if customer is None:
            report(RowError(line, "customer_number", unknown_customer_message()))
        elif customer[1] == Customer.Status.TOMBSTONE:
            report(RowError(line, "customer_number", erased_customer_message()))
        else:
            rows.append(
                Row(
                    line,
                    customer[0],
                    topic_id,
                    action,
                    channel,
                    occurred_at.replace(tzinfo=datetime.UTC),
                    source,
                    version_id,
                )
            )
    return rows


def unknown_customer_message() -> str:
    return _("No customer has this number.")


def erased_customer_message() -> str:
    return _("This customer was erased.")
