"""Applying validated consent rows through the ORM: the slow path for SQLite (the embedded `make run`).

Same results as the PostgreSQL backend, one row at a time: each new event is saved with its history row,
then each customer and topic's latest new decision settles the current state (services.consent_state_settle).
Keeps a dict per customer and topic touched, which is fine for the small files of an embedded run.
"""

from __future__ import annotations

import contextlib
from dataclasses import fields

from ..models import OPT_OUT_DEADLINE, Action, Consent, ConsentEvent, decision_prevails
from ..services import Decision, consent_state_settle
from .result import MAX_SAMPLE, ImportResult
from .validation import Backend, Parsed, Row, opt_out_channels, resolve_customers


class OrmBackend(Backend):
    chunk_size = 500
    row = Parsed

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        #: (channel, contact) of withdrawals by unknown e-mails or phones (§57, §60)
        self.opt_outs: set[tuple[str, str]] = set()
        self.new_events = 0
        self.late = 0
        self.by_topic: dict[int, dict[str, int]] = {}
        self.decided: dict[tuple[int, int], Row] = {}

    def begin(self, *, exclusive: bool) -> None:
        pass

    def reading(self):
        return contextlib.nullcontext()

    def finish_reading(self) -> None:
        pass

    def add(self, parsed: list[Parsed]) -> None:
        for row in resolve_customers(
            parsed, self.result.add_error, match=self.match, unknown_opt_out=self._unknown_opt_out
        ):
            key = {
                "customer_id": row.customer_id,
                "topic_id": row.topic_id,
                "action": row.action,
                "occurred_at": row.occurred_at,
                "source": row.source,
            }
            if ConsentEvent.objects.filter(**key).exists():
                continue  # already in the ledger, or earlier in this file
            event = ConsentEvent(
                **key,
                channel=row.channel,
                recorded_at=self.now,
                policy_version_id=row.policy_version_id,
                captured_by=self.actor,
            )
            event._history_user = self.actor
            event._change_reason = self.reason
            event.save()
            self.new_events += 1
            counts = self.by_topic.setdefault(row.topic_id, {})
            counts[row.action] = counts.get(row.action, 0) + 1
            if (
                row.action == Action.WITHDRAWN
                and row.topic_id in self.refs.commercial_topic_ids
                and self.now - row.occurred_at > OPT_OUT_DEADLINE
            ):
                self.late += 1
            pair = (row.customer_id, row.topic_id)
            best = self.decided.get(pair)
            if best is None or _rank(row) > _rank(best):
                self.decided[pair] = row

    def _unknown_opt_out(self, row: Parsed) -> None:
        self.result.unknown_opt_outs += 1
        contact = row.customer_number if self.match == "email" else "+" + row.customer_number
        for channel in opt_out_channels(self.match, self.refs.topic_channels.get(row.topic_id, "")):
            self.opt_outs.add((channel, contact))

    def preview(self, result: ImportResult) -> None:
        codes = self.refs.topic_codes
        result.new_events = self.new_events
        result.duplicates = result.rows - self.new_events - result.unknown_opt_outs
        result.late_withdrawals = self.late
        result.new_by_topic = {codes[topic_id]: counts for topic_id, counts in self.by_topic.items()}
        changes = []
        for (customer_id, topic_id), row in self.decided.items():
            current = Consent.objects.filter(customer_id=customer_id, topic_id=topic_id).first()
            if current is None:
                outcome, before = "created", None
            elif decision_prevails(
                new_occurred_at=row.occurred_at,
                new_action=row.action,
                current_occurred_at=current.occurred_at,
                current_status=current.status,
            ):
                before = current.status
                outcome = "changed" if current.status != row.action else "refreshed"
            else:
                outcome, before = "kept", current.status
            setattr(result, f"consents_{outcome}", getattr(result, f"consents_{outcome}") + 1)
            if outcome != "kept":
                changes.append(
                    {
                        "line": row.line,
                        "topic": codes[topic_id],
                        "before": before,
                        "after": row.action,
                        "customer": customer_id,
                    }
                )
        result.changes = sorted(changes, key=lambda change: change["line"])[:MAX_SAMPLE]

    def write(self, result: ImportResult, advance=lambda share: None) -> None:
        """After `preview`: settle the current state (the events were saved as they came)."""
        from privacy.suppression import suppression_add_many

        result.suppressed = suppression_add_many(contacts=sorted(self.opt_outs), reason=self.reason)
        total = max(len(self.decided), 1)
        for done, row in enumerate(self.decided.values(), start=1):
            if done % 500 == 0:
                advance(done / total)
            # a row carries every field of a decision, under the same names
            decision = Decision(**{field.name: getattr(row, field.name) for field in fields(Decision)})
            consent_state_settle(decision=decision, actor=self.actor, reason=self.reason)


def _rank(row: Row) -> tuple:
    """Order of decisions on one topic: later wins; at the same moment a withdrawal wins."""
    return (row.occurred_at, row.action == Action.WITHDRAWN, row.line)
