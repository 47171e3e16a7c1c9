"""The release gate's rules, each a pure function of what the gate read (:class:`Context`)."""

from __future__ import annotations

import ast
import posixpath
from dataclasses import dataclass

from oshealth import changelog, versions
from oshealth.api import ApiObject
from oshealth.api_diff import ApiChanges, Breaking
from oshealth.models import Finding, MetricValue, Severity
from oshealth.release import hints
from oshealth.release.history import DOCUMENTED_KINDS, is_special
from oshealth.release.model import Item, ItemStatus
from oshealth.release.notes import Notes, mentions
from oshealth.release.settings import ReleaseSettings
from oshealth.wording import plural

_DOCS_FOLDERS = frozenset({"docs", "doc"})


@dataclass(frozen=True)
class Context:
    """Everything the rules judge.

    Attributes:
        since: The last release as named.
        since_version: Its version, when its name is one.
        version: The version being released, or None (the unreleased section is checked).
        version_source: Where the version came from.
        changes: Public API changes since the last release.
        notes: The changelog section found for the version.
        changelogs: Changelog files at HEAD.
        fragments: News fragments at HEAD.
        changed_files: Files changed since the last release (both names of a rename).
        settings: The rules' levels.
        api_errors: Packages griffe could not read at either end.
    """

    since: str
    since_version: versions.Version | None
    version: str | None
    version_source: str
    changes: ApiChanges
    notes: Notes | None
    changelogs: tuple[str, ...]
    fragments: tuple[str, ...]
    changed_files: tuple[str, ...]
    settings: ReleaseSettings
    api_errors: tuple[str, ...] = ()


def evaluate(context: Context) -> tuple[Item, ...]:
    """Run every rule, in the report's order.

    Args:
        context: What the gate read.

    Returns:
        The items; an ``api`` item is added when griffe could not read a package.
    """
    items = [_version(context), _changelog(context), _docstrings(context), _breaking(context), _docs(context)]
    if context.api_errors:
        message = "griffe could not read: " + "; ".join(context.api_errors)
        items.append(Item("api", "Public API read", ItemStatus.WARN, message))
    return tuple(_fingerprinted(item) for item in items)


def _fingerprinted(item: Item) -> Item:
    """The item with its findings fingerprinted and sorted, as audit findings are."""
    seen: dict[tuple[str, str, str], int] = {}
    findings = []
    for finding in sorted(item.findings, key=lambda f: (f.path or "", f.line or 0, f.rule, f.message)):
        key = (finding.rule, finding.path or "", finding.message)
        findings.append(finding.with_fingerprint(f"release-{item.id}", seen.get(key, 0)).displayable())
        seen[key] = seen.get(key, 0) + 1
    findings.sort(key=Finding.sort_key)
    return Item(item.id, item.title, item.status, item.message, tuple(findings), item.metrics)


def _failing(level: str) -> tuple[ItemStatus, Severity]:
    """The status and finding severity of a rule that is not met, at ``level``."""
    return (ItemStatus.FAIL, Severity.ERROR) if level == "fail" else (ItemStatus.WARN, Severity.WARNING)


def _version(context: Context) -> Item:
    """The version being released is above the last release's."""
    title = "Version"
    if context.version is None:
        message = "no --version, no [project] version, no __version__: checking the unreleased section"
        return Item("version", title, ItemStatus.SKIP, message)
    wanted = versions.parse(context.version)
    if context.since_version is None or wanted is None:
        return Item("version", title, ItemStatus.SKIP, f"{context.since} is not a version tag: order not checked")
    if wanted.key() <= context.since_version.key():
        message = (f"version {context.version} (from {context.version_source}) is not above the last release "
                   f"{context.since_version} ({context.since}); bump it or pass --version")
        finding = Finding(message, "pyproject.toml" if context.version_source == "pyproject.toml" else None,
                          None, Severity.ERROR, "version")
        return Item("version", title, ItemStatus.FAIL, message, (finding,))
    message = f"releasing {context.version} (from {context.version_source}) after {context.since}"
    return Item("version", title, ItemStatus.PASS, message)


def _changelog(context: Context) -> Item:
    """The changelog has a non-empty section for the version (or an unreleased section)."""
    title, level = "Changelog section", context.settings.level("changelog")
    if level == "off":
        return Item("changelog", title, ItemStatus.SKIP, "rule off")
    notes = context.notes
    what = f"for {context.version}" if context.version else "marked unreleased"
    if notes is not None and not notes.is_empty:
        metrics: dict[str, MetricValue] = {
            "path": notes.path, "line": notes.section.start_line, "entries": notes.entries
        }
        entries = plural(notes.entries, "entry", "entries")
        message = f"{notes.path}:{notes.section.start_line} {notes.section.title!r}: {entries}"
        return Item("changelog", title, ItemStatus.PASS, message, metrics=metrics)
    if not context.changelogs:
        message, path, line = "no changelog file (CHANGELOG.md, CHANGES.rst, HISTORY.md, NEWS...)", None, None
    elif notes is None:
        path, line = context.changelogs[0], None
        message = f"{', '.join(context.changelogs)} has no section {what}"
    else:
        path, line = notes.path, notes.section.start_line
        message = f"the section {notes.section.title!r} {what} lists nothing"
    if context.fragments:
        count = len(context.fragments)
        waiting = plural(count, "news fragment") + (" waits" if count == 1 else " wait")
        message += f"; {waiting} to be compiled (towncrier build, scriv collect)"
    status, severity = _failing(level)
    return Item("changelog", title, status, message, (Finding(message, path, line, severity, "changelog"),))


def _additions(changes: ApiChanges) -> list[ApiObject]:
    """The added public objects expected to carry a docstring (properties included, special methods left out)."""
    return [
        obj for obj in changes.added
        if (obj.kind in DOCUMENTED_KINDS or obj.is_property) and not (obj.kind == "function" and is_special(obj.path))
    ]


def _docstrings(context: Context) -> Item:
    """Every public module, class, function and property added since the last release has a docstring.

    A method without one that overrides a documented method of a base class
    griffe resolves (in the repository's packages) is documented by it, as
    :func:`inspect.getdoc` and Sphinx show it; special methods (``__init__``)
    are their class's to document and are not asked.
    """
    title, level = "Docstrings on additions", context.settings.level("docstrings")
    added = _additions(context.changes)
    if level == "off":
        return Item("docstrings", title, ItemStatus.SKIP, "rule off")
    if not added:
        return Item("docstrings", title, ItemStatus.PASS, "no public module, class or function added")
    status, severity = _failing(level)
    shortest = context.settings.min_length
    findings = []
    for obj in added:
        text = (obj.effective_docstring or "").strip()
        if not text:
            problem = "has no docstring"
        elif len(text) < shortest:
            problem = f"has a docstring shorter than {plural(shortest, 'character')}"
        else:
            continue
        message = f"{obj.label} `{obj.path}` added since {context.since} {problem}"
        findings.append(Finding(message, obj.file, obj.line, severity, "docstrings"))
    metrics = {"added": len(added), "undocumented": len(findings)}
    if not findings:
        many = len(added) > 1
        documented = f"all {len(added)} public additions documented" if many else "1 public addition, documented"
        return Item("docstrings", title, ItemStatus.PASS, documented, metrics=metrics)
    message = f"{len(findings)} of {plural(len(added), 'public addition')} undocumented"
    return Item("docstrings", title, status, message, findings, metrics)


def _breaking(context: Context) -> Item:
    """Breaking changes are listed, and each is named in the changelog section."""
    title, level = "Breaking changes", context.settings.level("breaking")
    breaking = context.changes.breaking
    if not breaking:
        return Item("breaking", title, ItemStatus.PASS, "no breaking change found (griffe)", metrics={"breaking": 0})
    status, severity = _failing(level)
    findings, unnamed = [], 0
    for change in breaking:
        named = context.notes is not None and mentions(context.notes, change.path)
        unnamed += not named
        findings.append(_breaking_finding(change, named, Severity.NOTE if named or level == "off" else severity))
    metrics = {"breaking": len(breaking), "not_in_changelog": unnamed}
    message = f"{plural(len(breaking), 'breaking change')}, {unnamed} not named in the changelog section"
    if level == "off":
        return Item("breaking", title, ItemStatus.SKIP, f"{message} (rule off)", findings, metrics)
    return Item("breaking", title, status if unnamed else ItemStatus.PASS, message, findings, metrics)


def _breaking_finding(change: Breaking, named: bool, severity: Severity) -> Finding:
    """A breaking change at the object concerned, saying when the changelog section does not name it."""
    where = change.target if isinstance(change.target, ApiObject) else None
    suffix = "" if named else "; not named in the changelog section"
    return Finding(f"breaking: {change.description}{suffix}", where.file if where else None,
                   where.line if where else None, severity, "breaking")


def docs_files(context: Context) -> tuple[str, ...]:
    """The documentation files changed since the last release: under ``docs/``/``doc/``, or a root README.

    Changelogs and news fragments are not documentation here: they are the changelog rule's.

    Args:
        context: What the gate read.

    Returns:
        The paths, sorted.
    """
    found = []
    for path in context.changed_files:
        top = path.split("/", 1)[0].lower()
        readme = "/" not in path and posixpath.basename(path).lower().startswith("readme")
        in_docs = top in _DOCS_FOLDERS and "/" in path
        if (in_docs or readme) and not changelog.is_changelog(path) and path not in context.fragments:
            found.append(path)
    return tuple(sorted(found))


def _docs(context: Context) -> Item:
    """The docs folder or the README changed when the public API did.

    A changed object counts only when its interface did: not when only its
    type annotations changed (requests 2.34.1 fixed hints) or it is the
    version string (pydantic's ``VERSION = '2.13.1'`` at each release).
    """
    title, level = "Docs updated", context.settings.level("docs")
    changes = context.changes
    changed = [pair for pair in changes.changed if interface_changed(*pair)]
    if not (changes.added or changes.removed or changed):
        reason = " (only type annotations or the version string)" if changes.changed else ""
        return Item("docs", title, ItemStatus.SKIP, f"the public API did not change{reason}")
    counts = f"{len(changes.added)} added, {len(changes.removed)} removed, {len(changed)} changed"
    touched = docs_files(context)
    if touched:
        shown = ", ".join(touched[:5]) + (", ..." if len(touched) > 5 else "")
        return Item("docs", title, ItemStatus.PASS, f"public API changed ({counts}); "
                    f"{plural(len(touched), 'docs file')} changed: {shown}", metrics={"docs_changed": len(touched)})
    if level == "off":
        return Item("docs", title, ItemStatus.SKIP, "rule off")
    status, severity = _failing(level)
    message = f"the public API changed ({counts}) but nothing under docs/ or the README changed"
    return Item("docs", title, status, message, (Finding(message, None, None, severity, "docs"),))


def interface_changed(old: ApiObject, new: ApiObject) -> bool:
    """Whether a changed object's interface changed, not only its annotations or a version string.

    Args:
        old: The object at the last release.
        new: The object at HEAD.

    Returns:
        False for a version attribute (``__version__``, ``VERSION``, ``version_info``) and when
        the signatures differ only in type annotations; True otherwise.
    """
    if new.kind == "attribute" and hints.is_version_name(new.path.rsplit(".", 1)[-1]):
        return False
    return _unannotated(old) != _unannotated(new)


def _unannotated(obj: ApiObject) -> str:
    """The object's signature with its annotations removed (the signature itself when it does not parse)."""
    text = f"def {obj.signature}: ..." if obj.kind == "function" else obj.signature
    try:
        tree = hints.strip_annotations(ast.parse(text))
    except (SyntaxError, ValueError):
        return obj.signature
    statement = tree.body[0] if len(tree.body) == 1 else None
    if isinstance(statement, (ast.Assign, ast.AnnAssign)):  # x: int = 1 is x = 1; a bare x: int is x alone
        value = statement.value
        return "=" + (ast.dump(value) if value is not None else "")
    return ast.dump(tree)
