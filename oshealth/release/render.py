"""The release gate's report as terminal text, JSON and GitHub-flavoured Markdown.

Repository text (paths, messages, changelog titles) is escaped in Markdown with
the audit report's helpers, so it shows literally and pings nobody; in terminal
text, control characters are shown as their visible pictures.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from oshealth.models import Finding
from oshealth.output import plan_outputs
from oshealth.release.model import Item, ItemStatus, ReleaseReport, to_dict
from oshealth.render import markdown as md
from oshealth.wording import plural

#: File names written with ``--output-dir``.
FILENAMES = {"terminal": "release.txt", "json": "release.json", "markdown": "release.md"}
_ICON = {ItemStatus.PASS: "✅", ItemStatus.FAIL: "❌", ItemStatus.WARN: "⚠️", ItemStatus.SKIP: "➖"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def plan(formats: list[str], output: Path | None, output_dir: Path | None) -> dict[str, Path | None]:
    """Decide where each format goes (None: standard output), with the release report's file names.

    Raises:
        UsageError: The combination is ambiguous, or the folder does not exist.
    """
    return plan_outputs(formats, output, output_dir, FILENAMES)


def renderer(name: str) -> Callable[[ReleaseReport], str]:
    """The render function of a format (``terminal``, ``json`` or ``markdown``)."""
    return {"terminal": render_terminal, "json": render_json, "markdown": render_markdown}[name]


def render_json(report: ReleaseReport) -> str:
    """The report as indented JSON ending in a newline."""
    return json.dumps(to_dict(report), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _plain(text: str) -> str:
    """Terminal-safe text: control characters as their visible pictures."""
    return _CONTROL.sub(lambda m: chr(0x2400 + ord(m.group())) if ord(m.group()) < 0x20 else "\u2421", text)


def _where(finding: Finding) -> str:
    """``path:line``, ``path``, or "" for a repository-wide finding."""
    if finding.path is None:
        return ""
    return f"{finding.path}:{finding.line}" if finding.line else finding.path


def _api_summary(report: ReleaseReport) -> str:
    """One line counting the public API changes."""
    changes = report.changes
    return (f"{len(changes.added)} added, {len(changes.removed)} removed, {len(changes.changed)} changed, "
            f"{len(changes.breaking)} breaking")


def _verdict(report: ReleaseReport) -> str:
    """``ready to release 1.2.0`` or ``NOT ready...`` (the unreleased section when no version)."""
    what = report.release_version or "the unreleased changes"
    return f"ready to release {what}" if report.ready else f"NOT ready to release {what}"


def render_terminal(report: ReleaseReport) -> str:
    """The report as plain text: verdict, one line per rule, its findings indented."""
    lines = [
        f"oshealth release-check of {_plain(report.repository)} @ {report.head[:12]} since "
        f"{_plain(report.since)} ({report.since_commit[:12]})",
        f"public API since {_plain(report.since)}: {_api_summary(report)}",
        "",
    ]
    for item in report.items:
        lines.append(f"{item.status.value.upper():5} {item.title}: {_plain(item.message)}")
        for finding in item.findings:
            where = _where(finding)
            lines.append(f"      {finding.severity.value:7} {_plain(where) + ': ' if where else ''}"
                         f"{_plain(finding.message)}")
    lines += ["", f"Release check: {_verdict(report)}"]
    return "\n".join(lines) + "\n"


def render_markdown(report: ReleaseReport) -> str:
    """The report as Markdown of at most :data:`oshealth.render.markdown.MAX_CHARS` characters."""
    longest = max((len(item.findings) for item in report.items), default=0)
    text = _markdown(report, cap=None)
    if len(text) <= md.MAX_CHARS:
        return text
    low, high, best = 0, longest - 1, _markdown(report, cap=0)
    while low <= high:  # the largest per-rule cap that fits
        middle = (low + high) // 2
        candidate = _markdown(report, cap=middle)
        if len(candidate) <= md.MAX_CHARS:
            best, low = candidate, middle + 1
        else:
            high = middle - 1
    return best[: md.MAX_CHARS]


def _markdown(report: ReleaseReport, cap: int | None) -> str:
    """The Markdown text with at most ``cap`` findings per rule (None: all)."""
    icon = "✅" if report.ready else "❌"
    heading = f"## oshealth release-check: {icon} {md.escape(_verdict(report))}"
    where = (f"{md.code(report.repository)} at {md.code(report.head[:12])}, since {md.code(report.since)} "
             f"({md.code(report.since_commit[:12])}) · public API: {_api_summary(report)}")
    table = ["| Rule | Status | Details |", "| :-- | :-- | :-- |"]
    for item in report.items:
        table.append(f"| {md.escape(item.title)} | {_ICON[item.status]} {item.status.value} | "
                     f"{md.inline(item.message)} |")
    parts = [heading, where, "\n".join(table)]
    parts += [_details(item, cap) for item in report.items if item.findings]
    shown = sum(len(i.findings) if cap is None else min(cap, len(i.findings)) for i in report.items)
    total = sum(len(i.findings) for i in report.items)
    if shown < total:
        parts.append(f"_Findings lists were shortened to fit {md.MAX_CHARS:,} characters: {shown} of {total} "
                     "shown. The JSON report lists them all._")
    parts.append(f"<sub>oshealth {md.escape(report.version)} · {md.escape(report.generated_at)}</sub>")
    return "\n\n".join(parts) + "\n"


def _details(item: Item, cap: int | None) -> str:
    """A folded list of one rule's findings (open when the rule failed)."""
    opened = " open" if item.status is ItemStatus.FAIL else ""
    findings = list(item.findings if cap is None else item.findings[:cap])
    lines = [f"<details{opened}>", f"<summary><strong>{md.escape(item.title)}</strong>: "
             f"{plural(len(item.findings), 'finding')}</summary>", ""]
    for finding in findings:
        where = _where(finding)
        location = f"{md.code(where)} " if where else ""
        lines.append(f"- **{finding.severity.value}** {location}{md.inline(finding.message)}")
    if len(findings) < len(item.findings):
        lines.append(f"- _… and {len(item.findings) - len(findings)} more_")
    lines += ["", "</details>"]
    return "\n".join(lines)
