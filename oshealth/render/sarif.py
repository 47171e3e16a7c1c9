"""SARIF 2.1.0 for GitHub code scanning.

One rule per check, its help taken from the check's documentation; one
result per finding. GitHub's rules for uploads (docs.github.com, "SARIF
support for code scanning") shape the details:

- every result needs a location with a non-empty ``artifactLocation.uri``.
  Findings without a path (a missing LICENSE, a truck factor of 1) are
  placed on the repository root, ``.`` relative to ``%SRCROOT%``; GitHub
  then shows them as alerts with no file. ``region.startLine`` is only given
  when the finding has a line;
- paths are percent-encoded (GitHub rejects URIs it cannot parse, and
  ``github/codeql-action/upload-sarif`` decodes them before opening files);
- ``partialFingerprints`` carries the finding's fingerprint under
  ``oshealthFingerprint/v1``, with an occurrence number as in CodeQL's
  ``hash:count``, so that equal findings in one file stay distinct. GitHub
  matches alerts across runs on ``primaryLocationLineHash`` only, which
  upload-sarif computes from the source line; for results without a line it
  cannot, so those carry the fingerprint under that key too;
- rule ``shortDescription`` and ``fullDescription`` are cut at 1,024
  characters, GitHub's limit;
- a run holds at most 25,000 results (GitHub rejects more): beyond that the
  least severe findings are left out, and a notification says how many.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from importlib import metadata
from typing import Any

from oshealth.models import Status
from oshealth.render import jsontext, sarifblocks, sarifresults
from oshealth.render.sarifresults import FINGERPRINT_KEY, ROOT_URI, SRCROOT, artifact_uri
from oshealth.report import AuditReport, CheckView

__all__ = ["FINGERPRINT_KEY", "MAX_DESCRIPTION", "ROOT_URI", "SRCROOT", "artifact_uri", "help_markdown",
           "information_uri", "render", "sarif_log"]

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
#: GitHub's limit on rule descriptions.
MAX_DESCRIPTION = 1_024
_SEMVER = re.compile(r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")
_LABEL = re.compile(r"^([A-Z][A-Za-z -]{0,40}):\s", re.MULTILINE)
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def render(report: AuditReport) -> str:
    """Render the report as an indented SARIF 2.1.0 log ending in a newline.

    The text is ``json.dumps(sarif_log(report), indent=2)``'s, written faster:
    the results (up to 25,000 of them) by :func:`oshealth.render.sarifblocks.text` (a block of
    findings whose text an earlier audit wrote is copied), the rest by :func:`oshealth.render.jsontext.dumps`.
    """
    chosen = sarifblocks.plan(report.checks)
    results = jsontext.Raw(lambda level: sarifblocks.text(report.checks, chosen.shares, level))
    pieces = jsontext.chunks(_log(report, results, chosen.omitted, chosen.count))
    # undecodable file names reach us as lone surrogates, which UTF-8 cannot encode;
    # only a piece with a character beyond ASCII can hold one (isascii() costs nothing)
    pieces.append("\n")
    return "".join([piece if piece.isascii() else _SURROGATE.sub("\ufffd", piece) for piece in pieces])


def sarif_log(report: AuditReport) -> dict[str, Any]:
    """The SARIF log as JSON-ready data."""
    kept, omitted = sarifresults.kept(report.checks)
    results = [sarifresults.result(report.checks[index], index, finding, occurrence)
               for index, finding, occurrence in kept]
    return _log(report, results, omitted, len(kept))


def _log(report: AuditReport, results: list[dict[str, Any]] | jsontext.Raw, omitted: int, count: int) -> dict[str, Any]:
    """The log around its results (data, or text already written), which are ``count`` of ``count + omitted``."""
    return {"$schema": SCHEMA_URI, "version": SARIF_VERSION, "runs": [_run(report, results, omitted, count)]}


def _run(report: AuditReport, results: list[dict[str, Any]] | jsontext.Raw, omitted: int, count: int) -> dict[str, Any]:
    """The one run of the log: the tool and its rules, the results, the invocation and the scores."""
    commit = report.repository.get("commit")
    properties = _run_properties(report)
    if omitted:
        properties["omittedResults"] = omitted
    return {
        "tool": {"driver": _driver(report)},
        "automationDetails": {"id": f"oshealth/{commit or ''}"},
        "invocations": [_invocation(report, omitted, omitted + count)],
        "originalUriBaseIds": {SRCROOT: {"description": {"text": "The root of the audited repository's work tree."}}},
        "results": results,
        "properties": properties,
    }


def _driver(report: AuditReport) -> dict[str, Any]:
    """The tool's driver, oshealth: its version, home page and a rule per check."""
    driver: dict[str, Any] = {"name": "oshealth", "version": report.version}
    if _SEMVER.match(report.version):
        driver["semanticVersion"] = report.version
    uri = information_uri()
    if uri:
        driver["informationUri"] = uri
    driver["rules"] = [_rule(view) for view in report.checks]
    return driver


def information_uri() -> str | None:
    """The home page of oshealth from its installed metadata (``[project.urls]``), if any."""
    try:
        meta = metadata.metadata("oshealth")
    except metadata.PackageNotFoundError:
        return None
    urls: dict[str, str] = {}
    for entry in meta.get_all("Project-URL") or []:
        label, _, url = str(entry).partition(", ")
        urls[label.strip().lower()] = url.strip()
    for label in ("homepage", "repository", "source"):
        if urls.get(label):
            return urls[label]
    home = meta.get_all("Home-page") or []
    return str(home[0]) if home and home[0] else None


def _rule(view: CheckView) -> dict[str, Any]:
    """A check as a SARIF rule, its documentation as the rule's help."""
    documentation = view.documentation or view.summary or view.id
    summary = view.summary or view.id
    return {
        "id": view.id,
        "name": "".join(part.capitalize() for part in re.split(r"[^0-9A-Za-z]+", view.id) if part) or view.id,
        "shortDescription": {"text": _cut(summary, MAX_DESCRIPTION)},
        "fullDescription": {"text": _cut(_description(documentation) or summary, MAX_DESCRIPTION)},
        "help": {"text": documentation, "markdown": help_markdown(documentation)},
        "defaultConfiguration": {"level": "warning"},
        "properties": {"tags": sorted({"oshealth", view.category})},
    }


def _description(documentation: str) -> str:
    """The first paragraph after the summary line, joined into one line."""
    paragraphs = [p for p in re.split(r"\n\s*\n", documentation) if p.strip()]
    rest = paragraphs[0].splitlines()[1:] if paragraphs else []
    text = " ".join(line.strip() for line in rest) if rest else ""
    if not text and len(paragraphs) > 1:
        text = " ".join(line.strip() for line in paragraphs[1].splitlines())
    return text


def help_markdown(documentation: str) -> str:
    """A check's documentation as Markdown: summary in bold, "Label:" lines starting bold paragraphs.

    The docstrings are written to read as Markdown already (double-backtick
    code, ``-`` lists); only their section labels need marking up.
    """
    lines = documentation.splitlines()
    if not lines:
        return ""
    body = _LABEL.sub(lambda m: f"\n\n**{m.group(1)}:** ", "\n".join(lines[1:]).strip())
    body = re.sub(r"\n{3,}", "\n\n", body).strip()
    return f"**{lines[0].strip()}**\n\n{body}".strip()


def _cut(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, at a space when one is in the second half, an ellipsis last."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    space = head.rfind(" ")
    return (head[:space] if space > limit // 2 else head) + "…"


def _invocation(report: AuditReport, omitted: int, total: int) -> dict[str, Any]:
    """Whether every check ran; a notification per check that crashed or could not decide, and on left-out results."""
    notifications = [_notification(view, index) for index, view in enumerate(report.checks)
                     if view.status in (Status.ERROR, Status.INCONCLUSIVE)]
    if omitted:
        text = (f"{omitted} of {total} findings left out, the least severe first: GitHub code scanning "
                f"rejects runs of more than {sarifresults.MAX_RESULTS:,} results. The JSON report lists them all.")
        notifications.append({"level": "warning", "message": {"text": text}})
    invocation: dict[str, Any] = {
        # a check that crashed is a part of the analysis the tool failed to do
        "executionSuccessful": not any(view.status is Status.ERROR for view in report.checks),
        "endTimeUtc": report.generated_at,
    }
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return invocation


def _notification(view: CheckView, index: int) -> dict[str, Any]:
    """A notification of a check that crashed (an error) or could not decide (a note)."""
    level = "error" if view.status is Status.ERROR else "note"
    return {
        "level": level,
        "message": {"text": f"{view.id}: {view.status.value}: {view.reason}"},
        "associatedRule": {"id": view.id, "index": index},
    }


def _run_properties(report: AuditReport) -> dict[str, Any]:
    """The run's own figures: commit, branch, score, grade, gate and each check's score."""
    card = report.scorecard
    return {
        "commit": report.repository.get("commit"),
        "branch": report.repository.get("branch"),
        "score": card.score,
        "grade": card.grade,
        "failUnder": report.fail_under,
        "passed": not report.gate_failed,
        "checks": _check_scores(report.checks),
    }


def _check_scores(checks: Sequence[CheckView]) -> list[dict[str, Any]]:
    """Each check's id, status and score."""
    return [{"id": view.id, "status": view.status.value, "score": view.score} for view in checks]
