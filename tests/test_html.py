"""The HTML report: structure, self-containment, escaping of repository text, charts."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import re
import sqlite3
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import pytest

from oshealth import charts, parts, svgcharts, svgscene
from oshealth.audit import run_audit
from oshealth.cache import Cache
from oshealth.cli import run
from oshealth.models import Finding, MetricValue, Severity, Status
from oshealth.render import html, htmlfindings, htmlmetrics
from oshealth.render.htmlfindings import FileCount
from oshealth.report import AuditReport
from tests.gitrepo import BASE_TIME, DAY, RepoBuilder, load_sample
from tests.reportutil import report, view

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
JS_URL = "javascript:alert(1)"
# git strips "<" and ">" from author names; what is left must still show literally (and not decode twice)
AUTHOR = 'Mallory &lt;script&gt;alert(1)&lt;/script&gt; " onmouseover="alert(1) ' + JS_URL
TAG = "<img/src=x/onerror=alert(1)>"
COMPLEX = "def tangled(a):\n" + "".join(f"    if a == {k}:\n        return {k}\n" for k in range(12)) + "    return 0\n"


def build_hostile(builder: RepoBuilder) -> RepoBuilder:
    """A repository whose author, file names, docstrings, README, commit message and tags carry markup."""
    author = f"{AUTHOR} <mallory@example.com>"
    builder.commit({
        "README.md": f"# Demo\n\n[{SCRIPT}]({JS_URL}) {IMG}\n",
        "pkg/__init__.py": f'"""{SCRIPT} package {IMG}."""\n',
        f"pkg/{IMG}.py": f'"""{IMG}"""\n\ndef undocumented():\n    return 1\n\n' + COMPLEX,
        f"pkg/{SCRIPT}.py": "def f():\n    return 2\n",
        f"pkg/{JS_URL}.py": f'def g():\n    """{SCRIPT} {JS_URL}"""\n    return 3\n',
    }, author=author, message=SCRIPT, when=BASE_TIME + 10 * DAY)
    builder.tag("v1.0")
    builder.commit({"pkg/__init__.py": f'"""{SCRIPT} package {IMG}, again."""\n'}, author=author,
                   when=BASE_TIME + 100 * DAY)
    builder.tag(TAG)
    builder.tag("v1.1")
    return builder


@dataclass
class Doc(HTMLParser):
    """The parts of an HTML page the tests look at, read by the standard library's HTML parser."""

    elements: list[tuple[str, dict[str, str | None], str]] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)
    _section: str = ""
    _raw: str = ""

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "section":
            self._section = attributes.get("id") or ""
        self.elements.append((tag, attributes, self._section))
        if tag in ("script", "style"):
            self._raw = tag
            (self.scripts if tag == "script" else self.styles).append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._raw = ""

    def handle_data(self, data: str) -> None:
        if self._raw == "script":
            self.scripts[-1] += data
        elif self._raw == "style":
            self.styles[-1] += data
        else:
            self.text.append(data)

    def find(self, tag: str, **attrs: str) -> list[tuple[dict[str, str | None], str]]:
        """Elements ``tag`` whose attributes contain ``attrs`` (class: one of its classes)."""
        found = []
        for name, attributes, section in self.elements:
            if name != tag:
                continue
            ok = all(
                value in (attributes.get("class") or "").split() if key == "class_" else attributes.get(key) == value
                for key, value in attrs.items()
            )
            if ok:
                found.append((attributes, section))
        return found


def parse(page: str) -> Doc:
    doc = Doc()
    doc.feed(page)
    doc.close()
    return doc


def asset(name: str) -> str:
    return resources.files("oshealth.templates").joinpath(name).read_text(encoding="utf-8")


def assert_inert(doc: Doc) -> None:
    """Nothing in the page can run or load but oshealth's own script."""
    assert doc.scripts == [asset("report.js")]
    assert doc.styles == [asset("report.css")]
    tags = {name for name, _, _ in doc.elements}
    assert not tags & {"img", "iframe", "object", "embed", "link", "base", "form", "image", "use", "foreignobject"}
    for name, attributes, _ in doc.elements:
        for key, value in attributes.items():
            assert not key.startswith("on"), (name, key)
            assert key not in ("src", "srcset", "xlink:href", "action", "formaction", "style"), (name, key)
            if key == "href":
                assert value is not None and value.startswith("#"), value


# --- a real repository with markup in every name ----------------------------------------------------


@pytest.fixture
def hostile(builder: RepoBuilder) -> AuditReport:
    return run_audit(build_hostile(builder).root, display_path=f"repo{SCRIPT}")


def test_repository_markup_is_escaped_and_shows_literally(hostile: AuditReport) -> None:
    page = html.render(hostile)
    doc = parse(page)
    assert_inert(doc)
    text = "".join(doc.text)
    # the payloads reach the page (so the test tests something) and read as text
    assert f"pkg/{IMG}.py" in text
    assert f"pkg/{SCRIPT}.py" in text
    assert f"pkg/{JS_URL}.py" in text
    assert AUTHOR in text  # with "&lt;" as four characters: escaped once, decoded once
    assert TAG in text
    assert f"repo{SCRIPT}" in text
    # in the source every "<" of repository text is an entity, and so is the "&" of the author's "&lt;"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Mallory &amp;lt;script&amp;gt;" in page
    assert SCRIPT not in page and IMG not in page
    # tooltips and labels inside the SVG charts are text too
    svg_titles = re.findall(r"<title>([^<]*)</title>", page)
    assert any("Mallory &amp;lt;script" in title for title in svg_titles)


def test_hostile_report_structure_matches_the_audit(hostile: AuditReport) -> None:
    doc = parse(html.render(hostile))
    counts = {v.id: len(v.findings) for v in hostile.checks}
    assert counts == {"activity": 3, "complexity": 1, "contributor-spread": 1, "docstring-coverage": 5,
                      "docstring-style": 7, "project-docs": 12, "release-documentation": 5, "tests": 2}
    total = sum(counts.values())
    assert len([a for a, section in doc.find("tr") if section == "findings"]) == total + 1  # the header row
    # a table of finding counts per file for each check with findings in more than one place
    tables = [section for a, section in doc.find("table", class_="counts")]
    assert tables == [f"check-{v.id}" for v in hostile.checks if len({f.path for f in v.findings}) > 1] == [
        "check-docstring-coverage", "check-docstring-style", "check-project-docs"]
    for check in hostile.checks:
        items = [a for a, section in doc.find("li") if section == f"check-{check.id}" and a.get("class")]
        assert len(items) == len(check.findings), check.id


# --- structure on a sample repository ----------------------------------------------------------------


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> AuditReport:
    monkey = pytest.MonkeyPatch()
    monkey.setenv("SOURCE_DATE_EPOCH", str(BASE_TIME + 365 * DAY))
    for key, value in {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null", "LC_ALL": "C"}.items():
        monkey.setenv(key, value)
    try:
        root = load_sample("team_project", tmp_path_factory.mktemp("team") / "team_project")
        return run_audit(root, display_path="team_project")
    finally:
        monkey.undo()


def test_every_check_has_a_section_with_its_parts(team: AuditReport) -> None:
    doc = parse(html.render(team))
    sections = [a["id"] for a, _ in doc.find("section", class_="check")]
    assert sections == [f"check-{v.id}" for v in team.checks]
    assert len(sections) == 8
    for check in team.checks:
        anchor = f"check-{check.id}"
        inside = [(name, a) for name, a, section in doc.elements if section == anchor]
        assert ("h2", {"id": f"{anchor}-h"}) in inside
        details = [a.get("class") for name, a in inside if name == "details"]
        assert "check-findings" in details
        assert ("metrics" in details) == bool(check.metrics)
        items = [a for name, a in inside if name == "li" and a.get("class") in ("error", "warning", "note")]
        assert len(items) == len(check.findings)


def test_findings_table_lists_every_finding_most_severe_first(team: AuditReport) -> None:
    page = html.render(team)
    table = page[page.index('<table id="findings-table"') :]
    body = table[table.index("<tbody>") : table.index("</tbody>")]
    rows = [row.split("<td>") for row in body.split("<tr")[1:]]
    expected = sorted(
        ((f.severity, v.id, f) for v in team.checks for f in v.findings), key=lambda t: t[0].rank
    )
    assert len(rows) == len(expected) == sum(len(v.findings) for v in team.checks)
    for cells, (severity, check_id, finding) in zip(rows, expected, strict=True):
        assert cells[0] == f' class="{severity.value}">'
        assert cells[1:5] == [severity.value, check_id, finding.rule,
                              f"{finding.path}:{finding.line}" if finding.path and finding.line else finding.path or ""]


def test_charts_are_accessible_images(team: AuditReport) -> None:
    page = html.render(team)
    doc = parse(page)
    ids = [str(a["id"]) for a, _ in doc.find("svg", class_="chart")]
    # the most complex blocks are charted even when none is above the threshold (the sample has none)
    assert ids == ["overall-ring", "chart-scores", "chart-activity", "chart-complexity-ranks", "chart-complexity-top",
                   "chart-authors", "chart-coverage-packages", "chart-coverage-modules"]
    for ident in ids:
        (attrs, _), = doc.find("svg", id=ident)
        assert attrs["role"] == "img"
        assert attrs["aria-labelledby"] == f"{ident}-t {ident}-d"
        assert doc.find("title", id=f"{ident}-t") and doc.find("desc", id=f"{ident}-d")


def test_page_is_self_contained(team: AuditReport) -> None:
    page = html.render(team)
    doc = parse(page)
    assert_inert(doc)
    # the only URL is the SVG namespace, which is a name, not a request
    assert set(re.findall(r"[a-z]+://[^\s\"')]*", page)) == {"http://www.w3.org/2000/svg"}
    for needle in ("url(", "@import", "@font-face", "<link", " src="):
        assert needle not in page
    (csp,) = [a["content"] for a, _ in doc.find("meta") if a.get("http-equiv") == "Content-Security-Policy"]

    def digest(text: str) -> str:
        return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()

    assert csp == (
        f"default-src 'none'; style-src 'sha256-{digest(asset('report.css'))}'; "
        f"script-src 'sha256-{digest(asset('report.js'))}'; img-src 'none'; font-src 'none'; "
        "connect-src 'none'; base-uri 'none'; form-action 'none'"
    )


def test_assets_cannot_close_their_element() -> None:
    for name in ("report.css", "report.js"):
        assert "</" not in asset(name)
    assert "innerHTML" not in asset("report.js") and "insertAdjacentHTML" not in asset("report.js")


def test_controls_are_hidden_until_the_script_runs(team: AuditReport) -> None:
    doc = parse(html.render(team))
    ((controls, _),) = doc.find("div", id="findings-controls")
    assert "hidden" in controls
    options = [a for a, section in doc.find("option") if section == "findings"]
    assert len(options) == 2 + len([v for v in team.checks if v.findings]) + len({
        f.severity for v in team.checks for f in v.findings})


# --- hand-built views: every field of the view model escaped ---------------------------------------


def test_every_view_model_field_is_escaped() -> None:
    metrics: dict[str, MetricValue] = {
        f"key{SCRIPT}": IMG,
        "files": [{"path": f"{SCRIPT}/a.py", "covered": 1, "total": 2}],
        "fail_under": 80.0,
        "history_monthly": [{"month": "2024-01", "commits": 3}],
        "release_tags": [{"name": f"v1{SCRIPT}", "date": "2024-01-05"}],
        "file_authors": [{"name": IMG, "files": 2}],
        "source_files": 2,
        "truck_factor": 1,
        "truck_factor_authors": [IMG],
    }
    findings = [Finding(f"{IMG} message", f"{SCRIPT}.py", 3, Severity.ERROR, f"rule{IMG}")]
    views = [
        replace(view(check_id, findings=findings, reason=f"reason {SCRIPT}", category=f"cat{IMG}"),
                summary=f"summary {IMG}", remediation=f"fix ``{SCRIPT}`` {IMG}", metrics=metrics,
                documentation=f"first\n\n{SCRIPT} ``{IMG}``")
        for check_id in ("docstring-coverage", "activity", "contributor-spread")
    ]
    page = html.render(report(*views, path=f"{IMG}{JS_URL}"))
    doc = parse(page)
    assert_inert(doc)
    assert SCRIPT not in page and IMG not in page
    text = "".join(doc.text)
    for needle in (f"reason {SCRIPT}", f"summary {IMG}", f"{SCRIPT}.py:3", f"rule{IMG}", f"cat{IMG}", f"v1{SCRIPT}",
                   f"{IMG}{JS_URL}", f"key{SCRIPT}".replace("_", " ")):
        assert needle in text, needle
    assert len(doc.find("code")) >= 3  # ``...`` spans became code elements, their text escaped


# --- the CLI ---------------------------------------------------------------------------------------------


def test_cli_writes_the_html_report(builder: RepoBuilder, tmp_path: Path) -> None:
    build_hostile(builder)
    target = tmp_path / "report.html"
    assert run(["audit", str(builder.root), "--format", "html", "--output", str(target)]) == 0
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>\n<html lang=\"en\">")
    assert_inert(parse(page))
    folder = tmp_path / "out"
    folder.mkdir()
    assert run(["audit", str(builder.root), "-f", "html", "-f", "json", "--output-dir", str(folder)]) == 0
    assert (folder / "report.html").read_text(encoding="utf-8") == page


def test_empty_repository_renders(builder: RepoBuilder) -> None:
    audit = run_audit(builder.root)
    doc = parse(html.render(audit))
    assert_inert(doc)
    assert [v.status for v in audit.checks].count(Status.NOT_APPLICABLE) == 7
    assert len([a for a, section in doc.find("tr") if section == "findings"]) == 1 + sum(
        len(v.findings) for v in audit.checks)
    assert [a["id"] for a, _ in doc.find("svg")] == ["overall-ring", "chart-scores"]


def test_no_conclusive_check_means_no_score() -> None:
    doc = parse(html.render(report(view(score=None, status=Status.NOT_APPLICABLE), score=None)))
    text = " ".join("".join(doc.text).split())
    assert "Overall n/a/10, grade - · 0 of 1 checks conclusive" in text
    assert not doc.find("table")  # no findings, no table
    assert [a["id"] for a, _ in doc.find("svg")] == ["overall-ring", "chart-scores"]


def test_size_stays_small_per_finding(builder: RepoBuilder) -> None:
    functions = "".join(f"def function_{k}(x):\n    return x + {k}\n\n" for k in range(300))
    builder.commit({f"pkg/module_{m}.py": functions for m in range(4)})
    audit = run_audit(builder.root)
    findings = sum(len(v.findings) for v in audit.checks)
    assert findings >= 2400  # 1,200 missing docstrings, each also a style finding
    size = len(html.render(audit).encode("utf-8"))
    # both lists (per check and the table) fit in about 300 bytes a finding
    assert size / findings < 300, size


# --- large audits: counts for every file, findings listed up to a cap per check -------------------


def big_audit() -> AuditReport:
    """A check with 2,500 findings in 50 files (errors among notes and warnings), and a small one."""
    severities = (Severity.NOTE, Severity.WARNING, Severity.NOTE, Severity.NOTE, Severity.ERROR)
    many = [Finding(f"finding {i}", f"pkg/m{i % 50:02d}.py", i + 1, severities[i // 50 % 5], "R")
            for i in range(2_500)]
    few = [Finding("lonely", "a.py", 1, Severity.NOTE), Finding("repository-wide", None, None, Severity.WARNING)]
    return report(view("noisy", findings=many), view("quiet", findings=few))


def test_findings_are_listed_up_to_a_cap_per_check_most_severe_first() -> None:
    page = html.render(big_audit())
    doc = parse(page)
    assert_inert(doc)
    listed = [a["class"] for a, section in doc.find("li") if section == "check-noisy" and a.get("class")]
    # all 500 errors and 500 warnings; none of the 1,500 notes
    assert len(listed) == htmlfindings.MAX_LISTED == 1_000
    assert listed.count("error") == 500 and listed.count("warning") == 500
    text = " ".join("".join(doc.text).split())
    assert ("1,500 more findings not shown: see the JSON or SARIF report (oshealth audit -f json). "
            "The 1,000 most severe are listed below.") in text
    # finding 200 is an error, 50 a warning, 0 and 100 notes
    assert "finding 200 R" in text and "finding 50 R" in text and "finding 0 R" not in text
    assert "finding 100 R" not in text
    # the table lists what the checks list; its note counts what is left out of all findings
    rows = [a for a, section in doc.find("tr") if section == "findings"]
    assert len(rows) == 1 + 1_000 + 2
    assert ("1,500 more findings not shown: see the JSON or SARIF report (oshealth audit -f json). The table lists "
            "the 1,002 findings the checks above list: each check's 1,000 most severe.") in text
    assert "All findings (2,502)" in text and "all findings 2,502" in text
    assert "500 errors, 501 warnings, 1,501 notes in all." in text
    # a check with every finding listed has no note
    assert text.count("more findings not shown") == 2


def test_every_file_with_findings_has_its_counts() -> None:
    doc = parse(html.render(big_audit()))
    tables = [section for a, section in doc.find("table", class_="counts")]
    assert tables == ["check-noisy", "check-quiet"]
    page = html.build_page(big_audit())
    noisy, quiet = page.sections
    assert len(noisy.files) == 50
    assert noisy.files[0] == FileCount("pkg/m00.py", "50", "10", "10", "30")
    assert sum(int(c.total) for c in noisy.files) == 2_500
    assert [c.path for c in noisy.files] == sorted(c.path for c in noisy.files)  # equal counts: by path
    assert quiet.files == (FileCount("", "1", "0", "1", "0"), FileCount("a.py", "1", "0", "0", "1"))
    assert quiet.hidden == 0 and quiet.hidden_note == ""
    assert len([a for a, section in doc.find("tr") if section == "check-noisy"]) == 1 + 50


def test_files_are_ordered_by_their_number_of_findings() -> None:
    findings = [Finding("x", path, 1) for path in ("b.py", "a.py", "c.py", "c.py", "b.py", "c.py")]
    counts = htmlfindings.file_counts(tuple(findings))
    assert [(c.path, c.total) for c in counts] == [("c.py", "3"), ("b.py", "2"), ("a.py", "1")]


def test_a_large_audit_gives_a_small_page() -> None:
    severities = (Severity.NOTE, Severity.WARNING)
    views = [view(f"check-{k}", findings=[Finding(f"finding {i} of check {k}", f"pkg/module_{i % 700}.py", i + 1,
                                                   severities[i % 2]) for i in range(20_000)]) for k in range(3)]
    size = len(html.render(report(*views)).encode("utf-8"))
    # 60,000 findings; 3,000 listed twice, 2,100 file rows: well under 300 bytes a listed finding or file row
    assert size < 300 * (2 * 3_000 + 2_100), size


# --- charts: data and layout ------------------------------------------------------------------------


def test_category_scores_are_weighted_means_of_conclusive_checks() -> None:
    a = replace(view("a", score=4.0, status=Status.FAIL), weight=2.0)
    b = replace(view("b", score=10.0, status=Status.PASS), weight=1.0)
    c = view("c", score=None, status=Status.NOT_APPLICABLE)
    d = view("d", score=None, status=Status.INCONCLUSIVE, category="tests")
    assert charts.category_scores([a, b, c, d]) == {"documentation": 6.0, "tests": None}
    rows = charts.score_rows(report(a, b, c, d))
    assert [(r.label, r.text, r.bar) for r in rows] == [
        ("documentation", "6.0", False), ("a", "4.0", True), ("b", "10.0", True), ("c", "not-applicable", True),
        ("tests", "n/a", False), ("d", "inconclusive", True),
    ]


def test_coverage_rows_by_folder_and_worst_modules() -> None:
    files = [
        {"path": "pkg/a.py", "covered": 1, "total": 4, "percent": 25.0},
        {"path": "pkg/b.py", "covered": 3, "total": 3, "percent": 100.0},
        {"path": "pkg/sub/c.py", "covered": 0, "total": 2, "percent": 0.0},
        {"path": "setup.py", "covered": 0, "total": 1, "percent": 0.0},
        {"path": "empty.py", "covered": 0, "total": 0, "percent": 100.0},
    ]
    check = replace(view("docstring-coverage"), metrics={"files": files})
    packages, modules, note = charts.coverage_rows(check, max_packages=2, max_modules=3)
    # the two folders with most objects, in path order; the three modules with most undocumented objects
    assert [(r.label, r.text) for r in packages] == [("pkg", "57% of 7"), ("pkg/sub", "0% of 2")]
    assert [(r.label, r.text, r.strong) for r in modules] == [
        ("(top level)", "0% of 1", True), ("setup.py", "0% of 1", False), ("pkg", "57% of 7", True),
        ("a.py", "25% of 4", False), ("pkg/sub", "0% of 2", True), ("c.py", "0% of 2", False)]
    assert packages[0].value == pytest.approx(400 / 7)
    assert note == ("2 of 3 folders shown, those with the most objects; "
                    "3 of 4 modules shown, those with the most undocumented objects")


def test_top_blocks_are_read_from_the_most_complex_metric() -> None:
    records = [
        {"name": "huge", "kind": "function", "path": "b.py", "line": 9, "complexity": 45, "rank": "F"},
        {"name": "A.run", "kind": "method", "path": "a.py", "line": 5, "complexity": 12, "rank": "C"},
        {"name": "broken", "kind": "function", "path": "c.py", "line": None, "complexity": 3, "rank": "A"},
    ]
    # the findings' messages are not read any more: only the metric's records, in their order
    findings = [Finding("function ghost has cyclomatic complexity 99 (rank F), above 10", "g.py", 1,
                        rule="complex-block")]
    blocks = charts.top_blocks(replace(view("complexity", findings=findings), metrics={"most_complex": records}))
    assert blocks == [charts.Block("function", "huge", 45, "F", "b.py", 9),
                      charts.Block("method", "A.run", 12, "C", "a.py", 5)]
    rows = charts.block_rows(blocks)
    assert [(r.label, r.text, r.detail) for r in rows] == [("huge", "45 (F)", "b.py:9"), ("A.run", "12 (C)", "a.py:5")]
    chart = svgcharts.hbar_chart("c", "t", "d", [*rows, replace(rows[0], label="x" * 60, detail="far/away.py:1")])
    labels = [s for s in chart.shapes if isinstance(s, svgscene.Label) and s.x == 0 and s.tone == ""]
    # a name too long for the room, (520 - 6 * 11.4 - 14) / 11.4 = 38 characters, is cut and loses its place
    assert [(s.text, s.detail) for s in labels] == [("huge", "b.py:9"), ("A.run", "a.py:5"), ("x" * 37 + "…", "")]
    assert labels[2].title == "x" * 60 + " far/away.py:1"  # the whole name and place, as a tooltip


def test_author_rows_mark_the_truck_factor_people() -> None:
    metrics: dict[str, MetricValue] = {"source_files": 10, "truck_factor": 1, "truck_factor_authors": ["Ann"],
               "file_authors": [{"name": "Ann", "files": 7}, {"name": "Bob", "files": 1}]}
    rows, truck = charts.author_rows(replace(view("contributor-spread"), metrics=metrics))
    assert truck == 1
    assert [(r.label, r.value, r.text, r.tone) for r in rows] == [
        ("Ann", 70.0, "7 files (70%)", "tf"), ("Bob", 10.0, "1 file (10%)", "people")]
    chart = svgcharts.hbar_chart("c", "t", "d", rows, maximum=100.0, split_after=(truck, "truck factor 1"))
    (split,) = [s for s in chart.shapes if isinstance(s, svgscene.Rule) and s.tone == "split"]
    bars = [s for s in chart.shapes if isinstance(s, svgscene.Rect) and s.tone in ("tf", "people")]
    assert bars[0].y + bars[0].height < split.y1 < bars[1].y


def test_hbar_bars_are_proportional_on_a_full_track() -> None:
    rows = [charts.Datum("x", 10.0, "10", "g-a"), charts.Datum("y", 2.5, "2.5", "g-f"),
            charts.Datum("z", None, "n/a", "g-none")]
    chart = svgcharts.hbar_chart("c", "t", "d", rows, maximum=10.0)
    tracks = [s for s in chart.shapes if isinstance(s, svgscene.Rect) and s.tone == "track"]
    bars = [s for s in chart.shapes if isinstance(s, svgscene.Rect) and s.tone.startswith("g-")]
    assert len(tracks) == 3 and len(bars) == 2
    assert bars[0].width == pytest.approx(tracks[0].width)
    assert bars[1].width == pytest.approx(tracks[0].width / 4, abs=0.01)
    assert [s.text for s in chart.shapes if isinstance(s, svgscene.Label) and s.tone == "axis"] == [
        "0", "2.5", "5", "7.5", "10"]


def test_timeline_places_months_and_releases() -> None:
    months = tuple((f"2023-{m:02d}", m) for m in range(1, 13)) + (("2024-01", 0), ("2024-02", 6))
    data = charts.History(months, (("v1.0", "2023-03-15"), ("v2.0", "2024-02-01"), ("old", "2019-01-01")))
    chart = svgcharts.timeline_chart("t", "t", "d", data)
    columns = [s for s in chart.shapes if isinstance(s, svgscene.Rect)]
    assert len(columns) == 13  # January 2024 had no commit
    assert [c.title for c in columns][:2] == ["2023-01: 1 commits", "2023-02: 2 commits"]
    assert columns[11].height == pytest.approx(columns[-1].height * 2)  # 12 and 6 commits
    marks = {s.title: s.x1 for s in chart.shapes if isinstance(s, svgscene.Rule) and s.tone == "release"}
    assert set(marks) == {"release v1.0 (2023-03-15)", "release v2.0 (2024-02-01)"}  # 2019 is off the axis
    width = (720 - 40 - 10) / 14
    assert marks["release v1.0 (2023-03-15)"] == pytest.approx(40 + 2.5 * width, abs=0.01)
    years = [s.text for s in chart.shapes if isinstance(s, svgscene.Label) and s.tone == "axis" and s.y > 225]
    assert years == ["2023", "2024"]


@pytest.mark.parametrize(
    ("maximum", "ticks"),
    [(10, [0, 2.5, 5, 7.5, 10]), (838, [0, 250, 500, 750, 1000]), (27, [0, 10, 20, 30]), (3, [0, 1, 2, 3]),
     (0, [0, 1])],
)
def test_ticks(maximum: float, ticks: list[float]) -> None:
    assert svgcharts._ticks(maximum) == ticks


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, "\u2014"), (True, "yes"), (1234567, "1,234,567"), (2.937432, "2.94"), (30.0, "30"), ("x", "x"),
     ([], "none"), ({"A": 1, "B": 2}, "A: 1, B: 2"),
     (list(range(14)), "0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, … 2 more"),
     ([{"month": "2024-01", "commits": 3}], "2024-01: 3"), ([{"a": 1}] * 13, "13 records")],
)
def test_format_metric(value: object, text: str) -> None:
    assert htmlmetrics.format_metric(value) == text  # type: ignore[arg-type]


def test_prose_spans() -> None:
    assert html.spans("run ``ruff check`` or `pytest` now") == (
        html.Span("run "), html.Span("ruff check", code=True), html.Span(" or "), html.Span("pytest", code=True),
        html.Span(" now"))


def test_the_compiled_template_is_kept_in_the_cache_and_renders_the_same(tmp_path: Path) -> None:
    sample = report(view("docstring-coverage", findings=[Finding("<b>", "a.py", 1)]))
    plain = html.render(sample)
    pages = []
    for _ in range(2):
        html._template.cache_clear()  # as a new process would
        store = Cache(tmp_path / "cache.sqlite")
        with parts.using(parts.Memo(store, "context")):
            pages.append(html.render(sample))
        store.close()
    assert pages == [plain, plain]
    with contextlib.closing(sqlite3.connect(tmp_path / "cache.sqlite")) as db:
        (stored,) = db.execute("SELECT count(*) FROM entries WHERE kind = 'template'").fetchone()
    assert stored == 1
    html._template.cache_clear()
