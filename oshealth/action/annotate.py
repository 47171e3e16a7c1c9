"""Line annotations from a gate's JSON report, the most important first.

GitHub shows at most 10 error and 10 warning annotations (and 10 notices)
per step, and 50 per job; the rest are dropped without a word. So the
findings are ranked (errors, then warnings, then notes; in report order
within each, which puts failing rules and weak checks first), cut to a
configurable number per level, and the summary says how many were left out.

In a ``diff`` or ``release`` report only rules that failed or warned give
annotations; a rule that only warns gives warnings at most. Paths in reports are relative to
the repository root; annotations need them relative to ``GITHUB_WORKSPACE``,
which differs when the repository was checked out into a subfolder.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from oshealth.action.workflow import Workflow

#: Workflow-command level of each finding severity.
LEVELS = {"error": "error", "warning": "warning", "note": "notice"}
_ORDER = ("error", "warning", "notice")


@dataclass(frozen=True)
class Annotation:
    """One line annotation.

    Attributes:
        level: ``error``, ``warning`` or ``notice``.
        title: Its title: the check or rule id.
        message: Its text.
        path: Workspace-relative file, or None for a job-level annotation.
        line: Line number, or None.
    """

    level: str
    title: str
    message: str
    path: str | None
    line: int | None


@dataclass(frozen=True)
class Selection:
    """The annotations to show, and how many of each level there were.

    Attributes:
        shown: The annotations kept, in the order to write them.
        totals: Count of each level before the cut.
    """

    shown: tuple[Annotation, ...]
    totals: Mapping[str, int]

    def omitted(self) -> dict[str, int]:
        """How many of each level were left out (levels with none omitted are absent)."""
        kept = {level: sum(1 for a in self.shown if a.level == level) for level in _ORDER}
        return {level: self.totals[level] - kept[level] for level in _ORDER if self.totals.get(level, 0) > kept[level]}


def from_report(data: Mapping[str, Any], prefix: str = "") -> list[Annotation]:
    """Every finding of a JSON report (``audit``, ``diff`` or ``release``) as an annotation.

    Args:
        data: The parsed JSON report.
        prefix: The repository root relative to the workspace (``""`` when they coincide).

    Returns:
        The annotations, in report order.
    """
    return [_annotation(finding, title, cap, prefix) for title, cap, finding in _findings(data)]


def _findings(data: Mapping[str, Any]) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    """``(title, most severe level allowed, finding)`` for each finding worth showing."""
    gated = data.get("kind") in ("diff", "release")
    groups = data.get({"diff": "rules", "release": "items"}.get(str(data.get("kind")), "checks"))
    for group in groups if isinstance(groups, list) else []:
        if not isinstance(group, Mapping):
            continue
        status = group.get("status")
        if gated and status not in ("fail", "warn"):
            continue
        cap = "warning" if status == "warn" else "error"
        findings = group.get("findings")
        for finding in findings if isinstance(findings, list) else []:
            if isinstance(finding, Mapping):
                yield f"oshealth {group.get('id', '')}".strip(), cap, finding


def _annotation(finding: Mapping[str, Any], title: str, cap: str, prefix: str) -> Annotation:
    """One finding as an annotation, its level no higher than ``cap``."""
    level = LEVELS.get(str(finding.get("severity")), "warning")
    if _ORDER.index(level) < _ORDER.index(cap):
        level = cap
    path = finding.get("path")
    line = finding.get("line")
    return Annotation(
        level=level,
        title=title,
        message=str(finding.get("message", "")),
        path=f"{prefix}{path}" if isinstance(path, str) and path else None,
        line=line if isinstance(line, int) and not isinstance(line, bool) and line > 0 else None,
    )


def select(annotations: list[Annotation], per_level: int) -> Selection:
    """The most important annotations, at most ``per_level`` of each level, errors first."""
    totals = {level: sum(1 for a in annotations if a.level == level) for level in _ORDER}
    shown = [a for level in _ORDER for a in [b for b in annotations if b.level == level][:per_level]]
    return Selection(tuple(shown), totals)


def write(workflow: Workflow, selection: Selection) -> None:
    """Write the selected annotations to the log as workflow commands."""
    for item in selection.shown:
        properties: dict[str, str | int | None] = {"file": item.path, "line": item.line, "title": item.title}
        workflow.emit(item.level, item.message, properties)


def summary_note(selection: Selection) -> str:
    """A sentence for the summary when annotations were left out, else ``""``."""
    omitted = selection.omitted()
    if not omitted:
        return ""
    parts = [
        f"{selection.totals[level] - count} of {selection.totals[level]} {level}s" for level, count in omitted.items()
    ]
    return (
        f"_Line annotations: GitHub shows only a few per step, so {', '.join(parts)} are annotated (the most "
        "important first); the JSON report and the SARIF file list every finding._"
    )
