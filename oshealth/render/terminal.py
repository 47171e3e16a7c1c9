"""The terminal scorecard, built with rich from the view model.

Repository text is only ever placed in :class:`rich.text.Text` objects, never
in markup strings, so names like ``[bold]`` or ``[link=...]`` show literally.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from itertools import chain, compress, count, islice
from operator import attrgetter

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from oshealth.findinglist import FindingList
from oshealth.models import Finding, Status
from oshealth.render.findingblocks import SEVERITY_OF_RANK, of_severity
from oshealth.report import AuditReport, CheckView

_STATUS_STYLE = {
    Status.PASS: "green",
    Status.FAIL: "red",
    Status.INCONCLUSIVE: "yellow",
    Status.NOT_APPLICABLE: "dim",
    Status.ERROR: "magenta",
}
#: How many findings the scorecard lists (the JSON report has them all).
TOP_FINDINGS = 15
_SEVERITY = attrgetter("severity")


def renderable(report: AuditReport) -> RenderableType:
    """The scorecard as a rich renderable: header, check table, top findings, verdict."""
    parts: list[RenderableType] = [_header(report), _table(report.checks)]
    findings = _top_findings(report.checks)
    if findings:
        parts.append(findings)
    parts.append(_verdict(report))
    return Group(*parts)


def render(report: AuditReport, *, width: int = 110, color: bool = False) -> str:
    """The scorecard as plain (or ANSI-coloured) text."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system="standard" if color else None, highlight=False)
    console.print(renderable(report))
    return buffer.getvalue()


def _header(report: AuditReport) -> Text:
    """The first line: tool version, repository path, commit and branch."""
    repo = report.repository
    commit = (repo.get("commit") or "no commits")[:12]
    text = Text("oshealth ", style="bold")
    text.append(report.version)
    text.append(" audit of ")
    text.append(str(repo.get("path")), style="bold")
    text.append(f" @ {commit}")
    if repo.get("branch"):
        text.append(f" ({repo['branch']})")
    return text


def _score_text(score: float | None) -> str:
    """A score with one decimal, or a dash when there is none."""
    return "-" if score is None else f"{score:.1f}"


def _table(checks: Sequence[CheckView]) -> Table:
    """One row per check: id, category, status, score and reason."""
    table = Table(show_lines=False, expand=False)
    table.add_column("check", no_wrap=True, min_width=max((len(v.id) for v in checks), default=5))
    table.add_column("category", style="dim")
    table.add_column("status", no_wrap=True)
    table.add_column("score", justify="right")
    table.add_column("reason", overflow="fold")
    for view in checks:
        table.add_row(
            Text(view.id),
            Text(view.category),
            Text(view.status.value, style=_STATUS_STYLE[view.status]),
            Text(_score_text(view.score)),
            Text(view.reason),
        )
    return table


def _rank_findings(checks: Sequence[CheckView], limit: int) -> list[tuple[Finding, str]]:
    """The first ``limit`` findings, most severe first; within a severity, checks take turns.

    Taking turns keeps one noisy check (hundreds of style notes) from hiding
    the others' findings in a short list. Checks with lower scores go first.
    Only the first ``limit`` findings of each severity in each check can be
    among them, so only those are ranked (a large audit has 100,000 findings).
    """
    by_score = sorted(checks, key=lambda v: (v.score if v.score is not None else 11.0, v.id))
    keyed: list[tuple[tuple[int, int, int], Finding, str]] = []
    for order, view in enumerate(by_score):
        keyed.extend(((finding.severity.rank, turn, order), finding, view.id)
                     for turn, finding in _turns(view.findings, limit))
    keyed.sort(key=lambda item: item[0])
    return [(finding, check_id) for _, finding, check_id in keyed[:limit]]


def _turns(findings: Sequence[Finding], limit: int) -> Iterable[tuple[int, Finding]]:
    """The first ``limit`` findings of each severity with their places in ``findings``.

    Findings kept in blocks are counted by block, and only the blocks that
    hold those findings are read.
    """
    if isinstance(findings, FindingList) and not findings.loose:
        severities = {SEVERITY_OF_RANK[block.rank] for block in findings.blocks}
        return chain.from_iterable(of_severity(findings.blocks, severity, limit) for severity in severities)
    listed = list(map(_SEVERITY, findings))
    turns: list[tuple[int, Finding]] = []
    for severity in set(listed):
        places = compress(count(), map(severity.__eq__, listed))  # C-level scan, stopped after ``limit``
        turns.extend((turn, findings[turn]) for turn in islice(places, limit))
    return turns


def _top_findings(checks: Sequence[CheckView]) -> Table | None:
    """The first :data:`TOP_FINDINGS` findings by rank, or None when there are none."""
    total = sum(len(view.findings) for view in checks)
    if not total:
        return None
    ranked = _rank_findings(checks, TOP_FINDINGS)
    table = Table(title=f"Top findings ({len(ranked)} of {total})", expand=False)
    table.add_column("severity")
    table.add_column("check")
    table.add_column("where", overflow="fold")
    table.add_column("finding", overflow="fold")
    for finding, check_id in ranked:
        where = finding.path or ""
        if finding.path and finding.line:
            where += f":{finding.line}"
        table.add_row(Text(finding.severity.value), Text(check_id), Text(where), Text(finding.message))
    return table


def _verdict(report: AuditReport) -> Text:
    """The last line: overall score, grade, conclusive checks and the gate's outcome."""
    card = report.scorecard
    text = Text("Overall: ", style="bold")
    if card.score is None:
        text.append("no conclusive check, no score")
    else:
        text.append(f"{card.score:.1f}/10, grade {card.grade}", style="bold")
    text.append(f"  ({card.conclusive} of {card.total} checks conclusive)")
    if report.fail_under is not None:
        verdict = "FAILED" if report.gate_failed else "passed"
        style = "red" if report.gate_failed else "green"
        text.append(f"  gate fail-under {report.fail_under:g}: {verdict}", style=style)
    return text
