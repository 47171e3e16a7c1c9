"""SARIF results: which findings a run keeps, and each one as a result (data, or text written fast).

See :mod:`oshealth.render.sarif` for the shape GitHub code scanning needs.
:func:`results_text` writes exactly what ``json.dumps(indent=2)`` writes for
the dicts of :func:`result`, without building them: a run can hold 25,000.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import repeat
from json.encoder import encode_basestring
from operator import attrgetter
from typing import Any
from urllib.parse import quote

from oshealth.models import Finding, Severity
from oshealth.render import jsontext
from oshealth.render.findingblocks import severity_counts
from oshealth.report import CheckView

FINGERPRINT_KEY = "oshealthFingerprint/v1"
SRCROOT = "%SRCROOT%"
#: Where findings without a path are placed: the repository root.
ROOT_URI = "."
#: GitHub rejects a run with more results than this; the most severe are kept.
MAX_RESULTS = 25_000
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "note"}
_LEVEL_RANK = {"error": 0, "warning": 1, "note": 2}
_ROOT_ID = encode_basestring(SRCROOT)
_FINGERPRINT_ID = encode_basestring(FINGERPRINT_KEY)
_SEVERITY = attrgetter("severity")


#: A kept finding: the index of its check, the finding, and its occurrence number among equal fingerprints.
Kept = tuple[int, Finding, int]


def kept(checks: Sequence[CheckView]) -> tuple[list[Kept], int]:
    """Every finding, or the :data:`MAX_RESULTS` most severe, in report order; and how many were left out.

    Findings of equal fingerprint in a check are numbered by occurrence over
    all of them, kept or not, so that a finding's number does not depend on
    the cut.
    """
    quota = quota_of(checks)
    chosen = [item for index, view in enumerate(checks) for item in kept_of(index, view.findings, quota)]
    return chosen, sum(len(view.findings) for view in checks) - len(chosen)


def kept_of(index: int, findings: Sequence[Finding], quota: dict[str, int]) -> list[Kept]:
    """The findings of the ``index``-th check that ``quota`` leaves room for, which it takes from ``quota``."""
    chosen: list[Kept] = []
    levels = map(LEVEL.__getitem__, map(_SEVERITY, findings))
    for finding, level, occurrence in zip(findings, levels, _occurrences(findings), strict=False):
        if quota[level]:
            quota[level] -= 1
            chosen.append((index, finding, occurrence))
    return chosen


def _occurrences(findings: Sequence[Finding]) -> Iterable[int]:
    """Each finding's number among those of equal fingerprint before it, from 1."""
    prints = [finding.fingerprint for finding in findings]
    if len(set(prints)) == len(prints):
        return repeat(1)  # the usual case, in one C pass
    seen: dict[str, int] = {}
    numbers = []
    for fingerprint in prints:
        seen[fingerprint] = seen.get(fingerprint, 0) + 1
        numbers.append(seen[fingerprint])
    return numbers


def quota_of(checks: Sequence[CheckView]) -> dict[str, int]:
    """How many results of each level to keep: the most severe levels first, :data:`MAX_RESULTS` in all."""
    counts: Counter[str] = Counter()
    for view in checks:
        for severity, count in severity_counts(view.findings).items():
            counts[LEVEL[severity]] += count
    room = MAX_RESULTS
    quota = {}
    for level in sorted(_LEVEL_RANK, key=_LEVEL_RANK.__getitem__):
        quota[level] = min(counts[level], room)
        room -= quota[level]
    return quota


def result(view: CheckView, index: int, finding: Finding, occurrence: int) -> dict[str, Any]:
    """One finding as a result: rule, level, message, location and a stable fingerprint."""
    fingerprint = f"{finding.fingerprint}:{occurrence}"
    physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(finding.path), "uriBaseId": SRCROOT}}
    fingerprints = {FINGERPRINT_KEY: fingerprint}
    if finding.path and finding.line:
        physical["region"] = {"startLine": finding.line}
    else:
        fingerprints["primaryLocationLineHash"] = fingerprint
    result: dict[str, Any] = {
        "ruleId": view.id,
        "ruleIndex": index,
        "level": LEVEL[finding.severity],
        "message": {"text": finding.message or view.summary or view.id},
        "locations": [{"physicalLocation": physical}],
        "partialFingerprints": fingerprints,
    }
    if finding.rule:
        result["properties"] = {"oshealthRule": finding.rule}
    return result


def results_text(checks: Sequence[CheckView], kept: Sequence[Kept], level: int) -> list[str]:
    """The results array as ``json.dumps(indent=2)`` writes it at nesting ``level``, in pieces, without dicts.

    :func:`result` says what a result holds; :class:`Writer` writes the same
    keys in the same order straight to text, each string through the C encoder.
    """
    writer = Writer(checks, level)
    return jsontext.array([writer.results(kept)] if kept else [], level)


class Writer:
    """Writes results as text at one nesting level (see :func:`results_text`).

    Attributes:
        checks: The checks the results' indices point into.
        separator: What stands between two results of the array.
    """

    def __init__(self, checks: Sequence[CheckView], level: int) -> None:
        """A writer of results in an array at nesting ``level``."""
        self.checks = checks
        self._lines = ["\n" + "  " * (level + 1 + depth) for depth in range(6)]
        self.separator = "," + self._lines[0]
        self._heads: dict[tuple[int, str], str] = {}
        self._uris: dict[str | None, str] = {}

    def results(self, kept: Iterable[Kept]) -> str:
        """The text of some results, the array's separator between them."""
        return self.separator.join([self.result(index, finding, occurrence) for index, finding, occurrence in kept])

    def result(self, index: int, finding: Finding, occurrence: int) -> str:
        """The text of one result: the ``occurrence``-th finding of its fingerprint in the ``index``-th check."""
        view = self.checks[index]
        severity = LEVEL[finding.severity]
        head = self._heads.get((index, severity))
        if head is None:
            head = self._heads[index, severity] = _result_head(view, index, severity, self._lines)
        uri = self._uris.get(finding.path)
        if uri is None:
            uri = self._uris[finding.path] = encode_basestring(artifact_uri(finding.path))
        message = encode_basestring(finding.message or view.summary or view.id)
        fingerprint = encode_basestring(f"{finding.fingerprint}:{occurrence}")
        return _result_text(head, message, uri, finding, fingerprint, self._lines)


def _result_head(view: CheckView, index: int, severity: str, lines: Sequence[str]) -> str:
    """The start of a result of ``view`` at ``severity``, up to its message's text."""
    one, two = lines[1], lines[2]
    return (f'{{{one}"ruleId": {encode_basestring(view.id)},{one}"ruleIndex": {index},{one}"level": '
            f'{encode_basestring(severity)},{one}"message": {{{two}"text": ')


def _result_text(head: str, message: str, uri: str, finding: Finding, fingerprint: str, lines: Sequence[str]) -> str:
    """One result: ``head``, then the encoded message, location, fingerprints and rule (see :func:`_result`)."""
    end, one, two, three, four, five = lines
    location = f'{{{five}"uri": {uri},{five}"uriBaseId": {_ROOT_ID}{four}}}'
    if finding.path and finding.line:
        location += f',{four}"region": {{{five}"startLine": {int(finding.line)}{four}}}'
        fingerprints = f'{_FINGERPRINT_ID}: {fingerprint}'
    else:
        fingerprints = f'{_FINGERPRINT_ID}: {fingerprint},{two}"primaryLocationLineHash": {fingerprint}'
    rule = ""
    if finding.rule:
        rule = f',{one}"properties": {{{two}"oshealthRule": {encode_basestring(finding.rule)}{one}}}'
    return (f'{head}{message}{one}}},{one}"locations": [{two}{{{three}"physicalLocation": {{{four}"artifactLocation": '
            f'{location}{three}}}{two}}}{one}],{one}"partialFingerprints": {{{two}{fingerprints}{one}}}{rule}{end}}}')


def artifact_uri(path: str | None) -> str:
    """A repository-relative path as a percent-encoded relative URI (the root for None).

    Everything but unreserved characters and ``/`` is encoded, from the
    path's UTF-8 bytes (undecodable names keep their original bytes), so
    spaces, ``#``, ``?``, ``%``, ``:`` and newlines cannot change the URI's
    meaning.
    """
    if not path:
        return ROOT_URI
    return quote(path, safe="/", errors="surrogateescape")
