"""The garbage collector's pace in oshealth's own processes (the command and its workers).

An audit builds millions of small objects that live until it ends (records,
commits, findings) and makes almost no cyclic garbage. At Python's default
pace (a young collection every 700 allocations, an older one every 10 of
those) the collector walks them again and again: on sympy that was a fifth of
a one-change re-audit (3.05 s -> 2.40 s) and about 1 s of a cold audit.
Collections still run, just a hundredth as often for the oldest generation,
and the peak memory was unchanged (measured with ``/usr/bin/time``).

Only programs set the pace (:func:`tune`), never the library: a service that
imports oshealth keeps its own settings. The library only pauses the
collector around its largest bursts of allocation (:func:`paused`), and
restores it as it was.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

#: Allocations between young collections, and the two older generations' multipliers.
THRESHOLDS = (10_000, 10, 10)


def tune() -> None:
    """Set this process's collector to :data:`THRESHOLDS`."""
    gc.set_threshold(*THRESHOLDS)


@contextlib.contextmanager
def paused(*, settle: bool = False) -> Iterator[None]:
    """Pause the cyclic garbage collector while many small objects are built (reference counting still frees).

    Unpickling or parsing a long history, or running the checks, allocates
    hundreds of thousands of acyclic objects, and each allocation burst can
    start a full collection that walks every live object and frees nothing
    (sympy's 62k commits load in 0.2 s instead of 3 s; a collection during the
    checks costs about 0.3 s on a repository of sympy's size).

    Args:
        settle: Afterwards, move the objects made meanwhile into the oldest
            generation at once (``gc.freeze()`` then ``gc.unfreeze()``, which
            examines none of them): otherwise the first collection after the
            pause walks them all (30-130 ms after the checks on sympy). Skipped
            when the caller keeps objects frozen, which the unfreeze would release.

    Yields:
        Nothing; the collector is as it was when the block ends.
    """
    enabled = gc.isenabled()
    frozen = gc.get_freeze_count()
    gc.disable()
    try:
        yield
    finally:
        if settle and not frozen:
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()
