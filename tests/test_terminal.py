"""The terminal scorecard: its short list of top findings on audits of any size."""

from __future__ import annotations

import re

from oshealth.models import Finding, Severity
from oshealth.render import terminal
from oshealth.report import CheckView
from tests.reportutil import report, view

SEVERITIES = (Severity.NOTE, Severity.WARNING, Severity.NOTE, Severity.ERROR, Severity.WARNING, Severity.NOTE)


def every_finding_ranked(checks: list[CheckView]) -> list[tuple[Finding, str]]:
    """The whole ranking, the plain way: every finding keyed and sorted."""
    by_score = sorted(checks, key=lambda v: (v.score if v.score is not None else 11.0, v.id))
    keyed = [((f.severity.rank, turn, order), f, v.id) for order, v in enumerate(by_score)
             for turn, f in enumerate(v.findings)]
    keyed.sort(key=lambda item: item[0])
    return [(f, check_id) for _, f, check_id in keyed]


def findings(check_id: str, count: int, step: int) -> list[Finding]:
    return [Finding(f"{check_id} {i}", f"{check_id}/m{i}.py", i + 1, SEVERITIES[(i * step) % len(SEVERITIES)])
            for i in range(count)]


def test_top_findings_are_the_head_of_the_whole_ranking() -> None:
    checks = [view("a", findings=findings("a", 3_000, 1), score=3.0), view("b", findings=findings("b", 40, 5)),
              view("c", findings=findings("c", 7, 2), score=None), view("d", findings=[], score=9.0),
              view("e", findings=[Finding("lone", None, None, Severity.ERROR)], score=4.0)]
    top = terminal._rank_findings(checks, terminal.TOP_FINDINGS)
    assert top == every_finding_ranked(checks)[: terminal.TOP_FINDINGS]
    assert [f.severity for f, _ in top].count(Severity.ERROR) == 15
    # turn by turn (a finding's place in its check), lowest score first within a turn
    assert [check_id for _, check_id in top[:4]] == ["e", "a", "b", "a"]
    rare = [view("x", findings=[*findings("x", 500, 0), Finding("late", "z.py", 1, Severity.ERROR)])]
    assert terminal._rank_findings(rare, 3) == every_finding_ranked(rare)[:3]
    assert terminal._rank_findings(rare, 3)[0][0].message == "late"


def test_the_title_counts_every_finding() -> None:
    text = terminal.render(report(view("a", findings=findings("a", 1_234, 1)), view("b", findings=findings("b", 5, 1))))
    assert "Top findings (15 of 1239)" in text
    assert len(re.findall(r"^│ (error|warning|note) ", text, re.M)) == 15
    assert "Top findings" not in terminal.render(report(view("a")))
