"""The findings part of the HTML report's view model: per-file counts, and the findings listed.

A large audit has 100,000 findings; a page listing them all weighs tens of
megabytes and is slow to write and to read. As coverage.py's report does,
the page keeps the whole picture (each check's finding count by file, every
file) and lists the individual findings only up to :data:`MAX_LISTED` per
check, the most severe first, saying how many more there are and where to
find them. The JSON report has them all.

The rows of those lists and tables are written here as HTML, every value
escaped as the template's autoescaping escapes it (the template only places
them): a block of findings listed whole (:mod:`oshealth.findinglist`) has its
rows written once, then read through :func:`oshealth.parts.texts` by later
audits, without decoding the block.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter

from markupsafe import Markup, escape

from oshealth import parts
from oshealth.findinglist import FindingBlock
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
    """A check's listed findings in one file (``path`` empty: about the whole repository).

    Attributes:
        path: The file.
        items: Its findings as the list's items (HTML).
    """

    path: str
    items: Markup


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
        count: How many findings are listed.
        rows: The listed findings as rows of the all-findings table (HTML), in the check's
            order, in runs of one severity (each with its severity's rank).
        groups: The same as list items, grouped by file, files in the order of their first finding.
        files: Every file with findings, the most findings first.
        file_rows: The same as rows of the check's table of files (HTML).
        hidden: How many findings are not listed.
        note: Says how many are not listed and where they are, or nothing.
    """

    count: int
    rows: tuple[tuple[int, Markup], ...]
    groups: tuple[FileFindings, ...]
    files: tuple[FileCount, ...]
    file_rows: Markup
    hidden: int
    note: str


@dataclass(frozen=True)
class _Run:
    """Listed findings of one file and severity: their list items and table rows (HTML), and how many."""

    path: str
    rank: int
    items: str
    rows: str
    count: int


def listed(view: CheckView, cap: int = MAX_LISTED) -> Listed:
    """The findings of ``view`` the page lists (at most ``cap``, the most severe first) and its per-file counts."""
    blocks = findingblocks.in_order(view.findings)
    runs = _finding_runs(view, cap) if blocks is None else _block_runs(view.id, blocks, cap)
    groups: dict[str, list[str]] = {}
    for run in runs:
        groups.setdefault(run.path, []).append(run.items)
    count = sum(run.count for run in runs)
    files = file_counts(view.findings)
    hidden = len(view.findings) - count
    return Listed(
        count=count,
        rows=tuple((run.rank, Markup(run.rows)) for run in runs),
        groups=tuple(FileFindings(path, Markup("".join(items))) for path, items in groups.items()),
        files=files,
        file_rows=Markup("".join(map(_count_row, files))),
        hidden=hidden,
        note=hidden_note(hidden),
    )


def _finding_runs(view: CheckView, cap: int) -> list[_Run]:
    """The runs of the ``cap`` most severe findings, found finding by finding: one a finding."""
    findings = view.findings
    kept = [findings[index] for index in _most_severe(findings, cap)]
    return [_run_of(view.id, (finding,)) for finding in kept]


def _block_runs(check_id: str, blocks: Sequence[FindingBlock], cap: int) -> list[_Run]:
    """The runs of the first ``cap`` findings of blocks in report order: the blocks listed whole, stored ones read."""
    whole: list[FindingBlock] = []
    for block in blocks:
        if cap < block.size:
            break
        whole.append(block)
        cap -= block.size
    texts = parts.texts(f"html\0{check_id}", whole, lambda block: _block_text(check_id, block))
    runs = [_Run(block.path, block.rank, *_split(text), block.size) for block, text in zip(whole, texts, strict=True)]
    if cap and len(whole) < len(blocks):
        runs.append(_run_of(check_id, blocks[len(whole)][:cap]))
    return runs


def _block_text(check_id: str, findings: Sequence[Finding]) -> str:
    """A block's list items and table rows as one text (the items' length first)."""
    run = _run_of(check_id, findings)
    return f"{len(run.items)}:{run.items}{run.rows}"


def _split(text: str) -> tuple[str, str]:
    """The list items and the table rows of a block's text."""
    length, _, rest = text.partition(":")
    return rest[: int(length)], rest[int(length) :]


def _run_of(check_id: str, findings: Sequence[Finding]) -> _Run:
    """The run of findings of one file and severity."""
    rows = [finding_row(check_id, finding) for finding in findings]
    first = findings[0]
    return _Run(first.path or "", first.severity.rank, "".join(map(_item, rows)), "".join(map(_table_row, rows)),
                len(rows))


def _item(row: FindingRow) -> str:
    """A finding as an item of its file's list in the check's section (no newline after it)."""
    line = f"<b>{escape(row.line)}</b> " if row.line else ""
    rule = f" <i>{escape(row.rule)}</i>" if row.rule else ""
    return f'<li class="{escape(row.severity)}">{line}{escape(row.message)}{rule}'


def _table_row(row: FindingRow) -> str:
    """A finding as a row of the all-findings table."""
    return (f'<tr class="{escape(row.severity)}"><td>{escape(row.severity)}<td>{escape(row.check)}'
            f"<td>{escape(row.rule)}<td>{escape(row.location)}<td>{escape(row.message)}\n")


def _count_row(count: FileCount) -> str:
    """A file's counts as a row of the check's table of files."""
    where = f"<code>{escape(count.path)}</code>" if count.path else '<span class="muted">repository</span>'
    # the counts are digits and commas: nothing to escape
    return f"<tr><td>{where}<td>{count.total}<td>{count.errors}<td>{count.warnings}<td>{count.notes}\n"


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
    by_file: dict[str, list[int]] = {}  # the total, then each severity's count, the most severe first
    for (path, severity), count in findingblocks.place_counts(findings).items():
        counts = by_file.get(path)
        if counts is None:
            counts = by_file[path] = [0, 0, 0, 0]
        counts[0] += count
        counts[1 + _RANK[severity]] += count
    order = sorted(by_file.items(), key=lambda item: (-item[1][0], item[0]))
    return tuple(FileCount(path, f"{total:,}", f"{errors:,}", f"{warnings:,}", f"{notes:,}")
                 for path, (total, errors, warnings, notes) in order)


def finding_row(check_id: str, finding: Finding) -> FindingRow:
    """A finding as a table row, its location as ``path:line``."""
    location = finding.path or ""
    if finding.path and finding.line:
        location += f":{finding.line}"
    line = str(finding.line) if finding.line else ""
    return FindingRow(finding.severity.value, check_id, finding.rule, location, line, finding.message)


def table_rows(lists: Iterable[Listed]) -> Markup:
    """The rows of the all-findings table: every listed finding, most severe first, checks in order."""
    runs = [run for one in lists for run in one.rows]
    return Markup("".join(rows for rank in sorted({rank for rank, _ in runs}) for r, rows in runs if r == rank))
