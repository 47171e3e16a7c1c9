"""The one view model every output format is rendered from.

Nothing downstream recomputes a number: renderers only format and lay out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from oshealth import __version__
from oshealth.models import Check, CheckResult, Finding, MetricValue, Severity, Status
from oshealth.scoring import Scorecard, effective_weight

#: Version of the JSON report format; bumped on any incompatible change.
FORMAT_VERSION = 1
# a dict lookup, not the enum's ``value`` property: this runs once per finding (100,000 in a large audit)
_SEVERITY_NAMES = {severity: severity.value for severity in Severity}


@dataclass(frozen=True)
class CheckView:
    """One check's outcome, ready to render.

    Attributes:
        id: Check id.
        category: documentation, tests, complexity, community...
        weight: Weight used in the overall mean.
        summary: One-line description of the check.
        status: The result status.
        score: 0-10 or None.
        reason: One-line reason.
        metrics: Named numbers.
        findings: Places to fix, sorted.
        remediation: How to fix, from the check's documentation.
        documentation: The check's full documentation (its class docstring),
            for rule help in SARIF and the HTML report.
    """

    id: str
    category: str
    weight: float
    summary: str
    status: Status
    score: float | None
    reason: str
    metrics: Mapping[str, MetricValue]
    findings: Sequence[Finding]
    remediation: str
    documentation: str = ""


@dataclass(frozen=True)
class AuditReport:
    """The whole audit.

    Attributes:
        repository: Path as given by the user, commit and branch.
        generated_at: ISO 8601 UTC timestamp (``SOURCE_DATE_EPOCH`` honoured).
        version: oshealth's version.
        scorecard: The overall score and grade.
        checks: Every check that ran, sorted by id.
        fail_under: The configured gate, or None.
    """

    repository: Mapping[str, str | None]
    generated_at: str
    version: str
    scorecard: Scorecard
    checks: Sequence[CheckView]
    fail_under: float | None

    @property
    def gate_failed(self) -> bool:
        """Whether the overall score is below ``fail_under`` (no score fails a set gate)."""
        if self.fail_under is None:
            return False
        return self.scorecard.score is None or self.scorecard.score < self.fail_under


def build(
    *,
    repository: Mapping[str, str | None],
    now: int,
    results: Sequence[tuple[Check, CheckResult]],
    scorecard: Scorecard,
    weights: Mapping[str, float],
    fail_under: float | None,
) -> AuditReport:
    """Assemble the view model from the audit's parts.

    Args:
        repository: ``path``, ``commit`` and ``branch``.
        now: The audit clock (epoch seconds).
        results: Each check with its result.
        scorecard: The aggregate.
        weights: Per-check weight overrides.
        fail_under: The gate threshold, or None.

    Returns:
        The report.
    """
    views = [
        CheckView(
            id=check.id,
            category=check.category,
            weight=effective_weight(check, weights),
            summary=check.summary(),
            status=result.status,
            score=result.score,
            reason=result.reason,
            metrics=result.metrics,
            findings=result.findings,
            remediation=check.remediation(),
            documentation=check.documentation(),
        )
        for check, result in sorted(results, key=lambda pair: pair[0].id)
    ]
    stamp = datetime.fromtimestamp(now, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return AuditReport(dict(repository), stamp, __version__, scorecard, views, fail_under)


#: Writes a check's findings as JSON-ready data (see :func:`to_dict`).
FindingsWriter = Callable[[Sequence[Finding]], Any]


def to_dict(report: AuditReport, findings: FindingsWriter | None = None) -> dict[str, Any]:
    """The report as JSON-ready data (format version :data:`FORMAT_VERSION`).

    Args:
        report: The report.
        findings: Writes each check's findings (default: :func:`finding_dicts`); the JSON
            renderer's gives text it writes block by block (:mod:`oshealth.render.json`).
    """
    write = finding_dicts if findings is None else findings
    return {
        "format": FORMAT_VERSION,
        "tool": {"name": "oshealth", "version": report.version},
        "generated_at": report.generated_at,
        "repository": dict(report.repository),
        "score": report.scorecard.score,
        "grade": report.scorecard.grade,
        "fail_under": report.fail_under,
        "passed": not report.gate_failed,
        "checks": [_check_dict(view, write) for view in report.checks],
    }


def _check_dict(view: CheckView, findings: FindingsWriter) -> dict[str, Any]:
    """One check of the JSON report: metrics sorted by name, findings in report order."""
    return {
        "id": view.id,
        "category": view.category,
        "weight": view.weight,
        "status": view.status.value,
        "score": view.score,
        "reason": view.reason,
        "remediation": view.remediation,
        "metrics": dict(sorted(view.metrics.items())),
        "findings": findings(view.findings),
    }


def finding_dicts(findings: Iterable[Finding]) -> list[dict[str, Any]]:
    """Findings as the JSON report's records, in their order."""
    return [
        {
            "path": f.path,
            "line": f.line,
            "severity": _SEVERITY_NAMES[f.severity],
            "rule": f.rule,
            "message": f.message,
            "fingerprint": f.fingerprint,
        }
        for f in findings
    ]
