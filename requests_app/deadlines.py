"""Deadline arithmetic for data-subject requests (§41, GDPR Art. 12(3)).

Everything is a calendar date in Europe/Riga, the operator's local time: a request received at
23:30 on 31 January in Riga was received on 31 January, whatever UTC says.
"""

from __future__ import annotations

import datetime

from privacy.periods import RIGA, add_months, local_date, today

__all__ = ["RIGA", "add_months", "due_date", "extended_due_date", "local_date", "today"]

#: Art. 12(3): one month to answer, extendable by at most two further months.
ANSWER_MONTHS = 1
MAX_EXTENSION_MONTHS = 2
#: The queue and the nightly task call a request "due soon" this many days ahead.
DUE_SOON_DAYS = 7


def due_date(received_at: datetime.datetime) -> datetime.date:
    """The answer is due one calendar month after the day of receipt."""
    return add_months(local_date(received_at), ANSWER_MONTHS)


def extended_due_date(received_at: datetime.datetime, extension_months: int) -> datetime.date:
    """The deadline after an extension, counted from receipt, not from the clamped first deadline:
    received 31 January, extended by two months -> 30 April (not 28 April)."""
    return add_months(local_date(received_at), ANSWER_MONTHS + extension_months)
