"""Records shared by the engine, the checks and the renderers.

A check receives :class:`~oshealth.facts.RepoFacts` and returns a
:class:`CheckResult`. Results are plain frozen data so that every output
format can be rendered from them without recomputing anything.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

# plugins subclass oshealth.models.Check: the base class lives in its own module, and stays importable from here
from oshealth.check_base import Check as Check

MetricValue = int | float | str | bool | None | list[Any] | dict[str, Any]


class Status(StrEnum):
    """The outcome of one check."""

    PASS = "pass"
    FAIL = "fail"
    INCONCLUSIVE = "inconclusive"
    NOT_APPLICABLE = "not-applicable"
    ERROR = "error"

    @property
    def is_conclusive(self) -> bool:
        """Whether a result with this status carries a score."""
        return self in (Status.PASS, Status.FAIL)


class Severity(StrEnum):
    """How much a single finding matters."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        """Sort key: the most severe first."""
        return _SEVERITY_RANKS[self]


_SEVERITY_RANKS = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTE: 2}


@dataclass(frozen=True)
class Finding:
    """One precise place to fix.

    Attributes:
        message: What is wrong, in one line.
        path: Repository-relative POSIX path, or None for repository-wide findings.
        line: 1-based line number, or None.
        severity: How much it matters.
        rule: A sub-identifier within the check (for example a ruff code).
        fingerprint: Stable identity of the finding across runs; derived from
            the check id, rule, path and message (never the line, which moves).
    """

    message: str
    path: str | None = None
    line: int | None = None
    severity: Severity = Severity.WARNING
    rule: str = ""
    fingerprint: str = ""

    def __init__(
        self,
        message: str,
        path: str | None = None,
        line: int | None = None,
        severity: Severity = Severity.WARNING,
        rule: str = "",
        fingerprint: str = "",
    ) -> None:
        """Set the fields, as the dataclass's own ``__init__`` would (same parameters and defaults).

        Audits make findings by the hundred thousand; the generated one calls
        ``object.__setattr__`` per field, over twice as slow. Still frozen.
        """
        fields = self.__dict__
        fields["message"] = message
        fields["path"] = path
        fields["line"] = line
        fields["severity"] = severity
        fields["rule"] = rule
        fields["fingerprint"] = fingerprint

    def with_fingerprint(self, check_id: str, occurrence: int = 0) -> Finding:
        """Return a copy whose fingerprint is set from its stable parts.

        Args:
            check_id: The id of the check that produced the finding.
            occurrence: How many findings with the same check, rule, path and
                message come before this one in line order; it tells apart
                identical messages in one file without using the line number.

        Returns:
            The finding with ``fingerprint`` filled in (kept if already set).
        """
        if self.fingerprint:
            return self
        digest = _fingerprint(check_id, (self.rule, self.path or "", self.message), occurrence)
        return Finding(self.message, self.path, self.line, self.severity, self.rule, digest)

    def displayable(self) -> Finding:
        """A copy whose text holds no undecodable bytes (shown as U+FFFD); itself when it holds none."""
        message = displayable_text(self.message)
        path = None if self.path is None else displayable_text(self.path)
        if message is self.message and path is self.path:
            return self  # frozen: sharing is safe, and most findings need no change
        return replace(self, message=message, path=path)

    def sort_key(self) -> tuple[int, str, int, str]:
        """Deterministic order: severity, then path, line and message."""
        return (self.severity.rank, self.path or "", self.line or 0, self.message)


@dataclass(frozen=True)
class CheckResult:
    """What a check concluded.

    Attributes:
        status: pass, fail, inconclusive, not applicable or error.
        score: 0-10 for conclusive results, otherwise None.
        reason: One line that explains the score or its absence.
        metrics: Named numbers (and small lists or tables) behind the score.
        findings: Places to fix, most important first after :meth:`normalized`.
    """

    status: Status
    score: float | None
    reason: str
    metrics: Mapping[str, MetricValue] = field(default_factory=dict)
    findings: Sequence[Finding] = ()

    @classmethod
    def scored(
        cls,
        score: float,
        reason: str,
        *,
        pass_at: float = 7.0,
        metrics: Mapping[str, MetricValue] | None = None,
        findings: Sequence[Finding] = (),
    ) -> CheckResult:
        """Build a conclusive result; it passes when ``score >= pass_at``.

        Args:
            score: The score, clamped to 0-10 and rounded to two decimals.
            reason: One line explaining the score.
            pass_at: The score at or above which the check passes.
            metrics: Named numbers behind the score.
            findings: Places to fix.

        Returns:
            A pass or fail result.
        """
        clamped = round(min(10.0, max(0.0, score)), 2)
        status = Status.PASS if clamped >= pass_at else Status.FAIL
        return cls(status, clamped, reason, dict(metrics or {}), _kept(findings))

    @classmethod
    def proportional(
        cls,
        passed: int,
        total: int,
        reason: str,
        *,
        pass_at: float = 7.0,
        metrics: Mapping[str, MetricValue] | None = None,
        findings: Sequence[Finding] = (),
    ) -> CheckResult:
        """Build a result scored as ``10 * passed / total``.

        Args:
            passed: How many items are fine.
            total: How many items were examined; must be positive.
            reason: One line explaining the score.
            pass_at: The score at or above which the check passes.
            metrics: Named numbers behind the score.
            findings: Places to fix.

        Returns:
            A pass or fail result.
        """
        return cls.scored(
            10.0 * passed / total, reason, pass_at=pass_at, metrics=metrics, findings=findings
        )

    @classmethod
    def not_applicable(
        cls, reason: str, metrics: Mapping[str, MetricValue] | None = None
    ) -> CheckResult:
        """A result for a check that has nothing to judge in this repository."""
        return cls(Status.NOT_APPLICABLE, None, reason, dict(metrics or {}))

    @classmethod
    def inconclusive(
        cls,
        reason: str,
        metrics: Mapping[str, MetricValue] | None = None,
        findings: Sequence[Finding] = (),
    ) -> CheckResult:
        """A result for a check that cannot decide (shallow clone, tool failure...)."""
        return cls(Status.INCONCLUSIVE, None, reason, dict(metrics or {}), _kept(findings))

    @classmethod
    def error(cls, reason: str) -> CheckResult:
        """A result for a check that crashed; the run goes on."""
        return cls(Status.ERROR, None, reason)

    def normalized(self, check_id: str) -> CheckResult:
        """Return a copy with fingerprinted findings in deterministic order.

        Args:
            check_id: The id of the check that produced this result.

        Returns:
            The same result, findings fingerprinted and sorted.
        """
        metrics = {name: _displayable_value(value) for name, value in self.metrics.items()}
        reason = displayable_text(self.reason)
        if hasattr(self.findings, "blocks"):  # a FindingList: blocks stay as they are (the module imports this one)
            blocks = self.findings.normalized(lambda found: _normalized_findings(found, check_id))  # type: ignore[attr-defined]
            return CheckResult(self.status, self.score, reason, metrics, blocks)
        return CheckResult(self.status, self.score, reason, metrics, _normalized_findings(self.findings, check_id))


def _kept(findings: Sequence[Finding]) -> Sequence[Finding]:
    """Findings as a result keeps them: a tuple, or a FindingList as it is (copying one would decode it)."""
    return findings if hasattr(findings, "blocks") else tuple(findings)


def _normalized_findings(found: Sequence[Finding], check_id: str) -> tuple[Finding, ...]:
    """Findings fingerprinted (a fingerprint already set is kept), displayable, in report order."""
    seen: dict[tuple[str, str, str], int] = {}
    findings = []
    for finding in sorted(found, key=_line_order):
        path = finding.path
        key = (finding.rule, path or "", finding.message)
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        # with_fingerprint and displayable in one step: audits normalise findings by the hundred thousand
        findings.append(Finding(
            displayable_text(finding.message),
            None if path is None else displayable_text(path),
            finding.line,
            finding.severity,
            finding.rule,
            finding.fingerprint or _fingerprint(check_id, key, occurrence),
        ))
    findings.sort(key=Finding.sort_key)
    return tuple(findings)


def _line_order(finding: Finding) -> tuple[str, int, str, str]:
    """The order in which same-looking findings of a file are counted: path, line, rule, message."""
    return (finding.path or "", finding.line or 0, finding.rule, finding.message)


def _fingerprint(check_id: str, key: tuple[str, str, str], occurrence: int) -> str:
    """The fingerprint of a finding: a digest of the check, its rule, path and message, and its occurrence."""
    text = f"{check_id}\0{key[0]}\0{key[1]}\0{key[2]}\0{occurrence}"
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def displayable_text(text: str) -> str:
    """Turn undecodable bytes (surrogate escapes from file names) into U+FFFD.

    Paths from git and the file system may hold bytes that are not UTF-8;
    Python keeps them as lone surrogates, which no output format can encode.
    Text without them (nearly all of it) is returned as it is, without a copy.
    """
    if type(text) is str:
        if text.isascii():
            return text
        try:
            text.encode("utf-8")  # fails exactly when the text holds a surrogate
        except UnicodeEncodeError:
            pass
        else:
            return text
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _displayable_value(value: Any) -> Any:
    """Apply :func:`displayable_text` to every string inside a metric value."""
    if isinstance(value, str):
        return displayable_text(value)
    if isinstance(value, list | tuple):
        return [_displayable_value(item) for item in value]
    if isinstance(value, dict):
        return {displayable_text(str(k)): _displayable_value(v) for k, v in value.items()}
    return value
