"""When a document was made, for the headers of the files written from it.

Outputs are dated by the document's own date, else by ``SOURCE_DATE_EPOCH`` (the
reproducible-builds convention), never by the clock: the same input gives the same bytes.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import datetime, timezone

from aligner.errors import AlignerError


def creation_time(dates: Iterable[str | None]) -> datetime | None:
    """When the document was made: the first readable date, else ``SOURCE_DATE_EPOCH``, else unknown.

    A date without a time zone is taken as UTC: a page gives no zone.
    """
    for date in dates:
        if date:
            try:
                moment = datetime.fromisoformat(date)
            except ValueError:
                continue
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=timezone.utc)
            try:
                return moment.astimezone(timezone.utc)
            except OverflowError:
                continue  # year 1 or 9999 with a time zone: no moment Python can hold, so no date
    epoch = source_date_epoch()
    if epoch is not None:
        return epoch
    return None


def format_utc(moment: datetime, pattern: str) -> str:
    """``moment`` in UTC as strftime's ``pattern``, with a four-digit year even before 1000.

    strftime writes year 999 as "999" on some platforms, which strptime then cannot read.
    """
    utc = moment.astimezone(timezone.utc)
    return utc.strftime(pattern.replace("%Y", f"{utc.year:04d}"))


def source_date_epoch() -> datetime | None:
    """``SOURCE_DATE_EPOCH`` as a time, or None when unset; anything but whole seconds is an AlignerError.

    The command line checks it first thing: libraries imported later (numba, numpy.f2py) read it
    too, and fail with a traceback on a value they cannot parse.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    try:
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise AlignerError(f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds") from None
