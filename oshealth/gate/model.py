"""The change gate's view model: rule outcomes, score comparison, the whole report, its JSON form."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from oshealth.models import Finding, MetricValue

FORMAT_VERSION = 1


class RuleStatus(StrEnum):
    """The outcome of one gate rule."""

    PASS = "pass"
    FAIL = "fail"
    WARN = "warn"
    SKIP = "skip"


@dataclass(frozen=True)
class RuleResult:
    """One rule's outcome.

    Attributes:
        id: The rule id (``docstrings``, ``complexity``...).
        title: A short human title.
        status: pass, fail, warn or skip.
        message: One line saying why.
        findings: Places to fix (fingerprinted, sorted).
        metrics: Named figures behind the outcome (complexity deltas, counts...).
    """

    id: str
    title: str
    status: RuleStatus
    message: str
    findings: Sequence[Finding] = ()
    metrics: Mapping[str, MetricValue] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckScores:
    """One check's score at both ends.

    Attributes:
        id: The check id.
        base: Score at the base, or None (inconclusive, not applicable).
        head: Score at the head, or None.
        base_reason: The check's reason at the base.
        head_reason: The check's reason at the head.
    """

    id: str
    base: float | None
    head: float | None
    base_reason: str = ""
    head_reason: str = ""

    @property
    def delta(self) -> float | None:
        """Head minus base, or None when either is missing."""
        return None if self.base is None or self.head is None else round(self.head - self.base, 2)


@dataclass(frozen=True)
class ScoreComparison:
    """Overall and per-check scores at the base and the head.

    Attributes:
        base: Overall score at the base (None: no conclusive check).
        head: Overall score at the head.
        checks: Per-check scores, sorted by id.
        ignored: Checks left out of the comparison by configuration.
    """

    base: float | None
    head: float | None
    checks: Sequence[CheckScores]
    ignored: Sequence[str] = ()

    @property
    def delta(self) -> float | None:
        """Head minus base, or None when either is missing."""
        return None if self.base is None or self.head is None else round(self.head - self.base, 2)


@dataclass(frozen=True)
class DiffReport:
    """The whole change report.

    Attributes:
        repository: The path as given.
        base_ref: BASE as given.
        head_ref: HEAD as given.
        base: BASE's commit id.
        head: HEAD's commit id.
        merge_base: The merge base compared from.
        labels: The pull request's labels, as given.
        rules: Every rule's outcome, in rule order.
        scores: The score comparison, or None when that rule is off.
        summary: Counts of what changed (files, lines, symbols, API objects).
        changed_lines: Changed line numbers per head path (SARIF keeps findings on these only).
        generated_at: ISO 8601 UTC time (``SOURCE_DATE_EPOCH`` honoured).
        version: oshealth's version.
    """

    repository: str
    base_ref: str
    head_ref: str
    base: str
    head: str
    merge_base: str
    labels: Sequence[str]
    rules: Sequence[RuleResult]
    scores: ScoreComparison | None
    summary: Mapping[str, MetricValue]
    changed_lines: Mapping[str, frozenset[int]]
    generated_at: str
    version: str

    @property
    def passed(self) -> bool:
        """Whether no rule failed."""
        return not any(rule.status is RuleStatus.FAIL for rule in self.rules)

    def on_changed_line(self, finding: Finding) -> bool:
        """Whether a finding sits on a line this change added or modified."""
        return finding.path is not None and finding.line is not None and finding.line in self.changed_lines.get(
            finding.path, frozenset()
        )


def to_dict(report: DiffReport) -> dict[str, Any]:
    """The report as JSON-ready data (format :data:`FORMAT_VERSION`, kind ``diff``)."""
    return {
        "format": FORMAT_VERSION,
        "kind": "diff",
        "tool": {"name": "oshealth", "version": report.version},
        "generated_at": report.generated_at,
        "repository": report.repository,
        "refs": {"base": report.base_ref, "head": report.head_ref},
        "base": report.base,
        "head": report.head,
        "merge_base": report.merge_base,
        "labels": list(report.labels),
        "passed": report.passed,
        "summary": dict(report.summary),
        "rules": [_rule_dict(rule) for rule in report.rules],
        "scores": _scores_dict(report.scores),
    }


def _rule_dict(rule: RuleResult) -> dict[str, Any]:
    """One rule of the JSON report."""
    return {
        "id": rule.id,
        "title": rule.title,
        "status": rule.status.value,
        "message": rule.message,
        "metrics": dict(sorted(rule.metrics.items())),
        "findings": [
            {
                "path": f.path,
                "line": f.line,
                "severity": f.severity.value,
                "message": f.message,
                "rule": f.rule,
                "fingerprint": f.fingerprint,
            }
            for f in rule.findings
        ],
    }


def _scores_dict(scores: ScoreComparison | None) -> dict[str, Any]:
    """The score comparison of the JSON report (every value None when the rule is off)."""
    if scores is None:
        return {"base": None, "head": None, "delta": None, "checks": {}, "ignored": []}
    return {
        "base": scores.base,
        "head": scores.head,
        "delta": scores.delta,
        "checks": {
            c.id: {"base": c.base, "head": c.head, "delta": c.delta, "base_reason": c.base_reason,
                   "head_reason": c.head_reason}
            for c in scores.checks
        },
        "ignored": list(scores.ignored),
    }
