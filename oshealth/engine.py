"""Runs checks over facts; a crashing check becomes an error result."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from oshealth import collector
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
    with collector.paused(settle=True):
        for check in sorted(checks, key=lambda c: c.id):
            if progress:
                progress(check.id)
            results.append((check, evaluate(check, facts)))
    return results


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
