"""The release gate's view model: each rule's outcome, the API changes, the report, its JSON form.

The JSON shape follows the change gate's (``oshealth diff``): ``format``,
``kind`` (``release``), ``ready`` and a list of rule ``items``, each with
``id``, ``title``, ``status`` (``pass``, ``fail``, ``warn`` or ``skip``),
``message``, ``metrics`` and ``findings``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from oshealth.api_diff import ApiChanges
from oshealth.models import Finding, MetricValue
from oshealth.release.notes import Notes

FORMAT_VERSION = 1


class ItemStatus(StrEnum):
    """The outcome of one release rule."""

    PASS = "pass"
    FAIL = "fail"
    WARN = "warn"
    SKIP = "skip"


@dataclass(frozen=True)
class Item:
    """One rule's outcome.

    Attributes:
        id: ``version``, ``changelog``, ``docstrings``, ``breaking``, ``docs`` or ``api``.
        title: A short human title.
        status: pass, fail, warn or skip.
        message: One line saying why.
        findings: Places to fix (fingerprinted, sorted).
        metrics: Named figures behind the outcome.
    """

    id: str
    title: str
    status: ItemStatus
    message: str
    findings: Sequence[Finding] = ()
    metrics: Mapping[str, MetricValue] = field(default_factory=dict)


@dataclass(frozen=True)
class ReleaseReport:
    """What the release gate found.

    Attributes:
        version: oshealth's version.
        generated_at: ISO time of the run (``SOURCE_DATE_EPOCH`` honoured).
        repository: The path as the user gave it.
        since: The last release tag (or the ``--since`` revision) as named.
        since_commit: Its commit id.
        head: The commit id of HEAD.
        release_version: The version being released, or None (the unreleased section is checked).
        version_source: Where it came from: ``--version``, ``pyproject.toml``, ``__version__``, ``tag`` or ``none``.
        items: Each rule's outcome, in a fixed order.
        changes: Public API changes from ``since`` to HEAD.
        notes: The changelog section found, or None.
        docs_changed: Documentation files changed since ``since``.
    """

    version: str
    generated_at: str
    repository: str
    since: str
    since_commit: str
    head: str
    release_version: str | None
    version_source: str
    items: Sequence[Item]
    changes: ApiChanges
    notes: Notes | None
    docs_changed: Sequence[str] = ()

    @property
    def ready(self) -> bool:
        """Whether no rule failed."""
        return all(item.status is not ItemStatus.FAIL for item in self.items)


def to_dict(report: ReleaseReport) -> dict[str, Any]:
    """The report as JSON-ready data (format :data:`FORMAT_VERSION`, kind ``release``)."""
    notes = report.notes
    return {
        "format": FORMAT_VERSION,
        "kind": "release",
        "tool": {"name": "oshealth", "version": report.version},
        "generated_at": report.generated_at,
        "repository": report.repository,
        "since": report.since,
        "since_commit": report.since_commit,
        "head": report.head,
        "version": report.release_version,
        "version_source": report.version_source,
        "ready": report.ready,
        "items": [_item_dict(item) for item in report.items],
        "api": _api_dict(report.changes),
        "changelog": None if notes is None else {
            "path": notes.path, "title": notes.section.title, "line": notes.section.start_line,
            "entries": notes.entries,
        },
        "docs_changed": list(report.docs_changed),
    }


def _item_dict(item: Item) -> dict[str, Any]:
    """One rule of the JSON report."""
    return {
        "id": item.id,
        "title": item.title,
        "status": item.status.value,
        "message": item.message,
        "metrics": dict(sorted(item.metrics.items())),
        "findings": [
            {"path": f.path, "line": f.line, "severity": f.severity.value, "message": f.message, "rule": f.rule,
             "fingerprint": f.fingerprint}
            for f in item.findings
        ],
    }


def _api_dict(changes: ApiChanges) -> dict[str, Any]:
    """The public API changes of the JSON report."""
    return {
        "added": [
            {"path": o.path, "kind": o.kind, "file": o.file, "line": o.line, "documented": bool(o.effective_docstring)}
            for o in changes.added
        ],
        "removed": [{"path": o.path, "kind": o.kind, "file": o.file, "line": o.line} for o in changes.removed],
        "changed": [{"path": new.path, "old": old.signature, "new": new.signature} for old, new in changes.changed],
        "breaking": [{"path": b.path, "kind": b.kind, "description": b.description} for b in changes.breaking],
    }
