"""Markdown report: escaping of hostile repository text, the size limit, layout.

The output is parsed with cmark-gfm (GitHub's own Markdown parser, through
cmarkgfm) with raw HTML allowed and without the tag filter, so any HTML that
escaped the escaping would show up as a tag.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options

from oshealth.cli import run
from oshealth.models import Finding, Severity, Status
from oshealth.render import markdown
from oshealth.render.markdown import MAX_CHARS, code, escape, inline, render
from oshealth.report import AuditReport
from tests.gitrepo import RepoBuilder
from tests.reportutil import report, view

ALLOWED_TAGS = {"h2", "p", "code", "table", "thead", "tbody", "tr", "th", "td", "details", "summary", "strong",
                "ul", "li", "sub", "em"}
HOSTILE_PATHS = [
    "<script>alert(1)</script>.py",
    "@octocat.py",
    "a|b.py",
    "back`tick.py",
    "[x](javascript:alert(1)).py",
    "new\nline.py",
    "#123.py",
]
UNDOCUMENTED = "def f():\n    pass\n"


class Page(HTMLParser):
    """Tags, text, text outside code, and cells per table row of rendered HTML."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []
        self.prose: list[str] = []
        self.row_cells: list[int] = []
        self._code = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._code += tag == "code"
        if tag == "tr":
            self.row_cells.append(0)
        if tag in ("td", "th"):
            self.row_cells[-1] += 1

    def handle_endtag(self, tag: str) -> None:
        self._code -= tag == "code"

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if not self._code:
            self.prose.append(data)


def parse(text: str) -> Page:
    html = cmarkgfm.markdown_to_html_with_extensions(
        text, options=Options.CMARK_OPT_UNSAFE, extensions=["table", "autolink", "strikethrough"]
    )
    return Page(html)


def assert_inert(page: Page) -> None:
    assert set(page.tags) <= ALLOWED_TAGS, set(page.tags) - ALLOWED_TAGS
    prose = "".join(page.prose)
    assert not re.search(r"@\w", prose), "a mention would ping someone"
    assert not re.search(r"#\d", prose), "an issue reference would link"


def hostile_report() -> str:
    findings = [Finding("has no docstring", path, 3, Severity.WARNING, "missing") for path in HOSTILE_PATHS]
    findings += [
        Finding("public function `mod.<img src=x onerror=alert(1)>` has no docstring", "m.py", 1),
        Finding("ping @octocat and fix #123 | now", None, None, Severity.ERROR),
        Finding("**bold** _it_ ~~s~~ $x^2$ &amp; <b>b</b> [x](javascript:alert(1)) <https://evil.example>", "z.py"),
        Finding("line1\nline2 `a|b`", "y.py", 2, Severity.NOTE, "r|`x`"),
    ]
    hostile = view(findings=findings, reason="owner @octocat | <script>x</script> `tick` #42 [a](b)",
                   category="<b>doc</b>|x")
    return render(report(hostile, view("calm", status=Status.PASS, score=10.0, reason="ok"), path="@dir|x"))


def test_hostile_text_is_shown_literally_and_inert() -> None:
    page = parse(hostile_report())
    assert_inert(page)
    assert "a" not in page.tags  # no links at all, javascript: or otherwise
    text = "".join(page.text)
    for path in HOSTILE_PATHS:
        assert path.replace("\n", "\u240a") + ":3" in text
    for literal in ("<img src=x onerror=alert(1)>", "**bold** _it_ ~~s~~ $x^2$ &amp; <b>b</b>",
                    "[x](javascript:alert(1)) <https:\u2060//evil.example>", "<script>x</script>", "<b>doc</b>|x",
                    "line1\u240aline2", "a|b"):
        assert literal in text
    assert "ping @\u2060octocat and fix #\u2060123 | now" in text
    assert "owner @\u2060octocat" in text and "#\u206042" in text


def test_hostile_text_keeps_the_table_and_sections_whole() -> None:
    page = parse(hostile_report())
    assert page.row_cells == [6, 6, 6]  # header, two checks: pipes did not split cells
    assert page.tags.count("details") == 1 and page.tags.count("summary") == 1
    assert page.tags.count("li") == 11  # one list item per finding, the newline did not break one


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain words", "plain words"),
        ("a|b", "a\\|b"),
        ("<b>&amp;", "\\<b\\>\\&amp;"),
        ("*x* _y_ `z` ~w~ $m$ [l]", "\\*x\\* \\_y\\_ \\`z\\` \\~w\\~ \\$m\\$ \\[l\\]"),
        ("back\\slash", "back\\\\slash"),
        ("@octocat @org/team", "@\u2060octocat @\u2060org/team"),
        ("mail a@b.c, lone @ sign", "mail a@\u2060b.c, lone @ sign"),
        ("#12 and C# and #x", "#\u206012 and C# and #x"),
        ("see https://x.org, WWW.x.org, awww.x", "see https:\u2060//x.org, WWW\u2060.x.org, awww.x"),
        ("tab\there\r\nnul\x00 del\x7f", "tab\u2409here\u240d\u240anul\u2400 del\ufffd"),
        ("caf\udce9.py", "caf\ufffd.py"),
    ],
)
def test_escape(text: str, expected: str) -> None:
    assert escape(text) == expected


@pytest.mark.parametrize(
    ("text", "expected", "shown"),
    [
        ("a.py", "`a.py`", "a.py"),
        ("a`b.py", "``a`b.py``", "a`b.py"),
        ("``x", "``` ``x ```", "``x"),
        ("x`", "`` x` ``", "x`"),
        (" both ", "`  both  `", " both "),
        ("new\nline", "`new\u240aline`", "new\u240aline"),
        ("caf\udce9.py", "`caf\ufffd.py`", "caf\ufffd.py"),
    ],
)
def test_code_span_shows_its_text_exactly(text: str, expected: str, shown: str) -> None:
    assert code(text) == expected
    assert parse(f"x {code(text)} y").text == ["x ", shown, " y", "\n"]


def test_inline_quotes_become_code_spans() -> None:
    assert inline("add ``git tag v1`` or `x|y` to @a") == "add `git tag v1` or `x|y` to @\u2060a"
    assert inline("unbalanced ` tick") == "unbalanced \\` tick"


def test_long_repository_text_is_cut() -> None:
    assert escape("x" * 5000) == "x" * (markdown.MAX_FIELD - 1) + "…"


def many_findings(check_id: str, count: int) -> list[Finding]:
    return [Finding(f"object number {i} of {check_id} has no docstring at all, " + "x" * 80, f"pkg/m{i}.py", i + 1)
            for i in range(count)]


def test_findings_are_cut_evenly_to_fit_with_a_note() -> None:
    views = [view("big", findings=many_findings("big", 900)), view("huge", findings=many_findings("huge", 2000)),
             view("small", findings=many_findings("small", 20))]
    text = render(report(*views))
    assert len(text) <= MAX_CHARS
    page = parse(text)
    assert_inert(page)
    listed = [len(re.findall(rf"^- \*\*warning\*\* `pkg/m\d+\.py:\d+` object number \d+ of {cid} ", text, re.M))
              for cid in ("big", "huge", "small")]
    cap = listed[0]
    assert listed == [cap, cap, 20] and cap > 100
    shown = sum(listed)
    assert f"{shown} of 2920 shown" in text
    assert f"- … and {900 - cap} more" in text and f"- … and {2000 - cap} more" in text
    assert page.tags.count("details") == 3 and text.count("</details>") == 3
    # one more finding per check would not have fitted: the cap is the largest that does
    audit = report(*views)
    longer = markdown._document(audit, markdown._Items(audit.checks), cap=cap + 1, limit=None)
    assert longer is not None and len(longer) > MAX_CHARS
    assert markdown._document(audit, markdown._Items(audit.checks), cap=cap + 1) is None


def test_only_the_findings_that_can_be_shown_are_formatted(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Finding] = []

    def counted(finding: Finding) -> str:
        calls.append(finding)
        return original(finding)

    original = markdown._finding
    monkeypatch.setattr(markdown, "_finding", counted)
    views = [view("big", findings=many_findings("big", 30_000)), view("huge", findings=many_findings("huge", 50_000))]
    text = render(report(*views))
    listed = text.count("- **warning**")
    assert listed == 2 * 198 and "396 of 80000 shown" in text
    # each finding is formatted once at most, and only those near the budget: not 80,000
    assert len(calls) == len({id(f) for f in calls}) < 2 * listed


def unlimited(audit: AuditReport) -> str:
    text = markdown._document(audit, markdown._Items(audit.checks), cap=None, limit=None)
    assert text is not None
    return text


@pytest.mark.parametrize(("extra", "cut"), [(0, False), (1, True)])
def test_a_report_of_exactly_the_limit_is_not_cut(extra: int, cut: bool) -> None:
    findings = [Finding(f"m{i} ", f"p{i}.py", 1) for i in range(200)]
    missing = MAX_CHARS - len(unlimited(report(view(findings=findings)))) + extra
    padded = [Finding(f.message + "x" * min(600, max(0, missing - 600 * i)), f.path, f.line)
              for i, f in enumerate(findings)]
    full = unlimited(report(view(findings=padded)))
    assert len(full) == MAX_CHARS + extra
    text = render(report(view(findings=padded)))
    assert (text != full) is cut and len(text) <= MAX_CHARS
    assert ("shortened" in text) is cut


def test_a_report_that_fits_is_not_cut() -> None:
    text = render(report(view(findings=many_findings("tidiness", 30))))
    assert "shortened" not in text and text.count("object number") == 30


def test_table_rows_are_cut_last() -> None:
    views = [view(f"check-{i:03d}", reason="r" * 900, status=Status.PASS, score=10.0) for i in range(120)]
    text = render(report(*views))
    assert len(text) <= MAX_CHARS
    rows = len(re.findall(r"^\| check-\d{3} \|", text, re.M))
    assert 50 < rows < 120
    assert f"_The table was cut to {rows} of 120 checks to fit 65,000 characters._" in text
    assert parse(text).row_cells == [6] * (rows + 1)


def test_heading_and_gate() -> None:
    text = render(report(view(), score=4.0, fail_under=5))
    assert text.startswith("## oshealth: 4.0/10, grade D\n\n`repo` at `0123456789ab` on `main` · 1 of 1 checks")
    assert "gate `--fail-under 5`: ❌ failed" in text
    assert "<sub>oshealth 0.1.0 · 2024-12-31T00:00:00Z</sub>" in text
    empty = render(report(view(status=Status.INCONCLUSIVE, score=None), score=None, commit=None))
    assert empty.startswith("## oshealth: no score\n\n`repo` (no commits) on `main` · 0 of 1 checks conclusive "
                            "(no conclusive check, so no score)")
    assert "| tidiness | documentation | 1 | – | ❔ inconclusive | 4 untidy things |" in empty


def test_hostile_repository_end_to_end(builder: RepoBuilder, capsys: pytest.CaptureFixture[str]) -> None:
    builder.commit({path: UNDOCUMENTED for path in HOSTILE_PATHS}, author="Eve @octocat <eve@example.com>")
    assert run(["audit", str(builder.root), "--format", "markdown"]) == 0
    text = capsys.readouterr().out
    page = parse(text)
    assert_inert(page)
    shown = "".join(page.text)
    for path in HOSTILE_PATHS:
        assert f"{path.replace(chr(10), chr(0x240A))}:1" in shown  # the module docstring finding of each file
    assert "Eve @\u2060octocat" in shown
    assert all(cells == 6 for cells in page.row_cells)


def test_checks_of_the_same_id_keep_their_own_findings() -> None:
    first = view(findings=[Finding("first check's finding", "a.py", 1)])
    second = view(findings=[Finding("second check's finding", "b.py", 2)])
    text = render(report(first, second))
    assert text.count("first check") == 1 and text.count("second check") == 1
