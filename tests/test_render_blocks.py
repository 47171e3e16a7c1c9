"""Findings kept in blocks render byte for byte as the same findings in a tuple, and stored block texts are reused."""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import jinja2
import pytest
from markupsafe import Markup

from oshealth import parts
from oshealth.cache import Cache
from oshealth.findinglist import FindingList, blocks_of
from oshealth.models import CheckResult, Finding, Severity, Status
from oshealth.render import FORMATS, htmlfindings, json, jsontext, sarif, sarifresults, terminal
from oshealth.report import AuditReport, CheckView
from tests.reportutil import report, view

NAMES = ["a.py", "b/caf\u00e9.py", 'q"uote.py', "odd\udce9.py", "z.py"]


def raw_findings(count: int, seed: int = 1) -> list[Finding]:
    """Findings over a few files, every severity, with and without lines, rules and messages."""
    severities = (Severity.NOTE, Severity.WARNING, Severity.ERROR, Severity.NOTE)
    found = []
    for i in range(count):
        path = None if i % 11 == 0 else NAMES[(i * seed) % len(NAMES)]
        message = "" if i % 13 == 0 else f"finding {i} \u2026 `code` @someone\n#{i}"
        found.append(Finding(message, path, None if i % 7 == 0 else i + 1, severities[(i * seed) % 4],
                             "" if i % 5 == 0 else f"R{i % 3}"))
    return found


def normalized(found: Sequence[Finding], check_id: str) -> tuple[Finding, ...]:
    """Findings as the engine leaves them: fingerprinted, in report order."""
    return tuple(CheckResult(Status.FAIL, 4.0, "", {}, list(found)).normalized(check_id).findings)


def pair(check_id: str, found: Sequence[Finding]) -> tuple[CheckView, CheckView]:
    """The same check with its findings in a tuple and in blocks (as stored: no block decoded yet)."""
    findings = normalized(found, check_id)
    plain = replace(view(check_id), findings=findings)
    listed = pickle.loads(pickle.dumps(FindingList(blocks_of(findings))))
    return plain, replace(plain, findings=listed)


def reports(*checks: tuple[CheckView, CheckView]) -> tuple[AuditReport, AuditReport]:
    """The report of the plain checks, and of the same checks in blocks."""
    return report(*(plain for plain, _ in checks)), report(*(listed for _, listed in checks))


def rendered(audit: AuditReport) -> dict[str, str]:
    """Every format of ``audit``."""
    return {name: fmt.renderer()(audit) for name, fmt in FORMATS.items()}


def decoded(audit: AuditReport) -> list[bool]:
    """Whether each block of each check in blocks is decoded."""
    return [block._findings is not None for check in audit.checks if isinstance(check.findings, FindingList)
            for block in check.findings.blocks]


def fresh(audit: AuditReport) -> AuditReport:
    """The report with its finding lists as read back from a cache: no block decoded."""
    checks = [replace(check, findings=pickle.loads(pickle.dumps(check.findings))) for check in audit.checks]
    return replace(audit, checks=checks)


def render_with_memo(audit: AuditReport, cache_path: Path, formats: Sequence[str]) -> dict[str, str]:
    """The formats rendered as an audit with a cache renders them."""
    cache = Cache(cache_path)
    try:
        with parts.using(parts.Memo(cache, "context")):
            return {name: FORMATS[name].renderer()(audit) for name in formats}
    finally:
        cache.close()


def test_every_format_is_the_same_for_blocks_and_tuples() -> None:
    plain, listed = reports(pair("one", raw_findings(60)), pair("two", []), pair("three", raw_findings(9, seed=3)))
    assert rendered(listed) == rendered(plain)


def test_stored_block_texts_give_the_same_reports_and_spare_decoding(tmp_path: Path) -> None:
    plain, listed = reports(pair("one", raw_findings(60)), pair("three", raw_findings(9, seed=3)))
    expected = rendered(plain)
    first = render_with_memo(fresh(listed), tmp_path / "c.sqlite", ["json", "sarif"])
    assert first == {name: expected[name] for name in first}
    again = fresh(listed)
    second = render_with_memo(again, tmp_path / "c.sqlite", list(FORMATS))
    assert second == expected
    # JSON and SARIF copied every block's text; the other formats read the first blocks only (markdown lists all)
    assert decoded(again) == [True] * len(decoded(again))
    again = fresh(listed)
    assert render_with_memo(again, tmp_path / "c.sqlite", ["json", "sarif"]) == first
    assert decoded(again) == [False] * len(decoded(again))


def test_a_changed_block_is_written_again_and_the_others_read(tmp_path: Path) -> None:
    found = raw_findings(40)
    _, listed = reports(pair("one", found))
    render_with_memo(listed, tmp_path / "c.sqlite", ["json", "sarif"])
    changed = [*found[:-1], replace(found[-1], message="changed")]
    plain, listed = reports(pair("one", changed))
    again = render_with_memo(listed, tmp_path / "c.sqlite", ["json", "sarif"])
    assert again == {name: FORMATS[name].renderer()(plain) for name in again}
    assert sum(decoded(listed)) == 1  # the block of the finding that changed


def test_loose_and_unordered_blocks_render_as_their_findings_in_order(tmp_path: Path) -> None:
    findings = normalized(raw_findings(30), "mixed")
    blocks = blocks_of(findings)
    loose = [Finding("loose", "a.py", 3, Severity.ERROR, fingerprint="f1"), Finding("loose 2", None, None)]
    for listed in (FindingList(blocks[::-1]), FindingList(blocks, loose), FindingList(blocks[1:] + blocks[:1])):
        plain = replace(view("mixed"), findings=tuple(listed))
        expected = rendered(report(plain))
        assert rendered(report(replace(plain, findings=listed))) == expected
        memo = render_with_memo(report(replace(plain, findings=listed)), tmp_path / "c.sqlite", list(FORMATS))
        assert memo == expected


@pytest.mark.parametrize("limit", [0, 1, 7, 20, 33, 55, 1_000])
def test_sarif_cut_inside_a_block_is_the_same(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, limit: int) -> None:
    monkeypatch.setattr(sarifresults, "MAX_RESULTS", limit)
    plain, listed = reports(pair("one", raw_findings(40)), pair("two", raw_findings(25, seed=3)))
    expected = sarif.render(plain)
    assert sarif.render(listed) == expected
    assert render_with_memo(listed, tmp_path / "c.sqlite", ["sarif"]) == {"sarif": expected}
    assert render_with_memo(fresh(listed), tmp_path / "c.sqlite", ["sarif"]) == {"sarif": expected}


@pytest.mark.parametrize(("limit", "numbers"), [(25_000, [1, 1, 1, 1, 0]), (4, [1, 1, 0, 0, 0]), (1, [1, 0, 0, 0, 0])])
def test_fingerprints_a_check_repeats_are_numbered_across_blocks(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, limit: int, numbers: list[int]
) -> None:
    monkeypatch.setattr(sarifresults, "MAX_RESULTS", limit)
    found = [Finding("same", name, 1, severity, fingerprint="repeated") for name in ("a.py", "b.py")
             for severity in (Severity.ERROR, Severity.NOTE)]
    findings = normalized(found, "dup")
    plain = replace(view("dup"), findings=findings)
    listed = replace(plain, findings=FindingList(blocks_of(findings)))
    # a check before it whose notes take the quota the errors leave
    other = pair("other", [Finding(f"note {i}", "o.py", i + 1, Severity.NOTE) for i in range(2)])
    expected = sarif.render(report(other[0], plain))
    assert [expected.count(f'"repeated:{n}"') for n in range(1, 6)] == numbers
    assert sarif.render(report(other[1], listed)) == expected
    for _ in range(2):
        audit = fresh(report(other[1], listed))
        assert render_with_memo(audit, tmp_path / "c.sqlite", ["sarif"]) == {"sarif": expected}


def test_the_html_lists_the_first_findings_reading_only_their_blocks() -> None:
    plain, listed = pair("one", raw_findings(80))
    assert isinstance(listed.findings, FindingList)
    shown, expected = htmlfindings.listed(listed, cap=5), htmlfindings.listed(plain, cap=5)
    assert replace(shown, rows=()) == replace(expected, rows=())
    assert htmlfindings.table_rows([shown]) == htmlfindings.table_rows([expected])
    assert shown.hidden == 75 and shown.count == 5 and htmlfindings.table_rows([shown]).count("<tr") == 5
    sizes = [len(block) for block in listed.findings.blocks]
    reached = next(i for i in range(len(sizes)) if sum(sizes[: i + 1]) >= 5) + 1
    assert [b._findings is not None for b in listed.findings.blocks] == [True] * reached + [False] * (
        len(sizes) - reached)
    assert htmlfindings.file_counts(listed.findings) == htmlfindings.file_counts(plain.findings)


def test_the_terminal_ranks_blocks_as_findings() -> None:
    checks = [pair("one", raw_findings(90)), pair("two", raw_findings(30, seed=3)), pair("three", [])]
    plain = [p for p, _ in checks]
    listed = [b for _, b in checks]
    for limit in (1, 3, 15, 200):
        assert terminal._rank_findings(listed, limit) == terminal._rank_findings(plain, limit)


def test_json_items_join_into_the_array() -> None:
    values = [{"a": 1, "b": None}, {"c": "x"}, {"d": [1]}, 3, [], {"e": {"f": "g"}}]
    for level in range(4):
        for cut in range(1, len(values)):
            text = "".join(jsontext.array([jsontext.items(values[:cut], level), jsontext.items(values[cut:], level)],
                                          level))
            assert text == "".join(jsontext.chunks(values)).replace("\n", "\n" + "  " * level)
    assert jsontext.array([], 2) == ["[]"]
    assert json.render(report(view())) == json.render(report(replace(view(), findings=FindingList([]))))


# the template's loops over rows before the rows were written in Python: the rows must read the same
OLD_LOOPS = """<tbody>
{% for c in files %}
<tr><td>{% if c.path %}<code>{{ c.path }}</code>{% else %}<span class="muted">repository</span>{% endif %}\
<td>{{ c.total }}<td>{{ c.errors }}<td>{{ c.warnings }}<td>{{ c.notes }}
{% endfor %}
</tbody>
<ul>
{% for f in rows %}
<li class="{{ f.severity }}">{% if f.line %}<b>{{ f.line }}</b> {% endif %}{{ f.message }}\
{% if f.rule %} <i>{{ f.rule }}</i>{% endif %}
{% endfor %}
</ul>
<tbody>
{% for f in rows %}
<tr class="{{ f.severity }}"><td>{{ f.severity }}<td>{{ f.check }}<td>{{ f.rule }}<td>{{ f.location }}\
<td>{{ f.message }}
{% endfor %}
</tbody>
"""
NEW_LOOPS = "<tbody>\n{{ file_rows }}</tbody>\n<ul>\n{{ items }}</ul>\n<tbody>\n{{ table }}</tbody>\n"


def loops(check: CheckView, shown: htmlfindings.Listed | None = None) -> str:
    """The loops' text: the old template's for ``check`` (without ``shown``), or the rows of ``shown`` placed."""
    environment = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    if shown is None:
        rows = [htmlfindings.finding_row(check.id, f) for f in sorted(check.findings, key=lambda f: f.severity.rank)]
        return environment.from_string(OLD_LOOPS).render(files=htmlfindings.file_counts(check.findings), rows=rows)
    items = Markup("".join(group.items for group in shown.groups))
    return environment.from_string(NEW_LOOPS).render(file_rows=shown.file_rows, items=items,
                                                     table=htmlfindings.table_rows([shown]))


def test_html_rows_read_as_the_templates_loops_wrote_them() -> None:
    hostile = ["<script>alert(1)</script>", "a & b", "'quoted' \"twice\"", "caf\u00e9 \u2026", ""]
    found = [Finding(hostile[i % 5] + str(i), "x<y>.py", None if i % 3 else i, severity, hostile[(i + 1) % 5])
             for i, severity in enumerate([Severity.ERROR, Severity.NOTE, Severity.WARNING] * 4)]
    plain, listed = pair("c<i>", found)
    assert loops(plain, htmlfindings.listed(plain)) == loops(listed, htmlfindings.listed(listed)) == loops(plain)
    # files apart, each its own group: the counts and the table as before
    spread = [Finding("m", path, 1) for path in ("<b>.py", "a&b.py", "'q'.py")] + [Finding("r", None, None)]
    plain, listed = pair("c2", spread)
    expected = loops(plain)
    for check in (plain, listed):
        shown = htmlfindings.listed(check)
        assert [group.path for group in shown.groups] == ["", "'q'.py", "<b>.py", "a&b.py"]
        text = loops(check, shown)
        assert text.split("<ul>")[0] == expected.split("<ul>")[0] and text.split("</ul>")[1] == expected.split(
            "</ul>")[1]
