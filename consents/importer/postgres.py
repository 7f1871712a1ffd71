"""Applying validated consent rows on PostgreSQL: COPY into a staging table, then set-based SQL.

Per-row ORM saves (and simple-history's bulk helpers) are far too slow for a million rows, so the rows are
COPYed into a temporary table while the file is being validated (one COPY, so the server stores rows
while Python reads the next ones; the validator makes each valid row a line of COPY text at once), one
join resolves the customer numbers and finds the rows new to the ledger, and the ledger, its history,
the current state and its history are written by INSERT ... SELECT statements, all in the caller's
transaction (a file with any invalid row is rolled back before anything reaches the real tables).

    stage    every row that passed the checks, with its line number and customer number (COPY)
    fresh    rows not yet in the ledger, customers resolved, each event once (natural key), in key
             order; and every row of an unknown or erased customer, to be reported by line
    decided  the latest new decision per customer and topic, compared with the current state

The state rule is `consents.models.decision_prevails`: a later decision wins, at the same moment a
withdrawal beats a consent, an older decision stays in the ledger without overturning the state.
"""

# SQL here is composed from model table names and module constants only; every value is a parameter.
# ruff: noqa: S608

from __future__ import annotations

import contextlib
import datetime

from django.db import connection

from privacy.locks import lock_for_bulk_import
from privacy.models import Customer

from ..models import Action, Consent, ConsentEvent
from .mapping import CONTACT_KEYS
from .result import MAX_SAMPLE, ImportResult, RowError
from .validation import (
    Parsed,
    References,
    ambiguous_message,
    erased_customer_message,
    opt_out_channels,
    unknown_customer_message,
)

STAGE = "consent_import_stage"
MATCH = "consent_import_match"
UNKNOWN = "consent_import_unknown"
#: How a customer's key is compared with a file's normalised key; each has an index (migration
#: consents 0006), so that a million keys are matched by one join. Erased customers never match.
KEY_EXPRESSIONS = {
    "email": "lower(btrim(c.email))",
    "phone": "consent_phone_key(c.phone)",
    "personal_code": "replace(btrim(c.personal_code), '-', '')",
    "portal_user_number": "btrim(c.portal_user_number)",
}
FRESH = "consent_import_fresh"
DECIDED = "consent_import_decided"
_HISTORY_OWN = {"history_id", "history_date", "history_change_reason", "history_type", "history_user_id"}
_NULL = "\\N"
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\r": "\\r", "\n": "\\n"})


def _copy_text(value: str) -> str:
    """A value in COPY's text format (backslash escapes)."""
    if "\\" in value or "\t" in value or "\r" in value or "\n" in value:
        return value.translate(_COPY_ESCAPES)
    return value


def _tracked_columns(model) -> list[str]:
    """Columns the history table copies from the model; fails loudly if the history shape changes."""
    history_model = model.history.model
    columns = [field.column for field in history_model._meta.concrete_fields]
    tracked = [column for column in columns if column not in _HISTORY_OWN]
    model_columns = {field.column for field in model._meta.concrete_fields}
    unknown = set(tracked) - model_columns
    if unknown or not set(columns) >= _HISTORY_OWN:
        raise RuntimeError(f"Unexpected history columns of {model._meta.label}: {sorted(unknown)}")
    return tracked


def _analyze(*tables: str) -> None:
    """Statistics for temporary tables, which autovacuum never analyses: without them the planner
    guesses their size and may join a million rows by nested loops (an import that never ends)."""
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(tables)}")


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _history_table(model) -> str:
    return connection.ops.quote_name(model.history.model._meta.db_table)


class PostgresBackend:
    chunk_size = 20_000

    def __init__(
        self,
        *,
        actor_id: int | None,
        reason: str,
        now: datetime.datetime,
        references: References,
        result: ImportResult,
        match: str = "customer_number",
    ):
        self.match = match
        self.params = {"actor": actor_id, "reason": reason, "now": now}
        self.refs = references
        self.result = result
        self._copy = None

    def begin(self, *, exclusive: bool) -> None:
        if exclusive:
            # One applying import at a time, and no erasure meanwhile (privacy/locks.py): what `fresh`
            # finds missing from the ledger stays missing until this transaction writes it (so the ledger
            # insert needs no ON CONFLICT), and no customer resolved here is erased before it commits.
            lock_for_bulk_import()
        with connection.cursor() as cursor:
            # Sorting a million rows for DISTINCT ON stays in memory (server side, this transaction only).
            cursor.execute("SET LOCAL work_mem = '256MB'")
            # JIT compiling these few large statements costs more than it saves (seconds at 100,000 rows,
            # when a misestimated cost crosses jit_above_cost).
            cursor.execute("SET LOCAL jit = off")
            for table in (STAGE, MATCH, UNKNOWN, FRESH, DECIDED):
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
            cursor.execute(
                f"""CREATE TEMPORARY TABLE {STAGE} (
                    line integer NOT NULL,
                    customer_number text NOT NULL,
                    topic_id bigint NOT NULL,
                    action varchar(16) NOT NULL,
                    channel varchar(16) NOT NULL,
                    occurred_at timestamp NOT NULL,  -- UTC
                    source varchar(255) NOT NULL,
                    policy_version_id bigint
                ) ON COMMIT DROP"""
            )

    @contextlib.contextmanager
    def reading(self):
        """One COPY for the whole file: the server stores rows while Python reads the next ones."""
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {STAGE} ({', '.join(Parsed._fields)}) FROM STDIN") as copy,
        ):
            self._copy = copy
            try:
                yield
            finally:
                self._copy = None

    @staticmethod
    def row(line, number, topic_id, action, channel, occurred_at, source, version_id) -> str:
        """A valid row (the fields of `Parsed`) as a line of COPY text, made as the file is read."""
        return (
            f"{line}\t{_copy_text(number)}\t{topic_id}\t{action}\t{channel}\t{occurred_at.isoformat()}\t"
            f"{_copy_text(source)}\t{_NULL if version_id is None else version_id}\n"
        )

    def add(self, rows: list[str]) -> None:
        if rows:
            self._copy.write("".join(rows))

    def _resolved(self) -> str:
        """The staged rows with their customer (id, status, and n: how many customers the key names)."""
        if self.match == "customer_number":
            return f"""(SELECT s.*, c.id AS customer_id, c.status AS customer_status, 1 AS n
                FROM {STAGE} s LEFT JOIN {_table(Customer)} c ON c.customer_number = s.customer_number)"""
        # Each distinct key once against the customers (an index per key kind), then the rows by key.
        with connection.cursor() as cursor:
            cursor.execute(
                f"""CREATE TEMPORARY TABLE {MATCH} ON COMMIT DROP AS
                SELECT {KEY_EXPRESSIONS[self.match]} AS key, count(*) AS n, min(c.id) AS customer_id
                FROM {_table(Customer)} c
                WHERE {KEY_EXPRESSIONS[self.match]} IN (SELECT customer_number FROM {STAGE})
                  AND c.status <> %s
                GROUP BY 1""",
                [Customer.Status.TOMBSTONE],
            )
        _analyze(MATCH)
        return f"""(SELECT s.*, CASE WHEN m.n = 1 THEN m.customer_id END AS customer_id,
                CASE WHEN m.n = 1 THEN '{Customer.Status.ACTIVE}' END AS customer_status,
                coalesce(m.n, 0) AS n
            FROM {STAGE} s LEFT JOIN {MATCH} m ON m.key = s.customer_number)"""

    def finish_reading(self) -> None:
        """Resolve every key with one join, keep the rows new to the ledger in `fresh`, and report unknown
        and erased customers and ambiguous keys by line (each such row stays in `fresh`, for the report).
        Withdrawals by an unknown e-mail or phone move from `fresh` to `unknown` (§57, §60)."""
        _analyze(STAGE)
        resolved = self._resolved()
        with connection.cursor() as cursor:
            # One row per event (natural key), the first line of a repeated one; every row of an unknown
            # or erased customer on its own (keyed by its negative line number).
            cursor.execute(
                f"""CREATE TEMPORARY TABLE {FRESH} ON COMMIT DROP AS
                SELECT DISTINCT ON (key, s.topic_id, s.action, s.occurred_at, s.source COLLATE "C")
                    s.line, s.customer_id, s.customer_status, s.n, s.topic_id, s.action, s.channel,
                    s.occurred_at AT TIME ZONE 'UTC' AS occurred_at, s.source, s.policy_version_id,
                    CASE WHEN s.customer_id IS NULL THEN s.customer_number END AS match_key
                FROM {resolved} s
                CROSS JOIN LATERAL (
                    SELECT CASE WHEN s.customer_id IS NULL OR s.customer_status = %(tombstone)s
                        THEN -s.line ELSE s.customer_id END
                ) k (key)
                WHERE k.key < 0 OR NOT EXISTS (
                    SELECT 1 FROM {_table(ConsentEvent)} e
                    WHERE e.customer_id = s.customer_id AND e.topic_id = s.topic_id AND e.action = s.action
                      AND e.occurred_at = s.occurred_at AT TIME ZONE 'UTC' AND e.source = s.source
                )
                ORDER BY key, s.topic_id, s.action, s.occurred_at, s.source COLLATE "C", s.line""",
                {"tombstone": Customer.Status.TOMBSTONE},
            )
            opt_outs = self.match in CONTACT_KEYS
            cursor.execute(
                f"""CREATE TEMPORARY TABLE {UNKNOWN} ON COMMIT DROP AS
                SELECT line, match_key, topic_id FROM {FRESH}
                WHERE %(opt_outs)s AND n = 0 AND action = %(withdrawn)s""",
                {"opt_outs": opt_outs, "withdrawn": Action.WITHDRAWN},
            )
            cursor.execute(
                f"DELETE FROM {FRESH} WHERE %s AND n = 0 AND action = %s", [opt_outs, Action.WITHDRAWN]
            )
            cursor.execute(f"SELECT count(*) FROM {UNKNOWN}")
            self.result.unknown_opt_outs = cursor.fetchone()[0]
        key_expression = KEY_EXPRESSIONS.get(self.match)
        ambiguous = (
            f"""(SELECT string_agg(c.customer_number, ', ' ORDER BY c.customer_number)
                FROM {_table(Customer)} c
                WHERE {key_expression} = f.match_key AND c.status <> %(tombstone)s)"""
            if key_expression
            else "''"
        )
        with connection.chunked_cursor() as cursor:
            cursor.execute(
                f"""SELECT line, customer_status, n, CASE WHEN n > 1 THEN {ambiguous} END FROM {FRESH} f
                WHERE customer_id IS NULL OR customer_status = %(tombstone)s ORDER BY line""",
                {"tombstone": Customer.Status.TOMBSTONE},
            )
            for line, status, n, numbers in cursor:
                if n > 1:
                    message = ambiguous_message(numbers.split(", "))
                elif status is None:
                    message = unknown_customer_message(self.match)
                else:
                    message = erased_customer_message()
                self.result.add_error(RowError(line, self.match, message))

    def suppress_unknown(self) -> int:
        """Put the contacts of unknown people's withdrawals onto the suppression list (hashed)."""
        from privacy.suppression import suppression_add_many

        channels = self.refs.topic_channels

        def contacts():
            with connection.chunked_cursor() as cursor:
                cursor.execute(f"SELECT DISTINCT match_key, topic_id FROM {UNKNOWN}")
                for key, topic_id in cursor:
                    for channel in opt_out_channels(self.match, channels.get(topic_id, "")):
                        yield channel, key if self.match == "email" else "+" + key

        return suppression_add_many(contacts=list(contacts()), reason=self.params["reason"])

    def _prepare(self) -> None:
        """`decided`, after `finish_reading` found no error (so every row in `fresh` is a new event)."""
        _analyze(FRESH)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""CREATE TEMPORARY TABLE {DECIDED} ON COMMIT DROP AS
                SELECT d.*, c.status AS before,
                    CASE
                        WHEN c.id IS NULL THEN 'created'
                        WHEN d.occurred_at > c.occurred_at
                          OR (d.occurred_at = c.occurred_at
                              AND d.action = %(withdrawn)s AND c.status = %(given)s)
                        THEN CASE WHEN c.status <> d.action THEN 'changed' ELSE 'refreshed' END
                        ELSE 'kept'
                    END AS outcome
                FROM (
                    SELECT DISTINCT ON (customer_id, topic_id) *
                    FROM {FRESH}
                    ORDER BY customer_id, topic_id, occurred_at DESC, (action = %(withdrawn)s) DESC, line DESC
                ) d
                LEFT JOIN {_table(Consent)} c ON c.customer_id = d.customer_id AND c.topic_id = d.topic_id""",
                {"withdrawn": Action.WITHDRAWN, "given": Action.GIVEN},
            )
        _analyze(DECIDED)

    def preview(self, result: ImportResult) -> None:
        """Fill the result with what applying would change; writes nothing but temporary tables."""
        self._prepare()
        codes = self.refs.topic_codes
        with connection.cursor() as cursor:
            cursor.execute(
                f"""SELECT topic_id, action, count(*),
                    count(*) FILTER (WHERE action = %(withdrawn)s AND topic_id = ANY(%(commercial)s)
                                     AND occurred_at < %(now)s - interval '2 days')
                FROM {FRESH} GROUP BY topic_id, action""",
                {
                    **self.params,
                    "withdrawn": Action.WITHDRAWN,
                    "commercial": list(self.refs.commercial_topic_ids),
                },
            )
            for topic_id, action, count, late in cursor.fetchall():
                result.new_events += count
                result.late_withdrawals += late
                result.new_by_topic.setdefault(codes[topic_id], {})[action] = count
            result.duplicates = result.rows - result.new_events - result.unknown_opt_outs
            cursor.execute(f"SELECT outcome, count(*) FROM {DECIDED} GROUP BY outcome")
            for outcome, count in cursor.fetchall():
                setattr(result, f"consents_{outcome}", count)
            cursor.execute(
                f"""SELECT line, topic_id, before, action, customer_id FROM {DECIDED}
                WHERE outcome <> 'kept' ORDER BY line LIMIT {MAX_SAMPLE}"""
            )
            result.changes = [
                {
                    "line": line,
                    "topic": codes[topic_id],
                    "before": before,
                    "after": after,
                    "customer": customer,
                }
                for line, topic_id, before, after, customer in cursor.fetchall()
            ]

    def write(self, result: ImportResult, advance=lambda share: None) -> None:
        """After `preview`: write the ledger, its history, the current state and its history.

        `advance(share)` is told the share of the writing done (0..1) after each statement.
        """
        event_columns = _tracked_columns(ConsentEvent)
        consent_columns = _tracked_columns(Consent)
        history_columns = "history_date, history_change_reason, history_type, history_user_id"
        with connection.cursor() as cursor:
            cursor.execute(
                f"""WITH inserted AS (
                    INSERT INTO {_table(ConsentEvent)} (customer_id, topic_id, action, channel, occurred_at,
                        recorded_at, source, policy_version_id, captured_by_id)
                    SELECT customer_id, topic_id, action, channel, occurred_at,
                        %(now)s, source, policy_version_id, %(actor)s
                    FROM {FRESH}
                    RETURNING *
                )
                INSERT INTO {_history_table(ConsentEvent)} ({", ".join(event_columns)}, {history_columns})
                SELECT {", ".join(event_columns)}, %(now)s, %(reason)s, '+', %(actor)s FROM inserted""",
                self.params,
            )
            advance(0.5)
            # New states: a plain INSERT (under the import lock no other import adds them; a consent given
            # through the service meanwhile for the very same customer and topic makes this import fail
            # whole, rolled back, rather than be merged silently).
            cursor.execute(
                f"""WITH inserted AS (
                    INSERT INTO {_table(Consent)} (customer_id, topic_id, status, occurred_at, channel,
                        source, policy_version_id, updated_at)
                    SELECT customer_id, topic_id, action, occurred_at, channel,
                        source, policy_version_id, %(now)s
                    FROM {DECIDED} WHERE outcome = 'created'
                    RETURNING *
                )
                INSERT INTO {_history_table(Consent)} ({", ".join(consent_columns)}, {history_columns})
                SELECT {", ".join(consent_columns)}, %(now)s, %(reason)s, '+', %(actor)s FROM inserted""",
                self.params,
            )
            advance(0.9)
            # Changed states: the rule is checked again against the live row (decision_prevails).
            cursor.execute(
                f"""WITH updated AS (
                    UPDATE {_table(Consent)} c SET
                        status = d.action,
                        occurred_at = d.occurred_at,
                        channel = d.channel,
                        source = d.source,
                        policy_version_id = d.policy_version_id,
                        updated_at = %(now)s
                    FROM {DECIDED} d
                    WHERE d.outcome IN ('changed', 'refreshed')
                      AND c.customer_id = d.customer_id AND c.topic_id = d.topic_id
                      AND (d.occurred_at > c.occurred_at
                           OR (d.occurred_at = c.occurred_at
                              AND d.action = %(withdrawn)s AND c.status = %(given)s))
                    RETURNING c.*
                )
                INSERT INTO {_history_table(Consent)} ({", ".join(consent_columns)}, {history_columns})
                SELECT {", ".join(consent_columns)}, %(now)s, %(reason)s, '~', %(actor)s FROM updated""",
                {**self.params, "withdrawn": Action.WITHDRAWN, "given": Action.GIVEN},
            )
            result.suppressed = self.suppress_unknown()
            advance(1.0)
            for table in (STAGE, MATCH, UNKNOWN, FRESH, DECIDED):
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
