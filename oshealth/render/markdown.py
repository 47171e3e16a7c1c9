"""GitHub-flavoured Markdown: a pull-request comment or a job summary.

The score table comes first; each check with findings or a failing score
gets a folded ``<details>`` section. The whole text stays under
:data:`MAX_CHARS` (GitHub refuses longer comments): findings lists are cut
first, evenly across checks, and a note says so.

Every string that comes from the audited repository is made inert by
:mod:`oshealth.render.markdowntext` (shows literally, pings nobody, links
nowhere); its :func:`escape`, :func:`code` and :func:`inline` are also this
module's, for the other Markdown reports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import partial

from oshealth.models import Finding, Status
from oshealth.render.markdowntext import MAX_FIELD as MAX_FIELD
from oshealth.render.markdowntext import code as code
from oshealth.render.markdowntext import escape as escape
from oshealth.render.markdowntext import html_text
from oshealth.render.markdowntext import inline as inline
from oshealth.report import AuditReport, CheckView

#: Longest output, in characters (GitHub comments take at most 65,536).
MAX_CHARS = 65_000
_STATUS_ICON = {
    Status.PASS: "✅",
    Status.FAIL: "❌",
    Status.INCONCLUSIVE: "❔",
    Status.NOT_APPLICABLE: "➖",
    Status.ERROR: "💥",
}


def render(report: AuditReport) -> str:
    """The report as Markdown of at most :data:`MAX_CHARS` characters."""
    items = _Items(report.checks)
    full = _document(report, items, cap=None)
    if full is not None:
        return full
    longest = max((len(view.findings) for view in report.checks), default=0)
    best: str | None = None
    low, high = 0, longest - 1
    while low <= high:  # the largest per-check cap that fits
        middle = (low + high) // 2
        text = _document(report, items, cap=middle)
        if text is not None:
            best, low = text, middle + 1
        else:
            high = middle - 1
    if best is not None:
        return best
    return _shortest(report, items)


def _shortest(report: AuditReport, items: _Items) -> str:
    """The table alone, then with its last rows dropped, until it fits."""
    rows = len(report.checks)
    while rows > 0:
        text = _document(report, items, cap=0, details=False, rows=rows)
        if text is not None:
            return text
        rows -= 1
    text = _document(report, items, cap=0, details=False, rows=0, limit=None)
    assert text is not None  # without a limit there is always a document
    return text


class _TooLong(Exception):
    """The document being built has passed its limit: no need to finish it."""


class _Items:
    """Each check's findings as list items, formatted on first use and kept.

    Finding the largest cap that fits builds the document a dozen times; each
    build stops at the size limit, so only the findings that can be shown are
    ever formatted (not 100,000 of them for a large repository), and read in
    order (findings kept in blocks are decoded only up to the last one shown).
    """

    def __init__(self, checks: Sequence[CheckView]) -> None:
        self._findings: list[Iterator[Finding]] = [iter(view.findings) for view in checks]
        self._done: list[list[str]] = [[] for _ in checks]

    def get(self, check: int, index: int) -> str:
        """The list item of finding ``index`` of the ``check``-th check."""
        done = self._done[check]
        while len(done) <= index:
            done.append(_finding(next(self._findings[check])))
        return done[index]


class _Parts:
    """The blocks of the document, joined by blank lines, that raise :class:`_TooLong` past a limit."""

    def __init__(self, limit: int | None) -> None:
        self.blocks: list[str] = []
        self.limit = limit
        # the length of the blocks joined so far, with the separator the next block will need
        self.size = -2

    def room(self) -> int | None:
        """How many characters the next block can have (None: no limit)."""
        return None if self.limit is None else self.limit - self.size - 2

    def add(self, block: str) -> None:
        """Append ``block``; raise :class:`_TooLong` when the text can no longer fit."""
        self.blocks.append(block)
        self.size += len(block) + 2
        if self.limit is not None and self.size > self.limit:
            raise _TooLong

    def text(self) -> str:
        """The document: the blocks with blank lines between them, a newline last."""
        return "\n\n".join(self.blocks) + "\n"


def _score(score: float | None) -> str:
    """A score with one decimal, or a dash."""
    return "–" if score is None else f"{score:.1f}"


def _document(
    report: AuditReport,
    items: _Items,
    *,
    cap: int | None,
    details: bool = True,
    rows: int | None = None,
    limit: int | None = MAX_CHARS,
) -> str | None:
    """The document with at most ``rows`` table rows and ``cap`` findings per check (None: all), or no details.

    Returns None as soon as the text is known to be longer than ``limit``
    characters: the text only grows as blocks are added.
    """
    checks = list(report.checks)
    shown_rows = checks if rows is None else checks[:rows]
    parts = _Parts(limit)
    try:
        parts.add(_heading(report))
        parts.add(_table(shown_rows))
        if rows is not None and rows < len(checks):
            parts.add(f"_The table was cut to {rows} of {len(checks)} checks to fit {MAX_CHARS:,} characters._")
        total = sum(len(view.findings) for view in checks)
        shown = _all_details(parts, items, checks, cap) if details else 0
        if shown < total:
            parts.add(
                f"_Findings lists were shortened to fit {MAX_CHARS:,} characters: {shown} of {total} shown. "
                "The JSON and SARIF reports list them all._"
            )
        parts.add(_footer(report))
    except _TooLong:
        return None
    text = parts.text()
    return None if limit is not None and len(text) > limit else text


def _all_details(parts: _Parts, items: _Items, checks: Sequence[CheckView], cap: int | None) -> int:
    """Append the details of each check with findings or failing to ``parts``; return how many findings they list."""
    shown = 0
    for position, view in enumerate(checks):
        if view.findings or view.status in (Status.FAIL, Status.ERROR):
            parts.add(_details(view, partial(items.get, position), cap, parts.room()))
            shown += len(view.findings) if cap is None else min(cap, len(view.findings))
    return shown


def _heading(report: AuditReport) -> str:
    """The title with the score, then the repository, the conclusive checks and the gate."""
    card = report.scorecard
    if card.score is None:
        title = "## oshealth: no score"
    else:
        title = f"## oshealth: {card.score:.1f}/10, grade {card.grade}"
    repo = report.repository
    where = code(str(repo.get("path")))
    commit = repo.get("commit")
    where += f" at {code(commit[:12])}" if commit else " (no commits)"
    if repo.get("branch"):
        where += f" on {code(str(repo['branch']))}"
    line = f"{where} · {card.conclusive} of {card.total} checks conclusive"
    if card.score is None:
        line += " (no conclusive check, so no score)"
    if report.fail_under is not None:
        verdict = "❌ failed" if report.gate_failed else "✅ passed"
        line += f" · gate `--fail-under {report.fail_under:g}`: {verdict}"
    return f"{title}\n\n{line}"


def _table(checks: Sequence[CheckView]) -> str:
    """The table of checks: category, weight, score, status and reason."""
    lines = ["| Check | Category | Weight | Score | Status | Reason |", "| :-- | :-- | --: | --: | :-- | :-- |"]
    for view in checks:
        status = f"{_STATUS_ICON[view.status]} {view.status.value}"
        cells = (escape(view.id), escape(view.category), f"{view.weight:g}", _score(view.score), status,
                 escape(view.reason))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _details(view: CheckView, item: Callable[[int], str], cap: int | None, room: int | None) -> str:
    """A folded section of one check: reason, fix and at most ``cap`` findings (None: all), ``item(i)`` the i-th.

    Raises:
        _TooLong: The section would be longer than ``room`` characters (None: no limit).
    """
    count = len(view.findings)
    noun = "finding" if count == 1 else "findings"
    summary = (f"<strong>{html_text(view.id)}</strong>: {_score(view.score)}, {html_text(view.status.value)}, "
               f"{count} {noun}")
    body = [f"<details>\n<summary>{summary}</summary>", f"**Reason:** {inline(view.reason)}"]
    if view.remediation:
        body.append(f"**Fix:** {inline(view.remediation)}")
    if view.findings:
        listed = count if cap is None else min(cap, count)
        # the blocks so far, the blank lines around the list and the closing tag; then each line and its newline,
        # the last line's newline missing
        size = sum(len(block) + 2 for block in body) + 2 + len("</details>") - 1
        lines = []
        for index in range(listed):
            lines.append(item(index))
            size += len(lines[-1]) + 1
            if room is not None and size > room:
                raise _TooLong
        if listed < count:
            lines.append(f"- … and {count - listed} more")
        body.append("\n".join(lines))
    body.append("</details>")
    return "\n\n".join(body)


def _finding(finding: Finding) -> str:
    """A finding as a list item: severity, location, message and rule."""
    where = ""
    if finding.path:
        where = code(f"{finding.path}:{finding.line}" if finding.line else finding.path) + " "
    rule = f" ({code(finding.rule)})" if finding.rule else ""
    return f"- **{finding.severity.value}** {where}{inline(finding.message)}{rule}"


def _footer(report: AuditReport) -> str:
    """The small print: oshealth's version and the report's date."""
    return f"<sub>oshealth {html_text(report.version)} · {html_text(report.generated_at)}</sub>"
