"""The garbage collector's pace in oshealth's own processes (the command and its workers).

An audit builds millions of small objects that live until it ends (records,
commits, findings) and makes almost no cyclic garbage. At Python's default
pace (a young collection every 700 allocations, an older one every 10 of
those) the collector walks them again and again: on sympy that was a fifth of
a one-change re-audit (3.05 s -> 2.40 s) and about 1 s of a cold audit.
Collections still run, just a hundredth as often for the oldest generation,
and the peak memory was unchanged (measured with ``/usr/bin/time``).

Only programs set this, never the library: a service that imports oshealth
keeps its own settings.
"""

from __future__ import annotations

import gc

#: Allocations between young collections, and the two older generations' multipliers.
THRESHOLDS = (10_000, 10, 10)


def tune() -> None:
    """Set this process's collector to :data:`THRESHOLDS`."""
    gc.set_threshold(*THRESHOLDS)
