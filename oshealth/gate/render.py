"""The change report as terminal text, JSON, Markdown (the pull-request comment) and SARIF.

Markdown reuses the audit's escaping (:mod:`oshealth.render.markdown`): every
string from the repository is inert. It starts with the hidden marker
:data:`MARKER` (the GitHub Action finds its sticky comment by it), then a
heading, and stays under :data:`~oshealth.render.markdown.MAX_CHARS`. SARIF
reuses the audit's SARIF builder and holds only findings on changed lines.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from oshealth.gate.model import DiffReport, RuleResult, RuleStatus, ScoreComparison, to_dict
from oshealth.models import Finding, Status, displayable_text
from oshealth.render import markdown as md
from oshealth.render import sarif
from oshealth.report import AuditReport, CheckView
from oshealth.scoring import Scorecard, grade
from oshealth.wording import plural

MARKER = "<!-- oshealth-diff -->"
FILENAMES = {"terminal": "diff.txt", "json": "diff.json", "markdown": "diff.md", "sarif": "diff.sarif"}
_ICON = {RuleStatus.PASS: "✅", RuleStatus.FAIL: "❌", RuleStatus.WARN: "⚠️", RuleStatus.SKIP: "➖"}
_AS_STATUS = {RuleStatus.PASS: Status.PASS, RuleStatus.FAIL: Status.FAIL, RuleStatus.WARN: Status.PASS,
              RuleStatus.SKIP: Status.NOT_APPLICABLE}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
#: Rule help for SARIF and the terminal: what each rule asks, and the fix.
RULE_HELP = {
    "docstrings": "Every added or changed public module, class, function and method has a docstring.\n\n"
    "Fix: write a docstring for each object listed.",
    "complexity": "No new function, and none the change makes more complex, exceeds the configured "
    "cyclomatic complexity (radon).\n\n"
    "Fix: split the functions listed into smaller ones.",
    "tests": "Source code changed together with tests.\n\nFix: add or update tests for the change.",
    "changelog": "Public API added, removed or broken comes with a changelog entry under the unreleased "
    "section (or a release section the change adds), or a news fragment.\n\n"
    "Fix: describe the change in the changelog's unreleased section, "
    "or add a towncrier or scriv fragment; a skip label turns the rule off.",
    "docs": "Public API added comes with a change under docs/ or the README.\n\n"
    "Fix: document the new API in the docs.",
    "scores": "The audit's overall score does not drop from the base to the head.\n\n"
    "Fix: address the findings of the checks whose score dropped.",
}


def render(report: DiffReport, name: str) -> str:
    """Render ``report`` in the format ``name`` (terminal, json, markdown, sarif)."""
    renderers: dict[str, Callable[[DiffReport], str]] = {
        "terminal": render_terminal, "json": render_json, "markdown": render_markdown, "sarif": render_sarif,
    }
    return renderers[name](report)


def render_json(report: DiffReport) -> str:
    """The report as indented JSON."""
    text = json.dumps(to_dict(report), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    return displayable_text(text)


def _plain(text: str) -> str:
    """Repository text for a terminal: control characters visible, undecodable bytes as U+FFFD."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", displayable_text(text))


def _where(finding: Finding) -> str:
    """``path:line`` (or ``path``, or nothing) of a finding."""
    if not finding.path:
        return ""
    return f"{finding.path}:{finding.line}" if finding.line else finding.path


def _size(report: DiffReport) -> str:
    """``3 files, 12 lines changed``, from the report's summary."""
    files, lines = report.summary.get("files"), report.summary.get("lines")
    if isinstance(files, int) and isinstance(lines, int):
        return f"{plural(files, 'file')}, {plural(lines, 'line')} changed"
    return f"{files} files, {lines} lines changed"


def render_terminal(report: DiffReport) -> str:
    """The report as plain text: verdict, then each rule with its findings, then the scores."""
    verdict = "PASSED" if report.passed else "FAILED"
    lines = [
        f"oshealth diff {_plain(report.base_ref)}...{_plain(report.head_ref)}: {verdict}",
        f"merge base {report.merge_base[:12]}, head {report.head[:12]}; {_size(report)}",
        "",
    ]
    for rule in report.rules:
        lines.append(f"{rule.status.value.upper():4}  {rule.id:10}  {_plain(rule.message)}")
        lines.extend(f"      {_plain(_where(f))}  {_plain(f.message)}".rstrip() for f in rule.findings)
    if report.scores is not None:
        lines += ["", *_score_lines(report.scores)]
    return "\n".join(lines) + "\n"


def _score_lines(scores: ScoreComparison) -> list[str]:
    """The score table as text lines."""
    rows = ["scores        base   head   delta", _score_row("overall", scores.base, scores.head, scores.delta)]
    rows += [_score_row(c.id, c.base, c.head, c.delta) for c in scores.checks]
    if scores.ignored:
        rows.append(f"(left out: {', '.join(scores.ignored)})")
    return rows


def _score_row(name: str, base: float | None, head: float | None, delta: float | None) -> str:
    """One row of the text score table."""
    def cell(value: float | None) -> str:
        """A score with two decimals, or a dash."""
        return "-" if value is None else f"{value:.2f}"

    change = "-" if delta is None else f"{delta:+.2f}"
    return f"  {name:20} {cell(base):>6} {cell(head):>6} {change:>7}"


def render_markdown(report: DiffReport) -> str:
    """The pull-request comment, at most :data:`~oshealth.render.markdown.MAX_CHARS` characters."""
    longest = max((len(rule.findings) for rule in report.rules), default=0)
    text = _markdown(report, None)
    if len(text) <= md.MAX_CHARS:
        return text
    low, high, best = 0, longest - 1, _markdown(report, 0)
    while low <= high:  # the largest per-rule cap that fits
        middle = (low + high) // 2
        candidate = _markdown(report, middle)
        if len(candidate) <= md.MAX_CHARS:
            best, low = candidate, middle + 1
        else:
            high = middle - 1
    return best[: md.MAX_CHARS]


def _markdown(report: DiffReport, cap: int | None) -> str:
    """The Markdown document with at most ``cap`` findings per rule (None: all)."""
    verdict = "✅ passed" if report.passed else "❌ failed"
    failing = [rule.id for rule in report.rules if rule.status is RuleStatus.FAIL]
    title = f"## oshealth diff: {verdict}" + (f" ({', '.join(failing)})" if failing else "")
    where = (f"{md.code(report.base_ref)}...{md.code(report.head_ref)} · merge base {md.code(report.merge_base[:12])}"
             f" · head {md.code(report.head[:12])} · {_size(report)}")
    parts = [MARKER + "\n" + title, where, _rules_table(report)]
    if report.scores is not None:
        parts.append(_scores_table(report.scores))
    shown = total = 0
    for rule in report.rules:
        if rule.findings:
            parts.append(_rule_details(rule, cap))
            total += len(rule.findings)
            shown += len(rule.findings) if cap is None else min(cap, len(rule.findings))
    if shown < total:
        parts.append(f"_Findings lists were shortened to fit {md.MAX_CHARS:,} characters: {shown} of {total} "
                     "shown. The JSON and SARIF reports list them all._")
    parts.append(f"<sub>oshealth {md.escape(report.version)} · {md.escape(report.generated_at)}</sub>")
    return "\n\n".join(parts) + "\n"


def _rules_table(report: DiffReport) -> str:
    """One row per rule: title, status, message."""
    lines = ["| Rule | Status | Result |", "| :-- | :-- | :-- |"]
    for rule in report.rules:
        status = f"{_ICON[rule.status]} {rule.status.value}"
        lines.append(f"| {md.escape(rule.title)} | {status} | {md.inline(rule.message)} |")
    return "\n".join(lines)


def _scores_table(scores: ScoreComparison) -> str:
    """The scores at both ends and their difference."""
    def cell(value: float | None, signed: bool = False) -> str:
        """A score (signed: a difference) with two decimals, or a dash."""
        return "–" if value is None else (f"{value:+.2f}" if signed else f"{value:.2f}")

    lines = ["| Score | Base | Head | Δ |", "| :-- | --: | --: | --: |",
             f"| **overall** | {cell(scores.base)} | {cell(scores.head)} | {cell(scores.delta, True)} |"]
    lines += [f"| {md.escape(c.id)} | {cell(c.base)} | {cell(c.head)} | {cell(c.delta, True)} |"
              for c in scores.checks]
    if scores.ignored:
        lines.append(f"\n_Left out of the scores: {md.escape(', '.join(scores.ignored))}._")
    return "\n".join(lines)


def _rule_details(rule: RuleResult, cap: int | None) -> str:
    """A folded section listing a rule's findings."""
    count = len(rule.findings)
    opened = " open" if rule.status is RuleStatus.FAIL else ""
    summary = f"<strong>{md.escape(rule.id)}</strong>: {rule.status.value}, {plural(count, 'finding')}"
    listed = rule.findings if cap is None else rule.findings[:cap]
    items = [_finding_item(f) for f in listed]
    if len(listed) < count:
        items.append(f"- … and {count - len(listed)} more")
    return f"<details{opened}>\n<summary>{summary}</summary>\n\n" + "\n".join(items) + "\n\n</details>"


def _finding_item(finding: Finding) -> str:
    """One finding as a list item: severity, location, message."""
    where = md.code(_where(finding)) + " " if finding.path else ""
    return f"- **{finding.severity.value}** {where}{md.inline(finding.message)}"


def render_sarif(report: DiffReport) -> str:
    """SARIF 2.1.0 holding only the findings on lines the change added or modified."""
    views = [
        CheckView(
            id=f"diff-{rule.id}", category="diff", weight=0.0, summary=rule.title, status=_AS_STATUS[rule.status],
            score=None, reason=rule.message, metrics={},
            findings=tuple(f for f in rule.findings if report.on_changed_line(f)),
            remediation="", documentation=f"{rule.title}\n\n{RULE_HELP[rule.id]}",
        )
        for rule in report.rules
    ]
    head_score = report.scores.head if report.scores else None
    audit = AuditReport({"path": report.repository, "commit": report.head, "branch": None}, report.generated_at,
                        report.version, Scorecard(head_score, grade(head_score), 0, 0), views, None)
    log = sarif.sarif_log(audit)
    run: dict[str, Any] = log["runs"][0]
    run["automationDetails"] = {"id": f"oshealth-diff/{report.head}"}
    rules = [{"id": r.id, "status": r.status.value} for r in report.rules]
    run["properties"] = {"base": report.base, "head": report.head, "mergeBase": report.merge_base,
                         "passed": report.passed, "rules": rules}
    text = json.dumps(log, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    return re.sub(r"[\ud800-\udfff]", "\ufffd", text)
