"""Aggregation of check results into an overall score and grade."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from oshealth.models import Check, CheckResult

#: Lowest score of each grade, best first.
GRADES: tuple[tuple[str, float], ...] = (("A", 9.0), ("B", 7.5), ("C", 6.0), ("D", 4.0), ("F", 0.0))


@dataclass(frozen=True)
class Scorecard:
    """The overall verdict.

    Attributes:
        score: Weighted mean of conclusive check scores (0-10), or None when no
            check was conclusive.
        grade: Letter grade of ``score`` ("-" when there is none).
        conclusive: How many checks carried a score.
        total: How many checks ran.
    """

    score: float | None
    grade: str
    conclusive: int
    total: int


def grade(score: float | None) -> str:
    """Letter grade for a 0-10 score: A >= 9, B >= 7.5, C >= 6, D >= 4, else F."""
    if score is None:
        return "-"
    return next(letter for letter, floor in GRADES if score >= floor)


def effective_weight(check: Check, weights: Mapping[str, float]) -> float:
    """The weight of ``check``: the configured override, else the class default."""
    return weights.get(check.id, check.weight)


def aggregate(results: Sequence[tuple[Check, CheckResult]], weights: Mapping[str, float]) -> Scorecard:
    """Combine check results into the overall score.

    Inconclusive, not-applicable and errored checks are left out of the mean;
    they are never counted as zero.

    Args:
        results: Each check with its result.
        weights: Per-check weight overrides from config.

    Returns:
        The scorecard.
    """
    scored = [
        (effective_weight(check, weights), result.score)
        for check, result in results
        if result.status.is_conclusive and result.score is not None
    ]
    total_weight = sum(w for w, _ in scored)
    if not scored or total_weight <= 0:
        return Scorecard(None, "-", len(scored), len(results))
    score = round(sum(w * s for w, s in scored) / total_weight, 2)
    return Scorecard(score, grade(score), len(scored), len(results))
