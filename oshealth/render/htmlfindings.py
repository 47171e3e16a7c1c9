"""The findings part of the HTML report's view model: per-file counts, and the findings listed.

A large audit has 100,000 findings; a page listing them all weighs tens of
megabytes and is slow to write and to read. As coverage.py's report does,
the page keeps the whole picture (each check's finding count by file, every
file) and lists the individual findings only up to :data:`MAX_LISTED` per
check, the most severe first, saying how many more there are and where to
find them. The JSON report has them all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter

from oshealth.models import Finding, Severity
from oshealth.render import findingblocks
from oshealth.report import CheckView

#: Most findings of one check listed on the page.
MAX_LISTED = 1_000
#: Where the findings left out can be read.
ELSEWHERE = "see the JSON or SARIF report (oshealth audit -f json)"
_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTE: 2}
_SEVERITY = attrgetter("severity")


@dataclass(frozen=True)
class FindingRow:
    """One finding, formatted for the tables."""

    severity: str
    check: str
    rule: str
    location: str
    line: str
    message: str


@dataclass(frozen=True)
class FileFindings:
    """A check's listed findings in one file (``path`` empty: about the whole repository)."""

    path: str
    findings: tuple[FindingRow, ...]


@dataclass(frozen=True)
class FileCount:
    """How many findings a check has in one file (``path`` empty: about the whole repository)."""

    path: str
    total: str
    errors: str
    warnings: str
    notes: str


@dataclass(frozen=True)
class Listed:
    """What the page shows of one check's findings.

    Attributes:
        rows: The findings listed, in the check's order.
        groups: The same, grouped by file, files in the order of their first finding.
        files: Every file with findings, the most findings first.
        hidden: How many findings are not listed.
        note: Says how many are not listed and where they are, or nothing.
    """

    rows: tuple[FindingRow, ...]
    groups: tuple[FileFindings, ...]
    files: tuple[FileCount, ...]
    hidden: int
    note: str


def listed(view: CheckView, cap: int = MAX_LISTED) -> Listed:
    """The findings of ``view`` the page lists (at most ``cap``, the most severe first) and its per-file counts."""
    findings = view.findings
    if findingblocks.in_order(findings) is not None:  # the first are the most severe: only their blocks are read
        kept = findingblocks.first(findings, cap)
    else:
        kept = [findings[index] for index in _most_severe(findings, cap)]
    pairs = [(finding, finding_row(view.id, finding)) for finding in kept]
    groups: dict[str, list[FindingRow]] = {}
    for finding, row in pairs:
        groups.setdefault(finding.path or "", []).append(row)
    hidden = len(findings) - len(kept)
    return Listed(
        rows=tuple(row for _, row in pairs),
        groups=tuple(FileFindings(path, tuple(rows)) for path, rows in groups.items()),
        files=file_counts(findings),
        hidden=hidden,
        note=hidden_note(hidden),
    )


def hidden_note(hidden: int) -> str:
    """The note on findings not listed, or nothing when every one is."""
    if not hidden:
        return ""
    return f"{hidden:,} more finding{'s' if hidden != 1 else ''} not shown: {ELSEWHERE}"


def _most_severe(findings: Sequence[Finding], cap: int) -> Sequence[int]:
    """The indices of the ``cap`` most severe findings (ties: the first), in the findings' order."""
    if len(findings) <= cap:
        return range(len(findings))
    ranks = list(map(_RANK.__getitem__, map(_SEVERITY, findings)))
    by_rank = sorted(range(len(findings)), key=ranks.__getitem__)  # stable: earlier first within a severity
    return sorted(by_rank[:cap])


def file_counts(findings: Sequence[Finding]) -> tuple[FileCount, ...]:
    """Each file's number of findings, by severity; the files with most findings first, then by path."""
    by_file: dict[str, Counter[Severity]] = {}
    for (path, severity), count in findingblocks.place_counts(findings).items():
        by_file.setdefault(path, Counter())[severity] += count
    order = sorted(by_file.items(), key=lambda item: (-item[1].total(), item[0]))
    return tuple(
        FileCount(path, f"{counts.total():,}", f"{counts[Severity.ERROR]:,}", f"{counts[Severity.WARNING]:,}",
                  f"{counts[Severity.NOTE]:,}")
        for path, counts in order
    )


def finding_row(check_id: str, finding: Finding) -> FindingRow:
    """A finding as a table row, its location as ``path:line``."""
    location = finding.path or ""
    if finding.path and finding.line:
        location += f":{finding.line}"
    line = str(finding.line) if finding.line else ""
    return FindingRow(finding.severity.value, check_id, finding.rule, location, line, finding.message)


def table_rows(lists: Sequence[Listed]) -> tuple[FindingRow, ...]:
    """The rows of the all-findings table: every listed finding, most severe first, checks in order."""
    rows = [row for one in lists for row in one.rows]
    severity_rank = {"error": 0, "warning": 1, "note": 2}
    rows.sort(key=lambda r: severity_rank.get(r.severity, 3))  # stable: check order kept within a severity
    return tuple(rows)
