"""The audit's clocks: when a report is generated, and the time the checks count from."""

from __future__ import annotations

import os
import time

#: Without ``SOURCE_DATE_EPOCH``, the checks count time by the hour (see :func:`audit_clock`).
CLOCK_STEP = 3600


def clock() -> int:
    """The time a report is generated: ``SOURCE_DATE_EPOCH`` when set, else the real time."""
    fixed = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(fixed) if fixed.isdigit() else int(time.time())


def audit_clock() -> int:
    """The time the checks count from: ``SOURCE_DATE_EPOCH`` when set, else the end of the current hour (UTC).

    Ages and windows ("days since the last commit", "commits in the last 365
    days") need no finer grain than an hour, and with it two audits of an
    unchanged repository within the same hour give the same report, which
    the second one reads from the cache (:mod:`oshealth.reportcache`).
    Counting from the end of the hour keeps the commits made in it.
    """
    fixed = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if fixed.isdigit():
        return int(fixed)
    return (int(time.time()) // CLOCK_STEP + 1) * CLOCK_STEP
