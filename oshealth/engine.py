"""Runs checks over facts; a crashing check becomes an error result."""

from __future__ import annotations

import contextlib
import gc
import logging
from collections.abc import Callable, Iterator, Sequence

from oshealth.facts import RepoFacts
from oshealth.models import Check, CheckResult

log = logging.getLogger(__name__)


def run(
    checks: Sequence[Check], facts: RepoFacts, progress: Callable[[str], None] | None = None
) -> list[tuple[Check, CheckResult]]:
    """Evaluate every check against the same facts, in id order.

    Args:
        checks: The checks to run.
        facts: The repository's facts.
        progress: Called with each check's id before it runs.

    Returns:
        Each check with its normalized result (fingerprinted, sorted findings).
    """
    results = []
    with _cyclic_gc_paused():
        for check in sorted(checks, key=lambda c: c.id):
            if progress:
                progress(check.id)
            results.append((check, evaluate(check, facts)))
    return results


@contextlib.contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector while the checks run (reference counting still frees memory).

    The checks build many small acyclic records (findings, metric rows), and
    each allocation burst can start a full collection, which walks every
    object of the facts: about 0.3 s per collection on a repository of
    sympy's size, once or twice per audit. Whatever garbage the checks leave
    in cycles is collected after them, by the next full collection.

    Afterwards the objects made meanwhile join the oldest generation at once
    (``gc.freeze()`` then ``gc.unfreeze()`` moves every tracked object there
    without examining any): otherwise the first collection after the pause
    would walk all of them, the results included, 30-130 ms on sympy. This is
    skipped when the caller keeps objects frozen, which the unfreeze would
    release.
    """
    enabled = gc.isenabled()
    frozen = gc.get_freeze_count()
    gc.disable()
    try:
        yield
    finally:
        if not frozen:
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()


def evaluate(check: Check, facts: RepoFacts) -> CheckResult:
    """Evaluate one check; any exception it raises becomes an error result.

    Args:
        check: The check to run.
        facts: The repository's facts.

    Returns:
        The check's normalized result.
    """
    try:
        result = check.evaluate(facts)
    except Exception as exc:  # a plugin bug must not end the audit
        log.debug("check %s crashed", check.id, exc_info=True)
        return CheckResult.error(f"the check crashed: {type(exc).__name__}: {exc}").normalized(check.id)
    if not isinstance(result, CheckResult):
        return CheckResult.error(f"the check returned {type(result).__name__}, not a CheckResult")
    return result.normalized(check.id)
