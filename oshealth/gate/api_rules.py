"""Gate rules on the public API: a changelog entry (4) and documentation (5) for API changes."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from oshealth import changelog
from oshealth.api import ApiObject
from oshealth.api_diff import ApiChanges, Breaking
from oshealth.gate.code_rules import outcome, skipped
from oshealth.gate.collect import ChangeSet
from oshealth.gate.model import RuleResult
from oshealth.gate.settings import DiffSettings
from oshealth.models import Finding, MetricValue
from oshealth.release import notes
from oshealth.versions import Version, parse
from oshealth.wording import plural

#: Kinds whose signature change is an API change (an attribute's value changing is not).
_SIGNATURE_KINDS = frozenset({"function", "class"})
_DOC_FOLDERS = ("docs/", "doc/")


@dataclass(frozen=True)
class ApiItem:
    """One public API change, located for a finding.

    Attributes:
        what: ``added``, ``removed``, ``changed`` or ``breaking``.
        path: Dotted path of the object.
        text: One-line description.
        file: Repository-relative file (the head's, or the base's for removals).
        line: Line in that file, or None.
    """

    what: str
    path: str
    text: str
    file: str | None
    line: int | None


def api_items(changes: ApiChanges) -> list[ApiItem]:
    """The API changes worth a changelog line: top-most additions and removals, signature changes, breakages.

    Children of an added (removed) object are not listed again; removals griffe
    already reports as breaking are listed once, as breaking.
    """
    items = [_item("added", obj, f"`{obj.path}` added") for obj in _topmost(changes.added)]
    broken = {b.path for b in changes.breaking}
    removed = [obj for obj in _topmost(changes.removed) if obj.path not in broken]
    items += [_item("removed", obj, f"`{obj.path}` removed") for obj in removed]
    items += [_breaking_item(b) for b in changes.breaking]
    items += [
        _item("changed", new, f"`{new.path}` signature changed: `{old.signature}` -> `{new.signature}`")
        for old, new in changes.changed
        if new.kind in _SIGNATURE_KINDS and new.path not in broken
    ]
    return items


def _topmost(objects: Sequence[ApiObject]) -> list[ApiObject]:
    """Objects whose parent is not in the list too."""
    paths = {obj.path for obj in objects}
    return [obj for obj in objects if obj.path.rpartition(".")[0] not in paths]


def _item(what: str, obj: ApiObject, text: str) -> ApiItem:
    """An :class:`ApiItem` located at ``obj``."""
    return ApiItem(what, obj.path, text, obj.file, obj.line)


def _breaking_item(breaking: Breaking) -> ApiItem:
    """An :class:`ApiItem` for a breaking change, located at its object when known."""
    target = breaking.target
    text = f"breaking: {breaking.description}"
    if isinstance(target, ApiObject):
        return ApiItem("breaking", target.path, text, target.file, target.line)
    return ApiItem("breaking", target, text, None, None)


def changelog_evidence(change: ChangeSet, extra_dirs: Collection[str]) -> tuple[list[str], list[str]]:
    """What in the change counts as a changelog entry, and changelog edits that do not.

    Returns:
        ``(entries, misses)``: entries like ``CHANGES.md: Version 8.5.0`` or a
        fragment path; misses explain changelog edits outside an unreleased section.
    """
    changed = change.changed_paths()
    entries = list(changelog.fragments(changed, extra_dirs))
    misses: list[str] = []
    for path in changelog.find_changelogs(changed):
        text = change.head_text(path)
        if text is not None:
            _changelog_edit(change, path, text, entries, misses)
    return entries, misses


def _changelog_edit(change: ChangeSet, path: str, text: str, entries: list[str], misses: list[str]) -> None:
    """Add the edit of one changelog file to ``entries`` or ``misses``.

    An entry is an edit in an unreleased section, in a file with no sections,
    in a section naming a version above the last release tagged at the merge
    base (click's ``Version 8.1.0`` with no "Unreleased" line, before 8.1.0 is
    tagged), or in a section whose heading the change writes too: a release
    section the change adds (``oshealth diff 8.4.2 8.5.0``) or an unreleased
    one it turns into a release (the release pull request). Lines added to a
    section that was already released are no entry.
    """
    lines = change.lines.get(path, frozenset())
    found = changelog.sections(text, path)
    touched = changelog.sections_touched(found, lines)
    fresh = _fresh_sections(touched, lines, text, change.last_release)
    if not found and lines:
        entries.append(f"{path} (no version sections)")
    elif fresh:
        entries += [f"{path}: {s.title}" for s in fresh]
    elif lines:
        where = ", ".join(s.title for s in touched) or "outside any release section"
        misses.append(f"{path} changed, but not under an unreleased section ({where})")


def _fresh_sections(
    touched: Sequence[changelog.Section], lines: Collection[int], text: str, last: Version | None
) -> list[changelog.Section]:
    """The touched sections an entry may go to: unreleased or untagged ones, and those written with their heading."""
    rows = text.splitlines()
    return [s for s in touched
            if s.is_unreleased or _after(s, last) or _written_with_heading(s, lines, rows)]


def _after(section: changelog.Section, last: Version | None) -> bool:
    """Whether a section names a version above ``last`` (the last release tagged): it is not released yet."""
    version = parse(section.version) if section.version and last is not None else None
    return version is not None and last is not None and version.key() > last.key()


def _written_with_heading(section: changelog.Section, lines: Collection[int], rows: Sequence[str]) -> bool:
    """Whether the change wrote a section's heading and an entry under it (a section it added or released).

    A date or a "Released" line under the heading is no entry (see :func:`oshealth.release.notes.content_lines`).

    Args:
        section: A section of the changelog at the head.
        lines: The lines the change added or modified (1-based).
        rows: The changelog's lines at the head.
    """
    body = range(section.start_line + 1, min(section.end_line, len(rows)) + 1)
    if section.start_line not in lines:
        return False
    return bool(notes.content_lines("\n".join(rows[n - 1] for n in body if n in lines)))


def changelog_rule(change: ChangeSet, settings: DiffSettings, labels: Collection[str]) -> RuleResult:
    """Rule 4: public API added, removed or broken needs a changelog entry, unless a skip label is present."""
    if settings.level("changelog") == "off":
        return skipped("changelog", "off in config")
    skip = sorted(set(labels) & set(settings.option("changelog", "skip-labels")))
    if skip:
        return skipped("changelog", f"skipped by the label `{skip[0]}`")
    if change.api is None or not (items := api_items(change.api)):
        return outcome("changelog", settings, [], "", "no public API change", _api_metrics(change, []))
    entries, misses = changelog_evidence(change, settings.option("changelog", "fragment-dirs"))
    metrics = {**_api_metrics(change, items), "entries": entries}
    if entries:
        ok = f"{plural(len(items), 'API change')}, changelog: {entries[0]}"
        return outcome("changelog", settings, [], "", ok, metrics)
    why = "; ".join(misses) if misses else "no changelog or news fragment changed"
    findings = [Finding(f"public API change with no changelog entry: {item.text}", item.file, item.line)
                for item in items]
    message = f"{plural(len(items), 'public API change')} and no changelog entry ({why})"
    return outcome("changelog", settings, findings, message, "", metrics)


def _api_metrics(change: ChangeSet, items: list[ApiItem]) -> dict[str, MetricValue]:
    """Counts of API changes by kind, and griffe's load errors."""
    counts = {what: sum(1 for i in items if i.what == what) for what in ("added", "removed", "changed", "breaking")}
    return {"api_changes": counts, "api_errors": list(change.api_errors)}


def docs_rule(change: ChangeSet, settings: DiffSettings) -> RuleResult:
    """Rule 5: public API added with no change under the docs folder or the README."""
    if settings.level("docs") == "off":
        return skipped("docs", "off in config")
    added = [i for i in api_items(change.api) if i.what == "added"] if change.api else []
    docs = _docs_changed(change)
    metrics: dict[str, MetricValue] = {"api_added": len(added), "docs_changed": docs}
    if not added:
        return outcome("docs", settings, [], "", "no public API added", metrics)
    if docs:
        ok = f"{plural(len(added), 'API addition')}, docs changed: {docs[0]}"
        return outcome("docs", settings, [], "", ok, metrics)
    findings = [Finding(f"public API added with no docs change: {i.text}", i.file, i.line) for i in added]
    message = f"{plural(len(added), 'API addition')} and no change under docs/ or README"
    return outcome("docs", settings, findings, message, "", metrics)


def _docs_changed(change: ChangeSet) -> list[str]:
    """The changed paths under a docs folder, or of a README."""
    return [p for p in change.changed_paths() if p.startswith(_DOC_FOLDERS) or _is_readme(p)]


def _is_readme(path: str) -> bool:
    """A README at the root."""
    return "/" not in path and path.lower().startswith("readme")

