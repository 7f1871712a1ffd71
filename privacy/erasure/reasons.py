"""The reason an erasure record (and the history rows it writes) carries, and how staff read it.

The reason is stored once, in English, as the audit trail keeps it (§22: the record does not change
with the reader). Staff read it in their own language: the forms written by the code are recognised
here and shown translated; anything else (typed by staff, or written before) is shown as stored.
"""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext

_RETENTION = re.compile(r"retention (?P<code>\w+) \((?P<clause>[^()]*)\) as of (?P<day>\d{4}-\d{2}-\d{2})")
_REPLAY = re.compile(r"replay of erasure (?P<erasure>[0-9a-f-]{36})")
_REQUEST = re.compile(r"Erasure request (?P<request>.+) \(§38\)")


def retention_reason(*, code: str, clause: str, as_of: datetime.date) -> str:
    """The reason of an erasure or deletion by a retention rule's sweep (§31–34)."""
    return f"retention {code} ({clause}) as of {as_of.isoformat()}"


def replay_reason(erasure) -> str:
    """The reason of an erasure replayed on a subject restored from a backup (§60)."""
    return f"replay of erasure {erasure}"


def reason_text(reason: str) -> str:
    """`reason` in the reader's language (see the module docstring)."""
    if match := _RETENTION.fullmatch(reason):
        return gettext("retention rule %(code)s (%(clause)s), run as of %(day)s") % match.groupdict()
    if match := _REPLAY.fullmatch(reason):
        return gettext("replay of erasure %(erasure)s") % match.groupdict()
    if match := _REQUEST.fullmatch(reason):
        return gettext("Erasure request %(request)s (§38)") % match.groupdict()
    return reason
