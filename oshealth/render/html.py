"""The self-contained HTML report: one file with inline CSS, inline SVG charts and a small script.

The page is built in two steps, as coverage.py builds its HTML: first a
:class:`Page` of already formatted strings and chart scenes (from the one
view model, :class:`~oshealth.report.AuditReport`), then the Jinja2 template
``report.html.j2`` only loops over it. Everything taken from the repository
(names, paths, messages, tags) reaches the page through Jinja2's autoescaping;
a Content-Security-Policy that allows only the page's own style and script (by
hash) and no fetch of any kind is a second wall.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources

import jinja2
import jinja2.bccache
from markupsafe import Markup

from oshealth import charts, parts, svgcharts, svgscene
from oshealth.models import Severity, Status
from oshealth.render import findingblocks, htmlfindings
from oshealth.render.htmlfigures import Figure, figures
from oshealth.render.htmlfindings import FileCount, FileFindings
from oshealth.render.htmlmetrics import MetricRow, metric_row
from oshealth.report import AuditReport, CheckView
from oshealth.scoring import GRADES

_CODE = re.compile(r"``(.+?)``|`([^`]+)`")


@dataclass(frozen=True)
class Span:
    """A piece of prose: plain text or code (from the documentation's backquotes)."""

    text: str
    code: bool = False


@dataclass(frozen=True)
class Section:
    """One check's part of the page."""

    anchor: str
    id: str
    category: str
    status: str
    score: str
    tone: str
    weight: str
    summary: str
    reason: str
    remediation: tuple[Span, ...]
    documentation: tuple[tuple[Span, ...], ...]
    metrics: tuple[MetricRow, ...]
    findings: tuple[FileFindings, ...]
    finding_count: int
    files: tuple[FileCount, ...]
    file_rows: Markup
    hidden: int
    hidden_note: str
    figures: tuple[Figure, ...]


@dataclass(frozen=True)
class Page:
    """Everything the template shows, already formatted."""

    title: str
    path: str
    commit: str
    branch: str
    generated_at: str
    version: str
    score: str
    grade: str
    tone: str
    conclusive: str
    gate: str
    gate_failed: bool
    ring: svgscene.Svg
    overview: svgscene.Svg
    tally: tuple[tuple[str, int, str], ...]
    grades: tuple[tuple[str, str, str], ...]
    sections: tuple[Section, ...]
    finding_rows: Markup
    listed_count: int
    finding_total: str
    hidden_note: str
    listed_cap: str
    severities: tuple[tuple[str, int], ...]
    severity_summary: str
    css: Markup
    script: Markup
    csp: str


def render(report: AuditReport) -> str:
    """Render the report as one self-contained HTML document."""
    return _template().render(page=build_page(report))


@cache
def _template() -> jinja2.Template:
    """The page template, compiled once per process."""
    return _environment().get_template("report.html.j2")


def _environment() -> jinja2.Environment:
    """The template environment: package templates, everything escaped, undefined names an error."""
    # autoescape=True, not select_autoescape(): the latter does not cover "*.html.j2"
    return jinja2.Environment(
        loader=jinja2.PackageLoader("oshealth.templates", ""),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_StoredBytecode(),
    )


class _StoredBytecode(jinja2.BytecodeCache):
    """The compiled template kept in oshealth's cache: compiling it costs a re-audit about 20 ms.

    jinja2 keys it by the template's name and checks it against the source's
    digest and its own format; the cache's key adds oshealth's version and code.
    """

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Fill ``bucket`` with the stored code, if any."""
        data = parts.stored("template", f"{bucket.key} {bucket.checksum}")
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Store the code of ``bucket``."""
        parts.keep("template", f"{bucket.key} {bucket.checksum}", bucket.bytecode_to_string())


def _asset(name: str) -> str:
    """The text of a file shipped with the templates (the style sheet, the script)."""
    return resources.files("oshealth.templates").joinpath(name).read_text(encoding="utf-8")


def _csp(css: str, script: str) -> str:
    """A policy that lets the page run its own style and script only, and fetch nothing."""

    def digest(text: str) -> str:
        """The CSP source expression of an inline text: its SHA-256 in base64."""
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"

    return (
        f"default-src 'none'; style-src {digest(css)}; script-src {digest(script)}; "
        "img-src 'none'; font-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'"
    )


def build_page(report: AuditReport) -> Page:
    """The page's view model, from the report."""
    css, script = _asset("report.css"), _asset("report.js")
    card = report.scorecard
    repo = report.repository
    path = str(repo.get("path") or ".")
    lists = [htmlfindings.listed(view) for view in report.checks]
    severities = _severities(report)
    total = sum(len(view.findings) for view in report.checks)
    listed_count = sum(one.count for one in lists)
    return Page(
        title=f"oshealth report: {path}",
        path=path,
        commit=(repo.get("commit") or "no commits")[:12],
        branch=repo.get("branch") or "",
        generated_at=report.generated_at,
        version=report.version,
        score=_score_text(card.score),
        grade=card.grade,
        tone=charts.tone_of(card.score),
        conclusive=f"{card.conclusive} of {card.total} checks conclusive",
        gate=_gate(report),
        gate_failed=report.gate_failed,
        ring=svgcharts.ring_chart("overall-ring", card.score, card.grade),
        overview=_overview(report),
        tally=_tally(report),
        grades=tuple((letter, f"{floor:g}", charts.tone_of(floor)) for letter, floor in GRADES),
        sections=tuple(_section(view, listed) for view, listed in zip(report.checks, lists, strict=True)),
        finding_rows=htmlfindings.table_rows(lists),
        listed_count=listed_count,
        finding_total=f"{total:,}",
        hidden_note=htmlfindings.hidden_note(total - listed_count),
        listed_cap=f"{htmlfindings.MAX_LISTED:,}",
        severities=severities,
        severity_summary=_severity_summary(severities),
        css=Markup(css),
        script=Markup(script),
        csp=_csp(css, script),
    )


def _severities(report: AuditReport) -> tuple[tuple[str, int], ...]:
    """How many findings there are of each severity, the most severe first."""
    counts: Counter[Severity] = Counter()
    for view in report.checks:
        counts.update(findingblocks.severity_counts(view.findings))
    return tuple((severity.value, counts[severity]) for severity in sorted(counts, key=lambda s: s.rank))


def _severity_summary(severities: tuple[tuple[str, int], ...]) -> str:
    """The findings per severity in words (``3 errors, 1 warning``), or ``None.`` without findings.

    Args:
        severities: Each severity's name and count, as :func:`_severities` gives them.

    Returns:
        The sentence.
    """
    return ", ".join(f"{n:,} {name}{'s' if n != 1 else ''}" for name, n in severities) or "None."


def _score_text(score: float | None) -> str:
    """A score as shown: one decimal, or ``n/a`` without one.

    Args:
        score: The score out of 10, or None.

    Returns:
        The text.
    """
    return "n/a" if score is None else f"{score:.1f}"


def _gate(report: AuditReport) -> str:
    """The ``--fail-under`` gate and its outcome, or nothing without a gate."""
    if report.fail_under is None:
        return ""
    return f"gate --fail-under {report.fail_under:g}: {'failed' if report.gate_failed else 'passed'}"


def _tally(report: AuditReport) -> tuple[tuple[str, int, str], ...]:
    """Checks per outcome: passed, failed, without a score (shown only when there are some)."""
    statuses = Counter(view.status for view in report.checks)
    unscored = sum(n for status, n in statuses.items() if not status.is_conclusive)
    rows = (("checks passed", statuses[Status.PASS], "st-pass"), ("checks failed", statuses[Status.FAIL], "st-fail"),
            ("checks without a score", unscored, "st-none"))
    return tuple(row for row in rows if row[1])


def _overview(report: AuditReport) -> svgscene.Svg:
    """The chart of every category's and check's score."""
    rows = charts.score_rows(report)
    desc = "Scores out of 10. " + "; ".join(f"{r.label} {r.text}" for r in rows)
    return svgcharts.hbar_chart("chart-scores", "Score by category and check", desc, rows, maximum=10.0)


def _section(view: CheckView, listed: htmlfindings.Listed) -> Section:
    """The section of one check: outcome, documentation, metrics, figures and the findings ``listed``."""
    return Section(
        anchor="check-" + re.sub(r"[^a-z0-9-]+", "-", view.id.lower()),
        id=view.id,
        category=view.category,
        status=view.status.value,
        score=_score_text(view.score),
        tone=charts.tone_of(view.score),
        weight=f"{view.weight:g}",
        summary=view.summary,
        reason=view.reason,
        remediation=spans(view.remediation),
        documentation=tuple(spans(p) for p in _paragraphs(view.documentation)[1:]),
        metrics=tuple(metric_row(view.id, k, v) for k, v in sorted(view.metrics.items())),
        findings=listed.groups,
        finding_count=len(view.findings),
        files=listed.files,
        file_rows=listed.file_rows,
        hidden=listed.hidden,
        hidden_note=listed.note,
        figures=tuple(figures(view)),
    )


def _paragraphs(text: str) -> list[str]:
    """The paragraphs of a docstring, each on one line."""
    return [" ".join(line.strip() for line in block.splitlines()) for block in re.split(r"\n\s*\n", text.strip())]


def spans(text: str) -> tuple[Span, ...]:
    """Split prose into plain and code spans (``code`` or `code`)."""
    parts: list[Span] = []
    position = 0
    for match in _CODE.finditer(text):
        if match.start() > position:
            parts.append(Span(text[position : match.start()]))
        parts.append(Span(match.group(1) or match.group(2), code=True))
        position = match.end()
    if position < len(text):
        parts.append(Span(text[position:]))
    return tuple(parts)
