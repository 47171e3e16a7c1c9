"""Hand-built view models for renderer tests (the audit itself is tested elsewhere)."""

from __future__ import annotations

from collections.abc import Sequence

from oshealth.models import Finding, Status
from oshealth.report import AuditReport, CheckView
from oshealth.scoring import Scorecard, grade

DOC = """Things should be tidy.

What: counts untidy things.

Score: ``10 - untidy``.

Fix: tidy each thing listed in the findings.
"""


def view(
    check_id: str = "tidiness",
    *,
    findings: Sequence[Finding] = (),
    status: Status = Status.FAIL,
    score: float | None = 4.0,
    reason: str = "4 untidy things",
    category: str = "documentation",
) -> CheckView:
    """A check view; findings get fingerprints the way the engine gives them."""
    return CheckView(
        id=check_id, category=category, weight=1.0, summary="Things should be tidy.", status=status, score=score,
        reason=reason, metrics={}, findings=tuple(f.with_fingerprint(check_id) for f in findings),
        remediation="tidy each thing listed in the findings.", documentation=DOC.strip(),
    )


def report(
    *views: CheckView,
    score: float | None = 4.0,
    fail_under: float | None = None,
    path: str = "repo",
    commit: str | None = "0123456789abcdef0123456789abcdef01234567",
) -> AuditReport:
    """A report of ``views`` with the given overall score."""
    conclusive = sum(1 for v in views if v.status.is_conclusive)
    card = Scorecard(score, grade(score), conclusive, len(views))
    return AuditReport(
        {"path": path, "commit": commit, "branch": "main"}, "2024-12-31T00:00:00Z", "0.1.0", card, list(views),
        fail_under,
    )
