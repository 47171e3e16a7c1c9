"""The ``release-documentation`` check: did past releases ship with their documentation?"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from oshealth.facts import RepoFacts
from oshealth.models import Check, CheckResult, Finding, MetricValue, Severity
from oshealth.release import notes
from oshealth.release.history import ReleaseRecord

_SHALLOW = "shallow clone: release tags and their history may be missing; fetch them all (fetch-depth: 0)"


class ReleaseDocumentation(Check):
    """Each release should ship with a changelog entry and docstrings on the public API it adds.

    Looks at the last ``releases`` final release tags (highest versions; tags
    whose names parse as versions, pre-releases left out) as they were at each
    tag, without checking anything out:

    - changelog entry: a changelog file (CHANGELOG, CHANGES, HISTORY, NEWS or
      RELEASES in the root, ``docs/`` or ``doc/``) at the tag has a section for
      the tag's version (compared as PEP 440 versions) holding at least one entry;
      a heading with only a date or "Unreleased" under it is no entry;
    - documented additions: the public modules, classes and functions the release
      added over the release before it had a docstring at the tag. Additions are
      read from the AST of the Python files the release changed (never
      imported): objects of the packages and modules ``oshealth release-check``
      reads (those in ``src/`` when there is one, else the root's, leaving out
      tests, docs, examples, ``scripts/``, tooling files such as ``setup.py``
      and folders not named as identifiers, such as a vendored
      ``pydantic-core/``), through package folders (``__init__.py``) only,
      outside test files, public by the docstring-coverage rule (no underscore
      on the way down), special methods left out; for the first release, its
      whole public API.

    Score: each release scores ``(c + d) / 2``, where ``c`` is 1 with a changelog
    entry (else 0) and ``d`` the share of its additions that had a docstring
    (1 when it added nothing); the check scores ``10 *`` the mean over the
    releases judged, and passes at 7. A release "shipped documented" when both
    parts are whole; ``documented_share`` is the share of such releases.
    In a repository with no Python file (a JavaScript or Java project), there
    are no docstrings to judge: each release scores ``c`` alone.
    Not applicable without final release tags; inconclusive in a shallow clone.
    Why: a release is when users meet new API; shipped without notes or
    docstrings, it is "released because it works", and every user has to read
    the code to learn what changed.

    Fix: before tagging, run ``oshealth release-check``; document the
    additions listed in the findings and add the missing changelog sections
    (past releases can still get their changelog entry).
    """

    id: ClassVar[str] = "release-documentation"
    category: ClassVar[str] = "documentation"
    weight: ClassVar[float] = 1.0
    default_options: ClassVar[Mapping[str, Any]] = {"releases": 5}

    def evaluate(self, facts: RepoFacts) -> CheckResult:
        """Score the documentation of the last releases.

        Args:
            facts: Everything read from the repository.

        Returns:
            The mean release score, or not applicable / inconclusive.
        """
        history = facts.release_history
        if facts.is_shallow:
            return CheckResult.inconclusive(_SHALLOW)
        if history is None:
            return CheckResult.inconclusive("the release history was not collected")
        if history.problem is not None:
            return CheckResult.inconclusive(history.problem)
        if not history.releases:
            return CheckResult.not_applicable("no release tags (tags named as versions, such as v1.2.0)")
        return _score(history.releases, judge_docstrings=bool(facts.python_files))


def _score(releases: tuple[ReleaseRecord, ...], *, judge_docstrings: bool) -> CheckResult:
    """Judge each release and sum up (on its changelog alone when ``judge_docstrings`` is False)."""
    rows: list[dict[str, MetricValue]] = []
    findings: list[Finding] = []
    total = 0.0
    documented = missing = 0
    for record in releases:
        entry = _changelog_entry(record, findings)
        undocumented = [a for a in record.added if not a.documented]
        for addition in undocumented:
            where = f"{addition.file}:{addition.line}" if addition.line else addition.file
            message = f"{record.tag} added {addition.kind} {addition.path} without a docstring ({where} at the tag)"
            findings.append(Finding(message, None, None, Severity.WARNING, "undocumented-addition"))
        missing += len(undocumented)
        total += _release_score(entry, len(undocumented), len(record.added), judge_docstrings)
        documented += entry and not undocumented
        rows.append(
            {"tag": record.tag, "added": len(record.added), "undocumented": len(undocumented), "changelog_entry": entry}
        )
    judged = len(releases)
    metrics: dict[str, MetricValue] = {
        "releases_judged": judged,
        "releases_documented": documented,
        "documented_share": round(documented / judged, 2),
        "undocumented_additions": missing,
        "releases": rows,
    }
    reason = f"{documented} of {judged} recent releases shipped documented (changelog entry, docstrings on additions)"
    if not judge_docstrings:
        reason = f"{documented} of {judged} recent releases shipped a changelog entry (no Python code: no docstrings)"
    return CheckResult.scored(10.0 * total / judged, reason, metrics=metrics, findings=findings)


def _release_score(entry: bool, undocumented: int, added: int, judge_docstrings: bool) -> float:
    """One release's score from 0 to 1: ``(c + d) / 2``, or ``c`` alone when docstrings are not judged."""
    if not judge_docstrings:
        return float(entry)
    share = 1.0 - undocumented / added if added else 1.0
    return ((1.0 if entry else 0.0) + share) / 2


def _changelog_entry(record: ReleaseRecord, findings: list[Finding]) -> bool:
    """Whether the release's changelog had an entry for its version; record a finding when not."""
    found = notes.find(record.changelogs, record.version)
    if found is not None and not found.is_empty:
        return True
    if not record.changelogs:
        message = f"{record.tag} shipped with no changelog file"
    elif found is None:
        message = f"{record.tag} shipped without a changelog section for {record.version}"
    else:
        message = f"{record.tag} shipped with an empty changelog section for {record.version} ({found.path})"
    findings.append(Finding(message, None, None, Severity.WARNING, "changelog-entry"))
    return False
