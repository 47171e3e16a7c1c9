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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import jinja2
from markupsafe import Markup

from oshealth import charts, svgcharts, svgscene
from oshealth.models import Finding, MetricValue, Status
from oshealth.report import AuditReport, CheckView
from oshealth.scoring import GRADES

#: Metrics drawn in a chart of their check (the metric list says so instead of listing records).
CHARTED = {
    "activity": {"history_monthly", "release_tags"},
    "complexity": {"most_complex", "rank_counts"},
    "contributor-spread": {"file_authors"},
    "docstring-coverage": {"files"},
}
#: Most items of a list or mapping metric written out.
MAX_ITEMS = 12
_CODE = re.compile(r"``(.+?)``|`([^`]+)`")


@dataclass(frozen=True)
class Span:
    """A piece of prose: plain text or code (from the documentation's backquotes)."""

    text: str
    code: bool = False


@dataclass(frozen=True)
class MetricRow:
    """A named metric, its value formatted."""

    name: str
    key: str
    value: str
    wide: bool = False


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
    """A check's findings in one file (``path`` empty: about the whole repository)."""

    path: str
    findings: tuple[FindingRow, ...]


@dataclass(frozen=True)
class Figure:
    """A chart with its heading and a note on what it leaves out."""

    heading: str
    svg: svgscene.Svg
    note: str = ""
    collapsed: bool = False
    wide: bool = False


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
    findings: tuple[FindingRow, ...]
    severities: tuple[tuple[str, int], ...]
    severity_summary: str
    css: Markup
    script: Markup
    csp: str


def render(report: AuditReport) -> str:
    """Render the report as one self-contained HTML document."""
    return _environment().get_template("report.html.j2").render(page=build_page(report))


def _environment() -> jinja2.Environment:
    """The template environment: package templates, everything escaped, undefined names an error."""
    # autoescape=True, not select_autoescape(): the latter does not cover "*.html.j2"
    return jinja2.Environment(
        loader=jinja2.PackageLoader("oshealth.templates", ""),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


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
    rows, severities = _all_findings(report)
    return Page(
        title=f"oshealth report: {path}",
        path=path,
        commit=(repo.get("commit") or "no commits")[:12],
        branch=repo.get("branch") or "",
        generated_at=report.generated_at,
        version=report.version,
        score="n/a" if card.score is None else f"{card.score:.1f}",
        grade=card.grade,
        tone=charts.tone_of(card.score),
        conclusive=f"{card.conclusive} of {card.total} checks conclusive",
        gate=_gate(report),
        gate_failed=report.gate_failed,
        ring=svgcharts.ring_chart("overall-ring", card.score, card.grade),
        overview=_overview(report),
        tally=_tally(report),
        grades=tuple((letter, f"{floor:g}", charts.tone_of(floor)) for letter, floor in GRADES),
        sections=tuple(_section(view) for view in report.checks),
        findings=tuple(rows),
        severities=severities,
        severity_summary=", ".join(f"{n:,} {name}{'s' if n != 1 else ''}" for name, n in severities) or "None.",
        css=Markup(css),
        script=Markup(script),
        csp=_csp(css, script),
    )


def _all_findings(report: AuditReport) -> tuple[list[FindingRow], tuple[tuple[str, int], ...]]:
    """Every finding, most severe first, and how many there are of each severity."""
    rows = [_finding_row(view.id, f) for view in report.checks for f in view.findings]
    severity_rank = {"error": 0, "warning": 1, "note": 2}
    rows.sort(key=lambda r: severity_rank.get(r.severity, 3))  # stable: check order kept within a severity
    severities = tuple(sorted(Counter(r.severity for r in rows).items(), key=lambda kv: severity_rank[kv[0]]))
    return rows, severities


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


def _finding_row(check_id: str, finding: Finding) -> FindingRow:
    """A finding as a table row, its location as ``path:line``."""
    location = finding.path or ""
    if finding.path and finding.line:
        location += f":{finding.line}"
    line = str(finding.line) if finding.line else ""
    return FindingRow(finding.severity.value, check_id, finding.rule, location, line, finding.message)


def _section(view: CheckView) -> Section:
    """The section of one check: outcome, documentation, metrics, figures and findings."""
    return Section(
        anchor="check-" + re.sub(r"[^a-z0-9-]+", "-", view.id.lower()),
        id=view.id,
        category=view.category,
        status=view.status.value,
        score="n/a" if view.score is None else f"{view.score:.1f}",
        tone=charts.tone_of(view.score),
        weight=f"{view.weight:g}",
        summary=view.summary,
        reason=view.reason,
        remediation=spans(view.remediation),
        documentation=tuple(spans(p) for p in _paragraphs(view.documentation)[1:]),
        metrics=tuple(_metric_row(view.id, k, v) for k, v in sorted(view.metrics.items())),
        findings=_by_file(view),
        finding_count=len(view.findings),
        figures=tuple(_figures(view)),
    )


def _by_file(view: CheckView) -> tuple[FileFindings, ...]:
    """The check's findings grouped by file, files in the order of their first (most severe) finding."""
    groups: dict[str, list[FindingRow]] = {}
    for finding in view.findings:
        groups.setdefault(finding.path or "", []).append(_finding_row(view.id, finding))
    return tuple(FileFindings(path, tuple(rows)) for path, rows in groups.items())


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


def _metric_row(check_id: str, key: str, value: MetricValue) -> MetricRow:
    """A metric as a row of the metric list, saying when a chart draws it."""
    text = format_metric(value)
    if key in CHARTED.get(check_id, set()) and isinstance(value, list | dict) and value:
        text += ", charted above"
    return MetricRow(key.replace("_", " "), key, text, wide=len(text) > 40)


def format_metric(value: MetricValue) -> str:
    """A metric value as short text: numbers grouped, floats to 2 decimals, long lists cut."""
    if value is None or isinstance(value, bool | int | float | str):
        return _scalar(value)
    return _collection(value)


def _scalar(value: bool | float | str | None) -> str:
    """A number, a yes/no, a text, or a dash for nothing."""
    if value is None:
        return "\u2014"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return value


def _collection(value: Sequence[Any] | Mapping[str, Any]) -> str:
    """A mapping's ``key: value`` pairs, or a list's items (records as short text), cut after a few."""
    if isinstance(value, Mapping):
        items = [f"{k}: {format_metric(v)}" for k, v in value.items()]
    elif all(isinstance(item, Mapping) for item in value):
        if len(value) > MAX_ITEMS:
            return f"{len(value):,} records"
        items = [_record(item) for item in value]
    else:
        items = [format_metric(item) for item in value]
    if not items:
        return "none"
    more = f", \u2026 {len(items) - MAX_ITEMS:,} more" if len(items) > MAX_ITEMS else ""
    return ", ".join(items[:MAX_ITEMS]) + more


def _record(item: Mapping[str, MetricValue]) -> str:
    """A small record: ``first: second`` for a pair (a month and its count), else its values."""
    values = [format_metric(v) for v in item.values()]
    return f"{values[0]}: {values[1]}" if len(values) == 2 else " ".join(values)


def _figures(view: CheckView) -> list[Figure]:
    """The charts of a check, for the checks that have some."""
    if view.id == "docstring-coverage":
        return _coverage_figures(view)
    if view.id == "complexity":
        return _complexity_figures(view)
    if view.id == "contributor-spread":
        return _author_figures(view)
    if view.id == "activity":
        return _activity_figures(view)
    return []


def _coverage_figures(view: CheckView) -> list[Figure]:
    """Docstring coverage by package and, folded, by module, with the target as a marker."""
    packages, modules, note = charts.coverage_rows(view)
    if not packages:
        return []
    target = view.metrics.get("fail_under")
    marker = svgcharts.Marker(float(target), f"target {target:g}%") if isinstance(target, int | float) else None
    desc = "Share of documented objects per folder: " + "; ".join(f"{r.label} {r.text}" for r in packages)
    figures = [Figure("Docstring coverage by package",
                      svgcharts.hbar_chart("chart-coverage-packages", "Docstring coverage by package", desc, packages,
                                        maximum=100.0, unit="%", marker=marker))]
    desc = "Share of documented objects per module, under its folder: " + "; ".join(
        f"{r.label} {r.text}" for r in modules if not r.strong)
    figures.append(Figure("Docstring coverage by module",
                          svgcharts.hbar_chart("chart-coverage-modules", "Docstring coverage by module", desc, modules,
                                            maximum=100.0, unit="%", marker=marker), note, collapsed=True))
    return figures


def _complexity_figures(view: CheckView) -> list[Figure]:
    """The blocks per complexity rank, and the most complex blocks."""
    figures = []
    ranks = charts.rank_rows(view)
    if ranks:
        desc = "Functions, methods and classes per cyclomatic complexity rank: " + ", ".join(
            f"{r.label.split()[0]} {r.text}" for r in ranks)
        figures.append(Figure("Complexity distribution (radon ranks)",
                              svgcharts.hbar_chart("chart-complexity-ranks", "Complexity distribution", desc, ranks)))
    blocks = charts.top_blocks(view)
    if blocks:
        rows = charts.block_rows(blocks)
        desc = "Most complex blocks: " + "; ".join(f"{r.label} {r.text}" for r in rows)
        figures.append(Figure(f"The {len(rows)} most complex functions",
                              svgcharts.hbar_chart("chart-complexity-top", "Most complex functions", desc, rows)))
    return figures


def _author_figures(view: CheckView) -> list[Figure]:
    """Each developer's share of authored files, the truck-factor people above a line."""
    rows, truck = charts.author_rows(view)
    if not rows:
        return []
    names = ", ".join(r.label for r in rows[:truck])
    desc = (f"Share of the source files each developer mainly authors. Truck factor {truck}"
            + (f": {names}." if truck else ".") + " " + "; ".join(f"{r.label} {r.text}" for r in rows))
    total = view.metrics.get("file_author_count")
    note = f"{len(rows)} of {total} file authors shown" if isinstance(total, int) and total > len(rows) else ""
    split = (truck, f"truck factor {truck}: the people above") if truck else None
    return [Figure("Contributor spread: share of authored files",
                   svgcharts.hbar_chart("chart-authors", "Share of authored files", desc, rows, maximum=100.0,
                                     unit="%", split_after=split), note)]


def _activity_figures(view: CheckView) -> list[Figure]:
    """Commits per month over the whole history, releases marked."""
    data = charts.history(view)
    if data is None:
        return []
    total = sum(c for _, c in data.months)
    busiest = max(data.months, key=lambda m: m[1])
    desc = (f"Commits per month from {data.months[0][0]} to {data.months[-1][0]}: {total:,} commits, "
            f"busiest month {busiest[0]} with {busiest[1]}. {len(data.releases)} releases marked"
            + (f", the latest {data.releases[-1][0]} on {data.releases[-1][1]}." if data.releases else "."))
    return [Figure("Commits per month, releases marked",
                   svgcharts.timeline_chart("chart-activity", "Activity over time", desc, data), wide=True)]
