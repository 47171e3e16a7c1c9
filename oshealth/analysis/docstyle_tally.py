"""The docstring-style check's share of each file (:mod:`oshealth.parts`), and the totals folded from the shares.

A file's share holds how many of its objects carry a docstring, its
violations by rule code, whether the engine could check it, and its
findings. It is a pure function of the file's record and the engine's
verdict on it, so a re-audit reads the shares of unchanged files from the
cache and never loads their docstring records or verdicts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial

from oshealth.analysis.docstyle import DocstyleFacts
from oshealth.analysis.public_api import is_test_file
from oshealth.analysis.pyfile import PythonFile
from oshealth.findinglist import FindingBlock
from oshealth.models import Finding, Severity
from oshealth.parts import FileWork, identity, per_file

#: The check whose parts these are (its id fingerprints the findings).
CHECK_ID = "docstring-style"


@dataclass(frozen=True)
class FileFigures:
    """One file's figures.

    Attributes:
        documented: How many of its objects carry a docstring (0 without a record).
        by_code: Its violations by rule code (empty without a verdict).
        errors: How many errors kept the engine from checking it.
    """

    documented: int = 0
    by_code: dict[str, int] = field(default_factory=dict)
    errors: int = 0


@dataclass
class Totals:
    """The figures of every file, added up.

    Attributes:
        documented: Objects that carry a docstring.
        by_code: Violations by rule code.
        checked: Files the engine judged.
        unparsed: Files the engine could not check.
        errors: The errors that kept it from checking them.
        blocks: Every file's findings, normalised.
    """

    documented: int = 0
    by_code: Counter[str] = field(default_factory=Counter)
    checked: int = 0
    unparsed: int = 0
    errors: int = 0
    blocks: list[FindingBlock] = field(default_factory=list)


def tally(files: Sequence[PythonFile], style: DocstyleFacts, exclude_tests: bool) -> Totals:
    """Every file's share, stored ones read (:func:`oshealth.parts.per_file`), added up.

    A verdict is read only inside its file's computation: the verdicts of
    files whose parts are stored are never loaded.

    Args:
        files: The Python files judged (test files already left out if asked).
        style: The engine's verdicts, by path (a verdict without a record is a share of its own).
        exclude_tests: Leave the verdicts of test files out.

    Returns:
        The totals and findings.
    """
    judged = [path for path in style.files if not (exclude_tests and is_test_file(path))]
    totals = Totals(checked=len(judged))
    settings = f"{style.engine} {style.engine_version} {style.convention}"
    for part in per_file(CHECK_ID, settings, _work(files, style, judged)):
        figures = part.value
        totals.blocks.extend(part.blocks)
        totals.documented += figures.documented
        totals.by_code.update(figures.by_code)
        totals.unparsed += figures.errors > 0
        totals.errors += figures.errors
    return totals


def _work(files: Sequence[PythonFile], style: DocstyleFacts, judged: Sequence[str]) -> list[FileWork[FileFigures]]:
    """Each file's computation: a record with the verdict on its path (the first record of a path takes it)."""
    verdicts = set(judged)
    work: list[FileWork[FileFigures]] = []
    for record in files:
        with_verdict = record.path in verdicts
        verdicts.discard(record.path)
        key = style.identities.get(record.path, "") if with_verdict else ""
        work.append((record.path, _identity(record, key),
                     partial(file_figures, record, style if with_verdict else None)))
    # verdicts on paths no record holds: the facts always pair them, but the figures must not depend on it
    work.extend((path, "", partial(verdict_figures, path, style)) for path in judged if path in verdicts)
    return work


def _identity(record: PythonFile, verdict: str) -> str:
    """What a file's share depends on: its record and its verdict ("" when either is unknown: never stored)."""
    own = identity(record)
    return f"{own} {verdict}" if own and verdict else ""


def file_figures(record: PythonFile, style: DocstyleFacts | None) -> tuple[FileFigures, list[Finding]]:
    """A file's figures and findings: its documented objects, and the verdict on it when ``style`` is given.

    Args:
        record: The file.
        style: The engine's verdicts (the file's is read now), or None when it has none.
    """
    documented = sum(node.covered for node in record.doc_nodes)
    if style is None:
        return FileFigures(documented), []
    figures, findings = verdict_figures(record.path, style)
    return FileFigures(documented, figures.by_code, figures.errors), findings


def verdict_figures(path: str, style: DocstyleFacts) -> tuple[FileFigures, list[Finding]]:
    """The engine's verdict on one file as figures and findings; an unchecked file gets one, for its first error.

    Args:
        path: The file.
        style: The engine's verdicts.
    """
    verdict = style.files[path]
    by_code: Counter[str] = Counter()
    findings: list[Finding] = []
    severity_of: dict[str, Severity] = {}  # per rule code, not per violation (a file may have thousands)
    for violation in verdict.violations:
        code = violation.code
        by_code[code] += 1
        severity = severity_of.get(code)
        if severity is None:
            severity = severity_of[code] = _severity(code)
        findings.append(Finding(violation.message, path, violation.line, severity, code))
    if verdict.errors:
        first = verdict.errors[0]
        message = f"{style.engine} could not check this file: {first.message}"
        findings.append(Finding(message, path, first.line, Severity.WARNING, first.code))
    return FileFigures(0, dict(by_code), len(verdict.errors)), findings


def _severity(code: str) -> Severity:
    """Rank a rule's violations: missing docstrings above layout slips.

    Args:
        code: The rule code.

    Returns:
        WARNING for D1xx (missing docstrings), NOTE for the rest.
    """
    # a missing docstring hides an API; a layout slip only slows reading
    return Severity.WARNING if code.startswith("D1") else Severity.NOTE
