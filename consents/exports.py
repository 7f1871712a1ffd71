"""CSV exports of the consents app, neutralised against formula injection (privacy/csv_safety.py)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import TextIO

from privacy.csv_safety import SafeWriter, stream_csv

from .selectors import AUDIENCE_COLUMNS, marketing_audience_rows


def write_audience_csv(out: TextIO, *, channel: str, as_of: datetime.date | None = None) -> int:
    """Write the commercial-notice audience of a channel to `out`; returns the number of recipients."""
    writer = SafeWriter(out)
    writer.writerow(AUDIENCE_COLUMNS)
    count = 0
    for row in marketing_audience_rows(channel=channel, as_of=as_of):
        writer.writerow(row)
        count += 1
    return count


def audience_csv_stream(*, channel: str, as_of: datetime.date | None = None) -> Iterator[str]:
    """The same export in pieces, for a streaming download from the admin."""
    return stream_csv(AUDIENCE_COLUMNS, marketing_audience_rows(channel=channel, as_of=as_of))
