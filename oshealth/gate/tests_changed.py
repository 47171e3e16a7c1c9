"""Gate rule 3: the tests changed with the source."""

from __future__ import annotations

from oshealth import api
from oshealth.analysis.public_api import is_test_file
from oshealth.gate.code_rules import outcome, skipped
from oshealth.gate.collect import ChangeSet
from oshealth.gate.model import RuleResult
from oshealth.gate.settings import DiffSettings
from oshealth.models import Finding, MetricValue
from oshealth.release import hints
from oshealth.symbols import FileSymbols
from oshealth.wording import plural


def tests_rule(change: ChangeSet, settings: DiffSettings) -> RuleResult:
    """Rule 3: source changed with no test changed.

    A source file whose change is only type annotations or version strings
    (:func:`oshealth.release.hints.same_but_hints`, the release gate's test)
    needs no test: a release pull request bumping ``__version__`` passes.
    """
    if settings.level("tests") == "off":
        return skipped("tests", "off in config")
    changed = _changed_source(change)
    source = [fs for fs in changed if not _hints_only(change, fs)]
    tests = sorted({c.path for c in change.changes if is_test_file(c.path)})
    metrics: dict[str, MetricValue] = {"source_files": len(changed), "test_files": len(tests),
                                       "hints_only": len(changed) - len(source)}
    if not source or tests:
        return outcome("tests", settings, [], "", _passed(len(tests), len(changed), hints_only=not source), metrics)
    findings = [Finding("source changed with no test changed", fs.path, _first_changed_line(change, fs.path))
                for fs in source]
    message = f"{plural(len(source), 'source file')} changed, no test changed"
    return outcome("tests", settings, findings, message, "", metrics)


def _passed(tests: int, changed: int, *, hints_only: bool) -> str:
    """The message of a pass: tests changed with the source, or a source change of annotations only."""
    ok = f"{plural(tests, 'test file')} changed with {plural(changed, 'source file')}"
    return ok + " (only type annotations or version strings changed: no test needed)" if changed and hints_only else ok


def _changed_source(change: ChangeSet) -> list[FileSymbols]:
    """The changed Python files of the importable packages that are not tests."""
    roots = api.package_roots(change.head_files)
    return [fs for fs in change.python if not is_test_file(fs.path) and api.in_package(fs.path, roots)]


def _hints_only(change: ChangeSet, fs: FileSymbols) -> bool:
    """Whether a file present at both ends changed only in type annotations or version strings."""
    old = change.base_blobs.get(fs.old_path) if fs.old_path else None
    new = change.head_blobs.get(fs.path) if fs.head is not None else None
    return old is not None and new is not None and hints.same_but_hints(old, new)


def _first_changed_line(change: ChangeSet, path: str) -> int | None:
    """The first changed line of a file, None when no line changed (a removal, a binary file)."""
    return min(change.lines.get(path) or {0}) or None
