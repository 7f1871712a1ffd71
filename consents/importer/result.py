"""What an import found and did: counts, errors by line and column, a sample of state changes.

Holds nothing from the file's content but reference codes (topics, channels, actions), so it can be
stored with the import record and shown later.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

#: Errors kept for display; every error is still counted (and passed to `on_error`, e.g. the command).
MAX_ERRORS = 1000
#: State changes listed in the preview.
MAX_SAMPLE = 100


@dataclass(frozen=True)
class RowError:
    line: int  # 0: the file as a whole
    column: str
    message: str


@dataclass
class ImportResult:
    file_name: str
    dry_run: bool
    encoding: str = ""
    delimiter: str = ""
    lines: int = 0
    rows: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    new_events: int = 0
    duplicates: int = 0
    #: topic code -> {"given": n, "withdrawn": n} of the new events
    new_by_topic: dict[str, dict[str, int]] = field(default_factory=dict)
    consents_created: int = 0
    consents_changed: int = 0
    consents_refreshed: int = 0
    consents_kept: int = 0
    #: §60: new withdrawals of commercial-notice topics recorded more than 2 days after they occurred
    late_withdrawals: int = 0
    #: how rows name their person (the mapping's match key) and the profile read with
    match: str = "customer_number"
    profile: str = ""
    #: §57, §60: withdrawals by an e-mail or phone no customer has (not errors): their contacts go onto
    #: the suppression list, hashed; `suppressed` counts the entries added when applied
    unknown_opt_outs: int = 0
    suppressed: int = 0
    #: first state changes by line: {"line", "topic", "before", "after", "customer"} (the customer's id,
    #: shown by its current number: the result holds nothing from the file)
    changes: list[dict] = field(default_factory=list)
    applied: bool = False
    seconds: float = 0.0
    on_error: Callable[[RowError], None] | None = field(default=None, repr=False, compare=False)

    def add_error(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(error)
        if self.on_error is not None:
            self.on_error(error)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def errors_not_shown(self) -> int:
        return self.error_count - len(self.errors)

    @property
    def superseded(self) -> int:
        """New decisions that settle no consent: a later line of the same file decides the same customer
        and topic (each is still recorded in the ledger)."""
        settled = self.consents_created + self.consents_changed + self.consents_refreshed + self.consents_kept
        return max(self.new_events - settled, 0)

    @property
    def changes_anything(self) -> bool:
        """Whether applying would write anything: a new decision, or an opt-out for the suppression list."""
        return bool(self.new_events or self.unknown_opt_outs)

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("on_error")
        return data

    @classmethod
    def from_dict(cls, data: dict) -> ImportResult:
        data = dict(data)
        data["errors"] = [RowError(**error) for error in data.get("errors", [])]
        known = set(cls.__dataclass_fields__) - {"on_error"}
        return cls(**{key: value for key, value in data.items() if key in known})
